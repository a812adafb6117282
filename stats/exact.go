package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/splitsim/splitsim/internal/binomial"
)

// exactTolerance is the relative tolerance of "as or less likely than the
// observation": outcomes y with P(y) <= P(obs)(1+1e-7) count towards the
// p-value (the convention of R's binom.test and scipy's binomtest).
const exactTolerance = 1e-7

// ExactMaxWork bounds the exact multinomial enumeration: with k positive-share
// destinations and N requests, the enumeration visits C(N+k-2, k-2) prefixes
// (the last two cells are summed in closed form with incomplete beta
// functions). Above this bound Exact switches to Monte Carlo.
const ExactMaxWork = 500000

// MonteCarloSamples is the number of multinomial samples Exact draws when the
// outcome space is too large to enumerate (reduced for many destinations so
// that one call stays well under a second).
const MonteCarloSamples = 100000

// MonteCarloPerAlpha sets how many samples ExactAt draws for a level alpha:
// at least MonteCarloPerAlpha/alpha, so that the smallest p-value a Monte
// Carlo estimate can give, 1/(samples+1), is at most alpha/100.
const MonteCarloPerAlpha = 100

// MonteCarloMaxDraws bounds the work of one Monte Carlo estimate: samples
// times destinations (binomial draws). When alpha would need more, ExactAt
// falls back to Pearson's chi-square test and says so in a warning.
const MonteCarloMaxDraws = 50000000

// Exact is the exact multinomial goodness-of-fit test: the p-value is the
// total null probability of the outcomes y (with the same N) that are no more
// likely than the observation, P(y) <= P(obs)(1+1e-7). With two positive-share
// destinations it equals BinomialTwoSided. Zero shares, single destinations
// and no requests are handled as in Pearson. Statistic is -ln P(obs).
//
// When the outcome space is too large to enumerate (see ExactMaxWork) the
// p-value is estimated from MonteCarloSamples multinomial samples drawn with a
// PCG generator seeded by seed: Method "exact-montecarlo", PValue =
// (hits+1)/(samples+1) (never 0, valid as a p-value), StdErr its binomial
// standard error. The result is deterministic for a given seed. Such an
// estimate cannot go below 1/(MonteCarloSamples+1): a test at a level alpha
// uses ExactAt, which draws enough samples for alpha.
func Exact(counts []int64, probs []float64, seed uint64) Test {
	return ExactAt(counts, probs, seed, 0)
}

// ExactAt is Exact for a test at level alpha (0: no level, as Exact). Where
// the outcome space is too large to enumerate it never reports a p-value that
// is floored above alpha:
//
//   - Counting bound: no outcome is more likely than 1 and at most
//     C(N+k-1, k-1) outcomes are as unlikely as the observation, so
//     p <= P(obs)(1+1e-7) C(N+k-1, k-1). When that bound is at most alpha (or
//     below what a Monte Carlo estimate can resolve) it is the p-value: Method
//     "exact-bound", a valid p-value that is never smaller than the exact one.
//   - Monte Carlo, Method "exact-montecarlo": first the default samples; when
//     their estimate leaves the decision at alpha open, the run continues to
//     max(default, MonteCarloPerAlpha/alpha) samples in all, so that the
//     smallest estimate, 1/(samples+1), is at most alpha/100. The level holds:
//     the test can only reject on the full run's (hits+1)/(samples+1). The run
//     stops early once the hits rule that out (the decision at alpha is then
//     known), and reports the estimate of the samples drawn.
//   - When that run would need more than MonteCarloMaxDraws binomial draws, it
//     stops at MonteCarloMaxDraws draws, provided those can still give an
//     estimate at most alpha: the level holds at any number of samples.
//   - Fall-back: only when even MonteCarloMaxDraws draws cannot reach alpha
//     (alpha below about k/MonteCarloMaxDraws), the result is Pearson's
//     chi-square test (Method "pearson") with a warning that says so.
func ExactAt(counts []int64, probs []float64, seed uint64, alpha float64) Test {
	g := newGOF(counts, probs)
	t, done := g.start("exact")
	t.Statistic = -g.logProbObs()
	if done {
		return t
	}
	k := len(g.p)
	if k == 2 {
		lp := binomTwoSidedLog(g.cnt[0], g.npos(), g.p[0], g.p[1])
		t.PValue, t.Log10P = math.Exp(lp), lp/math.Ln10
		return t
	}
	if exactWork(g.npos(), k) <= ExactMaxWork {
		lp := g.exactEnumerate()
		t.PValue, t.Log10P = math.Exp(lp), lp/math.Ln10
		return t
	}
	samples := MonteCarloSamples
	if k > 20 {
		samples = max(10000, MonteCarloSamples*20/k)
	}
	full := samples
	if alpha > 0 && alpha < 1 {
		full = int(math.Min(math.Ceil(MonteCarloPerAlpha/alpha), 1e15))
		full = max(full, samples)
	}
	// The counting bound, ln of P(obs)(1+1e-7) C(N+k-1, k-1).
	lb := g.logProbObs() + math.Log1p(exactTolerance) + logBinomialCoefficient(float64(g.npos())+float64(k)-1, float64(k)-1)
	if lb <= math.Log(1/float64(full+1)) || (alpha > 0 && lb <= math.Log(alpha)) {
		t.Method = "exact-bound"
		t.PValue, t.Log10P = math.Exp(lb), lb/math.Ln10
		t.Warnings = append(t.Warnings, fmt.Sprintf(
			"outcome space too large to enumerate: the p-value is the bound P(observed) x %.4g outcomes, at least the exact p-value",
			math.Exp(logBinomialCoefficient(float64(g.npos())+float64(k)-1, float64(k)-1))))
		return t
	}
	return g.monteCarlo(t, seed, samples, full, alpha)
}

