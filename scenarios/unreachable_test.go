package scenarios

import (
	"slices"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/mesh"
)

// A rule shadowed by an earlier catch-all is warned of under run's verdict whether the traffic is
// the scenario's classes or synthesized per rule (istio pilot route.go
// BuildHTTPRoutesForVirtualService stops at the first catch-all; istioctl analyze IST0130).
func TestUnreachableRuleWarnedWithScenarioTraffic(t *testing.T) {
	in, err := Load([]string{"testdata/failing/shadowed-header-route.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Simulate(in, SimOptions{Requests: 10_000, Seed: 1, Alpha: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	want := "host reviews rule jason is unreachable: an earlier catch-all rule takes every request (istioctl analyze: IST0130)"
	if !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.HasSuffix(w, want) }) {
		t.Errorf("warnings %q lack %q", r.Warnings, want)
	}
}

// A rule hidden only because an earlier rule's sourceLabels match holds for this caller is not
// Istio's IST0130 (the analyzer reports a rule no caller reaches; other callers reach this one):
// run says which caller does not reach it and why (pilot route.go sourceMatchHTTP drops the
// sourceLabels condition for a matching proxy, leaving a catch-all route).
func TestRuleHiddenByTheCallersLabelsIsNotIST0130(t *testing.T) {
	yaml := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: svc, namespace: a}
spec:
  hosts: [svc]
  http:
  - name: testers
    match: [{sourceLabels: {app: tester}}]
    route: [{destination: {host: svc, subset: v2}}]
  - name: default
    route: [{destination: {host: svc, subset: v1}}]
`
	for _, tc := range []struct {
		caller, want string
	}{
		{"sidecar:a:app=tester", "rule default is not reached by sidecar:a:app=tester: rule testers takes every request of this caller (its match on sourceLabels app=tester holds for it)"},
		{"sidecar:a:app=other", ""},
	} {
		t.Run(tc.caller, func(t *testing.T) {
			from, err := mesh.ParseCaller(tc.caller)
			if err != nil {
				t.Fatal(err)
			}
			r := simulateYAML(t, yaml, &from, 1000)
			ist0130 := slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, "(istioctl analyze: IST0130)") })
			has := tc.want != "" && slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.HasSuffix(w, tc.want) })
			if ist0130 || has != (tc.want != "") {
				t.Errorf("warnings %q; want no IST0130 and %q", r.Warnings, tc.want)
			}
		})
	}
}
