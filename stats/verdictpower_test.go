package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func normalized(v ...float64) []float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x / s
	}
	return out
}

func repeated(x float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = x
	}
	return out
}

// TestVerdictPowerVectors compares the power of the verdict's test with
// references computed independently (testdata/gen_power.py): every outcome of
// the binomial or the multinomial summed with scipy and numpy, scipy's
// binomtest at every count, the Liu-Tang-Zhang approximation in numpy and
// scipy, and the smallest N found by computing the exact power at every N.
func TestVerdictPowerVectors(t *testing.T) {
	var v struct {
		Pearson2 []struct {
			A, R  float64
			N     int64
			Alpha float64
			Power float64
		} `json:"pearson2"`
		Exact2 []struct {
			A, R  float64
			N     int64
			Alpha float64
			Power float64
		} `json:"exact2"`
		Enum []struct {
			A, R    []float64
			N       int64
			Alpha   float64
			Pearson float64
			Exact   float64
		} `json:"enum"`
		LTZ []struct {
			A, R  []float64
			N     int64
			Alpha float64
			LTZ   float64 `json:"ltz"`
			NCX2  float64 `json:"ncx2"`
		} `json:"ltz"`
		Required2 []struct {
			A, R          float64
			Alpha, Target float64
			N             int64
			Power         float64
		} `json:"required2"`
	}
	loadVectors(t, "verdictpower.json", &v)
	check := func(t *testing.T, a, r []float64, n int64, alpha float64, test string, want float64) {
		t.Helper()
		got := VerdictPower(a, r, n, PowerOptions{Alpha: alpha, Test: test})
		if got.Method != PowerExact || math.Abs(got.Power-want) > 1e-9 {
			t.Errorf("%s power at %d: %.12g (%s), want %.12g", test, n, got.Power, got.Method, want)
		}
	}
	for _, c := range v.Pearson2 {
		t.Run(fmt.Sprintf("pearson %g->%g n=%d alpha=%g", c.A, c.R, c.N, c.Alpha), func(t *testing.T) {
			check(t, []float64{c.A, 1 - c.A}, []float64{c.R, 1 - c.R}, c.N, c.Alpha, "pearson", c.Power)
		})
	}
	for _, c := range v.Exact2 {
		t.Run(fmt.Sprintf("exact binomial %g->%g n=%d alpha=%g", c.A, c.R, c.N, c.Alpha), func(t *testing.T) {
			check(t, []float64{c.A, 1 - c.A}, []float64{c.R, 1 - c.R}, c.N, c.Alpha, "exact", c.Power)
		})
	}
	for _, c := range v.Enum {
		t.Run(fmt.Sprintf("enumerated %v n=%d alpha=%g", c.R, c.N, c.Alpha), func(t *testing.T) {
			check(t, c.A, c.R, c.N, c.Alpha, "pearson", c.Pearson)
			check(t, c.A, c.R, c.N, c.Alpha, "exact", c.Exact)
		})
	}
	for _, c := range v.LTZ {
		t.Run(fmt.Sprintf("approximation %d destinations n=%d", len(c.A), c.N), func(t *testing.T) {
			vp := newVerdictPower(c.A, c.R, PowerOptions{Alpha: c.Alpha})
			if got := vp.approximate(c.N); math.Abs(got-c.LTZ) > 1e-9 {
				t.Errorf("Liu-Tang-Zhang power %.12g, numpy/scipy %.12g", got, c.LTZ)
			}
			w := CohenW(c.A, c.R)
			if got := Power(len(c.A)-1, float64(c.N)*w*w, c.Alpha); math.Abs(got-c.NCX2) > 1e-9 {
				t.Errorf("noncentral chi-square power %.12g, scipy %.12g", got, c.NCX2)
			}
		})
	}
	for _, c := range v.Required2 {
		t.Run(fmt.Sprintf("required N %g->%g alpha=%g power %g", c.A, c.R, c.Alpha, c.Target), func(t *testing.T) {
			got, ok := VerdictRequiredN([]float64{c.A, 1 - c.A}, []float64{c.R, 1 - c.R}, c.Target, PowerOptions{Alpha: c.Alpha})
			if !ok || got.N != c.N || math.Abs(got.Power-c.Power) > 1e-9 || got.Method != PowerExact {
				t.Errorf("required N %d (power %.10g, %s, ok %v), want the smallest N %d (power %.10g)", got.N, got.Power, got.Method, ok, c.N, c.Power)
			}
		})
	}
}

