package canary

import (
	"strconv"
	"strings"
	"testing"
)

// Every finding code has a minimal plan that triggers it and one that does not.
func TestFindingCodes(t *testing.T) {
	argoExp := func(exp int) string {
		return rollout(`
      - setWeight: 50
      - experiment:
          duration: 5m
          templates:
          - {name: baseline, specRef: stable, weight: ` + itoa(exp) + `}`)
	}
	header := `
      - setHeaderRoute: {name: hdr, match: [{headerName: x-canary, headerValue: {exact: "yes"}}]}
      - setWeight: 50
      - pause: {duration: 1h}`
	misrouted := strings.Replace(native("      - {weight: 50, duration: 1h}"), "  http:\n  - name: primary", "  http:\n  - name: catch-all\n    route:\n    - destination: {host: demo, subset: stable}\n  - name: primary", 1)
	for _, tc := range []struct {
		code           string
		trigger, clean string
	}{
		{CodeStepTooShort, native("      - {weight: 5, duration: 10m}"), native("      - {weight: 50, duration: 1h}")},
		{CodeWeightBelowFloor, native("      - {weight: 0.5, duration: 1h}"), native("      - {weight: 1, duration: 1h}")},
		{CodeWeightsNotIncreasing, native("      - {weight: 20, duration: 1h}\n      - {weight: 10, duration: 1h}"), native("      - {weight: 10, duration: 1h}\n      - {weight: 20, duration: 1h}")},
		{CodeMaxWeightNotMultiple, flagger("    maxWeight: 50\n    stepWeight: 20\n"), flagger("    maxWeight: 50\n    stepWeight: 10\n")},
		{CodeStableWeightNegative, argoExp(60), argoExp(10)},
		{CodeTotalWeightZero, native("      - {weight: 0, stableWeight: 0, duration: 1m}"), native("      - {weight: 0, stableWeight: 100, duration: 1m}")},
		{CodeRouteMissing, strings.Replace(rollout("      - setWeight: 50\n      - pause: {duration: 1h}"), "routes: [primary]", "routes: [nope]", 1), rollout("      - setWeight: 50\n      - pause: {duration: 1h}")},
		{CodeSubsetMissing, strings.Replace(rollout("      - setWeight: 50\n      - pause: {duration: 1h}"), "canarySubsetName: canary", "canarySubsetName: canry", 1), rollout("      - setWeight: 50\n      - pause: {duration: 1h}")},
		{CodeManualPause, rollout("      - setWeight: 50\n      - pause: {}"), rollout("      - setWeight: 50\n      - pause: {duration: 1h}")},
		{CodeAnalysisDurationAssumed, rollout("      - setWeight: 50\n      - analysis: {templates: [{templateName: t}]}"), rollout("      - setWeight: 50\n      - pause: {duration: 1h}")},
		{CodeIntervalAdjusted, flagger("    interval: 5s\n    stepWeight: 50\n"), flagger("    interval: 30s\n    stepWeight: 50\n")},
		{CodeNotSimulated, strings.Replace(rollout("      - setWeight: 50\n      - pause: {duration: 1h}"), "routes: [primary]", "routes: [primary, primary]", 1), rollout(header)},
		{CodeRequestMisrouted, misrouted, native("      - {weight: 50, duration: 1h}")},
		{CodeNoAnalysis, strings.Replace(rollout(""), "      steps:\n", "      steps: []\n", 1), rollout("      - setWeight: 50\n      - pause: {duration: 1h}")},
	} {
		for _, c := range []struct {
			name, yaml string
			want       bool
		}{{"trigger", tc.trigger, true}, {"clean", tc.clean, false}} {
			t.Run(tc.code+"/"+c.name, func(t *testing.T) {
				r := evaluate(t, mustPlan(t, c.yaml), opts())
				if hasCode(r, tc.code) != c.want {
					t.Errorf("%s: present = %v, want %v; findings:\n%s", tc.code, !c.want, c.want, codes(r))
				}
			})
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// Severities: error findings fail the verdict; step-too-short is an error only with --require-power.
// A plan in which no step before promotion can detect the error-rate rise fails with never-detects
// (issue 16: a green PASS over "a broken canary is then promoted" was wrong), unless the user accepts
// it (--require-power 0, Options.NoDetectionOK); a plan with a detecting step has no such finding.
func TestNeverDetects(t *testing.T) {
	for _, tc := range []struct {
		name    string
		yaml    string
		ok      bool
		verdict string
		never   bool
	}{
		{"no step detects", native("      - {weight: 5, duration: 10m}"), false, "fail", true},
		{"no step detects, accepted", native("      - {weight: 5, duration: 10m}"), true, "pass", false},
		{"a step detects", native("      - {weight: 50, duration: 2h}"), false, "pass", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := opts()
			o.NoDetectionOK = tc.ok
			r := evaluate(t, mustPlan(t, tc.yaml), o)
			never := false
			for _, f := range r.Findings {
				if f.Code == CodeNeverDetects {
					never = f.Severity == SeverityError
				}
			}
			if string(r.Verdict) != tc.verdict || never != tc.never {
				t.Errorf("verdict %s, never-detects %v; want %s, %v (findings %+v)", r.Verdict, never, tc.verdict, tc.never, r.Findings)
			}
		})
	}
}

func TestSeverityAndVerdict(t *testing.T) {
	p := mustPlan(t, native("      - {weight: 5, duration: 10m}"))
	r := evaluate(t, p, opts())
	if r.Verdict != "pass" || r.Findings[0].Severity != "warning" {
		t.Errorf("without --require-power: verdict %s, severity %s", r.Verdict, r.Findings[0].Severity)
	}
	o := opts()
	o.RequirePower = 0.8
	r = evaluate(t, p, o)
	if r.Verdict != "fail" || r.Findings[0].Severity != "error" || r.Findings[0].Step == nil || *r.Findings[0].Step != 0 {
		t.Errorf("with --require-power: verdict %s, finding %+v", r.Verdict, r.Findings[0])
	}
	// A rejected weight keeps the previous weights: the step is simulated at the old split.
	p = mustPlan(t, argoNegative())
	r = evaluate(t, p, opts())
	if r.Verdict != "fail" {
		t.Errorf("negative stable weight: verdict %s", r.Verdict)
	}
	if st := r.Steps[0]; st.StableWeight != -10 || st.CanaryRequests != 0 || !strings.Contains(st.Note, "rejected") {
		t.Errorf("negative stable weight step: %+v", st)
	}
}

func argoNegative() string {
	return rollout(`
      - setWeight: 50
      - experiment:
          duration: 5m
          templates:
          - {name: baseline, specRef: stable, weight: 60}`)
}

// argo-rollouts #4424: with dynamicStableScale, a full promotion while setCanaryScale runs more
// replicas than spec.replicas computes a canary weight above 100.
func TestDynamicStableScale(t *testing.T) {
	y := strings.Replace(rollout("      - setCanaryScale: {replicas: 2}\n      - pause: {}"), "    canary:\n", "    canary:\n      dynamicStableScale: true\n", 1)
	y = strings.Replace(y, "spec:\n  strategy:", "spec:\n  replicas: 1\n  strategy:", 1)
	p := mustPlan(t, y)
	if !HasFinding(p.Findings, CodeStableWeightNegative) {
		t.Errorf("no %s finding: %+v", CodeStableWeightNegative, p.Findings)
	}
	p = mustPlan(t, strings.Replace(y, "dynamicStableScale: true", "dynamicStableScale: false", 1))
	if HasFinding(p.Findings, CodeStableWeightNegative) {
		t.Errorf("unexpected %s finding without dynamicStableScale", CodeStableWeightNegative)
	}
}

// A subset the route uses but no DestinationRule defines is found at evaluation (503, no cluster).
func TestUndefinedSubsetIn503(t *testing.T) {
	y := strings.Replace(native("      - {weight: 50, duration: 1h}"), "  - name: canary\n    labels: {v: \"2\"}\n", "", 1)
	r := evaluate(t, mustPlan(t, y), opts())
	if !hasCode(r, CodeSubsetMissing) || r.Steps[0].Weights[1].Status != 503 {
		t.Errorf("findings:\n%s\nweights %+v", codes(r), r.Steps[0].Weights)
	}
}
