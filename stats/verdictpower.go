package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
)

// How VerdictPower computed a power (VerdictPowerResult.Method).
const (
	// PowerExact: summed over the outcomes of the multinomial: binomial tails
	// for two destinations, and for more a sum over the counts of all but the
	// two most variable destinations with those two in closed form (outcomes of
	// probability below 1e-15 left out, their total reported in Truncated).
	PowerExact = "exact"
	// PowerApproximate: Pearson's X2 under the true shares as a quadratic form
	// of the Gaussian with the multinomial's mean and covariance (the
	// covariance under the alternative, which the noncentral chi-square
	// ignores), its distribution by Liu, Tang and Zhang's four-cumulant
	// noncentral chi-square (Comput. Stat. Data Anal. 53, 2009). Used only
	// where every expected count is at least MinApproximateExpected; checked
	// against seeded simulation (stats/verdictpower_test.go).
	PowerApproximate = "approximation"
	// PowerSimulated: the share of PowerReplicates seeded multinomial samples
	// the test rejects, with its standard error.
	PowerSimulated = "simulation"
)

// Limits of VerdictPower.
const (
	// PowerReplicates is the number of seeded samples of a simulated power
	// (standard error at most 0.0025).
	PowerReplicates = 40000
	// MinApproximateExpected is the smallest expected count (under the
	// configured and under the true shares) at which the Gaussian
	// quadratic-form approximation is used; below it the power is simulated
	// when the outcomes are too many to sum.
	MinApproximateExpected = 50
	// powerLeafBudget bounds the outcome groups the exact sum visits at one N
	// (each is a binomial in closed form).
	powerLeafBudget = 100000
	// exactTestLeafBudget is the same bound for the exact multinomial test,
	// whose rejection threshold is found by bisection over such sums.
	exactTestLeafBudget = 20000
	// maxExactBinomialN is the largest N whose two-destination power is summed
	// exactly (beyond, the binomial's lattice no longer shows and the
	// approximation is exact to far better than 1e-4).
	maxExactBinomialN = 1 << 40
)

// PowerOptions are the test whose power VerdictPower computes.
type PowerOptions struct {
	// Alpha is the significance level, in (0, 1).
	Alpha float64
	// Test is "auto" (or ""): the test Auto picks at each N, the exact
	// multinomial test when an expected count N p_i is below 5, else Pearson;
	// "pearson"; or "exact".
	Test string
	// Seed seeds the simulation, when one is needed.
	Seed uint64
}

// VerdictPowerResult is the power of a verdict's test at N requests.
type VerdictPowerResult struct {
	N     int64
	Power float64
	// Test is the test the verdict uses at N: "pearson" or "exact" (or "" when
	// only weight-0 destinations are tested, and "violation" then).
	Test string
	// Method is how Power was computed: PowerExact, PowerApproximate or
	// PowerSimulated.
	Method string
	// StdErr is the simulation's standard error (0 unless simulated).
	StdErr float64
	// Truncated bounds the error of an exact sum (outcomes left out).
	Truncated float64
	// ViolationShare is the share of requests the true split sends to
	// destinations of weight 0: each of them is a definite violation, so the
	// power is at least 1 - (1 - ViolationShare)^N.
	ViolationShare float64
}

// verdictPower holds a power problem: the null shares a and true shares r over
// the destinations of positive null share (both normalized), and the true
// share q of the others.
type verdictPower struct {
	a, r  []float64
	q     float64
	opts  PowerOptions
	crit  float64 // Pearson's critical value, df = len(a)-1
	minA  float64
	ltz   *ltzForm
	order []int // cells by increasing variance under r: enumerate all but the last two
}

