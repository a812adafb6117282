package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
	"github.com/splitsim/splitsim/report"
)

// TestReportReproducesVerifyAndPlanHTML: `splitsim verify` and `splitsim plan` write --html,
// --png and --junit, and `splitsim report` of their saved JSON writes the same bytes (page,
// charts, JUnit), prints the same text, and gives back the same JSON. The pages equal their golden
// files (go test ./cmd/splitsim -run TestReportReproducesVerifyAndPlanHTML -update rewrites them).
func TestReportReproducesVerifyAndPlanHTML(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		charts []string
		golden string
	}{
		{"verify", []string{"verify", "--weights", "v1=80,v2=15,v3=5", "--counts", "v1=7700,v2=1650,v3=650"}, exitFail,
			[]string{"verify_shares.png"}, "verify-weights.html"},
		{"verify-sequential", []string{"verify", "--weights", "v1=70,v2=30,v3=0", "--observed", "../../observe/testdata/series.json", "--sequential"}, exitPass,
			[]string{"verify_sequential.png", "verify_shares.png", "verify_shares_over_time.png"}, ""},
		{"plan", []string{"plan", "../../scenarios/plans/argo-rollout.yaml", "--rps", "20", "--require-power", "0.8"}, exitFail,
			[]string{"rollouts-demo_timeline.png"}, "plan-argo-rollout.html"},
		{"plan-native", []string{"plan", "../../scenarios/plans/native-plan.yaml"}, exitPass,
			[]string{"reviews-canary_timeline.png"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := func(name string) string { return filepath.Join(dir, name) }
			args := append(append([]string{}, tc.args...), "--html", out("cmd.html"), "--png", out("cmd-charts"),
				"--junit", out("cmd.xml"), "--json", out("result.json"))
			text, stderr, code := splitsim(t, args...)
			if code != tc.code {
				t.Fatalf("%v: exit %d, want %d: %s", tc.args, code, tc.code, stderr)
			}
			rtext, stderr, code := splitsim(t, "report", out("result.json"), "--html", out("report.html"), "--png", out("report-charts"),
				"--junit", out("report.xml"))
			if code != exitPass {
				t.Fatalf("report: exit %d: %s", code, stderr)
			}
			if rtext != text {
				t.Errorf("report prints\n%s\nthe command printed\n%s", rtext, text)
			}
			same := func(a, b string) []byte {
				t.Helper()
				x, err := os.ReadFile(out(a))
				if err != nil {
					t.Fatal(err)
				}
				y, err := os.ReadFile(out(b))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(x, y) {
					t.Errorf("report wrote a different %s than the command's %s (%d and %d bytes)", b, a, len(y), len(x))
				}
				return x
			}
			page := same("cmd.html", "report.html")
			same("cmd.xml", "report.xml")
			for _, c := range tc.charts {
				if png := same(filepath.Join("cmd-charts", c), filepath.Join("report-charts", c)); !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
					t.Errorf("%s is not a PNG", c)
				}
			}
			if entries, _ := os.ReadDir(out("cmd-charts")); len(entries) != len(tc.charts) {
				t.Errorf("%d charts written, want %v", len(entries), tc.charts)
			}
			saved, _ := os.ReadFile(out("result.json"))
			if js, _, _ := splitsim(t, "report", out("result.json"), "-o", "json"); js != string(saved) {
				t.Error("report -o json differs from the saved result")
			}
			if tc.golden == "" {
				return
			}
			golden.Check(t, "report/"+tc.golden, page)
		})
	}
}

// TestVerifyHTMLEscapesHostileDestination: a destination named <script> in --weights comes out
// escaped in the page, and the JUnit file, still well-formed, holds the name as it was given.
func TestVerifyHTMLEscapesHostileDestination(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "verify.html")
	_, stderr, code := splitsim(t, "verify", "--weights", "<script>alert(1)</script>=70,<b>v2</b>=30",
		"--counts", "700,300", "--html", page, "--junit", filepath.Join(dir, "junit.xml"))
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	if strings.Contains(strings.ToLower(html), "<script") || strings.Contains(html, "<b>v2") {
		t.Error("the page holds a destination name unescaped")
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;v2&lt;/b&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks the escaped %q", want)
		}
	}
	x, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var s report.JUnitSuites
	if err := xml.Unmarshal(x, &s); err != nil {
		t.Fatalf("junit with hostile names: %v", err)
	}
	if got := s.Suites[0].Cases[1].Name; got != "destination <script>alert(1)</script>: binomial test against 70%, Holm-adjusted" {
		t.Errorf("case name %q", got)
	}
}

