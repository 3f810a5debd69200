import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type AccessFile, AccessFileError, type FragmentIndex, parseAccessFragment } from "./accessFile";

/**
 * An access file is one YAML file, or a folder of them: `access/` holding one `*.yaml` per group or team
 * (so GitHub's CODEOWNERS, which works per file, can ask each group's owners) and optionally one file with
 * `rules:` and `timeZone:`. The folder means the same as one file holding all of it: each group is defined
 * in one file only, the rules and the time zone in one file only, and a rename's former name is checked
 * against every file. Every problem of every file is reported at once, with FILE:LINE:COLUMN.
 */

/** One file of a folder: its name, what it holds, and where. */
export interface AccessPart {
  fileName: string;
  file: AccessFile;
  index: FragmentIndex;
}

export interface AccessFolder {
  /** All of it, as one access file. */
  file: AccessFile;
  /** The files, in name order. */
  parts: AccessPart[];
}

/** `access.yaml`, or a folder of access files (see above). */
export function loadAccessFile(path: string): AccessFile {
  return statSync(path).isDirectory() ? readAccessFolder(path).file : readAccessPart(path, false).file;
}

/** The access file at `path`, file or folder, with the file each group comes from. */
export function readAccess(path: string): AccessFolder {
  if (!statSync(path).isDirectory()) {
    const part = readAccessPart(path, false);
    return { file: part.file, parts: [part] };
  }
  return readAccessFolder(path);
}

const isAccessFileName = (name: string) => /\.ya?ml$/.test(name) && !name.startsWith(".");

export function readAccessFolder(dir: string): AccessFolder {
  const names = readdirSync(dir).filter(isAccessFileName).sort();
  if (names.length === 0) throw new AccessFileError([`${dir}: the folder holds no *.yaml file; put one file per group or team in it`]);
  const problems: string[] = [];
  const parts: AccessPart[] = [];
  for (const name of names) {
    const fileName = join(dir, name);
    try {
      parts.push(readAccessPart(fileName, true));
    } catch (error) {
      if (!(error instanceof AccessFileError)) throw error;
      problems.push(...error.problems);
    }
  }
  problems.push(...acrossFiles(parts));
  if (problems.length > 0) throw new AccessFileError(problems);
  const rules = parts.find((p) => p.file.rules !== undefined)?.file.rules;
  const timeZone = parts.find((p) => p.file.timeZone !== undefined)?.file.timeZone;
  const file: AccessFile = {
    groups: parts.flatMap((p) => p.file.groups),
    ...(rules !== undefined && { rules }),
    ...(timeZone !== undefined && { timeZone }),
  };
  return { file, parts };
}

function readAccessPart(fileName: string, part: boolean): AccessPart {
  const { file, index } = parseAccessFragment(readFileSync(fileName, "utf8"), fileName, { part });
  return { fileName, file, index };
}

/** What no one file can see: a group, the rules or the time zone in two files; a former name another file still lists. */
function acrossFiles(parts: readonly AccessPart[]): string[] {
  const problems: string[] = [];
  const groups = new Map<string, { name: string; at: string; fileName: string }>();
  const settings = new Map<string, string>();
  for (const { fileName, index } of parts) {
    for (const [folded, group] of index.groups) {
      const first = groups.get(folded);
      if (first) problems.push(`${group.at}: group "${group.name}" is also defined in ${first.at}; define each group in one file`);
      else groups.set(folded, { ...group, fileName });
    }
    for (const [key, at] of Object.entries(index.settings)) {
      const first = settings.get(key);
      if (first) problems.push(`${at}: ${key} is also set in ${first}; keep ${key} in one file`);
      else settings.set(key, at);
    }
  }
  // Within one file the parser checks renames itself; here, against the other files.
  const claimed = new Map<string, { at: string; fileName: string }>();
  for (const { fileName, index } of parts)
    for (const rename of index.renames) {
      const holder = groups.get(rename.former);
      if (holder && holder.fileName !== fileName)
        problems.push(`${rename.at}: group "${rename.group}": renamedFrom names a group still defined in ${holder.at}; a group has one name`);
      const twin = claimed.get(rename.former);
      if (twin === undefined) claimed.set(rename.former, { at: rename.at, fileName });
      else if (twin.fileName !== fileName)
        problems.push(`${rename.at}: group "${rename.group}": renamedFrom is claimed by another group too (${twin.at})`);
    }
  return problems;
}
