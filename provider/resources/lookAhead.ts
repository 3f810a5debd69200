import type * as pulumi from "@pulumi/pulumi";

/** Addresses one look-up GET carries (the API's filter limit): one resource in this many carries the next ones. */
export const LOOK_AHEAD_CHUNK = 200;

/** The single memberships a program constructs in one turn of the event loop. */
interface Batch {
  addresses: string[];
  /** Settles on the next turn, when the program has constructed them all: the carriers' inputs settle then. */
  closed: Promise<void>;
  /** One turn later, when the carriers are registered: every other input of the batch settles then. */
  carried: Promise<void>;
}

let open: Batch | undefined;

function currentBatch(): Batch {
  if (open === undefined) {
    const closed = new Promise<void>((resolve) => setImmediate(resolve));
    const carried = closed.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    const batch: Batch = { addresses: [], closed, carried };
    void batch.closed.then(() => {
      if (open === batch) open = undefined;
    });
    open = batch;
  }
  return open;
}

/**
 * A single membership's person, and the look-ahead that lets the provider resolve the addresses of a
 * program's single memberships at 200 a GET. The engine calls `check` for one resource at a time, so the
 * provider never sees two of them at once; the program does. The memberships constructed in one turn of
 * the event loop form a batch; every 200th address of it (the chunk's first resource) also passes the
 * hidden `__lookAhead`: the next 200 plain addresses of the batch, itself included. One GET then answers
 * the whole chunk, and the payload stays one copy of each address (a chunk per carrier, not the whole
 * list on every resource). So that the engine checks a carrier before the resources its chunk covers,
 * every plain `user` of the batch settles when the batch closes, in construction order. A `user` that is
 * an Output is left as it is and out of the look-ahead (its own check looks it up). `check` strips the
 * hint: it never reaches state or a diff.
 */
export function lookAheadInputs(user: pulumi.Input<string | number>): { user: pulumi.Input<string | number>; __lookAhead?: Promise<string[]> } {
  if (typeof user !== "string" && typeof user !== "number") return { user };
  const batch = currentBatch();
  const later = { user: batch.carried.then(() => user) };
  if (typeof user === "number" || !user.includes("@")) return later;
  const at = batch.addresses.push(user) - 1;
  if (at % LOOK_AHEAD_CHUNK !== 0) return later;
  return { user: batch.closed.then(() => user), __lookAhead: batch.closed.then(() => batch.addresses.slice(at, at + LOOK_AHEAD_CHUNK)) };
}
