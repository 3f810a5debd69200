// Command sdkgen generates the kantata SDKs for Go, Python and .NET from THE schema,
// provider/plugin/schema.json, with Pulumi's own code generators (`pulumi package gen-sdk` would need each
// language's host, which these machines can't get). With -check it writes nothing and fails, listing the
// files, when the checked-in sdk/ differs from what it would generate.
//
//	go run . -root ../..          (npm run gen:sdk)
//	go run . -root ../.. -check   (npm run check:sdk)
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	root := flag.String("root", "../..", "the repository's root directory")
	check := flag.Bool("check", false, "write nothing; fail when sdk/ differs from what would be generated")
	flag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}

func run(root string, check bool) error {
	const schemaName = "provider/plugin/schema.json"
	schemaPath := filepath.Join(root, filepath.FromSlash(schemaName))
	spec, err := loadSpec(schemaPath, filepath.Join(root, "package.json"))
	if err != nil {
		return err
	}
	files, err := generate(spec)
	if err != nil {
		return err
	}
	sdkDir := filepath.Join(root, "sdk")
	if check {
		stale, err := compare(sdkDir, files)
		if err != nil {
			return err
		}
		if len(stale) > 0 {
			return fmt.Errorf("sdk/ is stale: %d file(s) differ from what %s generates:\n  %s\n"+
				"Fix: run `npm run gen:sdk` and commit sdk/", len(stale), schemaName, strings.Join(stale, "\n  "))
		}
		fmt.Printf("sdk/ is up to date with %s (%d files)\n", schemaName, len(files))
		return nil
	}
	if err := write(sdkDir, files); err != nil {
		return err
	}
	fmt.Printf("generated %d files under sdk/ from %s\n", len(files), schemaName)
	return nil
}

// handOwned are files under sdk/ that the generator never writes: the Go SDK's module files, kept by
// `go mod tidy` (its go.sum needs the module proxy, which generation must not).
var handOwned = map[string]bool{"go/go.mod": true, "go/go.sum": true}

// languages are the folders under sdk/ that the generator owns entirely (but handOwned).
var languages = []string{"go", "python", "dotnet"}

// compare lists, sorted, every generated file that is missing or different under sdkDir, and every file
// there that generation would not write.
func compare(sdkDir string, files map[string][]byte) ([]string, error) {
	var stale []string
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(sdkDir, filepath.FromSlash(name)))
		switch {
		case os.IsNotExist(err):
			stale = append(stale, "sdk/"+name+" (missing)")
		case err != nil:
			return nil, err
		case string(got) != string(want):
			stale = append(stale, "sdk/"+name+" (differs)")
		}
	}
	present, err := existing(sdkDir)
	if err != nil {
		return nil, err
	}
	for _, name := range present {
		if _, ok := files[name]; !ok {
			stale = append(stale, "sdk/"+name+" (not generated: remove it)")
		}
	}
	sort.Strings(stale)
	return stale, nil
}

// existing lists the files under the generated languages' folders, slash-separated and relative to
// sdkDir, but handOwned files and Python's byte-code caches.
func existing(sdkDir string) ([]string, error) {
	var names []string
	for _, language := range languages {
		dir := filepath.Join(sdkDir, language)
		err := filepath.WalkDir(dir, func(path string, entry os.DirEntry, err error) error {
			if os.IsNotExist(err) && path == dir {
				return filepath.SkipDir
			}
			if err != nil {
				return err
			}
			if entry.IsDir() {
				if entry.Name() == "__pycache__" {
					return filepath.SkipDir
				}
				return nil
			}
			rel, err := filepath.Rel(sdkDir, path)
			if err != nil {
				return err
			}
			if name := filepath.ToSlash(rel); !handOwned[name] {
				names = append(names, name)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return names, nil
}

// write makes sdkDir hold exactly the generated files (and the handOwned ones).
func write(sdkDir string, files map[string][]byte) error {
	present, err := existing(sdkDir)
	if err != nil {
		return err
	}
	for _, name := range present {
		if _, ok := files[name]; !ok {
			if err := os.Remove(filepath.Join(sdkDir, filepath.FromSlash(name))); err != nil {
				return err
			}
		}
	}
	for name, content := range files {
		path := filepath.Join(sdkDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
