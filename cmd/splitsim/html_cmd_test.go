package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTMLOfTestLintDiff: test, lint and diff write an HTML page with --html, and splitsim report
// renders the result each saved with -o json to the same page.
func TestHTMLOfTestLintDiff(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"test", []string{"test", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/testdata/failing/bookinfo-expects-90-10.yaml", "-n", "20000"},
			exitFail, "1 of 2 scenarios fails."},
		{"lint", []string{"lint", "../../scenarios/missing-subset.yaml"}, exitFail, "1 error in 1 resource"},
		{"diff", []string{"diff", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/bookinfo-50-50.yaml", "-n", "20000"},
			exitPass, "2 shares move, the largest by 30 percentage points."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := filepath.Join(dir, tc.name+".html")
			_, stderr, code := runCLI(t, append(tc.args, "--html", page)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			written, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(written, []byte("<!DOCTYPE html>")) || !bytes.Contains(written, []byte(tc.want)) {
				t.Fatalf("%s is not the %s page (want %q)", page, tc.name, tc.want)
			}
			saved, _, _ := runCLI(t, append(tc.args, "-o", "json")...)
			result := filepath.Join(dir, tc.name+".json")
			if err := os.WriteFile(result, []byte(saved), 0o644); err != nil {
				t.Fatal(err)
			}
			again := filepath.Join(dir, tc.name+"-again.html")
			if _, stderr, code := runCLI(t, "report", result, "--html", again); code != exitPass {
				t.Fatalf("report: exit %d: %s", code, stderr)
			}
			rendered, _ := os.ReadFile(again)
			if tc.name == "test" {
				// Scenario timings differ between two runs: compare without them.
				written, rendered = withoutSeconds(written), withoutSeconds(rendered)
			}
			if !bytes.Equal(written, rendered) {
				t.Error("splitsim report renders the saved result to another page")
			}
		})
	}
}

// withoutSeconds drops the time cells of a test page ("0.01 s").
func withoutSeconds(page []byte) []byte {
	var out []string
	for _, line := range strings.Split(string(page), "\n") {
		if i := strings.Index(line, " s</td>"); i >= 0 {
			j := strings.LastIndex(line[:i], ">")
			line = line[:j+1] + line[i:]
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n"))
}

// TestVerifySharesOverTimePNG: verify --sequential --png DIR writes the shares over time, and its
// page shows the CSV's time labels.
func TestVerifySharesOverTimePNG(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "verify.html")
	_, stderr, code := runCLI(t, "verify", "--weights", "v1=70,v2=30", "--observed", "../../examples/verify/per-minute.csv", "--sequential",
		"--png", dir, "--html", page)
	if code != exitFail {
		t.Fatalf("exit %d, want 1 (the split changes at 10:05): %s", code, stderr)
	}
	for _, name := range []string{"verify_shares.png", "verify_shares_over_time.png", "verify_sequential.png"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s: not written as a PNG (%v)", name, err)
		}
	}
	b, _ := os.ReadFile(page)
	for _, want := range []string{"<td>10:00</td>", "<td>10:11</td>", ">10:04</text>", "look 9 (10:08)"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
