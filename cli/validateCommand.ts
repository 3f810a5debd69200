import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../lib/errors";
import { validateAccess } from "../access/validate";
import { DEFAULT_ACCESS_FILE } from "./editCommands";

/**
 * `validate [FILE|DIR]`: the offline checks (access/validate.ts) of one access file, or of every `*.yaml`
 * and `*.yml` file directly in DIR, each on its own. Problems go to standard output, one per line as
 * FILE:LINE:COLUMN: message (the form editors and CI annotations link); exit 1 when there is any.
 * No token, no network: the fast first step of a pull request's checks.
 */
export function validateCommand(args: string[], env: NodeJS.ProcessEnv): number {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError(`validate takes at most one FILE or DIR; got ${positionals.length}.`);
  const target = positionals[0] ?? DEFAULT_ACCESS_FILE;
  const files = statSync(target, { throwIfNoEntry: false })?.isDirectory()
    ? readdirSync(target)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => join(target, name))
    : [target];
  if (files.length === 0) throw new UsageError(`${target} holds no *.yaml file to validate.`);
  let problems = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      process.stdout.write(`${file}:1:1: cannot read the file; give the access file (default ${DEFAULT_ACCESS_FILE}) or a folder of them.\n`);
      problems++;
      continue;
    }
    const result = validateAccess(text, file, env);
    for (const problem of result.problems) process.stdout.write(`${problem}\n`);
    problems += result.problems.length;
    if (result.file && result.problems.length === 0) {
      const members = result.file.groups.reduce((sum, group) => sum + group.members.length, 0);
      const rules = result.file.rules?.length ?? 0;
      process.stderr.write(
        `kantata-access: ${file} is valid: ${plural(result.file.groups.length, "group")}, ${plural(members, "member")}, ${plural(rules, "rule")} kept by the people it lists\n`,
      );
    }
  }
  if (problems > 0) process.stderr.write(`kantata-access: ${plural(problems, "problem")} in ${plural(files.length, "file")}\n`);
  return problems > 0 ? 1 : 0;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
