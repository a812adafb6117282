package verify

import (
	"fmt"
	"math"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/stats"
)

// Input is what `splitsim verify` tests: one set of counts against one set of weights.
type Input struct {
	Names    []string
	Clusters []string // optional, per destination
	Weights  []float64
	Counts   []int64
	Alpha    float64
	Method   string // pearson, g, exact or auto
	// TolerancePP > 0 turns the verdict into "no destination is off by more than this many
	// percentage points, with confidence 1-alpha".
	TolerancePP float64
	Seed        uint64 // for the Monte Carlo exact test
}

// Test tests observed counts against configured weights. Every test is reported; the verdict rests
// on Method (auto: the exact multinomial test when an expected count is below 5, else Pearson), or on
// the tolerance check when TolerancePP is set. A destination with weight 0 that received requests is a
// definite violation.
func Test(in Input) (*result.Verify, error) {
	k := len(in.Weights)
	if k == 0 || len(in.Counts) != k || len(in.Names) != k {
		return nil, fmt.Errorf("need as many counts as weights (got %d counts, %d weights)", len(in.Counts), k)
	}
	var wsum float64
	for i, w := range in.Weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("weight of %s is %v: weights must be non-negative numbers", in.Names[i], w)
		}
		wsum += w
	}
	if !(wsum > 0) {
		return nil, fmt.Errorf("total weight is 0")
	}
	for i, c := range in.Counts {
		if c < 0 {
			return nil, fmt.Errorf("count of %s is negative (%d)", in.Names[i], c)
		}
	}
	n, ok := stats.SumCounts(in.Counts)
	if !ok {
		return nil, fmt.Errorf("the counts add up to more than %d requests (2^63-1), which cannot be counted", int64(math.MaxInt64))
	}
	if n == 0 {
		return nil, fmt.Errorf("no requests observed")
	}
	shares := make([]float64, k)
	for i, w := range in.Weights {
		shares[i] = w / wsum
	}
	out := &result.Verify{Header: result.NewHeader(result.KindVerify), N: n, Alpha: in.Alpha, TolerancePP: in.TolerancePP}
	pearson := stats.Pearson(in.Counts, shares)
	g := stats.GTest(in.Counts, shares)
	exact := stats.ExactAt(in.Counts, shares, in.Seed, in.Alpha)
	out.Pearson = gof(pearson)
	out.GTest = gof(g)
	out.Exact = gof(exact)
	out.CohenW = pearson.W
	var primary stats.Test
	switch in.Method {
	case "pearson":
		primary = pearson
	case "g":
		primary = g
	case "exact":
		primary = exact
	case "auto", "":
		primary = stats.AutoAt(in.Counts, shares, in.Seed, in.Alpha)
	default:
		return nil, fmt.Errorf("unknown method %q (want pearson, g, exact or auto)", in.Method)
	}
	out.Method = primary.Method
	out.Warnings = append(out.Warnings, primary.Warnings...)
	// Per destination: interval at 1-alpha, exact binomial test, Holm across destinations.
	ps := make([]float64, k)
	for i := range in.Counts {
		d := result.VerifyDestination{Name: in.Names[i], Weight: in.Weights[i], ExpectedShare: shares[i], Count: in.Counts[i],
			Share: float64(in.Counts[i]) / float64(n)}
		if i < len(in.Clusters) {
			d.Cluster = in.Clusters[i]
		}
		d.CILow, d.CIHigh = stats.Wilson(in.Counts[i], n, 1-in.Alpha)
		switch {
		case shares[i] > 0:
			ps[i] = stats.BinomialTwoSided(in.Counts[i], n, shares[i])
			d.Log10P = stats.BinomialTwoSidedLog10(in.Counts[i], n, shares[i])
		case in.Counts[i] > 0:
			ps[i], d.Log10P = 0, stats.ViolationLog10P
		default:
			ps[i] = 1
		}
		d.PValue = ps[i]
		out.Destinations = append(out.Destinations, d)
	}
	adj := stats.Holm(ps)
	for i := range out.Destinations {
		out.Destinations[i].PAdjusted = adj[i]
	}
	out.Verdict = result.Pass
	out.DecidedBy = primary.Method
	switch {
	case primary.Violated():
		out.Verdict, out.DecidedBy = result.Fail, DecidedByWeight0
		for _, i := range primary.Violations {
			out.Destinations[i].Off = true
		}
		out.Reason = fmt.Sprintf("%s has weight 0 but received %d requests: a definite violation", in.Names[primary.Violations[0]], in.Counts[primary.Violations[0]])
	case in.TolerancePP > 0:
		toleranceVerdict(out, in)
	case primary.PValue < in.Alpha:
		out.Verdict = result.Fail
		for i := range out.Destinations {
			if out.Destinations[i].PAdjusted < in.Alpha {
				out.Destinations[i].Off = true
			}
		}
		out.Reason = fmt.Sprintf("%s test rejects the configured split: p = %.4g < alpha %g", primary.Method, primary.PValue, in.Alpha)
		if primary.PValue == 0 {
			out.Reason = fmt.Sprintf("%s test rejects the configured split: log10 p = %.2f < log10 alpha", primary.Method, primary.Log10P)
		}
	default:
		out.Reason = fmt.Sprintf("%s test: p = %.4g >= alpha %g, consistent with the configured split", primary.Method, primary.PValue, in.Alpha)
	}
	return out, nil
}

