package lint

import (
	"strings"
	"testing"
)

// rollout is an Argo Rollout named rollouts-demo whose trafficRouting.istio block is istio (indented
// for its place).
func rollout(istio string, services string) string {
	return `---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: rollouts-demo}
spec:
  strategy:
    canary:
` + services + `      trafficRouting:
        istio:
` + istio + `      steps: [{setWeight: 20}]
`
}

// canaryVS is a VirtualService rollouts-demo-vsvc (namespace ns) for host reviews with http rules.
func canaryVS(name, ns, http string) string {
	return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ` + name + `, namespace: ` + ns + `}
spec:
  hosts: [reviews]
  http:
` + http
}

const (
	stable100canary0 = "    route: [{destination: {host: reviews, subset: stable}, weight: 100}, {destination: {host: reviews, subset: canary}, weight: 0}]\n"
	subsetRouting    = "          virtualService: {name: rollouts-demo-vsvc, routes: [primary]}\n          destinationRule: {name: reviews, canarySubsetName: canary, stableSubsetName: stable}\n"
	drStableCanary   = `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets: [{name: stable}, {name: canary}]
`
)

// A destination at weight 0 whose weight an Argo Rollout or a Flagger Canary of the inputs sets is
// SPL014 (info, naming the manager), not SPL001. Which routes and destinations a Rollout sets follows
// argo-rollouts rollout/trafficrouting/istio/istio.go: the named routes, else the first unnamed one
// (getHttpRouteIndexesToPatch), plus managedRoutes that mirror; in them, destinations whose host up
// to the first dot is canaryService or stableService, or whose subset is canarySubsetName or
// stableSubsetName (processRoutes); "name.namespace" names a VirtualService of another namespace
// (utils/istio GetVirtualServiceNamespaceName). A Flagger Canary (provider istio) manages the
// VirtualService named after its Service, destinations NAME-primary and NAME-canary (flagger
// pkg/router/istio.go reconcileVirtualService).
func TestManagedZeroWeight(t *testing.T) {
	for _, tc := range []struct {
		name    string
		docs    []string
		managed string // SPL014 expected naming this manager; "" means SPL001 expected
	}{
		{"argo subsets, named route",
			[]string{canaryVS("rollouts-demo-vsvc", "default", "  - name: primary\n"+stable100canary0) + drStableCanary + rollout(subsetRouting, "")},
			"Rollout default/rollouts-demo (Argo Rollouts, a.yaml:"},
		{"argo in another file, listed first",
			[]string{rollout(subsetRouting, ""), canaryVS("rollouts-demo-vsvc", "default", "  - name: primary\n"+stable100canary0) + drStableCanary},
			"Rollout default/rollouts-demo"},
		{"argo route not driven",
			[]string{canaryVS("rollouts-demo-vsvc", "default", "  - name: other\n"+stable100canary0+"  - name: primary\n    route: [{destination: {host: reviews, subset: stable}}]\n") + drStableCanary + rollout(subsetRouting, "")},
			""},
		{"argo names another VirtualService",
			[]string{canaryVS("reviews", "default", "  - name: primary\n"+stable100canary0) + drStableCanary + rollout(subsetRouting, "")},
			""},
		{"argo host-level splitting, routes omitted: the first unnamed route",
			[]string{canaryVS("rollouts-demo-vsvc", "default", "  - route: [{destination: {host: reviews-stable.default.svc.cluster.local}, weight: 100}, {destination: {host: reviews-canary}, weight: 0}]\n") +
				rollout("          virtualService: {name: rollouts-demo-vsvc}\n", "      canaryService: reviews-canary\n      stableService: reviews-stable\n")},
			"Rollout default/rollouts-demo"},
		{"argo routes omitted: a later unnamed route is not driven",
			[]string{canaryVS("rollouts-demo-vsvc", "default", "  - match: [{headers: {x: {exact: \"1\"}}}]\n    route: [{destination: {host: reviews-stable}}]\n  - route: [{destination: {host: reviews-stable}, weight: 100}, {destination: {host: reviews-canary}, weight: 0}]\n") +
				rollout("          virtualService: {name: rollouts-demo-vsvc}\n", "      canaryService: reviews-canary\n      stableService: reviews-stable\n")},
			""},
		{"argo virtualServices list, name.namespace",
			[]string{canaryVS("vs-b", "shop", "  - name: primary\n"+stable100canary0) + drStableCanary +
				rollout("          virtualServices: [{name: vs-a, routes: [primary]}, {name: vs-b.shop, routes: [primary]}]\n          destinationRule: {name: reviews, canarySubsetName: canary, stableSubsetName: stable}\n", "")},
			"Rollout default/rollouts-demo"},

		{"flagger",
			[]string{strings.Replace(canaryVS("podinfo", "test", "  - route: [{destination: {host: podinfo-primary}, weight: 100}, {destination: {host: podinfo-canary}, weight: 0}]\n"), "hosts: [reviews]", "hosts: [podinfo]", 1) + `---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo, namespace: test}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
  analysis: {interval: 1m, maxWeight: 50, stepWeight: 10}
`},
			"Canary test/podinfo (Flagger, a.yaml:"},
		{"flagger with another provider",
			[]string{strings.Replace(canaryVS("podinfo", "test", "  - route: [{destination: {host: podinfo-primary}, weight: 100}, {destination: {host: podinfo-canary}, weight: 0}]\n"), "hosts: [reviews]", "hosts: [podinfo]", 1) + `---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo, namespace: test}
spec:
  provider: gloo
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
`},
			""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lintYAML(t, tc.docs...)
			spl001, spl014 := findings(r, "SPL001"), findings(r, "SPL014")
			if tc.managed == "" {
				if len(spl001) != 1 || len(spl014) != 0 {
					t.Fatalf("want one SPL001 and no SPL014; got %+v", r.Findings)
				}
				return
			}
			if len(spl001) != 0 || len(spl014) != 1 {
				t.Fatalf("want one SPL014 and no SPL001; got %+v", r.Findings)
			}
			if !strings.Contains(spl014[0].Message, tc.managed) || !strings.Contains(spl014[0].Message, "has weight 0") {
				t.Errorf("message %q does not name %q", spl014[0].Message, tc.managed)
			}
		})
	}
}

// In a route a Rollout drives, a zero-weight destination that is neither its canary nor its stable
// one is not the Rollout's (processRoutes would even delete it): SPL001 for it, SPL014 for the
// canary.
func TestManagedOnlyCanaryAndStable(t *testing.T) {
	r := lintYAML(t, canaryVS("rollouts-demo-vsvc", "default", "  - name: primary\n    route: [{destination: {host: reviews, subset: stable}, weight: 100}, {destination: {host: reviews, subset: canary}, weight: 0}, {destination: {host: reviews, subset: preview}, weight: 0}]\n")+
		drStableCanary+rollout(subsetRouting, ""))
	spl001, spl014 := findings(r, "SPL001"), findings(r, "SPL014")
	if len(spl001) != 1 || spl001[0].Path != "spec.http[0].route[2].weight" || len(spl014) != 1 || spl014[0].Path != "spec.http[0].route[1].weight" {
		t.Fatalf("SPL001 %+v\nSPL014 %+v", spl001, spl014)
	}
}
