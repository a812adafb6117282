package canary

import (
	"strings"
	"testing"
	"time"
)

func flagger(analysis string) string {
	return `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo, namespace: test}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
  analysis:
` + analysis
}

// Weights advance as Flagger's scheduler advances them (pkg/controller/scheduler.go: nextStepWeight,
// runCanary, maxWeight), one step per interval, then a promotion interval.
func TestFlaggerSteps(t *testing.T) {
	m := time.Minute
	ana := func(ws ...float64) []wantStep {
		var out []wantStep
		for _, w := range ws {
			out = append(out, wantStep{w, m, EndsAnalysis})
		}
		return out
	}
	prom := func(w float64) wantStep { return wantStep{w, m, EndsPromotion} }
	for _, tc := range []struct {
		name     string
		analysis string
		want     []wantStep
		code     string
	}{
		{"tutorial", "    interval: 1m\n    threshold: 5\n    maxWeight: 50\n    stepWeight: 10\n",
			append(ana(10, 20, 30, 40, 50), prom(50)), ""},
		{"maxWeight not a multiple overshoots (flagger #189)", "    interval: 1m\n    maxWeight: 50\n    stepWeight: 20\n",
			append(ana(20, 40, 60), prom(60)), CodeMaxWeightNotMultiple},
		{"no maxWeight goes to 100", "    interval: 1m\n    stepWeight: 25\n",
			append(ana(25, 50, 75, 100), prom(100)), ""},
		{"stepWeights", "    interval: 1m\n    stepWeights: [1, 5, 10, 25, 50]\n",
			append(ana(1, 5, 10, 25, 50), prom(50)), ""},
		{"stepWeights above maxWeight are ignored for maxWeight", "    interval: 1m\n    maxWeight: 20\n    stepWeights: [10, 30]\n",
			append(ana(10, 30), prom(30)), ""},
		{"stepWeightPromotion", "    interval: 1m\n    maxWeight: 50\n    stepWeight: 25\n    stepWeightPromotion: 20\n",
			append(ana(25, 50), prom(50), prom(30), prom(10)), ""},
		{"mirror first", "    interval: 1m\n    maxWeight: 20\n    stepWeight: 10\n    mirror: true\n",
			append(ana(0, 10, 20), prom(20)), CodeNotSimulated},
		{"blue/green", "    interval: 1m\n    iterations: 3\n",
			append(ana(0, 0, 0, 100), prom(100)), ""},
		{"A/B testing", "    interval: 1m\n    iterations: 2\n    match: [{headers: {x-canary: {exact: insider}}}]\n",
			append(ana(0, 0), prom(0)), CodeNotSimulated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := checkPlan(t, flagger(tc.analysis), tc.want, tc.code)
			if tc.code != CodeMaxWeightNotMultiple && HasFinding(p.Findings, CodeMaxWeightNotMultiple) {
				t.Errorf("unexpected %s finding", CodeMaxWeightNotMultiple)
			}
		})
	}
}

// stepWeights that do not increase stall Flagger: nextStepWeight is <= 0 and runCanary is never
// called again.
func TestFlaggerStall(t *testing.T) {
	for _, sw := range []string{"[10, 5, 20]", "[10, 10, 20]"} {
		t.Run(sw, func(t *testing.T) {
			checkPlan(t, flagger("    interval: 1m\n    stepWeights: "+sw+"\n"),
				[]wantStep{{10, time.Minute, EndsAnalysis}, {10, time.Hour, EndsStalled}}, CodeWeightsNotIncreasing)
		})
	}
	p := mustPlan(t, flagger("    interval: 1m\n    threshold: 2\n"))
	if len(p.Steps) != 0 || !HasFinding(p.Findings, CodeWeightsNotIncreasing) {
		t.Errorf("no stepWeight: steps %+v, findings %+v", p.Steps, p.Findings)
	}
}

// GetAnalysisInterval: default 60s, at least 10s, and a value that is not a duration is 60s.
func TestFlaggerInterval(t *testing.T) {
	for _, tc := range []struct {
		interval string
		want     time.Duration
		finding  bool
	}{
		{"", 60 * time.Second, false},
		{"    interval: 30s\n", 30 * time.Second, false},
		{"    interval: 5s\n", 10 * time.Second, true},
		{"    interval: 1 minute\n", 60 * time.Second, true},
	} {
		t.Run(strings.TrimSpace(tc.interval), func(t *testing.T) {
			p := mustPlan(t, flagger(tc.interval+"    stepWeight: 50\n"))
			if p.Interval != tc.want || p.Steps[0].Duration != tc.want {
				t.Errorf("%q: interval %v, first step %v, want %v", tc.interval, p.Interval, p.Steps[0].Duration, tc.want)
			}
			if HasFinding(p.Findings, CodeIntervalAdjusted) != tc.finding {
				t.Errorf("%q: interval-adjusted finding %v, want %v", tc.interval, !tc.finding, tc.finding)
			}
		})
	}
}

