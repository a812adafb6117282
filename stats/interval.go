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
