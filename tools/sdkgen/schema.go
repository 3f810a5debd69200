package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/blang/semver"
	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// loadSpec reads the schema and refuses it, naming every problem, when Pulumi's binder finds it invalid,
// when its version is not package.json's, or when a resource, function, type or property has no
// description (the Registry's API docs and the SDKs' doc comments are made of them).
func loadSpec(schemaPath, packageJSONPath string) (schema.PackageSpec, error) {
	var spec schema.PackageSpec
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return spec, err
	}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&spec); err != nil {
		return spec, fmt.Errorf("%s: %w", schemaPath, err)
	}
	if _, err := bind(spec); err != nil {
		return spec, fmt.Errorf("%s is not a valid Pulumi package schema:\n%w", schemaPath, err)
	}
	var pkg struct{ Version string }
	if raw, err = os.ReadFile(packageJSONPath); err != nil {
		return spec, err
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return spec, fmt.Errorf("%s: %w", packageJSONPath, err)
	}
	if spec.Version != pkg.Version {
		return spec, fmt.Errorf("%s: version is %q, but package.json's is %q: the plugin and its SDKs share one version; set %q",
			schemaPath, spec.Version, pkg.Version, pkg.Version)
	}
	if missing := undescribed(spec); len(missing) > 0 {
		return spec, fmt.Errorf("%s: %d element(s) without a description:\n  %s", schemaPath, len(missing), strings.Join(missing, "\n  "))
	}
	return spec, nil
}

// bind checks the spec against Pulumi's metaschema and binds it; each generator gets a package of its own,
// since generating imports its language's settings into the package.
func bind(spec schema.PackageSpec) (*schema.Package, error) {
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	var errs []string
	for _, diag := range diags {
		line := diag.Summary
		if diag.Detail != "" {
			line += ": " + diag.Detail
		}
		if diag.Severity == hcl.DiagError {
			errs = append(errs, line)
		} else {
			fmt.Fprintln(os.Stderr, "sdkgen: schema warning:", line)
		}
	}
	if len(errs) > 0 {
		return nil, errors.New("  " + strings.Join(errs, "\n  "))
	}
	return pkg, nil
}

// undescribed names every resource, function, type, enum value, configuration variable and property
// without a description, sorted.
func undescribed(spec schema.PackageSpec) []string {
	var missing []string
	need := func(description, where string) {
		if description == "" {
			missing = append(missing, where)
		}
	}
	properties := func(props map[string]schema.PropertySpec, where string) {
		for name, prop := range props {
			need(prop.Description, where+"."+name)
		}
	}
	properties(spec.Config.Variables, "config")
	need(spec.Provider.Description, "provider")
	properties(spec.Provider.InputProperties, "provider.inputProperties")
	for token, res := range spec.Resources {
		need(res.Description, token)
		properties(res.InputProperties, token+".inputProperties")
		properties(res.Properties, token+".properties")
	}
	for token, fn := range spec.Functions {
		need(fn.Description, token)
		if fn.Inputs != nil {
			properties(fn.Inputs.Properties, token+".inputs")
		}
		if fn.Outputs != nil {
			properties(fn.Outputs.Properties, token+".outputs")
		}
	}
	for token, typ := range spec.Types {
		need(typ.Description, token)
		properties(typ.Properties, token)
		for _, value := range typ.Enum {
			need(value.Description, fmt.Sprintf("%s enum value %v", token, value.Value))
		}
	}
	sort.Strings(missing)
	return missing
}

// noReferences is the loader of a schema that references no other package: the kantata schema's types
// are all its own, and a reference to another package is refused.
type noReferences struct{}

var errNoReferences = errors.New("the kantata schema references no other package")

func (noReferences) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errNoReferences
}

func (noReferences) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errNoReferences
}

func (noReferences) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errNoReferences
}

func (noReferences) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errNoReferences
}
