/** The base URL without anything secret-looking in it (user info, query, fragment), for headers of files people share. */
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
