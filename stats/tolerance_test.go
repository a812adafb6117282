package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestToleranceVectors compares ToleranceTest with brute force over every
// outcome (testdata/gen_tolerance.py: mpmath at 40 digits for n <= 400, scipy
// above), which maximizes over a grid of the band rather than assuming the
// maximum is at an end.
func TestToleranceVectors(t *testing.T) {
	var v struct {
		Cases []struct {
			X    int64    `json:"x"`
			N    int64    `json:"n"`
			P    float64  `json:"p"`
			Tol  float64  `json:"tol"`
			LogP *float64 `json:"log_p"`
			Ref  string   `json:"ref"`
		} `json:"cases"`
	}
	loadVectors(t, "tolerance.json", &v)
	for _, c := range v.Cases {
		t.Run(fmt.Sprintf("x=%d n=%d p=%g tol=%g", c.X, c.N, c.P, c.Tol), func(t *testing.T) {
			p, l := ToleranceTest(c.X, c.N, c.P, c.Tol)
			want := *c.LogP / math.Ln10
			tol := 1e-9 * math.Max(1, math.Abs(want))
			if c.Ref == "scipy" {
				tol = 1e-7 * math.Max(1, math.Abs(want)) // scipy's log tails at n up to 10^6
			}
			if math.Abs(l-want) > tol {
				t.Errorf("log10 p = %.15g, want %.15g (%s)", l, want, c.Ref)
			}
			if want > -300 && relErr(p, math.Pow(10, want)) > 1e-6 {
				t.Errorf("p = %.15g, want %.15g", p, math.Pow(10, want))
			}
		})
	}
}

// toleranceRejection returns the outcomes at which the tolerance test of n
// requests against share p and tolerance tol rejects at alpha: every x <= xl
// and every x >= xh. p(x) is non-decreasing in e(x), and e rises then falls,
// so the rejection region is two tails, found here by bisection on the
// p-value ToleranceTest returns.
func toleranceRejection(n int64, p, tol, alpha float64) (xl, xh int64) {
	a, b := math.Max(0, p-tol), math.Min(1, p+tol)
	// peak: the first y at which the upper tail at b is no larger than the lower tail at a.
	_, peak := bisect(-1, n+1, func(y int64) bool { return y < 0 || (y <= n && logUpperTail(y, n, b) > logLowerTail(y, n, a)) })
	rejects := func(x int64) bool {
		_, l := ToleranceTest(x, n, p, tol)
		return l <= math.Log10(alpha)
	}
	// Upper side: x in [peak, n], rejects non-decreasing in x.
	_, xh = bisect(peak-1, n+1, func(x int64) bool { return x < peak || (x <= n && !rejects(x)) })
	// Lower side: x in [0, peak-1], rejects non-increasing in x.
	xl, _ = bisect(-1, peak, func(x int64) bool { return x < 0 || rejects(x) })
	return xl, xh
}

// TestToleranceExactSize checks the level guarantee exactly: over a grid of
// shares, counts (5 to 10^6) and tolerances, with the true share at an end of
// the band, the probability that the test rejects (summed over every outcome)
// is at most alpha, and equals scipy's sum over every outcome
// (testdata/gen_tolerance.py). With two destinations the family is this one
// test.
func TestToleranceExactSize(t *testing.T) {
	var v struct {
		Sizes []struct {
			N     int64   `json:"n"`
			P     float64 `json:"p"`
			Tol   float64 `json:"tol"`
			Alpha float64 `json:"alpha"`
			Size  float64 `json:"size"`
		} `json:"sizes"`
	}
	loadVectors(t, "tolerance.json", &v)
	if len(v.Sizes) < 150 {
		t.Fatalf("only %d grid points", len(v.Sizes))
	}
	worst := 0.0
	for _, c := range v.Sizes {
		xl, xh := toleranceRejection(c.N, c.P, c.Tol, c.Alpha)
		var size float64
		for _, pi := range []float64{math.Max(0, c.P-c.Tol), math.Min(1, c.P+c.Tol)} {
			size = math.Max(size, math.Exp(logAddExp(logUpperTail(xh, c.N, pi), logLowerTail(xl, c.N, pi))))
		}
		if size > c.Alpha {
			t.Errorf("n=%d p=%g tol=%g: rejection probability %.6g at the band's end exceeds alpha %g", c.N, c.P, c.Tol, size, c.Alpha)
		}
		if math.Abs(size-c.Size) > 1e-9+1e-6*c.Size {
			t.Errorf("n=%d p=%g tol=%g alpha=%g: rejection probability %.10g, scipy %.10g", c.N, c.P, c.Tol, c.Alpha, size, c.Size)
		}
		worst = math.Max(worst, size/c.Alpha)
	}
	t.Logf("largest rejection probability at the boundary over %d settings: %.5f alpha", len(v.Sizes), worst)
}

