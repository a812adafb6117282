package canary

import (
	"slices"
	"strings"
	"testing"
	"time"
)

type wantStep struct {
	weight float64
	dur    time.Duration
	ends   Ends
}

func checkSteps(t *testing.T, got []Step, want []wantStep) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d steps, want %d: %+v", len(got), len(want), got)
		return
	}
	for i, w := range want {
		g := got[i]
		if g.Weight != w.weight || g.Duration != w.dur || g.Ends != w.ends {
			t.Errorf("step %d = {%v%% %v %s}, want {%v%% %v %s}", i, g.Weight, g.Duration, g.Ends, w.weight, w.dur, w.ends)
		}
	}
}

// checkPlan reads the plan of yaml and checks its steps and, when code is set, that it has a
// finding with that code.
func checkPlan(t *testing.T, yaml string, want []wantStep, code string) *Plan {
	t.Helper()
	p := mustPlan(t, yaml)
	checkSteps(t, p.Steps, want)
	if code != "" && !HasFinding(p.Findings, code) {
		t.Errorf("no %s finding in %+v", code, p.Findings)
	}
	return p
}

// inputError reads the plan of yaml, which must fail with an error naming the file and holding
// want, and returns the error's text.
func inputError(t *testing.T, yaml, want string) string {
	t.Helper()
	_, err := readPlan(t, yaml)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !strings.Contains(msg, want) || !strings.HasPrefix(msg, "test.yaml:") {
		t.Errorf("error %q, want it to name the file and %q", msg, want)
	}
	return msg
}

// Steps follow the Argo Rollouts controller: the weight of a step is the last setWeight, pauses,
// analyses and experiments hold it, and the plan ends at 100% with a promotion.
func TestArgoSteps(t *testing.T) {
	m := time.Minute
	for _, tc := range []struct {
		name  string
		steps string
		want  []wantStep
		code  string // a finding the plan must have
	}{
		{"acceptance example", `
      - setWeight: 5
      - pause: {duration: 10m}
      - setWeight: 20
      - pause: {duration: 10m}
      - setWeight: 50
      - pause: {duration: 10m}
      - setWeight: 100`,
			[]wantStep{{5, 10 * m, EndsTime}, {20, 10 * m, EndsTime}, {50, 10 * m, EndsTime}, {100, 0, EndsPromotion}}, ""},
		{"setWeight followed by setWeight", `
      - setWeight: 10
      - setWeight: 20
      - pause: {duration: 60}`,
			[]wantStep{{10, 0, EndsNone}, {20, m, EndsTime}, {100, 0, EndsPromotion}}, ""},
		{"pause before any weight and a manual gate", `
      - pause: {duration: 30s}
      - setWeight: 50
      - pause: {}`,
			[]wantStep{{0, 30 * time.Second, EndsTime}, {50, time.Hour, EndsManual}, {100, 0, EndsPromotion}}, CodeManualPause},
		{"duration forms: int, integer string, truncated Go durations", `
      - setWeight: 1
      - pause: {duration: 45}
      - pause: {duration: "90"}
      - pause: {duration: 1500ms}
      - pause: {duration: 500ms}
      - pause: {duration: 1h}`,
			[]wantStep{{1, 45 * time.Second, EndsTime}, {1, 90 * time.Second, EndsTime}, {1, time.Second, EndsTime}, {1, 0, EndsTime}, {1, time.Hour, EndsTime}, {100, 0, EndsPromotion}}, ""},
		{"inline analysis", `
      - setWeight: 10
      - analysis: {templates: [{templateName: success-rate}]}`,
			[]wantStep{{10, 5 * m, EndsAnalysis}, {100, 0, EndsPromotion}}, CodeAnalysisDurationAssumed},
		{"experiment with a weight", `
      - setWeight: 20
      - experiment:
          duration: 10m
          templates:
          - {name: baseline, specRef: stable, weight: 10}
          - {name: canary, specRef: canary}`,
			[]wantStep{{20, 10 * m, EndsAnalysis}, {100, 0, EndsPromotion}}, ""},
		{"no steps", `[]`, []wantStep{{100, 0, EndsPromotion}}, CodeNoAnalysis},
		{"last step is a pause below 100", `
      - setWeight: 50
      - pause: {duration: 2m}`,
			[]wantStep{{50, 2 * m, EndsTime}, {100, 0, EndsPromotion}}, ""},
		{"last step is a setWeight below 100", `
      - setWeight: 30
      - pause: {duration: 2m}
      - setWeight: 60`,
			[]wantStep{{30, 2 * m, EndsTime}, {60, 0, EndsNone}, {100, 0, EndsPromotion}}, ""},
		{"header and mirror routes", `
      - setCanaryScale: {replicas: 1}
      - setHeaderRoute: {name: hdr, match: [{headerName: x-canary, headerValue: {exact: "yes"}}]}
      - setMirrorRoute: {name: mirror, percentage: 10, match: [{method: {exact: GET}}]}
      - setWeight: 10
      - pause: {duration: 1m}`,
			[]wantStep{{10, m, EndsTime}, {100, 0, EndsPromotion}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yaml := rollout(tc.steps)
			if tc.steps == "[]" {
				yaml = strings.Replace(rollout(""), "      steps:\n", "      steps: []\n", 1)
			}
			checkPlan(t, yaml, tc.want, tc.code)
		})
	}
}

