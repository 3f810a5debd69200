// Faults 1–4: "slow down" answers, bursts of 503, dropped connections and responses slower than the
// client's timeout, each under a real `pulumi up` of both resource kinds in one directory project.
import { FaultProject, FaultSandbox, type ReportRow, fmt, recordRow, upUntilConverged } from "./harness";
import { buildScenario, converged, expectCleanPreview, expectExactlyDeclared } from "./scenario";

jest.setTimeout(300_000);

/**
 * Every CLI run pays for each single membership (a resource the program registers and the engine steps
 * through), so the stack is as small as still spreads the faults over both kinds: two batch POSTs for the
 * group (197 new members) and one or more for the singles. Scripted faults (failNext) land whatever the size.
 */
const SIZES = { groupMembers: 200, memberships: 30 };

interface FaultCase {
  id: string;
  order: number;
  fault: string;
  /** Faults to set before the run (and how to arm mid-run ones). */
  arm(box: FaultSandbox): void;
  env?: Record<string, string>;
  /** Smaller than the default when the fault makes every request slow (the provider's own backoff); larger when random faults need more requests to strike. */
  sizes?: typeof SIZES;
}

const cases: FaultCase[] = [
  {
    id: "429",
    order: 1,
    fault: "429 on 50 % of requests, no Retry-After",
    arm: (box) => box.sandbox.faults.set({ rate: 0.5, kinds: ["429"] }),
    // Each 429 without Retry-After pauses every request for its own jittered exponential backoff
    // (500 ms doubling): 500 + 100 took 267 s here, 150 + 30 took 66 s, so this case runs a smaller stack.
    sizes: { groupMembers: 100, memberships: 20 },
  },
  {
    id: "429-retry-after",
    order: 2,
    fault: "429 on 50 % of requests, with Retry-After: 0 (and 1 s on 3 POSTs)",
    arm: (box) => {
      box.sandbox.faults.set({ rate: 0.5, kinds: ["429-retry-after"], retryAfterSeconds: 0 });
      box.sandbox.faults.failNext(3, "429-retry-after", { method: "POST", retryAfterSeconds: 1 });
    },
  },
  {
    id: "503-burst",
    order: 3,
    fault: "a burst of 10 × 503 from the 2nd membership POST on, plus 3 × 503 after commit",
    arm: (box) => {
      box.onPost = (n) => {
        if (n !== 2) return;
        box.sandbox.faults.failNext(3, "503-after-commit", { method: "POST" });
        // Few requests are in flight then, so one request's retries meet most of the burst, each after a
        // backoff twice as long: 20 took 50 s here, where 10 take 20 s and still fail both ups of a
        // client that does not retry a 503.
        box.sandbox.faults.failNext(10, "503");
      };
    },
  },
  {
    id: "reset",
    order: 4,
    fault: "connection reset on 20 % of requests",
    arm: (box) => box.sandbox.faults.set({ rate: 0.2, kinds: ["reset"] }),
    // Random faults strike in proportion to the requests: the smaller stack makes 12, of which 1 was reset.
    sizes: { groupMembers: 400, memberships: 60 },
  },
  {
    id: "slow",
    order: 5,
    fault: "responses slower than the 1 s client timeout (3 POSTs, 2 GETs, 1.5 s each; the POSTs commit)",
    arm: (box) => {
      box.sandbox.faults.failNext(3, "slow", { method: "POST", delayMs: 1500 });
      box.sandbox.faults.failNext(2, "slow", { method: "GET", path: "/user_group_memberships", delayMs: 1500 });
    },
    env: { KANTATA_REQUEST_TIMEOUT_SECONDS: "1" },
  },
];

/** One case from a sandbox and stack of its own to its row: converged within two ups, exactly the declaration, a clean preview. */
async function trial(c: FaultCase): Promise<ReportRow> {
  const started = Date.now();
  const box = await FaultSandbox.start();
  let project: FaultProject | undefined;
  try {
    const scenario = buildScenario(box, c.sizes ?? SIZES);
    project = await FaultProject.open(box.sandbox.url, c.env);
    project.declare(scenario.declaration);
    c.arm(box);
    const { runs } = await upUntilConverged(project, 2);
    const faulted = box.sandbox.counters.snapshot().faulted;
    box.sandbox.faults.clear();
    box.onPost = undefined;
    expectExactlyDeclared(box, scenario);
    await expectCleanPreview(project);
    // The fault really happened: otherwise this proves nothing.
    expect(faulted).toBeGreaterThan(0);
    return {
      order: c.order,
      fault: c.fault,
      ups: runs,
      outcome: `${converged(scenario)} (${fmt(faulted)} requests faulted)`,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await project?.dispose();
    await box.stop();
  }
}

/**
 * The 429 case without Retry-After spends most of its minute waiting: every 429 backs off (500 ms, doubling)
 * and cuts the rate all requests share. It starts before the others and runs beside them, on a sandbox and a
 * stack of its own, so that its waits overlap their work; the others run one after another, and its test
 * comes last and waits for it.
 */
const BESIDE = "429";
let beside: Promise<ReportRow> | undefined;
beforeAll(() => {
  beside = trial(cases.find((c) => c.id === BESIDE)!);
  beside.catch(() => undefined); // its own test reports a failure
});
afterAll(() => beside?.catch(() => undefined)); // never leave it running past the file

describe.each([...cases.filter((c) => c.id !== BESIDE), ...cases.filter((c) => c.id === BESIDE)])("fault: $fault", (c) => {
  it("converges to exactly the declaration within two `pulumi up`s, and a preview then plans nothing", async () => {
    recordRow(c.id, c.id === BESIDE ? await beside! : await trial(c));
  });
});