// newVerdictPower validates and normalizes the problem. It panics on
// programmer errors (mismatched lengths, invalid shares, alpha outside (0, 1),
// an unknown test).
func newVerdictPower(p0, p1 []float64, opts PowerOptions) *verdictPower {
	if len(p0) != len(p1) {
		panic(fmt.Sprintf("stats: %d null shares but %d true shares", len(p0), len(p1)))
	}
	if !(opts.Alpha > 0 && opts.Alpha < 1) {
		panic(fmt.Sprintf("stats: alpha %v outside (0, 1)", opts.Alpha))
	}
	switch opts.Test {
	case "":
		opts.Test = "auto"
	case "auto", "pearson", "exact":
	default:
		panic(fmt.Sprintf("stats: unknown test %q (want auto, pearson or exact)", opts.Test))
	}
	s0, s1 := checkShares(p0), checkShares(p1)
	v := &verdictPower{opts: opts, minA: 1}
	var rs float64
	for i := range p0 {
		if p0[i] == 0 {
			v.q += p1[i] / s1
			continue
		}
		v.a = append(v.a, p0[i]/s0)
		v.r = append(v.r, p1[i]/s1)
		rs += p1[i] / s1
	}
	for i := range v.r {
		if rs > 0 {
			v.r[i] /= rs
		}
		v.minA = math.Min(v.minA, v.a[i])
	}
	if rs == 0 { // all the true traffic goes to weight-0 destinations
		v.q = 1
		copy(v.r, v.a)
	}
	if len(v.a) >= 2 {
		v.crit = chiSquareQuantileUpper(opts.Alpha, len(v.a)-1)
		v.order = make([]int, len(v.a))
		for i := range v.order {
			v.order[i] = i
		}
		sort.SliceStable(v.order, func(i, j int) bool {
			x, y := v.order[i], v.order[j]
			return v.r[x]*(1-v.r[x]) < v.r[y]*(1-v.r[y])
		})
	}
	return v
}

// testAt is the test the verdict uses at n requests.
func (v *verdictPower) testAt(n int64) string {
	switch v.opts.Test {
	case "auto":
		// As Auto: exact when some expected count over the positive-share destinations is below 5.
		for _, a := range v.a {
			if float64(n)*a < minExpected {
				return "exact"
			}
		}
		return "pearson"
	}
	return v.opts.Test
}

// VerdictPower returns the power at n requests of the level-alpha test of the
// configured shares p0 (weights, renormalized) when the true shares are p1:
// the probability that the verdict fails. A destination of weight 0 that
// receives a request fails the verdict for certain (a definite violation), so
// with q the true share of such destinations the power is
// 1 - (1-q)^n (1 - power of the test over the others). Which test, and how the
// power was computed, are in the result (see PowerExact, PowerApproximate,
// PowerSimulated). It panics on mismatched lengths, invalid shares, alpha
// outside (0, 1) or an unknown test.
func VerdictPower(p0, p1 []float64, n int64, opts PowerOptions) VerdictPowerResult {
	return newVerdictPower(p0, p1, opts).at(n)
}

// at returns the power at n.
func (v *verdictPower) at(n int64) VerdictPowerResult {
	res := VerdictPowerResult{N: n, ViolationShare: v.q, Method: PowerExact}
	if n <= 0 {
		return res
	}
	noViolation := math.Exp(float64(n) * math.Log1p(-v.q)) // (1-q)^n
	if v.q >= 1 {
		noViolation = 0
	}
	if len(v.a) < 2 {
		res.Test = "violation"
		res.Power = 1 - noViolation
		return res
	}
	res.Test = v.testAt(n)
	var inner VerdictPowerResult
	if noViolation > 0 {
		inner = v.innerPower(n, res.Test)
	} else {
		inner = VerdictPowerResult{Method: PowerExact}
	}
	res.Method, res.StdErr, res.Truncated = inner.Method, inner.StdErr*noViolation, inner.Truncated*noViolation
	res.Power = 1 - noViolation*(1-inner.Power)
	return res
}

