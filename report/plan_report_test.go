package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/splitsim/splitsim/internal/golden"
	"github.com/splitsim/splitsim/result"
)

func TestPlanCharts(t *testing.T) {
	for _, tc := range []struct {
		fixture, name, alt string
	}{
		{"plan-argo-require.json", "rollouts-demo_timeline", "step 5: canary 50% for 10m, power 0.89; step 6: canary 100% for 0s. 8,989 canary requests over 30m. Step 5 is the first to reach power 0.8."},
		{"plan-native.json", "reviews-canary_timeline", "step 2: canary 10% for 1h (assumed), power 1.00"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			p := loadPlan(t, tc.fixture)
			cs, err := PlanCharts(p)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 1 || cs[0].Name != tc.name || cs[0].Kind != KindTimeline || len(cs[0].panels) != 3 {
				t.Fatalf("%s: charts %v, want one timeline %s with three panels", tc.fixture, chartNames(cs), tc.name)
			}
			c := cs[0]
			if !strings.Contains(c.Alt, tc.alt) {
				t.Errorf("%s: alt text %q lacks %q", tc.fixture, c.Alt, tc.alt)
			}
			b, err := c.PNG()
			if err != nil {
				t.Fatal(err)
			}
			ink, img := inkFraction(t, b)
			if ink < 0.08 {
				t.Errorf("%s: nearly blank (%.1f%% ink)", tc.fixture, 100*ink)
			}
			// The power bars: green where a step reaches the target, vermillion where it falls short.
			if n := countColors(img, [][3]uint8{{0, 158, 115}}, 6)[0]; n < 2000 {
				t.Errorf("%s: %d pixels of the passing bars' green", tc.fixture, n)
			}
			if n := countColors(img, [][3]uint8{{213, 94, 0}}, 6)[0]; n < 2000 {
				t.Errorf("%s: %d pixels of the short bars' vermillion", tc.fixture, n)
			}
			var svg bytes.Buffer
			if err := c.Render(&svg, "svg"); err != nil || !bytes.Contains(svg.Bytes(), []byte("<svg")) {
				t.Errorf("%s: svg: %v", tc.fixture, err)
			}
		})
	}
	// The legend says whether the line is required (--require-power) or a target.
	if p := loadPlan(t, "plan-argo-require.json"); !legendHas(t, p, "required power 0.8 (--require-power)") {
		t.Error("no required-power legend with --require-power")
	}
	if p := loadPlan(t, "plan-native.json"); !legendHas(t, p, "target power 0.8") || !legendHas(t, p, "duration assumed (manual gate or analysis)") {
		t.Error("no target legend, or no legend for the assumed durations")
	}
}

