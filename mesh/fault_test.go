package mesh

import (
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// Fault and mirror percentages as istiod translates them (pilot/pkg/networking/core/route/route.go
// TranslateFault, translatePercentToFractionalPercent, translateIntegerToFractionalPercent,
// MirrorPercent, MirrorPercentByPolicy): a Percent becomes uint32(value × 10000) per million, with the
// float truncation (0.57 → 5699); the deprecated integer fields are per hundred; no abort percentage is
// 0%; a mirror without percentage is 100%, an explicit 0 mirrors nothing.
func TestFaultAndMirrorTranslation(t *testing.T) {
	for _, tc := range []struct {
		name          string
		rule          string
		abort, delay  *sim.Fraction
		status        int
		mirrors       []sim.Fraction
		mirrorCluster string
	}{
		{"abort 50%", "fault: {abort: {percentage: {value: 50}, httpStatus: 503}}", &sim.Fraction{Numerator: 500000, Denominator: 1000000}, nil, 503, nil, ""},
		{"abort 0.57% truncates", "fault: {abort: {percentage: {value: 0.57}, httpStatus: 500}}", &sim.Fraction{Numerator: 5699, Denominator: 1000000}, nil, 500, nil, ""},
		{"abort without percentage", "fault: {abort: {httpStatus: 503}}", &sim.Fraction{Denominator: 100}, nil, 503, nil, ""},
		{"delay with the deprecated percent", "fault: {delay: {percent: 10, fixedDelay: 5s}}", nil, &sim.Fraction{Numerator: 10, Denominator: 100}, 0, nil, ""},
		{"mirrorPercentage 33.33333333", "mirror: {host: reviews, subset: v3}\n    mirrorPercentage: {value: 33.33333333}", nil, nil, 0,
			[]sim.Fraction{{Numerator: 333333, Denominator: 1000000}}, "outbound|9080|v3|reviews.default.svc.cluster.local"},
		{"mirror without percentage", "mirror: {host: reviews, subset: v3}", nil, nil, 0, []sim.Fraction{{Numerator: 100, Denominator: 100}}, ""},
		{"mirror at an explicit 0", "mirror: {host: reviews, subset: v3}\n    mirrorPercentage: {value: 0}", nil, nil, 0, nil, ""},
		{"mirrors each with its percentage", "mirrors: [{destination: {host: reviews, subset: v3}, percentage: {value: 5}}, {destination: {host: reviews, subset: v2}}]", nil, nil, 0,
			[]sim.Fraction{{Numerator: 50000, Denominator: 1000000}, {Numerator: 100, Denominator: 100}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &Config{}
			err := cfg.Add("f.yaml", []byte(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - `+tc.rule+`
    route: [{destination: {host: reviews, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec: {host: reviews, subsets: [{name: v1}, {name: v2}, {name: v3}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews}
spec: {ports: [{port: 9080}]}
`))
			if err != nil {
				t.Fatal(err)
			}
			tr, err := TranslateFrom(cfg, Sidecar("default", nil))
			if err != nil {
				t.Fatal(err)
			}
			a := tr.Table.Hosts[0].Rules[0].Action
			var abort, delay *sim.Fraction
			status := 0
			if a.Fault != nil {
				abort, delay, status = a.Fault.Abort, a.Fault.Delay, a.Fault.AbortStatus
			}
			if !sameFraction(abort, tc.abort) || !sameFraction(delay, tc.delay) || status != tc.status {
				t.Errorf("fault %+v %+v %d, want %+v %+v %d", abort, delay, status, tc.abort, tc.delay, tc.status)
			}
			if len(a.Mirrors) != len(tc.mirrors) {
				t.Fatalf("mirrors %+v, want %+v", a.Mirrors, tc.mirrors)
			}
			for i, m := range a.Mirrors {
				if m.Fraction != tc.mirrors[i] {
					t.Errorf("mirror %d: %+v, want %+v", i, m.Fraction, tc.mirrors[i])
				}
			}
			if tc.mirrorCluster != "" && a.Mirrors[0].Cluster != tc.mirrorCluster {
				t.Errorf("mirror cluster %s, want %s", a.Mirrors[0].Cluster, tc.mirrorCluster)
			}
		})
	}
}

func sameFraction(a, b *sim.Fraction) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// HTTPRoute RequestMirror filters, as Istio converts them (pilot/pkg/config/kube/gateway
// conversion.go createMirrorFilter, then route.go MirrorPercentByPolicy): a fraction is
// 100 x numerator / denominator percent, a percent is that percent, none is 100%.
func TestHTTPRouteMirrorFilters(t *testing.T) {
	cfg := &Config{}
	err := cfg.Add("m.yaml", []byte(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{kind: Service, group: "", name: reviews}]
  rules:
  - filters:
    - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}, fraction: {numerator: 1, denominator: 3}}}
    - {type: RequestMirror, requestMirror: {backendRef: {name: shadow2, port: 80}, percent: 10}}
    - {type: RequestMirror, requestMirror: {backendRef: {name: shadow3, port: 80}}}
    backendRefs: [{name: reviews, port: 80}]
`))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := TranslateFrom(cfg, Sidecar("default", nil))
	if err != nil {
		t.Fatal(err)
	}
	m := tr.Table.Hosts[0].Rules[0].Action.Mirrors
	want := []sim.Fraction{{Numerator: 333333, Denominator: 1000000}, {Numerator: 100000, Denominator: 1000000}, {Numerator: 100, Denominator: 100}}
	if len(m) != 3 {
		t.Fatalf("mirrors %+v", m)
	}
	for i, w := range want {
		if m[i].Fraction != w {
			t.Errorf("mirror %d: %+v, want %+v", i, m[i].Fraction, w)
		}
	}
}
