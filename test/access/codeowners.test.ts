import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SECTION_BEGIN, SECTION_END } from "../../access/codeowners";
import { runCli, runCliHere } from "../support/cli";

/** `kantata-access codeowners`: a change to a group's file asks that group's owners. */
let repo: string;
let access: string;
let out: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "kantata-codeowners-"));
  access = join(repo, "access");
  out = join(repo, ".github", "CODEOWNERS");
  mkdirSync(access);
  writeFileSync(join(access, "finance.yaml"), "groups:\n  Finance:\n    owners: ['@acme/finance-leads', grace]\n    members: []\n");
  writeFileSync(
    join(access, "delivery teams.yaml"),
    "groups:\n  Delivery-EMEA:\n    owners: [ada]\n    members: []\n  Delivery-AMER:\n    owners: [ADA, alan]\n    members: []\n",
  );
  writeFileSync(join(access, "platform.yaml"), "groups:\n  Platform:\n    members: []\n");
  writeFileSync(join(access, "rules.yaml"), "rules:\n  - separate: [Finance, Delivery-EMEA]\n");
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const runHere = (args: string[]) => runCliHere(args);

const SECTION = `${SECTION_BEGIN}
/access/delivery\\ teams.yaml @ada @alan
/access/finance.yaml @acme/finance-leads @grace
${SECTION_END}
`;

it("writes one line per file with owners, paths from the repository root, each owner once", async () => {
  expect(await runHere(["codeowners", "--access", access, "--out", out])).toEqual({
    code: 0,
    stdout: "",
    stderr: `kantata-access: wrote ${out}: 2 files with owners\n`,
  });
  expect(readFileSync(out, "utf8")).toBe(SECTION);
  expect((await runHere(["codeowners", "--access", access, "--out", out])).stderr).toBe(
    `kantata-access: unchanged ${out}: 2 files with owners\n`,
  );
});

it("keeps the rest of an existing CODEOWNERS: the section is appended once, then rewritten in place", async () => {
  mkdirSync(join(repo, ".github"));
  writeFileSync(out, "# the platform team owns everything else\n* @acme/platform\n");
  await runHere(["codeowners", "--access", access, "--out", out]);
  expect(readFileSync(out, "utf8")).toBe(`# the platform team owns everything else\n* @acme/platform\n\n${SECTION}`);
  writeFileSync(join(access, "finance.yaml"), "groups:\n  Finance:\n    owners: [linus]\n    members: []\n");
  writeFileSync(out, `${readFileSync(out, "utf8")}/docs/ @acme/writers\n`);
  await runHere(["codeowners", "--access", access, "--out", out]);
  expect(readFileSync(out, "utf8")).toBe(
    `# the platform team owns everything else\n* @acme/platform\n\n${SECTION.replace("@acme/finance-leads @grace", "@linus")}/docs/ @acme/writers\n`,
  );
});

it("--check, as CI runs it: exit 1 and the difference when the owners changed, exit 0 when up to date; writes nothing", async () => {
  const cli = (args: string[]) => runCli(args);
  const missing = await cli(["codeowners", "--check", "--access", access, "--out", out]);
  expect(missing.code).toBe(1);
  expect(missing.stdout).toContain("+/access/finance.yaml @acme/finance-leads @grace\n");
  expect(missing.stderr).toBe(`kantata-access: ${out} is not what the owners in ${access} say; run kantata-access codeowners and commit it.\n`);
  expect(existsSync(out)).toBe(false);
  await runHere(["codeowners", "--access", access, "--out", out]);
  expect(await runHere(["codeowners", "--check", "--access", access, "--out", out])).toMatchObject({ code: 0, stdout: "" });
});
