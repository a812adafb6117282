package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// VerifyJUnit writes the result of `splitsim verify` as JUnit XML: one test suite with one test
// case per check.
//
//   - "split": the check the verdict rests on: the global goodness-of-fit test (--method), or with
//     --tolerance the tolerance check. With --sequential (and no tolerance) the fixed-sample test is
//     not valid after repeated looks, so this case is skipped with its figures, and the sequential
//     case decides.
//   - "destination NAME": one per destination: its exact binomial test against its configured
//     share, Holm-adjusted across the destinations (with --tolerance: its share within the
//     tolerance). It fails when the verdict fails and the result marks the destination as a reason.
//   - "sequential test", with --sequential: fails when the anytime-valid test rejects at some look.
//
// So the file has failures exactly when the verdict is fail (exit code 1), and every failure's
// message carries the statistic or p-values against alpha and the observed and configured shares.
func VerifyJUnit(w io.Writer, v *result.Verify) error {
	name := "splitsim verify"
	if where := verifyHostRule(v, " "); where != "" {
		name += " " + where
	}
	root := JUnitSuites{Name: name}
	suite := JUnitSuite{Name: name, Properties: verifyProperties(v)}
	var text bytes.Buffer
	if err := VerifyText(&text, v); err != nil {
		return err
	}
	suite.SystemOut = text.String()
	conf := format.Confidence(v.Alpha)
	if v.TolerancePP > 0 {
		suite.Cases = append(suite.Cases, verifyToleranceCase(v, conf))
	} else {
		suite.Cases = append(suite.Cases, verifyTestCase(v, conf))
	}
	for _, d := range v.Destinations {
		suite.Cases = append(suite.Cases, verifyDestCase(v, d, conf))
	}
	if v.Sequential != nil {
		suite.Cases = append(suite.Cases, verifySequentialCase(v))
	}
	root.add(suite)
	return writeJUnit(w, root)
}

// verifyClass is the classname of every test case of a verify result.
const verifyClass = "splitsim.verify"

// verifyHostRule is "host reviews" and "rule #0" joined by sep, or "" when the result does not
// come from a configuration's host.
func verifyHostRule(v *result.Verify, sep string) string {
	s := v.Source
	if s == nil || s.Host == "" {
		return ""
	}
	out := "host " + s.Host
	if s.Rule != "" {
		out += sep + "rule " + s.Rule
	}
	return out
}

// verifyToleranceCase is the "split" case with --tolerance: it fails when a destination is off by
// more than the tolerance.
func verifyToleranceCase(v *result.Verify, conf string) JUnitCase {
	tc := JUnitCase{Classname: verifyClass, Name: fmt.Sprintf("split: every share within %s of its weight", format.PercentagePoints(v.TolerancePP))}
	var offs []string
	for _, d := range v.Destinations {
		if d.Off {
			offs = append(offs, d.Name)
		}
	}
	if len(offs) == 0 {
		tc.SystemOut = v.Reason + "\n" + verifyTests(v)
		return tc
	}
	tc.Failure = &JUnitFailure{Type: "SplitOutsideTolerance",
		Message: fmt.Sprintf("%s off by more than %s (confidence %s): %s; %s", strings.Join(offs, ", "), format.PercentagePoints(v.TolerancePP), conf, v.Reason, verifyShares(v, conf)),
		Text:    verifyTests(v)}
	return tc
}

// verifyTestCase is the "split" case of the global test (--method): skipped with --sequential,
// where the fixed-sample test is not valid, failed when the verdict fails.
func verifyTestCase(v *result.Verify, conf string) JUnitCase {
	g, label := verifyPrimary(v)
	tc := JUnitCase{Classname: verifyClass, Name: "split: " + label}
	detail := verifyTests(v)
	switch {
	case v.Sequential != nil:
		p := "p unknown"
		if g != nil {
			p = "p " + format.PValue(g.PValue, g.Log10P)
		}
		tc.Skipped = &JUnitSkipped{Message: fmt.Sprintf("not the verdict: with --sequential the sequential test decides; the fixed-sample %s (%s) is not valid after repeated looks", label, p)}
		tc.SystemOut = detail
	case v.Verdict != result.Pass:
		msg := "observed split differs from the configured weights: " + v.Reason
		if g != nil && !strings.Contains(v.Reason, "definite violation") {
			msg = fmt.Sprintf("observed split differs from the configured weights: %s, p %s < alpha %g", gofFigures(label, g), format.PValue(g.PValue, g.Log10P), v.Alpha)
		}
		tc.Failure = &JUnitFailure{Type: "SplitMismatch", Message: msg + "; " + verifyShares(v, conf), Text: detail}
	default:
		tc.SystemOut = v.Reason + "\n" + detail
	}
	return tc
}

