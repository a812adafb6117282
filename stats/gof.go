package stats

import (
	"fmt"
	"math"
	"strings"
)

// Test is the outcome of a goodness-of-fit test.
type Test struct {
	Method    string  // "pearson", "g", "exact", "exact-montecarlo"
	Statistic float64 // X2 for "pearson", G for "g", -ln P(observed) for the exact methods
	DF        int     // degrees of freedom: positive-share destinations minus 1
	PValue    float64 // may underflow to 0 below ~1e-308; Log10P is always meaningful
	Log10P    float64 // log10 of the p-value, finite even far below 1e-300 (computed in log space there)
	StdErr    float64 // Monte Carlo standard error of PValue, 0 otherwise
	Warnings  []string

	// N is the total number of requests (all destinations).
	N int64
	// W is the observed effect size, Cohen's w^ = sqrt(X2/N) with X2 the
	// Pearson statistic over the positive-share destinations (0 when N is 0).
	W float64
	// Violations lists the destinations whose null share is 0 but which
	// received requests. Such traffic is a definite violation of the
	// configured split, not a statistical question: PValue is then 0 and
	// Log10P is ViolationLog10P, whatever the other destinations show.
	Violations []int
}

// ViolationLog10P is the Log10P of a Test that found a definite violation (a
// destination with share 0 received requests). It is -math.MaxFloat64 rather
// than -Inf so that the value stays finite (JSON-encodable, comparable with <)
// and sorts below every real log10 p-value.
const ViolationLog10P = -math.MaxFloat64

// Violated reports whether t found a definite violation (see Test.Violations).
func (t Test) Violated() bool { return len(t.Violations) > 0 }

// minExpected is the classical threshold under which the chi-square
// approximation of a goodness-of-fit statistic is doubtful.
const minExpected = 5

// gof holds validated inputs shared by the goodness-of-fit tests.
type gof struct {
	n          int64
	idx        []int     // indices of positive-share destinations
	obs        []float64 // counts of idx
	cnt        []int64   // counts of idx
	p          []float64 // normalized shares of idx (sum to 1)
	exp        []float64 // N*p
	violations []int
	warnings   []string
}

// newGOF validates counts and probs. It panics on programmer errors: length
// mismatch, negative counts, negative or NaN shares, shares summing to 0.
// Shares are renormalized to sum to 1.
func newGOF(counts []int64, probs []float64) *gof {
	if len(counts) != len(probs) {
		panic(fmt.Sprintf("stats: %d counts but %d shares", len(counts), len(probs)))
	}
	sum := checkShares(probs)
	g := &gof{}
	if _, ok := SumCounts(counts); !ok {
		for i, c := range counts {
			if c < 0 {
				panic(fmt.Sprintf("stats: count %d is negative (%d)", i, c))
			}
		}
		panic("stats: the counts add up to more than 2^63-1")
	}
	for i, c := range counts {
		g.n += c
		if probs[i] == 0 {
			if c > 0 {
				g.violations = append(g.violations, i)
				g.warnings = append(g.warnings,
					fmt.Sprintf("destination %d has share 0 but received %d requests", i, c))
			}
			continue
		}
		g.idx = append(g.idx, i)
		g.cnt = append(g.cnt, c)
		g.obs = append(g.obs, float64(c))
		g.p = append(g.p, probs[i]/sum)
	}
	// N over positive-share destinations: the null model for them.
	var np int64
	for _, c := range g.cnt {
		np += c
	}
	g.exp = make([]float64, len(g.p))
	for i, p := range g.p {
		g.exp[i] = float64(np) * p
	}
	return g
}

// npos returns the number of requests that went to positive-share destinations.
func (g *gof) npos() int64 {
	var s int64
	for _, c := range g.cnt {
		s += c
	}
	return s
}

func (g *gof) df() int { return len(g.p) - 1 }

// pearson returns the Pearson statistic over the positive-share destinations.
func (g *gof) pearson() float64 {
	return g.sumCells(func(o, e float64) float64 {
		d := o - e
		return d * d / e
	})
}

// sumCells returns the sum of term(observed, expected) over the destinations
// with a positive expected count, in order.
func (g *gof) sumCells(term func(o, e float64) float64) float64 {
	var s float64
	for i, o := range g.obs {
		if e := g.exp[i]; e != 0 {
			s += term(o, e)
		}
	}
	return s
}

// start returns a Test pre-filled with N, DF, W, warnings and the trivial
// outcomes (violation, no degrees of freedom, no requests). done reports
// whether the test is already decided.
func (g *gof) start(method string) (t Test, done bool) {
	t = Test{Method: method, DF: g.df(), N: g.n}
	t.Warnings = append(t.Warnings, g.warnings...)
	if np := g.npos(); np > 0 {
		t.W = math.Sqrt(g.pearson() / float64(np))
	}
	switch {
	case len(g.violations) > 0:
		t.Violations = g.violations
		t.PValue, t.Log10P = 0, ViolationLog10P
		return t, true
	case t.DF <= 0:
		t.DF = 0
		t.Warnings = append(t.Warnings, "single destination: nothing to test")
		t.PValue, t.Log10P = 1, 0
		return t, true
	case g.npos() == 0:
		t.Warnings = append(t.Warnings, "no requests: nothing to test")
		t.PValue, t.Log10P = 1, 0
		return t, true
	}
	return t, false
}