// Experiment weights come off the stable weight (istio.go processRoutes) and the experiment's
// service becomes a destination of the route.
func TestArgoExperimentWeights(t *testing.T) {
	p := mustPlan(t, rollout(`
      - setWeight: 20
      - experiment:
          duration: 10m
          templates:
          - {name: baseline, specRef: stable, weight: 10, service: {name: demo-baseline}}`))
	s := p.Steps[0]
	if s.StableWeight != 70 || len(s.Extras) != 1 || s.Extras[0] != (Extra{Host: "demo-baseline", Weight: 10}) {
		t.Fatalf("step = %+v, want stable 70 and extra demo-baseline 10", s)
	}
	r := evaluate(t, p, opts())
	var names []string
	var total int32
	for _, w := range r.Steps[0].Weights {
		names = append(names, w.Name)
		total += w.Weight
	}
	if strings.Join(names, ",") != "stable,canary,demo-baseline" || total != 100 {
		t.Errorf("weights %+v", r.Steps[0].Weights)
	}
	if got := r.Steps[0].OtherRequests; got == 0 {
		t.Error("the experiment destination got no requests")
	}
}

// Without a destinationRule, Argo matches canaryService and stableService by host name, comparing
// the part before the first dot.
func TestArgoHostLevelSplit(t *testing.T) {
	yaml := `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: demo}
spec:
  strategy:
    canary:
      canaryService: demo-canary
      stableService: demo-stable
      trafficRouting:
        istio:
          virtualService: {name: demo-vs}
      steps:
      - setWeight: 30
      - pause: {duration: 1m}
` + demoVS + `  - route:
    - destination: {host: demo-stable.default.svc.cluster.local}
      weight: 90
    - destination: {host: demo-canary}
      weight: 10
    - destination: {host: legacy}
      weight: 0
`
	p := mustPlan(t, yaml)
	r := evaluate(t, p, opts())
	if len(r.Findings) != 1 || r.Findings[0].Code != CodeStepTooShort {
		t.Errorf("findings: %s", codes(r))
	}
	w := r.Steps[0].Weights
	if len(w) != 2 || w[0].Role != roleStable || w[0].Weight != 70 || w[1].Role != roleCanary || w[1].Weight != 30 {
		t.Errorf("weights %+v: want stable 70, canary 30 and legacy removed", w)
	}
}

