/**
 * The `kantata` provider plugin, as `bin/pulumi-resource-kantata` starts it: the engine runs the
 * launcher with its own address as the argument, reads the port this process prints, and speaks gRPC.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { exitWhenOutputClosed } from "../runtime/outputClosed";
import { constructAccess } from "./access";
import { pluginDoor } from "./door";
import { serve } from "./server";

/** The package's root: two folders up from this module, in the sources as in `dist/`. */
const packageRoot = (dir: string): string =>
  existsSync(path.join(dir, "package.json")) || path.dirname(dir) === dir ? dir : packageRoot(path.dirname(dir));

const root = packageRoot(__dirname);
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };

exitWhenOutputClosed();
serve({
  door: pluginDoor(),
  version,
  schema: readFileSync(path.join(root, "provider", "plugin", "schema.json"), "utf8"),
  construct: constructAccess,
  args: process.argv.slice(2),
}).catch((error: unknown) => {
  process.stderr.write(`kantata: the provider plugin could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
