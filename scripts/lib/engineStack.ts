// What this module offered before the harness moved to scripts/lib/pulumi/, for branches written against
// this path; new code imports scripts/lib/pulumi.
export { type EngineStack, type EngineStackOptions, collectOutput, createEngineStack } from "./pulumi";
