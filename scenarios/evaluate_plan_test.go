package scenarios

import (
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

func ptr[T any](v T) *T { return &v }

// argoPlan is the Argo Rollouts example at 20 rps as splitsim plan evaluates it: 5%, 20%, 50% for 10
// minutes each, then the promotion; step 2 is the first to reach power 0.8.
func argoPlan() *result.Plan {
	step := func(i int, w, start, dur float64, ends string, req, canary int64, power, need *float64, both, cum float64) result.PlanStep {
		return result.PlanStep{Index: i, Weight: w, StableWeight: 100 - w, Start: start, Duration: dur, Ends: result.Ends(ends), RPS: 20,
			Requests: req, CanaryRequests: canary, StableRequests: req - canary, ExpectedCanaryShare: w / 100,
			ErrorRatePower: power, DurationForPower: need, UsersBothVersions: both, UsersBothVersionsCumulative: cum}
	}
	return &result.Plan{Kind: "argo-rollouts", Name: "rollouts-demo", Host: "rollouts-demo", Route: "primary", Alpha: 0.001,
		RPS: 20, Users: 1000, UserModel: "even", BaselineErrorRate: 0.01, DetectErrorRate: 0.02, TargetPower: 0.8,
		Verdict: result.Pass, TotalDuration: 1800, TotalRequests: 36000, CanaryRequests: 8989, DetectingStep: ptr(2),
		FailedBeforeDetection: 180, ExcessFailed: 90,
		Findings: []result.PlanFinding{},
		Steps: []result.PlanStep{
			step(0, 5, 0, 600, "time", 12000, 569, ptr(0.24), ptr(2149.0), 0.439, 0.439),
			step(1, 20, 600, 600, "time", 12000, 2440, ptr(0.73), ptr(691.0), 0.938, 0.966),
			step(2, 50, 1200, 600, "time", 12000, 5980, ptr(0.89), ptr(505.0), 0.999, 1),
			step(3, 100, 1800, 0, "promotion", 0, 0, nil, nil, 0, 1),
		}}
}

// planCase is a row of TestEvaluatePlan: plan requirements, changes to argoPlan, and what the
// checks must say.
type planCase struct {
	name  string
	req   string               // the body of spec.expect.plan
	edit  func(p *result.Plan) // changes to argoPlan
	want  []bool               // passed, per check
	fail  []string             // each appears in some failure line
	obs   map[int]string       // observed text per check index (substring)
	exp   map[int]string       // expected text per check index (substring)
	name0 string               // name of the first check
}

var evaluatePlanCases = []planCase{
	{name: "only noErrors by default", req: "{}", want: []bool{true}, obs: map[int]string{0: "no findings"}, name0: "plan: no error findings"},
	{name: "requirePower fails on the 5% and 20% steps", req: "{requirePower: 0.8, noErrors: false}", want: []bool{false},
		name0: "plan: every step reaches power 0.8",
		exp:   map[int]string{0: "power at least 0.8 in every step with canary and stable traffic, to detect an error-rate rise from 1% to 2% (alpha 0.001) at 20 rps"},
		obs:   map[int]string{0: "power step 0 0.24, step 1 0.73, step 2 0.89"},
		fail: []string{
			"step 0 (canary 5% for 10m, 569 of 12,000 requests to the canary): power 0.24 to detect an error-rate rise from 1% to 2% (alpha 0.001), below 0.8; the step would need 35m49s",
			"step 1 (canary 20% for 10m, 2,440 of 12,000 requests to the canary): power 0.73",
		}},
	{name: "requirePower passes at a lower power", req: "{requirePower: 0.2, noErrors: false}", want: []bool{true}},
	{name: "requirePower: power that rounds to the target is shown with 4 decimals", req: "{requirePower: 0.8, noErrors: false}",
		edit: func(p *result.Plan) { p.Steps[2].ErrorRatePower = ptr(0.7996); p.Steps[1].ErrorRatePower = ptr(0.9) },
		want: []bool{false}, fail: []string{"step 2 (canary 50% for 10m, 5,980 of 12,000 requests to the canary): power 0.7996 to detect"}},
	{name: "requirePower: a step no duration can fix", req: "{requirePower: 0.5, noErrors: false}",
		edit: func(p *result.Plan) { p.Steps[0].DurationForPower = nil },
		want: []bool{false}, fail: []string{"power 0.24 to detect an error-rate rise from 1% to 2% (alpha 0.001), below 0.5; no step duration reaches it at this weight"}},
	{name: "requirePower: an assumed duration says so", req: "{requirePower: 0.5, noErrors: false}",
		edit: func(p *result.Plan) { p.Steps[0].DurationAssumed, p.Steps[0].Ends = true, "manual" },
		want: []bool{false}, fail: []string{"step 0 (canary 5% for 10m (assumed), 569 of 12,000"}},
	{name: "requirePower: no step with both versions fails", req: "{requirePower: 0.5, noErrors: false}",
		edit: func(p *result.Plan) {
			for i := range p.Steps {
				p.Steps[i].ErrorRatePower = nil
			}
		},
		want: []bool{false}, fail: []string{"no step of the plan sends traffic to both the canary and the stable version, so none can detect"}},
	{name: "detectBy step 2 passes", req: "{detectBy: 2, noErrors: false}", want: []bool{true}, name0: "plan: detection by step 2",
		obs: map[int]string{0: "step 2 is the first that reaches power 0.8 (0.89), at the end of the step, 30m after the start"}},
	{name: "detectBy step 1 fails", req: "{detectBy: 1, noErrors: false}", want: []bool{false},
		fail: []string{"no step up to step 1 reaches power 0.8 to detect an error-rate rise from 1% to 2% (alpha 0.001): step 0 0.24, step 1 0.73; the first step that does is step 2 (0.89)"}},
	{name: "detectBy 30m passes", req: "{detectBy: 30m, noErrors: false}", want: []bool{true}, name0: "plan: detection by 30m"},
	{name: "detectBy 20m fails", req: "{detectBy: 20m, noErrors: false}", want: []bool{false},
		exp:  map[int]string{0: "some step that ends by 20m reaches power 0.8"},
		fail: []string{"no step that ends by 20m reaches power 0.8 to detect an error-rate rise from 1% to 2% (alpha 0.001): step 0 (ends at 10m) 0.24, step 1 (ends at 20m) 0.73; the first step that does is step 2 (0.89), which ends at 30m"}},
	{name: "detectBy 5m: no step ends by then", req: "{detectBy: 5m, noErrors: false}", want: []bool{false},
		fail: []string{"no step that ends by 5m reaches power 0.8 to detect an error-rate rise from 1% to 2% (alpha 0.001): none of them sends traffic to both versions"}},
	{name: "detectBy: no step detects", req: "{detectBy: 3, noErrors: false}", edit: func(p *result.Plan) { p.DetectingStep = nil }, want: []bool{false},
		obs:  map[int]string{0: "no step reaches power 0.8"},
		fail: []string{"step 2 0.89; no step of the plan reaches power 0.8"}},
	{name: "detectBy uses the target power", req: "{detectBy: 2, noErrors: false}",
		edit: func(p *result.Plan) { p.TargetPower, p.RequirePower, p.DetectingStep = 0.9, 0.9, nil },
		want: []bool{false}, fail: []string{"no step up to step 2 reaches power 0.9"}},
	{name: "maxDuration passes at the limit", req: "{maxDuration: 30m, noErrors: false}", want: []bool{true}, name0: "plan: rollout within 30m",
		obs: map[int]string{0: "30m over 4 steps"}},
	{name: "maxDuration fails in the step that passes the limit", req: "{maxDuration: 25m, noErrors: false}", want: []bool{false},
		fail: []string{"the rollout takes 30m, more than 25m: the limit is passed during step 2 (canary 50%, 20m to 30m)"}},
	{name: "maxDuration names assumed durations", req: "{maxDuration: 1h, noErrors: false}",
		edit: func(p *result.Plan) {
			p.Steps[1].Duration, p.Steps[1].DurationAssumed, p.Steps[1].Ends = 3600, true, "manual"
			p.Steps[2].Start, p.Steps[3].Start, p.TotalDuration = 4200, 4800, 4800
		},
		want: []bool{false}, obs: map[int]string{0: "1h20m over 4 steps (assumed: step 1 1h manual)"},
		fail: []string{"the rollout takes 1h20m, more than 1h: the limit is passed during step 1 (canary 20%, 10m to 1h10m); assumed durations: step 1 1h manual"}},
	{name: "maxFailedBeforeDetection passes", req: "{maxFailedBeforeDetection: 180, noErrors: false}", want: []bool{true},
		name0: "plan: at most 180 failed requests before detection",
		obs:   map[int]string{0: "about 180 failed requests (90 above the baseline) until step 2, the first that reaches power 0.8 (0.89), ends at 30m"}},
	{name: "maxFailedBeforeDetection fails", req: "{maxFailedBeforeDetection: 100, noErrors: false}", want: []bool{false},
		fail: []string{"a broken canary (error rate 2%, stable 1%) serves about 180 failed requests (90 above the baseline) until step 2, the first that reaches power 0.8 (0.89), ends at 30m; more than 100"}},
	{name: "maxFailedBeforeDetection without detection", req: "{maxFailedBeforeDetection: 100, noErrors: false}",
		edit: func(p *result.Plan) { p.DetectingStep, p.FailedBeforeDetection, p.ExcessFailed = nil, 179.78, 89.89 }, want: []bool{false},
		fail: []string{"serves about 179.8 failed requests (89.89 above the baseline) over the whole rollout: no step reaches power 0.8; more than 100"}},
	{name: "maxUsersBothVersions fails where the limit is passed", req: "{maxUsersBothVersions: 90, noErrors: false}", want: []bool{false},
		name0: "plan: at most 90% of users see both versions",
		obs:   map[int]string{0: "100.0% of 1,000 users (even model) by the end (step 3)"},
		fail:  []string{"100.0% of 1,000 users see both versions by the end of the rollout (step 3), more than 90%: the limit is passed in step 1 (canary 20%), with 96.6% so far"}},
	{name: "maxUsersBothVersions passes", req: "{maxUsersBothVersions: 100, noErrors: false}", want: []bool{true}},
	{name: "noErrors fails on an error finding", req: "{}",
		edit: func(p *result.Plan) {
			p.Findings = []result.PlanFinding{
				{Code: "stable-weight-negative", Severity: "error", Step: ptr(1), Message: "stable weight would be -10", Source: "r.yaml:30"},
				{Code: "route-missing", Severity: "error", Message: "VirtualService x is not in the inputs"},
				{Code: "manual-pause", Severity: "info", Step: ptr(2), Message: "waits"},
			}
		},
		want: []bool{false}, obs: map[int]string{0: "2 errors, 1 info"},
		fail: []string{"step 1: error stable-weight-negative (r.yaml:30): stable weight would be -10", "plan: error route-missing: VirtualService x is not in the inputs"}},
	{name: "noErrors leaves step-too-short to requirePower", req: "{requirePower: 0.8}",
		edit: func(p *result.Plan) {
			p.Findings = []result.PlanFinding{{Code: "step-too-short", Severity: "error", Step: ptr(0), Message: "short"},
				{Code: "step-too-short", Severity: "error", Step: ptr(1), Message: "short"}}
		},
		want: []bool{false, true}, obs: map[int]string{1: "no findings"}},
	{name: "every requirement, in order", req: "{requirePower: 0.2, detectBy: 2, maxDuration: 1h, maxFailedBeforeDetection: 200, maxUsersBothVersions: 100}",
		want: []bool{true, true, true, true, true, true}, name0: "plan: every step reaches power 0.2"},
}

// Each requirement is one check, with a message naming the step, the figure and the limit.
func TestEvaluatePlan(t *testing.T) {
	for _, tc := range evaluatePlanCases {
		t.Run(tc.name, tc.run)
	}
}

// run evaluates the row's requirements against its plan and compares the checks with the row.
func (tc planCase) run(t *testing.T) {
	sc := scenario(t, "  expect:\n    plan: "+tc.req+"\n")
	p := argoPlan()
	if tc.edit != nil {
		tc.edit(p)
	}
	checks, err := EvaluatePlan(sc.Spec.Expect, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != len(tc.want) || len(checks) != sc.Spec.Expect.Count() {
		t.Fatalf("%d checks, want %d (Count %d): %+v", len(checks), len(tc.want), sc.Spec.Expect.Count(), checks)
	}
	var lines []string
	for i, c := range checks {
		tc.checkOne(t, i, c)
		lines = append(lines, c.Failures...)
	}
	if tc.name0 != "" && checks[0].Name != tc.name0 {
		t.Errorf("name %q, want %q", checks[0].Name, tc.name0)
	}
	all := strings.Join(lines, "\n")
	for _, w := range tc.fail {
		if !strings.Contains(all, w) {
			t.Errorf("failures do not contain %q:\n%s", w, all)
		}
	}
}

// checkOne compares check i with the row: verdict, kind, host, rule, alpha, and the expected and
// observed texts.
func (tc planCase) checkOne(t *testing.T, i int, c result.Check) {
	t.Helper()
	if bool(c.Passed) != tc.want[i] || c.Kind != result.CheckPlan || c.Host != "rollouts-demo" || c.Rule != "primary" || c.Alpha != 0.001 {
		t.Errorf("check %d %q: passed %v kind %s host %s rule %s", i, c.Name, c.Passed, c.Kind, c.Host, c.Rule)
	}
	if c.Passed != (len(c.Failures) == 0) || c.Expected == "" || c.Observed == "" {
		t.Errorf("check %d: passed %v with failures %q, expected %q, observed %q", i, c.Passed, c.Failures, c.Expected, c.Observed)
	}
	if w, ok := tc.obs[i]; ok && !strings.Contains(c.Observed, w) {
		t.Errorf("check %d observed %q, want %q", i, c.Observed, w)
	}
	if w, ok := tc.exp[i]; ok && !strings.Contains(c.Expected, w) {
		t.Errorf("check %d expected %q, want %q", i, c.Expected, w)
	}
}

// A step index the plan does not have is an input error naming the file, line and field.
func TestEvaluatePlanInputErrors(t *testing.T) {
	sc := scenario(t, "  expect:\n    plan:\n      detectBy: 4\n")
	_, err := EvaluatePlan(sc.Spec.Expect, argoPlan())
	if err == nil || err.Error() != "s.yaml:8: document 1 (Scenario s): spec.expect.plan.detectBy: the plan has no step 4 (steps 0 to 3)" {
		t.Errorf("error %v", err)
	}
	// Without plan requirements there is nothing to check.
	if cs, err := EvaluatePlan(scenario(t, "  description: x\n").Spec.Expect, argoPlan()); err != nil || cs != nil {
		t.Errorf("no requirements: %v %v", cs, err)
	}
}
