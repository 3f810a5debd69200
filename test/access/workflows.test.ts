import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parsePreviewJson } from "../../access/previewJson";
import { reviewJson } from "../../access/render";
import { reviewPreview } from "../../access/review";

/**
 * The example's drift watch and request flow (examples/access-as-code/ci/): what actionlint cannot see.
 * No job that can read KANTATA_API_TOKEN runs on a pull request (code nobody reviewed yet), every install
 * where the token is present skips install scripts, permissions are granted per job; and the drift check's
 * jq filter counts drift in the review JSON the command really prints.
 */
const CI = join(__dirname, "..", "..", "examples", "access-as-code", "ci");
const FILES = ["kantata-access-drift.yml", "kantata-access-request.yml"];

interface Step {
  run?: string;
}
interface Job {
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(readFileSync(join(CI, file), "utf8")) as Workflow;
const text = (file: string) => readFileSync(join(CI, file), "utf8");

describe.each(FILES)("%s", (file) => {
  it("runs on no pull request, grants nothing at the top, and installs without scripts where the token is", () => {
    const w = workflow(file);
    expect(Object.keys(w.on).filter((trigger) => trigger.startsWith("pull_request"))).toEqual([]);
    expect(w.permissions).toEqual({});
    expect(w.env).toBeUndefined();
    for (const job of Object.values(w.jobs)) {
      const token = JSON.stringify(job).includes("secrets.KANTATA_API_TOKEN");
      for (const step of job.steps) if (token && step.run?.includes("npm ci")) expect(step.run).toContain("--ignore-scripts");
    }
  });
});

it("the request flow never sees the Kantata token: grant is offline", () => {
  expect(text("kantata-access-request.yml")).not.toContain("KANTATA_API_TOKEN");
  expect(Object.keys(workflow("kantata-access-request.yml").on)).toEqual(["workflow_dispatch"]);
});

it("the drift check's jq filter counts the groups whose access would change", () => {
  const filter = /jq '([^']+)' review\.json/.exec(text("kantata-access-drift.yml"))?.[1];
  expect(filter).toBeDefined();
  const fixture = readFileSync(join(__dirname, "fixtures", "preview-takeover-update-replace.json"), "utf8");
  const review = reviewJson(reviewPreview(parsePreviewJson(fixture, "fixture")));
  const count = (json: unknown) => execFileSync("jq", [filter!], { input: JSON.stringify(json), encoding: "utf8" }).trim();
  const drifting = review.groups.filter((g) => g.counts.gains + g.counts.losses > 0 || g.groupChange !== undefined).length;
  expect(drifting).toBeGreaterThan(0);
  expect(count(review)).toBe(String(drifting));
  expect(
    count({ ...review, groups: review.groups.map((g) => ({ ...g, groupChange: undefined, counts: { ...g.counts, gains: 0, losses: 0 } })) }),
  ).toBe("0");
});
