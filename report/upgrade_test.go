package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// Load names the key of a verdict that is neither "pass" nor "fail", by its path, in one line; a
// version 1 boolean "passed" is read as a verdict.
func TestLoadRefusesABadVerdict(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"v2 check", `{"tool": "splitsim", "kind": "test", "schema_version": 2, "scenarios": [{"checks": [{"verdict": "maybe"}]}]}`,
			`scenarios.checks.verdict: expected "pass" or "fail", got string "maybe"`},
		{"v2 number", `{"tool": "splitsim", "kind": "run", "schema_version": 2, "checks": [{"verdict": 1}]}`,
			`checks.verdict: expected a string, got number`},
		{"v1 passed", `{"tool": "splitsim", "kind": "run", "schema_version": 1, "checks": [{"passed": true}], "hosts": [{"rules": [{"test": {"passed": false}}]}]}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := loadBody(t, tc.body)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.want != "" && (err == nil || !strings.HasSuffix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n")):
				t.Errorf("error %v, want one line ending %s", err, tc.want)
			}
		})
	}
}

// A verify result saved with schema_version 2 numbered its sequential looks from 0 ("index", and
// "first_reject" -1 for none); Load reads it with looks numbered from 1, as the text says them.
func TestLoadNumbersVersion2LooksFromOne(t *testing.T) {
	for _, tc := range []struct {
		name, body  string
		first       int
		wantNumbers []int
	}{
		{"rejected at the second look", `{"tool": "splitsim", "kind": "verify", "schema_version": 2, "sequential": {"first_reject": 1, "looks": [{"index": 0}, {"index": 1}]}}`, 2, []int{1, 2}},
		{"never rejected", `{"tool": "splitsim", "kind": "verify", "schema_version": 2, "sequential": {"first_reject": -1, "looks": [{"index": 0}]}}`, 0, []int{1}},
		{"version 3 unchanged", `{"tool": "splitsim", "kind": "verify", "schema_version": 3, "sequential": {"first_reject": 1, "looks": [{"look": 1}]}}`, 1, []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _, err := loadBody(t, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			v, ok := r.Value().(*result.Verify)
			if !ok {
				t.Fatalf("Load gave %T", r.Value())
			}
			var got []int
			for _, l := range v.Sequential.Looks {
				got = append(got, l.Number)
			}
			if v.Sequential.FirstReject != tc.first || fmt.Sprint(got) != fmt.Sprint(tc.wantNumbers) {
				t.Errorf("first_reject %d, looks %v; want %d, %v", v.Sequential.FirstReject, got, tc.first, tc.wantNumbers)
			}
		})
	}
}

// loadBody writes body to a file of its own as a saved result and loads it, returning the file's
// path too (errors name it).
func loadBody(t *testing.T, body string) (Document, string, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "result.json")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(p)
	return d, p, err
}