// toleranceVerdict decides with the exact tolerance test (stats.ToleranceTest) of every destination,
// Holm-adjusted across them (stats.ToleranceFamily): a destination is off when its adjusted p-value
// is at most alpha, so a split whose every share is within the tolerance fails with probability at
// most alpha.
func toleranceVerdict(out *result.Verify, in Input) {
	out.DecidedBy = DecidedByTolerance
	tol := in.TolerancePP / 100
	p, log10p, adj := stats.ToleranceFamily(in.Counts, in.Weights, tol)
	var offs []string
	for i := range out.Destinations {
		d := &out.Destinations[i]
		d.Tolerance = &result.ToleranceTest{PValue: p[i], Log10P: log10p[i], PAdjusted: adj[i]}
		if adj[i] <= in.Alpha {
			d.Off = true
			offs = append(offs, fmt.Sprintf("%s %.3f%% vs %.3f%% (p %s)", d.Name, 100*d.Share, 100*d.ExpectedShare, format.PValue(p[i], log10p[i])))
		}
	}
	adjusted := "Holm-adjusted across the destinations"
	if len(out.Destinations) == 2 {
		adjusted = "one test: the two shares move together"
	}
	if len(offs) > 0 {
		out.Verdict = result.Fail
		out.Reason = fmt.Sprintf("off by more than %s (exact tolerance test, %s, p <= alpha %g): %s", format.PercentagePoints(in.TolerancePP), adjusted, in.Alpha, strings.Join(offs, ", "))
		return
	}
	out.Reason = fmt.Sprintf("no share is shown to be off by more than %s (exact tolerance test, %s, alpha %g)", format.PercentagePoints(in.TolerancePP), adjusted, in.Alpha)
}

func gof(t stats.Test) *result.GOF {
	return &result.GOF{Statistic: t.Statistic, DF: t.DF, PValue: t.PValue, Log10P: t.Log10P, StdErr: t.StdErr}
}

// lookShares sets a look's shares of its own batch b, with Wilson intervals at confidence 1-alpha
// (nothing for an empty batch): the shares over time of the series.
func lookShares(l *result.Look, b []int64, alpha float64) {
	var n int64
	for _, v := range b {
		n += v
	}
	if n <= 0 {
		return
	}
	for _, v := range b {
		lo, hi := stats.Wilson(v, n, 1-alpha)
		l.Shares = append(l.Shares, float64(v)/float64(n))
		l.CILow, l.CIHigh = append(l.CILow, lo), append(l.CIHigh, hi)
	}
}

// SequentialLooks runs the anytime-valid test (Lindon and Malek) over per-interval batches of
// counts and records every look. The prior concentration is the default, chosen from the first
// look's size (stats.AutoConcentration). The batches' cumulative total must fit in an int64 (see
// CheckBatches).
func SequentialLooks(weights []float64, batches [][]int64, alpha float64) *result.Sequential {
	seq := stats.NewSequential(weights, 0)
	out := &result.Sequential{}
	cum := make([]int64, len(weights))
	for i, b := range batches {
		seq.Add(b)
		for j, v := range b {
			cum[j] += v
		}
		l := result.Look{Number: i + 1, N: seq.N(), Counts: append([]int64(nil), cum...), PValue: seq.PValue(), Log10P: seq.Log10P(), Reject: seq.Reject(alpha)}
		lookShares(&l, b, alpha)
		if l.Reject && out.FirstReject == 0 {
			out.FirstReject = l.Number
		}
		out.Looks = append(out.Looks, l)
	}
	out.Concentration = seq.Concentration()
	return out
}

// CheckBatches returns an error when a count of batches is negative or their cumulative total does
// not fit in an int64 (2^63-1 requests), rather than letting it wrap to a negative total.
func CheckBatches(batches [][]int64) error {
	var all []int64
	for _, b := range batches {
		n, ok := stats.SumCounts(append(append([]int64(nil), b...), all...))
		if !ok {
			return fmt.Errorf("the observed counts are negative or add up to more than %d requests (2^63-1), which cannot be counted", int64(math.MaxInt64))
		}
		all = []int64{n}
	}
	return nil
}
