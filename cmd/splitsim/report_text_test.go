package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReportPrintsWhatTheCommandPrinted: for every kind of result, `splitsim report RESULT.json`
// prints the text the command printed when it saved the result with --json. A saved test result
// gives back each scenario's line and its failed expectations, not only the "N passed, M failed"
// summary.
func TestReportPrintsWhatTheCommandPrinted(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"test", []string{"test", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/testdata/failing", "-n", "2000"},
			"FAIL class jason reaches v2 only"},
		{"lint", []string{"lint", "../../scenarios/missing-subset.yaml"}, "IST0101"},
		{"diff", []string{"diff", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/bookinfo-50-50.yaml", "-n", "2000"}, "v2: 20% -> 50%"},
		{"explain", []string{"explain", "../../scenarios/bookinfo-80-20.yaml", "--random", "7"}, "reviews"},
		{"power", []string{"power", "--weights", "70,30", "--detect", "71,29"}, "35,622 requests"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saved := filepath.Join(dir, tc.name+".json")
			text, stderr, code := runCLI(t, append(tc.args, "--json", saved, "--color", "never")...)
			if code == exitUsage {
				t.Fatalf("exit 2: %s", stderr)
			}
			if !strings.Contains(text, tc.want) {
				t.Fatalf("the command's text lacks %q:\n%s", tc.want, text)
			}
			again, stderr, code := runCLI(t, "report", saved, "--color", "never")
			if code != exitPass {
				t.Fatalf("report: exit %d: %s", code, stderr)
			}
			if again != text {
				t.Errorf("report prints\n%s\nthe command printed\n%s", again, text)
			}
		})
	}
}

// TestReportRefusesAMissingPageByKind: asking report for a page or JUnit file that a kind of result
// does not have is a usage error naming the kind and the kinds that have one, not a Go type.
func TestReportRefusesAMissingPageByKind(t *testing.T) {
	dir := t.TempDir()
	power, lint := filepath.Join(dir, "power.json"), filepath.Join(dir, "lint.json")
	runCLI(t, "power", "--weights", "70,30", "--detect", "71,29", "--json", power)
	runCLI(t, "lint", "../../scenarios/bookinfo-80-20.yaml", "--json", lint)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", power, "--html", filepath.Join(dir, "p.html")},
			"splitsim report: --html: a power result has no HTML page (run, verify, plan, test, lint and diff have one)\n"},
		{[]string{"report", lint, "--junit", filepath.Join(dir, "l.xml")},
			"splitsim report: --junit: a lint result has no JUnit file (run, verify, plan and test have one)\n"},
	} {
		_, stderr, code := runCLI(t, tc.args...)
		if code != exitUsage || stderr != tc.want {
			t.Errorf("%v: exit %d, stderr %q; want exit %d, %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
}
