package mesh

import (
	"fmt"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// httpRoute returns an HTTPRoute attached to Gateway "gw" in namespace "web" with the given rules.
func httpRoute(name, extraMeta, rules string) string {
	return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ` + name + `
  namespace: web
` + extraMeta + `spec:
  parentRefs: [{name: gw}]
  hostnames: [shop.example.com]
  rules:
` + rules
}

const shopHost = "shop.example.com@web/gw"

func hostOf(t *testing.T, tr *Translation, name string) *sim.Host {
	t.Helper()
	h := tr.Table.Lookup(name)
	if h == nil {
		var names []string
		for _, x := range tr.Table.Hosts {
			names = append(names, x.Name)
		}
		t.Fatalf("no host %q (hosts %v)", name, names)
	}
	return h
}

// Backend weights as the Gateway API defines them (sigs.k8s.io/gateway-api apis/v1/shared_types.go,
// BackendRef.Weight: default 1, 0 means no traffic; httproute_types.go HTTPRouteRule.BackendRefs: no
// backend with weight above 0 means 500) and as Istio programs them (istio
// pilot/pkg/config/kube/gateway/conversion.go, convertHTTPRoute and buildHTTPDestination: weight-0
// backends dropped, a single remaining backend takes everything).
func TestHTTPRouteWeights(t *testing.T) {
	for _, tc := range []struct {
		name    string
		backend string
		kind    sim.ActionKind
		status  int
		envoy   []uint32
		shares  []float64
	}{
		{"70/30/0 as in the conformance test",
			`[{name: a, port: 80, weight: 70}, {name: b, port: 80, weight: 30}, {name: c, port: 80, weight: 0}]`,
			sim.Forward, 0, []uint32{70, 30, 0}, []float64{0.7, 0.3, 0}},
		{"weights default to 1",
			`[{name: a, port: 80}, {name: b, port: 80}, {name: c, port: 80, weight: 2}]`,
			sim.Forward, 0, []uint32{1, 1, 2}, []float64{0.25, 0.25, 0.5}},
		{"one backend with weight above 0 takes everything",
			`[{name: a, port: 80, weight: 5}, {name: b, port: 80, weight: 0}]`,
			sim.Forward, 0, []uint32{1, 0}, []float64{1, 0}},
		{"all weights 0: every request gets 500",
			`[{name: a, port: 80, weight: 0}, {name: b, port: 80, weight: 0}]`,
			sim.DirectResponse, 500, []uint32{0, 0}, []float64{0, 0}},
		{"weights are not percentages: up to 1,000,000",
			`[{name: a, port: 80, weight: 1000000}, {name: b, port: 80, weight: 1}]`,
			sim.Forward, 0, []uint32{1000000, 1}, []float64{1000000.0 / 1000001, 1.0 / 1000001}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := mustTranslate(t, httpRoute("r", "", "  - backendRefs: "+tc.backend+"\n"))
			a := hostOf(t, tr, shopHost).Rules[0].Action
			if a.Kind != tc.kind || a.Status != tc.status {
				t.Fatalf("action %v %d, want %v %d", a.Kind, a.Status, tc.kind, tc.status)
			}
			if got := envoyWeights(a); fmt.Sprint(got) != fmt.Sprint(tc.envoy) {
				t.Fatalf("envoy weights %v, want %v", got, tc.envoy)
			}
			for i, s := range a.Shares() {
				if d := s - tc.shares[i]; d > 1e-12 || d < -1e-12 {
					t.Fatalf("shares %v, want %v", a.Shares(), tc.shares)
				}
			}
		})
	}
}

// An invalid backendRef keeps its share, which gets 500 (gateway-api apis/v1/httproute_types.go,
// HTTPBackendRef and HTTPRouteRule.BackendRefs; istio conversion.go buildHTTPDestination keeps going
// past invalid backends): an unsupported kind, a Service in another namespace without a ReferenceGrant
// (RefNotPermitted), a Service the inputs do not have when they list Services (BackendNotFound).
func TestHTTPRouteInvalidBackendIs500(t *testing.T) {
	rules := `  - backendRefs:
    - {name: a, port: 80, weight: 50}
    - {name: b, port: 80, weight: 25, namespace: other}
    - {name: c, kind: ConfigMap, group: "", weight: 25}
`
	tr := mustTranslate(t, httpRoute("r", "", rules))
	ds := hostOf(t, tr, shopHost).Rules[0].Action.Destinations
	if ds[0].Status != 200 || ds[1].Status != 500 || ds[2].Status != 500 {
		t.Fatalf("statuses %d %d %d, want 200 500 500", ds[0].Status, ds[1].Status, ds[2].Status)
	}
	if len(tr.Warnings) != 2 || !strings.Contains(tr.Warnings[0], "ReferenceGrant") || !strings.Contains(tr.Warnings[1], "unsupported backendRef") {
		t.Fatalf("warnings %q", tr.Warnings)
	}
	grant := `
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-web, namespace: other}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}]
  to: [{group: "", kind: Service}]
