package binomial

import (
	"math"
	"math/rand/v2"
	"testing"
)

// LogPMF agrees with the direct formula from math.Lgamma where that is accurate (small n).
func TestLogPMFSmallN(t *testing.T) {
	for _, n := range []int64{1, 5, 20, 100, 1000} {
		for _, p := range []float64{0.01, 0.2, 0.5, 0.9} {
			for k := int64(0); k <= n; k += max(1, n/17) {
				ln, _ := math.Lgamma(float64(n) + 1)
				lk, _ := math.Lgamma(float64(k) + 1)
				lnk, _ := math.Lgamma(float64(n-k) + 1)
				want := ln - lk - lnk + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p)
				if got := LogPMF(k, n, p); math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Fatalf("LogPMF(%d, %d, %v) = %v, want %v", k, n, p, got, want)
				}
			}
		}
	}
}

// The PMF sums to 1 at huge n (it is evaluated near the mean, where nearly all the mass is).
func TestLogPMFHugeNSumsToOne(t *testing.T) {
	n, p := int64(1e12), 0.3
	mean, sd := float64(n)*p, math.Sqrt(float64(n)*p*(1-p))
	var sum float64
	for k := int64(mean - 10*sd); k <= int64(mean+10*sd); k++ {
		sum += math.Exp(LogPMF(k, n, p))
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("sum of pmf near the mean = %.12f, want 1", sum)
	}
}

// Draws follow the binomial law: a chi-square test of 200,000 seeded draws against the exact pmf, for
// both branches (inversion and BTRD) and for p above 1/2.
func TestRandMatchesPMF(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []struct {
		n int64
		p float64
	}{{10, 0.3}, {50, 0.1}, {40, 0.5}, {1000, 0.02}, {1000, 0.37}, {100000, 0.8}, {7, 0.999}} {
		const draws = 200000
		mean := float64(tc.n) * tc.p
		sd := math.Sqrt(mean * (1 - tc.p))
		lo, hi := int64(math.Max(0, mean-5*sd)), int64(math.Min(float64(tc.n), mean+5*sd))
		counts := map[int64]int{}
		for range draws {
			x := Rand(rng, tc.n, tc.p)
			if x < 0 || x > tc.n {
				t.Fatalf("draw %d outside [0, %d]", x, tc.n)
			}
			counts[min(max(x, lo), hi)]++
		}
		// bins with expected count >= 20; the tails are lumped into the edge bins
		var x2 float64
		df := -1
		var eAcc float64
		var oAcc int
		for k := lo; k <= hi; k++ {
			e := math.Exp(LogPMF(k, tc.n, tc.p))
			if k == lo {
				e = cdf(lo, tc.n, tc.p)
			}
			if k == hi {
				e = 1 - cdf(hi-1, tc.n, tc.p)
			}
			eAcc += e * draws
			oAcc += counts[k]
			if eAcc >= 20 || k == hi {
				x2 += (float64(oAcc) - eAcc) * (float64(oAcc) - eAcc) / eAcc
				df++
				eAcc, oAcc = 0, 0
			}
		}
		// 99.99% critical value, approximated by Wilson-Hilferty
		z := 3.719
		crit := float64(df) * math.Pow(1-2/(9*float64(df))+z*math.Sqrt(2/(9*float64(df))), 3)
		if x2 > crit {
			t.Errorf("n=%d p=%v: X2 = %.1f with df %d > %.1f", tc.n, tc.p, x2, df, crit)
		}
	}
}

func cdf(k, n int64, p float64) float64 {
	var s float64
	for i := int64(0); i <= k; i++ {
		s += math.Exp(LogPMF(i, n, p))
	}
	return s
}

// At n = 10^12 the draws have the binomial mean and variance.
func TestRandHugeN(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n, p := int64(1e12), 0.2
	const draws = 20000
	var sum, sum2 float64
	mean := float64(n) * p
	sd := math.Sqrt(mean * (1 - p))
	for range draws {
		z := (float64(Rand(rng, n, p)) - mean) / sd
		sum += z
		sum2 += z * z
	}
	if m := sum / draws; math.Abs(m) > 4/math.Sqrt(draws) {
		t.Errorf("standardised mean %v", m)
	}
	if v := sum2 / draws; math.Abs(v-1) > 4*math.Sqrt(2.0/draws) {
		t.Errorf("standardised variance %v", v)
	}
}

func TestMultinomialAddsUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	out := make([]int64, 4)
	for _, n := range []int64{0, 1, 17, 1e6, 1e12} {
		Multinomial(rng, n, []uint64{70, 0, 20, 10}, out)
		if out[0]+out[1]+out[2]+out[3] != n || out[1] != 0 {
			t.Fatalf("n=%d: %v", n, out)
		}
	}
}

func BenchmarkRandHugeN(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		Rand(rng, 1e12, 0.2)
	}
}