// innerPower is the power of test over the positive-share destinations, with
// n requests among them.
func (v *verdictPower) innerPower(n int64, test string) VerdictPowerResult {
	k := len(v.a)
	if k == 2 {
		if test == "exact" {
			return VerdictPowerResult{Power: v.binomialExactTestPower(n), Method: PowerExact}
		}
		if n <= maxExactBinomialN {
			return VerdictPowerResult{Power: v.binomialPearsonPower(n), Method: PowerExact}
		}
		return VerdictPowerResult{Power: v.approximate(n), Method: PowerApproximate}
	}
	leaves := v.leafEstimate(n)
	if test == "exact" {
		if leaves <= exactTestLeafBudget {
			p, tr := v.exactTestPower(n)
			return VerdictPowerResult{Power: p, Method: PowerExact, Truncated: tr}
		}
		p, se := v.simulate(n, test)
		return VerdictPowerResult{Power: p, Method: PowerSimulated, StdErr: se}
	}
	if leaves <= powerLeafBudget {
		p, tr := v.pearsonPower(n)
		return VerdictPowerResult{Power: p, Method: PowerExact, Truncated: tr}
	}
	if v.minExpected(n) >= MinApproximateExpected {
		return VerdictPowerResult{Power: v.approximate(n), Method: PowerApproximate}
	}
	p, se := v.simulate(n, test)
	return VerdictPowerResult{Power: p, Method: PowerSimulated, StdErr: se}
}

// minExpected is the smallest expected count over the destinations, under the
// null and the true shares (a true share of 0 does not count).
func (v *verdictPower) minExpected(n int64) float64 {
	m := math.Inf(1)
	for i := range v.a {
		m = math.Min(m, float64(n)*v.a[i])
		if v.r[i] > 0 {
			m = math.Min(m, float64(n)*v.r[i])
		}
	}
	return m
}

// --- two destinations --------------------------------------------------------

// binomialPearsonPower is the exact power of Pearson's test with two
// destinations: X2 = (x - n a)^2 / (n a (1-a)) > crit, x ~ Binomial(n, r).
func (v *verdictPower) binomialPearsonPower(n int64) float64 {
	a := v.a[0]
	e := float64(n) * a
	h := math.Sqrt(v.crit * float64(n) * a * v.a[1])
	stat := func(x int64) float64 {
		d := float64(x) - e
		return d * d / (float64(n) * a * v.a[1])
	}
	// Non-rejection: the integers x with stat(x) <= crit, an interval around e.
	lo := int64(math.Max(0, math.Ceil(e-h)))
	hi := int64(math.Min(float64(n), math.Floor(e+h)))
	for lo > 0 && stat(lo-1) <= v.crit {
		lo--
	}
	for lo <= hi && stat(lo) > v.crit {
		lo++
	}
	for hi < n && stat(hi+1) <= v.crit {
		hi++
	}
	for hi >= lo && stat(hi) > v.crit {
		hi--
	}
	return rejectOutside(n, v.r[0], lo, hi)
}

// binomialExactTestPower is the exact power of the exact binomial test (the
// exact multinomial test with two destinations): it rejects x when
// BinomialTwoSided's p-value is below alpha; those x are the two tails beyond
// the null mode's neighbourhood, found by bisection.
func (v *verdictPower) binomialExactTestPower(n int64) float64 {
	la := math.Log(v.opts.Alpha)
	rejects := func(x int64) bool { return binomTwoSidedLog(x, n, v.a[0], v.a[1]) < la }
	mode := min(max(int64(math.Floor(float64(n+1)*v.a[0])), 0), n)
	// Lower tail [0, xl]: rejects is non-increasing in x up to the mode.
	xl := int64(-1)
	if rejects(0) {
		xl, _ = bisect(0, mode+1, func(x int64) bool { return x == 0 || (x <= mode && rejects(x)) })
	}
	xh := n + 1
	if rejects(n) {
		_, xh = bisect(mode-1, n, func(x int64) bool { return x < mode || (x < n && !rejects(x)) })
	}
	return rejectOutside(n, v.r[0], xl+1, xh-1)
}

// rejectOutside returns P(X < lo) + P(X > hi) for X ~ Binomial(n, s): the
// power of a test that keeps [lo, hi].
func rejectOutside(n int64, s float64, lo, hi int64) float64 {
	if lo > hi {
		return 1
	}
	return binomCDF(lo-1, n, s) + binomSF(hi, n, s)
}

