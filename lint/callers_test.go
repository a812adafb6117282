package lint

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// The argo-rollouts #3383 shape: a 10/90 VirtualService bound only to the ingress gateway, and
// Deployments v1 x3 and v2 x1 behind the Service it routes to.
const gatewayOnly = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demo}
spec:
  hosts: [canary.example.com]
  gateways: [istio-system/public-gateway]
  http:
  - name: primary
    route:
    - {destination: {host: demo, subset: v1}, weight: 10}
    - {destination: {host: demo, subset: v2}, weight: 90}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: demo}
spec:
  host: demo
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: v1
kind: Service
metadata: {name: demo}
spec: {selector: {app: demo}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: demo-v1}
spec: {replicas: 3, template: {metadata: {labels: {app: demo, version: v1}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: demo-v2}
spec: {replicas: 1, template: {metadata: {labels: {app: demo, version: v2}}}}
`

// SPL101: a weighted VirtualService that some in-mesh callers do not get, with what they get
// instead: for a gateway-only binding, the endpoint split by pod count (istio
// pilot/pkg/model/push_context.go VirtualServicesForGateway: a sidecar sees only VirtualServices
// bound to "mesh"); for exportTo, the namespaces it leaves out (push_context.go initVirtualServices).
func TestSplitNotForAllCallers(t *testing.T) {
	exportDot := strings.Replace(vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 50}, {destination: {host: reviews, subset: v2}, weight: 50}]\n"),
		"spec:\n", "spec:\n  exportTo: [\".\"]\n", 1)
	other := "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ratings, namespace: shop}\nspec: {host: ratings}\n"
	for _, tc := range []struct {
		name string
		docs []string
		want []string // in the first SPL101 message; none expected when empty
	}{
		{"gateway only (argo-rollouts #3383)", []string{gatewayOnly},
			[]string{"VirtualService demo splits by weight but is bound to istio-system/public-gateway only",
				"sidecar:default get v1 75.000%, v2 25.000% by pod count (no route: endpoints of Service default/demo"}},
		{"gateway and mesh", []string{strings.Replace(gatewayOnly, "gateways: [istio-system/public-gateway]", "gateways: [istio-system/public-gateway, mesh]", 1)}, nil},
		{"exportTo leaves a namespace out", []string{exportDot + dr + other},
			[]string{`its exportTo [.] leaves out sidecars in shop`}},
		{"exportTo everywhere", []string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 50}, {destination: {host: reviews, subset: v2}, weight: 50}]\n") + dr + other}, nil},
		{"no split", []string{strings.Replace(gatewayOnly, "weight: 90", "weight: 0", 1)}, nil},
		{"HTTPRoute on a Gateway only", []string{httpRouteSplit("[{name: gw}]")},
			[]string{"HTTPRoute shop splits by weight but is attached to default/gw only", "sidecar:default get demo-v1 100.000% by pod count"}},
		{"HTTPRoute on the Service too", []string{httpRouteSplit("[{name: gw}, {group: \"\", kind: Service, name: demo-v1}]")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := findings(lintYAML(t, tc.docs...), "SPL101")
			if len(tc.want) == 0 {
				if len(got) > 0 {
					t.Fatalf("unexpected %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != result.SeverityWarning {
				t.Fatalf("SPL101 %+v", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got[0].Message, w) {
					t.Errorf("message %q does not contain %q", got[0].Message, w)
				}
			}
		})
	}
}

// httpRouteSplit is an HTTPRoute with the given parentRefs splitting 50/50 between Services demo-v1
// and demo-v2, whose pods the inputs give.
func httpRouteSplit(parents string) string {
	return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop}
spec:
  parentRefs: ` + parents + `
  rules:
  - backendRefs: [{name: demo-v1, port: 80}, {name: demo-v2, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: demo-v1}
spec: {selector: {app: demo, version: v1}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: demo-v2}
spec: {selector: {app: demo, version: v2}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: demo-v1}
spec: {replicas: 3, template: {metadata: {labels: {app: demo, version: v1}}}}
`
}

// IST0109 as Istio's analyzer scopes it (pkg/config/analysis/analyzers/virtualservice/
// conflictingmeshgatewayhosts.go): hosts conflict within one export scope, a namespace scope also
// conflicts with overlapping hosts exported everywhere (wildcards too), VirtualServices bound to a
// gateway only never conflict here.
func TestMeshHostConflictScopes(t *testing.T) {
	vsIn := func(name, ns, hosts, extra string) string {
		return "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec:\n  hosts: " + hosts + "\n" + extra +
			"  http:\n  - route: [{destination: {host: reviews.default.svc.cluster.local}}]\n"
	}
	for _, tc := range []struct {
		name string
		docs string
		want string // the host in the message; "" for no conflict
	}{
		{"same host everywhere", vsIn("a", "default", "[reviews]", "") + vsIn("b", "default", "[reviews]", ""), "*/reviews.default.svc.cluster.local"},
		{"same short name, other namespaces", vsIn("a", "x", "[reviews]", "") + vsIn("b", "y", "[reviews]", ""), ""},
		{"private in different namespaces", vsIn("a", "x", "[r.example.com]", "  exportTo: [\".\"]\n") + vsIn("b", "y", "[r.example.com]", "  exportTo: [\".\"]\n"), ""},
		{"private and public", vsIn("a", "x", "[r.example.com]", "  exportTo: [\".\"]\n") + vsIn("b", "y", "[r.example.com]", ""), "x/r.example.com"},
		{"private and public wildcard", vsIn("a", "x", "[r.example.com]", "  exportTo: [\".\"]\n") + vsIn("b", "y", "[\"*.example.com\"]", ""), "x/r.example.com"},
		{"public wildcard and public host", vsIn("a", "x", "[r.example.com]", "") + vsIn("b", "y", "[\"*.example.com\"]", ""), ""},
		{"gateway only", vsIn("a", "default", "[reviews]", "  gateways: [gw]\n") + vsIn("b", "default", "[reviews]", ""), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := findings(lintYAML(t, tc.docs), "IST0109")
			if tc.want == "" {
				if len(got) > 0 {
					t.Fatalf("unexpected %+v", got)
				}
				return
			}
			if len(got) != 2 || !strings.Contains(got[0].Message, "define the same host "+tc.want+" ") {
				t.Fatalf("IST0109 %+v", got)
			}
		})
	}
}

