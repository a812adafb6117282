package stats

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// Tolerances against the reference vectors: relative 1e-9 on p-values above
// 1e-300, absolute 1e-9 on log10(p) (the only check below 1e-300).
const (
	relTol   = 1e-9
	log10Tol = 1e-9
)

func loadVectors(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), math.SmallestNonzeroFloat64)
}

// checkP compares a p-value and its log10 with the reference.
func checkP(t *testing.T, what string, p, log10p, wantP, wantLog10 float64) {
	t.Helper()
	if wantP >= 1e-300 {
		if e := relErr(p, wantP); e > relTol {
			t.Errorf("%s: p = %.17g, want %.17g (rel. err %.2g)", what, p, wantP, e)
		}
	}
	if math.Abs(log10p-wantLog10) > log10Tol {
		t.Errorf("%s: log10 p = %.17g, want %.17g", what, log10p, wantLog10)
	}
}

func checkRel(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if e := relErr(got, want); e > tol {
		t.Errorf("%s = %.17g, want %.17g (rel. err %.2g)", what, got, want, e)
	}
}

func TestChiSquareSurvivalVectors(t *testing.T) {
	var v struct {
		Cases []struct {
			X      float64 `json:"x"`
			DF     int     `json:"df"`
			P      float64 `json:"p"`
			Log10P float64 `json:"log10p"`
		} `json:"cases"`
	}
	loadVectors(t, "chisq.json", &v)
	for _, c := range v.Cases {
		p, l := ChiSquareSurvival(c.X, c.DF)
		checkP(t, "ChiSquareSurvival", p, l, c.P, c.Log10P)
	}
}

func TestGOFVectors(t *testing.T) {
	type res struct {
		Stat   float64 `json:"stat"`
		P      float64 `json:"p"`
		Log10P float64 `json:"log10p"`
	}
	var v struct {
		Cases []struct {
			Name    string    `json:"name"`
			Counts  []int64   `json:"counts"`
			Weights []float64 `json:"weights"`
			DF      int       `json:"df"`
			Pearson res       `json:"pearson"`
			G       res       `json:"g"`
			W       float64   `json:"w"`
		} `json:"cases"`
	}
	loadVectors(t, "gof.json", &v)
	for _, c := range v.Cases {
		t.Run(c.Name, func(t *testing.T) {
			for _, tc := range []struct {
				method string
				fn     func([]int64, []float64) Test
				want   res
			}{
				{"pearson", Pearson, c.Pearson},
				{"g", GTest, c.G},
			} {
				got := tc.fn(c.Counts, c.Weights)
				if got.Method != tc.method || got.DF != c.DF {
					t.Errorf("%s: method %q df %d, want %q %d", tc.method, got.Method, got.DF, tc.method, c.DF)
				}
				checkRel(t, tc.method+" statistic", got.Statistic, tc.want.Stat, 1e-11)
				checkP(t, tc.method, got.PValue, got.Log10P, tc.want.P, tc.want.Log10P)
				checkRel(t, tc.method+" w", got.W, c.W, 1e-11)
				if math.IsInf(got.Log10P, 0) || math.IsNaN(got.Log10P) {
					t.Errorf("%s: Log10P %v not finite", tc.method, got.Log10P)
				}
			}
		})
	}
}

func TestExactVectors(t *testing.T) {
	var v struct {
		Cases []struct {
			Counts  []int64   `json:"counts"`
			Weights []float64 `json:"weights"`
			P       float64   `json:"p"`
			Log10P  float64   `json:"log10p"`
			Stat    float64   `json:"stat"`
		} `json:"cases"`
	}
	loadVectors(t, "exact.json", &v)
	for _, c := range v.Cases {
		got := Exact(c.Counts, c.Weights, 1)
		if got.Method != "exact" {
			t.Errorf("%v: method %q", c.Counts, got.Method)
		}
		checkP(t, "Exact", got.PValue, got.Log10P, c.P, c.Log10P)
		checkRel(t, "Exact statistic", got.Statistic, c.Stat, 1e-11)
	}
}

func TestBinomialTwoSidedVectors(t *testing.T) {
	var v struct {
		Cases []struct {
			X, N   int64
			P      float64 `json:"p"`
			PValue float64 `json:"pvalue"`
		} `json:"cases"`
	}
	loadVectors(t, "binom.json", &v)
	for _, c := range v.Cases {
		got := BinomialTwoSided(c.X, c.N, c.P)
		checkRel(t, "BinomialTwoSided", got, c.PValue, relTol)
		// k = 2 exact multinomial is the same test.
		if c.P > 0 && c.P < 1 {
			ex := Exact([]int64{c.X, c.N - c.X}, []float64{c.P, 1 - c.P}, 1)
			checkRel(t, "Exact k=2", ex.PValue, c.PValue, 1e-8)
		}
	}
}

func TestIntervalVectors(t *testing.T) {
	var v struct {
		Cases []struct {
			X, N   int64
			Conf   float64    `json:"conf"`
			Wilson [2]float64 `json:"wilson"`
		} `json:"cases"`
	}
	loadVectors(t, "intervals.json", &v)
	for _, c := range v.Cases {
		lo, hi := Wilson(c.X, c.N, c.Conf)
		checkRel(t, "Wilson lo", lo, c.Wilson[0], relTol)
		checkRel(t, "Wilson hi", hi, c.Wilson[1], relTol)
	}
}
