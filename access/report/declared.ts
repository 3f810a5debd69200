import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { AccessFile } from "../accessFile";
import { normalizeEmail } from "../../provider/identity/references";
import type { DeclaredMember, DeclaredView } from "./model";

/**
 * The declared view from a parsed `access.yaml`: per group its mode and people, each with the last day
 * of their access and why they have it (`{ email, until, reason }`), and the time zone those days are in.
 */
export function declaredView(file: AccessFile, path: string, provenance: FileProvenance = {}): DeclaredView {
  return {
    file: path,
    ...provenance,
    ...(file.timeZone !== undefined && { timeZone: file.timeZone }),
    groups: file.groups.map((group) => ({
      name: group.name,
      mode: group.mode,
      members: group.members.map((person): DeclaredMember => {
        const end = typeof person === "string" ? group.endDates?.[normalizeEmail(person)] : undefined;
        return { person, ...(end && { until: end.until }), ...(end?.reason !== undefined && { reason: end.reason }) };
      }),
    })),
  };
}

export interface FileProvenance {
  /** The commit that last changed the file. */
  commit?: string;
  /** The file differs from that commit. */
  modified?: boolean;
}

/**
 * Which commit the file is at: `git log -1 --format=%H -- FILE`, run in the file's directory, and
 * whether it has uncommitted changes (`git status --porcelain -- FILE`). Empty when the file is not in
 * a git work tree, git is missing, or the file was never committed: the header then names no commit.
 */
export function fileProvenance(path: string): FileProvenance {
  const cwd = dirname(path);
  const git = (...args: string[]): string | undefined => {
    try {
      return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
    } catch {
      return undefined;
    }
  };
  if (git("rev-parse", "--is-inside-work-tree") !== "true") return {};
  const commit = git("log", "-1", "--format=%H", "--", basename(path));
  if (commit === undefined || !/^[0-9a-f]{40,64}$/.test(commit)) return {};
  const status = git("status", "--porcelain", "--", basename(path));
  return { commit, modified: status !== undefined && status !== "" };
}

/** This package's name and version, from its own package.json (found upwards from here, in the sources or in dist/). */
export function toolVersion(): { name: string; version: string } {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const parsed: unknown = JSON.parse(readFileSync(candidate, "utf8"));
      if (isPackage(parsed) && parsed.name === "pulumi-kantata") return { name: parsed.name, version: parsed.version };
    }
    if (dirname(dir) === dir) return { name: "pulumi-kantata", version: "unknown" };
  }
}

const isPackage = (value: unknown): value is { name: string; version: string } =>
  typeof value === "object" &&
  value !== null &&
  "name" in value &&
  "version" in value &&
  typeof value.name === "string" &&
  typeof value.version === "string";
