/**
 * ISO 8601 with an explicit offset and whole seconds, like Kantata's `created_at`. Always UTC: with one
 * format for every stored timestamp, comparing the text compares the times.
 */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}
