import * as pulumi from "@pulumi/pulumi";

const TOKEN_KEY = "kantata:apiToken";
let checked = false;

/**
 * Warns once per program when the API token sits in stack config as plain text (set without
 * `--secret`): Pulumi.<stack>.yaml then holds it readable, usually in git. The SDK's check for secret
 * config is exported at run time but not in its typings; without it, no warning rather than a wrong one.
 */
export function warnIfTokenIsPlainConfig(): void {
  if (checked) return;
  checked = true;
  if (pulumi.runtime.getConfig(TOKEN_KEY) === undefined) return;
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (isConfigSecret === undefined || isConfigSecret(TOKEN_KEY)) return;
  void pulumi.log.warn(
    `${TOKEN_KEY} is stored in this stack's config as plain text. Encrypt it: \`pulumi config set --secret ${TOKEN_KEY} <token>\`; ` +
      "in CI prefer KANTATA_API_TOKEN from the CI system's secret store.",
  );
}
