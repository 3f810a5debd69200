import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ReviewJson, chatText, webhookBody } from "../../access/notify";
import { runCli, runCliHere } from "../support/cli";

/** `kantata-access notify`: the review posted to a Slack or Teams webhook (here a local receiver). */
const ROOT = join(__dirname, "..", "..");
const FIXTURE = join(ROOT, "test", "access", "fixtures", "preview-takeover-update-replace.json");
const SECRET_PATH = "/services/T000/B000/s3cr3t-webhook-token";

interface Received {
  body: unknown;
  contentType?: string;
}

/** A webhook that answers each post with the next status in `statuses` (then 200), recording what it got. */
async function receiver(statuses: Array<number | [number, string]>): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      received.push({ body: JSON.parse(text) as unknown, contentType: request.headers["content-type"] });
      const next = statuses.shift() ?? 200;
      const [status, retryAfter] = Array.isArray(next) ? next : [next, undefined];
      response.writeHead(status, retryAfter === undefined ? {} : { "retry-after": retryAfter }).end(status === 200 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${SECRET_PATH}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let dir: string;
let urlFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kantata-notify-"));
  urlFile = join(dir, "webhook-url");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const runHere = (args: string[]) => runCliHere(args);

const textOf = (body: unknown) => (body as { text: string }).text;

it("as a user runs it: posts the review to Slack, says so, and prints the URL nowhere", async () => {
  const hook = await receiver([]);
  try {
    writeFileSync(urlFile, `${hook.url}\n`);
    const result = await runCli(["notify", "--webhook-url-file", urlFile, FIXTURE]);
    expect(result).toEqual({ code: 0, stdout: "", stderr: `kantata-access: posted the review to the slack webhook (${urlFile}).\n` });
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0].contentType).toBe("application/json");
    const text = textOf(hook.received[0].body);
    expect(text.split("\n")[0]).toBe("*Kantata OX access change*");
    expect(text).toMatch(/people? gains? and \d+ (person loses|people lose) access, in \d+ groups?\./);
  } finally {
    await hook.close();
  }
});

it("Teams gets an Adaptive Card with the same lines", async () => {
  const hook = await receiver([]);
  try {
    writeFileSync(urlFile, hook.url);
    expect((await runHere(["notify", "--webhook-url-file", urlFile, "--format", "teams", "--title", "Merged: #42", FIXTURE])).code).toBe(0);
    const card = hook.received[0].body as {
      attachments: Array<{ contentType: string; content: { type: string; body: Array<{ text: string }> } }>;
    };
    expect(card.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.attachments[0].content.type).toBe("AdaptiveCard");
    expect(card.attachments[0].content.body[0].text).toBe("**Merged: #42**");
  } finally {
    await hook.close();
  }
});

it("429 and 5xx are retried (Retry-After honoured), at most 4 posts; another refusal is not; the URL appears in no message", async () => {
  const hook = await receiver([[429, "0"], 503]);
  try {
    writeFileSync(urlFile, hook.url);
    const ok = await runHere(["notify", "--webhook-url-file", urlFile, FIXTURE]);
    expect(ok.code).toBe(0);
    expect(hook.received).toHaveLength(3);
    expect(ok.stderr.split("\n").slice(0, 2)).toEqual([
      "kantata-access: the webhook answered HTTP 429; trying again in 0.0 s.",
      "kantata-access: the webhook answered HTTP 503; trying again in 1.0 s.",
    ]);

    hook.received.length = 0;
    const failing = await receiver([500, 502, 500, 500, 500]);
    writeFileSync(urlFile, failing.url);
    const down = await runHere(["notify", "--webhook-url-file", urlFile, FIXTURE]);
    await failing.close();
    expect(down.code).toBe(1);
    expect(failing.received).toHaveLength(4);
    expect(down.stderr).toContain(`kantata-access: the slack webhook in ${urlFile} refused the review: HTTP 500 after 4 attempts.\n`);

    const gone = await receiver([404]);
    writeFileSync(urlFile, gone.url);
    const refused = await runHere(["notify", "--webhook-url-file", urlFile, FIXTURE]);
    await gone.close();
    expect(refused).toMatchObject({ code: 1, stderr: `kantata-access: the slack webhook in ${urlFile} refused the review: HTTP 404.\n` });
    expect(gone.received).toHaveLength(1);
    for (const output of [ok, down, refused]) expect(output.stdout + output.stderr).not.toContain(SECRET_PATH);
  } finally {
    await hook.close();
  }
}, 30_000);

it("refuses a URL that is not https (but to this machine), and a file without a URL, without printing it", async () => {
  writeFileSync(urlFile, `http://hooks.example.com${SECRET_PATH}`);
  const plain = await runHere(["notify", "--webhook-url-file", urlFile, FIXTURE]);
  expect(plain.code).toBe(2);
  expect(plain.stderr).toContain(`the webhook in ${urlFile} must be an https:// URL`);
  writeFileSync(urlFile, "not a url");
  expect((await runHere(["notify", "--webhook-url-file", urlFile, FIXTURE])).stderr).toContain(`${urlFile} does not hold a URL`);
  expect(plain.stderr).not.toContain(SECRET_PATH);
});

describe("names are text: no markup, no mention", () => {
  it("escapes &, < and > and defuses @channel, @here and @everyone", () => {
    expect(chatText("<!channel> & <@U123|ada> <https://evil.example|click>")).toBe(
      "&lt;!channel&gt; &amp; &lt;@U123|ada&gt; &lt;https://evil.example|click&gt;",
    );
    expect(chatText("@channel @HERE @everyone@example.com ada@here.example")).toBe(
      "@\u200bchannel @\u200bHERE @\u200beveryone@example.com ada@\u200bhere.example",
    );
  });

  it("in every place a name appears: group, people, rename, warnings, rules, end dates", () => {
    const hostile = "<!here>";
    const review: ReviewJson = {
      schemaVersion: 1,
      summary: {
        gains: 1,
        losses: 1,
        unchanged: 0,
        groups: 1,
        groupChanges: { created: 0, adopted: 0, renamed: 1, updated: 0, deleted: 0, released: 0 },
      },
      groups: [
        {
          group: `${hostile} Finance`,
          groupChange: { event: "renamed", renamedFrom: `${hostile} old`, fields: [] },
          counts: { gains: 1, losses: 1, unchanged: 0 },
          gains: [`${hostile}@example.com`],
          losses: ["@channel"],
          unchanged: [],
          warnings: [`"${hostile}" warning`],
        },
      ],
      rules: [{ status: "unknown", description: `separate "${hostile}"` }],
      expiring: [{ group: hostile, person: "<@U1>", until: "2030-01-01" }],
      expired: [],
      inactive: [],
    };
    for (const format of ["slack", "teams"] as const) {
      const posted = JSON.stringify(webhookBody(review, format, hostile));
      expect(posted).not.toMatch(/<[!@]/);
      expect(posted).not.toMatch(/@(channel|here|everyone)/i);
      expect(posted).toContain("&lt;!here&gt; Finance");
    }
  });
});
