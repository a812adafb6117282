package mesh

import (
	"testing"
)

// Host names for one caller: a short host of another namespace is named NAME.NAMESPACE, as that
// caller would have to write it (istio pkg/config/host ResolveShortnameToFQDN resolves a short name in
// the namespace of the resource that names it); a route to a Service not exported to the caller's
// namespace gets 503 NC, the caller's proxy having no cluster for it (push_context.go
// IsServiceVisible).
func TestTranslateFromNamesAndHiddenServices(t *testing.T) {
	cfg := &Config{}
	err := cfg.Add("x.yaml", []byte(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: a}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews}}]
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: a
  annotations: {networking.istio.io/exportTo: "."}
spec: {ports: [{port: 80}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from, host string
		status     int
	}{
		{"sidecar:a", "reviews", 200},
		{"sidecar:b", "reviews.a", 503},
	} {
		t.Run(tc.from, func(t *testing.T) {
			from, _ := ParseCaller(tc.from)
			tr, err := TranslateFrom(cfg, from)
			if err != nil {
				t.Fatal(err)
			}
			if len(tr.Table.Hosts) != 1 || tr.Table.Hosts[0].Name != tc.host || tr.Table.Hosts[0].FQDN != "reviews.a.svc.cluster.local" {
				t.Fatalf("hosts %+v", tr.Table.Hosts)
			}
			if d := tr.Table.Hosts[0].Rules[0].Action.Destinations[0]; d.Status != tc.status {
				t.Errorf("status %d, want %d", d.Status, tc.status)
			}
		})
	}
}

// Two DestinationRules for one host in one namespace: istiod merges their subsets
// (pilot/pkg/model/destination_rule.go mergeDestinationRule), so a subset of the second is defined.
func TestMergedDestinationRuleSubsets(t *testing.T) {
	cfg := &Config{}
	err := cfg.Add("x.yaml", []byte(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews, subset: v1}, weight: 50}, {destination: {host: reviews, subset: v2}, weight: 50}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-v1}
spec: {host: reviews, subsets: [{name: v1}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-v2}
spec: {host: reviews, subsets: [{name: v2}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := TranslateFrom(cfg, Sidecar("default", nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range tr.Table.Hosts[0].Rules[0].Action.Destinations {
		if d.Status != 200 {
			t.Errorf("subset %s: status %d, want 200 (merged rules define it)", d.Subset, d.Status)
		}
	}
}

// A destination host missing from the inputs' Services has no cluster: Envoy answers 503 NC
// (istio pilot/pkg/networking/core/route/route.go: no service for the host, so no cluster; Envoy's
// cluster_not_found_response_code). Without any Service every host is assumed to exist.
func TestMissingServiceIs503(t *testing.T) {
	const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews}, weight: 50}, {destination: {host: ratings}, weight: 50}]
`
	const svc = `---
apiVersion: v1
kind: Service
metadata: {name: reviews}
spec: {ports: [{port: 80}]}
`
	for _, tc := range []struct {
		name   string
		yaml   string
		status int
	}{{"with Services", vs + svc, 503}, {"no Service at all", vs, 200}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &Config{}
			if err := cfg.Add("x.yaml", []byte(tc.yaml)); err != nil {
				t.Fatal(err)
			}
			tr, err := TranslateFrom(cfg, Sidecar("default", nil))
			if err != nil {
				t.Fatal(err)
			}
			d := tr.Table.Hosts[0].Rules[0].Action.Destinations
			if d[0].Status != 200 || d[1].Status != tc.status {
				t.Errorf("statuses %d %d, want 200 %d", d[0].Status, d[1].Status, tc.status)
			}
		})
	}
}
