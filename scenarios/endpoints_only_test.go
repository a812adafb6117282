package scenarios

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/mesh"
)

// Inputs with no route at all but a Service and its workloads are a configuration too: a sidecar
// sends requests for the Service to its cluster and the pods share them by count (istio
// pilot/pkg/networking/core/httproute.go BuildSidecarOutboundVirtualHosts builds the default route).
// A basic Argo canary (no trafficRouting) at setWeight 20 of 5 replicas has 1 canary pod and 4
// stable ones (argo-rollouts CalculateReplicaCountsForCanary): in-mesh callers split 20/80.
// Inputs with neither a route nor pods for a Service are still refused.
func TestServiceAndPodsWithoutRoutes(t *testing.T) {
	dir := t.TempDir()
	const service = `apiVersion: v1
kind: Service
metadata: {name: demo, namespace: default}
spec:
  selector: {app: demo}
  ports: [{name: http, port: 80}]
`
	rollout := `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: demo, namespace: default}
spec:
  replicas: 5
  selector: {matchLabels: {app: demo}}
  template:
    metadata: {labels: {app: demo}}
    spec: {containers: [{name: c, image: x}]}
  strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
status: {currentStepIndex: 1, currentPodHash: bbb, stableRS: aaa}
`
	write := func(name, text string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	in, err := Load([]string{write("canary.yaml", service+"---\n"+rollout)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Simulate(in, SimOptions{Requests: 100_000, Seed: 1, Alpha: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hosts) != 1 || r.Hosts[0].Host != "demo" || len(r.Hosts[0].Rules) != 1 {
		t.Fatalf("hosts %+v, want demo with one rule", r.Hosts)
	}
	rule := r.Hosts[0].Rules[0]
	if rule.Action != "endpoints" || len(rule.Destinations) != 2 ||
		rule.Destinations[0].ExpectedShare != 0.8 || rule.Destinations[1].ExpectedShare != 0.2 {
		t.Fatalf("rule %s with destinations %+v, want endpoints 0.8 (stable), 0.2 (canary)", rule.Action, rule.Destinations)
	}
	for _, f := range []string{write("service.yaml", service), write("rollout.yaml", rollout)} {
		if _, err := Load([]string{f}); err == nil || !strings.Contains(err.Error(), "no VirtualService or Gateway API route found") {
			t.Errorf("%s: error %v, want no VirtualService or Gateway API route found", filepath.Base(f), err)
		}
	}
}

// A caller that no route applies to and that has no pods to call gets nothing simulated, and the run
// says so under the verdict rather than passing in silence: here a 10/90 VirtualService bound to a
// gateway only (argo-rollouts #3383) with no workloads in the inputs, run for a sidecar.
func TestNothingSimulatedIsWarned(t *testing.T) {
	yaml := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demo, namespace: default}
spec:
  hosts: [demo.example.com]
  gateways: [istio-system/public]
  http:
  - route:
    - {destination: {host: demo, subset: v1}, weight: 10}
    - {destination: {host: demo, subset: v2}, weight: 90}
`
	from, err := mesh.ParseCaller("sidecar:default")
	if err != nil {
		t.Fatal(err)
	}
	r := simulateYAML(t, yaml, &from, 1000)
	if len(r.Hosts) != 0 {
		t.Fatalf("hosts %+v, want none", r.Hosts)
	}
	want := "nothing simulated: no route of the inputs applies to caller sidecar:default"
	if !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
		t.Fatalf("warnings %q, want one starting %q", r.Warnings, want)
	}
}
