package report

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// VerifyHTML writes the result of `splitsim verify` as one self-contained HTML page, in the look
// of RunHTML: the verdict first, then the destinations with their intervals and binomial tests,
// the global tests, the sequential looks when there are any, each followed by its chart, then the
// inputs and the warnings. charts are the result's charts from VerifyCharts; nil builds them.
// Every name from the user's input is escaped by html/template, and the page depends only on v:
// a result read back from its JSON renders to the same bytes.
func VerifyHTML(w io.Writer, v *result.Verify, charts []*Chart) error {
	return renderPage(w, verifyTemplate, v, charts, VerifyCharts, verifyPageOf)
}

type verifyPage struct {
	*htmlPage
	// Check says what the verdict rests on, in one sentence.
	Check       string
	ShowCluster bool
	Dests       []verifyDest
	Tests       []verifyTest
	Effect      string
	Notes       []string
	SplitCharts []htmlChart
	Sequential  *verifySequential
	Tolerance   bool
}

type verifyDest struct {
	Name, Cluster, Weight, Expected, Count, Share, CI, P, PAdjusted string
	Off                                                             bool
}

type verifyTest struct {
	Name, Statistic, DF, P string
	// Verdict is set on the test the verdict rests on.
	Verdict bool
}

type verifySequential struct {
	Summary, Concentration string
	Rejected               bool
	// Labels and Shares say whether the looks have time labels and shares of their own.
	Labels, Shares bool
	Looks          []verifyLook
	Charts         []htmlChart
}

type verifyLook struct {
	Index, Label, N, Shares, P string
	Reject                     bool
}

// verifyTestNames spells out the tests of result.Verify.Method.
var verifyTestNames = map[string]string{
	"pearson":          "Pearson chi-square test",
	"g":                "G-test (likelihood ratio)",
	"exact":            "exact multinomial test",
	"exact-montecarlo": "exact multinomial test (Monte Carlo)",
}

func verifyTestName(m string) string {
	if n, ok := verifyTestNames[m]; ok {
		return n
	}
	return m + " test"
}

// verifySubject names what a verify result checked: "host reviews · rule #0", the observed file,
// or the counts.
func verifySubject(v *result.Verify) string {
	if where := verifyHostRule(v, " · "); where != "" {
		return where
	}
	if s := v.Source; s != nil && s.Observed != "" && s.Observed != "-" {
		return filepath.Base(s.Observed)
	}
	return "observed counts against weights"
}

func verifyPageOf(v *result.Verify, charts []*Chart) (*verifyPage, error) {
	conf := format.Confidence(v.Alpha)
	pg := &verifyPage{htmlPage: &htmlPage{CSS: pageCSS, Title: "splitsim verify: " + verifySubject(v), Confidence: conf,
		Pass: v.Verdict == result.Pass, Verdict: strings.ToUpper(string(v.Verdict)), Warnings: v.Warnings, Tool: v.Tool + " " + v.Version},
		Tolerance: v.TolerancePP > 0}
	pg.Subtitle = verifySubtitle(v, conf)
	// The verdict: what failed or held, then the result's own reason.
	pg.Headline = verifyHeadline(v)
	// The reason, unless the headline already says it: a passing tolerance or sequential test's
	// reason restates the headline, and the banner said the same sentence twice.
	if detail := capitalize(v.Reason) + "."; v.Reason != "" && detail != pg.Headline && !(v.Verdict == result.Pass && v.TolerancePP > 0) {
		pg.Detail = detail
	}
	pg.Check = verifyCheck(v, conf)
	pg.addDests(v, conf)
	if n := len(v.Warnings); n > 0 {
		pg.Attention = append(pg.Attention, warningsAttention(n, "the input"))
	}
	pg.Tests = verifyTestRows(v)
	pg.Effect = fmt.Sprintf("Effect size (Cohen's w): %.4g.", v.CohenW)
	if v.Unrouted > 0 {
		pg.Notes = append(pg.Notes, fmt.Sprintf("%s observed requests had no upstream cluster (404 no route or 503 no cluster); they are not part of the split.", format.Count(v.Unrouted)))
	}
	if v.Sequential != nil {
		pg.Sequential = verifySequentialSection(v)
		if v.TolerancePP == 0 {
			// The sequential test decides: say what it found, not what the fixed-sample test did.
			pg.Detail = pg.Sequential.Summary
		}
	}
	if err := pg.addCharts(v, charts, conf); err != nil {
		return nil, err
	}
	pg.Inputs = verifyInputs(v, conf)
	return pg, nil
}

