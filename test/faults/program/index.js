// The fault suite's program: declares what decl.json (written by the test next to this file) says.
"use strict";
const { UserGroupMembership, WorkspaceGroupMembers } = require("pulumi-kantata");
const decl = require("./decl.json");
for (const g of decl.groups) new WorkspaceGroupMembers(g.name, { group: g.group, members: g.members, mode: g.mode });
for (const m of decl.memberships) new UserGroupMembership(m.name, { user: m.user, group: m.group, adoptExisting: m.adoptExisting });
