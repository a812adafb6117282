package stats

import (
	"fmt"
	"math"
)

// ToleranceTest is the exact test of "the share is off by more than tol" for
// one destination: x of n requests, configured share p, tolerance tol (a
// fraction: 0.01 is one percentage point). The null hypothesis is that the
// true share pi lies within the band [a, b] = [max(0, p-tol), min(1, p+tol)];
// a small p-value is evidence that it lies outside.
//
// The test orders outcomes by the smaller of their two one-sided binomial
// tails at the ends of the band, e(y) = min(P_b(X >= y), P_a(X <= y)) (the
// Clopper-Pearson construction: y is extreme when even the nearest share of
// the band makes it unlikely), and the p-value is the largest probability
// that any share of the band gives to the outcomes at least as extreme as x:
//
//	p(x) = max over pi in [a, b] of P_pi(e(X) <= e(x)(1+1e-7)).
//
// Those outcomes are the two tails {y <= yl} and {y >= yh}, and their
// probability is quasi-convex in pi (its derivative changes sign at most once,
// from - to +), so the maximum is at a or b: p(x) is exact, not a bound, and
// P_pi(p(X) <= alpha) <= alpha for every pi in the band. Far from the band's
// ends it is the one-sided tail at the nearer end; as tol goes to 0 it becomes
// the two-sided binomial test with equal tails.
//
// It returns the p-value and its log10 (finite far below 1e-300; ViolationLog10P
// when no share of the band can give x, as x > 0 for a band [0, 0]). n == 0, or a
// band covering [0, 1], gives (1, 0). It panics on x outside [0, n], p outside
// [0, 1], or tol negative or NaN.
func ToleranceTest(x, n int64, p, tol float64) (pvalue, log10p float64) {
	if x < 0 || x > n || !(p >= 0 && p <= 1) || !(tol >= 0) {
		panic(fmt.Sprintf("stats: ToleranceTest(%d, %d, %v, %v): want 0 <= x <= n, 0 <= p <= 1, tol >= 0", x, n, p, tol))
	}
	lp := toleranceLogP(x, n, math.Max(0, p-tol), math.Min(1, p+tol))
	if math.IsInf(lp, -1) {
		return 0, ViolationLog10P // no share of the band can give x
	}
	return math.Exp(lp), lp / math.Ln10
}

// toleranceLogP returns ln p(x) of ToleranceTest for the band [a, b].
func toleranceLogP(x, n int64, a, b float64) float64 {
	if n == 0 || (a <= 0 && b >= 1) {
		return 0
	}
	up := func(y int64) float64 { return logUpperTail(y, n, b) } // ln P_b(X >= y), non-increasing in y
	lo := func(y int64) float64 { return logLowerTail(y, n, a) } // ln P_a(X <= y), non-decreasing in y
	e := math.Min(up(x), lo(x)) + math.Log1p(exactTolerance)
	if e >= 0 {
		return 0
	}
	// yh: smallest y with up(y) <= e (up(n+1) = -Inf); yl: largest y with lo(y) <= e (lo(-1) = -Inf).
	_, yh := bisect(-1, n+1, func(y int64) bool { return y < 0 || up(y) > e })
	yl, _ := bisect(-1, n+1, func(y int64) bool { return y < 0 || (y <= n && lo(y) <= e) })
	if yl >= yh-1 {
		return 0
	}
	mass := func(pi float64) float64 {
		return logAddExp(logUpperTail(yh, n, pi), logLowerTail(yl, n, pi))
	}
	return math.Min(0, math.Max(mass(a), mass(b)))
}

// logUpperTail returns ln P(X >= y) for X ~ Binomial(n, pi), pi in [0, 1].
func logUpperTail(y, n int64, pi float64) float64 {
	switch {
	case y <= 0:
		return 0
	case y > n:
		return math.Inf(-1)
	case pi <= 0:
		return math.Inf(-1)
	case pi >= 1:
		return 0
	}
	return binomLogSF(y, n, pi, 1-pi)
}

// logLowerTail returns ln P(X <= y) for X ~ Binomial(n, pi), pi in [0, 1].
func logLowerTail(y, n int64, pi float64) float64 {
	switch {
	case y < 0:
		return math.Inf(-1)
	case y >= n:
		return 0
	case pi <= 0:
		return 0
	case pi >= 1:
		return math.Inf(-1)
	}
	return binomLogCDF(y, n, pi, 1-pi)
}

// ToleranceFamily tests every destination of a split with ToleranceTest
// (counts against the shares, which are renormalized to sum to 1) and adjusts
// the p-values with Holm across the destinations, so that when every share is
// within tol of its configured value the probability that any adjusted p-value
// is at most alpha is at most alpha (family-wise, under any dependence). With
// exactly two destinations their hypotheses are one and the same (the second
// share is one minus the first), so the two p-values are equal and are not
// adjusted. It returns the per-destination p-values, their log10 and the
// adjusted p-values. It panics on mismatched lengths, negative counts, invalid
// shares or a negative tolerance.
func ToleranceFamily(counts []int64, shares []float64, tol float64) (p, log10p, adjusted []float64) {
	if len(counts) != len(shares) {
		panic(fmt.Sprintf("stats: %d counts but %d shares", len(counts), len(shares)))
	}
	sum := checkShares(shares)
	n, ok := SumCounts(counts)
	if !ok {
		panic("stats: counts are negative or their sum overflows int64")
	}
	p = make([]float64, len(counts))
	log10p = make([]float64, len(counts))
	for i, c := range counts {
		p[i], log10p[i] = ToleranceTest(c, n, shares[i]/sum, tol)
	}
	if len(counts) == 2 {
		return p, log10p, append([]float64(nil), p...)
	}
	return p, log10p, Holm(p)
}

// SumCounts returns the sum of counts, and false if a count is negative or the
// sum does not fit in an int64.
func SumCounts(counts []int64) (int64, bool) {
	var n int64
	for _, c := range counts {
		if c < 0 || n > math.MaxInt64-c {
			return 0, false
		}
		n += c
	}
	return n, true
}
