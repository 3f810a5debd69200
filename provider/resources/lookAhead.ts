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
  /** The batch's first carrier, once constructed: the resources after it are registered once it is. */
  firstCarrier?: pulumi.Resource;
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

/** A single membership's part in its batch (see singleLookAhead). */
export interface SingleLookAhead {
  inputs: { user: pulumi.Input<string | number>; __lookAhead?: Promise<string[]> };
  /** The resource's options: after the batch's first carrier, unless the program says what it depends on. */
  options: pulumi.CustomResourceOptions | undefined;
  /** Call once the resource is constructed: a batch's first carrier is what the resources after it wait for. */
  constructed(resource: pulumi.Resource): void;
}

/**
 * A single membership's person, and the look-ahead that lets the provider resolve the addresses of a
 * program's single memberships at 200 a GET. The engine calls `check` for one resource at a time, so the
 * provider never sees two of them at once; the program does. The memberships constructed in one turn of
 * the event loop form a batch; every 200th address of it (the chunk's first resource, its carrier) also
 * passes the hidden `__lookAhead`: the next 200 plain addresses of the batch, itself included. One GET then
 * answers the whole chunk, and the payload stays one copy of each address (a chunk per carrier, not the
 * whole list on every resource). The engine must check a carrier before the resources its chunk covers:
 * every other plain `user` of the batch settles a turn after the carriers', and the resources after the
 * batch's first carrier depend on it (`dependsOn`), because while the engine loads the provider it
 * releases the registrations waiting for it in no set order; once the first carrier is registered (checked
 * in a preview, created in an update) the provider is loaded, and the other carriers are ahead in the
 * engine's queue. A `user` that is an Output is left as it is and out of the look-ahead (its own check
 * looks it up). `check` strips the hint: it never reaches state or a diff.
 */
export function singleLookAhead(user: pulumi.Input<string | number>, opts: pulumi.CustomResourceOptions | undefined): SingleLookAhead {
  const unchanged = { inputs: { user }, options: opts, constructed: () => undefined };
  if (typeof user !== "string" && typeof user !== "number") return unchanged;
  const batch = currentBatch();
  const first = batch.firstCarrier;
  const options = first === undefined || opts?.dependsOn !== undefined ? opts : { ...opts, dependsOn: first };
  const later = { inputs: { user: batch.carried.then(() => user) }, options, constructed: () => undefined };
  if (typeof user === "number" || !user.includes("@")) return later;
  const at = batch.addresses.push(user) - 1;
  if (at % LOOK_AHEAD_CHUNK !== 0) return later;
  return {
    inputs: { user: batch.closed.then(() => user), __lookAhead: batch.closed.then(() => batch.addresses.slice(at, at + LOOK_AHEAD_CHUNK)) },
    options: opts,
    constructed: (resource) => {
      batch.firstCarrier ??= resource;
    },
  };
}
