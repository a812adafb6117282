package mesh

import (
	"strings"
	"testing"

	"github.com/splitsim/splitsim/sim"
)

func mustTranslate(t *testing.T, yamlText string) *Translation {
	t.Helper()
	c := &Config{}
	if err := c.Add("test.yaml", []byte(yamlText)); err != nil {
		t.Fatal(err)
	}
	tr, err := Translate(c)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

const drReviews = `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets: [{name: v1}, {name: v2}, {name: v3}]
`

func vs(http string) string {
	return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
` + http + drReviews
}

func envoyWeights(a sim.Action) []uint32 {
	var w []uint32
	for _, d := range a.Destinations {
		w = append(w, d.EnvoyWeight)
	}
	return w
}

// Weighted destinations as Istio passes them to Envoy, following istio
// pilot/pkg/networking/core/route/route.go, applyHTTPRouteDestination.
func TestTranslateWeights(t *testing.T) {
	for _, tc := range []struct {
		name   string
		http   string
		envoy  []uint32
		shares []float64
	}{
		{"single destination takes 100% whatever its weight",
			`  - route: [{destination: {host: reviews, subset: v1}, weight: 5}]`, []uint32{1}, []float64{1}},
		{"single destination without weight",
			`  - route: [{destination: {host: reviews, subset: v1}}]`, []uint32{1}, []float64{1}},
		{"weight-0 entries dropped when there are two or more",
			`  - route: [{destination: {host: reviews, subset: v1}, weight: 100}, {destination: {host: reviews, subset: v2}, weight: 0}]`,
			[]uint32{100, 0}, []float64{1, 0}},
		{"weights not summing to 100 are proportions",
			`  - route: [{destination: {host: reviews, subset: v1}, weight: 1}, {destination: {host: reviews, subset: v2}, weight: 2}, {destination: {host: reviews, subset: v3}, weight: 3}]`,
			[]uint32{1, 2, 3}, []float64{1.0 / 6, 2.0 / 6, 3.0 / 6}},
		{"duplicates kept as separate entries",
			`  - route: [{destination: {host: reviews, subset: v1}, weight: 30}, {destination: {host: reviews, subset: v2}, weight: 40}, {destination: {host: reviews, subset: v1}, weight: 30}]`,
			[]uint32{30, 40, 30}, []float64{0.3, 0.4, 0.3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := mustTranslate(t, vs(tc.http))
			a := tr.Table.Hosts[0].Rules[0].Action
			got := envoyWeights(a)
			if len(got) != len(tc.envoy) {
				t.Fatalf("envoy weights %v, want %v", got, tc.envoy)
			}
			for i := range got {
				if got[i] != tc.envoy[i] {
					t.Fatalf("envoy weights %v, want %v", got, tc.envoy)
				}
			}
			sh := a.Shares()
			for i := range sh {
				if d := sh[i] - tc.shares[i]; d > 1e-15 || d < -1e-15 {
					t.Fatalf("shares %v, want %v", sh, tc.shares)
				}
			}
		})
	}
}

// Rule order and catch-alls as istio route.go has them: BuildHTTPRoutesForVirtualService
// (one route per match block, stop after the first catch-all) and IsCatchAllRoute.
func TestTranslateRouteOrderAndCatchAll(t *testing.T) {
	tr := mustTranslate(t, vs(`
  - name: api
    match: [{uri: {prefix: /api}}, {headers: {x-canary: {exact: "true"}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - name: root
    match: [{uri: {prefix: /}}, {uri: {exact: /never}}]
    route: [{destination: {host: reviews, subset: v1}}]
  - name: after
    route: [{destination: {host: reviews, subset: v3}}]
`))
	h := tr.Table.Hosts[0]
	if len(h.Routes) != 3 {
		t.Fatalf("got %d routes, want 3 (two blocks of api, then the catch-all prefix / of root)", len(h.Routes))
	}
	if h.Routes[2].Rule != 1 || h.Routes[2].MatchIndex != 0 {
		t.Fatalf("third route = %+v, want rule 1 match 0", h.Routes[2])
	}
	if !h.Rules[2].Unreachable || h.Rules[1].Unreachable {
		t.Fatal("the rule after the catch-all must be unreachable, and only it")
	}
	for _, tc := range []struct {
		req  sim.Request
		rule int
	}{
		{sim.Request{Path: "/api/v1"}, 0},
		{sim.Request{Path: "/web", Headers: map[string]string{"x-canary": "true"}}, 0},
		{sim.Request{Path: "/web"}, 1},
		{sim.Request{Path: "/never"}, 1},
	} {
		t.Run(tc.req.Path, func(t *testing.T) {
			if r := h.Route(&tc.req); r < 0 || h.Routes[r].Rule != tc.rule {
				t.Errorf("%+v went to route %d, want rule %d", tc.req, r, tc.rule)
			}
		})
	}
}

// A request that matches no rule gets no route (Envoy 404, flag NR): there is no fallback.
func TestTranslateNoFallbackRoute(t *testing.T) {
	tr := mustTranslate(t, vs(`
  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: reviews, subset: v1}}]
`))
	req := sim.Request{Path: "/other"}
	if r := tr.Table.Hosts[0].Route(&req); r != -1 {
		t.Fatalf("route %d, want -1 (404)", r)
	}
}

// A subset that no DestinationRule defines has no cluster: its share gets 503 (flag NC), as
// istioctl analyze IST0101 warns.
func TestTranslateMissingSubsetIs503(t *testing.T) {
	tr := mustTranslate(t, vs(`
  - route: [{destination: {host: reviews, subset: v1}, weight: 90}, {destination: {host: reviews, subset: v4}, weight: 10}]
`))
	ds := tr.Table.Hosts[0].Rules[0].Action.Destinations
	if ds[0].Status != 200 || ds[1].Status != 503 || ds[1].Flag != "NC" {
		t.Fatalf("statuses %d %d %q, want 200 503 NC", ds[0].Status, ds[1].Status, ds[1].Flag)
	}
	if len(tr.Warnings) != 1 || !strings.Contains(tr.Warnings[0], `subset "v4"`) {
		t.Fatalf("warnings %q", tr.Warnings)
	}
}

// Redirect and directResponse have no destination. Istio action precedence: redirect, then
// directResponse, then route (route.go TranslateRoute). A route whose delegate is not among the
// inputs is dropped with a warning, as istiod drops it (pilot/pkg/model/virtualservice.go
// mergeVirtualServicesIfNeeded: "delegate virtual service not found").
func TestTranslateNonForwardActions(t *testing.T) {
	tr := mustTranslate(t, vs(`
  - match: [{uri: {prefix: /old}}]
    redirect: {uri: /new, redirectCode: 308}
  - match: [{uri: {prefix: /down}}]
    directResponse: {status: 503}
  - match: [{uri: {prefix: /team}}]
    delegate: {name: team-routes}
  - route: [{destination: {host: reviews, subset: v1}}]
`))
	rules := tr.Table.Hosts[0].Rules
	want := []struct {
		kind   sim.ActionKind
		status int
	}{{sim.Redirect, 308}, {sim.DirectResponse, 503}, {sim.Forward, 0}}
	if len(rules) != len(want) {
		t.Fatalf("%d rules, want %d (the delegate route dropped)", len(rules), len(want))
	}
	for i, w := range want {
		if rules[i].Action.Kind != w.kind || rules[i].Action.Status != w.status {
			t.Errorf("rule %d: %v %d, want %v %d", i, rules[i].Action.Kind, rules[i].Action.Status, w.kind, w.status)
		}
	}
	if len(tr.Warnings) != 1 || !strings.Contains(tr.Warnings[0], "delegate") {
		t.Fatalf("want one delegate warning, got %q", tr.Warnings)
	}
}

// Cluster names follow model.BuildSubsetKey: outbound|port|subset|fqdn, the port from the destination
// or the Service's only port; short names expand in the VirtualService's namespace.
func TestTranslateClusterNames(t *testing.T) {
	tr := mustTranslate(t, `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: bookinfo}
spec: {ports: [{port: 9080}]}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: reviews, namespace: bookinfo}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 50}
    - {destination: {host: ratings.other.svc.cluster.local, port: {number: 8080}}, weight: 50}
