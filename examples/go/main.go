// Command kantata-go-example runs Program (program.go) through the Go Automation API as an inline
// program, which needs no Go language host:
//
//	kantata-go-example up|preview|destroy [-diff] [-members a@x.com,b@x.com]
//
// The stack "dev" of project "kantata-go-example" lives in the backend PULUMI_BACKEND_URL names (a
// file:// folder for the tests). KANTATA_BASE_URL becomes the stack's config kantata:baseUrl and
// KANTATA_API_TOKEN its secret config kantata:apiToken; both are then removed from the environment, so
// the engine and the plugin get them from stack config only. The kantata plugin is loaded from
// KANTATA_PLUGIN_DIR, the folder holding the pulumi-resource-kantata launcher (default: the repository's
// bin/). The last line printed is a JSON report: the run's changes, e.g. {"changes":{"same":4}}, and after
// `up` the stack's outputs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

const usage = "usage: kantata-go-example up|preview|destroy [-diff] [-members a@x.com,b@x.com]"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "kantata-go-example:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	command := args[0]
	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	diff := flags.Bool("diff", false, "preview: print the property-level diff")
	members := flags.String("members", "", "the Platform Team's members, comma-separated (default: the program's three)")
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}

	ctx := context.Background()
	stack, err := openStack(ctx)
	if err != nil {
		return err
	}
	if *members != "" {
		list, err := json.Marshal(strings.Split(*members, ","))
		if err != nil {
			return err
		}
		if err := stack.SetConfig(ctx, "members", auto.ConfigValue{Value: string(list)}); err != nil {
			return err
		}
	}

	var report struct {
		Changes map[apitype.OpType]int `json:"changes"`
		Outputs map[string]any         `json:"outputs,omitempty"`
	}
	switch command {
	case "up":
		result, err := stack.Up(ctx, optup.ProgressStreams(os.Stdout))
		if err != nil {
			return err
		}
		report.Changes = opTypes(result.Summary.ResourceChanges)
		report.Outputs = map[string]any{}
		for name, output := range result.Outputs {
			report.Outputs[name] = output.Value
		}
	case "preview":
		opts := []optpreview.Option{optpreview.ProgressStreams(os.Stdout)}
		if *diff {
			opts = append(opts, optpreview.Diff())
		}
		result, err := stack.Preview(ctx, opts...)
		if err != nil {
			return err
		}
		report.Changes = result.ChangeSummary
	case "destroy":
		result, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout))
		if err != nil {
			return err
		}
		report.Changes = opTypes(result.Summary.ResourceChanges)
	default:
		return fmt.Errorf("unknown command %q; %s", command, usage)
	}
	summary, err := json.Marshal(report)
	if err != nil {
		return err
	}
	fmt.Println(string(summary))
	return nil
}

// openStack selects (or creates) the stack and moves the Kantata settings from the environment into its config.
func openStack(ctx context.Context) (auto.Stack, error) {
	pluginDir, err := pluginDir()
	if err != nil {
		return auto.Stack{}, err
	}
	project := workspace.Project{
		Name:    tokens.PackageName("kantata-go-example"),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{{Name: "kantata", Path: pluginDir}}},
	}
	baseURL, token := os.Getenv("KANTATA_BASE_URL"), os.Getenv("KANTATA_API_TOKEN")
	if token == "" {
		return auto.Stack{}, errors.New("set KANTATA_API_TOKEN: it becomes the stack's secret config kantata:apiToken")
	}
	// From here on the settings reach the engine and the plugin only as stack config.
	for _, name := range []string{"KANTATA_BASE_URL", "KANTATA_API_TOKEN"} {
		if err := os.Unsetenv(name); err != nil {
			return auto.Stack{}, err
		}
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", string(project.Name), Program, auto.Project(project))
	if err != nil {
		return auto.Stack{}, err
	}
	config := auto.ConfigMap{"kantata:apiToken": {Value: token, Secret: true}}
	if baseURL != "" {
		config["kantata:baseUrl"] = auto.ConfigValue{Value: baseURL}
	}
	return stack, stack.SetAllConfig(ctx, config)
}

// pluginDir is KANTATA_PLUGIN_DIR, or the repository's bin/ (this program sits in examples/go).
func pluginDir() (string, error) {
	if dir := os.Getenv("KANTATA_PLUGIN_DIR"); dir != "" {
		return filepath.Abs(dir)
	}
	return filepath.Abs(filepath.Join("..", "..", "bin"))
}

// opTypes turns an update's summary (keyed by strings) into a preview's (keyed by OpType).
func opTypes(changes *map[string]int) map[apitype.OpType]int {
	typed := map[apitype.OpType]int{}
	if changes != nil {
		for op, count := range *changes {
			typed[apitype.OpType(op)] = count
		}
	}
	return typed
}
