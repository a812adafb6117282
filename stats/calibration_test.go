package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// drawMultinomial draws n categorical samples with cumulative shares cum,
// one request at a time (deliberately independent of binomialRand).
func drawMultinomial(rng *rand.Rand, n int64, cum []float64, out []int64) {
	clear(out)
	for i := int64(0); i < n; i++ {
		u := rng.Float64()
		j := 0
		for j < len(cum)-1 && u >= cum[j] {
			j++
		}
		out[j]++
	}
}

func cumulative(p []float64) []float64 {
	c := make([]float64, len(p))
	var s float64
	for i, v := range p {
		s += v
		c[i] = s
	}
	return c
}

// binomialBound returns z binomial standard deviations of a rate estimated
// from n trials.
func binomialBound(rate float64, n int, z float64) float64 {
	return z * math.Sqrt(rate*(1-rate)/float64(n))
}

// TestNullCalibration draws 10,000 seeded null multinomial samples and checks
// that Pearson and G reject at alpha = 0.01 at the nominal rate (within 4
// sigma), that the exact test (on 4,000 of them) never rejects more often
// (it is conservative),
// and that the X2 replicates have the exact multinomial mean k-1 and variance
// 2(k-1) + (sum 1/p - k^2 - 2k + 2)/N.
func TestNullCalibration(t *testing.T) {
	t.Parallel()
	const (
		reps      = 10000
		exactReps = 4000 // the exact test is the slow one
		alpha     = 0.01
	)
	p := []float64{0.4, 0.3, 0.2, 0.1}
	k := float64(len(p))
	cum := cumulative(p)
	for _, n := range []int64{40, 400} {
		rng := rand.New(rand.NewPCG(2026, uint64(n)))
		counts := make([]int64, len(p))
		var rejP, rejG, rejE int
		var sum, sum2 float64
		for r := 0; r < reps; r++ {
			drawMultinomial(rng, n, cum, counts)
			tp := Pearson(counts, p)
			sum += tp.Statistic
			sum2 += tp.Statistic * tp.Statistic
			if tp.PValue <= alpha {
				rejP++
			}
			if GTest(counts, p).PValue <= alpha {
				rejG++
			}
			if n == 40 && r < exactReps {
				if te := Exact(counts, p, 1); te.PValue <= alpha {
					rejE++
				}
			}
		}
		bound := binomialBound(alpha, reps, 4)
		rate := float64(rejP) / reps
		if math.Abs(rate-alpha) > bound {
			t.Errorf("N=%d: Pearson rejection rate %.4f, want %.2f +- %.4f", n, rate, alpha, bound)
		}
		if n == 400 {
			if rate := float64(rejG) / reps; math.Abs(rate-alpha) > bound {
				t.Errorf("N=%d: G rejection rate %.4f, want %.2f +- %.4f", n, rate, alpha, bound)
			}
		}
		if n == 40 {
			if rate := float64(rejE) / exactReps; rate > alpha+binomialBound(alpha, exactReps, 4) {
				t.Errorf("N=%d: exact rejection rate %.4f, want <= %.2f + %.4f", n, rate, alpha, bound)
			}
		}
		var inv float64
		for _, v := range p {
			inv += 1 / v
		}
		wantVar := 2*(k-1) + (inv-k*k-2*k+2)/float64(n)
		mean := sum / reps
		variance := sum2/reps - mean*mean
		if se := math.Sqrt(wantVar / reps); math.Abs(mean-(k-1)) > 4*se {
			t.Errorf("N=%d: mean X2 %.4f, want %.0f +- %.4f", n, mean, k-1, 4*se)
		}
		// The variance of a sample variance is about 2 sigma^4 / reps for
		// near-normal data; chi-square replicates are skewed, so allow more.
		if math.Abs(variance-wantVar) > 0.15*wantVar {
			t.Errorf("N=%d: variance of X2 %.4f, want %.4f", n, variance, wantVar)
		}
	}
}

