import { LineCounter, isNode, isSeq, parseDocument } from "yaml";
import { accessToday } from "../lib/calendar";
import { foldName, parseUserRef } from "../provider/identity/references";
import { type Holder, type Holding, type RuleFacts, judgeRule } from "../provider/plan/rules";
import { readFileSync } from "node:fs";
import { type AccessFile, AccessFileError, parseAccessFile } from "./accessFile";
import { endDatesOn } from "./endDates";
import { readAccess } from "./load";

/**
 * Everything about an access file that can be known without Kantata: what the parser checks (keys,
 * addresses, end dates, names, rules' shape), and the rules judged against the people the file itself
 * lists. Those are certain breaks: whoever else an additive group holds in the account, a person listed in
 * two separated groups, an address outside the allowed domains, or more people listed than a group may
 * hold break the rule at any preview. People whose last day has passed are not counted (`up` removes them).
 * What only the account knows (members added by hand) is left to the preview.
 */
export interface Validation {
  /** The file as parsed, when it parses. */
  file?: AccessFile;
  /** Every problem as `FILE:LINE:COLUMN: message`; none when the file is valid. */
  problems: string[];
}

export function validateAccess(text: string, fileName: string, env: NodeJS.ProcessEnv = process.env): Validation {
  let file: AccessFile;
  try {
    file = parseAccessFile(text, fileName);
  } catch (error) {
    if (error instanceof AccessFileError) return { problems: error.problems };
    throw error;
  }
  return { file, problems: ruleProblems(text, fileName, file, env) };
}

/** The same for an access file or folder on disk (load.ts): the rules judged against every file's groups. */
export function validateAccessPath(path: string, env: NodeJS.ProcessEnv = process.env): Validation {
  try {
    const { file, parts } = readAccess(path);
    const rulesPart = parts.find((part) => part.file.rules !== undefined);
    const problems = rulesPart ? ruleProblems(readFileSync(rulesPart.fileName, "utf8"), rulesPart.fileName, file, env) : [];
    return { file, problems };
  } catch (error) {
    if (error instanceof AccessFileError) return { problems: error.problems };
    throw error;
  }
}

function ruleProblems(text: string, fileName: string, file: AccessFile, env: NodeJS.ProcessEnv): string[] {
  if (file.rules === undefined) return [];
  const facts = listedFacts(file, accessToday(file.timeZone, env));
  const lineCounter = new LineCounter();
  const rulesNode = parseDocument(text, { lineCounter, uniqueKeys: false }).get("rules", true);
  const problems: string[] = [];
  file.rules.forEach((rule, index) => {
    const { violation } = judgeRule(rule, `rule ${index + 1}`, facts, "now");
    if (violation === undefined) return;
    // The parser kept every rule (a rule with a problem fails the parse), so the index is the rule's node.
    const node: unknown = isSeq(rulesNode) ? rulesNode.items[index] : undefined;
    const { line, col } = lineCounter.linePos((isNode(node) && node.range?.[0]) || 0);
    problems.push(`${fileName}:${line}:${col}: ${violation}`);
  });
  return problems;
}

/**
 * The facts a rule is judged against, from the file alone: each group holds the people it lists whose
 * access has not ended. Without the account there are no user ids: a person is known by their address (or
 * the id they are listed by), and `userId` only has to tell people apart, so addresses get negative numbers
 * no real id has.
 */
function listedFacts(file: AccessFile, today: string): RuleFacts {
  const syntheticIds = new Map<string, number>();
  const holderOf = (member: string | number): Holder | undefined => {
    const ref = parseUserRef(member);
    if (ref === undefined) return undefined;
    if (ref.kind === "id") return { userId: ref.id, key: String(ref.id), declared: true };
    const userId = syntheticIds.get(ref.email) ?? -(syntheticIds.size + 1);
    syntheticIds.set(ref.email, userId);
    return { userId, key: ref.email, email: ref.email, declared: true };
  };
  const holdings = new Map<string, Holding>();
  for (const group of file.groups) {
    if (group.delete) continue;
    const holders = endDatesOn(group, today).members.flatMap((member) => holderOf(member) ?? []);
    holdings.set(foldName(group.name), { group: group.name, holders });
  }
  return { named: (name) => holdings.get(foldName(name)), managed: [...holdings.values()] };
}
