import { sharedInstallKey } from "../../scripts/lib/pulumi/program";

/** A program's manifest as createProgram writes it, depending on the tarball at `tarballPath`. */
const manifest = (tarballPath: string, sdk = "3.248.0") =>
  `${JSON.stringify({ name: "p", dependencies: { "@pulumi/pulumi": sdk, "pulumi-kantata": `file:${tarballPath}` } }, null, 2)}\n`;
const packed = (tarball: string, sha256: string) => ({ tarball, sha256, ms: 0 });

describe("the key of a shared install", () => {
  it("is the same for the same tarball contents packed into another directory (a later run of Jest)", () => {
    const first = packed("/tmp/pulumi-kantata-pack-aaaa/pulumi-kantata-0.2.0.tgz", "f00d");
    const later = packed("/tmp/pulumi-kantata-pack-bbbb/pulumi-kantata-0.2.0.tgz", "f00d");
    expect(sharedInstallKey(manifest(later.tarball), later, "v20.20.2")).toBe(sharedInstallKey(manifest(first.tarball), first, "v20.20.2"));
  });

  it("changes with the tarball's contents, the program's dependencies and Node", () => {
    const tarball = packed("/tmp/pulumi-kantata-pack-aaaa/pulumi-kantata-0.2.0.tgz", "f00d");
    const key = sharedInstallKey(manifest(tarball.tarball), tarball, "v20.20.2");
    expect(sharedInstallKey(manifest(tarball.tarball), { ...tarball, sha256: "beef" }, "v20.20.2")).not.toBe(key);
    expect(sharedInstallKey(manifest(tarball.tarball, "3.270.0"), tarball, "v20.20.2")).not.toBe(key);
    expect(sharedInstallKey(manifest(tarball.tarball), tarball, "v22.23.3")).not.toBe(key);
  });
});