// simulateVerdict returns the share of reps seeded multinomial samples of n
// requests with true shares truth on which the verdict's own test,
// AutoAt(counts, weights, seed, alpha), rejects (a definite violation counts).
func simulateVerdict(rng *rand.Rand, weights, truth []float64, n int64, alpha float64, reps int) float64 {
	p := normalized(truth...)
	counts := make([]int64, len(p))
	rejects := 0
	for i := 0; i < reps; i++ {
		drawBatch(rng, n, p, counts)
		if r := AutoAt(counts, weights, 1, alpha); r.Violated() || r.PValue < alpha {
			rejects++
		}
	}
	return float64(rejects) / float64(reps)
}

// acceptanceConfigs are the issue 19 acceptance configurations: 2 to 20
// destinations, small and large effects, one with a weight-0 destination.
var acceptanceConfigs = []struct {
	name             string
	weights, detect  []float64
	wantMethod       string
	small            bool // cheap enough for -short
	approximationTol float64
}{
	{"2: 70/30 to 71/29", []float64{70, 30}, []float64{71, 29}, PowerExact, true, 0},
	{"2: 90/10 to 80/20", []float64{90, 10}, []float64{80, 20}, PowerExact, true, 0},
	{"2: 99/1 to 98/2", []float64{99, 1}, []float64{98, 2}, PowerExact, true, 0},
	{"3: 70/20/10 to 60/25/15", []float64{70, 20, 10}, []float64{60, 25, 15}, PowerExact, true, 0},
	{"3: 80/10/10 to 80/11/9", []float64{80, 10, 10}, []float64{80, 11, 9}, PowerExact, true, 0},
	{"4: 25x4 to 28/24/24/24", repeated(25, 4), []float64{28, 24, 24, 24}, PowerApproximate, true, 0.01},
	{"4: 97/1/1/1 to 94/2/2/2", []float64{97, 1, 1, 1}, []float64{94, 2, 2, 2}, PowerExact, true, 0},
	{"10: 10x10 to 12 and 9.78x9", repeated(10, 10), append([]float64{12}, repeated(88.0/9, 9)...), PowerApproximate, false, 0.01},
	{"20: 5x20 to 10 and 4.74x19", repeated(5, 20), append([]float64{10}, repeated(90.0/19, 19)...), PowerSimulated, false, 0},
	{"20: 5x20 to 5.5 and 4.97x19", repeated(5, 20), append([]float64{5.5}, repeated(94.5/19, 19)...), PowerApproximate, false, 0.01},
	{"3 with a weight-0 destination: 70/30/0 to 70/29/1", []float64{70, 30, 0}, []float64{70, 29, 1}, PowerExact, true, 0},
}

// TestVerdictRequiredNAcceptance is the issue 19 acceptance for power: for
// each configuration, at alpha 0.001 and target 0.8, the verdict's own test
// (AutoAt) is run on 20,000 seeded multinomial samples (4,000 with -short) at
// required_n, 0.98 required_n and 1.02 required_n. The simulated rejection
// rate at required_n is at least the target minus 0.01; the simulated power
// reaches the target by 1.02 required_n and not at 0.98 required_n, so the
// smallest N at which it does is within 2% of required_n; and the computed
// power agrees with the simulated one within 4 standard errors (plus the
// approximation's tolerance where it is used).
func TestVerdictRequiredNAcceptance(t *testing.T) {
	t.Parallel()
	const (
		alpha  = 0.001
		target = 0.8
	)
	reps := 20000
	if testing.Short() {
		reps = 4000
	}
	for i, c := range acceptanceConfigs {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && !c.small {
				t.Skip("-short: the configurations with many destinations run in the full suite")
			}
			r, ok := VerdictRequiredN(c.weights, c.detect, target, PowerOptions{Alpha: alpha, Seed: 1})
			if !ok {
				t.Fatal("no required N")
			}
			if r.Method != c.wantMethod {
				t.Errorf("method %s, want %s", r.Method, c.wantMethod)
			}
			w := normalized(c.weights...)
			sim := map[int64]float64{}
			for _, n := range []int64{int64(math.Floor(0.98 * float64(r.N))), r.N, int64(math.Ceil(1.02 * float64(r.N)))} {
				rng := rand.New(rand.NewPCG(2019, uint64(i)))
				sim[n] = simulateVerdict(rng, w, c.detect, n, alpha, reps)
			}
			lo, hi := int64(math.Floor(0.98*float64(r.N))), int64(math.Ceil(1.02*float64(r.N)))
			se := math.Sqrt(target * (1 - target) / float64(reps))
			t.Logf("required_n %d (%s test, %s, power %.4f); simulated power %.4f at %d, %.4f at %d, %.4f at %d (std. error %.4f)",
				r.N, r.Test, r.Method, r.Power, sim[lo], lo, sim[r.N], r.N, sim[hi], hi, se)
			if sim[r.N] < target-0.01 {
				t.Errorf("simulated power at required_n %d is %.4f, below %.2f", r.N, sim[r.N], target-0.01)
			}
			if sim[lo] >= target {
				t.Errorf("simulated power %.4f at %d (0.98 required_n) already reaches %.2f", sim[lo], lo, target)
			}
			if math.Max(sim[r.N], sim[hi]) < target {
				t.Errorf("simulated power %.4f at %d (1.02 required_n) still below %.2f", sim[hi], hi, target)
			}
			if d := math.Abs(sim[r.N] - r.Power); d > 4*se+4*r.StdErr+c.approximationTol {
				t.Errorf("computed power %.4f, simulated %.4f", r.Power, sim[r.N])
			}
		})
	}
}