`
	tr = mustTranslate(t, httpRoute("r", "", rules)+grant)
	if ds := hostOf(t, tr, shopHost).Rules[0].Action.Destinations; ds[1].Status != 200 || ds[1].Cluster != "outbound|80||b.other.svc.cluster.local" {
		t.Fatalf("with a ReferenceGrant: %+v", ds[1])
	}
	svc := `
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: web}
spec: {ports: [{port: 80}]}
`
	tr = mustTranslate(t, httpRoute("r", "", "  - backendRefs: [{name: a, port: 80}, {name: missing, port: 80}]\n")+svc)
	if ds := hostOf(t, tr, shopHost).Rules[0].Action.Destinations; ds[0].Status != 200 || ds[1].Status != 500 {
		t.Fatalf("BackendNotFound: statuses %d %d", ds[0].Status, ds[1].Status)
	}
}

// PathPrefix is path-separated: "/a" matches "/a", "/a/" and "/a/b" but not "/ab", and a trailing "/"
// is ignored (gateway-api apis/v1/httproute_types.go, PathMatchPathPrefix; Istio programs Envoy's
// path_separated_prefix). Exact is exact; RegularExpression is an RE2 full match.
func TestHTTPRoutePathMatch(t *testing.T) {
	tr := mustTranslate(t, httpRoute("r", "", `  - matches: [{path: {type: PathPrefix, value: /a}}]
    backendRefs: [{name: a, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /b/}}]
    backendRefs: [{name: b, port: 80}]
  - matches: [{path: {type: Exact, value: /c}}]
    backendRefs: [{name: c, port: 80}]
  - matches: [{path: {type: RegularExpression, value: "/d/[0-9]+"}}]
    backendRefs: [{name: d, port: 80}]
`))
	h := hostOf(t, tr, shopHost)
	for path, want := range map[string]int{
		"/a": 0, "/a/": 0, "/a/x/y": 0, "/ab": -1,
		"/b": 1, "/b/": 1, "/b/z": 1, "/bz": -1,
		"/c": 2, "/c/": -1, "/cc": -1,
		"/d/42": 3, "/d/42/x": -1, "/d/x": -1,
	} {
		req := sim.Request{Path: path}
		got := h.Route(&req)
		if got >= 0 {
			got = h.Routes[got].Rule
		}
		if got != want {
			t.Errorf("path %s went to rule %d, want %d", path, got, want)
		}
	}
}

// Rules are ordered by the Gateway API's precedence, not list order (gateway-api
// apis/v1/httproute_types.go, HTTPRouteRule.Matches: Exact path, longest PathPrefix, method, most
// headers, most query parameters; then the oldest route, then namespace/name; then list order),
// as Istio sorts them (istio pilot/pkg/config/kube/gateway/conversion.go, sortHTTPRoutes and
// sortRoutesByCreationTime).
func TestHTTPRoutePrecedence(t *testing.T) {
	tr := mustTranslate(t, httpRoute("r", "", `  - name: root
    backendRefs: [{name: root, port: 80}]
  - name: api
    matches: [{path: {value: /api}}]
    backendRefs: [{name: api, port: 80}]
  - name: api-v1
    matches: [{path: {value: /api/v1}}]
    backendRefs: [{name: api-v1, port: 80}]
  - name: exact
    matches: [{path: {type: Exact, value: /api}}]
    backendRefs: [{name: exact, port: 80}]
  - name: post
    matches: [{path: {value: /api}, method: POST}]
    backendRefs: [{name: post, port: 80}]
  - name: header
    matches: [{path: {value: /api}, headers: [{name: X-Beta, value: "1"}]}]
    backendRefs: [{name: header, port: 80}]
  - name: two-headers
    matches: [{path: {value: /api}, headers: [{name: x-beta, value: "1"}, {name: x-team, value: a}]}]
    backendRefs: [{name: two-headers, port: 80}]
  - name: query
    matches: [{path: {value: /api}, queryParams: [{name: v, value: "2"}]}]
    backendRefs: [{name: query, port: 80}]
