package stats

import (
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/splitsim/splitsim/internal/binomial"
)

// Accurate binomial probabilities for large n.
//
// math.Lgamma(n+1) has an absolute error of about n ln(n) * 1e-16, which at
// n = 1e7 already costs ~3e-8 of relative accuracy in a binomial probability,
// and gonum's incomplete beta loses about as much for parameters in the
// millions. The log probability mass is therefore computed with Loader's
// saddle-point form (as in R's dbinom) and deep or large-n tails are summed
// term by term from it.

// binomLogPMF returns ln P(X = a) for X ~ Binomial(m, r), s = 1-r, with a
// relative accuracy of about 1e-15 in P for every m.
func binomLogPMF(a, m int64, r, s float64) float64 {
	return binomial.LogPMFpq(a, m, r, s)
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
