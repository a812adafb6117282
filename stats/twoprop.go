package stats

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// normalSF returns P(Z > z) for a standard normal Z, accurate in both tails
// (gonum's Normal.Survival is 1-CDF and loses every digit past z ~ 8).
func normalSF(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// TwoProportionZTest is the two-sided pooled two-proportion z test of
// H0: p1 == p2 from x1 successes (errors) out of n1 and x2 out of n2:
// z = (x1/n1 - x2/n2) / sqrt(pbar(1-pbar)(1/n1 + 1/n2)) with
// pbar = (x1+x2)/(n1+n2), p = 2 P(Z > |z|). When pbar is 0 or 1 (no
// difference can be seen) it returns z = 0, p = 1; n1 or n2 <= 0 gives NaNs.
func TwoProportionZTest(x1, n1, x2, n2 int64) (z, p float64) {
	if n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2 {
		return math.NaN(), math.NaN()
	}
	f1, f2 := float64(n1), float64(n2)
	pbar := float64(x1+x2) / (f1 + f2)
	if pbar == 0 || pbar == 1 {
		return 0, 1
	}
	z = (float64(x1)/f1 - float64(x2)/f2) / math.Sqrt(pbar*(1-pbar)*(1/f1+1/f2))
	return z, math.Min(1, 2*normalSF(math.Abs(z)))
}

// TwoProportionPower returns the power of the two-sided level-alpha pooled
// two-proportion z test (TwoProportionZTest) with n1 and n2 observations when
// the true rates are p1 and p2, from the usual normal approximation (Fleiss;
// R's power.prop.test with strict = TRUE for n1 == n2):
//
//	power = Phi((|d| - z sigma0)/sigma1) + Phi((-|d| - z sigma0)/sigma1)
//
// with d = p1 - p2, z = the upper alpha/2 normal quantile,
// sigma0 = sqrt(pbar(1-pbar)(1/n1+1/n2)), pbar = (n1 p1 + n2 p2)/(n1+n2) (the
// null standard error, as the pooled statistic uses) and
// sigma1 = sqrt(p1(1-p1)/n1 + p2(1-p2)/n2) (the standard error under the
// alternative). Both tails are counted. It returns NaN for invalid arguments
// and alpha when p1 == p2.
func TwoProportionPower(n1, n2 int64, p1, p2, alpha float64) float64 {
	if n1 <= 0 || n2 <= 0 || !(p1 >= 0 && p1 <= 1) || !(p2 >= 0 && p2 <= 1) || !(alpha > 0 && alpha < 1) {
		return math.NaN()
	}
	if p1 == p2 {
		return alpha
	}
	f1, f2 := float64(n1), float64(n2)
	z := -mathext.NormalQuantile(alpha / 2)
	pbar := (f1*p1 + f2*p2) / (f1 + f2)
	s0 := math.Sqrt(pbar * (1 - pbar) * (1/f1 + 1/f2))
	s1 := math.Sqrt(p1*(1-p1)/f1 + p2*(1-p2)/f2)
	d := math.Abs(p1 - p2)
	if s1 == 0 {
		// Both rates are 0 or 1 and differ: the samples differ surely.
		return 1
	}
	// Phi(a) = P(Z > -a).
	return math.Min(1, normalSF(-(d-z*s0)/s1)+normalSF((d+z*s0)/s1))
}

// TwoProportionRequiredN returns the smallest n1, with n2 = ceil(ratio n1),
// for which TwoProportionPower(n1, n2, p1, p2, alpha) >= power. ratio is
// n2/n1 (for an error-rate regression of a canary with share s against the
// baseline, n1 = canary, ratio = (1-s)/s); ratio <= 0 means 1. It returns
// (-1, -1) when p1 == p2 or the target is beyond reach (n1 above 2^62), and
// NaN-producing arguments also give (-1, -1).
func TwoProportionRequiredN(p1, p2, ratio, alpha, power float64) (n1, n2 int64) {
	if !(ratio > 0) || math.IsInf(ratio, 1) {
		ratio = 1
	}
	pw := func(n int64) float64 {
		m := math.Ceil(ratio * float64(n))
		if m < 1 {
			m = 1
		}
		return TwoProportionPower(n, int64(m), p1, p2, alpha)
	}
	if p1 == p2 || !(power > 0 && power < 1) || math.IsNaN(pw(1)) {
		return -1, -1
	}
	hi, ok := SmallestReaching(pw, power, 1, 1<<62)
	if !ok {
		return -1, -1
	}
	return hi, max(int64(math.Ceil(ratio*float64(hi))), 1)
}