// smallExpected returns a warning naming the destinations whose expected count
// is below 5, or "" if there are none.
func (g *gof) smallExpected() string {
	var which []string
	smallest := math.Inf(1)
	for j, e := range g.exp {
		if e < minExpected {
			which = append(which, fmt.Sprint(g.idx[j]))
			smallest = math.Min(smallest, e)
		}
	}
	if len(which) == 0 {
		return ""
	}
	return fmt.Sprintf("expected count below 5 for destination(s) %s (smallest %.3g): "+
		"the chi-square approximation may be inaccurate; prefer the exact test",
		strings.Join(which, ", "), smallest)
}

// Pearson is the chi-square goodness-of-fit test of observed counts against
// the null shares probs.
//
// Shares are renormalized to sum to 1. Destinations with share 0 are excluded
// from the statistic and from df = (number of positive shares) - 1; if such a
// destination received requests the split is definitely violated: see
// Test.Violations (PValue 0, Log10P ViolationLog10P, one warning per
// destination). With a single positive-share destination, or no requests,
// there is nothing to test: PValue 1, Log10P 0 and a warning. A warning is
// added when any expected count is below 5.
//
// Pearson panics if len(counts) != len(probs), a count is negative, or a share
// is negative, NaN or infinite, or all shares are 0.
func Pearson(counts []int64, probs []float64) Test {
	return chiSquareTest(counts, probs, "pearson", (*gof).pearson)
}

// GTest is the likelihood-ratio (G) goodness-of-fit test. G = 2 sum O ln(O/E)
// is computed in the stable form 2 sum E[(1+d)ln(1+d) - d] with d = (O-E)/E
// (a cell with O = 0 contributes 2E), which keeps full precision at large N
// where the naive form cancels. The p-value is the chi-square survival
// function with the same df as Pearson; zero shares, single destinations and
// small expected counts are handled as in Pearson.
func GTest(counts []int64, probs []float64) Test {
	return chiSquareTest(counts, probs, "g", (*gof).gstat)
}

// chiSquareTest is a goodness-of-fit test named method whose statistic stat
// follows the chi-square distribution under the null: Pearson or GTest.
func chiSquareTest(counts []int64, probs []float64, method string, stat func(*gof) float64) Test {
	g := newGOF(counts, probs)
	t, done := g.start(method)
	t.Statistic = stat(g)
	if done {
		return t
	}
	if w := g.smallExpected(); w != "" {
		t.Warnings = append(t.Warnings, w)
	}
	t.PValue, t.Log10P = ChiSquareSurvival(t.Statistic, t.DF)
	return t
}

// gstat returns the G statistic over the positive-share destinations, in the
// stable form 2 sum E[(1+d)ln(1+d) - d] with d = (O-E)/E.
func (g *gof) gstat() float64 {
	return 2 * g.sumCells(func(o, e float64) float64 { return e * xlogxTerm((o-e)/e) })
}

// xlogxTerm returns (1+d)ln(1+d) - d for d >= -1, accurately also for small |d|.
func xlogxTerm(d float64) float64 {
	if d == -1 {
		return 1
	}
	if math.Abs(d) < 0.1 {
		// sum_{j>=2} (-1)^j d^j / (j(j-1))
		var s float64
		pw := d * d
		for j := 2; j < 40; j++ {
			term := pw / float64(j*(j-1))
			if j%2 == 1 {
				term = -term
			}
			s += term
			if math.Abs(term) < 1e-18*math.Abs(s) {
				break
			}
			pw *= d
		}
		return s
	}
	return (1+d)*math.Log1p(d) - d
}

// Auto picks the test: the exact multinomial test (Exact, enumeration when
// the outcome space is small enough, otherwise a Monte Carlo estimate seeded
// with seed) when any positive-share destination has an expected count below
// 5, and Pearson otherwise.
func Auto(counts []int64, probs []float64, seed uint64) Test {
	return AutoAt(counts, probs, seed, 0)
}

// AutoAt is Auto for a test at level alpha: the exact test is ExactAt, whose
// Monte Carlo estimate is never floored above alpha.
func AutoAt(counts []int64, probs []float64, seed uint64, alpha float64) Test {
	g := newGOF(counts, probs)
	if len(g.violations) == 0 && g.df() > 0 && g.npos() > 0 {
		for _, e := range g.exp {
			if e < minExpected {
				return ExactAt(counts, probs, seed, alpha)
			}
		}
	}
	return Pearson(counts, probs)
}
