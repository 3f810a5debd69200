import type { ReportModel } from "./model";

/**
 * The report as JSON: the model itself (`schemaVersion` 1, documented in docs/report.md), keys in a fixed
 * order and two-space indentation, so two reports of the same account diff line by line.
 */
export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
