// Declares what declaration.json (written by the test next to this file) says: groups as
// WorkspaceGroupMembers, single memberships as UserGroupMembership, workspace groups as WorkspaceGroup
// (with their members' resource, given the group itself), an access file through declareAccess (as
// examples/access-as-code does), and access rules depending on every resource.
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { AccessRules, UserGroupMembership, WorkspaceGroup, WorkspaceGroupMembers, declareAccess } = require("pulumi-kantata");
const { loadAccessFile } = require("pulumi-kantata/access");

const declaration = JSON.parse(readFileSync(path.join(__dirname, "declaration.json"), "utf8"));
const defined = (args) => Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
const resources = [];
for (const g of declaration.groups ?? []) {
  resources.push(
    new WorkspaceGroupMembers(
      g.name,
      defined({
        group: g.group,
        members: g.members,
        mode: g.mode,
        maxRemovals: g.maxRemovals,
        removePreexistingOnDestroy: g.removePreexistingOnDestroy,
      }),
    ),
  );
}
const workspaceGroups = {};
for (const w of declaration.workspaceGroups ?? []) {
  const group = new WorkspaceGroup(w.name, defined({ name: w.group, notes: w.notes, deleteWithMembers: w.deleteWithMembers }));
  workspaceGroups[w.name] = group;
  if (w.members) resources.push(new WorkspaceGroupMembers(w.name, { group, members: w.members }));
}
for (const m of declaration.memberships ?? []) {
  resources.push(
    new UserGroupMembership(m.name, defined({ user: m.user, group: workspaceGroups[m.group] ?? m.group, adoptExisting: m.adoptExisting })),
  );
}
if (declaration.accessFile) declareAccess(loadAccessFile(path.join(__dirname, declaration.accessFile)));
if (declaration.rules) new AccessRules("rules", { rules: declaration.rules }, { dependsOn: resources });
