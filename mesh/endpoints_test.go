package mesh

import (
	"fmt"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// workload is a workload document of reviews pods: kind is Deployment, StatefulSet, ReplicaSet or
// Rollout; labels are the pod labels ("{app: reviews, version: v1}"); replicas "" leaves
// spec.replicas out; meta holds extra metadata lines.
func workload(kind, ns, name, labels, replicas, meta string) string {
	api := "apps/v1"
	if kind == "Rollout" {
		api = "argoproj.io/v1alpha1"
	}
	r := ""
	if replicas != "" {
		r = "  replicas: " + replicas + "\n"
	}
	return `apiVersion: ` + api + `
kind: ` + kind + `
metadata:
  name: ` + name + `
  namespace: ` + ns + `
` + meta + `spec:
` + r + `  template:
    metadata:
      labels: ` + labels + `
`
}

// pod is a Pod with the given labels.
func pod(ns, name, labels, meta string) string {
	return `apiVersion: v1
kind: Pod
metadata:
  name: ` + name + `
  namespace: ` + ns + `
  labels: ` + labels + `
` + meta + `spec:
  containers: [{name: app, image: app}]
`
}

// ownedBy is an ownerReferences metadata line.
func ownedBy(kind, name string) string {
	return "  ownerReferences: [{apiVersion: apps/v1, kind: " + kind + ", name: " + name + ", uid: u, controller: true}]\n"
}

const (
	v1Labels = "{app: reviews, version: v1}"
	v2Labels = "{app: reviews, version: v2}"
)

// groups is "NAME:WEIGHT" for each destination of the endpoints host of reviews.NS, or nil when
// the table has no host for it.
func groups(t *testing.T, tr *Translation, ns string) []string {
	t.Helper()
	h := tr.Table.Lookup("reviews." + ns + ".svc.cluster.local")
	if h == nil {
		return nil
	}
	if len(h.Rules) != 1 || !h.Rules[0].Action.Endpoints {
		t.Fatalf("host %s is decided by %s, want endpoints", h.Name, h.DecidedBy)
	}
	var out []string
	for _, d := range h.Rules[0].Action.Destinations {
		if d.Weight != int32(d.EnvoyWeight) {
			t.Fatalf("%s: weight %d, Envoy weight %d: both are the pod count", d.Endpoints, d.Weight, d.EnvoyWeight)
		}
		out = append(out, fmt.Sprintf("%s:%d", d.Endpoints, d.EnvoyWeight))
	}
	return out
}

// A sidecar that no route applies to for a Service sends requests to the Service's cluster, and
// the load balancer (ROUND_ROBIN or LEAST_REQUEST, equal endpoint weights) spreads them evenly over
// its endpoints: the ready pods its selector matches (Kubernetes EndpointSlice controller; istio
// pilot/pkg/networking/core/httproute.go BuildSidecarOutboundVirtualHosts gives such a Service a
// default route to its cluster). Each group of pods gets its pod count as weight; a group is named
// by the first subset of the DestinationRule the caller uses whose labels select its pods
// (labels.Instance.SubsetOf), else by its workload. A Pod is one pod; a workload without
// spec.replicas has one; replicas 0 has none; a Service without selector has no endpoints the inputs
// can give. Where the inputs hold a workload and the ones it owns (a Deployment, its ReplicaSets and
// their Pods, as `kubectl get all` lists them), each pod is counted once, with the top owner
// (metadata.ownerReferences).
func TestEndpointGroups(t *testing.T) {
	dr := func(subsets string) string {
		return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets: ` + subsets + "\n"
	}
	drV1V2 := dr("[{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]")
	svc := service("default", "")
	dep := func(name, labels string, replicas int) string {
		return workload("Deployment", "default", name, labels, fmt.Sprint(replicas), "")
	}
	for _, tc := range []struct {
		name string
		docs []string
		from string // default sidecar:default
		want []string
	}{
		{"grouped by DestinationRule subset",
			[]string{svc, drV1V2, dep("reviews-v1", v1Labels, 3), dep("reviews-v1-canary", "{app: reviews, version: v1, track: canary}", 2), dep("reviews-v2", v2Labels, 1)},
			"", []string{"v1:5", "v2:1"}},
		{"no DestinationRule: by workload",
			[]string{svc, dep("reviews-v1", v1Labels, 3), dep("reviews-v2", v2Labels, 1)},
			"", []string{"reviews-v1:3", "reviews-v2:1"}},
		{"subsets select some pods: workload names for the rest",
			[]string{svc, dr("[{name: v1, labels: {version: v1}}]"), dep("reviews-v1", v1Labels, 3), dep("reviews-v2", v2Labels, 1)},
			"", []string{"v1:3", "reviews-v2:1"}},
		{"the first subset that selects the pods names them",
			[]string{svc, dr("[{name: all, labels: {app: reviews}}, {name: v1, labels: {version: v1}}]"), dep("reviews-v1", v1Labels, 3), dep("reviews-v2", v2Labels, 1)},
			"", []string{"all:4"}},
		{"a subset without labels selects every pod",
			[]string{svc, dr("[{name: any}]"), dep("reviews-v1", v1Labels, 3), dep("reviews-v2", v2Labels, 1)},
			"", []string{"any:4"}},
		{"replicas 0 are no endpoints",
			[]string{svc, drV1V2, dep("reviews-v1", v1Labels, 3), dep("reviews-v2", v2Labels, 0)},
			"", []string{"v1:3"}},
		{"no pods at all: no endpoints host",
			[]string{svc, drV1V2, dep("reviews-v1", v1Labels, 0), dep("reviews-v2", v2Labels, 0)},
			"", nil},
		{"replicas default to 1",
			[]string{svc, drV1V2, workload("Deployment", "default", "reviews-v1", v1Labels, "", ""), dep("reviews-v2", v2Labels, 1)},
			"", []string{"v1:1", "v2:1"}},
		{"a Pod is one pod",
			[]string{svc, drV1V2, dep("reviews-v1", v1Labels, 3), pod("default", "reviews-v2-abc", v2Labels, "")},
			"", []string{"v1:3", "v2:1"}},
		{"StatefulSet, ReplicaSet and Rollout",
			[]string{svc, workload("StatefulSet", "default", "reviews-a", v1Labels, "2", ""),
				workload("ReplicaSet", "default", "reviews-b", v1Labels, "1", ""),
				workload("Rollout", "default", "reviews-c", v2Labels, "5", "")},
			"", []string{"reviews-a:2", "reviews-b:1", "reviews-c:5"}},
		{"workloads of another namespace are not endpoints",
			[]string{svc, drV1V2, dep("reviews-v1", v1Labels, 3), workload("Deployment", "other", "reviews-v2", v2Labels, "1", "")},
			"", []string{"v1:3"}},
		{"pods the selector does not match are not endpoints",
			[]string{svc, drV1V2, dep("reviews-v1", v1Labels, 3), dep("ratings", "{app: ratings, version: v2}", 4)},
			"", []string{"v1:3"}},
		{"a Service without selector: no endpoints host",
			[]string{"apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: default}\nspec: {ports: [{port: 9080}]}\n",
				dep("reviews-v1", v1Labels, 3)},
			"", nil},
		{"a Service whose selector matches no pod: no endpoints host",
			[]string{svc, dep("ratings", "{app: ratings}", 3)},
			"", nil},
		{"a Deployment, its ReplicaSets and their Pods: each pod once",
			[]string{svc, drV1V2,
				dep("reviews-v1", v1Labels, 2),
				workload("ReplicaSet", "default", "reviews-v1-old", "{app: reviews, version: v1, pod-template-hash: old}", "0", ownedBy("Deployment", "reviews-v1")),
				workload("ReplicaSet", "default", "reviews-v1-new", "{app: reviews, version: v1, pod-template-hash: new}", "2", ownedBy("Deployment", "reviews-v1")),
				pod("default", "reviews-v1-new-a", "{app: reviews, version: v1, pod-template-hash: new}", ownedBy("ReplicaSet", "reviews-v1-new")),
				pod("default", "reviews-v1-new-b", "{app: reviews, version: v1, pod-template-hash: new}", ownedBy("ReplicaSet", "reviews-v1-new")),
				dep("reviews-v2", v2Labels, 1),
				workload("ReplicaSet", "default", "reviews-v2-x", "{app: reviews, version: v2, pod-template-hash: x}", "1", ownedBy("Deployment", "reviews-v2"))},
			"", []string{"v1:2", "v2:1"}},
		{"Pods whose ReplicaSet is not in the inputs count themselves",
			[]string{svc, drV1V2,
				pod("default", "reviews-v1-a", v1Labels, ownedBy("ReplicaSet", "reviews-v1-x")),
				pod("default", "reviews-v1-b", v1Labels, ownedBy("ReplicaSet", "reviews-v1-x")),
				pod("default", "reviews-v2-a", v2Labels, ownedBy("ReplicaSet", "reviews-v2-x"))},
			"", []string{"v1:2", "v2:1"}},
		{"a Rollout's ReplicaSets are counted with the Rollout",
			[]string{svc,
				workload("Rollout", "default", "reviews", "{app: reviews}", "4", ""),
				workload("ReplicaSet", "default", "reviews-stable", "{app: reviews, rollouts-pod-template-hash: s}", "3", ownedBy("Rollout", "reviews")),
				workload("ReplicaSet", "default", "reviews-canary", "{app: reviews, rollouts-pod-template-hash: c}", "1", ownedBy("Rollout", "reviews"))},
			"", []string{"reviews:4"}},
		{"a DestinationRule the caller does not see does not name the groups",
			[]string{svc, strings.Replace(drV1V2, "  host: reviews\n", "  host: reviews\n  exportTo: [\".\"]\n", 1), dep("reviews-v1", v1Labels, 3), dep("reviews-v2", v2Labels, 1)},
			"sidecar:other", []string{"reviews-v1:3", "reviews-v2:1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from := tc.from
			if from == "" {
				from = "sidecar:default"
			}
			tr := translateFrom(t, from, tc.docs...)
			if got := groups(t, tr, "default"); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("endpoint groups %v, want %v", got, tc.want)
			}
		})
	}
}

// The endpoints host in full: one rule "endpoints" with no match (a catch-all route), destinations
// to the Service's cluster outbound|PORT||FQDN (model.BuildSubsetKey: the subset names the group, not
// the cluster), shares by pod count, and DecidedBy naming the Service and its workloads. A Service
// of another namespace is named NAME.NAMESPACE (istio pilot/pkg/networking/core/httproute.go
// BuildSidecarOutboundVirtualHosts; a short name resolves in the caller's own namespace).
func TestEndpointsHost(t *testing.T) {
	docs := reviewsApp("a", "")
	for _, tc := range []struct {
		from, name string
	}{
		{"sidecar:a", "reviews"},
		{"sidecar:b", "reviews.a"},
	} {
		t.Run(tc.from, func(t *testing.T) {
			tr := translateFrom(t, tc.from, docs...)
			if len(tr.Table.Hosts) != 1 {
				t.Fatalf("%d hosts, want 1", len(tr.Table.Hosts))
			}
			h := tr.Table.Hosts[0]
			if h.Name != tc.name || h.FQDN != "reviews.a.svc.cluster.local" || h.From != tc.from {
				t.Fatalf("host %q (%s) from %q, want %q", h.Name, h.FQDN, h.From, tc.name)
			}
			if len(h.Routes) != 1 || h.Routes[0].Rule != 0 || h.Routes[0].MatchIndex != -1 || !h.Routes[0].Match.CatchAll() {
				t.Fatalf("routes %+v, want one catch-all route to rule 0", h.Routes)
			}
			r := h.Rules[0]
			if r.Name != "endpoints" || r.Action.Kind != sim.Forward || !r.Action.Endpoints || r.Skipped != "" || r.Unreachable {
				t.Fatalf("rule %+v", r)
			}
			if o := tr.Origins[r]; o.Doc == nil || o.Doc.Kind != "Service" || o.Path != "spec.selector" {
				t.Fatalf("origin %+v, want the Service's spec.selector", o)
			}
			checkShares(t, r.Action, 0.75, 0.25)
			for i, d := range r.Action.Destinations {
				if d.Cluster != "outbound|9080||reviews.a.svc.cluster.local" || d.Port != 9080 || d.Status != 200 || d.Subset != "" {
					t.Errorf("destination %d: %+v", i, d)
				}
			}
			for _, w := range []string{"no route: endpoints of Service a/reviews", "Deployment reviews-v1", "Deployment reviews-v2"} {
				if !strings.Contains(h.DecidedBy, w) {
					t.Errorf("DecidedBy %q, want it to contain %q", h.DecidedBy, w)
				}
			}
			req := sim.Request{Path: "/anything"}
			if h.Route(&req) != 0 {
				t.Errorf("a request takes no route")
			}
		})
	}
}

// The endpoint split is what a sidecar does when no route applies: a VirtualService bound to the
// mesh and visible to the caller takes the host instead, one for another host does not, and a
// gateway has no such default (istio pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig
// builds virtual hosts only from the VirtualServices bound to it).
func TestEndpointsOnlyWhereNoRoute(t *testing.T) {
	other := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: a}
spec:
  hosts: [ratings]
  http: [{route: [{destination: {host: ratings}}]}]
`
	// istiod gives a VirtualService the Services its wildcard host matches, with no default route
	// for them (pilot/pkg/networking/core/route/route.go separateVSHostsAndServices).
	wildcard := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: wild, namespace: a}
spec:
  hosts: ["*.a.svc.cluster.local"]
  http: [{route: [{destination: {host: reviews.a.svc.cluster.local, subset: v2}}]}]
`
	const seesNoEndpoints = "no endpoints host: a wildcard host routes it"
	for _, tc := range []struct {
		name, from string
		docs       []string
		want       string // seesVS, seesEndpoints, seesNothing or seesNoEndpoints
	}{
		{"a VirtualService for the host", "sidecar:a", []string{splitVS("a", "reviews", "", "", 10, 90)}, seesVS},
		{"a VirtualService for another host", "sidecar:a", []string{other}, seesEndpoints},
		{"a VirtualService bound to a gateway only", "sidecar:a", []string{splitVS("a", "reviews", "", "  gateways: [istio-system/gw]\n", 10, 90)}, seesEndpoints},
		{"a VirtualService whose wildcard host matches the Service", "sidecar:a", []string{wildcard}, seesNoEndpoints},
		{"a gateway caller", "gateway:istio-system/gw", nil, seesNothing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := translateFrom(t, tc.from, append(reviewsApp("a", ""), tc.docs...)...)
			if tc.want == seesNoEndpoints {
				for _, h := range tr.Table.Hosts {
					if h.FQDN == "reviews.a.svc.cluster.local" {
						t.Fatalf("host %s decided by %s, want none: the wildcard VirtualService routes reviews.a", h.Name, h.DecidedBy)
					}
				}
				if h := tr.Table.Serve("reviews.a.svc.cluster.local"); h == nil || h.DecidedBy != "VirtualService a/wild" {
					t.Fatalf("reviews.a.svc.cluster.local served by %+v, want VirtualService a/wild", h)
				}
				return
			}
			checkSees(t, tr, tc.want)
		})
	}
}

// An HTTPRoute attached to the Service (GAMMA) is a route too: a producer route (in the Service's
// namespace) for every sidecar, a consumer route for the sidecars of its namespace. A caller it
// applies to has one host for the Service, the route's, and no endpoints host besides it (istiod
// builds one virtual host per Service for a sidecar: pilot/pkg/networking/core/httproute.go
// BuildSidecarOutboundVirtualHosts uses the VirtualService, here the one converted from the route,
// instead of the default route); a caller it does not apply to gets the endpoint split.
func TestEndpointsNotBesideHTTPRoute(t *testing.T) {
	route := func(ns string) string {
		return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews-route, namespace: ` + ns + `}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews, namespace: a, port: 9080}]
  rules: [{backendRefs: [{name: reviews, namespace: a, port: 9080}]}]
`
	}
	for _, tc := range []struct {
		name, routeNS, from string
		byRoute             bool
	}{
		{"a producer route, caller in the Service's namespace", "a", "sidecar:a", true},
		{"a producer route, caller elsewhere", "a", "sidecar:b", true},
		{"a consumer route, caller in its namespace", "b", "sidecar:b", true},
		{"a consumer route, caller elsewhere", "b", "sidecar:a", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := translateFrom(t, tc.from, append(reviewsApp("a", ""), route(tc.routeNS))...)
			var decided []string
			for _, h := range tr.Table.Hosts {
				if h.FQDN == "reviews.a.svc.cluster.local" {
					decided = append(decided, h.DecidedBy)
				}
			}
			want := "no route: endpoints of Service a/reviews"
			if tc.byRoute {
				want = "HTTPRoute " + tc.routeNS + "/reviews-route"
			}
			if len(decided) != 1 || !strings.HasPrefix(decided[0], want) {
				t.Fatalf("hosts for reviews.a decided by %q, want one, decided by %s", decided, want)
			}
		})
	}
}

