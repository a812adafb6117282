package report

import (
	"io"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
	"github.com/splitsim/splitsim/result"
)

func verifyHTML(t *testing.T, v *result.Verify) string {
	t.Helper()
	return rendered(t, func(w io.Writer) error { return VerifyHTML(w, v, nil) })
}

func TestVerifyHTMLLayout(t *testing.T) {
	page := verifyHTML(t, loadVerify(t, "verify-prometheus.json"))
	order := []string{`class="verdict fail"`, ">FAIL<", "The observed split differs from the configured weights.",
		"v1: observed 70.200%, configured 80.000%", `id="split"`, `v1 <span class="tag fail">off</span>`,
		"outbound|<wbr>9080|<wbr>v1|<wbr>reviews.<wbr>", `<tr class="chosen"><td>Pearson chi-square</td>`, "Effect size (Cohen&#39;s w): 0.245.",
		`<svg class="chart"`, `id="inputs"`, "scenarios/bookinfo-80-20.yaml: host reviews, rule #0",
		"observe/testdata/scrape.txt (prometheus)", `id="warnings"`, "counting istio_requests_total", `id="how-to-read"`}
	inOrder(t, page, order)
	if strings.Contains(page, `id="sequential"`) || strings.Contains(page, "Sequential p-value</dt>") {
		t.Error("a page without --sequential has a sequential section")
	}
	selfContained(t, page)

	seq := verifyHTML(t, loadVerify(t, "verify-sequential.json"))
	for _, want := range []string{`class="verdict pass"`, "The sequential test does not reject the configured split at any look.",
		`id="sequential"`, "Not rejected at any of the 3 looks", "the fixed-sample tests below are not valid after repeated looks",
		"anytime-valid sequential test (Dirichlet prior concentration 10000)"} {
		if !strings.Contains(seq, want) {
			t.Errorf("sequential page lacks %q", want)
		}
	}
	if n := strings.Count(seq, `<svg class="chart"`); n != 2 {
		t.Errorf("sequential page: %d charts, want 2", n)
	}
	if i, j := strings.Index(seq, `id="sequential"`), strings.LastIndex(seq, `<svg class="chart"`); j < i {
		t.Error("the sequential chart is not in the sequential section")
	}
	// Without a test marked as the verdict's (tolerance), no row is chosen.
	tol := verifyHTML(t, loadVerify(t, "verify-tolerance.json"))
	for _, want := range []string{"A share is off its weight by more than 1 percentage point.", "exact tolerance test, 1 percentage point", "<dt>Tolerance</dt>"} {
		if !strings.Contains(tol, want) {
			t.Errorf("tolerance page lacks %q", want)
		}
	}
	if strings.Contains(tol, `class="chosen"`) {
		t.Error("tolerance page marks a global test as the verdict's")
	}
}

func TestVerifyHTMLEscapesUserNames(t *testing.T) {
	v := loadVerify(t, "verify-prometheus.json")
	v.Destinations[0].Name = "<script>alert(1)</script>"
	v.Destinations[1].Cluster = `"><svg onload=alert(2)>`
	v.Source.Host = `<img src=x onerror=alert(3)>`
	v.Source.Observed = `<iframe src="//evil.example"></iframe>`
	v.Warnings = append(v.Warnings, "<b>warning</b>")
	v.Reason = "<marquee>reason"
	page := verifyHTML(t, v)
	for _, bad := range []string{"<script", "<img src=x", "<svg", "<iframe", "<b>", "<marquee"} {
		if strings.Contains(strings.ToLower(withoutCharts(page)), bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(3)&gt;", "&lt;b&gt;warning&lt;/b&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped %q", want)
		}
	}
}

func TestVerifyHTMLFromJSON(t *testing.T) {
	for _, fixture := range []string{"verify-fail.json", "verify-prometheus.json", "verify-sequential.json", "verify-tolerance.json"} {
		t.Run(fixture, func(t *testing.T) {
			v := loadVerify(t, fixture)
			if first, second := verifyHTML(t, v), verifyHTML(t, roundTrip(t, v)); first != second {
				t.Errorf("%s: the page differs after a JSON round trip", fixture)
			}
		})
	}
}

func verifyJUnit(t *testing.T, v *result.Verify) (JUnitSuites, []byte) {
	t.Helper()
	s, raw := readJUnit(t, func(w io.Writer) error { return VerifyJUnit(w, v) })
	junitConsistent(t, s)
	return s, raw
}

func TestVerifyJUnit(t *testing.T) {
	for _, tc := range []struct {
		fixture                   string
		tests, failures, skipped  int
		firstName, failureMessage string
	}{
		// The split (Pearson) and the three destinations fail.
		{"verify-fail.json", 4, 4, 0, "split: pearson chi-square test",
			"pearson chi-square test: statistic 71.25, df 2, p 3.375e-16 < alpha 0.001; v1 observed 77.000% (99.9% CI [75.586%, 78.355%]) configured 80.000%"},
		{"verify-prometheus.json", 3, 3, 0, "split: pearson chi-square test", "p 1.477e-132 < alpha 0.001"},
		// With --sequential the fixed-sample test is skipped; nothing rejects.
		{"verify-sequential.json", 5, 0, 1, "split: pearson chi-square test", ""},
		{"verify-tolerance.json", 3, 3, 0, "split: every share within 1 percentage point of its weight", "a, b off by more than 1 percentage point (confidence 99.9%)"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			v := loadVerify(t, tc.fixture)
			s, raw := verifyJUnit(t, v)
			if s.Tests != tc.tests || s.Failures != tc.failures || s.Skipped != tc.skipped {
				t.Errorf("%s: %d tests, %d failures, %d skipped; want %d, %d, %d", tc.fixture, s.Tests, s.Failures, s.Skipped, tc.tests, tc.failures, tc.skipped)
				return
			}
			first := s.Suites[0].Cases[0]
			if first.Name != tc.firstName {
				t.Errorf("%s: first case %q, want %q", tc.fixture, first.Name, tc.firstName)
			}
			if tc.failureMessage != "" && (first.Failure == nil || !strings.Contains(first.Failure.Message, tc.failureMessage)) {
				t.Errorf("%s: failure %+v lacks %q", tc.fixture, first.Failure, tc.failureMessage)
			}
			if (s.Failures > 0) != (v.Verdict == result.Fail) {
				t.Errorf("%s: %d failures but verdict %s", tc.fixture, s.Failures, v.Verdict)
			}
			if tc.fixture == "verify-fail.json" {
				golden.Check(t, "verify-fail.junit.xml", raw)
			}
		})
	}
}

