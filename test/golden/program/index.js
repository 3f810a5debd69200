// The golden tests' program: declares what declaration.json (written by the test next to this file) says:
// groups as WorkspaceGroupMembers, and an access file's text (`access`) through declareAccess.
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { WorkspaceGroupMembers, declareAccess } = require("pulumi-kantata");
const { parseAccessFile } = require("pulumi-kantata/access");

const declaration = JSON.parse(readFileSync(path.join(__dirname, "declaration.json"), "utf8"));
for (const group of declaration.groups) {
  new WorkspaceGroupMembers(group.name, { group: group.group, members: group.members, mode: group.mode });
}
if (declaration.access !== undefined) declareAccess(parseAccessFile(declaration.access, "access.yaml"));
