package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/splitsim/splitsim/mesh"
)

// File is a scenario file found by Find.
type File struct {
	Path string
	Name string // the scenario's name, or the file's base name
	Err  error  // set when the file cannot be tested as a scenario
}

// Find lists the scenario files under roots, sorted by path. A folder is searched recursively for
// .yaml and .yml files holding a kind: Scenario document; subfolders named testdata or starting with
// "." or "_" are skipped (as go test ./... skips them). A file named explicitly must hold a scenario.
func Find(roots []string) ([]File, error) {
	var seen seenFiles // the same file under two spellings is tested once
	var out []File
	add := func(f File) {
		if !seen.add(f.Path) {
			out = append(out, f)
		}
	}
	for _, root := range roots {
		fi, err := os.Stat(root)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: %v", root, pe.Err)
			}
			return nil, err
		}
		if !fi.IsDir() {
			f, ok := scenarioFile(filepath.Clean(root))
			if !ok {
				return nil, fmt.Errorf("%s: no scenario in this file (a document with apiVersion %s and kind: %s)", root, APIVersion, Kind)
			}
			add(f)
			continue
		}
		if err := findIn(root, add); err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// findIn walks a folder for scenario files.
func findIn(root string, add func(File)) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		if f, ok := scenarioFile(path); ok {
			add(f)
		}
		return nil
	})
}

var scenarioKind = regexp.MustCompile(`(?m)^\s*kind:\s*["']?Scenario\b`)

// scenarioFile reads a file and reports whether it holds a scenario. A file that cannot be read or
// split into documents but mentions kind: Scenario is returned with its error, so that a broken
// scenario fails rather than vanishing from the suite.
func scenarioFile(path string) (File, bool) {
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	data, err := ReadFile(path)
	if err != nil {
		return File{Path: path, Name: name, Err: fmt.Errorf("%s: %v", path, pathCause(err))}, true
	}
	docs, err := mesh.Split(path, data)
	if err != nil {
		if scenarioKind.Match(data) {
			return File{Path: path, Name: name, Err: err}, true
		}
		return File{}, false
	}
	n := 0
	for _, d := range docs {
		if Is(d) {
			if n == 0 && d.Name != "" {
				name = d.Name
			}
			n++
		}
	}
	switch {
	case n == 0:
		return File{}, false
	case n > 1:
		return File{Path: path, Name: name, Err: fmt.Errorf("%s: %d scenarios in one file; splitsim test takes one scenario per file", path, n)}, true
	}
	return File{Path: path, Name: name}, true
}

// Select lists the scenario files under roots (the current folder when none) whose name matches
// runRe, the regular expression of `splitsim test --run`.
func Select(roots []string, runRe string) ([]File, error) {
	var re *regexp.Regexp
	if runRe != "" {
		var err error
		if re, err = regexp.Compile(runRe); err != nil {
			return nil, fmt.Errorf("--run: %v", err)
		}
	}
	if len(roots) == 0 {
		roots = []string{"."}
	}
	found, err := Find(roots)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("no scenario files (YAML with a kind: Scenario document) in %s", strings.Join(roots, " "))
	}
	var files []File
	for _, f := range found {
		if re == nil || re.MatchString(f.Name) {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("--run %q matches none of the %d scenarios", runRe, len(found))
	}
	return files, nil
}