`))
	h := hostOf(t, tr, shopHost)
	for _, tc := range []struct {
		req  sim.Request
		want string
	}{
		{sim.Request{Method: "GET", Path: "/"}, "root"},
		{sim.Request{Method: "GET", Path: "/api"}, "exact"},
		{sim.Request{Method: "GET", Path: "/api/x"}, "api"},
		{sim.Request{Method: "GET", Path: "/api/v1/x"}, "api-v1"},
		{sim.Request{Method: "POST", Path: "/api/x", Headers: map[string]string{"x-beta": "1"}}, "post"},
		{sim.Request{Method: "GET", Path: "/api/x", Headers: map[string]string{"x-beta": "1"}}, "header"},
		{sim.Request{Method: "GET", Path: "/api/x", Headers: map[string]string{"x-beta": "1", "x-team": "a"}}, "two-headers"},
		{sim.Request{Method: "GET", Path: "/api/x", Headers: map[string]string{"x-beta": "1"}, Query: map[string]string{"v": "2"}}, "header"},
		{sim.Request{Method: "GET", Path: "/api/x", Query: map[string]string{"v": "2"}}, "query"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			got := h.Route(&tc.req)
			if got < 0 || h.Rules[h.Routes[got].Rule].Name != tc.want {
				name := "none"
				if got >= 0 {
					name = h.Rules[h.Routes[got].Rule].Name
				}
				t.Errorf("%s %s %v %v: rule %s, want %s", tc.req.Method, tc.req.Path, tc.req.Headers, tc.req.Query, name, tc.want)
			}
		})
	}
	if last := h.Routes[len(h.Routes)-1]; h.Rules[last.Rule].Name != "root" || !last.Match.CatchAll() {
		t.Errorf("the catch-all rule must come last, got %s", h.Rules[last.Rule].Name)
	}
}

// Several HTTPRoutes for one hostname: ties in precedence go to the oldest route, then to
// namespace/name (sortRoutesByCreationTime, istio conversion.go); routes without creationTimestamp
// follow in input order.
func TestHTTPRouteSeveralRoutesPerHost(t *testing.T) {
	older := "  creationTimestamp: \"2024-01-01T00:00:00Z\"\n"
	newer := "  creationTimestamp: \"2024-06-01T00:00:00Z\"\n"
	rule := func(b string) string {
		return "  - matches: [{path: {value: /x}}]\n    backendRefs: [{name: " + b + ", port: 80}]\n"
	}
	for _, tc := range []struct {
		name, docs, want string
	}{
		{"oldest wins whatever the input order", httpRoute("zeta", older, rule("zeta")) + "---\n" + httpRoute("alpha", newer, rule("alpha")), "zeta"},
		{"same time: namespace/name decides", httpRoute("zeta", older, rule("zeta")) + "---\n" + httpRoute("alpha", older, rule("alpha")), "alpha"},
		{"no timestamps: input order", httpRoute("zeta", "", rule("zeta")) + "---\n" + httpRoute("alpha", "", rule("alpha")), "zeta"},
		{"a timestamped route before one without", httpRoute("zeta", "", rule("zeta")) + "---\n" + httpRoute("alpha", newer, rule("alpha")), "alpha"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := hostOf(t, mustTranslate(t, tc.docs), shopHost)
			req := sim.Request{Path: "/x"}
			r := h.Route(&req)
			if r < 0 || h.Rules[h.Routes[r].Rule].Action.Destinations[0].Host != tc.want {
				t.Fatalf("route %d, want the rule of %s", r, tc.want)
			}
			if !strings.HasPrefix(h.Rules[0].Name, tc.want+"/") {
				t.Errorf("rule names %q, %q: want route-qualified names, %s first", h.Rules[0].Name, h.Rules[1].Name, tc.want)
			}
		})
	}
}

// Host names: a Gateway parent gives "hostname@namespace/gateway" (no hostnames: "*"); a Service
// parent (GAMMA) gives the Service's name, as a mesh VirtualService host would be.
func TestHTTPRouteHosts(t *testing.T) {
	tr := mustTranslate(t, `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: web}
spec:
  parentRefs: [{name: gw, namespace: infra}, {name: reviews, kind: Service, group: ""}]
  rules: [{backendRefs: [{name: reviews-v1, port: 9080}]}]
