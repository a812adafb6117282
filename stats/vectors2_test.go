package stats

import (
	"math"
	"testing"
)

func TestNoncentralChiSquareVectors(t *testing.T) {
	var v struct {
		Cases []struct {
			X      float64 `json:"x"`
			DF     int     `json:"df"`
			Lambda float64 `json:"lambda"`
			P      float64 `json:"p"`
		} `json:"cases"`
	}
	loadVectors(t, "ncx2.json", &v)
	for _, c := range v.Cases {
		got := NoncentralChiSquareSurvival(c.X, c.DF, c.Lambda)
		checkRel(t, "NoncentralChiSquareSurvival", got, c.P, relTol)
	}
	// lambda = 0 is the central distribution.
	p, _ := ChiSquareSurvival(7, 3)
	if got := NoncentralChiSquareSurvival(7, 3, 0); got != p {
		t.Errorf("lambda=0: %v, want %v", got, p)
	}
}

func TestPowerVectors(t *testing.T) {
	var v struct {
		Power []struct {
			DF     int     `json:"df"`
			Lambda float64 `json:"lambda"`
			Alpha  float64 `json:"alpha"`
			Power  float64 `json:"power"`
		} `json:"power"`
		Lambda []struct {
			DF     int     `json:"df"`
			Alpha  float64 `json:"alpha"`
			Power  float64 `json:"power"`
			Lambda float64 `json:"lambda"`
		} `json:"lambda"`
		RequiredN []struct {
			P0    []float64 `json:"p0"`
			P1    []float64 `json:"p1"`
			Alpha float64   `json:"alpha"`
			Power float64   `json:"power"`
			N     int64     `json:"n"`
		} `json:"required_n"`
	}
	loadVectors(t, "power.json", &v)
	for _, c := range v.Power {
		checkRel(t, "Power", Power(c.DF, c.Lambda, c.Alpha), c.Power, relTol)
	}
	for _, c := range v.Lambda {
		l := RequiredLambda(c.DF, c.Alpha, c.Power)
		checkRel(t, "RequiredLambda", l, c.Lambda, relTol)
		for _, n := range []int64{100, 12345} {
			checkRel(t, "DetectableW", DetectableW(c.DF, n, c.Alpha, c.Power), math.Sqrt(c.Lambda/float64(n)), relTol)
		}
	}
	for _, c := range v.RequiredN {
		if got := RequiredN(c.P0, c.P1, c.Alpha, c.Power); got != c.N {
			t.Errorf("RequiredN(%v -> %v, alpha %v, power %v) = %d, want %d", c.P0, c.P1, c.Alpha, c.Power, got, c.N)
		}
	}
}

func TestRequiredNEdges(t *testing.T) {
	if n := RequiredN([]float64{0.5, 0.5}, []float64{0.5, 0.5}, 0.05, 0.8); n != -1 {
		t.Errorf("no effect: %d", n)
	}
	if n := RequiredN([]float64{0.5, 0.5}, []float64{0.6, 0.4}, 0.05, 1); n != -1 {
		t.Errorf("power 1: %d", n)
	}
	if n := RequiredN([]float64{1, 0}, []float64{1, 0}, 0.05, 0.8); n != -1 {
		t.Errorf("single destination: %d", n)
	}
	// 1% of the traffic reaches a zero-weight destination: 1-(0.99)^N >= 0.8.
	want := int64(math.Ceil(math.Log(0.2) / math.Log(0.99)))
	if n := RequiredN([]float64{0.5, 0.5, 0}, []float64{0.5, 0.49, 0.01}, 0.05, 0.8); n != want {
		t.Errorf("zero-share target: %d, want %d", n, want)
	}
	if w := DetectableW(1, 0, 0.05, 0.8); !math.IsInf(w, 1) {
		t.Errorf("DetectableW n=0: %v", w)
	}
	if p := Power(0, 1, 0.05); !math.IsNaN(p) {
		t.Errorf("Power df=0: %v", p)
	}
	if p := Power(1, 0, 0.05); relErr(p, 0.05) > 1e-12 {
		t.Errorf("Power lambda=0: %v, want alpha", p)
	}
}

func TestTwoProportionVectors(t *testing.T) {
	var v struct {
		Power []struct {
			N1, N2        int64
			P1, P2, Alpha float64
			Power         float64 `json:"power"`
		} `json:"power"`
		RequiredN []struct {
			P1, P2, Ratio, Alpha, Power float64
			N1, N2                      int64
		} `json:"required_n"`
		ZTest []struct {
			X1, N1, X2, N2 int64
			Z, P           float64
		} `json:"ztest"`
	}
	loadVectors(t, "twoprop.json", &v)
	for _, c := range v.Power {
		checkRel(t, "TwoProportionPower", TwoProportionPower(c.N1, c.N2, c.P1, c.P2, c.Alpha), c.Power, relTol)
	}
	for _, c := range v.RequiredN {
		n1, n2 := TwoProportionRequiredN(c.P1, c.P2, c.Ratio, c.Alpha, c.Power)
		if n1 != c.N1 || n2 != c.N2 {
			t.Errorf("TwoProportionRequiredN(%v, %v, ratio %v) = %d, %d; want %d, %d", c.P1, c.P2, c.Ratio, n1, n2, c.N1, c.N2)
		}
	}
	for _, c := range v.ZTest {
		z, p := TwoProportionZTest(c.X1, c.N1, c.X2, c.N2)
		checkRel(t, "TwoProportionZTest z", z, c.Z, 1e-12)
		checkRel(t, "TwoProportionZTest p", p, c.P, relTol)
	}
}

