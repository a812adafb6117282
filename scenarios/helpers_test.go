package scenarios

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
)

// simulateYAML writes the configuration to a file, reads it for the caller (nil: every caller the
// inputs define) and runs the given number of requests with seed 1 at alpha 0.001.
func simulateYAML(t testing.TB, yaml string, from *mesh.Caller, requests int64) *result.Run {
	t.Helper()
	f := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(f, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := LoadFrom([]string{f}, from)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Simulate(in, SimOptions{Requests: requests, Seed: 1, Alpha: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