// verifySubtitle is the line under the title: requests, alpha, and what the verdict rests on.
func verifySubtitle(v *result.Verify, conf string) string {
	sub := []string{format.Count(v.N) + " requests", fmt.Sprintf("alpha %g (%s confidence)", v.Alpha, conf)}
	seq := v.Sequential
	switch {
	case v.TolerancePP > 0:
		sub = append(sub, "tolerance "+format.PercentagePoints(v.TolerancePP))
	case seq == nil:
		sub = append(sub, "verdict by the "+verifyTestName(v.Method))
	}
	if seq != nil {
		sub = append(sub, fmt.Sprintf("sequential test over %d %s", len(seq.Looks), format.Plural(len(seq.Looks), "look", "looks")))
	}
	return strings.Join(sub, " · ")
}

// verifyHeadline says in one sentence what failed or held.
func verifyHeadline(v *result.Verify) string {
	fail := v.Verdict != result.Pass
	rejected := rejectedLook(v.Sequential)
	switch {
	case fail && rejected != nil:
		return fmt.Sprintf("The sequential test rejects the configured split at look %d%s, after %s requests.", rejected.Number, lookAt(rejected), format.Count(rejected.N))
	case fail && v.TolerancePP > 0:
		return fmt.Sprintf("A share is off its weight by more than %s.", format.PercentagePoints(v.TolerancePP))
	case fail:
		return "The observed split differs from the configured weights."
	case v.TolerancePP > 0:
		return toleranceHeldHeadline(v)
	case v.Sequential != nil:
		return "The sequential test does not reject the configured split at any look."
	}
	return "The observed split is consistent with the configured weights."
}

// toleranceHeldHeadline says that no share is shown off by more than the tolerance and, when an
// observed share is outside the band all the same, that the requests cannot tell it from the band:
// a PASS for 72% against 70 ± 1 must not read as "within 1 point".
func toleranceHeldHeadline(v *result.Verify) string {
	s := fmt.Sprintf("No share is shown to be off its weight by more than %s", format.PercentagePoints(v.TolerancePP))
	worst, off := -1, 0.0
	for i, d := range v.Destinations {
		if diff := math.Abs(d.Share-d.ExpectedShare) * 100; diff > v.TolerancePP && diff > off {
			worst, off = i, diff
		}
	}
	if worst < 0 {
		return s + "."
	}
	d := v.Destinations[worst]
	return fmt.Sprintf("%s: %s is observed %s off (%s against %s), but %s requests cannot tell that from the tolerance.",
		s, d.Name, format.PercentagePoints(math.Round(off*100)/100), format.Percent(d.Share, 3), format.Percent(d.ExpectedShare, 3), format.Count(v.N))
}

// toleranceAdjustment says how the tolerance test's p-values are combined across k destinations.
func toleranceAdjustment(k int) string {
	if k == 2 {
		return "one test: the two shares move together"
	}
	return "Holm-adjusted across the destinations"
}

// verifyCheck says what the verdict rests on, in one sentence.
func verifyCheck(v *result.Verify, conf string) string {
	switch {
	case v.TolerancePP > 0:
		return fmt.Sprintf("The verdict rests on the exact tolerance test: it fails when a destination's share is shown to be off its configured share by more than %s (the test's p-value, %s, at most alpha = %g), or when a weight-0 destination receives requests.",
			format.PercentagePoints(v.TolerancePP), toleranceAdjustment(len(v.Destinations)), v.Alpha)
	case v.Sequential != nil:
		return "The verdict rests on the anytime-valid sequential test: the fixed-sample tests below are not valid after repeated looks at the data, and are shown for reference."
	}
	return fmt.Sprintf("The verdict rests on the %s at alpha = %g; the binomial test of each destination, Holm-adjusted across the destinations, says which ones are off.", verifyTestName(v.Method), v.Alpha)
}