// TestTwoProportionPowerVsExact checks that the normal-approximation power is
// close to the exact rejection probability of the pooled z test, computed by
// enumerating both binomial outcomes.
func TestTwoProportionPowerVsExact(t *testing.T) {
	for _, c := range []struct {
		n1, n2 int64
		p1, p2 float64
	}{{300, 300, 0.1, 0.2}, {200, 600, 0.05, 0.1}, {400, 400, 0.3, 0.38}} {
		const alpha = 0.05
		var exact float64
		for x1 := int64(0); x1 <= c.n1; x1++ {
			l1 := binomLogPMF(x1, c.n1, c.p1, 1-c.p1)
			if l1 < -60 {
				continue
			}
			for x2 := int64(0); x2 <= c.n2; x2++ {
				l2 := binomLogPMF(x2, c.n2, c.p2, 1-c.p2)
				if l2 < -60 {
					continue
				}
				if _, p := TwoProportionZTest(x1, c.n1, x2, c.n2); p <= alpha {
					exact += math.Exp(l1 + l2)
				}
			}
		}
		approx := TwoProportionPower(c.n1, c.n2, c.p1, c.p2, alpha)
		if math.Abs(approx-exact) > 0.03 {
			t.Errorf("%+v: approximate power %.4f, exact %.4f", c, approx, exact)
		}
	}
}

func TestSequentialVectors(t *testing.T) {
	var v struct {
		Cases []struct {
			Probs   []float64 `json:"probs"`
			C       float64   `json:"c"`
			Batches [][]int64 `json:"batches"`
			Looks   []struct {
				LogBF  float64 `json:"log_bf"`
				Log10P float64 `json:"log10p"`
			} `json:"looks"`
		} `json:"cases"`
	}
	loadVectors(t, "sequential.json", &v)
	for i, c := range v.Cases {
		s := NewSequential(c.Probs, c.C)
		for j, b := range c.Batches {
			p := s.Add(b)
			want := c.Looks[j]
			// ln BF is a difference of log-gammas of size ~N ln N, each with
			// an absolute error of about 1e-16 of its size.
			n := float64(s.N())
			tol := 1e-9 + 1e-15*n*math.Log(n+1)
			if math.Abs(s.LogBayesFactor()-want.LogBF) > tol {
				t.Errorf("case %d look %d: ln BF %.15g, want %.15g", i, j, s.LogBayesFactor(), want.LogBF)
			}
			if math.Abs(s.Log10P()-want.Log10P) > tol {
				t.Errorf("case %d look %d: log10 p %.15g, want %.15g", i, j, s.Log10P(), want.Log10P)
			}
			if relErr(p, math.Pow(10, want.Log10P)) > 1e-8 {
				t.Errorf("case %d look %d: p %.15g, want %.15g", i, j, p, math.Pow(10, want.Log10P))
			}
		}
		if s.Looks() != len(c.Batches) {
			t.Errorf("looks %d", s.Looks())
		}
	}
}

func TestSequentialViolationAndDefaults(t *testing.T) {
	s := NewSequential([]float64{50, 50, 0}, 0)
	if s.Concentration() != 0 {
		t.Errorf("default concentration %v before the first look, want 0 (to be chosen)", s.Concentration())
	}
	if s.PValue() != 1 || s.Log10P() != 0 || s.Reject(0.05) {
		t.Error("before any look p must be 1")
	}
	s.Add([]int64{10, 12, 0})
	if s.Concentration() != AutoConcentration(22) || AutoConcentration(22) != MinAutoConcentration {
		t.Errorf("default concentration %v after a first look of 22 requests, want %v", s.Concentration(), AutoConcentration(22))
	}
	if s.Reject(0.001) {
		t.Error("rejected on 22 balanced requests")
	}
	s.Add([]int64{10, 12, 1})
	if !s.Reject(1e-300) || s.PValue() != 0 || s.Log10P() != ViolationLog10P || len(s.Violations()) != 1 {
		t.Errorf("violation not reported: p=%v log10p=%v viol=%v", s.PValue(), s.Log10P(), s.Violations())
	}
	if got := s.Counts(); got[0] != 20 || got[1] != 24 || got[2] != 1 || s.N() != 45 {
		t.Errorf("counts %v n %d", got, s.N())
	}
}
