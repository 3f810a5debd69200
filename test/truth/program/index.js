// Declares what declaration.json (written by the test next to this file) says: groups as
// WorkspaceGroupMembers, single memberships as UserGroupMembership, an access file through
// declareAccess (as examples/access-as-code does), and access rules depending on every resource.
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { AccessRules, UserGroupMembership, WorkspaceGroupMembers, declareAccess } = require("pulumi-kantata");
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
for (const m of declaration.memberships ?? []) {
  resources.push(new UserGroupMembership(m.name, defined({ user: m.user, group: m.group, adoptExisting: m.adoptExisting })));
}
if (declaration.accessFile) declareAccess(loadAccessFile(path.join(__dirname, declaration.accessFile)));
if (declaration.rules) new AccessRules("rules", { rules: declaration.rules }, { dependsOn: resources });