// A VirtualService bound only to an ingress gateway (the common Argo Rollouts setup for north-south
// traffic) is translated per gateway, as Istio builds gateway routes (istio pilot/pkg/networking/core
// gateway.go, buildGatewayHTTPRouteConfig, one virtual host per host and server); the plan simulates
// its route through that gateway and says so, instead of failing with "host not found".
func TestArgoGatewayOnlyVirtualService(t *testing.T) {
	yaml := strings.Replace(rollout("      - setWeight: 30\n      - pause: {duration: 1m}\n"),
		"  hosts: [demo]\n", "  hosts: [demo.example.com]\n  gateways: [istio-system/public-gateway]\n", 1)
	p := mustPlan(t, yaml)
	r := evaluate(t, p, opts())
	w := r.Steps[0].Weights
	if len(w) != 2 || w[0].Role != roleStable || w[0].Weight != 70 || w[1].Role != roleCanary || w[1].Weight != 30 {
		t.Errorf("weights %+v: want stable 70, canary 30", w)
	}
	if s := r.Steps[0]; s.CanaryRequests == 0 || s.StableRequests == 0 || s.OtherRequests != 0 {
		t.Errorf("step 0 requests: canary %d, stable %d, other %d", s.CanaryRequests, s.StableRequests, s.OtherRequests)
	}
	if !strings.Contains(strings.Join(r.Assumptions, "\n"), "bound to gateway istio-system/public-gateway and not to the mesh") {
		t.Errorf("assumptions do not name the gateway: %q", r.Assumptions)
	}
}

// Input errors name the file, the document and the field.
func TestArgoInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"misspelt action", rollout("      - setWieght: 5"), `spec.strategy.canary.steps[0].setWieght: unknown field "setWieght" (did you mean "setWeight"?)`},
		{"weight above 100", rollout("      - setWeight: 150"), "steps[0].setWeight: 150: SetWeight needs to be between 0 and 100"},
		{"fractional weight", rollout("      - setWeight: 5.5"), "steps[0].setWeight: expected an integer"},
		{"bad duration", rollout("      - setWeight: 5\n      - pause: {duration: 10x}"), "steps[1].pause.duration: \"10x\" is neither"},
		{"negative duration", rollout("      - pause: {duration: -5}"), "steps[0].pause.duration: -5 seconds: duration must not be negative"},
		{"fractional seconds", rollout("      - pause: {duration: 1.5}"), "steps[0].pause.duration: 1.5 is not an integer"},
		{"two actions", rollout("      - {setWeight: 5, pause: {}}"), "steps[0]: step has more than one action (setWeight, pause)"},
		{"empty step", rollout("      - {}"), "steps[0]: step must have one of the following set"},
		{"null pause", rollout("      - pause:"), "steps[0]: step must have one of the following set"},
		{"no traffic routing", strings.Replace(rollout("      - setWeight: 5"), "      trafficRouting:\n        istio:", "      x:\n        istio:", 1), "spec.strategy.canary.trafficRouting: missing"},
		{"nginx", strings.Replace(rollout("      - setWeight: 5"), "        istio:", "        nginx: {stableIngress: x}\n        x:", 1), "spec.strategy.canary.trafficRouting.istio: missing"},
		{"unknown istio field", strings.Replace(rollout("      - setWeight: 5"), "virtualService: {name: demo-vs", "virtualSrvice: {name: demo-vs", 1), `trafficRouting.istio.virtualSrvice: unknown field`},
		{"blue green", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: demo}\nspec:\n  strategy:\n    blueGreen: {activeService: a}\n", "spec.strategy.blueGreen: a blueGreen strategy"},
		{"vs name missing", strings.Replace(rollout("      - setWeight: 5"), "virtualService: {name: demo-vs, routes: [primary]}", "virtualService: {routes: [primary]}", 1), "trafficRouting.istio.virtualService.name: missing"},
		{"experiment duration", rollout("      - experiment: {duration: 10, templates: []}"), "steps[0].experiment.duration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := inputError(t, tc.yaml, tc.want)
			if !strings.Contains(msg, "document 1 (Rollout demo)") {
				t.Errorf("error %q does not name the document", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error is more than one line: %q", msg)
			}
		})
	}
}

