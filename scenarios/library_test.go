package scenarios

import (
	"os"
	"path/filepath"
	"slices"
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
