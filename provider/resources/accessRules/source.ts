import { isBag } from "../../runtime/decode";

/**
 * Where an access file wrote what an AccessRules resource judges: declareAccess passes it as the hidden
 * `__source`, so every problem the rules' check reports starts with FILE:LINE. A program's own
 * AccessRules has none, and its messages name the resource and the property instead.
 */
export interface RuleSource {
  /** The file as the program named it. */
  file: string;
  /** The line of each rule, in order. */
  rules: number[];
  /** Per members' resource, by its name in the program: the group's name as written, its line, and each declared person's line (by key). */
  groups: Record<string, GroupSource>;
}

export interface GroupSource {
  name: string;
  line: number;
  /** Declared people's lines, keyed as state keys them: the normalised address, or the id as a decimal string. */
  members: Record<string, number>;
}

const line = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value > 0;
const lines = (value: unknown): value is Record<string, number> => isBag(value) && Object.values(value).every(line);

/** The source as the program passed it; undefined when there is none or it is not one (messages then go without lines). */
export function decodeSource(value: unknown): RuleSource | undefined {
  if (!isBag(value) || typeof value.file !== "string" || !Array.isArray(value.rules) || !value.rules.every(line) || !isBag(value.groups))
    return undefined;
  const groups: Record<string, GroupSource> = {};
  for (const [name, group] of Object.entries(value.groups)) {
    if (!isBag(group) || typeof group.name !== "string" || !line(group.line) || !lines(group.members)) return undefined;
    groups[name] = { name: group.name, line: group.line, members: group.members };
  }
  return { file: value.file, rules: value.rules, groups };
}
