package stats

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Accurate binomial probabilities for large n.
//
// math.Lgamma(n+1) has an absolute error of about n ln(n) * 1e-16, which at
// n = 1e7 already costs ~3e-8 of relative accuracy in a binomial probability,
// and gonum's incomplete beta loses about as much for parameters in the
// millions. The log probability mass is therefore computed with Loader's
// saddle-point form (as in R's dbinom) and deep or large-n tails are summed
// term by term from it.

const lnSqrt2Pi = 0.918938533204672741780329736406 // ln(sqrt(2 pi))

// stirlerr returns ln(n!) - ln(sqrt(2 pi n) (n/e)^n), the error of Stirling's
// formula, for n >= 1.
func stirlerr(n float64) float64 {
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	if n <= 15 {
		lg, _ := math.Lgamma(n + 1)
		return lg - (n+0.5)*math.Log(n) + n - lnSqrt2Pi
	}
	nn := n * n
	switch {
	case n > 500:
		return (s0 - s1/nn) / n
	case n > 80:
		return (s0 - (s1-s2/nn)/nn) / n
	case n > 35:
		return (s0 - (s1-(s2-s3/nn)/nn)/nn) / n
	}
	return (s0 - (s1-(s2-(s3-s4/nn)/nn)/nn)/nn) / n
}

// bd0 returns x ln(x/np) + np - x, the deviance term of Loader's algorithm,
// without cancellation when x is close to np.
func bd0(x, np float64) float64 {
	if math.Abs(x-np) < 0.1*(x+np) {
		v := (x - np) / (x + np)
		s := (x - np) * v
		ej := 2 * x * v
		v *= v
		for j := 1; j < 1000; j++ {
			ej *= v
			s1 := s + ej/float64(2*j+1)
			if s1 == s {
				return s1
			}
			s = s1
		}
		return s
	}
	return x*math.Log(x/np) + np - x
}

// binomLogPMF returns ln P(X = a) for X ~ Binomial(m, r), s = 1-r, with a
// relative accuracy of about 1e-15 in P for every m.
func binomLogPMF(a, m int64, r, s float64) float64 {
	switch {
	case a < 0 || a > m:
		return math.Inf(-1)
	case a == 0:
		return float64(m) * math.Log(s)
	case a == m:
		return float64(m) * math.Log(r)
	}
	n, x := float64(m), float64(a)
	lc := stirlerr(n) - stirlerr(x) - stirlerr(n-x) - bd0(x, n*r) - bd0(n-x, n*s)
	return lc + 0.5*math.Log(n/(2*math.Pi*x*(n-x)))
}

// maxTailTerms bounds the term-by-term tail summation; beyond it the
// incomplete beta function is used.
const maxTailTerms = 4000000

// binomLogCDF returns ln P(X <= a), X ~ Binomial(m, r), s = 1-r.
func binomLogCDF(a, m int64, r, s float64) float64 {
	if a >= m {
		return 0
	}
	if a < 0 {
		return math.Inf(-1)
	}
	if float64(a) >= float64(m)*r {
		// The tail holds the mode: complement of the upper tail.
		return math.Log1p(-math.Exp(binomLogSF(a+1, m, r, s)))
	}
	if l, ok := binomLogTailSum(a, -1, m, r, s); ok {
		return l
	}
	// P(X <= a) = I_s(m-a, a+1)
	return math.Log(mathext.RegIncBeta(float64(m-a), float64(a+1), s))
}

// binomLogSF returns ln P(X >= a), X ~ Binomial(m, r), s = 1-r.
func binomLogSF(a, m int64, r, s float64) float64 {
	if a <= 0 {
		return 0
	}
	if a > m {
		return math.Inf(-1)
	}
	if float64(a) <= float64(m)*r {
		return math.Log1p(-math.Exp(binomLogCDF(a-1, m, r, s)))
	}
	if l, ok := binomLogTailSum(a, +1, m, r, s); ok {
		return l
	}
	// P(X >= a) = I_r(a, m-a+1)
	return math.Log(mathext.RegIncBeta(float64(a), float64(m-a+1), r))
}

// binomLogTailSum sums pmf(a) + pmf(a+dir) + ... (a tail not containing the
// mean, so the terms decrease away from a) in log space. ok is false if the
// sum would need more than maxTailTerms terms.
func binomLogTailSum(a int64, dir int64, m int64, r, s float64) (l float64, ok bool) {
	// Terms decay like exp(-d j / sigma^2) with d the distance of a from the
	// mean, and like a Gaussian within sigma of it.
	mf := float64(m)
	sigma2 := mf * r * s
	d := math.Abs(float64(a) - mf*r)
	need := 40*math.Sqrt(sigma2) + 100
	if d > 0 {
		need = math.Min(need, 40*sigma2/d+100)
	}
	if need > maxTailTerms {
		return 0, false
	}
	l0 := binomLogPMF(a, m, r, s)
	rs := r / s
	sum, term := 1.0, 1.0 // relative to pmf(a)
	for j := a; ; {
		if dir > 0 {
			if j >= m {
				break
			}
			term *= float64(m-j) / float64(j+1) * rs // pmf(j+1)/pmf(j)
			j++
		} else {
			if j <= 0 {
				break
			}
			term *= float64(j) / float64(m-j+1) / rs // pmf(j-1)/pmf(j)
			j--
		}
		sum += term
		if term < 1e-17*sum {
			break
		}
	}
	return l0 + math.Log(sum), true
}
