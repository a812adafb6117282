package canary

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

type vectorCase struct {
	RPS               float64 `json:"rps"`
	Duration          float64 `json:"duration_s"`
	Weight            float64 `json:"weight"`
	Alpha             float64 `json:"alpha"`
	Baseline          float64 `json:"baseline"`
	Detect            float64 `json:"detect"`
	Target            float64 `json:"target"`
	N                 float64 `json:"n"`
	NCanary           int64   `json:"n_canary"`
	NStable           int64   `json:"n_stable"`
	ErrorRatePower    float64 `json:"error_rate_power"`
	ExactPower        float64 `json:"exact_power"`
	Deviation         float64 `json:"deviation_pp"`
	DurationForPowerS int64   `json:"duration_for_power_s"`
}

func loadVectors(t *testing.T) []vectorCase {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Cases []vectorCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) == 0 {
		t.Fatal("no vectors")
	}
	return v.Cases
}

// The per-step power figures agree with scipy (testdata/gen_vectors.py).
func TestPowerVectors(t *testing.T) {
	for _, c := range loadVectors(t) {
		pc := c.Weight / 100
		got := errorRatePower(c.N, pc, 1-pc, c.Detect, c.Baseline, c.Alpha)
		if e := relErr(got, c.ErrorRatePower); e > 1e-9 {
			t.Errorf("%+v: error-rate power %.15g, scipy %.15g (rel. err %.2g)", c, got, c.ErrorRatePower, e)
		}
		// The normal approximation stays close to the test's exact rejection probability.
		if math.Abs(got-c.ExactPower) > 0.03 {
			t.Errorf("%+v: approximate power %.4f is far from the exact %.4f", c, got, c.ExactPower)
		}
		dev := 100 * detectableShift(int64(c.N), 1, pc, 1-pc, c.Alpha, DefaultTargetPower)
		if e := relErr(dev, c.Deviation); e > 1e-9 {
			t.Errorf("%+v: detectable deviation %.15g pp, scipy %.15g (rel. err %.2g)", c, dev, c.Deviation, e)
		}
		secs, ok := secondsForPower(c.RPS, pc, 1-pc, c.Detect, c.Baseline, c.Alpha, c.Target)
		if !ok || secs != c.DurationForPowerS {
			t.Errorf("%+v: duration for power %d s (ok %v), scipy %d s", c, secs, ok, c.DurationForPowerS)
		}
	}
}

func TestPowerEdges(t *testing.T) {
	if p := errorRatePower(1000, 0, 1, 0.02, 0.01, 0.05); p != 0 {
		t.Errorf("no canary requests: power %v, want 0", p)
	}
	if p := errorRatePower(0, 0.5, 0.5, 0.02, 0.01, 0.05); p != 0 {
		t.Errorf("no requests: power %v, want 0", p)
	}
	if d := detectableShift(0, 1, 0.5, 0.5, 0.05, 0.8); !math.IsInf(d, 1) {
		t.Errorf("no requests: deviation %v, want +Inf", d)
	}
	if _, ok := secondsForPower(20, 0, 1, 0.02, 0.01, 0.05, 0.8); ok {
		t.Error("no canary share: a duration was found")
	}
	if _, ok := secondsForPower(20, 0.5, 0.5, 0.01, 0.01, 0.05, 0.8); ok {
		t.Error("equal error rates: a duration was found")
	}
	// A tiny effect at a tiny rate is beyond 100 years.
	if _, ok := secondsForPower(1e-6, 0.01, 0.99, 0.0101, 0.01, 1e-6, 0.99); ok {
		t.Error("unreachable power: a duration was found")
	}
}