// logBinomialCoefficient returns ln C(n, r) for real n >= r >= 0.
func logBinomialCoefficient(n, r float64) float64 {
	a, _ := math.Lgamma(n + 1)
	b, _ := math.Lgamma(r + 1)
	c, _ := math.Lgamma(n - r + 1)
	return a - b - c
}

// exactWork returns C(n+k-2, k-2), the number of prefixes the enumeration visits.
func exactWork(n int64, k int) float64 {
	if k <= 2 {
		return 1
	}
	a, _ := math.Lgamma(float64(n) + float64(k) - 1)
	b, _ := math.Lgamma(float64(n) + 1)
	c, _ := math.Lgamma(float64(k) - 1)
	return math.Exp(a - b - c)
}

// logProbObs returns ln P(obs) under the multinomial null.
func (g *gof) logProbObs() float64 {
	return logMultinomial(g.cnt, g.p, g.npos())
}

func logMultinomial(y []int64, p []float64, n int64) float64 {
	l := lfact(n)
	for i, c := range y {
		l -= lfact(c)
		if c > 0 {
			l += float64(c) * math.Log(p[i])
		}
	}
	return l
}

func lfact(n int64) float64 {
	v, _ := math.Lgamma(float64(n) + 1)
	return v
}

// exactEnumerate returns ln p of the exact multinomial test for k >= 3 by
// enumerating the first k-2 cells and summing the last two in closed form:
// given the prefix, the second-to-last cell is binomial.
func (g *gof) exactEnumerate() float64 {
	k := len(g.p)
	n := g.npos()
	// Order cells by share so the two largest are summed in closed form.
	ord := make([]int, k)
	for i := range ord {
		ord[i] = i
	}
	sort.SliceStable(ord, func(a, b int) bool { return g.p[ord[a]] < g.p[ord[b]] })
	p := make([]float64, k)
	for i, j := range ord {
		p[i] = g.p[j]
	}
	logT := g.logProbObs() + math.Log1p(exactTolerance)
	lnp := make([]float64, k)
	for i := range p {
		lnp[i] = math.Log(p[i])
	}
	pa, pb := p[k-2], p[k-1]
	r, s := pa/(pa+pb), pb/(pa+pb)
	lnab := math.Log(pa + pb)
	lfn := lfact(n)

	// ln y! for every y <= n: the enumeration only runs for moderate n.
	lf := make([]float64, n+1)
	for y := int64(1); y <= n; y++ {
		lf[y] = lf[y-1] + math.Log(float64(y))
	}
	lnr, lns := math.Log(r), math.Log(s)

	var sum float64 // sum of P(included outcomes) / T
	var rec func(cell int, m int64, lpre float64)
	// lpre = sum over prefix cells of y ln p - ln y!
	rec = func(cell int, m int64, lpre float64) {
		if cell == k-2 {
			logPref := lfn + lpre - lf[m] + float64(m)*lnab
			if m <= 256 {
				// Short range: scan it.
				base := logPref + lf[m] - logT
				for a := int64(0); a <= m; a++ {
					l := base - lf[a] - lf[m-a] + float64(a)*lnr + float64(m-a)*lns
					if l <= 0 {
						sum += math.Exp(l)
					}
				}
				return
			}
			lm := binomLogMassBelow(m, r, s, logT-logPref)
			if !math.IsInf(lm, -1) {
				sum += math.Exp(logPref + lm - logT)
			}
			return
		}
		for y := int64(0); y <= m; y++ {
			rec(cell+1, m-y, lpre+float64(y)*lnp[cell]-lf[y])
		}
	}
	rec(0, n, 0)
	lp := logT + math.Log(sum)
	return math.Min(lp, 0)
}