// TestPValueUniform checks that Pearson p-values under the null are close to
// uniform: each decile holds 10% of them within 4 sigma.
func TestPValueUniform(t *testing.T) {
	t.Parallel()
	const reps = 10000
	p := []float64{0.5, 0.25, 0.125, 0.125}
	cum := cumulative(p)
	rng := rand.New(rand.NewPCG(7, 11))
	counts := make([]int64, len(p))
	var bins [10]int
	for r := 0; r < reps; r++ {
		drawMultinomial(rng, 1000, cum, counts)
		pv := Pearson(counts, p).PValue
		bins[min(int(pv*10), 9)]++
	}
	bound := binomialBound(0.1, reps, 4)
	for i, c := range bins {
		if math.Abs(float64(c)/reps-0.1) > bound {
			t.Errorf("p-value decile %d holds %.4f, want 0.1 +- %.4f", i, float64(c)/reps, bound)
		}
	}
}

// TestBinomialRand checks the Monte Carlo sampler against the exact mean,
// variance and probability mass (chi-square over cells with expected >= 5).
func TestBinomialRand(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct {
		n int64
		q float64
	}{{10, 0.3}, {100, 0.2}, {1000, 0.02}, {1000, 0.7}, {100000, 0.4}, {1 << 40, 1e-9}, {1 << 40, 0.5}} {
		const reps = 20000
		m := c.n
		counts := map[int64]int64{}
		var s, s2 float64
		for i := 0; i < reps; i++ {
			x := binomialRand(rng, m, c.q)
			if x < 0 || x > m {
				t.Fatalf("Binomial(%d, %g) drew %d", m, c.q, x)
			}
			counts[x]++
			f := float64(x) - float64(m)*c.q // centred: no cancellation at n = 2^40
			s += f
			s2 += f * f
		}
		mu := float64(m) * c.q
		v := mu * (1 - c.q)
		mean := s / reps
		if math.Abs(mean) > 4*math.Sqrt(v/reps) {
			t.Errorf("Binomial(%d, %g): mean %.6g, want %.6g", m, c.q, mean+mu, mu)
		}
		if vv := s2/reps - mean*mean; math.Abs(vv-v) > 0.06*v {
			t.Errorf("Binomial(%d, %g): variance %.6g, want %.6g", m, c.q, vv, v)
		}
		if m > 1e7 {
			continue
		}
		// Goodness of fit of the drawn values against the exact pmf, pooling
		// the tails so that every expected count is at least 5.
		var obs []int64
		var exp []float64
		var o int64
		var e float64
		for x := int64(0); x <= m; x++ {
			pm := math.Exp(binomLogPMF(x, m, c.q, 1-c.q))
			o += counts[x]
			e += pm * reps
			if e >= 5 && (reps-e) >= 5 {
				obs, exp = append(obs, o), append(exp, e)
				o, e = 0, 0
			}
		}
		if len(exp) > 0 {
			obs[len(obs)-1] += o
			exp[len(exp)-1] += e
		}
		if r := Pearson(obs, exp); r.PValue < 1e-4 {
			t.Errorf("Binomial(%d, %g): sampler fails GOF, X2=%.1f df=%d p=%.2g", m, c.q, r.Statistic, r.DF, r.PValue)
		}
	}
}

// TestMonteCarloAgreesWithEnumeration runs the Monte Carlo branch on cases
// small enough to enumerate and compares within 4 standard errors.
func TestMonteCarloAgreesWithEnumeration(t *testing.T) {
	for i, c := range []struct {
		counts []int64
		probs  []float64
	}{
		{[]int64{2, 9, 1}, []float64{1, 1, 1}},
		{[]int64{10, 20, 10}, []float64{1, 1, 1}},
		{[]int64{5, 3, 1, 1, 0}, []float64{30, 30, 20, 10, 10}},
	} {
		ex := Exact(c.counts, c.probs, 1)
		g := newGOF(c.counts, c.probs)
		t0, _ := g.start("exact")
		mc := g.monteCarlo(t0, uint64(i), 40000, 40000, 0)
		if mc.Method != "exact-montecarlo" || math.Abs(mc.PValue-ex.PValue) > 4*mc.StdErr+1/40001.0 {
			t.Errorf("%v: Monte Carlo %.5f +- %.5f, enumeration %.5f", c.counts, mc.PValue, mc.StdErr, ex.PValue)
		}
	}
}