// A route to a subset whose labels select none of the Service's pods in the inputs gets 503 with
// Envoy's flag UH (the cluster exists but has no healthy endpoints); a subset that the caller's
// DestinationRule does not define has no cluster: 503 NC (istio pilot/pkg/networking/core/cluster.go
// builds one cluster per subset with the endpoints its labels select; envoy
// source/common/router/router.cc answers 503 "no healthy upstream", flag UH, and 503 NC for a missing
// cluster). When the inputs give no pods for the Service, nothing can be said and the subset gets
// 200; a weight-0 destination gets the status but no warning.
func TestSubsetWithoutPods(t *testing.T) {
	dr := `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
`
	vsTo := func(routes string) string {
		return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route: ` + routes + "\n"
	}
	pods := []string{service("default", ""), workload("Deployment", "default", "reviews-v1", v1Labels, "3", ""), workload("Deployment", "default", "reviews-v2", v2Labels, "1", "")}
	for _, tc := range []struct {
		name     string
		docs     []string
		want     []string // STATUS FLAG per destination
		warnings []string
	}{
		{"a subset with pods and one without", append([]string{dr, vsTo("[{destination: {host: reviews, subset: v1}, weight: 50}, {destination: {host: reviews, subset: v3}, weight: 50}]")}, pods...),
			[]string{"200 ", "503 UH"}, []string{`subset "v3" of reviews (labels version=v3) selects none of the Service's pods`, "flag UH"}},
		{"an undefined subset", append([]string{dr, vsTo("[{destination: {host: reviews, subset: v1}, weight: 50}, {destination: {host: reviews, subset: v4}, weight: 50}]")}, pods...),
			[]string{"200 ", "503 NC"}, []string{`subset "v4" of reviews is not defined`, "flag NC"}},
		{"no pods in the inputs: no verdict", []string{dr, vsTo("[{destination: {host: reviews, subset: v1}, weight: 50}, {destination: {host: reviews, subset: v3}, weight: 50}]"), service("default", "")},
			[]string{"200 ", "200 "}, nil},
		{"a weight-0 destination: no warning", append([]string{dr, vsTo("[{destination: {host: reviews, subset: v1}, weight: 100}, {destination: {host: reviews, subset: v3}, weight: 0}]")}, pods...),
			[]string{"200 ", "503 UH"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := translateFrom(t, "sidecar:default", tc.docs...)
			h := lookup(t, tr, "reviews.default.svc.cluster.local")
			var got []string
			for _, d := range h.Rules[0].Action.Destinations {
				got = append(got, fmt.Sprintf("%d %s", d.Status, d.Flag))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("statuses %q, want %q", got, tc.want)
			}
			for _, w := range tc.warnings {
				if !anyContains(tr.Warnings, w) {
					t.Errorf("no warning containing %q; warnings %q", w, tr.Warnings)
				}
			}
			if len(tc.warnings) == 0 && len(tr.Warnings) > 0 {
				t.Errorf("warnings %q, want none", tr.Warnings)
			}
		})
	}
}

