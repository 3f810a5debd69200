import { readFileSync } from "node:fs";
import { UsageError } from "../lib/errors";
import { ConfigError } from "../provider/kantata/config";

/**
 * How a command of this package takes the API token: from KANTATA_API_TOKEN, or from a file or standard
 * input (`--token-file FILE`, `--token-file -`), never as an argument. Arguments are visible to every
 * user of the machine (`ps`, /proc/<pid>/cmdline) and stay in shell history and CI logs.
 */
export const TOKEN_OPTIONS = {
  "token-file": { type: "string" },
  // Declared only to refuse it with a reason: an unknown option's error would not say why.
  token: { type: "string" },
} as const;

/** The token named by `--token-file`, or undefined (then KANTATA_API_TOKEN). Messages never hold the token. */
export function tokenFromOptions(
  values: { token?: string; "token-file"?: string },
  readStdin = (): string => readFileSync(0, "utf8"),
): string | undefined {
  if (values.token !== undefined) {
    throw new UsageError(
      "--token is not accepted: a token on the command line is visible to every user of this machine (ps, /proc) and stays in shell history. " +
        "Set KANTATA_API_TOKEN, or use --token-file FILE (--token-file - reads it from standard input).",
    );
  }
  const file = values["token-file"];
  if (file === undefined) return undefined;
  if (file === "") throw new UsageError("--token-file needs a file name, or - for standard input.");
  const where = file === "-" ? "standard input" : `"${file}"`;
  let text: string;
  try {
    text = file === "-" ? readStdin() : readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`--token-file: cannot read ${where} (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
  }
  const token = text.trim();
  if (token === "") throw new ConfigError(`--token-file: ${where} holds no token.`);
  if (/\s/.test(token)) throw new ConfigError(`--token-file: ${where} should hold the token alone, on one line; it holds more than one word.`);
  return token;
}
