package lint

import (
	"strings"
	"testing"
)

// faultVS is a reviews VirtualService whose one rule has this fault and these destinations.
func faultVS(fault, route string) string {
	return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - fault:
` + fault + `
    route:
` + route + "\n" + dr
}

// SPL015 follows where Envoy applies a fault: the fault filter (envoy
// source/extensions/filters/http/fault/fault_filter.cc, FaultFilter::decodeHeaders) aborts before
// the router picks a weighted cluster, with the share Istio gives it (istio
// pilot/pkg/networking/core/route/route.go TranslateFault, translatePercentToFractionalPercent:
// uint32(value x 10000) per million; an abort without percentage aborts nothing).
func TestFaultAbortOnWeightedSplit(t *testing.T) {
	split := "    - {destination: {host: reviews, subset: v1}, weight: 80}\n    - {destination: {host: reviews, subset: v2}, weight: 20}"
	for _, tc := range []struct {
		name, fault, route string
		want               []string // message parts; nil: no SPL015
	}{
		{"50% abort on an 80/20 split", "      abort: {percentage: {value: 50}, httpStatus: 503}", split,
			[]string{"rule #0 splits by weight (reviews/v1 80, reviews/v2 20)", "aborts 50% of its requests with HTTP 503", "the other 50% only"}},
		{"gRPC abort", "      abort: {percentage: {value: 0.57}, grpcStatus: UNAVAILABLE}", split,
			[]string{"aborts 0.5699% of its requests with gRPC UNAVAILABLE"}},
		{"one destination", "      abort: {percentage: {value: 50}, httpStatus: 503}", "    - {destination: {host: reviews, subset: v1}}", nil},
		{"100/0 is no split", "      abort: {percentage: {value: 50}, httpStatus: 503}",
			"    - {destination: {host: reviews, subset: v1}, weight: 100}\n    - {destination: {host: reviews, subset: v2}, weight: 0}", nil},
		{"no percentage aborts nothing", "      abort: {httpStatus: 503}", split, nil},
		{"a percentage truncated to 0 per million", "      abort: {percentage: {value: 0.00001}, httpStatus: 503}", split, nil},
		{"delay only", "      delay: {percentage: {value: 50}, fixedDelay: 5s}", split, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := findings(lintYAML(t, faultVS(tc.fault, tc.route)), "SPL015")
			if tc.want == nil {
				if len(got) != 0 {
					t.Errorf("unexpected SPL015: %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d SPL015 findings, want 1: %+v", len(got), got)
			}
			f := got[0]
			if f.Severity != "warning" || f.Line != 8 || f.Path != "spec.http[0].fault.abort" {
				t.Errorf("finding at line %d path %s severity %s, want line 8, spec.http[0].fault.abort, warning", f.Line, f.Path, f.Severity)
			}
			for _, w := range tc.want {
				if !strings.Contains(f.Message, w) {
					t.Errorf("message %q lacks %q", f.Message, w)
				}
			}
		})
	}
}

// Kinds splitsim does not read are listed once (SPL016) with their counts; kinds read for context
// (Service, Namespace, Deployment, Pod, Rollout, Canary, scenarios) are not, and neither are
// resources that fail to decode (they have findings of their own).
func TestKindsNotChecked(t *testing.T) {
	const unread = `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: ef}
spec: {}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default}
spec: {}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: pa}
spec: {}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: pb}
spec: {}
`
	const read = `apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1}
spec:
  replicas: 1
  template: {metadata: {labels: {app: reviews}}}
---
apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: reviews}}
---
apiVersion: v1
kind: Namespace
metadata: {name: default}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: ro}
spec: {}
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: c}
spec: {}
` + svc
	t.Run("listed once with counts", func(t *testing.T) {
		got := findings(lintYAML(t, read, unread), "SPL016")
		if len(got) != 1 {
			t.Fatalf("%d SPL016 findings, want 1: %+v", len(got), got)
		}
		f := got[0]
		if f.File != "b.yaml" || f.Line != 2 || f.Resource != "EnvoyFilter default/ef" || f.Severity != "info" {
			t.Errorf("finding %+v: want info at b.yaml:2 on EnvoyFilter default/ef", f)
		}
		want := "not checked: 4 resources of kinds that splitsim does not read: EnvoyFilter (networking.istio.io/v1alpha3) x1, Sidecar (networking.istio.io/v1) x1, PeerAuthentication (security.istio.io/v1) x2."
		if !strings.HasPrefix(f.Message, want) {
			t.Errorf("message %q\nwant prefix %q", f.Message, want)
		}
		for _, k := range []string{"Deployment", "Pod (", "Namespace", "Rollout", "Canary", "Service ("} {
			if strings.Contains(f.Message, k) {
				t.Errorf("message names %s, which splitsim reads: %q", k, f.Message)
			}
		}
	})
	t.Run("only kinds splitsim reads", func(t *testing.T) {
		if got := findings(lintYAML(t, read), "SPL016"); len(got) != 0 {
			t.Errorf("unexpected SPL016: %+v", got)
		}
	})
	t.Run("one resource", func(t *testing.T) {
		got := findings(lintYAML(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"), "SPL016")
		if len(got) != 1 || !strings.HasPrefix(got[0].Message, "not checked: 1 resource of a kind that splitsim does not read: ConfigMap (v1) x1. lint does not look at it") {
			t.Errorf("findings %+v", got)
		}
	})
}
