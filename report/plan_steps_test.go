package report

import (
	"io"
	"strings"
	"testing"
)

// TestPlanStepNumbers: the reports number an Argo Rollout's steps by their index in
// spec.strategy.canary.steps (source_step), the N that kubectl argo rollouts get rollout shows as
// "Step: N/M" (pkg/kubectl-argo-rollouts/info/rollout_info.go, NewRolloutInfo, from
// status.currentStepIndex): the step table, the findings (which name steps by their index in the
// plan), the detecting step, the chart's labels and the JUnit cases all use that number, and a
// footnote says so. A native plan keeps its own order and has no footnote.
func TestPlanStepNumbers(t *testing.T) {
	argo := loadPlan(t, "plan-argo-require.json")
	for _, tc := range []struct {
		name  string
		write func(io.Writer) error
		order []string
	}{
		{"text", func(w io.Writer) error { return PlanText(w, argo) }, []string{
			"\n     1      5%", "\n     3     20%", "\n     5     50%", "\n     6    100%",
			`STEP: the index in the Rollout's spec.strategy.canary.steps, the N of kubectl argo rollouts' "Step: N/M"`,
			"detection: step 5 is the first",
			"step-too-short (step 1): step 1 (canary 5%", "step-too-short (step 3): step 3 (canary 20%"}},
		{"html", func(w io.Writer) error { return PlanHTML(w, argo, nil) }, []string{
			"The plan fails: steps 1 and 3 fall short", "Step 5 is the first that can detect",
			`<span class="name">step 1</span>`, `<span class="name">step 6</span>`,
			`<tr><td class="num">1</td><td class="num">5%</td>`, `<tr><td class="num">6</td><td class="num">100%</td>`,
			"Step: the index in the Rollout's <code>spec.strategy.canary.steps</code>",
			`<td class="name">step-too-short</td><td>1</td>`, `<td class="name">step-too-short</td><td>3</td>`,
			"step 5: canary 50%"}},
		{"junit", func(w io.Writer) error { return PlanJUnit(w, argo) }, []string{
			`testcase name="step 1 (canary 5% for 10m)`, `testcase name="step 6 (canary 100% for 0s)`, "step-too-short (step 3)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inOrder(t, rendered(t, tc.write), tc.order)
		})
	}
	native := loadPlan(t, "plan-native.json")
	text := rendered(t, func(w io.Writer) error { return PlanText(w, native) })
	page := rendered(t, func(w io.Writer) error { return PlanHTML(w, native, nil) })
	if strings.Contains(text, "STEP: the index") || strings.Contains(page, "Step: the index") {
		t.Error("a native plan's report says its steps are a Rollout's")
	}
	inOrder(t, text, []string{"\n     0  ", "\n     1  ", "\n     2  "})
}
