import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError } from "../lib/errors";
import { type NotifyFormat, NOTIFY_FORMATS, webhookBody } from "../access/notify";
import { parsePreviewJson } from "../access/previewJson";
import { reviewJson } from "../access/render";
import { reviewPreview } from "../access/review";

/**
 * `notify --webhook-url-file PATH [--format slack|teams] [--title TEXT] [FILE]`: the review of a preview
 * (FILE or standard input, as for `review`) posted to an incoming webhook. The URL is a secret (anyone
 * holding it can post): it is read from a file and never printed, in messages or errors. A 429 or 5xx
 * answer, or no answer, is retried: at most ATTEMPTS posts, waiting Retry-After (at most 10 s) or 0.5, 1,
 * 2 s; any other refusal fails at once.
 */
const ATTEMPTS = 4;
const MAX_WAIT_MS = 10_000;
const TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function webhookUrl(path: string): URL {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch {
    throw new UsageError(`--webhook-url-file ${path} cannot be read.`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${path} does not hold a URL; put the incoming webhook's URL in it, alone.`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback))
    throw new UsageError(`the webhook in ${path} must be an https:// URL (http:// only to this machine).`);
  return url;
}

export async function notifyCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { "webhook-url-file": { type: "string" }, format: { type: "string", default: "slack" }, title: { type: "string" } },
    allowPositionals: true,
  });
  const format = values.format as NotifyFormat;
  if (!NOTIFY_FORMATS.includes(format)) throw new UsageError(`--format must be slack or teams; got "${values.format}".`);
  const path = values["webhook-url-file"];
  if (path === undefined || path.trim() === "") throw new UsageError("notify needs --webhook-url-file PATH: a file holding the webhook's URL.");
  if (positionals.length > 1) throw new UsageError(`notify takes at most one FILE; got ${positionals.length}.`);
  const url = webhookUrl(path);
  const [file] = positionals;
  const review = reviewJson(reviewPreview(parsePreviewJson(readFileSync(file ?? 0, "utf8"), file ?? "standard input")));
  const body = JSON.stringify(webhookBody(review, format, values.title ?? "Kantata OX access change"));
  for (let attempt = 1; ; attempt++) {
    let status: number | undefined;
    let retryAfter: string | null = null;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      await response.arrayBuffer();
    } catch {
      status = undefined; // no answer: retried like a 5xx
    }
    if (status !== undefined && status >= 200 && status < 300) {
      process.stderr.write(`kantata-access: posted the review to the ${format} webhook (${path}).\n`);
      return;
    }
    const what = status === undefined ? "no answer" : `HTTP ${status}`;
    const retryable = status === undefined || status === 429 || status >= 500;
    if (!retryable || attempt === ATTEMPTS)
      throw new Error(`the ${format} webhook in ${path} refused the review: ${what}${retryable ? ` after ${ATTEMPTS} attempts` : ""}.`);
    const seconds = Number(retryAfter);
    const wait =
      retryAfter !== null && Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_WAIT_MS) : 500 * 2 ** (attempt - 1);
    process.stderr.write(`kantata-access: the webhook answered ${what}; trying again in ${(wait / 1000).toFixed(1)} s.\n`);
    await sleep(wait);
  }
}
