import { mkdirSync, mkdtempSync } from "node:fs";
import path from "node:path";

/** The repository root (this file lives in scripts/lib/pulumi). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * Git-ignored scratch space inside the repository for stacks and programs that use a copy of the built
 * package: inside the repo, so the copy's own dependencies (axios, yaml, …) resolve from the repo's
 * node_modules by walking up.
 */
export const WORK_ROOT = path.join(REPO_ROOT, ".e2e-work");

/** A new, empty directory under WORK_ROOT, e.g. `.e2e-work/stack-Ab12Cd`. */
export function newWorkDir(prefix: string): string {
  mkdirSync(WORK_ROOT, { recursive: true });
  return mkdtempSync(path.join(WORK_ROOT, `${prefix}-`));
}