// binomCDF returns P(X <= k), X ~ Binomial(n, s), from the regularized
// incomplete beta function.
func binomCDF(k, n int64, s float64) float64 {
	switch {
	case k < 0:
		return 0
	case k >= n:
		return 1
	case s <= 0:
		return 1
	case s >= 1:
		return 0
	}
	return mathext.RegIncBeta(float64(n-k), float64(k+1), 1-s)
}

// binomSF returns P(X > k), X ~ Binomial(n, s).
func binomSF(k, n int64, s float64) float64 {
	switch {
	case k < 0:
		return 1
	case k >= n:
		return 0
	case s <= 0:
		return 0
	case s >= 1:
		return 1
	}
	return mathext.RegIncBeta(float64(k+1), float64(n-k), s)
}

// --- more destinations: exact sums ------------------------------------------

// probFloor is the probability below which an outcome group is left out of an
// exact sum.
const probFloor = 1e-15

// binomRange returns the counts x of Binomial(m, s) whose probability is not
// negligible: an interval around the mode out to where the pmf falls below
// probFloor times its largest value.
func binomRange(m int64, s float64) (lo, hi int64) {
	switch {
	case m <= 0 || s <= 0:
		return 0, 0
	case s >= 1:
		return m, m
	}
	mode := min(max(int64(math.Floor(float64(m+1)*s)), 0), m)
	lmax := binomLogPMF(mode, m, s, 1-s)
	cut := lmax + math.Log(probFloor)
	below := func(x int64) bool { return binomLogPMF(x, m, s, 1-s) < cut }
	lo, hi = 0, m
	if below(0) {
		_, lo = bisect(0, mode, func(x int64) bool { return below(x) })
	}
	if below(m) {
		hi, _ = bisect(mode, m, func(x int64) bool { return !below(x) })
	}
	return lo, hi
}

// leafEstimate estimates the outcome groups an exact sum visits at n: the
// product of the ranges of the enumerated destinations.
func (v *verdictPower) leafEstimate(n int64) float64 {
	est := 1.0
	for _, i := range v.order[:len(v.order)-2] {
		sd := math.Sqrt(float64(n) * math.Max(v.r[i]*(1-v.r[i]), v.a[i]*(1-v.a[i])))
		est *= 2*(8*sd+6) + 1
		if est > 1e18 {
			return est
		}
	}
	return est
}

// pearsonPower sums, over the counts of the enumerated destinations, the
// probability that Pearson's X2 exceeds crit, the last two destinations in
// closed form: given the others, X2 is a convex quadratic in the count x of
// the second-to-last, so the test keeps an interval of x.
func (v *verdictPower) pearsonPower(n int64) (power, truncated float64) {
	k := len(v.a)
	o := v.order
	e := make([]float64, k)
	for i := range e {
		e[i] = float64(n) * v.a[i]
	}
	rest := make([]float64, k+1) // true share of o[j:]
	for j := k - 1; j >= 0; j-- {
		rest[j] = rest[j+1] + v.r[o[j]]
	}
	u, w := o[k-2], o[k-1]
	alpha2 := 1/e[u] + 1/e[w]
	var visited float64
	var rec func(j int, m int64, lw, stat float64)
	rec = func(j int, m int64, lw, stat float64) {
		if j == k-2 {
			wt := math.Exp(lw)
			visited += wt
			s := 0.0
			if rest[j] > 0 {
				s = v.r[u] / rest[j]
			}
			mf := float64(m)
			xs := mf * e[u] / (e[u] + e[w])
			fmin := (mf - e[u] - e[w]) * (mf - e[u] - e[w]) / (e[u] + e[w])
			d := v.crit - stat - fmin
			if d < 0 {
				power += wt
				return
			}
			h := math.Sqrt(d / alpha2)
			lo := int64(math.Max(0, math.Ceil(xs-h)))
			hi := int64(math.Min(mf, math.Floor(xs+h)))
			power += wt * rejectOutside(m, s, lo, hi)
			return
		}
		i := o[j]
		s := 0.0
		if rest[j] > 0 {
			s = math.Min(1, v.r[i]/rest[j])
		}
		lo, hi := binomRange(m, s)
		for x := lo; x <= hi; x++ {
			l := lw + binomLogPMFs(x, m, s)
			if l < math.Log(probFloor) {
				continue
			}
			d := float64(x) - e[i]
			rec(j+1, m-x, l, stat+d*d/e[i])
		}
	}
	rec(0, n, 0, 0)
	return math.Min(1, power), math.Max(0, 1-visited)
}

