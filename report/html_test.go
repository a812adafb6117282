package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

func htmlOf(t *testing.T, fixture string) string {
	t.Helper()
	return rendered(t, func(w io.Writer) error { return RunHTML(w, loadRun(t, fixture), nil) })
}

func TestRunHTMLLayout(t *testing.T) {
	page := htmlOf(t, "failing.json")
	// The verdict comes first, then hosts and rules, then inputs, then warnings.
	order := []string{`class="verdict fail"`, ">FAIL<", "1 of 2 tested splits differs", `id="overview"`,
		`Host <span class="name">reviews</span>`, `Rule <span class="name">#0</span>`,
		`Host <span class="name">checkout.shop.svc.cluster.local</span>`, `Rule <span class="name">split</span>`,
		`id="classes"`, `id="inputs"`, `id="warnings"`, "experiment-with-a-long-name&#34; of checkout"}
	inOrder(t, page, order)
	for _, want := range []string{"76.310%", "[75.307%, 77.285%]", "15,262", "1.337e-38", "2,002 requests (3.34%)",
		"testdata/report/shop.yaml", "<dt>Seed</dt><dd>3</dd>", "<dt>Requests</dt><dd>20,000</dd>",
		"0.001 (intervals at 99.9% confidence)", "per-request", "splitsim 0.1.0-dev", "Pearson&#39;s chi-square test"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Five charts of the rules (four rules, at most ChartsPerRuleUpTo: each shows its own) and the
	// deviations chart of every split.
	if n := strings.Count(page, `<svg class="chart"`); n != 6 {
		t.Errorf("%d embedded charts, want 6", n)
	}
}

// TestRunHTMLSelfContained: the page loads nothing: no external scripts, styles, images or fonts.
func TestRunHTMLSelfContained(t *testing.T) {
	page := htmlOf(t, "bookinfo-80-20.json")
	selfContained(t, page)
	if !strings.Contains(page, "@media print") {
		t.Error("no print stylesheet")
	}
}

func TestRunHTMLEscapesUserNames(t *testing.T) {
	r := loadRun(t, "failing.json")
	const host = "<script>alert(1)</script>"
	r.Hosts[0].Host = host
	r.Hosts[0].Rules[0].Rule = `<img src=x onerror=alert(2)>`
	r.Hosts[0].Rules[0].Source = `"><svg onload=alert(3)>`
	r.Hosts[0].Rules[0].Destinations[0].Subset = `</td><script>alert(4)</script>`
	r.Hosts[0].Rules[0].Destinations[0].Cluster = `javascript:alert(5)`
	r.Warnings = append(r.Warnings, `<iframe src="//evil.example"></iframe>`)
	r.Files = append(r.Files, `<b>file</b>.yaml`)
	r.Scenario = `</title><script>alert(6)</script>`
	r.Classes[0].Name = `<marquee>`
	var buf bytes.Buffer
	if err := RunHTML(&buf, r, nil); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"<script", "<img src=x", "<svg", "<iframe", "<b>file", "<marquee", `href="javascript`} {
		if strings.Contains(strings.ToLower(withoutCharts(page)), bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;",
		"&#34;&gt;&lt;svg onload=alert(3)&gt;", "&lt;iframe src=&#34;//evil.example&#34;&gt;", "&lt;marquee&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped %q", want)
		}
	}
}

// TestRunHTMLFromJSON: a result saved as JSON and read back renders to the same bytes, so
// `splitsim report` reproduces the page of the run.
func TestRunHTMLFromJSON(t *testing.T) {
	for _, fixture := range []string{"bookinfo-80-20.json", "header-jason.json", "failing.json"} {
		t.Run(fixture, func(t *testing.T) {
			r := loadRun(t, fixture)
			var first bytes.Buffer
			if err := RunHTML(&first, r, nil); err != nil {
				t.Fatal(err)
			}
			var saved bytes.Buffer
			if err := JSON(&saved, r); err != nil {
				t.Fatal(err)
			}
			back := loadRunBytes(t, saved.Bytes())
			var second bytes.Buffer
			if err := RunHTML(&second, back, nil); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Errorf("%s: the page differs after a JSON round trip", fixture)
			}
		})
	}
}

func loadRunBytes(t *testing.T, b []byte) *result.Run {
	t.Helper()
	var r result.Run
	b, err := upgrade(result.KindRun, b)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}
