package mesh

import (
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// Gateway API TCPRoute and GRPCRoute, as Istio converts them (pilot/pkg/config/kube/gateway
// conversion.go convertTCPRoute, convertGRPCRoute, createGRPCURIMatch): a TCPRoute's backends are
// weighted clusters for every connection through its gateway; a GRPCRoute method match is a path match
// on "/SERVICE/METHOD". Each host is decided by its route under that route's own kind.
func TestTCPRouteAndGRPCRoute(t *testing.T) {
	cfg := &Config{}
	err := cfg.Add("r.yaml", []byte(`apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db, namespace: infra}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs:
    - {name: db-v1, port: 5432, weight: 70}
    - {name: db-v2, port: 5432, weight: 30}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: infra}
spec:
  parentRefs: [{name: gw}]
  hostnames: [grpc.example.com]
  rules:
  - matches: [{method: {service: helloworld.Greeter, method: SayHello}}]
    backendRefs: [{name: hello-v1, port: 9000, weight: 80}, {name: hello-v2, port: 9000, weight: 20}]
  - matches: [{method: {service: helloworld.Greeter}}]
    backendRefs: [{name: hello-v1, port: 9000}]
`))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := TranslateFrom(cfg, Caller{Gateway: "infra/gw", Namespace: "infra"})
	if err != nil {
		t.Fatal(err)
	}
	tcp := tr.Table.Lookup("tcp://*")
	if tcp == nil || len(tcp.Rules) != 1 {
		t.Fatalf("hosts %v", tr.Table.Hosts)
	}
	if s := tcp.Rules[0].Action.Shares(); s[0] != 0.7 || s[1] != 0.3 {
		t.Errorf("TCPRoute shares %v, want 0.7 0.3", s)
	}
	grpc := tr.Table.Lookup("grpc.example.com")
	if grpc == nil {
		t.Fatalf("no GRPCRoute host in %v", tr.Table.Hosts)
	}
	if grpc.DecidedBy != "GRPCRoute infra/grpc" || tcp.DecidedBy != "TCPRoute infra/db" {
		t.Errorf("decided by %q and %q, want each route named by its own kind", grpc.DecidedBy, tcp.DecidedBy)
	}
	for _, tc := range []struct {
		path string
		rule int
	}{{"/helloworld.Greeter/SayHello", 0}, {"/helloworld.Greeter/Other", 1}, {"/other.Svc/SayHello", -1}} {
		req := sim.Request{Method: "POST", Path: tc.path}
		got := -1
		if i := grpc.Route(&req); i >= 0 {
			got = grpc.Routes[i].Rule
		}
		if got != tc.rule {
			t.Errorf("%s: rule %d, want %d", tc.path, got, tc.rule)
		}
	}
}