// binomLogPMFs is binomLogPMF for s in [0, 1] (a point mass at the ends).
func binomLogPMFs(x, m int64, s float64) float64 {
	switch {
	case s <= 0:
		if x == 0 {
			return 0
		}
		return math.Inf(-1)
	case s >= 1:
		if x == m {
			return 0
		}
		return math.Inf(-1)
	}
	return binomLogPMF(x, m, s, 1-s)
}

// exactTestPower is the power of the exact multinomial test: it rejects y when
// F0(P0(y)(1+1e-7)) < alpha, F0(t) the null probability of the outcomes with
// P0 <= t. The threshold is found by bisection on ln t over exact sums of F0;
// given the enumerated destinations, P0 is a binomial pmf in the count of the
// second-to-last, so the outcomes below a threshold are the two tails outside
// an interval around its mode.
func (v *verdictPower) exactTestPower(n int64) (power, truncated float64) {
	k := len(v.a)
	o := v.order
	la := make([]float64, k)
	for i := range la {
		la[i] = math.Log(v.a[i])
	}
	rest0 := make([]float64, k+1)
	rest1 := make([]float64, k+1)
	for j := k - 1; j >= 0; j-- {
		rest0[j] = rest0[j+1] + v.a[o[j]]
		rest1[j] = rest1[j+1] + v.r[o[j]]
	}
	u := o[k-2]
	lfn := lfact(n)
	type leaf struct {
		m      int64
		lw0    float64 // ln P0(prefix)
		lw1    float64 // ln P1(prefix)
		base   float64 // ln P0(y) = base + ln Bin(x; m, s0)
		s0, s1 float64
	}
	var leaves []leaf
	var visited0, visited1 float64
	var rec func(j int, m int64, lw0, lw1, lpre float64)
	rec = func(j int, m int64, lw0, lw1, lpre float64) {
		if j == k-2 {
			visited0 += math.Exp(lw0)
			visited1 += math.Exp(lw1)
			l := leaf{m: m, lw0: lw0, lw1: lw1, s0: v.a[u] / rest0[j]}
			if rest1[j] > 0 {
				l.s1 = v.r[u] / rest1[j]
			}
			l.base = lfn + lpre - lfact(m) + float64(m)*math.Log(rest0[j])
			leaves = append(leaves, l)
			return
		}
		i := o[j]
		q0 := math.Min(1, v.a[i]/rest0[j])
		q1 := 0.0
		if rest1[j] > 0 {
			q1 = math.Min(1, v.r[i]/rest1[j])
		}
		lo0, hi0 := binomRange(m, q0)
		lo1, hi1 := binomRange(m, q1)
		for x := min(lo0, lo1); x <= max(hi0, hi1); x++ {
			l0, l1 := lw0+binomLogPMFs(x, m, q0), lw1+binomLogPMFs(x, m, q1)
			if l0 < math.Log(probFloor) && l1 < math.Log(probFloor) {
				continue
			}
			rec(j+1, m-x, l0, l1, lpre+float64(x)*la[i]-lfact(x))
		}
	}
	rec(0, n, 0, 0, 0)
	// keep returns the interval of x that P0 <= t leaves out, at one leaf.
	keep := func(l leaf, lt float64) (lo, hi int64) {
		c := lt - l.base // ln Bin(x; m, s0) <= c is in the set
		m := l.m
		pmf := func(x int64) float64 { return binomLogPMFs(x, m, l.s0) }
		mode := min(max(int64(math.Floor(float64(m+1)*l.s0)), 0), m)
		if pmf(mode) <= c {
			return 1, 0 // every x
		}
		lo, hi = 0, m
		if pmf(0) <= c {
			_, lo = bisect(0, mode, func(x int64) bool { return pmf(x) <= c })
		}
		if pmf(m) <= c {
			hi, _ = bisect(mode, m, func(x int64) bool { return pmf(x) > c })
		}
		return lo, hi
	}
	mass := func(lt float64, null bool) float64 {
		var s float64
		for _, l := range leaves {
			lo, hi := keep(l, lt)
			if null {
				s += math.Exp(l.lw0) * rejectOutside(l.m, l.s0, lo, hi)
			} else {
				s += math.Exp(l.lw1) * rejectOutside(l.m, l.s1, lo, hi)
			}
		}
		return s
	}
	// The rejection threshold: the largest ln t with F0(t) < alpha.
	lo, hi := -1.0, 0.0
	for i := 0; i < 1000 && mass(lo, true) >= v.opts.Alpha; i++ {
		lo, hi = 2*lo, lo // ln P0 >= -n ln(1/min a) - ..., reached long before lo overflows
	}
	for i := 0; i < 200 && hi-lo > 1e-13*math.Max(1, math.Abs(lo)); i++ {
		mid := lo + (hi-lo)/2
		if mass(mid, true) < v.opts.Alpha {
			lo = mid
		} else {
			hi = mid
		}
	}
	// Reject y when ln P0(y) + ln(1+1e-7) <= lo.
	power = mass(lo-math.Log1p(exactTolerance), false)
	return math.Min(1, power), math.Max(0, math.Max(1-visited0, 1-visited1))
}

