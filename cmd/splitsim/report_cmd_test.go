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

// splitsim runs the CLI in-process.
func splitsim(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

// TestReportReproducesRunHTML: `splitsim run --html` and `splitsim report` of the saved JSON write
// byte-identical pages, equal to the golden page; the run also writes its charts and JUnit file.
func TestReportReproducesRunHTML(t *testing.T) {
	dir := t.TempDir()
	scenario := filepath.Join("testdata", "report", "bookinfo-80-20.yaml")
	runHTML, saved := filepath.Join(dir, "run.html"), filepath.Join(dir, "result.json")
	charts, junit := filepath.Join(dir, "charts"), filepath.Join(dir, "junit.xml")
	_, stderr, code := splitsim(t, "run", scenario, "--html", runHTML, "--png", charts, "--junit", junit, "--json", saved)
	if code != exitPass {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	reportHTML, reportCharts := filepath.Join(dir, "report.html"), filepath.Join(dir, "report-charts")
	stdout, stderr, code := splitsim(t, "report", saved, "--html", reportHTML, "--png", reportCharts)
	if code != exitPass {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "verdict: PASS") {
		t.Errorf("report stdout lacks the text rendering:\n%s", stdout)
	}
	a, err := os.ReadFile(runHTML)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(reportHTML)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("report wrote a different page than run (%d and %d bytes)", len(b), len(a))
	}

	golden.Check(t, "report/bookinfo-80-20.html", b)

	for _, d := range []string{charts, reportCharts} {
		for _, name := range []string{"reviews_rule-0_shares.png", "reviews_rule-0_convergence.png"} {
			data, err := os.ReadFile(filepath.Join(d, name))
			if err != nil {
				t.Errorf("chart missing: %v", err)
			} else if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
				t.Errorf("%s is not a PNG", name)
			}
		}
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var suites report.JUnitSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatalf("junit: %v", err)
	}
	if suites.Tests != 1 || suites.Failures != 0 || len(suites.Suites) != 1 || suites.Suites[0].Cases[0].Name != "rule #0" {
		t.Errorf("junit: %d tests, %d failures, suites %+v; want one passing test case rule #0", suites.Tests, suites.Failures, suites.Suites)
	}
}

// TestRunHTMLEscapesHostileHost: a host named <script>alert(1)</script> comes out escaped.
func TestRunHTMLEscapesHostileHost(t *testing.T) {
	dir := t.TempDir()
	vs := filepath.Join(dir, "vs.yaml")
	yaml := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: evil
spec:
  hosts:
  - "<script>alert(1)</script>"
  http:
  - name: "<img src=x onerror=alert(2)>"
    route:
    - destination:
        host: "<script>alert(1)</script>"
        subset: "<b>v1</b>"
      weight: 60
    - destination:
        host: "<script>alert(1)</script>"
        subset: v2
      weight: 40
`
	if err := os.WriteFile(vs, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	page, charts := filepath.Join(dir, "out.html"), filepath.Join(dir, "charts")
	_, stderr, code := splitsim(t, "run", vs, "-n", "2000", "--html", page, "--png", charts)
	if code == exitUsage {
		// Validation rejecting the host is safe too.
		t.Logf("the configuration was rejected: %s", stderr)
		return
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatalf("exit %d, %s: %v", code, stderr, err)
	}
	html := string(data)
	if strings.Contains(strings.ToLower(html), "<script") || strings.Contains(html, "<img src=x") || strings.Contains(html, "<b>v1") {
		t.Error("the page holds a name from the YAML unescaped")
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the page lacks the escaped host name")
	}
	entries, err := os.ReadDir(charts)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.ContainsAny(e.Name(), "<>/\\\"") {
			t.Errorf("chart file name %q is not sanitised", e.Name())
		}
	}
	if len(entries) != 2 || entries[1].Name() != "script_alert_1_script_rule-0-img_src_x_onerror_alert_2_shares.png" {
		t.Errorf("chart files %v", entries)
	}
}

func TestReportRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "result.json")
	scenario := filepath.Join("testdata", "report", "bookinfo-80-20.yaml")
	if _, stderr, code := splitsim(t, "run", scenario, "-n", "1000", "--json", saved); code != exitPass {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	before, _ := os.ReadFile(saved)
	for _, args := range [][]string{
		{"report", saved, "--html", saved},
		{"report", saved, "--junit", saved},
		{"report", saved, "--html", filepath.Join(dir, "a"), "--junit", filepath.Join(dir, "a")},
		{"run", scenario, "-n", "1000", "--html", scenario},
		{"run", scenario, "-n", "1000", "--json", filepath.Join(dir, "x.json"), "--junit", filepath.Join(dir, "x.json")},
	} {
		_, stderr, code := splitsim(t, args...)
		if code != exitUsage || stderr == "" {
			t.Errorf("%v: exit %d (%q), want 2 and a message", args, code, stderr)
		}
	}
	after, _ := os.ReadFile(saved)
	if !bytes.Equal(before, after) {
		t.Error("the saved result was overwritten")
	}
	if data, _ := os.ReadFile(scenario); !bytes.Contains(data, []byte("kind: Scenario")) {
		t.Error("the scenario was overwritten")
	}
}

func TestReportBadInput(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join("testdata", "report", "bookinfo-80-20.yaml")
	other := filepath.Join(dir, "other.json")
	os.WriteFile(other, []byte(`{"n": 1000, "verdict": "pass"}`), 0o644)
	unknown := filepath.Join(dir, "unknown.json")
	os.WriteFile(unknown, []byte(`{"tool": "splitsim", "verdict": "pass", "n": 3}`), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report"}, "want one RESULT.json"},
		{[]string{"report", filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{"report", notJSON}, "not JSON"},
		{[]string{"report", other}, "not a result of splitsim run"},
		{[]string{"report", unknown}, "not a result of splitsim run, verify or plan"},
		{[]string{"report", other, "-o", "xml"}, "-o/--output"},
	} {
		_, stderr, code := splitsim(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