// TestToleranceFamilyFalseAlarms checks the family-wise level by seeded
// simulation: with three to five destinations, some shares at the edge of
// their band and the rest within it, the verdict (some Holm-adjusted p <=
// alpha) fails at most alpha of the time, within a binomial bound, for counts
// from 5 to 10^6.
func TestToleranceFamilyFalseAlarms(t *testing.T) {
	t.Parallel()
	reps := 1000
	if testing.Short() {
		reps = 300
	}
	const alpha = 0.05
	for _, c := range []struct {
		name          string
		shares, truth []float64
		tol           float64
	}{
		{"50/30/20, two at the band's ends", []float64{0.5, 0.3, 0.2}, []float64{0.51, 0.29, 0.2}, 0.01},
		{"70/20/10, two at the band's ends", []float64{0.7, 0.2, 0.1}, []float64{0.7, 0.25, 0.05}, 0.05},
		{"97/1/1/1, one at its end", []float64{0.97, 0.01, 0.01, 0.01}, []float64{0.96, 0.02, 0.01, 0.01}, 0.01},
		{"five equal, split exactly right", []float64{0.2, 0.2, 0.2, 0.2, 0.2}, []float64{0.2, 0.2, 0.2, 0.2, 0.2}, 0.001},
	} {
		for _, n := range []int64{5, 50, 500, 5000, 100000, 1000000} {
			t.Run(fmt.Sprintf("%s n=%d", c.name, n), func(t *testing.T) {
				r := reps
				if n >= 100000 {
					r = reps / 4
				}
				rng := rand.New(rand.NewPCG(19, uint64(n)))
				counts := make([]int64, len(c.shares))
				alarms := 0
				for i := 0; i < r; i++ {
					drawBatch(rng, n, c.truth, counts)
					_, _, adj := ToleranceFamily(counts, c.shares, c.tol)
					for _, q := range adj {
						if q <= alpha {
							alarms++
							break
						}
					}
				}
				rate := float64(alarms) / float64(r)
				t.Logf("false-alarm rate %.4f over %d runs", rate, r)
				if bound := alpha + binomialBound(alpha, r, 3); rate > bound {
					t.Errorf("false-alarm rate %.4f over %d runs, want <= %.4f (alpha %g plus 3 binomial sigma)", rate, r, bound, alpha)
				}
			})
		}
	}
}

// TestToleranceTest pins the behaviour at the edges and the issue 19 example.
func TestToleranceTest(t *testing.T) {
	for _, c := range []struct {
		name      string
		x, n      int64
		p, tol    float64
		wantP     float64 // -1: only check the log10
		wantLog10 float64
	}{
		// verify --weights 99,1 --counts 5,1 --tolerance 0.1: a correct 99/1 split sends 1 or more of 6
		// requests to the 1% destination 5.9% of the time; at the band's upper end, 1.1%, 6.4%: the p-value.
		{"issue 19: 1 of 6 against 1% +- 0.1", 1, 6, 0.01, 0.001, 1 - math.Pow(0.989, 6), math.Log10(1 - math.Pow(0.989, 6))},
		{"within the band", 50, 100, 0.5, 0.05, 1, 0},
		{"no requests", 0, 0, 0.5, 0.01, 1, 0},
		{"band covers everything", 3, 10, 0.5, 0.6, 1, 0},
		{"share 0, tolerance 0, a request: impossible", 1, 100, 0, 0, 0, ViolationLog10P},
		{"share 1, tolerance 0, all requests", 100, 100, 1, 0, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, l := ToleranceTest(c.x, c.n, c.p, c.tol)
			if math.Abs(p-c.wantP) > 1e-12 || math.Abs(l-c.wantLog10) > 1e-12*math.Max(1, math.Abs(c.wantLog10)) {
				t.Errorf("ToleranceTest(%d, %d, %g, %g) = %v, %v; want %v, %v", c.x, c.n, c.p, c.tol, p, l, c.wantP, c.wantLog10)
			}
		})
	}
	// Far from the band, the p-value is the one-sided tail at its nearer end, deep below 1e-300.
	_, l := ToleranceTest(5200000, 10000000, 0.5, 0.005)
	if want := binomLogSF(5200000, 10000000, 0.505, 0.495) / math.Ln10; math.Abs(l-want) > 1e-9*math.Abs(want) {
		t.Errorf("log10 p %v, want the upper tail at 50.5%%: %v", l, want)
	}
}

// TestSumCounts: a sum that passes 2^63 is refused rather than wrapped to a negative total.
func TestSumCounts(t *testing.T) {
	for _, c := range []struct {
		name   string
		counts []int64
		want   int64
		ok     bool
	}{
		{"small", []int64{1, 2, 3}, 6, true},
		{"exactly the largest", []int64{math.MaxInt64 - 1, 1}, math.MaxInt64, true},
		{"one more", []int64{math.MaxInt64, 1}, 0, false},
		{"two halves and one", []int64{1 << 62, 1 << 62, 1}, 0, false},
		{"negative", []int64{5, -1}, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got, ok := SumCounts(c.counts); got != c.want || ok != c.ok {
				t.Errorf("SumCounts(%v) = %d, %v; want %d, %v", c.counts, got, ok, c.want, c.ok)
			}
		})
	}
}
