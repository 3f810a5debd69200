import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * `pulumi-kantata/access` and the `kantata-access` command parse, review and export without the Pulumi
 * SDK: a CI job that only reviews a preview should not load (or need) it.
 */
const ROOT = path.join(__dirname, "..", "..");
const sdkModulesLoadedBy = (entry: string): string[] =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        require.resolve("tsx/cli", { paths: [ROOT] }),
        "-e",
        `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache).filter((file) => file.includes("@pulumi/pulumi"))))`,
      ],
      { cwd: ROOT, encoding: "utf8" },
    ),
  ) as string[];

it("pulumi-kantata/access and the kantata-access command load no module of @pulumi/pulumi", () => {
  expect(sdkModulesLoadedBy("./access")).toEqual([]);
  expect(sdkModulesLoadedBy("./cli/kantataAccess")).toEqual([]);
  // The control: the package's main entry does load it (it declares resources).
  expect(sdkModulesLoadedBy("./provider").length).toBeGreaterThan(0);
});
