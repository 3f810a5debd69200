import { isKantataApiError } from "../kantata/errors";
import { type KantataLogger, stderrLogger } from "../kantata/logger";

/** One item that failed, named the way the user wrote it ("alice@acme.com", "user 1001"). */
export interface ItemFailure {
  subject: string;
  error: unknown;
}

export interface FailureSummaryOptions {
  /** Receives the full list, one line per failure. Default: stderr. */
  logger?: KantataLogger;
  /** What failed, for the first sentence, e.g. "memberships could not be created". Default "items failed". */
  what?: string;
}

/** Pulumi shows a resource's error in full; beyond about 2 KB it buries the plan. */
export const MAX_SUMMARY_BYTES = 2048;
const MAX_NAMED = 5;
const MAX_SUBJECT_BYTES = 80;
const MAX_REASON_BYTES = 220;

/** Cuts `text` to at most `maxBytes` of UTF-8, on a character boundary, marking the cut with "…". */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const ellipsis = "…";
  let budget = maxBytes - Buffer.byteLength(ellipsis);
  let out = "";
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (size > budget) break;
    out += char;
    budget -= size;
  }
  return out + ellipsis;
}

const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

/** The error on one line; for Kantata errors without the request it happened to, which the summary states once. */
function reasonOf(error: unknown): string {
  if (isKantataApiError(error)) return oneLine(error.reason);
  return oneLine(error instanceof Error ? error.message : String(error));
}

/**
 * One bounded message for many per-item failures: how many failed, the first few subjects with a short
 * reason each, one request id to quote to Kantata support, and where the full list went. The message
 * stays under MAX_SUMMARY_BYTES however many items failed and however long their errors are; the
 * complete list (every subject and full reason) is written to the logger, one line each.
 */
export function summarizeFailures(failures: readonly ItemFailure[], options: FailureSummaryOptions = {}): string {
  const log = options.logger ?? stderrLogger;
  const what = oneLine(options.what ?? "items failed");
  if (failures.length === 0) return `0 ${what}.`;
  log(`kantata: ${failures.length} ${what}:`);
  for (const { subject, error } of failures)
    log(`kantata:   ${oneLine(subject)}: ${oneLine(error instanceof Error ? error.message : String(error))}`);

  const requestId = failures.map((f) => (isKantataApiError(f.error) ? f.error.requestId : undefined)).find((id) => id);
  const named = failures
    .slice(0, MAX_NAMED)
    .map(({ subject, error }) => `${truncateUtf8(oneLine(subject), MAX_SUBJECT_BYTES)} (${truncateUtf8(reasonOf(error), MAX_REASON_BYTES)})`);
  const more = failures.length - named.length;
  const parts = [
    `${failures.length} ${truncateUtf8(what, 120)}`,
    requestId ? ` (Kantata request id ${truncateUtf8(requestId, 80)})` : "",
    `: ${named.join("; ")}`,
    more > 0 ? `; and ${more} more` : "",
    ". The full list is in the provider's log.",
  ];
  return truncateUtf8(parts.join(""), MAX_SUMMARY_BYTES);
}