// The shape of argo-rollouts issue #3383 ("internal host request route not based on weight but pod
// count"): a VirtualService splitting 10/90 is bound to the ingress gateway only, so requests through
// the gateway follow the weights while in-mesh callers, which no route applies to, are spread over
// the pods, 3 of v1 and 1 of v2 (istio pilot/pkg/model/push_context.go VirtualServicesForGateway: a
// VirtualService applies to the gateways it names; pilot/pkg/networking/core/httproute.go
// BuildSidecarOutboundVirtualHosts for the sidecar's default route).
func TestGatewayOnlyCanary(t *testing.T) {
	docs := []string{
		`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demo, namespace: default}
spec:
  hosts: [demo]
  gateways: [istio-system/gw]
  http:
  - name: primary
    route:
    - {destination: {host: demo, subset: v1}, weight: 10}
    - {destination: {host: demo, subset: v2}, weight: 90}
`,
		`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: demo, namespace: default}
spec:
  host: demo
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
`,
		"apiVersion: v1\nkind: Service\nmetadata: {name: demo, namespace: default}\nspec: {selector: {app: demo}, ports: [{port: 80}]}\n",
		workload("Deployment", "default", "demo-v1", "{app: demo, version: v1}", "3", ""),
		workload("Deployment", "default", "demo-v2", "{app: demo, version: v2}", "1", ""),
	}
	const fqdn = "demo.default.svc.cluster.local"
	t.Run("every caller", func(t *testing.T) {
		tr, err := Translate(mustConfig(t, docs...))
		if err != nil {
			t.Fatal(err)
		}
		var sidecar, gateway *sim.Host
		for _, h := range tr.Table.Hosts {
			switch {
			case h.FQDN != fqdn:
				t.Errorf("unexpected host %s (%s)", h.Name, h.FQDN)
			case h.From == "gateway:istio-system/gw":
				gateway = h
			case strings.HasPrefix(h.From, "sidecar:"):
				if sidecar != nil {
					t.Fatalf("two sidecar views of demo: %s and %s", sidecar.Name, h.Name)
				}
				sidecar = h
			}
		}
		if sidecar == nil || gateway == nil {
			t.Fatalf("sidecar view %v, gateway view %v", sidecar, gateway)
		}
		if sidecar.Name != "demo" || !contains2(sidecar.Callers, "sidecar:default") {
			t.Errorf("sidecar view %q for %v, want demo for sidecar:default", sidecar.Name, sidecar.Callers)
		}
		if !sidecar.Rules[0].Action.Endpoints || sidecar.Rules[0].Name != "endpoints" {
			t.Fatalf("sidecar view decided by %s, want the endpoints", sidecar.DecidedBy)
		}
		checkShares(t, sidecar.Rules[0].Action, 0.75, 0.25)
		if got := strings.Join(endpointNames(sidecar.Rules[0].Action), ","); got != "v1,v2" {
			t.Errorf("groups %s, want v1,v2", got)
		}
		if !strings.HasPrefix(gateway.Name, "demo@") || !strings.Contains(gateway.Name, "istio-system/gw") {
			t.Errorf("gateway view named %q, want demo@...istio-system/gw", gateway.Name)
		}
		if gateway.DecidedBy != "VirtualService default/demo" {
			t.Errorf("gateway view decided by %q", gateway.DecidedBy)
		}
		checkShares(t, gateway.Rules[0].Action, 0.1, 0.9)
		if len(tr.Conflicts) != 0 {
			t.Errorf("conflicts %+v", tr.Conflicts)
		}
	})
	for _, tc := range []struct {
		from      string
		endpoints bool
		shares    []float64
	}{
		{"gateway:istio-system/gw", false, []float64{0.1, 0.9}},
		{"gateway:istio-system/gw:80", false, []float64{0.1, 0.9}},
		{"sidecar:default", true, []float64{0.75, 0.25}},
		{"sidecar:default:app=frontend", true, []float64{0.75, 0.25}},
		{"sidecar:other", true, []float64{0.75, 0.25}},
	} {
		t.Run(tc.from, func(t *testing.T) {
			tr := translateFrom(t, tc.from, docs...)
			if len(tr.Table.Hosts) != 1 {
				t.Fatalf("%d hosts, want 1", len(tr.Table.Hosts))
			}
			h := tr.Table.Hosts[0]
			if h.FQDN != fqdn || h.From != tc.from || h.Rules[0].Action.Endpoints != tc.endpoints {
				t.Fatalf("host %s (%s) from %s decided by %s", h.Name, h.FQDN, h.From, h.DecidedBy)
			}
			checkShares(t, h.Rules[0].Action, tc.shares...)
		})
	}
}