// Argo Rollouts' Istio TCP example (docs/features/traffic-management/istio.md, "TCP traffic"): the
// Rollout drives the tcpRoutes of a VirtualService that has no http route; the plan simulates its
// connections step by step, without error (rollout/trafficrouting/istio writes the same weights into
// each tcp route it names).
func TestArgoTCPRoutes(t *testing.T) {
	p := mustPlan(t, `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: rollout-example}
spec:
  replicas: 5
  strategy:
    canary:
      canaryService: canary-svc
      stableService: stable-svc
      trafficRouting:
        istio:
          virtualService:
            name: rollout-vsvc
            tcpRoutes:
            - port: 3000
      steps:
      - setWeight: 5
      - pause: {duration: 10m}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: rollout-vsvc}
spec:
  hosts: [rollout-vsvc]
  tcp:
  - match: [{port: 3000}]
    route:
    - {destination: {host: stable-svc}, weight: 100}
    - {destination: {host: canary-svc}, weight: 0}
`)
	r := evaluate(t, p, opts())
	if r.Verdict != "pass" {
		t.Fatalf("verdict %s, findings %+v", r.Verdict, r.Findings)
	}
	for _, f := range r.Findings {
		if f.Severity == SeverityError || f.Code == CodeNotSimulated {
			t.Errorf("finding %+v", f)
		}
	}
	if s := r.Steps[0]; s.CanaryRequests == 0 || s.StableRequests == 0 {
		t.Errorf("step 0: canary %d, stable %d connections", s.CanaryRequests, s.StableRequests)
	}
}

// The tcp routes a Rollout drives are the ones Argo Rollouts writes weights into
// (rollout/trafficrouting/istio/istio.go getTcpRouteIndexesToPatch, searchTcpRoute,
// ValidateTcpRoutes): with tcpRoutes, those whose match blocks name the entry's one port; without,
// the first, which must be the only one. splitsim drove every tcp route.
func TestArgoTCPRoutesByPort(t *testing.T) {
	rollout := func(tcpRoutes string) string {
		return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: db}
spec:
  replicas: 5
  strategy:
    canary:
      canaryService: canary-svc
      stableService: stable-svc
      trafficRouting:
        istio:
          virtualService:
            name: db-vsvc
` + tcpRoutes + `      steps:
      - setWeight: 10
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db-vsvc}
spec:
  hosts: [db]
  tcp:
  - match: [{port: 5432}]
    route:
    - {destination: {host: stable-svc}, weight: 100}
    - {destination: {host: canary-svc}, weight: 0}
  - match: [{port: 6379}]
    route:
    - {destination: {host: stable-svc}, weight: 100}
    - {destination: {host: canary-svc}, weight: 0}
`
	}
	for _, tc := range []struct {
		name, tcpRoutes string
		rules           []int
		err             string
	}{
		{"port 6379", "            tcpRoutes: [{port: 6379}]\n", []int{1}, ""},
		{"both ports", "            tcpRoutes: [{port: 5432}, {port: 6379}]\n", []int{0, 1}, ""},
		{"no such port", "            tcpRoutes: [{port: 9999}]\n", []int{0}, "No matching TCP routes found in the defined Virtual Service."},
		{"omitted with two routes", "", []int{0}, "must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.tcpRoutes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustPlan(t, rollout(tc.tcpRoutes))
			var errs []string
			for _, f := range p.Findings {
				if f.Severity == SeverityError {
					errs = append(errs, f.Message)
				}
			}
			if !slices.Equal(p.Rules, tc.rules) || (tc.err == "") != (len(errs) == 0) || tc.err != "" && !strings.Contains(strings.Join(errs, " "), tc.err) {
				t.Errorf("rules %v, errors %q; want %v and %q", p.Rules, errs, tc.rules, tc.err)
			}
		})
	}
}
