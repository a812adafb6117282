package canary

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A plan's work is bounded before any step is simulated: Flagger's iterations (a Canary with
// iterations: 1000000000 used to make a billion steps, following pkg/controller/scheduler.go's
// one step per iteration), the steps of any plan (MaxSteps), and the requests of all steps together
// (rps x duration, summed). Each refusal names the file and the field or step.
func TestPlanWorkIsBounded(t *testing.T) {
	t.Run("Flagger iterations", func(t *testing.T) {
		start := time.Now()
		inputError(t, flagger("    interval: 1m\n    iterations: 1000000000\n"), "spec.analysis.iterations: 1000000000 iterations are 1000000000 steps; splitsim evaluates at most 1000")
		if time.Since(start) > time.Second {
			t.Errorf("took %v", time.Since(start))
		}
	})
	t.Run("Flagger iterations at the limit", func(t *testing.T) {
		if p := mustPlan(t, flagger("    interval: 1m\n    iterations: 1000\n")); len(p.Steps) < 1000 {
			t.Errorf("%d steps", len(p.Steps))
		}
	})
	var steps strings.Builder
	for i := range MaxSteps + 1 {
		fmt.Fprintf(&steps, "      - {weight: %d, duration: 1s}\n", 1+i%99)
	}
	for _, tc := range []struct {
		name string
		plan string
		rps  float64
		want string
	}{
		{"too many steps", native(strings.TrimSuffix(steps.String(), "\n")), 1, "the plan has 1001 steps; splitsim evaluates at most 1000"},
		{"too many requests in all", native("      - {weight: 10, duration: 15m}\n      - {weight: 20, duration: 15m}\n      - {weight: 30, duration: 15m}"), 1e6,
			"steps 0 to 2 make 2,700,000,000 requests (rps x duration); splitsim simulates at most 2,000,000,000 in a plan"},
		{"too many requests in one step", native("      - {weight: 10, duration: 1000h}"), 1e3, "step 0: 1000 requests per second for 1000h is 3.6e+09 requests; splitsim simulates at most 2000000000 per step"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustPlan(t, tc.plan)
			o := opts()
			o.RPS = tc.rps
			start := time.Now()
			_, err := Evaluate(p, o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "test.yaml:") && !strings.HasPrefix(err.Error(), "step ") {
				t.Errorf("error %q does not name the file", err)
			}
			if time.Since(start) > time.Second {
				t.Errorf("took %v", time.Since(start))
			}
		})
	}
}
