import type { NewMembership, Store } from "../../sandbox";

/**
 * Grows a sandbox store to `memberships` memberships with synthetic groups ("Synthetic 000"…) and
 * people ("sandbox.user.<id>@example.com"), deterministically: the same store and target give the
 * same account. Group sizes cycle through a long tail (2,000 down to 10 members), as real accounts have.
 */
export const SIZES = [2000, 1200, 800, 500, 300, 150, 80, 40, 20, 10];

export function growAccount(store: Store, memberships: number, users = 15_000): void {
  const people = store.ensureUsers(users);
  const batch: NewMembership[] = [];
  let total = store.listMemberships().length;
  for (let i = 0; total < memberships; i++) {
    const group = store.addWorkspaceGroup({ name: `Synthetic ${String(i).padStart(3, "0")}`, createdAt: "2020-01-01T00:00:00Z" });
    const size = Math.min(SIZES[i % SIZES.length], memberships - total);
    const offset = (i * 7919) % people.length;
    for (let j = 0; j < size; j++)
      batch.push({
        userId: people[(offset + j) % people.length].id,
        workspaceGroupId: group.id,
        createdAt: new Date(Date.UTC(2021, 0, 1) + (i * 1000 + j) * 60_000).toISOString(),
      });
    total += size;
  }
  store.addMemberships(batch);
}
