import type { Bag } from "../runtime/kindProvider";

/**
 * Secrets on the wire. The plugin tells the engine it accepts secrets, so a secret value (the API token
 * in a provider's configuration, or any input a program marks secret) arrives wrapped in Pulumi's secret
 * signature instead of in plain text, and Pulumi keeps it encrypted. The kinds work on plain values:
 * the door unwraps what comes in, remembers which top-level properties were secret, and wraps the same
 * properties of what it returns, so nothing secret leaves the provider in the clear.
 */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

const isSecret = (value: unknown): value is { value: unknown } =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE;

function reveal(value: unknown, found: { secret: boolean }): unknown {
  if (isSecret(value)) {
    found.secret = true;
    return reveal(value.value, found);
  }
  if (Array.isArray(value)) return value.map((item) => reveal(item, found));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reveal(item, found)]));
  return value;
}

export interface Revealed {
  properties: Bag;
  /** The top-level properties that held a secret anywhere inside. */
  secrets: Set<string>;
}

export function revealSecrets(properties: Bag): Revealed {
  const secrets = new Set<string>();
  const revealed: Bag = {};
  for (const [key, value] of Object.entries(properties)) {
    const found = { secret: false };
    revealed[key] = reveal(value, found);
    if (found.secret) secrets.add(key);
  }
  return { properties: revealed, secrets };
}

/** `properties` with each of `secrets` wrapped as a secret again. */
export function concealSecrets(properties: Bag, secrets: ReadonlySet<string>): Bag {
  if (secrets.size === 0) return properties;
  return Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [
      key,
      secrets.has(key) && value !== undefined ? { [SIGNATURE_KEY]: SECRET_SIGNATURE, value } : value,
    ]),
  );
}