`)
	ds := tr.Table.Hosts[0].Rules[0].Action.Destinations
	if ds[0].Cluster != "outbound|9080|v1|reviews.bookinfo.svc.cluster.local" {
		t.Errorf("cluster %q", ds[0].Cluster)
	}
	if ds[1].Cluster != "outbound|8080||ratings.other.svc.cluster.local" {
		t.Errorf("cluster %q", ds[1].Cluster)
	}
}

// Header, query, method and URI matching as Istio translates them (route.go TranslateRouteMatch,
// TranslateHeaderMatcher; regex is an RE2 full match, envoy source/common/common/regex.h).
func TestTranslateMatchSemantics(t *testing.T) {
	tr := mustTranslate(t, vs(`
  - match:
    - uri: {regex: "/items/[0-9]+"}
      method: {exact: GET}
      headers:
        x-group: {prefix: beta}
        x-any: {}
      withoutHeaders:
        x-block: {exact: "yes"}
      queryParams:
        v: {exact: "2"}
    route: [{destination: {host: reviews, subset: v2}}]
  - match: [{uri: {prefix: /CASE}, ignoreUriCase: true}]
    route: [{destination: {host: reviews, subset: v3}}]
`))
	h := tr.Table.Hosts[0]
	ok := func(req sim.Request) sim.Request {
		if req.Headers == nil {
			req.Headers = map[string]string{}
		}
		if req.Query == nil {
			req.Query = map[string]string{}
		}
		return req
	}
	base := func() sim.Request {
		return ok(sim.Request{Method: "GET", Path: "/items/42", Headers: map[string]string{"x-group": "beta-users", "x-any": ""}, Query: map[string]string{"v": "2"}})
	}
	for _, tc := range []struct {
		name  string
		edit  func(r *sim.Request)
		route int
	}{
		{"all conditions hold", func(r *sim.Request) {}, 0},
		{"regex is a full match, not a search", func(r *sim.Request) { r.Path = "/items/42/x" }, -1},
		{"method differs", func(r *sim.Request) { r.Method = "POST" }, -1},
		{"header prefix fails", func(r *sim.Request) { r.Headers["x-group"] = "alpha" }, -1},
		{"present header missing", func(r *sim.Request) { delete(r.Headers, "x-any") }, -1},
		{"withoutHeaders value present", func(r *sim.Request) { r.Headers["x-block"] = "yes" }, -1},
		{"withoutHeaders other value", func(r *sim.Request) { r.Headers["x-block"] = "no" }, 0},
		{"query value differs", func(r *sim.Request) { r.Query["v"] = "3" }, -1},
		{"ignoreUriCase prefix", func(r *sim.Request) { *r = ok(sim.Request{Path: "/case/x"}) }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := base()
			tc.edit(&req)
			if got := h.Route(&req); got != tc.route {
				t.Errorf("%s: route %d, want %d", tc.name, got, tc.route)
			}
		})
	}
}

func TestLoadKindList(t *testing.T) {
	c := &Config{}
	err := c.Add("list.yaml", []byte(`apiVersion: v1
kind: List
items:
- apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: a}
  spec: {hosts: [a], http: [{route: [{destination: {host: a}}]}]}
- apiVersion: networking.istio.io/v1alpha3
  kind: DestinationRule
  metadata: {name: a}
  spec: {host: a, subsets: [{name: v1}]}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: a}
- apiVersion: batch/v1
  kind: Job
  metadata: {name: a}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.VirtualServices) != 1 || len(c.DestinationRules) != 1 || len(c.Workloads) != 1 || len(c.Others) != 1 {
		t.Fatalf("got %d VS, %d DR, %d workloads, %d others", len(c.VirtualServices), len(c.DestinationRules), len(c.Workloads), len(c.Others))
	}
	if c.Others[0].Doc != "document 1, item 4" {
		t.Fatalf("doc name %q", c.Others[0].Doc)
	}
}
