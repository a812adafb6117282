package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// runJSON runs a command with -o json and decodes its result.
func runJSON(t *testing.T, args ...string) *result.Run {
	t.Helper()
	out, errOut, code := runCLI(t, append(args, "-o", "json")...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	var r result.Run
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// Acceptance of per-caller routing on the argo-rollouts #3383 shape (scenarios/gateway-only-canary.yaml:
// a VirtualService bound only to the gateway splits 10/90; Deployments v1 x3 and v2 x1 behind one
// Service). A sidecar sees only VirtualServices bound to "mesh" (istio pilot/pkg/model/push_context.go
// VirtualServicesForGateway), so its requests go to the Service's cluster and are spread over the pods
// (Envoy LEAST_REQUEST/ROUND_ROBIN over equal-weight endpoints): 0.75/0.25. Through the gateway,
// 0.1/0.9. lint says so (SPL101).
func TestFromGatewayOnlyCanary(t *testing.T) {
	const f = "../../scenarios/gateway-only-canary.yaml"
	for _, tc := range []struct {
		from, host string
		action     result.Action
		want       map[string]float64
	}{
		{"sidecar:default", "demo", result.ActionEndpoints, map[string]float64{"v1": 0.75, "v2": 0.25}},
		{"gateway:istio-system/public-gateway", "canary.example.com", result.ActionForward, map[string]float64{"v1": 0.1, "v2": 0.9}},
	} {
		t.Run(tc.from, func(t *testing.T) {
			r := runJSON(t, "run", f, "-n", "20000", "--from", tc.from)
			var h *result.Host
			for i := range r.Hosts {
				if r.Hosts[i].Host == tc.host {
					h = &r.Hosts[i]
				}
			}
			if h == nil || h.From != tc.from || len(h.Rules) != 1 {
				t.Fatalf("no host %s from %s with one rule in %v", tc.host, tc.from, r.Hosts)
			}
			rule := h.Rules[0]
			if rule.Action != tc.action {
				t.Errorf("action %s, want %s", rule.Action, tc.action)
			}
			for _, d := range rule.Destinations {
				if d.ExpectedShare != tc.want[d.Name()] {
					t.Errorf("%s: expected share %v, want %v", d.Name(), d.ExpectedShare, tc.want[d.Name()])
				}
			}
		})
	}
	out, _, code := runCLI(t, "lint", f)
	if code != 0 || !strings.Contains(out, "[SPL101]") || !strings.Contains(out, "v1 75.000%, v2 25.000% by pod count") {
		t.Errorf("lint exit %d:\n%s", code, out)
	}
}

// Without --from, run covers every caller view: the mesh view of demo (endpoints) and the gateway's
// view of canary.example.com, each saying which caller it is for and what decides it.
func TestRunEveryCallerView(t *testing.T) {
	r := runJSON(t, "run", "../../scenarios/gateway-only-canary.yaml", "-n", "20000")
	got := map[string]string{}
	for _, h := range r.Hosts {
		got[h.Host] = h.From + " | " + h.DecidedBy
	}
	for host, want := range map[string]string{
		"demo": "sidecar:default | no route: endpoints of Service default/demo",
		"canary.example.com@istio-system/public-gateway": "gateway:istio-system/public-gateway | VirtualService default/demo",
	} {
		if !strings.HasPrefix(got[host], want) {
			t.Errorf("host %s: %q, want %q...", host, got[host], want)
		}
	}
}

// --from is checked: a caller that is neither a sidecar nor a gateway is a usage error (exit 2).
func TestFromBadSpec(t *testing.T) {
	for _, cmd := range []string{"run", "explain", "test", "diff", "plan"} {
		t.Run(cmd, func(t *testing.T) {
			args := []string{cmd, "--from", "pod:default", "a.yaml"}
			switch cmd {
			case "explain":
				args = append(args, "--host", "x")
			case "diff":
				args = append(args, "b.yaml")
			}
			_, errOut, code := runCLI(t, args...)
			if code != 2 || !strings.Contains(errOut, "--from") {
				t.Errorf("exit %d: %s", code, errOut)
			}
		})
	}
}

// explain --from traces the caller's view: for a sidecar and the gateway-only VirtualService, the
// endpoint groups with their pod counts.
func TestExplainFromSidecar(t *testing.T) {
	out, errOut, code := runCLI(t, "explain", "--from", "sidecar:default", "--host", "demo", "../../scenarios/gateway-only-canary.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"caller: sidecar:default; decided by no route: endpoints of Service default/demo", "spreads requests evenly over the Service's 4 pods", "v1       3      75.000%"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
