package scenarios

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The bundled library is exactly the YAML files beside the package (and in plans/), so that what
// runs by name is what the repository shows.
func TestLibraryIsTheFilesBesideThePackage(t *testing.T) {
	var want []string
	for _, pattern := range []string{"*.yaml", "plans/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, m...)
	}
	slices.Sort(want)
	got := Library()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("Library() = %v, want %v", got, want)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // away from the package's own YAML files, which would win over the library
	local := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(local, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ arg, want string }{
		{"bookinfo-80-20", "bundled:bookinfo-80-20.yaml"},
		{"bookinfo-80-20.yaml", "bundled:bookinfo-80-20.yaml"},
		{"plans/argo-rollout", "bundled:plans/argo-rollout.yaml"},
		{"bundled:header-jason", "bundled:header-jason.yaml"},
		{local, local}, // a file on disk wins
		{"no-such-scenario", "no-such-scenario"},
		{"../etc/passwd", "../etc/passwd"},
		{"-", "-"},
	} {
		t.Run(tc.arg, func(t *testing.T) {
			if got := Resolve(tc.arg); got != tc.want {
				t.Errorf("Resolve(%q) = %q, want %q", tc.arg, got, tc.want)
			}
		})
	}
}

// A bundled scenario that names another file (spec.config) reads it from the library too.
func TestLoadBundledFollowsConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	in, err := LoadPlan([]string{Resolve("plans/argo-rollout-requirements")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bundled:plans/argo-rollout-requirements.yaml", "bundled:plans/argo-rollout.yaml"}
	if !slices.Equal(in.Files, want) {
		t.Errorf("files read %v, want %v", in.Files, want)
	}
	if _, err := ReadFile("bundled:nothing.yaml"); !os.IsNotExist(err) {
		t.Errorf("a missing bundled file: %v, want a not-exist error", err)
	}
}

// countingReader counts the reads that reach it.
type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

// Inputs on the command line are what kubectl -f takes (k8s.io/cli-runtime
// pkg/resource/visitor.go, ExpandPathsToFileVisitors with recursion, and FileVisitorForSTDIN): files,
// folders walked for .yaml, .yml and .json files in path order, and "-" for standard input, read once
// and named "<stdin>". Bundled scenarios still resolve by name.
func TestExpand(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	a, b, c, single := writeExpandTree(t, dir)
	for _, tc := range []struct {
		name    string
		args    []string
		want    []string
		wantErr string
	}{
		{"a file", []string{single}, []string{single}, ""},
		{"a folder, recursively, sorted by path", []string{filepath.Join(dir, "cfg")}, []string{b, a, c}, ""},
		{"a folder with a trailing slash", []string{"cfg/"}, []string{"cfg/a/z.yml", "cfg/b.yaml", "cfg/c.json"}, ""},
		{"files and folders keep their order", []string{single, "cfg"}, []string{single, "cfg/a/z.yml", "cfg/b.yaml", "cfg/c.json"}, ""},
		{"a folder without inputs", []string{"empty"}, nil, "empty: no .yaml, .yml, .json files in this folder"},
		{"standard input", []string{"-"}, []string{StdinName}, ""},
		{"standard input named twice", []string{"-", single, "-"}, []string{StdinName, single, StdinName}, ""},
		{"a bundled scenario", []string{"bookinfo-80-20"}, []string{"bundled:bookinfo-80-20.yaml"}, ""},
		{"a bundled folder", []string{"plans"}, nil, ""},
		{"a missing file, for the reader to report", []string{"nope.yaml"}, []string{"nope.yaml"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &countingReader{r: strings.NewReader("kind: FromStdin\n")}
			got, err := Expand(tc.args, &Stdin{R: in})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Expand(%v) error %v, want %q", tc.args, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.name == "a bundled folder" {
				checkBundledFolder(t, got)
				return
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Expand(%v) = %v, want %v", tc.args, got, tc.want)
			}
			if slices.Contains(tc.args, "-") {
				checkStdinReadOnce(t, in)
			}
		})
	}
	if _, err := Expand([]string{"-"}, nil); err == nil || !strings.Contains(err.Error(), StdinName) {
		t.Errorf("no standard input: %v", err)
	}
}

// writeExpandTree writes TestExpand's inputs under dir: cfg/ with b.yaml, a/z.yml and c.json beside
// files that are no inputs, single.yaml, and empty/ with no inputs in it. It returns the paths of
// cfg/b.yaml, cfg/a/z.yml, cfg/c.json and single.yaml, in that order.
func writeExpandTree(t *testing.T, dir string) (a, b, c, single string) {
	t.Helper()
	write := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("kind: X\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c = write("cfg/b.yaml"), write("cfg/a/z.yml"), write("cfg/c.json")
	write("cfg/notes.txt")
	write("cfg/README.md")
	single = write("single.yaml")
	if err := os.MkdirAll(filepath.Join(dir, "empty", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("empty/sub/notes.txt")
	return a, b, c, single
}

// checkBundledFolder checks that Expand of the bundled folder "plans" gave every bundled plan, sorted.
func checkBundledFolder(t *testing.T, got []string) {
	t.Helper()
	for _, f := range Library() {
		if strings.HasPrefix(f, "plans/") && !slices.Contains(got, LibraryPrefix+f) {
			t.Errorf("bundled folder: %v lacks %s", got, f)
		}
	}
	if !slices.IsSorted(got) || len(got) == 0 {
		t.Errorf("bundled folder: %v", got)
	}
}

// checkStdinReadOnce checks that Expand read standard input in, and that ReadFile gives what it
// read without reading it again.
func checkStdinReadOnce(t *testing.T, in *countingReader) {
	t.Helper()
	if in.reads == 0 {
		t.Error("standard input not read")
	}
	reads := in.reads
	data, err := ReadFile(StdinName)
	if err != nil || string(data) != "kind: FromStdin\n" {
		t.Errorf("ReadFile(%q) = %q, %v", StdinName, data, err)
	}
	if in.reads != reads {
		t.Error("standard input read again")
	}
}
