// Package mesh reads Kubernetes YAML the way kubectl and Istio do and translates it into a sim.Table.
//
//  1. Load splits each file into documents (multi-document streams and `kind: List`), keeps the line of
//     every field, and decodes Istio specs into the official istio.io/api/networking/v1 types: YAML is
//     turned into JSON with sigs.k8s.io/yaml, each field is checked against the protobuf descriptor (so
//     an unknown field or a string where a number belongs is named by its path), then protojson decodes
//     it strictly. Gateway API HTTPRoutes and ReferenceGrants are decoded the same way into the official
//     sigs.k8s.io/gateway-api/apis/v1 types (checked against the Go types, then decoded with
//     sigs.k8s.io/json as the API server does).
//  2. Validate applies Istio's own validation rules for weights, destinations and matches
//     (istio pkg/config/validation/validation.go), and the HTTPRoute CRD's rules, so that what kubectl
//     apply would reject is rejected. Config.Add stops at the first problem; Config.AddLenient (for
//     `splitsim lint`) leaves bad resources out and returns every problem.
//  3. Translate builds the routing table as istiod would (istio pilot/pkg/networking/core/route/route.go):
//     one route per match block, first match wins, generation stops after a catch-all, zero weights
//     dropped, a single destination takes all traffic, a subset that no DestinationRule defines is
//     answered with 503 (no cluster). When several VirtualServices bound to the mesh claim a host, the
//     one Istio uses is simulated (OrderVirtualServices); VirtualServices bound to a gateway become
//     hosts "HOST@NAMESPACE/GATEWAY", merged per host as Istio's gateway merges them. HTTPRoutes follow
//     the Gateway API (weights default 1, path-separated PathPrefix, precedence order, 500 for invalid
//     backends or no live backend).
package mesh
