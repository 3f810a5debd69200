import { type Sandbox, startSandbox } from "../../sandbox";
import { match } from "../support/matchers";
import { call } from "./helpers";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ token: "admin-secret", nonAdminToken: "viewer-secret" });
});
afterAll(() => sandbox.stop());

const OAUTH_ERROR = { errors: [{ type: "oauth", message: "Invalid OAuth 2 Request" }] };

describe("authentication", () => {
  test.each([
    ["no Authorization header", null],
    ["a wrong token", "not-the-token"],
  ])("%s is a 401 with the oauth error body", async (_, token) => {
    const { status, body } = await call(sandbox, "GET", "/user_group_memberships", { token });
    expect(status).toBe(401);
    expect(body).toEqual(OAUTH_ERROR);
  });

  test("authentication comes before routing, so an unknown route without a token is a 401", async () => {
    const { status } = await call(sandbox, "GET", "/nowhere", { token: null });
    expect(status).toBe(401);
  });

  test("the configured token is accepted, whatever the case of the Bearer scheme", async () => {
    const response = await fetch(`${sandbox.url}/workspace_groups`, { headers: { Authorization: "bearer admin-secret" } });
    expect(response.status).toBe(200);
  });

  test.each([
    ["GET", "/user_group_memberships", undefined],
    ["POST", "/user_group_memberships", { user_group_membership: { user_id: 1001, workspace_group_id: 5521 } }],
    ["DELETE", "/user_group_memberships/90001", undefined],
  ])("the non-administrator token gets a 403 system error on %s %s and changes nothing", async (method, path, body) => {
    const response = await call(sandbox, method, path, { token: sandbox.nonAdminToken, body });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ errors: [{ type: "system", message: match.stringContaining("Account Administrator") }] });
    expect(sandbox.store.listMemberships()).toEqual([]);
  });

  test("the non-administrator token may still read users and workspace groups", async () => {
    const { status } = await call(sandbox, "GET", "/workspace_groups", { token: sandbox.nonAdminToken });
    expect(status).toBe(200);
  });
});

describe("routing and headers", () => {
  test("an unknown route is a 404 system error", async () => {
    for (const [method, path] of [
      ["GET", "/projects"],
      ["PUT", "/user_group_memberships/1"],
      ["GET", "/user_group_memberships/1"],
    ]) {
      const { status, body } = await call(sandbox, method, path);
      expect(status).toBe(404);
      expect(body).toEqual({ errors: [{ type: "system", message: match.any(String) }] });
    }
  });

  test("paths outside /api/v1 are unknown routes", async () => {
    const response = await fetch(`${sandbox.url.replace("/api/v1", "")}/user_group_memberships`, {
      headers: { Authorization: "Bearer admin-secret" },
    });
    expect(response.status).toBe(404);
  });

  test("the .json suffix is optional on every route", async () => {
    for (const path of ["/users/1001", "/workspace_groups", "/workspace_groups/5521", "/user_group_memberships"]) {
      expect((await call(sandbox, "GET", `${path}.json`)).status).toBe(200);
    }
  });

  test("every response carries a unique X-Request-Id, errors included", async () => {
    const responses = await Promise.all([
      call(sandbox, "GET", "/workspace_groups"),
      call(sandbox, "GET", "/workspace_groups", { token: null }),
      call(sandbox, "GET", "/nowhere"),
      call(sandbox, "DELETE", "/user_group_memberships/1"),
    ]);
    const ids = responses.map((r) => r.headers.get("x-request-id"));
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("responses are JSON and connections are kept alive", async () => {
    const { headers } = await call(sandbox, "GET", "/workspace_groups");
    expect(headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(headers.get("keep-alive")).toBe("timeout=65");
  });

  test("stop() closes idle keep-alive connections instead of waiting for them, and may be called twice", async () => {
    const other = await startSandbox();
    await call(other, "GET", "/workspace_groups"); // leaves an idle keep-alive socket in fetch's pool
    const started = Date.now();
    await other.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(other.stop()).resolves.toBeUndefined();
  });
});
