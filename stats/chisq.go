package stats

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// logSpaceBelow is the p-value under which log10(p) is computed in log space
// rather than as math.Log10(p): below it float64 p-values lose precision
// (subnormals start at 2.2e-308) and eventually underflow to 0.
const logSpaceBelow = 1e-280

// ChiSquareSurvival returns p = P(X > x) for X chi-square distributed with df
// degrees of freedom, and log10(p).
//
// p comes from gonum's complemented regularized incomplete gamma function
// (mathext.GammaIncRegComp). When p is below 1e-280, log10p is computed in log
// space from the Legendre continued fraction of the upper incomplete gamma
// function, so it stays finite and accurate (about 1e-12 absolute) long after p
// itself has underflowed to 0.
//
// x <= 0 gives (1, 0). df <= 0 (a single destination: nothing to test) also
// gives (1, 0) rather than the degenerate point mass at 0; callers that need
// to tell the two apart must check df themselves.
func ChiSquareSurvival(x float64, df int) (p, log10p float64) {
	if df <= 0 || x <= 0 || math.IsNaN(x) {
		if math.IsNaN(x) {
			return math.NaN(), math.NaN()
		}
		return 1, 0
	}
	if math.IsInf(x, 1) {
		return 0, -math.MaxFloat64
	}
	a, y := float64(df)/2, x/2
	p = mathext.GammaIncRegComp(a, y)
	if p >= logSpaceBelow {
		return p, math.Log10(p)
	}
	// Far upper tail: y is necessarily well above a+1 here, where the
	// continued fraction converges quickly.
	lnq := logGammaIncRegCompCF(a, y)
	return p, lnq / math.Ln10
}

// logGammaIncRegCompCF returns ln Q(a, y), the natural log of the complemented
// regularized incomplete gamma function, from its continued fraction
// (modified Lentz). It is accurate for y > a+1.
func logGammaIncRegCompCF(a, y float64) float64 {
	const (
		tiny = 1e-300
		eps  = 1e-16
	)
	lga, _ := math.Lgamma(a)
	b := y + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 100000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return -y + a*math.Log(y) - lga + math.Log(h)
}

// chiSquareQuantileUpper returns the x with P(X > x) = alpha for X chi-square
// with df degrees of freedom (the critical value of a level-alpha test). The
// gonum inverse is polished with Newton steps on the survival function.
func chiSquareQuantileUpper(alpha float64, df int) float64 {
	a := float64(df) / 2
	y := mathext.GammaIncRegCompInv(a, alpha)
	if !(y > 0) || math.IsInf(y, 0) {
		return 2 * y
	}
	lga, _ := math.Lgamma(a)
	for i := 0; i < 8; i++ {
		q := mathext.GammaIncRegComp(a, y)
		// dQ/dy = -y^(a-1) e^-y / Gamma(a)
		dens := math.Exp((a-1)*math.Log(y) - y - lga)
		if dens == 0 {
			break
		}
		step := (q - alpha) / dens
		ny := y + step
		if ny <= 0 {
			ny = y / 2
		}
		if math.Abs(ny-y) <= 1e-15*y {
			y = ny
			break
		}
		y = ny
	}
	return 2 * y
}
