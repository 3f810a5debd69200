/**
 * No job of a workflow we ship that holds a secret runs code that was not merged (issue 26,
 * docs/workflow-trust.md). The rules are test/support/workflowTrust.ts's; here they are applied to every
 * example workflow, to the workflow as it was before (which they must refuse), and rule by rule to small ones.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { workflowTrustFindings } from "../support/workflowTrust";

const ROOT = path.join(__dirname, "..", "..");
/** examples/<example>/ci/*.yml: the workflows scripts/lint-workflows.sh lints and users copy. */
const EXAMPLE_WORKFLOWS = readdirSync(path.join(ROOT, "examples"), { recursive: true, encoding: "utf8" })
  .filter((file) => /(^|\/)ci\/[^/]+\.yml$/.test(file))
  .map((file) => path.join("examples", file))
  .sort();
const findings = (file: string) => workflowTrustFindings(readFileSync(path.join(ROOT, file), "utf8"), file);

describe("the example workflows", () => {
  it("include the access-as-code workflow", () => {
    expect(EXAMPLE_WORKFLOWS).toContain("examples/access-as-code/ci/kantata-access.yml");
  });

  it.each(EXAMPLE_WORKFLOWS)("%s: no job that holds a secret runs code that was not merged", (file) => {
    expect(findings(file)).toEqual([]);
  });

  it("the access-as-code workflow before issue 26 is refused: the preview ran the pull request's code, installs ran scripts, the report ran on any branch", () => {
    const file = "test/unit/fixtures/kantata-access.before-issue-26.yml";
    expect(findings(file)).toEqual([
      `${file}:37: job "preview", step 1: checks out the pull request merged (no ref:) on a pull request while holding a secret; check out ref: \${{ github.event.pull_request.base.sha }} and take access.yaml alone from the pull request`,
      `${file}:41: job "preview", step 4: \`npm ci\` runs the packages' install scripts while holding a secret; add --ignore-scripts`,
      `${file}:62: job "apply", step 4: \`npm ci\` runs the packages' install scripts while holding a secret; add --ignore-scripts`,
      `${file}:73: job "report": holds a secret and runs on workflow_dispatch from any branch, so with that branch's code; start its if: with github.ref == 'refs/heads/main' &&`,
      `${file}:83: job "report", step 4: \`npm ci\` runs the packages' install scripts while holding a secret; add --ignore-scripts`,
    ]);
  });
});

const TOKEN = "${{ secrets.KANTATA_API_TOKEN }}";
const BASE = { uses: "actions/checkout@v4", with: { ref: "${{ github.event.pull_request.base.sha }}" } };
const PREVIEW = "pulumi preview --stack prod";

/** The findings for a one-job workflow (job "j") on `on`, without their FILE:LINE: job "j" prefix. */
function judge(on: unknown, job: Record<string, unknown>, workflow: Record<string, unknown> = {}): string[] {
  const source = stringify({ on, ...workflow, jobs: { j: { "runs-on": "ubuntu-latest", ...job } } });
  return workflowTrustFindings(source, "w.yml").map((finding) => finding.replace(/^w\.yml:\d+: job "j"(, |: )?/, ""));
}

