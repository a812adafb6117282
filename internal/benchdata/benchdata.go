// Package benchdata writes the generated configurations that splitsim's lint figures are measured
// on (issues 17 and 18), for lint's benchmarks and tests and for bench/gen, which writes them to
// files for bench/lint.sh to time against Istio's analyzers.
package benchdata

import (
	"fmt"
	"io"
)

// VirtualServices writes n VirtualServices (a header rule to v2, then 80/20 between subsets v1
// and v2) with their DestinationRules, spread over 50 namespaces: the input of issue 17's lint
// figures. It returns the first write error.
func VirtualServices(w io.Writer, n int) error { return virtualServices(w, n, 50) }

// VirtualServicesPerNamespace is VirtualServices with each VirtualService and its DestinationRule in
// a namespace of its own: n namespaces, so n sidecar views (lint was quadratic in them).
func VirtualServicesPerNamespace(w io.Writer, n int) error { return virtualServices(w, n, n) }

// virtualServices writes VirtualServices' n VirtualServices over the given number of namespaces.
func virtualServices(w io.Writer, n, namespaces int) error {
	for i := range n {
		if _, err := fmt.Fprintf(w, `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: svc-%[1]d
  namespace: ns-%[2]d
spec:
  hosts:
  - svc-%[1]d
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    route:
    - destination:
        host: svc-%[1]d
        subset: v2
  - route:
    - destination:
        host: svc-%[1]d
        subset: v1
      weight: 80
    - destination:
        host: svc-%[1]d
        subset: v2
      weight: 20
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: svc-%[1]d
  namespace: ns-%[2]d
spec:
  host: svc-%[1]d
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
---
`, i, i%namespaces); err != nil {
			return err
		}
	}
	return nil
}

// OneHost writes n VirtualServices of namespace default that all claim host reviews, each with one
// 70/30 route to subsets v1 and v2 and no DestinationRule: the input of issue 18's lint case (every
// VirtualService conflicts with every other, IST0109). It returns the first write error.
func OneHost(w io.Writer, n int) error {
	for i := range n {
		if _, err := fmt.Fprintf(w, `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs%d
  namespace: default
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 70
    - destination: {host: reviews, subset: v2}
      weight: 30
---
`, i); err != nil {
			return err
		}
	}
	return nil
}
