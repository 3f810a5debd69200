package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// repoSchema is the checked-in schema, decoded as a generic document the tests can break on purpose.
func repoSchema(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "provider", "plugin", "schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// rootWith lays out a repository root holding this schema and the real package.json.
func rootWith(t *testing.T, doc map[string]any) string {
	t.Helper()
	root := t.TempDir()
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "provider", "plugin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "provider", "plugin", "schema.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	pkg, err := os.ReadFile(filepath.Join("..", "..", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "package.json"), pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func property(doc map[string]any, token, kind, name string) map[string]any {
	return doc["resources"].(map[string]any)[token].(map[string]any)[kind].(map[string]any)[name].(map[string]any)
}

func expectFailure(t *testing.T, root string, wants ...string) {
	t.Helper()
	err := run(root, false)
	if err == nil {
		t.Fatal("generation succeeded on a broken schema")
	}
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %q:\n%v", want, err)
		}
	}
	if _, statErr := os.Stat(filepath.Join(root, "sdk")); !os.IsNotExist(statErr) {
		t.Error("a refused schema still wrote sdk/")
	}
}

func TestAnInvalidSchemaFailsWithTheBindersWords(t *testing.T) {
	doc := repoSchema(t)
	property(doc, "kantata:index:WorkspaceGroup", "inputProperties", "name")["type"] = "strnig"
	expectFailure(t, rootWith(t, doc), "not a valid Pulumi package schema", "inputProperties/name/type", "unknown type kind strnig")
}

func TestAPropertyWithoutADescriptionFails(t *testing.T) {
	doc := repoSchema(t)
	delete(property(doc, "kantata:index:UserGroupMembership", "inputProperties", "user"), "description")
	expectFailure(t, rootWith(t, doc), "1 element(s) without a description", "kantata:index:UserGroupMembership.inputProperties.user")
}

func TestAVersionOtherThanPackageJSONsFails(t *testing.T) {
	doc := repoSchema(t)
	doc["version"] = "0.0.1"
	expectFailure(t, rootWith(t, doc), `version is "0.0.1", but package.json's is`)
}

func TestCheckListsEveryStaleFileAndTheFix(t *testing.T) {
	root := rootWith(t, repoSchema(t))
	if err := run(root, false); err != nil {
		t.Fatal(err)
	}
	if err := run(root, true); err != nil {
		t.Fatalf("check fails right after generation: %v", err)
	}
	sdk := filepath.Join(root, "sdk")
	if err := os.WriteFile(filepath.Join(sdk, "go", "kantata", "provider.go"), []byte("package kantata\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(sdk, "python", "pulumi_kantata", "get_user.py")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sdk, "dotnet", "Stray.cs"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// Hand-owned files and byte-code caches are not the generator's business.
	for _, name := range []string{"go/go.mod", "go/go.sum", "python/pulumi_kantata/__pycache__/x.pyc"} {
		path := filepath.Join(sdk, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := run(root, true)
	if err == nil {
		t.Fatal("check passed a stale sdk/")
	}
	lines := []string{}
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.HasPrefix(line, "  sdk/") {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	want := []string{
		"sdk/dotnet/Stray.cs (not generated: remove it)",
		"sdk/go/kantata/provider.go (differs)",
		"sdk/python/pulumi_kantata/get_user.py (missing)",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("stale files listed as\n%v\nwant\n%v", lines, want)
	}
	if !strings.Contains(err.Error(), "run `npm run gen:sdk`") {
		t.Errorf("the error does not say how to fix it:\n%v", err)
	}
	// Generating again restores it, leaving the hand-owned files alone.
	if err := run(root, false); err != nil {
		t.Fatal(err)
	}
	if err := run(root, true); err != nil {
		t.Fatalf("check fails after regeneration: %v", err)
	}
	if _, err := os.Stat(filepath.Join(sdk, "go", "go.mod")); err != nil {
		t.Errorf("generation removed the hand-owned go.mod: %v", err)
	}
}

func TestGenerationIsDeterministic(t *testing.T) {
	spec, err := loadSpec(filepath.Join("..", "..", "provider", "plugin", "schema.json"), filepath.Join("..", "..", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	second, err := generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Error("two generations from one schema differ")
	}
}
