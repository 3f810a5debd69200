/**
 * The rows of the reliability table: the fault suite (test/faults) records one per fault with what it
 * measured, and scripts/faultsReport.ts renders them into the table in docs/reliability.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { WORK_ROOT } from "./pulumi/paths";

export const ROWS_DIR = path.join(WORK_ROOT, "faults-rows");

export interface ReportRow {
  order: number;
  fault: string;
  ups: number;
  outcome: string;
  seconds: number;
  /** Listed under the table (e.g. one line per trial). */
  details?: string[];
}

export function recordRow(id: string, row: ReportRow): void {
  mkdirSync(ROWS_DIR, { recursive: true });
  writeFileSync(path.join(ROWS_DIR, `${id}.json`), JSON.stringify(row, null, 2));
}