// monteCarlo estimates the exact multinomial p-value: samples draws, then, when
// the estimate leaves the decision at alpha open, more up to full in all (see
// ExactAt); beyond MonteCarloMaxDraws it falls back to Pearson.
func (g *gof) monteCarlo(t Test, seed uint64, samples, full int, alpha float64) Test {
	t.Method = "exact-montecarlo"
	k := len(g.p)
	n := g.npos()
	logT := g.logProbObs() + math.Log1p(exactTolerance)
	rng := rand.New(rand.NewPCG(seed, 0x73706c697473696d)) // "splitsim"
	// Conditional shares for sequential binomial draws.
	rest := make([]float64, k+1)
	for i := k - 1; i >= 0; i-- {
		rest[i] = rest[i+1] + g.p[i]
	}
	y := make([]int64, k)
	hits := 0
	draw := func(m int) {
		for it := 0; it < m; it++ {
			m := n
			for i := 0; i < k-1; i++ {
				q := g.p[i] / rest[i]
				y[i] = binomialRand(rng, m, q)
				m -= y[i]
			}
			y[k-1] = m
			if logMultinomial(y, g.p, n) <= logT {
				hits++
			}
		}
	}
	draw(samples)
	drawn := samples
	// The decision is open while the full run could still give (hits+1)/(full+1) <= alpha.
	if full > samples && float64(hits+1) <= alpha*float64(full+1) {
		if affordable := int(MonteCarloMaxDraws / float64(k)); float64(full)*float64(k) > MonteCarloMaxDraws && alpha*float64(affordable+1) >= 1 {
			// Fewer samples than MonteCarloPerAlpha/alpha, but enough for an estimate at most alpha:
			// (hits+1)/(samples+1) keeps the level whatever their number, where Pearson's
			// approximation may not. When the hits so far already rule out an estimate at most
			// alpha, the estimate so far is the p-value: valid, and above alpha.
			full = samples
			if float64(hits+1) <= alpha*float64(affordable+1) {
				full = max(affordable, samples)
			}
		}
		if full > samples && float64(full)*float64(k) > MonteCarloMaxDraws {
			p := Pearson(g.fullCounts(), g.fullProbs())
			p.Warnings = append(p.Warnings, fmt.Sprintf(
				"outcome space too large to enumerate, and a Monte Carlo estimate of the exact p-value at alpha %g would need %d samples of %d destinations (more than %d draws): fell back to Pearson's chi-square test (approximate with expected counts below 5)",
				alpha, full, k, MonteCarloMaxDraws))
			return p
		}
		// Draw on while a rejection is still possible: once (hits+1)/(full+1) > alpha the full
		// run's decision is known, and the estimate so far is reported (its decision is the same).
		for drawn < full && float64(hits+1) <= alpha*float64(full+1) {
			m := min(full-drawn, 10000)
			draw(m)
			drawn += m
		}
	}
	p := float64(hits+1) / float64(drawn+1)
	t.PValue, t.Log10P = p, math.Log10(p)
	t.StdErr = math.Sqrt(p * (1 - p) / float64(drawn))
	t.Warnings = append(t.Warnings, fmt.Sprintf(
		"outcome space too large to enumerate: Monte Carlo estimate from %d samples (std. error %.2g)",
		drawn, t.StdErr))
	return t
}

