/** Small text helpers shared by the report's reader and renderers. */

/** The base URL without anything secret-looking in it: no user info, query or fragment. */
export function safeSource(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    parsed.hash = "";
    return parsed.toString().replace(/\/+$/, "");
  } catch {
    return "(unparseable base URL)";
  }
}

/** "1,234 people": counts in sentences, with the same grouping everywhere. */
export const count = (n: number): string => n.toLocaleString("en-US");
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;