// addDests fills in the destination table, and calls the destinations that fail the verdict to
// attention.
func (pg *verifyPage) addDests(v *result.Verify, conf string) {
	fail := v.Verdict != result.Pass
	for _, d := range v.Destinations {
		if d.Cluster != "" {
			pg.ShowCluster = true
		}
		pg.Dests = append(pg.Dests, verifyDest{Name: d.Name, Cluster: d.Cluster, Weight: strconv.FormatFloat(d.Weight, 'g', -1, 64),
			Expected: format.Percent(d.ExpectedShare, 3), Count: format.Count(d.Count), Share: format.Percent(d.Share, 3),
			CI: interval(d.CILow, d.CIHigh, 3), P: format.PValue(d.PValue, d.Log10P),
			PAdjusted: format.AdjustedP(d.PAdjusted), Off: d.Off && fail})
		if d.Off && fail {
			pg.Attention = append(pg.Attention, fmt.Sprintf("%s: observed %s, configured %s (%s interval %s; Holm-adjusted binomial p %s).",
				d.Name, format.Percent(d.Share, 3), format.Percent(d.ExpectedShare, 3), conf, interval(d.CILow, d.CIHigh, 3), format.AdjustedP(d.PAdjusted)))
		}
	}
}

// verifyTestRows is the table of global tests, with the one the verdict rests on marked.
func verifyTestRows(v *result.Verify) []verifyTest {
	var rows []verifyTest
	add := func(name, method string, g *result.GOF) {
		if g == nil {
			return
		}
		t := verifyTest{Name: name, Statistic: "–", DF: "–", P: format.PValue(g.PValue, g.Log10P),
			Verdict: v.Sequential == nil && v.TolerancePP == 0 && (v.Method == method || method == "exact" && v.Method == "exact-montecarlo")}
		if method != "exact" {
			t.Statistic = strconv.FormatFloat(g.Statistic, 'g', 6, 64)
			t.DF = strconv.Itoa(g.DF)
		} else if g.StdErr > 0 {
			t.Name += " (Monte Carlo)"
			t.P += fmt.Sprintf(" ± %.2g", g.StdErr)
		}
		rows = append(rows, t)
	}
	add("Pearson chi-square", "pearson", v.Pearson)
	add("G-test (likelihood ratio)", "g", v.GTest)
	add("Exact multinomial", "exact", v.Exact)
	return rows
}

// verifySequentialSection is the section of the sequential test: its looks and what they found.
func verifySequentialSection(v *result.Verify) *verifySequential {
	seq := v.Sequential
	rejected := rejectedLook(seq)
	s := &verifySequential{Concentration: strconv.FormatFloat(seq.Concentration, 'g', -1, 64), Rejected: rejected != nil}
	for _, l := range seq.Looks {
		look := verifyLook{Index: strconv.Itoa(l.Number), Label: l.Label, N: format.Count(l.N), P: format.PValue(l.PValue, l.Log10P), Reject: l.Reject}
		if l.Label != "" {
			s.Labels = true
		}
		if len(l.Shares) == len(v.Destinations) {
			s.Shares = true
			var parts []string
			for j, d := range v.Destinations {
				parts = append(parts, d.Name+" "+strings.TrimSuffix(format.ShortPercent(l.Shares[j], 1), "%"))
			}
			look.Shares = strings.Join(parts, " / ")
		}
		s.Looks = append(s.Looks, look)
	}
	if l := rejected; l != nil {
		s.Summary = fmt.Sprintf("First rejected at look %d%s, after %s requests (sequential p %s < alpha %g).", l.Number, lookAt(l), format.Count(l.N), format.PValue(l.PValue, l.Log10P), v.Alpha)
	} else {
		s.Summary = fmt.Sprintf("Not rejected at any of the %d looks: the sequential p-value stays at or above alpha = %g.", len(seq.Looks), v.Alpha)
	}
	return s
}

// addCharts places the charts: the sequential chart in the sequential section, the others under
// the destination table.
func (pg *verifyPage) addCharts(v *result.Verify, charts []*Chart, conf string) error {
	for _, c := range charts {
		hc, err := chartFigure(c)
		if err != nil {
			return err
		}
		switch c.Kind {
		case KindSharesOverTime:
			hc.Class = "wide"
			hc.Caption = fmt.Sprintf("Each destination's share of the requests of every look on its own (solid), with its %s confidence interval (band), against its configured share (dashed). A correct split wanders inside its band around the dashed line; a line that leaves it for good is a split that changed.", conf)
			if pg.Sequential != nil {
				pg.Sequential.Charts = append(pg.Sequential.Charts, hc)
				continue
			}
		case KindSequential:
			hc.Caption = fmt.Sprintf("The sequential p-value after each look (log scale), against alpha = %g (dashed): the split is rejected at the first look below the line, and a p-value that stays above it never rejects, however often one looks.", v.Alpha)
			if pg.Sequential != nil {
				pg.Sequential.Charts = append(pg.Sequential.Charts, hc)
				continue
			}
		default:
			hc.Caption = sharesCaption(conf)
		}
		pg.SplitCharts = append(pg.SplitCharts, hc)
	}
	return nil
}

