import { inspect } from "node:util";
import { DEFAULT_BASE_URL, MissingTokenError, resolveSettings } from "../../provider/kantata";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("resolving settings", () => {
  it("takes explicit arguments first, then Pulumi config, then the environment", () => {
    const env = { KANTATA_API_TOKEN: "from-env", KANTATA_BASE_URL: "https://env.example/api/v1" };
    const pulumiConfig = config({ "kantata:apiToken": "from-config", "kantata:baseUrl": "https://config.example/api/v1/" });
    expect(resolveSettings({ explicit: { apiToken: "explicit" }, pulumiConfig, env }).token.reveal()).toBe("explicit");
    const fromConfig = resolveSettings({ pulumiConfig, env });
    expect([fromConfig.token.reveal(), fromConfig.baseUrl]).toEqual(["from-config", "https://config.example/api/v1"]);
    const fromEnv = resolveSettings({ env });
    expect([fromEnv.token.reveal(), fromEnv.baseUrl]).toEqual(["from-env", "https://env.example/api/v1"]);
  });

  it("defaults the base URL to Kantata's and the retry budget to 120 s", () => {
    const settings = resolveSettings({ env: { KANTATA_API_TOKEN: "t" } });
    expect(settings.baseUrl).toBe(DEFAULT_BASE_URL);
    expect(settings.retryBudgetMs).toBe(120_000);
  });

  it("names all three ways to set a missing token", () => {
    expect(() => resolveSettings({ env: {} })).toThrow(MissingTokenError);
    expect(() => resolveSettings({ env: {} })).toThrow(/apiToken.*pulumi config set --secret kantata:apiToken.*KANTATA_API_TOKEN/);
  });

  it("rejects a retry budget that is not a number of seconds, naming both settings", () => {
    expect(() => resolveSettings({ env: { KANTATA_API_TOKEN: "t", KANTATA_RETRY_BUDGET_SECONDS: "soon" } })).toThrow(
      /kantata:retryBudgetSeconds \/ KANTATA_RETRY_BUDGET_SECONDS must be a number of seconds.*"soon"/,
    );
  });

  it("never prints the token", () => {
    const settings = resolveSettings({ env: { KANTATA_API_TOKEN: "tok-secret-123" } });
    for (const text of [String(settings.token), JSON.stringify(settings), inspect(settings, { showHidden: true, depth: 5 })]) {
      expect(text).not.toContain("tok-secret-123");
    }
  });
});
