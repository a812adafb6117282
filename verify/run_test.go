package verify

import (
	"math"
	"testing"

	"github.com/splitsim/splitsim/sim"
)

func table(weights ...uint32) *sim.Table {
	a := sim.Action{Kind: sim.Forward}
	for i, w := range weights {
		a.Destinations = append(a.Destinations, sim.Destination{Host: "reviews", Subset: string(rune('a' + i)), Weight: int32(w), EnvoyWeight: w, Status: 200})
	}
	return &sim.Table{Hosts: []*sim.Host{{Name: "reviews", Rules: []*sim.Rule{{Action: a}}, Routes: []sim.Route{{MatchIndex: -1}}}}}
}

// Under the null (the engine picks with the configured weights), over 1,000 seeds the fraction of runs
// whose verdict fails at alpha = 0.01 is within binomial bounds of 0.01, and the p-values are uniform:
// their mean is 1/2 and their deciles hold a tenth each. Fixed seeds: the test cannot flake.
func TestRunCalibrationUnderNull(t *testing.T) {
	const runs = 1000
	const alpha = 0.01
	tbl := table(70, 20, 10)
	groups := []sim.Group{{Requests: 20000, Classes: []sim.Class{{Host: "reviews", Weight: 1}}}}
	fails := 0
	var sum float64
	deciles := make([]int, 10)
	for seed := uint64(1); seed <= runs; seed++ {
		res, err := sim.Run(tbl, groups, sim.Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		out := Run(RunInput{Seed: seed, Requests: 20000, Alpha: alpha, Table: tbl, Groups: groups, Sim: res})
		if out.Verdict == "fail" {
			fails++
		}
		p := out.Hosts[0].Rules[0].Test.PValue
		sum += p
		deciles[min(int(p*10), 9)]++
	}
	// Binomial(1000, 0.01): mean 10, sd 3.15; 4 sd either side.
	sd := math.Sqrt(runs * alpha * (1 - alpha))
	if f := float64(fails); math.Abs(f-runs*alpha) > 4*sd {
		t.Errorf("%d of %d null runs failed at alpha %v, want %v +- %.1f", fails, runs, alpha, runs*alpha, 4*sd)
	}
	// Mean of 1000 uniform p-values: 0.5 +- 4 * 0.2887/sqrt(1000).
	if mean := sum / runs; math.Abs(mean-0.5) > 4*0.2887/math.Sqrt(runs) {
		t.Errorf("mean p-value %.4f, want 0.5", mean)
	}
	// Deciles: chi-square with 9 df; 27.88 is its 0.999 quantile.
	var x2 float64
	for _, c := range deciles {
		x2 += (float64(c) - runs/10.0) * (float64(c) - runs/10.0) / (runs / 10.0)
	}
	if x2 > 27.88 {
		t.Errorf("p-value deciles %v are not uniform (X2 = %.1f)", deciles, x2)
	}
	t.Logf("%d/%d failed; deciles %v", fails, runs, deciles)
}

// A split that is off (the engine sees 71/29 while the configuration says 70/30) fails.
func TestRunDetectsAMisconfiguredEngine(t *testing.T) {
	engine := table(71, 29)
	configured := table(70, 30)
	groups := []sim.Group{{Requests: 1_000_000, Classes: []sim.Class{{Host: "reviews", Weight: 1}}}}
	res, err := sim.Run(engine, groups, sim.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	out := Run(RunInput{Seed: 1, Requests: 1_000_000, Alpha: 0.001, Table: configured, Groups: groups, Sim: res})
	if out.Verdict != "fail" {
		t.Fatalf("verdict %s, want fail", out.Verdict)
	}
}
