package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/result"
)

// VerifyText writes the result of `splitsim verify`.
func VerifyText(w io.Writer, v *result.Verify) error {
	w = safe.NewWriter(w) // names from the inputs: control characters escaped
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "splitsim verify  %s requests  alpha %g", format.Count(v.N), v.Alpha)
	if v.TolerancePP > 0 {
		fmt.Fprintf(ew, "  tolerance %s", format.PercentagePoints(v.TolerancePP))
	}
	fmt.Fprintln(ew)
	if s := v.Source; s != nil {
		if len(s.Config) > 0 {
			fmt.Fprintf(ew, "expected: %s host %s rule %s\n", strings.Join(s.Config, " "), s.Host, s.Rule)
		}
		if s.Observed != "" {
			fmt.Fprintf(ew, "observed: %s (%s)\n", s.Observed, s.Format)
		}
	}
	fmt.Fprintf(ew, "verdict: %s: %s\n\n", strings.ToUpper(string(v.Verdict)), v.Reason)
	conf := format.Confidence(v.Alpha)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "DESTINATION\tWEIGHT\tEXPECTED\tCOUNT\tSHARE\t%s CI\tBINOMIAL P\tHOLM P\t\n", conf)
	for _, d := range v.Destinations {
		mark := ""
		if d.Off {
			mark = "<- off"
		}
		fmt.Fprintf(tw, "%s\t%g\t%s\t%s\t%s\t[%s, %s]\t%s\t%s\t%s\n", d.Name, d.Weight, format.Percent(d.ExpectedShare, 3), format.Count(d.Count),
			format.Percent(d.Share, 3), format.Percent(d.CILow, 3), format.Percent(d.CIHigh, 3), format.PValue(d.PValue, d.Log10P), format.AdjustedP(d.PAdjusted), mark)
	}
	tw.Flush()
	fmt.Fprintln(ew)
	gofText(ew, v, true)
	fmt.Fprintf(ew, "effect size (Cohen's w) %.4g; %s\n", v.CohenW, decidingTest(v))
	if s := v.Sequential; s != nil {
		sequentialText(ew, s)
	}
	listText(ew, "warnings", v.Warnings)
	return ew.err
}

// gofText writes the global goodness-of-fit tests of a verify result, one line each; with stdErr,
// the Monte Carlo standard error of the exact test too.
func gofText(w io.Writer, v *result.Verify, stdErr bool) {
	if g := v.Pearson; g != nil {
		fmt.Fprintf(w, "pearson chi-square %.6g, df %d, p %s\n", g.Statistic, g.DF, format.PValue(g.PValue, g.Log10P))
	}
	if g := v.GTest; g != nil {
		fmt.Fprintf(w, "G-test %.6g, df %d, p %s\n", g.Statistic, g.DF, format.PValue(g.PValue, g.Log10P))
	}
	if g := v.Exact; g != nil {
		if stdErr && g.StdErr > 0 {
			fmt.Fprintf(w, "exact multinomial p %s (Monte Carlo, std. error %.2g)\n", format.PValue(g.PValue, g.Log10P), g.StdErr)
		} else {
			fmt.Fprintf(w, "exact multinomial p %s\n", format.PValue(g.PValue, g.Log10P))
		}
	}
}

// sequentialText writes the looks of a sequential test and where it first rejected.
func sequentialText(w io.Writer, s *result.Sequential) {
	fmt.Fprintf(w, "\nsequential test (anytime-valid, Dirichlet prior concentration %g):\n", s.Concentration)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	// The series' own time labels, when it has them (a CSV's interval column).
	labels := lookAxis(s) != "look"
	if labels {
		fmt.Fprintln(tw, "  LOOK\tINTERVAL\tREQUESTS\tSEQUENTIAL P\t")
	} else {
		fmt.Fprintln(tw, "  LOOK\tREQUESTS\tSEQUENTIAL P\t")
	}
	for _, l := range s.Looks {
		mark := ""
		if l.Reject {
			mark = "reject"
		}
		if labels {
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\n", l.Number, l.Label, format.Count(l.N), format.PValue(l.PValue, l.Log10P), mark)
		} else {
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", l.Number, format.Count(l.N), format.PValue(l.PValue, l.Log10P), mark)
		}
	}
	tw.Flush()
	if l := rejectedLook(s); l != nil {
		fmt.Fprintf(w, "first rejected at look %d%s\n", l.Number, lookAt(l))
	} else if s.FirstReject > 0 {
		fmt.Fprintf(w, "first rejected at look %d\n", s.FirstReject)
	} else {
		fmt.Fprintln(w, "not rejected at any look")
	}
}

