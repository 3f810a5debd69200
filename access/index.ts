/** `pulumi-kantata/access`: access as a reviewed file (`access.yaml`), and the review of a preview. */
export { AccessFileError, type AccessFile, type AccessGroup, type EndDate, formatAccessFile, parseAccessFile } from "./accessFile";
export { type AccessFolder, type AccessPart, loadAccessFile, readAccess } from "./load";
export { type MembersOnDay, endDatesOn } from "./endDates";
export type { AccessRule, AllowedDomainsRule, MaxMembersRule, RuleOutcome, SeparateRule } from "../provider/plan/rules";
export { type AccessReview, type GroupChanges, type Message, reviewPreview } from "./review";
export type { EndDateNote, Guardrails, InactiveNote, RuleReview } from "./guardrails";
export { REVIEW_SCHEMA_VERSION, type ReviewFormat, renderReview, reviewJson } from "./render";
export { type ExportOptions, type ExportResult, exportAccess } from "./export";
