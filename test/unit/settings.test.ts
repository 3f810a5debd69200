import { resolveSettings, stderrLogger } from "../../provider/kantata";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
const TOKEN = { KANTATA_API_TOKEN: "t" };

describe("one settings object for the whole client", () => {
  it("defaults to an adaptive rate with a ceiling of 64 requests in flight, a 60 s request timeout and the stderr logger", () => {
    const settings = resolveSettings({ env: TOKEN });
    expect(settings).toMatchObject({ maxConcurrency: 64, concurrency: "adaptive", requestTimeoutMs: 60_000, retryBudgetMs: 120_000 });
    expect(settings.logger).toBe(stderrLogger);
  });

  it.each([
    ["maxConcurrency", "kantata:maxConcurrency", "KANTATA_MAX_CONCURRENCY", [3, "4", "5"], 3, 4, 5],
    ["requestTimeoutSeconds", "kantata:requestTimeoutSeconds", "KANTATA_REQUEST_TIMEOUT_SECONDS", [2, "3", "4.5"], 2000, 3000, 4500],
    ["concurrency", "kantata:concurrency", "KANTATA_CONCURRENCY", ["fixed", "adaptive", "Fixed"], "fixed", "adaptive", "fixed"],
  ] as const)("%s: explicit, then %s, then %s", (key, configKey, envVar, [explicit, fromConfig, fromEnv], ...expected) => {
    const field = key === "requestTimeoutSeconds" ? "requestTimeoutMs" : key;
    const env = { ...TOKEN, [envVar]: fromEnv };
    const pulumiConfig = config({ [configKey]: fromConfig });
    expect(resolveSettings({ explicit: { [key]: explicit }, pulumiConfig, env })[field]).toBe(expected[0]);
    expect(resolveSettings({ pulumiConfig, env })[field]).toBe(expected[1]);
    expect(resolveSettings({ env })[field]).toBe(expected[2]);
  });

  it.each([
    [
      { env: { ...TOKEN, KANTATA_MAX_CONCURRENCY: "lots" } },
      /^kantata:maxConcurrency \/ KANTATA_MAX_CONCURRENCY must be a whole number of requests from 1 to 256; got "lots" from KANTATA_MAX_CONCURRENCY\. Fix it there, e\.g\. `pulumi config set kantata:maxConcurrency 64` or `export KANTATA_MAX_CONCURRENCY=64`/,
    ],
    [{ env: TOKEN, pulumiConfig: config({ "kantata:maxConcurrency": "0" }) }, /kantata:maxConcurrency .* got "0" from kantata:maxConcurrency\./],
    [{ env: TOKEN, explicit: { maxConcurrency: 2.5 } }, /got "2\.5" from the explicit maxConcurrency argument\./],
    [
      { env: { ...TOKEN, KANTATA_REQUEST_TIMEOUT_SECONDS: "-1" } },
      /^kantata:requestTimeoutSeconds \/ KANTATA_REQUEST_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 180; got "-1" from KANTATA_REQUEST_TIMEOUT_SECONDS\. Fix it there, e\.g\. `pulumi config set kantata:requestTimeoutSeconds 60`/,
    ],
    [{ env: TOKEN, pulumiConfig: config({ "kantata:requestTimeoutSeconds": "1m" }) }, /got "1m" from kantata:requestTimeoutSeconds\./],
    [{ env: TOKEN, explicit: { maxConcurrency: 257 } }, /from 1 to 256; got "257"/],
    [
      { env: { ...TOKEN, KANTATA_CONCURRENCY: "fxed" } },
      /^kantata:concurrency \/ KANTATA_CONCURRENCY must be adaptive or fixed \(did you mean fixed\?\); got "fxed" from KANTATA_CONCURRENCY\. Fix it there, e\.g\. `pulumi config set kantata:concurrency adaptive`/,
    ],
  ])("names the key, the value, where it came from and the fix: %j", (sources, message) => {
    expect(() => resolveSettings(sources)).toThrow(message);
  });

  it("takes a logger only from code", () => {
    const lines: string[] = [];
    const logger = (line: string) => lines.push(line);
    expect(resolveSettings({ env: TOKEN, explicit: { logger } }).logger).toBe(logger);
  });
});

describe("the base URL carries the token, so it must be safe", () => {
  it.each(["https://api.mavenlink.com/api/v1", "http://127.0.0.1:4010/api/v1", "http://localhost:4010/api/v1", "http://[::1]:4010/api/v1"])(
    "accepts %s",
    (baseUrl) => {
      expect(resolveSettings({ env: { ...TOKEN, KANTATA_BASE_URL: baseUrl } }).baseUrl).toBe(baseUrl);
    },
  );

  it("refuses plain http to a remote host, saying why and how to opt in", () => {
    expect(() => resolveSettings({ env: { ...TOKEN, KANTATA_BASE_URL: "http://api.mavenlink.com/api/v1" } })).toThrow(
      /http:\/\/api\.mavenlink\.com: the API token would travel unencrypted\. Use https .*kantata:allowInsecureBaseUrl \/ KANTATA_ALLOW_INSECURE_BASE_URL/,
    );
  });

  it("accepts plain http to a remote host only when the user opts in", () => {
    const env = { ...TOKEN, KANTATA_BASE_URL: "http://kantata.internal/api/v1" };
    expect(resolveSettings({ env: { ...env, KANTATA_ALLOW_INSECURE_BASE_URL: "true" } }).baseUrl).toBe("http://kantata.internal/api/v1");
    expect(resolveSettings({ env, pulumiConfig: config({ "kantata:allowInsecureBaseUrl": "true" }) }).baseUrl).toBe(
      "http://kantata.internal/api/v1",
    );
    expect(resolveSettings({ env, explicit: { allowInsecureBaseUrl: true } }).baseUrl).toBe("http://kantata.internal/api/v1");
  });

  it("names the setting when the base URL is not a URL", () => {
    expect(() => resolveSettings({ env: { ...TOKEN, KANTATA_BASE_URL: "api.mavenlink.com" } })).toThrow(
      /kantata:baseUrl \/ KANTATA_BASE_URL must be a URL/,
    );
  });
});