// verifyInputs is the verify page's list of inputs: where the weights and the counts came from,
// every option that selected and matched the observations, and what the verdict rests on; with
// them the page can be audited and the command run again.
func verifyInputs(v *result.Verify, conf string) []htmlInput {
	expected := "--weights " + verifyWeights(v)
	observed := "--counts"
	var options []htmlInput
	if s := v.Source; s != nil {
		if len(s.Config) > 0 {
			expected = strings.Join(s.Config, ", ") + ": host " + s.Host + ", rule " + s.Rule
		}
		if s.Observed != "" {
			observed = observedInput(s)
		}
		if s.Before != "" {
			options = append(options, htmlInput{"Subtracted (--before)", s.Before})
		}
		if s.Metric != "" {
			options = append(options, htmlInput{"Metric (--metric)", s.Metric})
		}
		if s.Label != "" {
			options = append(options, htmlInput{"Grouped by (--label)", s.Label})
		}
		if len(s.Match) > 0 {
			options = append(options, htmlInput{"Kept (--match)", strings.Join(s.Match, ", ")})
		}
		if len(s.Map) > 0 {
			options = append(options, htmlInput{"Mapped (--map)", strings.Join(s.Map, ", ")})
		}
		if s.Cumulative {
			options = append(options, htmlInput{"Series", "running totals (--cumulative), read as the differences between looks"})
		}
	}
	method := verifyTestName(v.Method)
	switch {
	case v.TolerancePP > 0:
		method = fmt.Sprintf("exact tolerance test, %s (the %s is reported)", format.PercentagePoints(v.TolerancePP), verifyTestName(v.Method))
	case v.Sequential != nil:
		method = fmt.Sprintf("anytime-valid sequential test (Dirichlet prior concentration %s)", strconv.FormatFloat(v.Sequential.Concentration, 'g', -1, 64))
	}
	inputs := append([]htmlInput{
		{"Expected", expected},
		{"Observed", observed},
	}, options...)
	if s := v.Sequential; s != nil && len(s.Looks) > 0 {
		labels := lookLabels(s)
		inputs = append(inputs, htmlInput{"Looks (--sequential)", fmt.Sprintf("%d, from %s to %s", len(s.Looks), labels[0], labels[len(labels)-1])})
	}
	inputs = append(inputs,
		htmlInput{"Requests", format.Count(v.N)},
		alphaInput(v.Alpha, conf),
		htmlInput{"Verdict by", method},
	)
	if v.Unrouted > 0 {
		inputs = append(inputs, htmlInput{"Without upstream", format.Count(v.Unrouted) + " requests, left out of the split"})
	}
	return append(inputs, htmlInput{"Version", v.Tool + " " + v.Version})
}

// observedInput names the observed file and its format: "scrape.txt (prometheus)", "standard
// input (json)".
func observedInput(s *result.VerifySource) string {
	observed := s.Observed
	if s.Observed == "-" {
		observed = "standard input"
	}
	if s.Format != "" {
		observed += " (" + s.Format + ")"
	}
	return observed
}

// lookAt is " (10:04)": a look's time label, when it has one other than its number.
func lookAt(l *result.Look) string {
	if l.Label == "" || l.Label == strconv.Itoa(l.Number) {
		return ""
	}
	return " (" + l.Label + ")"
}

// rejectedLook is the look at which a sequential test first rejects, or nil when it never does (or
// there is no sequential test).
func rejectedLook(s *result.Sequential) *result.Look {
	if s == nil || s.FirstReject < 1 || s.FirstReject > len(s.Looks) {
		return nil
	}
	return &s.Looks[s.FirstReject-1]
}

// verifyWeights writes the configured weights as --weights takes them: v1=70,v2=30.
func verifyWeights(v *result.Verify) string {
	var parts []string
	for _, d := range v.Destinations {
		parts = append(parts, d.Name+"="+strconv.FormatFloat(d.Weight, 'g', -1, 64))
	}
	return strings.Join(parts, ",")
}

// capitalize is s with its first letter in upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
