// Declares each group of access.yaml (next to this file): the group itself (a WorkspaceGroup: created when
// missing, taken on as it is when it exists) and its members (a WorkspaceGroupMembers).
// An invalid file fails `pulumi preview` with FILE:LINE:COLUMN and what is wrong.
import * as path from "node:path";
import { declareAccess } from "pulumi-kantata";
import { loadAccessFile } from "pulumi-kantata/access";

const groups = declareAccess(loadAccessFile(path.join(__dirname, "access.yaml")));

export const managedGroups = groups.map((group) => group.group);