// verifyDestCase is the case of one destination: its binomial test (or its share within the
// tolerance), failed when the verdict fails and the result marks the destination off.
func verifyDestCase(v *result.Verify, d result.VerifyDestination, conf string) JUnitCase {
	tc := JUnitCase{Classname: verifyClass}
	figures := fmt.Sprintf("%s observed %s (%s, %s CI %s) configured %s (weight %s): binomial p %s, Holm-adjusted p %s",
		d.Name, format.Percent(d.Share, 3), format.Count(d.Count), conf, interval(d.CILow, d.CIHigh, 3), format.Percent(d.ExpectedShare, 3),
		strconv.FormatFloat(d.Weight, 'g', -1, 64), format.PValue(d.PValue, d.Log10P), format.AdjustedP(d.PAdjusted))
	if v.TolerancePP > 0 {
		tc.Name = fmt.Sprintf("destination %s: within %s of %s", d.Name, format.PercentagePoints(v.TolerancePP), format.ShortPercent(d.ExpectedShare, 3))
	} else {
		tc.Name = fmt.Sprintf("destination %s: binomial test against %s, Holm-adjusted", d.Name, format.ShortPercent(d.ExpectedShare, 3))
	}
	off := d.Off && v.Verdict != result.Pass
	switch {
	case off && d.ExpectedShare == 0 && d.Count > 0:
		tc.Failure = &JUnitFailure{Type: "SplitMismatch", Message: figures + ": weight 0 but received requests, a definite violation"}
	case off && v.TolerancePP > 0:
		tc.Failure = &JUnitFailure{Type: "SplitOutsideTolerance", Message: fmt.Sprintf("%s: off by more than %s with confidence %s", figures, format.PercentagePoints(v.TolerancePP), conf)}
	case off:
		tc.Failure = &JUnitFailure{Type: "SplitMismatch", Message: fmt.Sprintf("%s < alpha %g", figures, v.Alpha)}
	default:
		tc.SystemOut = figures + "\n"
	}
	return tc
}

// verifySequentialCase is the case of the sequential test: failed when it rejects at some look,
// with the shares at that look.
func verifySequentialCase(v *result.Verify) JUnitCase {
	seq := v.Sequential
	tc := JUnitCase{Name: "sequential test", Classname: verifyClass}
	var looks strings.Builder
	for _, l := range seq.Looks {
		mark := ""
		if l.Reject {
			mark = " reject"
		}
		fmt.Fprintf(&looks, "look %d: %s requests, sequential p %s%s\n", l.Number, format.Count(l.N), format.PValue(l.PValue, l.Log10P), mark)
	}
	l := rejectedLook(seq)
	if l == nil {
		tc.SystemOut = fmt.Sprintf("not rejected at any of %d looks (alpha %g)\n", len(seq.Looks), v.Alpha) + looks.String()
		return tc
	}
	msg := fmt.Sprintf("sequential test rejects the configured split at look %d (%s requests): sequential p %s < alpha %g",
		l.Number, format.Count(l.N), format.PValue(l.PValue, l.Log10P), v.Alpha)
	if len(l.Counts) == len(v.Destinations) && l.N > 0 {
		var s []string
		for i, d := range v.Destinations {
			s = append(s, fmt.Sprintf("%s observed %s configured %s", d.Name, format.Percent(float64(l.Counts[i])/float64(l.N), 3), format.Percent(d.ExpectedShare, 3)))
		}
		msg += "; at that look " + strings.Join(s, ", ")
	}
	tc.Failure = &JUnitFailure{Type: "SequentialReject", Message: msg, Text: looks.String()}
	return tc
}

// verifyPrimary is the global test the verdict rests on, and its name.
func verifyPrimary(v *result.Verify) (*result.GOF, string) {
	switch v.Method {
	case "pearson":
		return v.Pearson, "pearson chi-square test"
	case "g":
		return v.GTest, "G-test"
	case "exact":
		return v.Exact, "exact multinomial test"
	case "exact-montecarlo":
		return v.Exact, "exact multinomial test (Monte Carlo)"
	}
	return nil, v.Method + " test"
}

// gofFigures is "pearson chi-square test: statistic 71.25, df 2", or the test's name alone for the
// exact test, whose statistic is not a familiar one.
func gofFigures(label string, g *result.GOF) string {
	if g.DF > 0 && !strings.HasPrefix(label, "exact") {
		return fmt.Sprintf("%s: statistic %.4g, df %d", label, g.Statistic, g.DF)
	}
	return label
}

// verifyShares is every destination's observed share against the configured one, on one line.
func verifyShares(v *result.Verify, conf string) string {
	var s []string
	for _, d := range v.Destinations {
		s = append(s, fmt.Sprintf("%s observed %s (%s CI [%s, %s]) configured %s", d.Name, format.Percent(d.Share, 3), conf,
			format.Percent(d.CILow, 3), format.Percent(d.CIHigh, 3), format.Percent(d.ExpectedShare, 3)))
	}
	return strings.Join(s, ", ")
}

// verifyTests lists the global tests, as in the text report.
func verifyTests(v *result.Verify) string {
	var b strings.Builder
	gofText(&b, v, false)
	fmt.Fprintf(&b, "effect size (Cohen's w) %.4g\n", v.CohenW)
	return b.String()
}

func verifyProperties(v *result.Verify) []JUnitProperty {
	props := []JUnitProperty{
		{"requests", strconv.FormatInt(v.N, 10)},
		{"alpha", strconv.FormatFloat(v.Alpha, 'g', -1, 64)},
		{"method", v.Method},
	}
	if v.TolerancePP > 0 {
		props = append(props, JUnitProperty{"tolerance_pp", strconv.FormatFloat(v.TolerancePP, 'g', -1, 64)})
	}
	if s := v.Source; s != nil {
		if len(s.Config) > 0 {
			props = append(props, JUnitProperty{"config", strings.Join(s.Config, " ")}, JUnitProperty{"host", s.Host}, JUnitProperty{"rule", s.Rule})
		}
		if s.Observed != "" {
			props = append(props, JUnitProperty{"observed", s.Observed}, JUnitProperty{"format", s.Format})
		}
	}
	if v.Sequential != nil {
		props = append(props, JUnitProperty{"looks", strconv.Itoa(len(v.Sequential.Looks))})
	}
	return append(props, JUnitProperty{"version", v.Tool + " " + v.Version}, JUnitProperty{"verdict", string(v.Verdict)})
}