`)
	for _, name := range []string{"*@infra/gw", "reviews"} {
		hostOf(t, tr, name)
	}
	if tr.FQDN["reviews"] != "reviews.web.svc.cluster.local" {
		t.Errorf("FQDN of reviews: %q", tr.FQDN["reviews"])
	}
}

// Bad HTTPRoutes are rejected as the API server would (CRD validation of gateway-api apis/v1), each
// error naming the field and its line.
func TestHTTPRouteErrors(t *testing.T) {
	base := httpRoute("r", "", "  - backendRefs:\n    - name: a\n      port: 80\n      weight: 3\n")
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"unknown field", strings.Replace(base, "weight: 3", "wieght: 3", 1),
			[]string{"bad.yaml:13", "spec.rules[0].backendRefs[0].wieght", `unknown field "wieght" (did you mean "weight"?)`}},
		{"string for a number", strings.Replace(base, "weight: 3", "weight: three", 1),
			[]string{"spec.rules[0].backendRefs[0].weight", "expected an integer"}},
		{"weight above 1,000,000", strings.Replace(base, "weight: 3", "weight: 1000001", 1),
			[]string{"spec.rules[0].backendRefs[0].weight", "should be less than or equal to 1000000"}},
		{"negative weight", strings.Replace(base, "weight: 3", "weight: -1", 1),
			[]string{"spec.rules[0].backendRefs[0].weight", "should be greater than or equal to 0"}},
		{"Service without port", strings.Replace(base, "      port: 80\n", "", 1),
			[]string{"spec.rules[0].backendRefs[0]", "Must have port for Service reference"}},
		{"relative path", strings.Replace(base, "  - backendRefs:", "  - matches: [{path: {value: api}}]\n    backendRefs:", 1),
			[]string{"spec.rules[0].matches[0].path", "must be an absolute path"}},
		{"bad path type", strings.Replace(base, "  - backendRefs:", "  - matches: [{path: {type: Prefix, value: /api}}]\n    backendRefs:", 1),
			[]string{"spec.rules[0].matches[0].path.type", `Unsupported value: "Prefix"`}},
		{"invalid regex", strings.Replace(base, "  - backendRefs:", "  - matches: [{path: {type: RegularExpression, value: \"(\"}}]\n    backendRefs:", 1),
			[]string{"spec.rules[0].matches[0].path.value", "not an RE2 regular expression"}},
		{"unserved version", strings.Replace(base, "gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v2", 1),
			[]string{"apiVersion", "not a served version"}},
		{"bad creationTimestamp", strings.Replace(base, "  namespace: web\n", "  namespace: web\n  creationTimestamp: yesterday\n", 1),
			[]string{"metadata.creationTimestamp", "RFC 3339"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := (&Config{}).Add("bad.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// Native fuzzing of the HTTPRoute parser and its translation: any input gives a table or an error,
// never a panic, and every forward rule has a valid picker.
func FuzzHTTPRoute(f *testing.F) {
	f.Add([]byte(httpRoute("r", "", "  - backendRefs: [{name: a, port: 80, weight: 70}, {name: b, port: 80, weight: 30}, {name: c, port: 80, weight: 0}]\n")))
	f.Add([]byte(httpRoute("r", "", "  - matches: [{path: {type: RegularExpression, value: \"/a.*\"}, headers: [{name: x, type: RegularExpression, value: \"b+\"}], queryParams: [{name: q, value: v}], method: GET}]\n    backendRefs: [{name: a, port: 80}]\n")))
	f.Add([]byte(httpRoute("r", "", "  - filters: [{type: RequestRedirect, requestRedirect: {statusCode: 301}}]\n")))
	f.Add([]byte("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: x}\nspec: {rules: [{backendRefs: [{name: a, port: 1, weight: 0}]}]}\n"))
	f.Add([]byte("apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: g}\nspec: {from: [], to: []}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &Config{}
		if _, err := c.AddLenient("fuzz.yaml", data); err != nil {
			return
		}
		tr, err := Translate(c)
		if err != nil {
			return
		}
		for _, h := range tr.Table.Hosts {
			for _, r := range h.Routes {
				if r.Rule < 0 || r.Rule >= len(h.Rules) {
					t.Fatalf("route points at rule %d of %d", r.Rule, len(h.Rules))
				}
			}
			for _, r := range h.Rules {
				if r.Action.Kind == sim.Forward && len(r.Action.Destinations) > 0 {
					if _, err := r.Action.Picker(); err != nil {
						t.Fatalf("forward rule without a valid picker: %v", err)
					}
				}
			}
		}
	})
}
