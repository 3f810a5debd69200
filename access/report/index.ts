import { mkdirSync } from "node:fs";
import { writeFileAtomically } from "../../lib/files";
import { join } from "node:path";
import type { WalkProgress } from "../../provider/kantata";
import { accessToday } from "../../lib/calendar";
import { loadAccessFile } from "../load";
import { renderCsv } from "./csv";
import { declaredView, fileProvenance, toolVersion } from "./declared";
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { type ReportModel, buildReport } from "./model";
import { evaluateRules } from "./rules";
import { readStackState } from "./stack";
import { type ReportSource, readAccount } from "./snapshot";

/**
 * `kantata-access report`: evidence for an access review. Reads the account (and, when given, the
 * access file and the stack's state), builds the model, and writes it as HTML, CSV and JSON.
 */

export { buildReport, REPORT_SCHEMA_VERSION } from "./model";
export type * from "./model";
export { renderCsv, CSV_COLUMNS } from "./csv";
export { renderHtml, CONTENT_SECURITY_POLICY } from "./html";
export { renderJson } from "./json";
export { declaredView, fileProvenance, toolVersion } from "./declared";
export { decodeStackExport, readStackState, StackStateError } from "./stack";
export { createReportSource, readAccount, type ReportSource } from "./snapshot";
export { evaluateRules } from "./rules";

export const REPORT_FILES = { html: "access-report.html", csv: "access-report.csv", json: "access-report.json" } as const;

export interface ReportOptions {
  /** The base URL read from, for the header. */
  account: string;
  /** access.yaml, when given: declared members, modes, end dates and rules, and its commit. */
  accessFile?: string;
  /** The stack whose state says what code manages (`pulumi stack export --stack NAME`). */
  stack?: string;
  /** The time of the snapshot shown in the header. Default now. */
  generatedAt?: Date;
  onProgress?: (progress: WalkProgress) => void;
  requestsMade?: () => number;
  /** The environment: KANTATA_ACCESS_TODAY fixes the day end dates are judged against; the Pulumi CLI runs with it (KANTATA_* variables withheld). */
  env?: NodeJS.ProcessEnv;
}

/** Reads everything the options name and builds the model. The access file is read (and fails) before any request. */
export async function createReport(source: ReportSource, options: ReportOptions): Promise<ReportModel> {
  const generatedAt = options.generatedAt ?? new Date();
  const file = options.accessFile === undefined ? undefined : loadAccessFile(options.accessFile);
  const declared = file && declaredView(file, options.accessFile!, fileProvenance(options.accessFile!));
  // The day end dates are judged against, as the program and review judge them (KANTATA_ACCESS_TODAY, else today in the file's zone).
  const today = file && accessToday(file.timeZone, options.env ?? process.env, generatedAt);
  const state = options.stack === undefined ? undefined : await readStackState(options.stack, options.env);
  const snapshot = await readAccount(source, { account: options.account, onProgress: options.onProgress, requestsMade: options.requestsMade });
  const rules = file?.rules && declared && evaluateRules(file.rules, snapshot, declared);
  return buildReport({ snapshot, declared, state, rules, generatedAt, today, tool: toolVersion() });
}

/** The three files' contents. */
export function renderReport(model: ReportModel): Record<keyof typeof REPORT_FILES, string> {
  return { html: renderHtml(model), csv: renderCsv(model), json: renderJson(model) };
}

/** Writes the three files into `dir` (created if needed), each atomically: a reader sees the old file or the whole new one. */
export function writeReport(dir: string, model: ReportModel): Record<keyof typeof REPORT_FILES, string> {
  mkdirSync(dir, { recursive: true });
  const rendered = renderReport(model);
  const paths = { html: join(dir, REPORT_FILES.html), csv: join(dir, REPORT_FILES.csv), json: join(dir, REPORT_FILES.json) };
  for (const kind of ["json", "csv", "html"] as const) writeFileAtomically(paths[kind], rendered[kind]);
  return paths;
}
