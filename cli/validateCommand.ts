import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError } from "../lib/errors";
import { validateAccessPath } from "../access/validate";
import { DEFAULT_ACCESS_FILE, defaultAccessPath } from "./editCommands";

/**
 * `validate [FILE|DIR]`: the offline checks (access/validate.ts) of an access file, or of an access folder
 * (access/load.ts: one file per group or team, checked together). Problems go to standard output, one per
 * line as FILE:LINE:COLUMN: message (the form editors and CI annotations link); exit 1 when there is any.
 * No token, no network: the fast first step of a pull request's checks.
 */
export function validateCommand(args: string[], env: NodeJS.ProcessEnv): number {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError(`validate takes at most one FILE or DIR; got ${positionals.length}.`);
  const target = positionals[0] ?? defaultAccessPath();
  if (!existsSync(target)) {
    process.stdout.write(`${target}:1:1: no such file or folder; give the access file (default ${DEFAULT_ACCESS_FILE}) or its folder.\n`);
    return 1;
  }
  const { file, problems } = validateAccessPath(target, env);
  for (const problem of problems) process.stdout.write(`${problem}\n`);
  if (problems.length > 0) {
    process.stderr.write(`kantata-access: ${plural(problems.length, "problem")} in ${target}\n`);
    return 1;
  }
  if (file) {
    const members = file.groups.reduce((sum, group) => sum + group.members.length, 0);
    const rules = file.rules?.length ?? 0;
    process.stderr.write(
      `kantata-access: ${target} is valid: ${plural(file.groups.length, "group")}, ${plural(members, "member")}, ${plural(rules, "rule")} kept by the people it lists\n`,
    );
  }
  return 0;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
