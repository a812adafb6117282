package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

//go:embed html/*.tmpl html/style.css html/extra.css
var htmlFiles embed.FS

var (
	runTemplate    = pageTemplate("run.html.tmpl")
	verifyTemplate = pageTemplate("verify.html.tmpl")
	planTemplate   = pageTemplate("plan.html.tmpl")
	testTemplate   = pageTemplate("test.html.tmpl")
	lintTemplate   = pageTemplate("lint.html.tmpl")
	diffTemplate   = pageTemplate("diff.html.tmpl")
)

// pageTemplate parses one page's template together with the pieces every page shares
// (layout.html.tmpl: the head and verdict, charts, inputs, warnings and footer).
func pageTemplate(name string) *template.Template {
	return template.Must(template.New(name).Funcs(template.FuncMap{"wbr": breakPoints}).
		ParseFS(htmlFiles, "html/layout.html.tmpl", "html/"+name))
}

// breakPoints cuts s after every '|', '.', '/' and ':', so that the template can offer the browser a
// line break (<wbr>) there: cluster names, hosts and file paths wrap at their separators, not
// in the middle of a word.
func breakPoints(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '|', '.', '/', ':':
			parts = append(parts, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		parts = append(parts, s[start:])
	}
	return parts
}

var (
	styleCSS = embeddedCSS("html/style.css")
	// pageCSS is the style of the verify and plan pages: the run page's, and rules for what only
	// they show (wide charts, step tables, severities).
	pageCSS = styleCSS + embeddedCSS("html/extra.css")
)

func embeddedCSS(name string) template.CSS {
	b, err := htmlFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return template.CSS(b)
}

// RunHTML writes the result of `splitsim run` as one self-contained HTML page: the verdict first,
// then the routing overview (per host, the rules in match order and their configured splits, then a
// table of every rule's split, configured and observed), the deviations chart of every split, then
// per host and rule a table and its charts (inline SVG), then the request classes, the inputs and
// the warnings. Above a handful of rules, only the rules that fail or warn keep their own charts: the
// deviations chart shows the others. It fetches nothing from the network. Every name from the
// user's files goes through html/template and is escaped. charts are the run's charts from
// RunCharts; nil builds them. The page depends only on r: rendering a result read back from its JSON
// gives the same bytes.
func RunHTML(w io.Writer, r *result.Run, charts []*Chart) error {
	return renderPage(w, runTemplate, r, charts, RunCharts, runPage)
}

// ChartsPerRuleUpTo is the number of rules up to which every rule of a run page shows its own
// charts; above it only the rules that fail or warn do.
const ChartsPerRuleUpTo = 6

// The page's view: everything formatted, nothing computed beyond counting and formatting.
type htmlPage struct {
	CSS        template.CSS
	Title      string
	Subtitle   string
	Pass       bool
	Verdict    string
	Headline   string
	Detail     string
	Attention  []string
	Confidence string
	Routing    *htmlRouting
	Overview   []htmlOverview
	Deviations []htmlChart
	// Folded says that rules without failures or warnings show no charts of their own.
	Folded     string
	Hosts      []htmlHost
	Classes    []htmlClass
	Inputs     []htmlInput
	InputsHint string
	Warnings   []string
	Tool       string
}

// htmlOverview is one rule's row of the overview table: its split, configured and observed.
type htmlOverview struct {
	Anchor, Host, Rule, Match, Configured, Observed, Requests, P, Result, Class string
}

type htmlHost struct {
	Anchor, Name, Summary, Callers string
	Notes                          []string
	Rules                          []htmlRule
}

type htmlRule struct {
	Anchor, Label, Source, Action, Requests string
	Match                                   string
	Result, ResultClass                     string
	Notes                                   []string
	Dests                                   []htmlDest
	Test                                    string
	TestVerdict                             string
	TestWarnings                            []string
	Charts                                  []htmlChart
	// ChartsFolded says where this rule's charts went when they are not shown.
	ChartsFolded bool
}

type htmlDest struct {
	Name, Cluster, Weight, Expected, Count, Share, CI, Status string
	Bad                                                       bool
}

type htmlChart struct {
	// SVG is the chart as an inline <svg> element.
	SVG          template.HTML
	Alt, Caption string
	Width        int
	Height       int
	// Class is the figure's CSS class: "wide" for charts that need the page's width.
	Class string
}

type htmlClass struct {
	Name, Host, Requests, Rule, Outcome string
}

type htmlInput struct {
	Name, Value string
}

// testNames spells out the test methods of result.Test.
var testNames = map[string]string{
	"pearson": "Pearson's chi-square test",
	"g":       "G-test (likelihood ratio)",
	"exact":   "exact multinomial test",
}

