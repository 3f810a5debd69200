import { relative, sep } from "node:path";
import type { AccessPart } from "./load";

/**
 * CODEOWNERS lines from the groups' `owners:`, so that a pull request changing a group's file asks that
 * group's owners for review. GitHub matches CODEOWNERS per file, so each file of an access folder gets one
 * line: its path (from the repository root) and the owners of every group it defines. Files whose groups
 * name no owners get no line (whatever the rest of CODEOWNERS says applies). The lines live in a marked
 * section, appended at the end of an existing CODEOWNERS (the last matching line wins there) and rewritten
 * in place after that; everything else in the file is left as it is.
 */
export const SECTION_BEGIN = "# BEGIN kantata-access codeowners: generated from the access file's owners; do not edit by hand";
export const SECTION_END = "# END kantata-access codeowners";

/** A CODEOWNERS path: rooted at the repository, `/` separated, spaces escaped. */
const pattern = (root: string, file: string) => `/${relative(root, file).split(sep).join("/").replace(/ /g, "\\ ")}`;

export function codeownersLines(parts: readonly AccessPart[], root: string): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    const owners: string[] = [];
    for (const group of part.file.groups)
      for (const owner of group.owners ?? []) if (!owners.some((o) => o.toLowerCase() === owner.toLowerCase())) owners.push(owner);
    if (owners.length > 0) lines.push(`${pattern(root, part.fileName)} ${owners.join(" ")}`);
  }
  return lines;
}

/** `existing` (or nothing) with the section replaced, or appended when it has none. */
export function withSection(existing: string | undefined, lines: readonly string[]): string {
  const section = [SECTION_BEGIN, ...lines, SECTION_END].join("\n");
  if (existing === undefined || existing.trim() === "") return `${section}\n`;
  const begin = existing.indexOf(SECTION_BEGIN);
  const end = existing.indexOf(SECTION_END, begin);
  if (begin >= 0 && end >= 0) return existing.slice(0, begin) + section + existing.slice(end + SECTION_END.length);
  return `${existing}${existing.endsWith("\n") ? "" : "\n"}\n${section}\n`;
}
