// What this module offered before the harness moved to scripts/lib/pulumi/, for branches written against
// this path; new code imports scripts/lib/pulumi.
export { REPO_ROOT } from "./pulumi/paths";
export { BUILT_CLI_DIR, type EngineEnvOptions, dynamicProviderPluginDir, engineEnv, pulumiCliDir, pulumiCommand } from "./pulumi/cli";