func testName(m string) string {
	if n, ok := testNames[m]; ok {
		return n
	}
	return m + " test"
}

// runPageBuilder builds the run page host by host and rule by rule, and keeps what the verdict and
// the inputs sum up: how many rules were tested and failed, and the test methods used.
type runPageBuilder struct {
	r    *result.Run
	pg   *htmlPage
	conf string
	// byRule holds the charts of each rule, by host and rule index.
	byRule map[[2]int][]*Chart
	// fold is set when only the rules that fail or warn show their charts.
	fold           bool
	tags           map[[2]int][2]string
	tested, failed int
	failedNames    []string
	methods        map[string]bool
	methodList     []string
	warnings       []string
}

func runPage(r *result.Run, charts []*Chart) (*htmlPage, error) {
	b := &runPageBuilder{r: r, conf: format.Confidence(r.Alpha), byRule: map[[2]int][]*Chart{}, methods: map[string]bool{},
		tags: map[[2]int][2]string{}}
	b.pg = runPageHead(r, b.conf)
	rules := 0
	for _, h := range r.Hosts {
		rules += len(h.Rules)
	}
	b.fold = rules > ChartsPerRuleUpTo
	for _, c := range charts {
		if c.Kind == KindDeviations {
			hc, err := chartFigure(c)
			if err != nil {
				return nil, err
			}
			hc.Class = "wide"
			hc.Caption = fmt.Sprintf("Each destination's observed share minus its configured share, in percentage points, with its %s confidence interval (the whisker): a whisker that does not cross 0 is a share the weights do not explain. Rules are grouped by shading; a failing rule is drawn in vermillion.", b.conf)
			b.pg.Deviations = append(b.pg.Deviations, hc)
			continue
		}
		k := [2]int{c.HostIndex, c.RuleIndex}
		b.byRule[k] = append(b.byRule[k], c)
	}
	if b.fold {
		b.pg.Folded = fmt.Sprintf("With %d rules, only the rules that fail or warn show their own charts; the chart above shows every split.", rules)
	}
	for hi := range r.Hosts {
		hh, err := b.host(hi, &r.Hosts[hi])
		if err != nil {
			return nil, err
		}
		b.pg.Hosts = append(b.pg.Hosts, hh)
	}
	b.verdict()
	b.pg.Warnings = append(append([]string{}, r.Warnings...), b.warnings...)
	if n := len(b.pg.Warnings); n > 0 {
		b.pg.Attention = append(b.pg.Attention, warningsAttention(n, "the configuration"))
	}
	b.pg.Routing = runRouting(r, b.tags)
	b.pg.Classes = runClasses(r.Classes)
	b.pg.Inputs = b.inputs()
	b.pg.InputsHint = "The same inputs, seed and request count give the same results on any machine."
	return b.pg, nil
}

// runPageHead is the top of the run page: title, subtitle and verdict.
func runPageHead(r *result.Run, conf string) *htmlPage {
	title := "splitsim run"
	if r.Scenario != "" {
		title += ": " + r.Scenario
	} else if len(r.Files) > 0 {
		title += ": " + strings.Join(r.Files, ", ")
	}
	pg := &htmlPage{CSS: styleCSS, Title: title, Confidence: conf, Pass: r.Verdict == result.Pass,
		Verdict: strings.ToUpper(string(r.Verdict)), Tool: r.Tool + " " + r.Version}
	pg.Subtitle = fmt.Sprintf("%s requests · seed %d · alpha %g (%s confidence) · %s simulation",
		format.Count(r.Requests), r.Seed, r.Alpha, conf, r.Method)
	return pg
}

// host is the section of one host: its notes on requests no rule or subset takes (also called
// to attention at the top), then its rules.
func (b *runPageBuilder) host(hi int, h *result.Host) (htmlHost, error) {
	hh := htmlHost{Anchor: fmt.Sprintf("host-detail-%d", hi), Name: h.Host, Summary: format.Count(h.Requests) + " requests", Callers: CallerLine(h)}
	if h.Unmatched > 0 {
		hh.Notes = append(hh.Notes, fmt.Sprintf("%s requests (%s) matched no rule and get 404 (no route, flag NR).",
			format.Count(h.Unmatched), format.Percent(frac(h.Unmatched, h.Requests), 2)))
	}
	if h.NoCluster > 0 {
		hh.Notes = append(hh.Notes, fmt.Sprintf("%s requests (%s) go to subsets no DestinationRule defines and get 503 (no cluster, flag NC).",
			format.Count(h.NoCluster), format.Percent(frac(h.NoCluster, h.Requests), 2)))
	}
	if h.NoHealthy > 0 {
		hh.Notes = append(hh.Notes, fmt.Sprintf("%s requests (%s) go to subsets that select no pods and get 503 (no healthy upstream, flag UH).",
			format.Count(h.NoHealthy), format.Percent(frac(h.NoHealthy, h.Requests), 2)))
	}
	for _, msg := range hh.Notes {
		b.pg.Attention = append(b.pg.Attention, "host "+h.Host+": "+msg)
	}
	for ri := range h.Rules {
		hr, err := b.rule(hi, ri, h.Host, &h.Rules[ri])
		if err != nil {
			return hh, err
		}
		hh.Rules = append(hh.Rules, hr)
	}
	return hh, nil
}

