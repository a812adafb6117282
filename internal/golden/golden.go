// Package golden compares test output with files under testdata, and rewrites them when the tests run
// with -update. It is the one golden-file helper of the module: a mismatch prints a line diff
// (github.com/google/go-cmp), so a failing test shows what changed, not only that something did.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Update is the -update flag: rewrite golden files instead of comparing with them.
var Update = flag.Bool("update", false, "rewrite golden files under testdata instead of comparing with them")

// Path is the golden file testdata/name.
func Path(name string) string { return filepath.Join("testdata", filepath.FromSlash(name)) }

// Check compares got with the golden file testdata/name, or rewrites the file with -update.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := Path(name)
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	t.Errorf("%s differs from the output (-want +got); if the change is intended, run the test with -update and review the diff:\n%s",
		path, Diff(string(want), string(got)))
}

// CheckString is Check for a string.
func CheckString(t testing.TB, name, got string) {
	t.Helper()
	Check(t, name, []byte(got))
}

// Diff is a line diff of want and got (-want +got). Long lines, such as inlined images, are cut to
// keep the diff readable.
func Diff(want, got string) string {
	return cmp.Diff(lines(want), lines(got))
}

func lines(s string) []string {
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		if len(l) > 200 {
			ls[i] = l[:200] + "..."
		}
	}
	return ls
}
