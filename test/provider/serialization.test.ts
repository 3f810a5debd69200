import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT } from "../../scripts/lib/pulumi/paths";
import { SECRET_TOKEN } from "../support/sandbox";

/**
 * Serializes the provider exactly as the engine receives it: dynamic.Resource serializes its provider
 * with pulumi.runtime.serializeFunction and sends it as the `__provider` input, which mocks observe.
 */
describe("the serialized provider", () => {
  const serialized: string[] = [];

  beforeAll(async () => {
    process.env.KANTATA_API_TOKEN = SECRET_TOKEN;
    pulumi.runtime.setAllConfig({ "kantata:apiToken": SECRET_TOKEN, "kantata:baseUrl": "http://127.0.0.1:1/api/v1" }, ["kantata:apiToken"]);
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const inputs = args.inputs as Record<string, unknown> & { __provider: string };
          serialized.push(inputs.__provider);
          return { id: `${args.name}-id`, state: inputs };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded once the mocks are set, as a program would
    const { UserGroupMembership, WorkspaceGroupMembers } = require("../../provider") as typeof import("../../provider");
    const resources = [
      new UserGroupMembership("ada", { user: "ada.lovelace@example.com", group: "Delivery-EMEA" }),
      new UserGroupMembership("alan", { user: 1002, group: 5521, adoptExisting: true }),
      new WorkspaceGroupMembers("emea", { group: "Delivery-EMEA", members: ["grace.hopper@example.com", 1004] }),
    ];
    await Promise.all(resources.map((r: pulumi.CustomResource) => new Promise((resolve) => r.id.apply(resolve))));
  });

  afterAll(() => {
    delete process.env.KANTATA_API_TOKEN;
  });

  it("is one small text, identical for every resource of both kinds", () => {
    expect(serialized).toHaveLength(3);
    expect(new Set(serialized).size).toBe(1);
    expect(serialized[0].length).toBeLessThan(2048);
  });

  it("loads the implementation by package name at call time and captures nothing else", () => {
    const text = serialized[0];
    expect(text).toContain('require("pulumi-kantata/dynamic")');
    expect(text).not.toContain(SECRET_TOKEN);
    expect(text).not.toContain(REPO_ROOT);
    expect(text).not.toMatch(/axios|Agent|KantataClient/);
  });

  it("evaluates to a provider whose methods are all present", () => {
    const module = { exports: {} as { handler?: () => Record<string, unknown> } };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluates the serialized provider text as the plugin host does
    (new Function("exports", "require", serialized[0]) as (exports: object, load: NodeJS.Require) => void)(module.exports, require);
    const provider = module.exports.handler!();
    expect(Object.keys(provider).sort()).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
  });
});
