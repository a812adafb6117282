package scenarios

import (
	"slices"
	"strings"
	"testing"
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
