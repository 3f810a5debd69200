/**
 * A private copy of the built package (the repository's dist/, which Jest's "dist" project and
 * `npm run build` make) installed into a work directory's node_modules: what the dynamic-provider plugin
 * loads by `require("pulumi-kantata/dynamic")` for an inline stack or a JavaScript directory program. A
 * copy, never a link: a test may edit it (an "upgrade" of the installed package) without touching dist/.
 */
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./paths";

export function installBuiltPackage(dir: string): void {
  if (path.relative(REPO_ROOT, dir).startsWith("..")) {
    // The copy's own dependencies (axios, yaml, …) resolve by walking up to the repository's node_modules.
    throw new Error(`${dir} is outside the repository: a built copy of the package only works below ${REPO_ROOT}.`);
  }
  const dist = path.join(REPO_ROOT, "dist");
  if (!existsSync(path.join(dist, "provider", "router.js"))) {
    throw new Error(`${dist} holds no build. Run \`npm run build\` (Jest's "dist" project builds it before its suites).`);
  }
  const modules = path.join(dir, "node_modules");
  const copy = path.join(modules, "pulumi-kantata");
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  cpSync(path.join(REPO_ROOT, "package.json"), path.join(copy, "package.json"));
  cpSync(dist, path.join(copy, "dist"), { recursive: true });
  // The program, the copy and the plugin all load the repository's one @pulumi/pulumi.
  if (!existsSync(path.join(modules, "@pulumi"))) symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(modules, "@pulumi"));
}
