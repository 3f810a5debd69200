// Declares what declaration.json (written by the test next to this file) says: groups as
// WorkspaceGroupMembers, single memberships as UserGroupMembership, workspace groups as WorkspaceGroup
// (with their members' resource, given the group itself), and an access file's text through declareAccess.
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { UserGroupMembership, WorkspaceGroup, WorkspaceGroupMembers, declareAccess } = require("pulumi-kantata");
const { parseAccessFile } = require("pulumi-kantata/access");

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
const workspaceGroups = {};
for (const w of declaration.workspaceGroups ?? []) {
  const group = new WorkspaceGroup(w.name, defined({ name: w.group, notes: w.notes, deleteWithMembers: w.deleteWithMembers }));
  workspaceGroups[w.name] = group;
  if (w.members) new WorkspaceGroupMembers(w.name, { group, members: w.members });
}
for (const m of declaration.memberships ?? []) {
  new UserGroupMembership(m.name, defined({ user: m.user, group: workspaceGroups[m.group] ?? m.group, adoptExisting: m.adoptExisting }));
}
if (declaration.access !== undefined) declareAccess(parseAccessFile(declaration.access, "access.yaml"));
