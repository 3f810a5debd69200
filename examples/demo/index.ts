// Entry point when Pulumi runs this directory as a program (`pulumi up` with a Node.js language host).
import { declareDemoAccess } from "./program";

export = declareDemoAccess();