func legendHas(t *testing.T, p *result.Plan, text string) bool {
	t.Helper()
	cs, err := PlanCharts(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cs[0].legend {
		if e.text == text {
			return true
		}
	}
	return false
}

// Odd plans still chart: no duration at all, steps without power, no steps.
func TestPlanChartsEdgeCases(t *testing.T) {
	p := loadPlan(t, "plan-argo-require.json")
	for i := range p.Steps {
		p.Steps[i].Duration, p.Steps[i].Start, p.Steps[i].ErrorRatePower = 0, 0, nil
		p.Steps[i].CumulativeCanaryRequests = 0
	}
	p.TotalDuration, p.DetectingStep = 0, nil
	cs, err := PlanCharts(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs[0].PNG(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cs[0].Alt, "No step reaches power 0.8") {
		t.Errorf("alt %q", cs[0].Alt)
	}
	p.Steps = nil
	if cs, err := PlanCharts(p); err != nil || len(cs) != 0 {
		t.Errorf("no steps: %d charts, %v", len(cs), err)
	}
	var buf bytes.Buffer
	if err := PlanHTML(&buf, p, nil); err != nil {
		t.Fatalf("page of a plan without steps: %v", err)
	}
}

func TestTimelineTicks(t *testing.T) {
	labels := func(tk []plot.Tick) string {
		var s []string
		for _, x := range tk {
			if x.Label != "" {
				s = append(s, x.Label)
			}
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct {
		max  float64
		want string
	}{
		{1800, "0 5m 10m 15m 20m 25m 30m"},
		{360, "0 1m 2m 3m 4m 5m 6m"},
		{9900, "0 30m 1h 1h30m 2h 2h30m"},
		{45, "0 10s 20s 30s 40s"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := labels(timeTicks{labels: true}.Ticks(0, tc.max)); got != tc.want {
				t.Errorf("time 0..%g: %s, want %s", tc.max, got, tc.want)
			}
		})
	}
	if got := labels(timeTicks{}.Ticks(0, 1800)); got != "" {
		t.Errorf("unlabelled time ticks have labels %q", got)
	}
	for _, tc := range []struct {
		max  float64
		want string
	}{
		{10898, "0 2k 4k 6k 8k 10k"},
		{2860, "0 500 1k 1.5k 2k 2.5k"},
		{145772, "0 25k 50k 75k 100k 125k"},
		{1.22, "0 1"}, // counts are whole
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := labels(countTicks{}.Ticks(0, tc.max)); got != tc.want {
				t.Errorf("counts 0..%g: %s, want %s", tc.max, got, tc.want)
			}
		})
	}
}

func planHTML(t *testing.T, p *result.Plan) string {
	t.Helper()
	return rendered(t, func(w io.Writer) error { return PlanHTML(w, p, nil) })
}

func TestPlanHTMLLayout(t *testing.T) {
	page := planHTML(t, loadPlan(t, "plan-argo-require.json"))
	// The verdict comes first, then the tables, the chart, the inputs and the warnings.
	order := []string{`class="verdict fail"`, ">FAIL<", "The plan fails: steps 1 and 3 fall short of the required power 0.8.",
		"Step 5 is the first that can detect an error-rate rise from 1% to 2% (power 0.89, target 0.8).",
		`id="steps"`, `<td class="num short">0.24</td>`, `<td class="num reached">0.89</td>`, `id="findings"`,
		`<span class="tag error">error</span>`, `id="timeline"`, `<figure class="wide"`, `id="inputs"`,
		"0.8 (required: --require-power)", `id="assumptions"`, `id="warnings"`, `id="how-to-read"`}
	inOrder(t, page, order)
	if n := strings.Count(page, `<svg class="chart"`); n != 1 {
		t.Errorf("%d embedded charts, want 1", n)
	}
	pass := planHTML(t, loadPlan(t, "plan-native.json"))
	for _, want := range []string{`class="verdict pass"`, "Step 1 is the first that can detect", "1h*", "* Duration assumed",
		`<span class="tag warning">warning</span>`, `<span class="tag info">info</span>`, "1 warning finding: see Findings below."} {
		if !strings.Contains(pass, want) {
			t.Errorf("passing page lacks %q", want)
		}
	}
	selfContained(t, page)
}

// selfContained fails when the page could fetch anything: scripts, styles, images or fonts from
// elsewhere.
func selfContained(t *testing.T, page string) {
	t.Helper()
	for _, re := range []string{`(?i)<script`, `(?i)<link`, `(?i)@import`, `(?i)url\(`, `(?i)(src|href)\s*=\s*"(https?:)?//`,
		`(?i)<iframe`, `(?i)<object`} {
		if m := regexp.MustCompile(re).FindString(page); m != "" {
			t.Errorf("page has %q: it must not fetch anything", m)
		}
	}
	for _, src := range regexp.MustCompile(`src="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(src[1], "data:image/png;base64,") {
			t.Errorf("image source %.40q is not an embedded PNG", src[1])
		}
	}
}

func TestPlanHTMLEscapesUserNames(t *testing.T) {
	p := loadPlan(t, "plan-native.json")
	p.Name = "</title><script>alert(1)</script>"
	p.VirtualService = `<img src=x onerror=alert(2)>`
	p.Route = `"><svg onload=alert(3)>`
	p.Canary = `subset <b>v2</b>`
	p.Findings[0].Message = `<iframe src="//evil.example"></iframe>`
	p.Findings[0].Source = `<marquee>.yaml:1`
	p.Assumptions = append(p.Assumptions, "<style>body{display:none}</style>")
	p.Warnings = append(p.Warnings, "<script>alert(4)</script>")
	p.Files = append(p.Files, "<b>file</b>.yaml")
	page := planHTML(t, p)
	for _, bad := range []string{"<script", "<img src=x", "<svg", "<iframe", "<b>", "<marquee", "<style>body"} {
		if strings.Contains(strings.ToLower(withoutCharts(page)), bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;",
		"&lt;iframe src=&#34;//evil.example&#34;&gt;", "subset &lt;b&gt;v2&lt;/b&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped %q", want)
		}
	}
	cs, err := PlanCharts(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(cs[0].Name, "<>/\"") {
		t.Errorf("chart name %q is not sanitised", cs[0].Name)
	}
}

// A plan saved as JSON and read back renders to the same page.
func TestPlanHTMLFromJSON(t *testing.T) {
	for _, fixture := range []string{"plan-argo-require.json", "plan-native.json"} {
		t.Run(fixture, func(t *testing.T) {
			p := loadPlan(t, fixture)
			if first, second := planHTML(t, p), planHTML(t, roundTrip(t, p)); first != second {
				t.Errorf("%s: the page differs after a JSON round trip", fixture)
			}
		})
	}
}

func planJUnit(t *testing.T, p *result.Plan) (JUnitSuites, []byte) {
	t.Helper()
	return readJUnit(t, func(w io.Writer) error { return PlanJUnit(w, p) })
}

// junitConsistent checks that every count of the file agrees with its test cases.
func junitConsistent(t *testing.T, s JUnitSuites) {
	t.Helper()
	var tests, failures, skipped int
	for _, su := range s.Suites {
		var f, sk int
		for _, c := range su.Cases {
			if c.Failure != nil {
				f++
			}
			if c.Skipped != nil {
				sk++
			}
			if c.Name == "" || c.Classname == "" {
				t.Errorf("suite %s: a case without name or classname", su.Name)
			}
		}
		if su.Tests != len(su.Cases) || su.Failures != f || su.Skipped != sk {
			t.Errorf("suite %s counts tests %d failures %d skipped %d, its cases %d, %d, %d", su.Name, su.Tests, su.Failures, su.Skipped, len(su.Cases), f, sk)
		}
		tests, failures, skipped = tests+su.Tests, failures+su.Failures, skipped+su.Skipped
	}
	if s.Tests != tests || s.Failures != failures || s.Skipped != skipped {
		t.Errorf("root counts %d/%d/%d, suites %d/%d/%d", s.Tests, s.Failures, s.Skipped, tests, failures, skipped)
	}
}

func TestPlanJUnit(t *testing.T) {
	// --require-power 0.8: steps 0 and 1 fail, step 2 passes, the promotion has nothing to check;
	// there is no other error finding.
	s, raw := planJUnit(t, loadPlan(t, "plan-argo-require.json"))
	junitConsistent(t, s)
	if s.Tests != 5 || s.Failures != 2 || s.Skipped != 1 || len(s.Suites) != 2 {
		t.Fatalf("%d tests, %d failures, %d skipped in %d suites; want 5, 2, 1 in 2", s.Tests, s.Failures, s.Skipped, len(s.Suites))
	}
	f := s.Suites[0].Cases[0].Failure
	if f == nil || !strings.Contains(f.Message, "has power 0.24") || !strings.Contains(f.Message, "--require-power") {
		t.Errorf("step 0 failure %+v", f)
	}
	if c := s.Suites[1].Cases[0]; c.Name != "no other error findings" || c.Failure != nil {
		t.Errorf("findings suite case %+v", c)
	}
	golden.Check(t, "plan-argo-require.junit.xml", raw)

	// Without --require-power a short step is a warning: skipped, not failed.
	s, _ = planJUnit(t, loadPlan(t, "plan-native.json"))
	junitConsistent(t, s)
	if s.Tests != 6 || s.Failures != 0 || s.Skipped != 2 {
		t.Errorf("native plan: %d tests, %d failures, %d skipped; want 6, 0, 2", s.Tests, s.Failures, s.Skipped)
	}
	if sk := s.Suites[0].Cases[0].Skipped; sk == nil || !strings.Contains(sk.Message, "a warning: no --require-power") {
		t.Errorf("short step without --require-power: %+v", sk)
	}

	// Every other error finding is a failing case of its own; two of a kind stay apart.
	p := loadPlan(t, "plan-native.json")
	two, one := 2, 1
	p.Verdict = result.Fail
	p.Findings = append(p.Findings,
		result.PlanFinding{Code: "subset-missing", Severity: "error", Step: &two, Message: `subset "v3" of reviews is not defined`},
		result.PlanFinding{Code: "subset-missing", Severity: "error", Step: &two, Message: `subset "v4" of reviews is not defined`},
		result.PlanFinding{Code: "stable-weight-negative", Severity: "error", Step: &one, Message: "stable weight would be -5"},
		result.PlanFinding{Code: "route-missing", Severity: "error", Message: "route <x> & \x01 missing"})
	s, _ = planJUnit(t, p)
	junitConsistent(t, s)
	var names []string
	for _, c := range s.Suites[1].Cases {
		names = append(names, c.Name)
		if c.Failure == nil {
			t.Errorf("case %s does not fail", c.Name)
		}
	}
	if got := strings.Join(names, "; "); got != "subset-missing (step 2); subset-missing (step 2) #2; stable-weight-negative (step 1); route-missing (plan)" {
		t.Errorf("finding cases: %s", got)
	}
	if s.Failures != 4 {
		t.Errorf("%d failures, want 4", s.Failures)
	}
}

// The file fails exactly when the plan does: what CI's test report shows agrees with the exit code.
func TestPlanJUnitAgreesWithVerdict(t *testing.T) {
	for _, fixture := range []string{"plan-argo-require.json", "plan-native.json"} {
		t.Run(fixture, func(t *testing.T) {
			p := loadPlan(t, fixture)
			s, _ := planJUnit(t, p)
			if (s.Failures > 0) != (p.Verdict == result.Fail) {
				t.Errorf("%s: %d failures, verdict %s", fixture, s.Failures, p.Verdict)
			}
		})
	}
}

// TestPlanRoutingOverview: the plan page opens with the route the rollout drives and the split of
// each step (stable and canary shares as bar widths), before the steps table; the test behind the
// power figures is named for people, without the Go function that computes it.
func TestPlanRoutingOverview(t *testing.T) {
	page := planHTML(t, loadPlan(t, "plan-argo-require.json"))
	inOrder(t, page, []string{`class="verdict fail"`, `id="overview"`, `rh-name name">rollouts-demo`, "VirtualService rollouts-demo-vsvc · route primary",
		`<span class="name">step 1</span>`, `style="flex-basis:95.000%"`, "stable 95</span> / ", "canary 5<", `<span class="name">step 6</span>`, "stable 0</span> / ", "canary 100<", `id="steps"`})
	if strings.Contains(page, "stats.") {
		t.Error("the page names a Go function")
	}
	if !strings.Contains(page, "(normal approximation, Fleiss), on the expected counts") {
		t.Error("the power test is not named")
	}
}

// TestBrokenTimeAxis: an assumed duration that dwarfs the configured steps (a manual pause
// assumed to last 1h between steps of 10m) is drawn 1.5 times the mean configured step long, with
// the time axis's ticks at its ends instead of inside it; the configured steps keep their scale.
// An assumed duration of the steps' own size is drawn to scale.
func TestBrokenTimeAxis(t *testing.T) {
	manual := loadPlan(t, "plan-argo-manual.json")
	for _, tc := range []struct {
		name  string
		steps []result.PlanStep
		spans [][2]float64
		at    map[float64]float64
	}{
		{"manual pause of 1h between steps of 10m", manual.Steps, [][2]float64{{600, 4200}},
			map[float64]float64{0: 0, 600: 600, 2400: 1050, 4200: 1500, 4800: 2100}},
		{"assumed 1h among steps of 15m to 1h", loadPlan(t, "plan-native.json").Steps, nil,
			map[float64]float64{0: 0, 2700: 2700, 9900: 9900}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrokenScale(tc.steps)
			if fmt.Sprint(b.spans) != fmt.Sprint(tc.spans) {
				t.Errorf("compressed spans %v, want %v", b.spans, tc.spans)
			}
			for x, want := range tc.at {
				if got := b.at(x); math.Abs(got-want) > 1e-9 {
					t.Errorf("time %gs drawn at %g, want %g", x, got, want)
				}
			}
		})
	}
	var labels []string
	for _, tk := range (timeTicks{labels: true, skip: [][2]float64{{600, 4200}}, span: 2100}).Ticks(0, 4800) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "0 5m 10m 1h10m 1h15m 1h20m" {
		t.Errorf("time axis labels %s", got)
	}
	cs, err := PlanCharts(manual)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(planHTML(t, manual), "drawn shorter, not to scale") {
		t.Error("the caption does not say that an assumed duration is drawn shorter")
	}
	if _, err := cs[0].PNG(); err != nil {
		t.Fatal(err)
	}
}
