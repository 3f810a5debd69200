/**
 * Every CLI test's project catches a process that outlives its run: Project.dispose() fails naming it, and
 * kills it, so a leftover provider plugin fails the test that left it instead of spinning through the suite.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { alive, createProgram, openProject } from "../../scripts/lib/pulumi";

jest.setTimeout(120_000);

it("Project.dispose() fails on a process of the project left running, kills it, and passes when none is", async () => {
  // Never run: the project only needs a Pulumi.yaml for `pulumi stack init`.
  const program = await createProgram({ templateDir: path.join(__dirname, "..", "..", "examples", "demo"), install: "built" });
  try {
    const clean = await openProject({ program, stackName: "clean" });
    await expect(clean.dispose()).resolves.toBeUndefined();

    const project = await openProject({ program, stackName: "leftover" });
    // What a provider plugin orphaned by its engine looks like: a process with the project's environment, outliving every run.
    const leftover = spawn("sleep", ["600"], { env: project.env, detached: true, stdio: "ignore" });
    leftover.unref();
    const pid = leftover.pid!;
    await expect(project.dispose()).rejects.toThrow(`1 process(es) of the project outlived their run: ${pid} (killed now)`);
    expect(alive([pid])).toEqual([]);
  } finally {
    program.dispose();
  }
});
