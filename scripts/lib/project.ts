// What this module offered before the harness moved to scripts/lib/pulumi/, for branches written against
// this path; new code imports scripts/lib/pulumi.
export {
  type CliResult,
  type Program,
  type ProgramOptions,
  type Project,
  type ProjectOptions,
  type RunOptions,
  type PackedPackage,
  type EnginePreview as PreviewJson,
  assertNoChanges,
  createProgram,
  describeFailure,
  node22BinDir,
  openProject,
  packPackage,
  plannedChanges,
  previewOf as parsePreviewJson,
  warningLines,
} from "./pulumi";
export { PROGRAM_DEV_DEPENDENCIES } from "./pulumi/program";