// fullCounts and fullProbs rebuild the positive-share counts and shares of g
// (every destination with share 0 has no requests when a test gets this far).
func (g *gof) fullCounts() []int64  { return append([]int64(nil), g.cnt...) }
func (g *gof) fullProbs() []float64 { return append([]float64(nil), g.p...) }

// binomialRand draws from Binomial(n, q) using rng (the exact sampler that the simulator's
// multinomial method uses too).
func binomialRand(rng *rand.Rand, n int64, q float64) int64 {
	return binomial.Rand(rng, n, q)
}

// BinomialTwoSided returns the exact two-sided binomial test p-value of x
// successes in n trials against success probability p, with scipy's binomtest
// (and R's binom.test) convention: the sum of P(y) over all y with
// P(y) <= P(x)(1+1e-7), capped at 1. Tails come from the regularized
// incomplete beta function (in log space deep in the tails). It returns NaN
// if x < 0, x > n or p is outside [0, 1]; n == 0 gives 1.
func BinomialTwoSided(x, n int64, p float64) float64 {
	if x < 0 || x > n || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	if n == 0 {
		return 1
	}
	switch p {
	case 0:
		if x == 0 {
			return 1
		}
		return 0
	case 1:
		if x == n {
			return 1
		}
		return 0
	}
	return math.Min(1, math.Exp(binomTwoSidedLog(x, n, p, 1-p)))
}

// binomTwoSidedLog returns ln of the two-sided exact binomial p-value; r and
// s = 1-r are passed separately to keep precision when s is computed as a
// ratio of shares.
func binomTwoSidedLog(x, n int64, r, s float64) float64 {
	lt := binomLogPMF(x, n, r, s) + math.Log1p(exactTolerance)
	return math.Min(0, binomLogMassBelow(n, r, s, lt))
}

// binomLogMassBelow returns ln of sum P(X = a) over the a with
// ln P(X = a) <= lt, X ~ Binomial(m, r) (s = 1-r), or -Inf if there is none.
func binomLogMassBelow(m int64, r, s, lt float64) float64 {
	pmf := func(a int64) float64 { return binomLogPMF(a, m, r, s) }
	mode := int64(math.Floor(float64(m+1) * r))
	mode = min(max(mode, 0), m)
	for mode < m && pmf(mode+1) > pmf(mode) {
		mode++
	}
	for mode > 0 && pmf(mode-1) > pmf(mode) {
		mode--
	}
	if pmf(mode) <= lt {
		return 0
	}
	res := math.Inf(-1)
	// Left side: pmf non-decreasing on [0, mode]; find the largest a with pmf(a) <= lt.
	if pmf(0) <= lt {
		// pmf(0) <= lt < pmf(mode)
		lo, _ := bisect(0, mode, func(a int64) bool { return pmf(a) <= lt })
		res = logAddExp(res, binomLogCDF(lo, m, r, s))
	}
	// Right side: pmf non-increasing on [mode, m]; find the smallest a with pmf(a) <= lt.
	if pmf(m) <= lt {
		// pmf(mode) > lt >= pmf(m)
		_, hi := bisect(mode, m, func(a int64) bool { return pmf(a) > lt })
		res = logAddExp(res, binomLogSF(hi, m, r, s))
	}
	return res
}

// bisect narrows lo < hi, where left holds at lo but not at hi and changes
// value once in between, to the neighbours lo, lo+1 at which it changes.
func bisect(lo, hi int64, left func(int64) bool) (int64, int64) {
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if left(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, hi
}

// logAddExp returns ln(e^a + e^b).
func logAddExp(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	if a < b {
		a, b = b, a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// BinomialTwoSidedLog10 is log10 of BinomialTwoSided, meaningful far below 1e-300 where the p-value
// itself underflows.
func BinomialTwoSidedLog10(x, n int64, p float64) float64 {
	switch {
	case x < 0 || x > n || !(p >= 0 && p <= 1):
		return math.NaN()
	case n == 0:
		return 0
	case p == 0 || p == 1:
		if BinomialTwoSided(x, n, p) == 0 {
			return ViolationLog10P // a count the share rules out: a definite violation
		}
		return 0
	}
	return math.Min(0, binomTwoSidedLog(x, n, p, 1-p)/math.Ln10)
}