// TestVerdictPowerNoncentralIsOff records why the noncentral chi-square is not
// used: at its own required N the verdict's test falls well short of the
// target for large effects (the issue 19 audit: 0.68 to 0.86), while the
// exact power at the new required N meets it.
func TestVerdictPowerNoncentralIsOff(t *testing.T) {
	for _, c := range []struct {
		weights, detect []float64
		alpha           float64
		nc              int64   // stats.RequiredN, the noncentral chi-square's answer
		wantBelow       float64 // the exact power of the verdict's test there is below this
	}{
		{[]float64{90, 10}, []float64{80, 20}, 0.05, 71, 0.72},
		{[]float64{90, 10}, []float64{80, 20}, 0.001, 154, 0.76},
	} {
		t.Run(fmt.Sprint(c.weights, c.detect, c.alpha), func(t *testing.T) {
			if n := RequiredN(normalized(c.weights...), normalized(c.detect...), c.alpha, 0.8); n != c.nc {
				t.Fatalf("RequiredN %d, want %d", n, c.nc)
			}
			at := VerdictPower(c.weights, c.detect, c.nc, PowerOptions{Alpha: c.alpha})
			if at.Power >= c.wantBelow {
				t.Errorf("exact power at the noncentral N %d: %.4f, expected below %.2f", c.nc, at.Power, c.wantBelow)
			}
			r, _ := VerdictRequiredN(c.weights, c.detect, 0.8, PowerOptions{Alpha: c.alpha})
			t.Logf("noncentral N %d has power %.4f; required_n %d has %.4f", c.nc, at.Power, r.N, r.Power)
		})
	}
}

// TestVerdictPowerEdges: weight-0 destinations, nothing to detect, a single
// destination, and every numeric loop ending.
func TestVerdictPowerEdges(t *testing.T) {
	opts := PowerOptions{Alpha: 0.001}
	for _, c := range []struct {
		name            string
		weights, detect []float64
		n               int64
		want            float64
		tol             float64
		test            string
	}{
		// Any request to the weight-0 destination fails the verdict: 1 - 0.99^161 of them alone.
		{"weight-0 destination at 1%", []float64{70, 30, 0}, []float64{70, 30, 1}, 161, 1 - math.Pow(1-1.0/101, 161), 2e-3, "pearson"},
		{"all traffic to a weight-0 destination", []float64{1, 0}, []float64{0, 1}, 1, 1, 0, "violation"},
		{"single positive destination and a weight-0 one", []float64{1, 0}, []float64{99, 1}, 100, 1 - math.Pow(0.99, 100), 1e-12, "violation"},
		{"no requests", []float64{70, 30}, []float64{60, 40}, 0, 0, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := VerdictPower(c.weights, c.detect, c.n, opts)
			if math.Abs(r.Power-c.want) > c.tol || r.Test != c.test || math.IsNaN(r.Power) || math.IsInf(r.Power, 0) {
				t.Errorf("power %v (test %q), want %v (test %q)", r.Power, r.Test, c.want, c.test)
			}
		})
	}
	// Nothing to detect: the power stays at the test's size, below any target.
	if _, ok := VerdictRequiredN([]float64{70, 30}, []float64{70, 30}, 0.8, opts); ok {
		t.Error("required N found with nothing to detect")
	}
	if _, ok := VerdictRequiredN([]float64{1, 0}, []float64{1, 0}, 0.8, opts); ok {
		t.Error("required N found for a single destination")
	}
	// Weight-0 destination: required N is finite, and at most what the violations alone need.
	r, ok := VerdictRequiredN([]float64{70, 30, 0}, []float64{70, 29, 1}, 0.8, opts)
	if !ok || r.N > 161 || r.Power < 0.8 || r.ViolationShare != 0.01 {
		t.Errorf("weight-0 destination: %+v, %v", r, ok)
	}
	// A deviation too small to detect within 2^62 requests.
	if _, ok := VerdictRequiredN([]float64{0.5, 0.5}, []float64{0.5 + 1e-17, 0.5 - 1e-17}, 0.8, opts); ok {
		t.Error("required N found for a deviation of 1e-17")
	}
}
