package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Loading any saved result gives an error or a document whose text renders; never a panic.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		`{"tool": "splitsim", "kind": "verify", "schema_version": 1, "n": 10, "destinations": [{"name": "v1", "count": 7}]}`,
		`{"tool": "splitsim", "kind": "plan", "schema_version": 1, "steps": [{"weight": 1e308, "requests": 5}]}`,
		`{"tool": "splitsim", "kind": "run", "hosts": [{"host": "\u001b[2K", "rules": [{"destinations": [{}]}]}]}`,
		`{"tool": "splitsim", "kind": "power", "n": -1}`,
		`not json`,
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "result.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		doc, err := Load(p)
		if err != nil {
			return
		}
		var b bytes.Buffer
		_ = doc.Text(&b)
	})
}