func readReportJUnit(t *testing.T, path string) report.JUnitSuites {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s report.JUnitSuites
	if err := xml.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s is not well-formed: %v", path, err)
	}
	return s
}

// The JUnit files of verify and plan are well-formed, count their cases right, and have failures
// exactly when the command exits 1.
func TestVerifyAndPlanJUnitFiles(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args                     []string
		code                     int
		tests, failures, skipped int
	}{
		// The split and both destinations fail.
		{[]string{"verify", "--weights", "50,50", "--counts", "5500,4500"}, exitFail, 3, 3, 0},
		{[]string{"verify", "--weights", "70,30", "--counts", "720,280"}, exitPass, 3, 0, 0},
		// Sequential: the fixed-sample test is skipped, the sequential test decides.
		{[]string{"verify", "--weights", "v1=70,v2=30,v3=0", "--observed", "../../observe/testdata/series.json", "--sequential"}, exitPass, 5, 0, 1},
		// Tolerance: 55% against 50% is off by more than 2 points.
		{[]string{"verify", "--weights", "50,50", "--counts", "5500,4500", "--tolerance", "2"}, exitFail, 3, 3, 0},
		{[]string{"verify", "--weights", "50,50", "--counts", "5050,4950", "--tolerance", "2"}, exitPass, 3, 0, 0},
		// Four steps (the promotion skipped) and "no other error findings".
		{[]string{"plan", "../../scenarios/plans/argo-rollout.yaml", "--rps", "20", "--require-power", "0.8"}, exitFail, 5, 2, 1},
		{[]string{"plan", "../../scenarios/plans/argo-rollout.yaml", "--rps", "20"}, exitPass, 5, 0, 3},
		{[]string{"plan", "../../scenarios/plans/argo-rollout.yaml", "--rps", "200", "--require-power", "0.8"}, exitPass, 5, 0, 1},
		// Five steps too short, and never-detects: no step reaches the power before promotion.
		{[]string{"plan", "../../scenarios/plans/flagger-canary.yaml", "--rps", "20", "--require-power", "0.5"}, exitFail, 7, 6, 1},
	} {
		path := filepath.Join(dir, "junit.xml")
		_, stderr, code := splitsim(t, append(append([]string{}, tc.args...), "--junit", path)...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, code, tc.code, stderr)
			continue
		}
		s := readReportJUnit(t, path)
		if s.Tests != tc.tests || s.Failures != tc.failures || s.Skipped != tc.skipped {
			t.Errorf("%v: %d tests, %d failures, %d skipped; want %d, %d, %d", tc.args, s.Tests, s.Failures, s.Skipped, tc.tests, tc.failures, tc.skipped)
		}
		if (s.Failures > 0) != (code == exitFail) {
			t.Errorf("%v: %d failures, exit %d", tc.args, s.Failures, code)
		}
	}
}

func TestVerifyAndPlanRefuseToOverwrite(t *testing.T) {
	dir := t.TempDir()
	series := filepath.Join(dir, "series.json")
	data, err := os.ReadFile("../../observe/testdata/series.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(series, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The native plan names its configuration by a relative path, so it stays where it is.
	plan := "../../scenarios/plans/native-plan.yaml"
	pdata, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"verify", "--weights", "70,30,0", "--observed", series, "--html", series},
		{"verify", "--weights", "70,30,0", "--observed", series, "--junit", series},
		{"verify", "--weights", "70,30", "--counts", "7,3", "--json", filepath.Join(dir, "a"), "--html", filepath.Join(dir, "a")},
		{"plan", plan, "--html", plan},
		{"plan", plan, "--json", filepath.Join(dir, "b"), "--junit", filepath.Join(dir, "b")},
	} {
		_, stderr, code := splitsim(t, args...)
		if code != exitUsage || stderr == "" {
			t.Errorf("%v: exit %d (%q), want 2 and a message", args, code, stderr)
		}
	}
	if after, _ := os.ReadFile(series); !bytes.Equal(after, data) {
		t.Error("the observed file was overwritten")
	}
	if after, _ := os.ReadFile(plan); !bytes.Equal(after, pdata) {
		t.Error("the plan was overwritten")
	}
}
