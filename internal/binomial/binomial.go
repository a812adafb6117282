// Package binomial draws exact binomial variates for any n up to 2^53, fast enough that a multinomial
// of 10^12 requests over a few destinations costs microseconds.
//
// Small means use inversion by sequential search; larger ones Hörmann's BTRD transformed rejection
// ("The generation of binomial random variates", J. Statist. Comput. Simul. 46, 1993), with the
// acceptance test on log f(k) - log f(m) computed by Loader's saddle-point formula ("Fast and accurate
// computation of binomial probabilities", 2000), which keeps its accuracy at n = 10^12 where a
// difference of math.Lgamma values would not.
package binomial

import (
	"math"
	"math/rand/v2"
)

// Rand draws from Binomial(n, p) with the uniform source rng.
func Rand(rng *rand.Rand, n int64, p float64) int64 {
	if n <= 0 || !(p > 0) {
		return 0
	}
	if p >= 1 {
		return n
	}
	flip := p > 0.5
	if flip {
		p = 1 - p
	}
	var x int64
	if float64(n)*p < 10 {
		x = inversion(rng, n, p)
	} else {
		x = btrd(rng, n, p)
	}
	if flip {
		return n - x
	}
	return x
}

// inversion walks the CDF from 0; the mean is below 10, so the walk is short.
func inversion(rng *rand.Rand, n int64, p float64) int64 {
	q := 1 - p
	r := p / q
	f0 := math.Exp(float64(n) * math.Log1p(-p))
	for {
		u := rng.Float64()
		f := f0
		var x int64
		for u > f {
			u -= f
			x++
			if x > n {
				break
			}
			f *= r * float64(n-x+1) / float64(x)
			if f < 1e-300 && float64(x) > float64(n)*p {
				break // rounding left u above the whole mass: draw again
			}
		}
		if x <= n && u <= f {
			return x
		}
	}
}

// btrd is Hörmann's algorithm for n*p >= 10, p <= 0.5.
func btrd(rng *rand.Rand, n int64, p float64) int64 {
	nf := float64(n)
	q := 1 - p
	spq := math.Sqrt(nf * p * q)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	alpha := (2.83 + 5.1/b) * spq
	vr := 0.92 - 4.2/b
	m := int64(math.Floor((nf + 1) * p))
	lfm := LogPMF(m, n, p)
	for {
		u := rng.Float64() - 0.5
		v := rng.Float64()
		us := 0.5 - math.Abs(u)
		kf := math.Floor((2*a/us+b)*u + c)
		if kf < 0 || kf > nf {
			continue
		}
		k := int64(kf)
		if us >= 0.07 && v <= vr {
			return k // inside the box where the hat lies below the density
		}
		lv := math.Log(v * alpha / (a/(us*us) + b))
		if lv <= LogPMF(k, n, p)-lfm {
			return k
		}
	}
}

// LogPMF is log P(X = k) for X ~ Binomial(n, p), by Loader's saddle-point expansion.
func LogPMF(k, n int64, p float64) float64 {
	return LogPMFpq(k, n, p, 1-p)
}

// LogPMFpq is LogPMF with q = 1-p given by the caller, who may know it more precisely than 1-p
// rounds it (p close to 1). The relative accuracy is about 1e-15 in P for every n.
func LogPMFpq(k, n int64, p, q float64) float64 {
	switch {
	case k < 0 || k > n:
		return math.Inf(-1)
	case k == 0:
		return float64(n) * math.Log(q)
	case k == n:
		return float64(n) * math.Log(p)
	}
	nf, kf := float64(n), float64(k)
	lc := Stirlerr(nf) - Stirlerr(kf) - Stirlerr(nf-kf) - BD0(kf, nf*p) - BD0(nf-kf, nf*q)
	return lc + 0.5*math.Log(nf/(2*math.Pi*kf*(nf-kf)))
}

// Stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n), the error of Stirling's formula, for n >= 1.
func Stirlerr(n float64) float64 {
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	if n <= 15 {
		lg, _ := math.Lgamma(n + 1)
		return lg - (n+0.5)*math.Log(n) + n - 0.5*math.Log(2*math.Pi)
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

// BD0(x, np) = x log(x/np) + np - x, computed without cancellation when x is near np.
func BD0(x, np float64) float64 {
	if math.Abs(x-np) < 0.1*(x+np) {
		v := (x - np) / (x + np)
		s := (x - np) * v
		ej := 2 * x * v
		v2 := v * v
		for j := 1; j < 1000; j++ {
			ej *= v2
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

// Multinomial fills out with a draw of n trials over the weights (conditional binomials in order).
// Zero weights get zero. The weights must not all be zero.
func Multinomial(rng *rand.Rand, n int64, weights []uint64, out []int64) {
	var rest uint64
	for _, w := range weights {
		rest += w
	}
	for i, w := range weights {
		switch {
		case w == 0:
			out[i] = 0
		case w == rest:
			out[i] = n
		default:
			out[i] = Rand(rng, n, float64(w)/float64(rest))
		}
		n -= out[i]
		rest -= w
	}
}
