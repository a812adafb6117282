package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/safe"
)

// Load reads only a regular file of bounded size, and names a wrong value by its JSON field, never
// by encoding/json's Go names.
func TestLoadRefusesHostileFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := `{"tool": "splitsim", "kind": "plan", "schema_version": 1, `
	for _, tc := range []struct {
		name, path string
		limit      int64
		want       string
	}{
		{"/dev/zero", "/dev/zero", 0, "/dev/zero: not a regular file (a character device)"},
		{"a folder", dir, 0, "not a regular file (a folder)"},
		{"over the limit", write("big.json", head+`"name": "`+strings.Repeat("x", 2000)+`"}`), 1000, "bytes, more than the limit of 1000 bytes per input"},
		{"a wrong type", write("seed.json", head+`"seed": 1e308}`), 0, "seed.json: seed: expected a non-negative integer, got number 1e308"},
		{"a wrong type in a list", write("steps.json", head+`"steps": [{"requests": "x"}]}`), 0, "steps.json: steps.requests: expected an integer, got string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			safe.SetMaxInput(tc.limit)
			defer safe.SetMaxInput(0)
			_, err := Load(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "Go struct") || strings.Contains(err.Error(), "json: cannot") {
				t.Errorf("error %q holds a Go decoder text", err)
			}
		})
	}
}
