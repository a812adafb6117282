package stats

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// zTwoSided returns the standard normal quantile z with P(|Z| > z) = 1-conf.
func zTwoSided(conf float64) float64 {
	return -mathext.NormalQuantile((1 - conf) / 2)
}

// Wilson returns the Wilson score interval for a proportion: x successes in n
// trials at two-sided confidence level conf (for example 0.999). The bounds
// are exactly 0 at x = 0 and exactly 1 at x = n, and clamped to [0, 1]. n == 0
// gives (0, 1); x outside [0, n] or conf outside (0, 1) gives NaNs.
func Wilson(x, n int64, conf float64) (lo, hi float64) {
	if x < 0 || x > n || !(conf > 0 && conf < 1) {
		return math.NaN(), math.NaN()
	}
	if n == 0 {
		return 0, 1
	}
	z := zTwoSided(conf)
	nf := float64(n)
	ph := float64(x) / nf
	z2n := z * z / nf
	centre := (ph + z2n/2) / (1 + z2n)
	half := z / (1 + z2n) * math.Sqrt(ph*(1-ph)/nf+z*z/(4*nf*nf))
	lo, hi = centre-half, centre+half
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return math.Max(0, lo), math.Min(1, hi)
}

// ClopperPearson returns the Clopper-Pearson ("exact") interval for x
// successes in n trials at two-sided confidence level conf:
// [B^-1(a/2; x, n-x+1), B^-1(1-a/2; x+1, n-x)] with a = 1-conf, lo = 0 at
// x = 0 and hi = 1 at x = n. It is conservative: its coverage is at least
// conf. n == 0 gives (0, 1); invalid arguments give NaNs.
func ClopperPearson(x, n int64, conf float64) (lo, hi float64) {
	if x < 0 || x > n || !(conf > 0 && conf < 1) {
		return math.NaN(), math.NaN()
	}
	if n == 0 {
		return 0, 1
	}
	a := (1 - conf) / 2
	lo, hi = 0, 1
	if x > 0 {
		lo = binomialRateBound(x, n, a, true)
	}
	if x < n {
		hi = binomialRateBound(x, n, a, false)
	}
	return lo, hi
}

// binomialRateBound solves for the success probability q of Binomial(n, q)
// with P(X >= x) = tail (lower, the Clopper-Pearson lower bound) or
// P(X <= x) = tail (!lower, the upper bound). Equivalently it inverts the
// regularized incomplete beta function with integer parameters, but through
// the accurate binomial tails of binom.go, which keep ~1e-13 relative
// accuracy where gonum's incomplete beta loses digits (n in the millions).
// Safeguarded Newton iteration on the log of the tail, started from gonum's
// InvRegIncBeta.
func binomialRateBound(x, n int64, tail float64, lower bool) float64 {
	xf, nf := float64(x), float64(n)
	var q float64
	if lower {
		q = mathext.InvRegIncBeta(xf, nf-xf+1, tail)
	} else {
		q = mathext.InvRegIncBeta(xf+1, nf-xf, 1-tail)
	}
	if !(q > 0 && q < 1) {
		q = (xf + 0.5) / (nf + 1)
	}
	lt := math.Log(tail)
	lo, hi := 0.0, 1.0
	for i := 0; i < 100; i++ {
		s := 1 - q
		var f, df float64 // f = ln tail(q) - ln tail, df = d f / d q
		if lower {
			// P(X >= x) increases with q; d/dq = n pmf_{n-1}(x-1).
			l := binomLogSF(x, n, q, s)
			f = l - lt
			df = math.Exp(math.Log(nf) + binomLogPMF(x-1, n-1, q, s) - l)
			if f > 0 {
				hi = q
			} else {
				lo = q
			}
		} else {
			// P(X <= x) decreases with q; d/dq = -n pmf_{n-1}(x).
			l := binomLogCDF(x, n, q, s)
			f = l - lt
			df = -math.Exp(math.Log(nf) + binomLogPMF(x, n-1, q, s) - l)
			if f > 0 {
				lo = q
			} else {
				hi = q
			}
		}
		if f == 0 {
			break
		}
		nq := q - f/df
		if !(nq > lo && nq < hi) {
			nq = (lo + hi) / 2
		}
		if math.Abs(nq-q) <= 1e-15*q || hi-lo <= 1e-16*q {
			q = nq
			break
		}
		q = nq
	}
	return q
}
