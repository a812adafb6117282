package scenarios

import (
	"slices"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/mesh"
)

// A TCPRoute splitting 70/30 is simulated per connection through its gateway and passes its
// goodness-of-fit test (issue 15 acceptance; the route as Istio converts it, conversion.go
// convertTCPRoute).
func TestTCPRoute7030PassesItsTest(t *testing.T) {
	yaml := `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db, namespace: infra}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs:
    - {name: db-v1, port: 5432, weight: 70}
    - {name: db-v2, port: 5432, weight: 30}
`
	from := mesh.Caller{Gateway: "infra/gw", Namespace: "infra"}
	r := simulateYAML(t, yaml, &from, 1_000_000)
	if len(r.Hosts) != 1 || r.Hosts[0].Host != "tcp://*" {
		t.Fatalf("hosts %+v", r.Hosts)
	}
	rule := r.Hosts[0].Rules[0]
	if rule.Test == nil || !rule.Test.Passed || r.Verdict != "pass" {
		t.Fatalf("test %+v, verdict %s", rule.Test, r.Verdict)
	}
	if d := rule.Destinations; d[0].ExpectedShare != 0.7 || d[1].ExpectedShare != 0.3 {
		t.Errorf("expected shares %v %v", d[0].ExpectedShare, d[1].ExpectedShare)
	}
	if rule.Protocol != "tcp" {
		t.Errorf("protocol %q, want tcp (issue 15: rules carry their protocol)", rule.Protocol)
	}
}

// Every rule says what it routes (issue 15 "Rules carry protocol"): a VirtualService's http, tcp
// and tls routes, a GRPCRoute's rules (Istio converts them into HTTP routes, conversion.go
// convertGRPCRoute) and a TLSRoute's.
func TestRulesCarryTheirProtocol(t *testing.T) {
	yaml := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: mix, namespace: infra}
spec:
  hosts: [mix]
  gateways: [gw]
  http:
  - route: [{destination: {host: web}}]
  tcp:
  - route: [{destination: {host: db}}]
  tls:
  - match: [{sniHosts: [mix]}]
    route: [{destination: {host: api}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: infra}
spec:
  parentRefs: [{name: gw2}]
  hostnames: [grpc.example.com]
  rules:
  - backendRefs: [{name: greeter, port: 50051}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: tls, namespace: infra}
spec:
  parentRefs: [{name: gw2}]
  hostnames: [tls.example.com]
  rules:
  - backendRefs: [{name: api, port: 443}]
`
	got := map[string]string{}
	for _, gw := range []string{"infra/gw", "infra/gw2"} {
		r := simulateYAML(t, yaml, &mesh.Caller{Gateway: gw, Namespace: "infra"}, 1000)
		for _, h := range r.Hosts {
			for _, rule := range h.Rules {
				got[h.Host] = rule.Protocol
			}
		}
	}
	want := map[string]string{"mix": "http", "tcp://mix": "tcp", "tls://mix": "tls", "grpc.example.com": "grpc", "tls://tls.example.com": "tls"}
	for host, p := range want {
		if got[host] != p {
			t.Errorf("host %s: protocol %q, want %q (all: %v)", host, got[host], p, got)
		}
	}
}

// Mirrored copies are extra requests, counted apart from the split in each host's and the run's
// totals (issue 15): a 50% mirror and a 100% mirror of 10,000 requests send about 15,000 copies,
// and the host's requests stay 10,000.
func TestMirroredCopiesAreCountedApart(t *testing.T) {
	yaml := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: [web]
  http:
  - route: [{destination: {host: web}}]
    mirrors:
    - destination: {host: shadow}
      percentage: {value: 50}
    - destination: {host: audit}
`
	r := simulateYAML(t, yaml, nil, 10_000)
	if len(r.Hosts) != 1 {
		t.Fatalf("hosts %+v", r.Hosts)
	}
	h := r.Hosts[0]
	var sum int64
	for _, m := range h.Rules[0].Mirrors {
		sum += m.Count
	}
	if h.Mirrored != sum || r.Mirrored != sum || h.Requests != 10_000 {
		t.Errorf("host mirrored %d, run mirrored %d, host requests %d; want %d, %d, 10000", h.Mirrored, r.Mirrored, h.Requests, sum, sum)
	}
	if sum < 14_500 || sum > 15_500 { // 10,000 + Binomial(10,000, 0.5): sd 50
		t.Errorf("%d copies, want about 15,000", sum)
	}
}

// A rule's fault injection is configured on purpose, so its aborts do not fail run's verdict, but
// they are said under it: a passing verdict must not hide that half the requests get 503 and reach
// no destination (issue 16: a verdict that means what it says).
func TestFaultAbortsAreSaidUnderTheVerdict(t *testing.T) {
	yaml := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - name: half-aborted
    fault: {abort: {percentage: {value: 50}, httpStatus: 503}}
    route: [{destination: {host: reviews}}]
`
	r := simulateYAML(t, yaml, nil, 10_000)
	want := "host reviews rule half-aborted: 5,023 of its 10,000 requests (50.230%)" // seed 1
	if r.Verdict != "pass" || !slices.ContainsFunc(r.Warnings, func(w string) bool {
		return strings.Contains(w, want) && strings.HasSuffix(w, "are aborted with 503 by fault injection (configured 50.0000%)")
	}) {
		t.Errorf("verdict %s, warnings %q; want pass and the aborts said", r.Verdict, r.Warnings)
	}
}