// --- approximation ------------------------------------------------------------

// ltzForm holds the Gaussian quadratic form of Pearson's X2 under the true
// shares: X2 ~ sum_j lambda_j (Z_j + sqrt(n) beta_j)^2, Z standard normal.
type ltzForm struct {
	lambda, beta2 []float64 // eigenvalues and squared noncentralities per request
}

// form builds the quadratic form once: the covariance of the standardized
// counts (O_i - n a_i)/sqrt(n a_i) under the true shares is
// D^-1/2 (diag(r) - r r^T) D^-1/2 with D = diag(a), and their mean is
// sqrt(n)(r - a)/sqrt(a).
func (v *verdictPower) form() *ltzForm {
	if v.ltz != nil {
		return v.ltz
	}
	k := len(v.a)
	cov := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			c := -v.r[i] * v.r[j]
			if i == j {
				c += v.r[i]
			}
			cov.SetSym(i, j, c/math.Sqrt(v.a[i]*v.a[j]))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		panic("stats: eigen decomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	f := &ltzForm{}
	top := 0.0
	for _, l := range vals {
		top = math.Max(top, l)
	}
	for j, l := range vals {
		if l <= 1e-12*top {
			continue
		}
		var proj float64
		for i := 0; i < k; i++ {
			proj += vecs.At(i, j) * (v.r[i] - v.a[i]) / math.Sqrt(v.a[i])
		}
		f.lambda = append(f.lambda, l)
		f.beta2 = append(f.beta2, proj*proj/l)
	}
	v.ltz = f
	return f
}

// approximate is the Liu-Tang-Zhang approximation of P(X2 > crit) at n.
func (v *verdictPower) approximate(n int64) float64 {
	f := v.form()
	var c [5]float64
	for r := 1; r <= 4; r++ {
		for j, l := range f.lambda {
			lr := math.Pow(l, float64(r))
			c[r] += lr + float64(r)*lr*float64(n)*f.beta2[j]
		}
	}
	return ltzSurvival(v.crit, c[1], c[2], c[3], c[4])
}

// ltzSurvival is Liu, Tang and Zhang's approximation of P(Q > x) for a
// quadratic form with c_r = sum lambda^r (1 + r delta): a noncentral
// chi-square (df l, noncentrality d) matched in skewness and, as far as it
// can be, kurtosis, then scaled to Q's mean and variance.
func ltzSurvival(x, c1, c2, c3, c4 float64) float64 {
	s1 := c3 / math.Pow(c2, 1.5)
	s2 := c4 / (c2 * c2)
	mu, sig := c1, math.Sqrt(2*c2)
	var a, d, l float64
	if s1*s1 > s2 {
		a = 1 / (s1 - math.Sqrt(s1*s1-s2))
		d = s1*a*a*a - a*a
		l = a*a - 2*d
	} else {
		a = 1 / s1
		d = 0
		l = c2 * c2 * c2 / (c3 * c3)
	}
	t := (x - mu) / sig
	y := t*math.Sqrt2*a + l + d
	return ncx2SF(y, l, d)
}

// --- simulation ---------------------------------------------------------------

// simulate estimates the power from PowerReplicates seeded multinomial
// samples. For the exact test, the rejection threshold on ln P0 is the alpha
// quantile of ln P0 over seeded null samples (at least 100/alpha of them).
func (v *verdictPower) simulate(n int64, test string) (power, stdErr float64) {
	k := len(v.a)
	y := make([]int64, k)
	draw := func(rng *rand.Rand, p []float64) {
		rest := 1.0
		m := n
		for i := 0; i < k-1; i++ {
			q := 0.0
			if rest > 0 {
				q = math.Min(1, p[i]/rest)
			}
			y[i] = binomialRand(rng, m, q)
			m -= y[i]
			rest -= p[i]
		}
		y[k-1] = m
	}
	var rejects func() bool
	if test == "exact" {
		nullN := int(math.Min(math.Max(100/v.opts.Alpha, PowerReplicates), 4e6))
		rng := rand.New(rand.NewPCG(v.opts.Seed, 0x6e756c6c)) // "null"
		lp := make([]float64, nullN)
		for i := range lp {
			draw(rng, v.a)
			lp[i] = logMultinomial(y, v.a, n)
		}
		sort.Float64s(lp)
		// Reject when F0(P0(y)(1+1e-7)) < alpha: below the alpha quantile.
		// F0(t) is estimated by the share of null samples with ln P0 <= ln t: fewer than
		// alpha nullN of them lie at or below ln P0(y) + ln(1+1e-7) exactly when that is below
		// the ceil(alpha nullN)-th smallest.
		idx := max(int(math.Ceil(v.opts.Alpha*float64(nullN)))-1, 0)
		cut := lp[idx] - math.Log1p(exactTolerance)
		rejects = func() bool { return logMultinomial(y, v.a, n) < cut }
	} else {
		rejects = func() bool {
			var x2 float64
			for i, c := range y {
				e := float64(n) * v.a[i]
				d := float64(c) - e
				x2 += d * d / e
			}
			return x2 > v.crit
		}
	}
	rng := rand.New(rand.NewPCG(v.opts.Seed, 0x706f776572)) // "power"
	hits := 0
	for i := 0; i < PowerReplicates; i++ {
		draw(rng, v.r)
		if rejects() {
			hits++
		}
	}
	power = float64(hits) / PowerReplicates
	return power, math.Sqrt(power * (1 - power) / PowerReplicates)
}

// --- required N ---------------------------------------------------------------

// MaxRequiredN is the largest number of requests VerdictRequiredN considers: 2^53, the most
// observed requests verify tests (up to there a float64 holds every count exactly), so that a
// required N is one that can be verified.
const MaxRequiredN = 1 << 53

// VerdictRequiredN returns the smallest N at which VerdictPower reaches target
// (in (0, 1)), with the power there; false when no N up to MaxRequiredN does
// (nothing to detect, or a deviation too small).
//
// The power of a discrete test is not monotone in N (the rejection region
// moves by whole requests), so the search brackets the crossing with the
// approximation, bisects on the computed power, then checks every N below the
// crossing down to where the lattice's oscillation (at most twice the
// binomial's largest probability, with two destinations) could no longer lift
// the power to the target. With three or more destinations the oscillation is
// far smaller and the bisection's crossing is taken; a simulated power is
// searched the same way, with its standard error.
func VerdictRequiredN(p0, p1 []float64, target float64, opts PowerOptions) (VerdictPowerResult, bool) {
	if !(target > 0 && target < 1) {
		panic(fmt.Sprintf("stats: target power %v outside (0, 1)", target))
	}
	v := newVerdictPower(p0, p1, opts)
	if len(v.a) < 2 && v.q == 0 {
		return VerdictPowerResult{}, false
	}
	limit := int64(MaxRequiredN)
	if v.q > 0 { // the violations alone reach the target by this N
		if nq := math.Ceil(math.Log1p(-target) / math.Log1p(-v.q)); nq < float64(limit) {
			limit = max(int64(nq), 1)
		}
	}
	if len(v.a) < 2 {
		return v.search(1, limit, target, 1)
	}
	guess := v.guess(target)
	if v.opts.Test == "auto" {
		// The exact test below the N at which every expected count reaches 5, Pearson from there.
		sw := int64(math.Ceil(minExpected / v.minA))
		for sw > 1 && float64(sw-1)*v.minA >= minExpected {
			sw--
		}
		for float64(sw)*v.minA < minExpected {
			sw++
		}
		if sw > 1 {
			if r, ok := v.search(1, min(sw-1, limit), target, min(guess, sw-1)); ok {
				return r, true
			}
		}
		if sw > limit {
			return v.at(limit), true
		}
		return v.search(sw, limit, target, max(guess, sw))
	}
	return v.search(1, limit, target, guess)
}

// guess is the approximate required N: from the Gaussian quadratic form over
// the positive-share destinations (capped by the violations' own N).
func (v *verdictPower) guess(target float64) int64 {
	g, _ := SmallestReaching(func(n int64) float64 { return v.approximate(n) }, target, 1, MaxRequiredN)
	if g <= 0 {
		g = MaxRequiredN
	}
	return g
}

// search finds the smallest n in [lo, hi] with power >= target, starting near
// guess; hi itself is taken to reach the target when hi is the violations'
// limit.
func (v *verdictPower) search(lo, hi int64, target float64, guess int64) (VerdictPowerResult, bool) {
	guess = min(max(guess, lo), hi)
	at := map[int64]VerdictPowerResult{}
	pw := func(n int64) VerdictPowerResult {
		if r, ok := at[n]; ok {
			return r
		}
		r := v.at(n)
		at[n] = r
		return r
	}
	reaches := func(n int64) bool { return pw(n).Power >= target }
	// Bracket: below < target <= above.
	var below, above int64
	if reaches(guess) {
		above, below = guess, lo-1
		for i, step := 0, int64(1); i < 200 && above > lo; i, step = i+1, min(2*step, 1<<60) {
			c := max(above-max(step, above/8), lo)
			if !reaches(c) {
				below = c
				break
			}
			above = c
		}
	} else {
		below, above = guess, -1
		for i, step := 0, int64(1); i < 200 && below < hi; i, step = i+1, min(2*step, 1<<60) {
			c := min(below+max(step, below/8), hi)
			if reaches(c) {
				above = c
				break
			}
			below = c
		}
		if above < 0 {
			return VerdictPowerResult{}, false
		}
	}
	for above-below > 1 {
		mid := below + (above-below)/2
		if reaches(mid) {
			above = mid
		} else {
			below = mid
		}
	}
	// With two destinations, look below the crossing for an earlier N the lattice lifts to the target.
	if r := pw(above); len(v.a) == 2 && r.Method == PowerExact && r.Test != "violation" {
		amp := 2 * 0.4 / math.Sqrt(math.Max(1, float64(above)*v.r[0]*v.r[1])) // twice the binomial's largest pmf
		floor := lo
		if g, ok := SmallestReaching(func(n int64) float64 { return v.approximate(n) }, target-amp-0.01, 1, above); ok {
			floor = max(floor, g)
		}
		floor = max(floor, above-20000)
		for n := above - 1; n >= floor; n-- {
			if reaches(n) {
				above = n
			}
		}
	}
	return pw(above), true
}
