// Fault 7: the engine alone killed (`kill -9` of `pulumi up`, not its process group) in the middle of a
// create. Nobody is left to end the processes it started: the provider plugin must notice by itself
// (provider/runtime/engineWatch.ts), so within seconds no process of that run is left.
import { readFileSync } from "node:fs";
import { FaultProject, FaultSandbox, alive, whenGone } from "./harness";
import { buildScenario } from "./scenario";

jest.setTimeout(300_000);

/** How long the run's processes may outlive their engine: the plugin checks every 2 s. */
const WITHIN_MS = 10_000;

let box: FaultSandbox | undefined;
let project: FaultProject | undefined;
afterEach(async () => {
  await project?.dispose();
  await box?.stop();
});

it("after a kill -9 of `pulumi up` mid-run, no process of that run is left within seconds", async () => {
  box = await FaultSandbox.start({ latencyMs: 50 });
  const scenario = buildScenario(box, { groupMembers: 500, memberships: 40 });
  project = await FaultProject.open(box.sandbox.url);
  project.declare(scenario.declaration);
  const running = project;
  let engine: number | undefined;
  // The second membership POST: the provider plugin is busy creating, the engine waits on it.
  box.onPost = (n) => void (n === 2 && (engine = running.killCli()));

  const up = await project.up();
  expect(up.signal).toBe("SIGKILL");
  expect(alive([engine!])).toEqual([]);
  const killedAt = Date.now();
  // The run's processes as the engine died: the language host, the program and the provider plugin. Pulumi's
  // own language host (a Go binary, not this package's) asks its engine only every 5 minutes
  // (rpcutil.Healthcheck) and is left out; the rest must end by themselves.
  const ofTheRun = () => running.processes().filter((pid) => !commandOf(pid).includes("pulumi-language-nodejs"));
  expect(ofTheRun().length).toBeGreaterThan(0);
  const left = await whenGone(ofTheRun, killedAt + WITHIN_MS, 200);
  expect(left.map((pid) => `${pid} ${commandOf(pid)}`)).toEqual([]);
  console.log(`[orphan] the program and the provider plugin ended ${Date.now() - killedAt} ms after their engine was killed`);
  // The language host would end at its next health check; dispose() would rightly fail on it.
  for (const pid of running.processes()) process.kill(pid, "SIGKILL");
});

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "(gone)";
  }
}
