package scenarios

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/splitsim/splitsim/mesh"
)

// A TCPRoute splitting 70/30 is simulated per connection through its gateway and passes its
// goodness-of-fit test (issue 15 acceptance; the route as Istio converts it, conversion.go
// convertTCPRoute).
func TestTCPRoute7030PassesItsTest(t *testing.T) {
	f := filepath.Join(t.TempDir(), "tcp.yaml")
	if err := os.WriteFile(f, []byte(`apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db, namespace: infra}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs:
    - {name: db-v1, port: 5432, weight: 70}
    - {name: db-v2, port: 5432, weight: 30}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	from := mesh.Caller{Gateway: "infra/gw", Namespace: "infra"}
	in, err := LoadFrom([]string{f}, &from)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Simulate(in, SimOptions{Requests: 1_000_000, Seed: 1, Alpha: 0.001})
	if err != nil {
		t.Fatal(err)
	}
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
}
