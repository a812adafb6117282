package lint

import (
	"strings"
	"testing"
)

// A GRPCRoute rule that another one hides is reported as an HTTPRoute's is (SPL011, the Gateway
// API's precedence order), not as a VirtualService's (SPL013): Istio converts a GRPCRoute into the
// HTTPRoute routes it builds for HTTPRoutes (pilot/pkg/config/kube/gateway conversion.go
// convertGRPCRoute), sorted by the same precedence.
func TestGRPCRouteUnusedRuleIsSPL011(t *testing.T) {
	r := lintYAML(t, `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc-app, namespace: default}
spec:
  parentRefs: [{group: "", kind: Service, name: echo}]
  rules:
  - backendRefs: [{name: echo-v1, port: 7070}]
  - backendRefs: [{name: echo-v2, port: 7070}]
`)
	if f := findings(r, "SPL013"); len(f) != 0 {
		t.Errorf("SPL013 (a VirtualService's code) for a GRPCRoute: %+v", f)
	}
	f := findings(r, "SPL011")
	if len(f) != 1 || f[0].Resource != "GRPCRoute default/grpc-app" ||
		!strings.Contains(f[0].Message, "rule #1 is never used: in the Gateway API's precedence order, rule #0") {
		t.Fatalf("SPL011 %+v", f)
	}
}
