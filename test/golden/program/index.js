// The golden tests' program: declares what declaration.json (written by the test next to this file) says.
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { WorkspaceGroupMembers } = require("pulumi-kantata");

const declaration = JSON.parse(readFileSync(path.join(__dirname, "declaration.json"), "utf8"));
for (const group of declaration.groups) {
  new WorkspaceGroupMembers(group.name, { group: group.group, members: group.members, mode: group.mode });
}