// Flagger generates the VirtualService: host = service name (or target), primary and canary hosts.
func TestFlaggerGeneratedRoute(t *testing.T) {
	p := mustPlan(t, flagger("    interval: 1m\n    maxWeight: 20\n    stepWeight: 10\n"))
	r := evaluate(t, p, Options{RPS: 10, Users: 100, UserModel: UserModelEven, BaselineErrorRate: 0.01, DetectErrorRate: 0.02, Alpha: 0.05, Seed: 3})
	if r.Host != "podinfo" || r.Canary != "host podinfo-canary" || r.Stable != "host podinfo-primary" {
		t.Errorf("route: host %s canary %s stable %s", r.Host, r.Canary, r.Stable)
	}
	w := r.Steps[1].Weights
	if len(w) != 2 || w[0].Name != "podinfo-primary:9898" || w[0].Weight != 80 || w[1].Name != "podinfo-canary:9898" || w[1].Weight != 20 {
		t.Errorf("step 1 weights %+v", w)
	}
	if r.TotalDuration != 180 {
		t.Errorf("total %v s, want 180 (2 analysis intervals + 1 promotion interval)", r.TotalDuration)
	}
}

// The threshold keeps a detected regression for threshold-1 more intervals.
func TestFlaggerThreshold(t *testing.T) {
	o := Options{RPS: 1000, Users: 100, UserModel: UserModelEven, BaselineErrorRate: 0.01, DetectErrorRate: 0.02, Alpha: 0.05, Seed: 1}
	one := evaluate(t, mustPlan(t, flagger("    interval: 1m\n    threshold: 1\n    maxWeight: 50\n    stepWeight: 10\n")), o)
	five := evaluate(t, mustPlan(t, flagger("    interval: 1m\n    threshold: 5\n    maxWeight: 50\n    stepWeight: 10\n")), o)
	if one.DetectingStep == nil || five.DetectingStep == nil || *one.DetectingStep != *five.DetectingStep {
		t.Fatalf("detecting steps %v %v", one.DetectingStep, five.DetectingStep)
	}
	d := *one.DetectingStep
	extra := 4 * 60 * 1000 * one.Steps[d].ExpectedCanaryShare * 0.02
	if e := relErr(five.FailedBeforeDetection-one.FailedBeforeDetection, extra); e > 1e-9 {
		t.Errorf("threshold 5 adds %v failed requests, want %v", five.FailedBeforeDetection-one.FailedBeforeDetection, extra)
	}
}

func TestFlaggerSkipAnalysis(t *testing.T) {
	p := mustPlan(t, strings.Replace(flagger("    stepWeight: 10\n"), "  service:", "  skipAnalysis: true\n  service:", 1))
	if len(p.Steps) != 1 || p.Steps[0].Ends != EndsPromotion || !HasFinding(p.Findings, CodeNoAnalysis) {
		t.Errorf("steps %+v findings %+v", p.Steps, p.Findings)
	}
}

func TestFlaggerInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"provider", strings.Replace(flagger("    stepWeight: 10\n"), "  service:", "  provider: linkerd\n  service:", 1), `spec.provider: "linkerd"`},
		{"misspelt field", flagger("    stepWieght: 10\n"), `spec.analysis.stepWieght: unknown field "stepWieght" (did you mean "stepWeight"?)`},
		{"wrong type", flagger("    maxWeight: fifty\n"), "spec.analysis.maxWeight: expected an integer"},
		{"negative", flagger("    stepWeight: -10\n"), "spec.analysis.stepWeight: -10 must not be negative"},
		{"stepWeights range", flagger("    stepWeights: [10, 150]\n"), "spec.analysis.stepWeights[1]: 150 is not a percentage"},
		{"no target", "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: x}\nspec:\n  analysis: {stepWeight: 10}\n", "spec.targetRef.name: missing"},
	} {
		t.Run(tc.name, func(t *testing.T) { inputError(t, tc.yaml, tc.want) })
	}
}