// Selects is a Service selector (every key with the same value; an empty selector selects nothing,
// k8s.io/api core/v1 ServiceSpec.selector); subsetOf is labels.Instance.SubsetOf (istio
// pkg/config/labels: an empty set is a subset of anything).
func TestSelectsAndSubsetOf(t *testing.T) {
	for _, tc := range []struct {
		sel, labels       map[string]string
		selects, subsetOf bool
	}{
		{nil, map[string]string{"app": "a"}, false, true},
		{map[string]string{}, nil, false, true},
		{map[string]string{"app": "a"}, map[string]string{"app": "a"}, true, true},
		{map[string]string{"app": "a"}, map[string]string{"app": "a", "v": "1"}, true, true},
		{map[string]string{"app": "a", "v": "1"}, map[string]string{"app": "a"}, false, false},
		{map[string]string{"app": "a"}, map[string]string{"app": "b"}, false, false},
		{map[string]string{"app": ""}, map[string]string{"app": ""}, true, true},
		{map[string]string{"app": ""}, nil, false, false},
	} {
		t.Run(fmt.Sprintf("%v in %v", tc.sel, tc.labels), func(t *testing.T) {
			if got := Selects(tc.sel, tc.labels); got != tc.selects {
				t.Errorf("Selects = %t, want %t", got, tc.selects)
			}
			if got := subsetOf(tc.sel, tc.labels); got != tc.subsetOf {
				t.Errorf("subsetOf = %t, want %t", got, tc.subsetOf)
			}
		})
	}
}

