import * as pulumi from "@pulumi/pulumi";

const TOKEN_KEY = "kantata:apiToken";

/**
 * Warns once per stack run when the API token sits in stack config as plain text (set without
 * `--secret`): Pulumi.<stack>.yaml then holds it readable, usually in git. "Once" is remembered on the
 * run's own stack resource, so several stacks run in one process (the Automation API) each get their
 * warning. The SDK's check for secret config is exported at run time but not in its typings; without
 * it, no warning rather than a wrong one.
 */
export function warnIfTokenIsPlainConfig(): void {
  const stack = pulumi.runtime.getStackResource();
  if (stack === undefined || WARNED.has(stack)) return;
  WARNED.add(stack);
  if (pulumi.runtime.getConfig(TOKEN_KEY) === undefined) return;
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (isConfigSecret === undefined || isConfigSecret(TOKEN_KEY)) return;
  void pulumi.log.warn(
    `${TOKEN_KEY} is stored in this stack's config as plain text. Encrypt it: \`pulumi config set --secret ${TOKEN_KEY}\` ` +
      "(it asks for the value; keep the token off the command line, where other users of the machine can read it); " +
      "in CI prefer KANTATA_API_TOKEN from the CI system's secret store.",
  );
}

/** The stack runs already warned about: keyed by their stack resource, so it is forgotten with the run. */
const WARNED = new WeakSet<object>();
