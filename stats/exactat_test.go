package stats

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// issue19Counts are the issue 19 example: 20 destinations, counts
// 1000,0,...,0,1000 against weights 1,...,1,1000 (Pearson log10 p -110,272).
func issue19Counts() ([]int64, []float64) {
	counts := make([]int64, 20)
	probs := make([]float64, 20)
	for i := range probs {
		probs[i] = 1
	}
	counts[0], counts[19], probs[19] = 1000, 1000, 1000
	return counts, probs
}

// TestExactAtNeverFlooredAboveAlpha: at every alpha, the exact test of the
// issue 19 example can reject (before, the Monte Carlo estimate could not go
// below about 1e-5, so with --alpha 1e-6 it never rejected). The counting
// bound decides here, and it is never below the Pearson or G p-values'
// neighbourhood by accident: it is at least the exact p-value by construction.
func TestExactAtNeverFlooredAboveAlpha(t *testing.T) {
	counts, probs := issue19Counts()
	for _, alpha := range []float64{0.05, 1e-3, 1e-6, 1e-12, 1e-300} {
		t.Run(fmt.Sprint(alpha), func(t *testing.T) {
			r := ExactAt(counts, probs, 1, alpha)
			if r.Log10P > math.Log10(alpha) {
				t.Errorf("method %s log10 p %.4g: does not reject at alpha %g", r.Method, r.Log10P, alpha)
			}
			if r.Method != "exact-bound" {
				t.Errorf("method %s, want exact-bound", r.Method)
			}
		})
	}
	// The bound is P(obs)(1+1e-7) C(N+k-1, k-1) exactly.
	r := ExactAt(counts, probs, 1, 1e-6)
	g := newGOF(counts, probs)
	want := (g.logProbObs() + math.Log1p(exactTolerance) + logBinomialCoefficient(2019, 19)) / math.Ln10
	if math.Abs(r.Log10P-want) > 1e-9*math.Abs(want) {
		t.Errorf("bound log10 p %v, want %v", r.Log10P, want)
	}
}

// TestExactAtExtendsMonteCarlo: a three-destination split too large to
// enumerate within ExactMaxWork, whose exact p-value (found here by the
// enumeration itself, which is exact for three destinations at any N) lies
// between 1e-5 and 1e-4. The default 100,000 samples leave the decision at
// alpha 1e-4 open; ExactAt draws MonteCarloPerAlpha/alpha = 10^6 in all, agrees
// with the enumeration within 4 standard errors, and rejects as the exact test
// does.
func TestExactAtExtendsMonteCarlo(t *testing.T) {
	counts := []int64{300000, 299988, 12}
	probs := []float64{0.5, 0.5 - 4e-6, 4e-6}
	g := newGOF(counts, probs)
	if exactWork(g.npos(), 3) <= ExactMaxWork {
		t.Fatal("the case must be beyond the enumeration bound")
	}
	exact := math.Exp(g.exactEnumerate())
	if !(exact > 1e-5 && exact < 1e-4) {
		t.Fatalf("exact p %g: the case should lie between 1e-5 and 1e-4", exact)
	}
	const alpha = 1e-4
	r := ExactAt(counts, probs, 3, alpha)
	if r.Method != "exact-montecarlo" || !strings.Contains(strings.Join(r.Warnings, " "), "from 1000000 samples") {
		t.Fatalf("method %s, warnings %q: want a Monte Carlo run of 10^6 samples", r.Method, r.Warnings)
	}
	if math.Abs(r.PValue-exact) > 4*r.StdErr+1e-7 {
		t.Errorf("Monte Carlo p %.4g +- %.2g, exact %.4g", r.PValue, r.StdErr, exact)
	}
	if (r.PValue <= alpha) != (exact <= alpha) {
		t.Errorf("decision at alpha %g: Monte Carlo p %.4g, exact %.4g", alpha, r.PValue, exact)
	}
	// Without a level, the default run cannot go below 1/100,001 and says so by its sample count.
	d := Exact(counts, probs, 3)
	if !strings.Contains(strings.Join(d.Warnings, " "), "from 100000 samples") {
		t.Errorf("Exact without alpha: warnings %q", d.Warnings)
	}
}

// TestExactAtFallsBack: when even MonteCarloMaxDraws binomial draws cannot give
// an estimate at most alpha and the counting bound does not decide, the result
// is Pearson's test with a warning that says so; when the first samples already
// show the p-value well above alpha, no fall-back is needed.
func TestExactAtFallsBack(t *testing.T) {
	probs := make([]float64, 20)
	for i := range probs {
		probs[i] = 1
	}
	probs[19] = 100
	counts := []int64{15, 1, 0, 2, 1, 0, 1, 0, 0, 1, 1, 0, 0, 2, 1, 0, 1, 0, 1, 100} // one small destination far above its share
	for _, c := range []struct {
		name       string
		alpha      float64
		wantMethod string
		wantWarn   string
	}{
		{"alpha 1e-9: fall back", 1e-9, "pearson", "fell back to Pearson's chi-square test"},
		{"alpha 0.05: the first samples decide", 0.05, "exact-montecarlo", "Monte Carlo estimate from 100000 samples"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := ExactAt(counts, probs, 1, c.alpha)
			if r.Method != c.wantMethod || !strings.Contains(strings.Join(r.Warnings, " "), c.wantWarn) {
				t.Errorf("method %s, warnings %q; want %s with %q", r.Method, r.Warnings, c.wantMethod, c.wantWarn)
			}
		})
	}
}

// TestExactAtKeepsTheLevelWhereMonteCarloIsCapped: at alpha 1e-6 with 20 equal
// destinations and 57 requests (expected counts 2.85), Pearson's tail is far too
// light: it rejected a correct split about 7 times as often as alpha, and
// ExactAt fell back to it whenever MonteCarloPerAlpha/alpha samples were too
// many. The capped Monte Carlo run (MonteCarloMaxDraws/20 = 2.5 million samples
// can still give an estimate below 1e-6) keeps the exact test: 19,2,...,2 has a
// Pearson p of 2.5e-12 but an exact p near 1e-4, and passes.
func TestExactAtKeepsTheLevelWhereMonteCarloIsCapped(t *testing.T) {
	probs := make([]float64, 20)
	counts := make([]int64, 20)
	for i := range probs {
		probs[i], counts[i] = 1, 2
	}
	counts[0] = 19
	if p := Pearson(counts, probs); p.PValue > 1e-10 {
		t.Fatalf("Pearson p %g: the example no longer shows Pearson's light tail", p.PValue)
	}
	r := ExactAt(counts, probs, 1, 1e-6)
	if r.Method != "exact-montecarlo" || r.PValue <= 1e-6 || r.PValue > 1e-3 {
		t.Errorf("method %s, p %g, warnings %q; want the exact test's Monte Carlo estimate, between 1e-6 and 1e-3", r.Method, r.PValue, r.Warnings)
	}
}
