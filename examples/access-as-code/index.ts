// Declares one WorkspaceGroupMembers per group of access.yaml (next to this file).
// An invalid file fails `pulumi preview` with FILE:LINE:COLUMN and what is wrong.
import * as path from "node:path";
import { declareAccess } from "pulumi-kantata";
import { loadAccessFile } from "pulumi-kantata/access";

const groups = declareAccess(loadAccessFile(path.join(__dirname, "access.yaml")));

export const managedGroups = groups.map((group) => group.group);
