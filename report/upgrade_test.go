package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Load names the key of a verdict that is neither "pass" nor "fail", by its path, in one line; a
// version 1 boolean "passed" is read as a verdict.
func TestLoadRefusesABadVerdict(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, body, want string }{
		{"v2 check", `{"tool": "splitsim", "kind": "test", "schema_version": 2, "scenarios": [{"checks": [{"verdict": "maybe"}]}]}`,
			`scenarios.checks.verdict: expected "pass" or "fail", got string "maybe"`},
		{"v2 number", `{"tool": "splitsim", "kind": "run", "schema_version": 2, "checks": [{"verdict": 1}]}`,
			`checks.verdict: expected a string, got number`},
		{"v1 passed", `{"tool": "splitsim", "kind": "run", "schema_version": 1, "checks": [{"passed": true}], "hosts": [{"rules": [{"test": {"passed": false}}]}]}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
			if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.want != "" && (err == nil || !strings.HasSuffix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n")):
				t.Errorf("error %v, want one line ending %s", err, tc.want)
			}
		})
	}
}