// warns says whether a rule calls for a look: its test has caveats, or a share of its requests
// gets an error status.
func warns(rule *result.Rule) bool {
	if rule.Test != nil && len(rule.Test.Warnings) > 0 {
		return true
	}
	for _, d := range rule.Destinations {
		if d.Status >= 400 && d.Count > 0 {
			return true
		}
	}
	return false
}

// matchText writes a rule's match blocks in one line: "header end-user exact "jason"" or "every
// request"; blocks are alternatives ("or").
func matchText(rule *result.Rule) string {
	var blocks []string
	for _, m := range rule.Match {
		if m == "" {
			return "every request"
		}
		blocks = append(blocks, m)
	}
	if len(blocks) == 0 {
		return "–" // no route, or a result that does not say
	}
	return strings.Join(blocks, " or ")
}

// splitText writes a rule's configured (observed false) or observed split: "v1 80 / v2 20".
func splitText(rule *result.Rule, observed bool) string {
	if !rule.Action.Forwards() {
		s := string(rule.Action)
		if rule.Status != 0 {
			s += " " + strconv.Itoa(rule.Status)
		}
		return s
	}
	if observed && (rule.Requests == 0 || rule.Forwarded == 0 && rule.Fault != nil) {
		return "–"
	}
	var parts []string
	for _, d := range rule.Destinations {
		x := d.ExpectedShare
		if observed {
			x = d.Share
		}
		n := shareNumber(x)
		if observed {
			n = strings.TrimSuffix(format.ShortPercent(x, 2), "%")
		}
		part := d.Name() + " " + n
		if d.Status >= 400 {
			part += " (" + strconv.Itoa(d.Status) + ")"
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, " / ")
}

// rule is the section of one rule (its destinations, test and charts) and its row of the overview.
func (b *runPageBuilder) rule(hi, ri int, host string, rule *result.Rule) (htmlRule, error) {
	hr := htmlRule{Anchor: fmt.Sprintf("rule-%d-%d", hi, ri), Label: rule.Rule, Source: rule.Source,
		Action: string(rule.Action), Requests: format.Count(rule.Requests), Match: matchText(rule)}
	if rule.Status != 0 {
		hr.Action += " " + strconv.Itoa(rule.Status)
	}
	switch {
	case rule.Unreachable:
		msg := "Unreachable: an earlier catch-all rule takes every request, so Istio generates no route for this rule."
		hr.Notes = append(hr.Notes, msg)
		b.pg.Attention = append(b.pg.Attention, "host "+host+" rule "+rule.Rule+": "+msg)
		if !b.warned(host, rule.Rule, "unreachable") {
			b.warnings = append(b.warnings, "host "+host+" rule "+rule.Rule+" is unreachable: an earlier catch-all rule takes every request")
		}
	case rule.Skipped != "":
		hr.Notes = append(hr.Notes, capitalize(rule.Skipped)+".")
	}
	none := rule.Requests == 0 || rule.Forwarded == 0 && rule.Fault != nil
	for _, d := range rule.Destinations {
		hd := htmlDest{Name: d.Name(), Cluster: d.Cluster, Weight: strconv.Itoa(int(d.Weight)),
			Expected: format.Percent(d.ExpectedShare, 3), Count: format.Count(d.Count), Share: format.Percent(d.Share, 3),
			CI: interval(d.CILow, d.CIHigh, 3), Status: destStatus(rule, d), Bad: d.Status >= 400}
		if d.Weight == 0 && len(rule.Destinations) == 1 {
			hd.Weight = "–" // a single destination needs no weight: it takes every request
		}
		if none {
			hd.Share, hd.CI = "–", "–"
		}
		hr.Dests = append(hr.Dests, hd)
	}
	ov := htmlOverview{Anchor: hr.Anchor, Host: host, Rule: rule.Rule, Match: hr.Match, Requests: hr.Requests, P: "–",
		Configured: splitText(rule, false), Observed: splitText(rule, true)}
	b.ruleTest(&hr, &ov, host, rule)
	b.tags[[2]int{hi, ri}] = [2]string{hr.Result, hr.ResultClass}
	show := !b.fold || hr.ResultClass == "fail" || warns(rule)
	for _, c := range b.byRule[[2]int{hi, ri}] {
		if !show {
			// The deviations chart shows the rules that split their requests.
			hr.ChartsFolded = len(rule.Destinations) > 1
			continue
		}
		hc, err := chartFigure(c)
		if err != nil {
			return hr, err
		}
		switch c.Kind {
		case KindShares:
			hc.Caption = sharesCaption(b.conf)
		case KindConvergence:
			hc.Caption = fmt.Sprintf("Observed share of each destination as requests accumulate (solid), the configured share (dashed) and the band of ±%d standard errors around it, which narrows as 1/√n.", result.FunnelSigmas)
		}
		hr.Charts = append(hr.Charts, hc)
	}
	b.pg.Overview = append(b.pg.Overview, ov)
	return hr, nil
}

// warned says whether the run's warnings already name this host and rule with the given word.
func (b *runPageBuilder) warned(host, rule, word string) bool {
	for _, w := range b.r.Warnings {
		if strings.Contains(w, host) && strings.Contains(w, rule) && strings.Contains(w, word) {
			return true
		}
	}
	return false
}

// ruleTest fills in a rule's test, in its section and its overview row, and counts it.
func (b *runPageBuilder) ruleTest(hr *htmlRule, ov *htmlOverview, host string, rule *result.Rule) {
	t := rule.Test
	if t == nil {
		hr.Result, hr.ResultClass = "not tested", "untested"
		if rule.Unreachable {
			hr.Result = "unreachable"
		}
		hr.TestVerdict = capitalize(untestedReason(rule)) + "."
		ov.Result, ov.Class = hr.Result, hr.ResultClass
		return
	}
	b.tested++
	if !b.methods[t.Method] {
		b.methods[t.Method] = true
		b.methodList = append(b.methodList, testName(t.Method))
	}
	hr.Test = fmt.Sprintf("%s: statistic %.4g with %d %s of freedom, p = %s, Holm-adjusted p = %s.",
		testName(t.Method), t.Statistic, t.DF, format.Plural(t.DF, "degree", "degrees"), format.PValue(t.PValue, t.Log10P), holmP(t))
	if t.Passed {
		hr.Result, hr.ResultClass = "pass", "pass"
		hr.TestVerdict = fmt.Sprintf("Pass: the adjusted p-value is at least alpha = %g, so the observed shares are consistent with the configured weights.", b.r.Alpha)
	} else {
		b.failed++
		b.failedNames = append(b.failedNames, "host "+host+" rule "+rule.Rule)
		hr.Result, hr.ResultClass = "FAIL", "fail"
		hr.TestVerdict = fmt.Sprintf("Fail: the adjusted p-value is below alpha = %g: a split this far from the weights is very unlikely if Envoy follows them.", b.r.Alpha)
	}
	hr.TestWarnings = t.Warnings
	ov.P = holmP(t)
	ov.Result, ov.Class = hr.Result, hr.ResultClass
}

// verdict is the headline and detail of the run page, from the tests counted.
func (b *runPageBuilder) verdict() {
	pg, tested, alpha := b.pg, b.tested, b.r.Alpha
	switch {
	case b.failed > 0:
		pg.Headline = fmt.Sprintf("%d of %d tested %s %s from the configured weights.", b.failed, tested,
			format.Plural(tested, "split", "splits"), format.Plural(b.failed, "differs", "differ"))
		pg.Detail = fmt.Sprintf("Holm-adjusted p < alpha = %g for %s.", alpha, strings.Join(b.failedNames, ", "))
	case tested > 0:
		pg.Headline = fmt.Sprintf("All %d tested splits match their configured weights.", tested)
		if tested == 1 {
			pg.Headline = "The tested split matches its configured weights."
		}
		pg.Detail = fmt.Sprintf("No test rejects at alpha = %g after Holm's correction across %d %s.", alpha, tested, format.Plural(tested, "test", "tests"))
	default:
		pg.Headline = "Nothing to test: no rule splits its traffic between two or more destinations."
	}
	failedChecks := 0
	for _, c := range b.r.Checks {
		if !c.Passed {
			failedChecks++
			pg.Attention = append(pg.Attention, "Expectation failed: "+c.Name+" (expected "+c.Expected+"; observed "+c.Observed+").")
		}
	}
	for _, p := range b.r.Problems {
		pg.Attention = append(pg.Attention, "Problem: "+p+".")
	}
	switch {
	case len(b.r.Problems) > 0:
		pg.Headline = fmt.Sprintf("The configuration answers simulated requests with errors (%s).", format.Counted(len(b.r.Problems), "problem"))
		pg.Detail = b.r.Problems[0] + "."
	case failedChecks > 0:
		pg.Headline = fmt.Sprintf("%d of %d expectations of the scenario fail.", failedChecks, len(b.r.Checks))
		pg.Detail = ""
	case !pg.Pass && b.failed == 0:
		pg.Headline = "The run failed."
	}
}

// runClasses is the table of request classes.
func runClasses(classes []result.Class) []htmlClass {
	var rows []htmlClass
	for _, c := range classes {
		rule := c.Rule
		if rule == "" {
			rule = "–"
		}
		rows = append(rows, htmlClass{Name: c.Name, Host: c.Host, Requests: format.Count(c.Requests), Rule: rule, Outcome: c.Outcome})
	}
	return rows
}

// inputs is the run page's list of inputs.
func (b *runPageBuilder) inputs() []htmlInput {
	r := b.r
	scenario := r.Scenario
	if scenario == "" {
		scenario = "none (every rule gets its own synthesized requests)"
	}
	test := "none"
	if len(b.methodList) > 0 {
		test = strings.Join(b.methodList, ", ") + " per rule, Holm's correction across the run's tests"
	}
	inputs := []htmlInput{
		{"Files", strings.Join(r.Files, ", ")},
		{"Scenario", scenario},
	}
	callers := map[string]bool{}
	var from []string
	for _, h := range r.Hosts {
		if h.From != "" && !callers[h.From] {
			callers[h.From] = true
			from = append(from, h.From)
		}
	}
	if len(from) > 0 {
		inputs = append(inputs, htmlInput{"Callers (--from)", strings.Join(from, ", ")})
	}
	return append(inputs,
		htmlInput{"Seed", strconv.FormatUint(r.Seed, 10)},
		htmlInput{"Requests", format.Count(r.Requests)},
		alphaInput(r.Alpha, b.conf),
		htmlInput{"Simulation method", r.Method},
		htmlInput{"Test", test},
		htmlInput{"Version", r.Tool + " " + r.Version},
	)
}

// sharesCaption is the caption of a shares chart.
func sharesCaption(conf string) string {
	return "Configured share (gray) and observed share (blue) of each destination; the whisker is the " + conf + " confidence interval of the observed share."
}

// warningsAttention calls the warnings about something to attention: "2 warnings about the
// input: see Warnings below."
func warningsAttention(n int, about string) string {
	return fmt.Sprintf("%d %s about %s: see Warnings below.", n, format.Plural(n, "warning", "warnings"), about)
}

// alphaInput is the Alpha line of a page's inputs.
func alphaInput(alpha float64, conf string) htmlInput {
	return htmlInput{"Alpha", fmt.Sprintf("%g (intervals at %s confidence)", alpha, conf)}
}

// interval writes a confidence interval of shares: "[75.307%, 77.285%]".
func interval(low, high float64, decimals int) string {
	return "[" + format.Percent(low, decimals) + ", " + format.Percent(high, decimals) + "]"
}

// chartFigure puts a chart inline as SVG (see inlineSVG), displayed at its size in CSS pixels (96
// per inch) or narrower.
func chartFigure(c *Chart) (htmlChart, error) {
	svg, err := inlineSVG(c)
	if err != nil {
		return htmlChart{}, err
	}
	return htmlChart{SVG: svg, Alt: c.Alt, Width: int(math.Round(c.Width.Points() / 72 * 96)), Height: int(math.Round(c.Height.Points() / 72 * 96))}, nil
}

// renderPage builds the charts of a result when charts is nil, then the page's view of the result
// with page, and renders it with the template t.
func renderPage[R, P any](w io.Writer, t *template.Template, r R, charts []*Chart, build func(R) ([]*Chart, error), page func(R, []*Chart) (P, error)) error {
	if charts == nil {
		var err error
		if charts, err = build(r); err != nil {
			return err
		}
	}
	view, err := page(r, charts)
	if err != nil {
		return err
	}
	return execute(w, t, view)
}

// execute renders a page's template into w, all or nothing.
func execute(w io.Writer, t *template.Template, page any) error {
	var buf bytes.Buffer
	if err := t.Execute(&buf, page); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
