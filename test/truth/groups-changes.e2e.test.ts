/**
 * The difference suite for WorkspaceGroupMembers (see harness.ts), changes to a group already managed: the
 * people `kantata-access review` names as gaining and losing access are exactly those whose access
 * `pulumi up` then changes. The scenarios run in two batches (batch.ts), one without `--refresh` and one
 * with it, each on groups of its own. (A file of its own so that Jest's workers share the suite's time.)
 */
import { describeBatch } from "./batch";
import { financeGroup, P } from "./harness";

jest.setTimeout(300_000);

const authoritative = { mode: "authoritative" } as const;

describeBatch("changing a managed group", {
  "additive: one added, one removed": {
    start: financeGroup([P.ada, P.alan, P.grace]),
    change: financeGroup([P.ada, P.grace, P.donald]),
    expect: (outcome) => expect(outcome.named).toEqual({ gains: [`Finance: ${P.donald}`], losses: [`Finance: ${P.alan}`], unchanged: [] }),
  },
  "authoritative: a member added by hand since the last up is removed with the next change, and named (no refresh)": {
    start: financeGroup([P.ada, P.alan], authoritative),
    then: (s) => s.addByHand("Finance", [P.ken]),
    change: financeGroup([P.ada, P.donald], authoritative),
    expect: (outcome) => expect(outcome.named.losses).toEqual([`Finance: ${P.alan}`, `Finance: ${P.ken}`]),
  },
  "additive: declaring someone who was added by hand meanwhile shows them unchanged, not as gaining access": {
    start: financeGroup([P.ada]),
    then: (s) => s.addByHand("Finance", [P.grace]),
    change: financeGroup([P.ada, P.grace]),
    expect: (outcome) => expect(outcome.named).toEqual({ gains: [], losses: [], unchanged: [`Finance: ${P.grace}`] }),
  },
  "a member removed by hand comes back with the next change, and the review says they gain access": {
    start: financeGroup([P.ada, P.alan]),
    then: (s) => s.removeByHand("Finance", [P.alan]),
    change: financeGroup([P.ada, P.alan, P.grace]),
    expect: (outcome) => expect(outcome.named.gains).toEqual([`Finance: ${P.alan}`, `Finance: ${P.grace}`]),
  },
  "an empty authoritative declaration removes everyone, within maxRemovals": {
    start: financeGroup([P.ada, P.alan, P.grace], authoritative),
    change: financeGroup([], authoritative),
    expect: (outcome) => expect(outcome.named.losses).toHaveLength(3),
  },
  "nothing changed: the review names nobody, and up does nothing": {
    start: financeGroup([P.ada, P.alan], authoritative),
    change: financeGroup([P.alan, P.ada], authoritative),
    expect: (outcome) => expect(outcome.review.groups).toEqual([]),
  },
});

describeBatch(
  "changing a managed group, with --refresh",
  {
    "authoritative: drift found by the refresh is named and removed": {
      start: financeGroup([P.ada, P.alan], authoritative),
      then: (s) => s.addByHand("Finance", [P.ken, P.tony]),
      change: financeGroup([P.ada, P.alan, P.donald], authoritative),
      expect: (outcome) => expect(outcome.named.losses).toEqual([`Finance: ${P.ken}`, `Finance: ${P.tony}`]),
    },
    "authoritative, unchanged declaration: a refresh's drift alone is a change, named and removed": {
      start: financeGroup([P.ada], authoritative),
      then: (s) => s.addByHand("Finance", [P.leslie]),
      change: financeGroup([P.ada], authoritative),
      expect: (outcome) => expect(outcome.named.losses).toEqual([`Finance: ${P.leslie}`]),
    },
  },
  { flags: ["--refresh"] },
);