// PowerText writes the result of `splitsim power`: the requests needed (or the power at -n), the
// verdict's test and how its power was computed, Cohen's w, and what weight-0 destinations add.
func PowerText(w io.Writer, p *result.Power) error {
	w = safe.NewWriter(w) // names from the inputs: control characters escaped
	ew := &errWriter{w: w}
	pct := func(xs []float64) string {
		var s []string
		for _, x := range xs {
			s = append(s, format.Percent(x, 2))
		}
		return strings.Join(s, "/")
	}
	how := p.PowerMethod
	switch p.PowerMethod {
	case "exact":
		how = "computed exactly"
	case "approximation":
		how = "Gaussian quadratic-form approximation"
	case "simulation":
		how = fmt.Sprintf("simulated from %s seeded samples, std. error %.2g", format.Count(int64(p.Replicates)), p.PowerStdErr)
	}
	if p.RequiredN == nil {
		fmt.Fprintf(ew, "power %.4f to tell %s from %s with %s requests (%s)\n",
			p.Power, pct(p.Detect), pct(p.Expected), format.Count(p.N), how)
	} else {
		fmt.Fprintf(ew, "%s %s to tell %s from %s with power %g (power %.4f there, %s)\n",
			format.Count(*p.RequiredN), format.Plural(int(min(*p.RequiredN, 2)), "request", "requests"), pct(p.Detect), pct(p.Expected), p.Power, p.AchievedPower, how)
	}
	n := p.N
	switch p.Test {
	case "violation":
		fmt.Fprintf(ew, "the verdict's test: none (one destination of weight above 0), but a request to a weight-0 destination fails it\n")
	default:
		fmt.Fprintf(ew, "the verdict's test: %s at alpha %g (verify --method %s at %s %s)\n", powerTestName(p.Test), p.Alpha, p.Method, format.Count(n), format.Plural(int(min(n, 2)), "request", "requests"))
	}
	if p.DF >= 1 && p.ZeroWeightShare < 1 { // with every request to weight 0, w has no requests to measure
		fmt.Fprintf(ew, "Cohen's w %.5g over the destinations of weight above 0 (df %d)\n", p.EffectSizeW, p.DF)
	}
	if p.ZeroWeightShare > 0 {
		fmt.Fprintf(ew, "--detect sends %s of the requests to destinations of weight 0: any request there fails the verdict for certain (a definite violation)\n",
			format.Percent(p.ZeroWeightShare, 2))
	}
	return ew.err
}

// powerTestName names a goodness-of-fit test in a sentence.
func powerTestName(test string) string {
	switch test {
	case "pearson":
		return "Pearson's chi-square test"
	case "exact":
		return "the exact multinomial test"
	}
	return test
}

// decidingTest names the test the verdict rests on, once: the exact tolerance test with
// --tolerance, the sequential test over the looks with --sequential, else the fixed-sample test.
func decidingTest(v *result.Verify) string {
	switch {
	case v.TolerancePP > 0:
		return fmt.Sprintf("the verdict uses the exact tolerance test (off by more than %s; %s)", format.PercentagePoints(v.TolerancePP), toleranceAdjustment(len(v.Destinations)))
	case v.Sequential != nil:
		return "the verdict uses the sequential test over the looks"
	}
	return "the verdict uses the " + v.Method + " test"
}