// A rule hidden by a catch-all that only some callers have (a match on sourceLabels) is used by the
// others: no IST0130 (istio pilot/pkg/networking/core/route/route.go sourceMatchHTTP drops the match
// for callers without the labels).
func TestUnreachableOnlyForSomeCallers(t *testing.T) {
	deploy := "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: frontend}\nspec: {template: {metadata: {labels: {app: frontend}}}}\n"
	cfg := vsHTTP("reviews", "  - match: [{sourceLabels: {app: frontend}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n"+catchAll) + dr + deploy
	if got := findings(lintYAML(t, cfg), "IST0130"); len(got) > 0 {
		t.Fatalf("IST0130 for a rule other callers use: %+v", got)
	}
	cfg = vsHTTP("reviews", catchAll+"  - match: [{sourceLabels: {app: frontend}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n") + dr + deploy
	if got := findings(lintYAML(t, cfg), "IST0130"); len(got) != 1 {
		t.Fatalf("want IST0130 for a rule after a catch-all, got %+v", got)
	}
}

// globalClaims finds the hosts claimed in every namespace that overlap a host claimed in one
// namespace, as the pairwise scan of Istio's ConflictingMeshGatewayHostsAnalyzer (istio
// pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go, Analyze: every
// exported-to-all host that host.Name.Matches) finds them, in claim order.
func TestGlobalClaims(t *testing.T) {
	order := []string{"*/a.shop.svc.cluster.local", "ns/a.shop.svc.cluster.local", "*/*.shop.svc.cluster.local", "*/b.shop.svc.cluster.local",
		"*/*.svc.cluster.local", "*/*", "*/example.com", "*/*ample.com", "*/www.example.com", "other/*.example.com"}
	g := newGlobalClaims(order)
	for _, fqdn := range []string{"a.shop.svc.cluster.local", "b.shop.svc.cluster.local", "c.shop.svc.cluster.local", "*.shop.svc.cluster.local",
		"*.svc.cluster.local", "*.cluster.local", "*", "example.com", "www.example.com", "*.example.com", "*ample.com", "*mple.com", "x.org", "*.org"} {
		t.Run(fqdn, func(t *testing.T) {
			var want []string
			for _, k := range order {
				if scope, h, _ := strings.Cut(k, "/"); scope == "*" && hostMatches(fqdn, h) {
					want = append(want, k)
				}
			}
			if got := g.matching(fqdn); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("matching(%q) = %v, want %v", fqdn, got, want)
			}
		})
	}
}

// IST0109 names the conflicting VirtualServices as Istio's ConflictingMeshGatewayHostsAnalyzer does
// (istio pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go, Analyze:
// combineResourceEntryNames joins every name with ",") up to maxConflictNames of them; past that a
// message names the first ones and says how many there are in all (issue 18: 10^4 VirtualServices
// for one host gave 10^4 messages of 10^4 names each).
func TestConflictNamesBounded(t *testing.T) {
	vs := func(i int) string {
		return fmt.Sprintf("---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs%02d}\nspec:\n  hosts: [reviews]\n  http:\n  - route: [{destination: {host: reviews}}]\n", i)
	}
	names := func(n int) string {
		var s []string
		for i := range n {
			s = append(s, fmt.Sprintf("default/vs%02d", i))
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		n    int
		list string
	}{
		{2, names(2)},
		{maxConflictNames, names(maxConflictNames)},
		{maxConflictNames + 1, names(maxConflictNames) + " and 1 more (11 in all)"},
		{25, names(maxConflictNames) + " and 15 more (25 in all)"},
	} {
		t.Run(strconv.Itoa(tc.n), func(t *testing.T) {
			var docs strings.Builder
			for i := range tc.n {
				docs.WriteString(vs(i))
			}
			got := findings(lintYAML(t, docs.String()), "IST0109")
			if len(got) != tc.n {
				t.Fatalf("%d IST0109 findings, want %d", len(got), tc.n)
			}
			want := "The VirtualServices " + tc.list + " associated with mesh gateway define the same host */reviews.default.svc.cluster.local which can lead to undefined behavior."
			for _, f := range got {
				if !strings.HasPrefix(f.Message, want) {
					t.Fatalf("message %q\nwant it to start with %q", f.Message, want)
				}
			}
		})
	}
}
