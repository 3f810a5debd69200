// Declares what declaration.json (written by the test next to this file) says: groups as
// WorkspaceGroupMembers, single memberships as UserGroupMembership.
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { UserGroupMembership, WorkspaceGroupMembers } = require("pulumi-kantata");

const declaration = JSON.parse(readFileSync(path.join(__dirname, "declaration.json"), "utf8"));
const defined = (args) => Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
for (const g of declaration.groups ?? []) {
  new WorkspaceGroupMembers(
    g.name,
    defined({
      group: g.group,
      members: g.members,
      mode: g.mode,
      maxRemovals: g.maxRemovals,
      removePreexistingOnDestroy: g.removePreexistingOnDestroy,
    }),
  );
}
for (const m of declaration.memberships ?? []) {
  new UserGroupMembership(m.name, defined({ user: m.user, group: m.group, adoptExisting: m.adoptExisting }));
}