// Workload documents: the kinds whose pods can be endpoints, by API group, and their replica count
// (apps/v1 DeploymentSpec.replicas defaults to 1; a negative count is invalid).
func TestDecodeWorkload(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		workload  bool
		replicas  int
		labels    string
		err       string
	}{
		{"Deployment", workload("Deployment", "default", "d", v1Labels, "3", ""), true, 3, "app=reviews,version=v1", ""},
		{"Pod labels are its metadata labels", pod("default", "p", v2Labels, ""), true, 1, "app=reviews,version=v2", ""},
		{"Rollout", workload("Rollout", "default", "r", v1Labels, "", ""), true, 1, "app=reviews,version=v1", ""},
		{"a Deployment of another group is no workload", strings.Replace(workload("Deployment", "default", "d", v1Labels, "3", ""), "apps/v1", "example.com/v1", 1), false, 0, "", ""},
		{"a Job is no workload", strings.Replace(workload("Deployment", "default", "d", v1Labels, "3", ""), "kind: Deployment", "kind: Job", 1), false, 0, "", ""},
		{"negative replicas", workload("Deployment", "default", "d", v1Labels, "-1", ""), true, 0, "", "spec.replicas"},
		{"fractional replicas", workload("Deployment", "default", "d", v1Labels, "1.5", ""), true, 0, "", "spec.replicas"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{}
			err := c.Add("test.yaml", []byte(tc.doc))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one about %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.workload {
				if len(c.Workloads) != 0 {
					t.Fatalf("%d workloads, want none", len(c.Workloads))
				}
				return
			}
			if len(c.Workloads) != 1 {
				t.Fatalf("%d workloads, want 1", len(c.Workloads))
			}
			w := c.Workloads[0]
			if w.Replicas != tc.replicas || labelText(w.Labels) != tc.labels {
				t.Fatalf("replicas %d labels %s, want %d %s", w.Replicas, labelText(w.Labels), tc.replicas, tc.labels)
			}
		})
	}
}
