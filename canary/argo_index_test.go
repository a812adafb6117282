package canary

import (
	"fmt"
	"strings"
	"testing"
)

// TestArgoSourceSteps: every plan step of a Rollout carries the index in
// spec.strategy.canary.steps at which the controller holds it, the index kubectl argo rollouts
// shows: pkg/kubectl-argo-rollouts/info/rollout_info.go, NewRolloutInfo, formats "Step: N/M" from
// status.currentStepIndex and len(spec.strategy.canary.steps). The controller
// (rollout/canary.go, syncRolloutStatusCanary and completedCurrentCanaryStep) moves
// currentStepIndex past a setWeight once it is in effect and stops at a pause, analysis or
// experiment until it ends, so a setWeight held by a pause is numbered by the pause; a
// setWeight followed by another keeps its own index; the promotion after the last step is
// numbered len(steps), where currentStepIndex ends when the rollout is fully promoted. Findings
// name the same numbers.
func TestArgoSourceSteps(t *testing.T) {
	for _, tc := range []struct {
		name, steps string
		want        []int
		message     string // a finding's message must contain it
	}{
		{"setWeight and pause pairs", `
      - setWeight: 5
      - pause: {duration: 10m}
      - setWeight: 20
      - pause: {}
      - setWeight: 100`,
			[]int{1, 3, 4}, "step 3 waits for a manual promotion"},
		{"setWeight followed by setWeight, then the promotion", `
      - setWeight: 10
      - setWeight: 20
      - pause: {duration: 60}`,
			[]int{0, 2, 3}, ""},
		{"steps without a plan step keep their indices", `
      - setCanaryScale: {replicas: 1}
      - setWeight: 10
      - analysis: {templates: [{templateName: success-rate}]}
      - setWeight: 30`,
			[]int{2, 3, 4}, "step 2 runs an inline analysis"},
		{"experiment without a duration", `
      - setWeight: 20
      - experiment: {templates: [{name: canary, specRef: canary}]}`,
			[]int{1, 2}, "step 1 runs an experiment"},
		{"no steps", `[]`, []int{0}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yaml := rollout(tc.steps)
			if tc.steps == "[]" {
				yaml = strings.Replace(rollout(""), "      steps:\n", "      steps: []\n", 1)
			}
			p := mustPlan(t, yaml)
			var got []int
			for i, s := range p.Steps {
				if s.SourceStep == nil {
					t.Fatalf("step %d has no source step: %+v", i, s)
				}
				got = append(got, s.Number(i))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("source steps %v, want %v", got, tc.want)
			}
			if tc.message != "" && !strings.Contains(fmt.Sprint(p.Findings), tc.message) {
				t.Errorf("no finding says %q: %+v", tc.message, p.Findings)
			}
			r := evaluate(t, p, opts())
			for i, s := range r.Steps {
				if s.SourceStep == nil || *s.SourceStep != tc.want[i] {
					t.Errorf("result step %d: source_step %v, want %d", i, s.SourceStep, tc.want[i])
				}
			}
		})
	}
}

// TestNativeAndFlaggerStepsHaveNoSourceStep: a native plan's steps are numbered by their order,
// and Flagger's intervals have no index of their own (its status counts iterations and the canary
// weight), so neither sets SourceStep and Number is the plan's own index.
func TestNativeAndFlaggerStepsHaveNoSourceStep(t *testing.T) {
	p := mustPlan(t, native(`
    - {weight: 10, duration: 5m}
    - {weight: 100, ends: promotion}`))
	for i, s := range p.Steps {
		if s.SourceStep != nil || s.Number(i) != i {
			t.Errorf("native step %d: source step %v, number %d", i, s.SourceStep, s.Number(i))
		}
	}
}
