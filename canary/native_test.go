package canary

import (
	"strings"
	"testing"
	"time"
)

func TestNativeSteps(t *testing.T) {
	p := mustPlan(t, native(`      - {weight: 1, duration: 15m}
      - {weight: 10, duration: 600, rps: 40}
      - {weight: 10, duration: "90"}
      - {weight: 25, ends: analysis}
      - {weight: 50, ends: manual, duration: 2h}
      - {weight: 50, ends: manual}
      - {weight: 100, ends: promotion}`))
	checkSteps(t, p.Steps, []wantStep{
		{1, 15 * time.Minute, EndsTime}, {10, 10 * time.Minute, EndsTime}, {10, 90 * time.Second, EndsTime},
		{25, 5 * time.Minute, EndsAnalysis}, {50, 2 * time.Hour, EndsManual}, {50, time.Hour, EndsManual}, {100, 0, EndsPromotion}})
	if p.Steps[1].RPS != 40 || p.Steps[0].StableWeight != 99 {
		t.Errorf("steps %+v", p.Steps[:2])
	}
	if !p.Steps[3].DurationAssumed || !p.Steps[4].DurationAssumed || !p.Steps[5].DurationAssumed || p.Steps[0].DurationAssumed {
		t.Errorf("assumed durations: %+v", p.Steps)
	}
}

// Without a virtualService name the one VirtualService of the inputs is used; without a route,
// the one unnamed route (Argo Rollouts' rule).
func TestNativeDefaultsAndMissingRoute(t *testing.T) {
	y := strings.Replace(native("      - {weight: 10, duration: 1m}"), "    virtualService: demo-vs\n    route: primary\n", "", 1)
	p := mustPlan(t, strings.Replace(y, "  - name: primary\n    route:", "  - route:", 1))
	if p.VirtualService != "demo-vs" || p.Route != "#0" || len(p.Findings) != 0 {
		t.Errorf("vs %s route %s findings %+v", p.VirtualService, p.Route, p.Findings)
	}
	// A missing VirtualService: evaluated on a synthesized route, with a route-missing error.
	p = mustPlan(t, strings.Replace(native("      - {weight: 10, duration: 1m}"), "virtualService: demo-vs", "virtualService: nope", 1))
	if !HasFinding(p.Findings, CodeRouteMissing) {
		t.Fatalf("findings %+v", p.Findings)
	}
	r := evaluate(t, p, opts())
	if r.Steps[0].CanaryRequests == 0 || r.Verdict != "fail" {
		t.Errorf("synthesized route: %+v verdict %s", r.Steps[0], r.Verdict)
	}
}

func TestNativeInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"no weight", native("      - {duration: 1m}"), "spec.plan.steps[0].weight: required"},
		{"negative weight", native("      - {weight: -1, duration: 1m}"), "spec.plan.steps[0].weight: must be a percentage"},
		{"no duration", native("      - {weight: 5}"), "spec.plan.steps[0].duration: required for a timed step"},
		{"bad duration", native("      - {weight: 5, duration: soon}"), `spec.plan.steps[0].duration: "soon" is not a duration`},
		{"negative duration", native("      - {weight: 5, duration: -3}"), "spec.plan.steps[0].duration: -3 seconds: duration must not be negative"},
		{"bad ends", native("      - {weight: 5, duration: 1m, ends: later}"), `spec.plan.steps[0].ends: "later" is not one of`},
		{"bad rps", native("      - {weight: 5, duration: 1m, rps: -2}"), "spec.plan.steps[0].rps: must be a positive number"},
		{"no steps", strings.Replace(native(""), "    steps:\n", "    steps: []\n", 1), "spec.plan.steps: required"},
		{"no canary", strings.Replace(native("      - {weight: 5, duration: 1m}"), "    canary: {subset: canary}\n", "", 1), "spec.plan.canary: required"},
		{"same destinations", strings.Replace(native("      - {weight: 5, duration: 1m}"), "canary: {subset: canary}", "canary: {subset: stable}", 1), "spec.plan.canary: the canary and stable destinations are the same"},
		{"user model", strings.Replace(native("      - {weight: 5, duration: 1m}"), "    steps:", "    userModel: sticky\n    steps:", 1), `spec.plan.userModel: "sticky"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if msg := inputError(t, tc.yaml, tc.want); !strings.Contains(msg, "document 1 (Scenario demo)") {
				t.Errorf("error %q does not name the document", msg)
			}
		})
	}
}
