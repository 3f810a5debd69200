// The one Pulumi harness of every engine suite, the bench and the demo; CONTRIBUTING.md lists its modules and their jobs.
export { REPO_ROOT, newWorkDir } from "./paths";
export { KANTATA_PLUGIN_DIR, kantataPluginOnPath } from "./cli";
export { type PackedPackage, packPackage } from "./packedPackage";
export { type Program, type ProgramOptions, createProgram } from "./program";
export { type ExportedState, type Project, type ProjectOptions, type RunOptions, type StateEntry, openProject } from "./project";
export { type CliResult, type EnginePreview, assertNoChanges, describeFailure, plannedChanges, previewOf, warningLines } from "./output";
export { type EngineStack, type EngineStackOptions, collectOutput, createEngineStack } from "./inlineStack";
export { type RootProject, openRootProject } from "./rootProject";
export { alive, killTree, processesWith, whenGone } from "./processes";
export { NODE22_VERSION, node22BinDir } from "./node22";