// The sequential case decides under --sequential: a rejection fails it (and only it, with the
// destinations the fixed test marked off), naming the look, the p-value and the shares.
func TestVerifyJUnitSequentialReject(t *testing.T) {
	v := sequentialVerify()
	for i := range v.Sequential.Looks {
		n := v.Sequential.Looks[i].N
		v.Sequential.Looks[i].Counts = []int64{n * 775 / 1000, n - n*775/1000}
	}
	s, _ := verifyJUnit(t, v)
	var seq *JUnitCase
	for i, c := range s.Suites[0].Cases {
		if c.Name == "sequential test" {
			seq = &s.Suites[0].Cases[i]
		}
	}
	if seq == nil || seq.Failure == nil {
		t.Fatalf("no failing sequential case: %+v", s.Suites[0].Cases)
	}
	for _, want := range []string{"look 7 (7,000 requests)", "sequential p 0.0007943 < alpha 0.001", "v1 observed 77.500% configured 80.000%"} {
		if !strings.Contains(seq.Failure.Message, want) {
			t.Errorf("message %q lacks %q", seq.Failure.Message, want)
		}
	}
	if c := s.Suites[0].Cases[0]; c.Skipped == nil || !strings.Contains(c.Skipped.Message, "not the verdict") {
		t.Errorf("fixed-sample case under --sequential: %+v", c)
	}
	// A weight-0 destination that received requests is a definite violation.
	v = loadVerify(t, "verify-fail.json")
	v.Destinations[2].ExpectedShare, v.Destinations[2].Weight, v.Destinations[2].Off = 0, 0, true
	v.Reason = "v3 has weight 0 but received 650 requests: a definite violation"
	s, _ = verifyJUnit(t, v)
	if f := s.Suites[0].Cases[3].Failure; f == nil || !strings.Contains(f.Message, "a definite violation") {
		t.Errorf("weight-0 destination: %+v", f)
	}
}

// TestVerifyHTMLSharesOverTime: a sequential verify of a CSV series shows the series' own time
// labels (in the looks table and on the charts' axes), each look's shares, the shares-over-time
// chart in the sequential section, and every option that shaped the counts among the inputs.
func TestVerifyHTMLSharesOverTime(t *testing.T) {
	page := verifyHTML(t, loadVerify(t, "verify-csv-sequential.json"))
	inOrder(t, page, []string{`class="verdict fail"`, "rejects the configured split at look 10 (10:09), after 10,000 requests",
		`id="sequential"`, "<th>Interval</th>", "<td>10:00</td>", "v1 70.2 / v2 29.8", "<td>10:11</td>",
		"Share of each look&#39;s requests, over time", ">10:04</text>", "Sequential p-value look by look", `id="inputs"`,
		"<dt>Observed</dt><dd>examples/verify/per-minute.csv (csv)</dd>", "<dt>Kept (--match)</dt><dd>interval!=&#34;x&#34;</dd>",
		"<dt>Mapped (--map)</dt><dd>v1=v1</dd>", "<dt>Looks (--sequential)</dt><dd>12, from 10:00 to 10:11</dd>"})
	if strings.Contains(page, ">look</text>") {
		t.Error("an axis says look where the series has time labels")
	}
	v := loadVerify(t, "verify-csv-sequential.json")
	v.Source.Before, v.Source.Metric, v.Source.Label, v.Source.Cumulative = "before.prom", "istio_requests_total", "destination_version", true
	page = verifyHTML(t, v)
	for _, want := range []string{"<dt>Subtracted (--before)</dt><dd>before.prom</dd>", "<dt>Metric (--metric)</dt><dd>istio_requests_total</dd>",
		"<dt>Grouped by (--label)</dt><dd>destination_version</dd>", "running totals (--cumulative)"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestVerifyTextTimeLabels: the text of a sequential verify gives each look's time label when the
// series has its own (a CSV's interval column), and none when its labels are the look numbers.
func TestVerifyTextTimeLabels(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		want    []string
		not     string
	}{
		{"verify-csv-sequential.json", []string{"  LOOK  INTERVAL  REQUESTS", "  1     10:00     1,000", "first rejected at look 10 (10:09)\n"}, ""},
		{"verify-sequential.json", []string{"  LOOK  REQUESTS  SEQUENTIAL P"}, "INTERVAL"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			text := rendered(t, func(w io.Writer) error { return VerifyText(w, loadVerify(t, tc.fixture)) })
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
			if tc.not != "" && strings.Contains(text, tc.not) {
				t.Errorf("text has %q:\n%s", tc.not, text)
			}
		})
	}
}
