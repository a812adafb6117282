// Package mesh reads Kubernetes YAML the way kubectl and Istio do and translates it into a sim.Table.
//
//  1. Load splits each file into documents (multi-document streams and `kind: List`), keeps the line of
//     every field, and decodes Istio specs into the official istio.io/api/networking/v1 types: YAML is
//     turned into JSON with sigs.k8s.io/yaml, each field is checked against the protobuf descriptor (so
//     an unknown field or a string where a number belongs is named by its path), then protojson decodes
//     it strictly.
//  2. Validate applies Istio's own validation rules for weights, destinations and matches
//     (istio pkg/config/validation/validation.go), so that what kubectl apply would reject is rejected.
//  3. Translate builds the routing table as istiod would (istio pilot/pkg/networking/core/route/route.go):
//     one route per match block, first match wins, generation stops after a catch-all, zero weights
//     dropped, a single destination takes all traffic, a subset that no DestinationRule defines is
//     answered with 503 (no cluster).
package mesh
