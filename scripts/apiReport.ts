/**
 * The package's public API, one report per entry point of package.json's `exports` (`api/<entry>.api.md`, made
 * by @microsoft/api-extractor from the built declarations).
 *   npm run api:check    fails when an entry's API differs from its checked-in report (CI runs it)
 *   npm run api:update   rewrites the reports; commit them with the change (CONTRIBUTING.md says when a
 *                        change is breaking)
 * The declarations are built into .cache/api/ (inside the repository, so @pulumi/pulumi, axios and yaml resolve
 * from its node_modules), never into dist/, which engine tests may be copying.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { Extractor, ExtractorConfig, ExtractorLogLevel, type IConfigFile } from "@microsoft/api-extractor";

const ROOT = path.resolve(__dirname, "..");
const WORK = path.join(ROOT, ".cache", "api");
const REPORTS = path.join(ROOT, "api");

interface Manifest {
  exports: Record<string, string | { types?: string }>;
}

/** Each entry with declarations, e.g. "./access" → { report: "pulumi-kantata-access", types: "dist/access/index.d.ts" }. */
function entries(): Array<{ entry: string; report: string; types: string }> {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;
  return Object.entries(manifest.exports).flatMap(([entry, target]) => {
    if (typeof target === "string" || target.types === undefined) return [];
    const report = [
      "pulumi-kantata",
      ...entry
        .replace(/^\.\/?/, "")
        .split("/")
        .filter(Boolean),
    ].join("-");
    return [{ entry, report, types: path.relative("dist", target.types) }];
  });
}

function buildDeclarations(): void {
  rmSync(WORK, { recursive: true, force: true });
  const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--emitDeclarationOnly", "--outDir", path.join(WORK, "dist")], {
    cwd: ROOT,
    stdio: "inherit",
  });
}

function configFor(report: string, declarations: string): IConfigFile {
  return {
    projectFolder: ROOT,
    mainEntryPointFilePath: declarations,
    compiler: { overrideTsconfig: { compilerOptions: { types: ["node"], skipLibCheck: true, esModuleInterop: true }, files: [declarations] } },
    newlineKind: "lf",
    // Types reachable from an entry but not exported by it (e.g. a resource's argument types) are its API too.
    apiReport: {
      enabled: true,
      reportFileName: report,
      reportFolder: REPORTS,
      reportTempFolder: path.join(WORK, "temp"),
      includeForgottenExports: true,
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      // The package has no release tags (@public, @beta) and its comments are prose, not TSDoc.
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning },
        "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
        "ae-forgotten-export": { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
        "ae-undocumented": { logLevel: ExtractorLogLevel.None },
        "ae-unresolved-link": { logLevel: ExtractorLogLevel.None },
      },
    },
  };
}

function main(): void {
  const update = process.argv.includes("--update");
  buildDeclarations();
  mkdirSync(REPORTS, { recursive: true });
  const changed: string[] = [];
  for (const { entry, report, types } of entries()) {
    const config = ExtractorConfig.prepare({
      configObject: configFor(report, path.join(WORK, "dist", types)),
      configObjectFullPath: undefined,
      packageJsonFullPath: path.join(ROOT, "package.json"),
    });
    const result = Extractor.invoke(config, { localBuild: update });
    if (result.errorCount > 0) throw new Error(`api-extractor found ${result.errorCount} error(s) in ${entry}`);
    if (result.apiReportChanged) changed.push(`${entry} (api/${report}.api.md)`);
  }
  if (changed.length === 0) return console.log("The public API matches api/*.api.md.");
  if (update) return console.log(`Updated: ${changed.join(", ")}. Commit them with the change; see CONTRIBUTING.md "The public API".`);
  console.error(
    `The public API changed: ${changed.join(", ")}. Run \`npm run api:update\` and commit the reports with the change; ` +
      'an incompatible change also needs a "Breaking" entry in CHANGELOG.md saying how to migrate (CONTRIBUTING.md, "The public API").',
  );
  process.exitCode = 1;
}

main();