describe("the rules, one at a time", () => {
  it("a job without a secret is not judged, whatever it runs", () => {
    expect(judge({ pull_request: {} }, { steps: [{ uses: "actions/checkout@v4" }, { run: "npm ci" }] })).toEqual([]);
  });

  it("a secret is held through the job's env, a step's env, a with: input, a run: script or the workflow's env", () => {
    const checkout = { uses: "actions/checkout@v4" };
    const refused = ["step 1: checks out the pull request merged (no ref:) on a pull request while holding a secret"];
    const heldBy: Array<[Record<string, unknown>, Record<string, unknown>?]> = [
      [{ env: { KANTATA_API_TOKEN: TOKEN }, steps: [checkout] }],
      [{ steps: [checkout, { run: PREVIEW, env: { KANTATA_API_TOKEN: TOKEN } }] }],
      [{ steps: [checkout, { uses: "some/action@v1", with: { token: TOKEN } }] }],
      [{ steps: [checkout, { run: "echo \"${{ secrets['PULUMI_ACCESS_TOKEN'] }}\"" }] }],
      [{ steps: [checkout] }, { env: { KANTATA_API_TOKEN: TOKEN } }],
    ];
    for (const [job, workflow] of heldBy) {
      expect(judge({ pull_request: {} }, job, workflow).map((finding) => finding.replace(/;.*/, ""))).toEqual(refused);
    }
  });

  it("rule 1: pull_request_target, workflow_run and reusable workflows with secrets are refused", () => {
    expect(judge({ pull_request_target: {} }, { if: "github.ref == 'refs/heads/main'", env: { T: TOKEN }, steps: [] })).toEqual([
      "holds a secret in a workflow triggered by pull_request_target, which runs for pull requests' code; use pull_request",
    ]);
    expect(judge({ workflow_run: {} }, { if: "github.ref == 'refs/heads/main'", env: { T: TOKEN }, steps: [] })).toEqual([
      "holds a secret in a workflow triggered by workflow_run, which runs for pull requests' code; use pull_request",
    ]);
    expect(judge({ push: { branches: ["main"] } }, { uses: "./.github/workflows/apply.yml", secrets: "inherit" })).toEqual([
      "passes a secret to the reusable workflow ./.github/workflows/apply.yml, whose jobs are not judged here; run its steps in this workflow",
    ]);
  });

  it("rule 2: on a pull request, only the base commit is checked out", () => {
    const job = (checkout: Record<string, unknown>) => ({ env: { T: TOKEN }, steps: [checkout, { run: PREVIEW }] });
    expect(judge({ pull_request: {} }, job(BASE))).toEqual([]);
    for (const ref of ["${{ github.event.pull_request.head.sha }}", "${{ github.head_ref }}", "${{ github.sha }}"]) {
      expect(judge({ pull_request: {} }, job({ uses: "actions/checkout@v4", with: { ref } }))).toEqual([
        `step 1: checks out ${ref} on a pull request while holding a secret; check out ref: \${{ github.event.pull_request.base.sha }} and take access.yaml alone from the pull request`,
      ]);
    }
    // A condition this module does not read narrows nothing: the job is still taken to run on pull requests.
    expect(judge({ pull_request: {}, push: { branches: ["main"] } }, { ...job({ uses: "actions/checkout@v4" }), if: "always()" })).toHaveLength(
      1,
    );
    // A job that cannot run on a pull request may check out the commit that started it.
    expect(
      judge({ pull_request: {}, push: { branches: ["main"] } }, { ...job({ uses: "actions/checkout@v4" }), if: "github.event_name == 'push'" }),
    ).toEqual([]);
  });

  it("rule 3: a job that can run on another branch's code must be guarded to main, and its checkout take no ref", () => {
    const job = { env: { T: TOKEN }, steps: [{ uses: "actions/checkout@v4" }] };
    const main = "github.ref == 'refs/heads/main'";
    expect(judge({ workflow_dispatch: {} }, job)).toEqual([
      "holds a secret and runs on workflow_dispatch from any branch, so with that branch's code; start its if: with github.ref == 'refs/heads/main' &&",
    ]);
    expect(judge({ push: { branches: ["main", "release/*"] } }, job)).toHaveLength(1);
    expect(judge({ workflow_dispatch: {} }, { ...job, if: `inputs.go == 'yes' || ${main}` })).toHaveLength(1);
    expect(judge({ workflow_dispatch: {} }, { ...job, if: `${main} && inputs.go == 'yes'` })).toEqual([]);
    expect(judge({ schedule: [{ cron: "17 5 * * *" }], push: { branches: ["main"] } }, job)).toEqual([]);
    expect(
      judge({ workflow_dispatch: {} }, { ...job, if: main, steps: [{ uses: "actions/checkout@v4", with: { ref: "${{ inputs.ref }}" } }] }),
    ).toEqual(["step 1: checks out ${{ inputs.ref }} while holding a secret; leave out ref: so it is the commit on main that started the run"]);
  });

  it("rule 4: only access.yaml (or access/) is taken from another commit", () => {
    const judgeRun = (run: string) => judge({ pull_request: {} }, { env: { T: TOKEN }, steps: [BASE, { run }] });
    expect(judgeRun('git fetch --depth=1 origin "$MERGE"\ngit checkout "$MERGE" -- access.yaml access/teams.yaml')).toEqual([]);
    for (const run of [
      'git checkout "$MERGE" -- access.yaml index.ts',
      'git checkout "$MERGE"',
      "git fetch origin && git switch pr",
      "git merge FETCH_HEAD",
      "git restore --source FETCH_HEAD -- package.json",
      "gh pr checkout 12",
    ]) {
      expect(judgeRun(run)).toEqual([
        expect.stringMatching(/^step 2: `(git|gh) .*` (may bring code from another commit|switches to the pull request's code)/),
      ]);
    }
  });

  it("rule 5: installs skip the packages' scripts", () => {
    const judgeRun = (run: string) => judge({ push: { branches: ["main"] } }, { env: { T: TOKEN }, steps: [{ run }] });
    expect(judgeRun("npm ci --ignore-scripts && npx kantata-access review preview.json")).toEqual([]);
    for (const install of ["npm ci", "npm install", "npm i pulumi-kantata", "pnpm install --frozen-lockfile", "yarn", "yarn install"]) {
      expect(judgeRun(`set -e; ${install}`)).toEqual([
        `step 1: \`${install}\` runs the packages' install scripts while holding a secret; add --ignore-scripts`,
      ]);
    }
  });
});
