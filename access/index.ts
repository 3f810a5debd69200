/** `pulumi-kantata/access`: access as a reviewed file (`access.yaml`), and the review of a preview. */
import type * as pulumi from "@pulumi/pulumi";
import type { WorkspaceGroupMembers } from "../provider/resources/workspaceGroupMembers/resource";
import type { AccessFile } from "./accessFile";

export { AccessFileError, type AccessFile, type AccessGroup, type EndDate, formatAccessFile, parseAccessFile } from "./accessFile";
export { type AccessFolder, type AccessPart, loadAccessFile, readAccess } from "./load";
export { type MembersOnDay, endDatesOn } from "./endDates";
export type { AccessRule, AllowedDomainsRule, MaxMembersRule, RuleOutcome, SeparateRule } from "../provider/plan/rules";
export { type AccessReview, type GroupChanges, type Message, reviewPreview } from "./review";
export type { EndDateNote, Guardrails, InactiveNote, RuleReview } from "./guardrails";
export { REVIEW_SCHEMA_VERSION, type ReviewFormat, renderReview, reviewJson } from "./render";
export { type ExportOptions, type ExportResult, exportAccess } from "./export";

/**
 * A file's resources, as `pulumi-kantata` exports it; 0.2.0 documented it here, beside `loadAccessFile`. The
 * declaring module (and with it the Pulumi SDK) loads on the first call, so a review that never declares
 * anything still loads no SDK.
 */
export function declareAccess(file: AccessFile, opts?: pulumi.CustomResourceOptions): WorkspaceGroupMembers[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load the SDK with this entry
  return (require("./declare") as typeof import("./declare")).declareAccess(file, opts);
}
