import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { startSandbox } from "../../sandbox";
import { UsageError } from "../../lib/errors";
import { DEFAULT_CLI_PORT, envVarOf, parseCli } from "../../sandbox/cli";
import { makeTempDir } from "./helpers";

describe("parseCli", () => {
  test("with no flags it listens on port 4010 with the default options", () => {
    expect(parseCli([], {})).toEqual({
      help: false,
      options: {
        port: DEFAULT_CLI_PORT,
        dataDir: undefined,
        account: undefined,
        token: undefined,
        nonAdminToken: undefined,
        extraAdminTokens: undefined,
        latencyMs: undefined,
        faults: undefined,
        seed: undefined,
        bulkPolicy: undefined,
      },
    });
  });

  test("flags become sandbox options", () => {
    const argv = [
      "--port=0",
      "--data-dir",
      "/tmp/x",
      "--account",
      "company",
      "--token",
      "t",
      "--non-admin-token",
      "n",
      "--latency-ms",
      "25",
      "--extra-admin-tokens",
      "second=21,third=22",
      "--fault-rate",
      "0.1",
      "--fault-kinds",
      "429-retry-after,reset,slow",
      "--slow-ms",
      "90000",
      "--seed",
      "7",
      "--bulk-policy",
      "partial",
    ];
    expect(parseCli(argv, {})).toEqual({
      help: false,
      options: {
        port: 0,
        dataDir: "/tmp/x",
        account: "company",
        token: "t",
        nonAdminToken: "n",
        extraAdminTokens: [
          { token: "second", userId: 21 },
          { token: "third", userId: 22 },
        ],
        latencyMs: 25,
        faults: { rate: 0.1, kinds: ["429-retry-after", "reset", "slow"], slowMs: 90000 },
        seed: 7,
        bulkPolicy: "partial",
      },
    });
  });

  test("environment variables stand in for absent flags, and flags win over them", () => {
    const env = { [envVarOf("port")]: "5000", [envVarOf("token")]: "from-env", [envVarOf("data-dir")]: "/data" };
    expect(envVarOf("data-dir")).toBe("KANTATA_SANDBOX_DATA_DIR");
    expect(parseCli(["--token", "from-flag"], env)).toMatchObject({ options: { port: 5000, token: "from-flag", dataDir: "/data" } });
    expect(parseCli([], { KANTATA_SANDBOX_ACCOUNT: "company" })).toMatchObject({ options: { account: "company" } });
  });

  test("--fault-rate without --fault-kinds fails with 429 and 503", () => {
    expect(parseCli(["--fault-rate", "0.5"], {})).toMatchObject({ options: { faults: { rate: 0.5, kinds: ["429", "503"] } } });
  });

  test("--help asks for the usage text", () => {
    expect(parseCli(["--help"], {})).toEqual({ help: true });
  });

  test.each([
    [["--port", "http"]],
    [["--port", "-1"]],
    [["--latency-ms", "soon"]],
    [["--fault-kinds", "500"]],
    [["--bulk-policy", "some"]],
    [["--account", "acme"]],
    [["--slow-ms", "100"]],
    [["--seed", "1.5"]],
    [["--extra-admin-tokens", "second"]],
    [["--extra-admin-tokens", "second=abc"]],
    [["--extra-admin-tokens", "=21"]],
    [["--verbose"]],
    [["--port"]],
  ])("%j is a usage error", (argv) => {
    expect(() => parseCli(argv, {})).toThrow(UsageError);
  });

  test.each([[["--port", "70000"]], [["--port", "0", "--latency-ms=-3"]], [["--port", "0", "--fault-rate", "2"]]])(
    "%j parses, and the sandbox refuses it with a RangeError the command reports as a usage error",
    async (argv) => {
      const command = parseCli(argv, {});
      if (command.help) throw new Error("unexpected --help");
      // By name: Node's own RangeError (the bad port) comes from another realm than jest's global.
      await expect(startSandbox(command.options)).rejects.toHaveProperty("name", "RangeError");
    },
  );
});

/** The sandbox and the small library it shares (lib/), compiled to plain JS as the package ships them. */
function transpileSandbox(outDir: string): string {
  for (const folder of ["sandbox", "lib"]) {
    const sourceDir = path.join(__dirname, "../..", folder);
    for (const file of fs.readdirSync(sourceDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"))) {
      const { outputText } = ts.transpileModule(fs.readFileSync(path.join(sourceDir, file), "utf8"), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      const target = path.join(outDir, folder, file.replace(/\.ts$/, ".js"));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, outputText);
    }
  }
  return path.join(outDir, "sandbox", "cli.js");
}

describe("the kantata-sandbox command", () => {
  let outDir: string;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    outDir = makeTempDir();
  });
  afterAll(() => {
    child?.kill("SIGKILL"); // a child that failed to exit on SIGTERM must not outlive the tests
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  test("prints where it listens, serves the API, and exits cleanly on SIGTERM", async () => {
    const cli = transpileSandbox(outDir);
    expect(fs.readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const proc = spawn(process.execPath, [cli, "--port", "0", "--token", "cli-token"], { stdio: ["ignore", "pipe", "inherit"] });
    child = proc;
    const [line] = (await once(proc.stdout, "data")) as [Buffer];
    const url = /^Kantata OX sandbox listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1) \(token: cli-token\)\n$/.exec(line.toString())?.[1];
    expect(url).toBeDefined();

    const response = await fetch(`${url}/workspace_groups`, { headers: { Authorization: "Bearer cli-token" } });
    expect(response.status).toBe(200);

    proc.kill("SIGTERM");
    const [code] = (await once(proc, "exit")) as [number | null, NodeJS.Signals | null];
    expect(code).toBe(0);
  });

  test("exits promptly on SIGTERM while a slow response is pending: no timer outlives the server", async () => {
    const cli = transpileSandbox(outDir);
    const argv = [cli, "--port", "0", "--fault-rate", "1", "--fault-kinds", "slow", "--slow-ms", "600000"];
    const proc = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "inherit"] });
    child = proc;
    const [line] = (await once(proc.stdout, "data")) as [Buffer];
    const url = /listening on (\S+)/.exec(line.toString())?.[1];
    const pending = fetch(`${url}/workspace_groups`, { headers: { Authorization: "Bearer sandbox-token" } }).catch(() => "ended");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    proc.kill("SIGTERM");
    const [code] = (await once(proc, "exit")) as [number | null, NodeJS.Signals | null];
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await pending).toBe("ended");
  });
});
