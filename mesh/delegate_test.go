package mesh

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	networking "istio.io/api/networking/v1"
	"sigs.k8s.io/yaml"

	"github.com/splitsim/splitsim/sim"
)

// A VirtualService without hosts is a delegate, valid as long as it has no gateways, no tcp or tls
// routes and no route that delegates again (istio pkg/config/validation/validation.go
// ValidateVirtualService: isDelegate when len(Hosts) == 0, PILOT_ENABLE_VIRTUAL_SERVICE_DELEGATE
// being on by default; virtualservice.go validateHTTPRouteConflict: "delegate HTTP route cannot contain delegate").
func TestLoadDelegateVirtualService(t *testing.T) {
	for _, tc := range []struct {
		name, doc, err string
	}{
		{"a delegate", delegateVS("default", "d1", "", defaultDelegateRoutes), ""},
		{"with gateways", delegateVS("default", "d1", "  gateways: [gw]\n", defaultDelegateRoutes), "delegate virtual service must have no gateways specified"},
		{"delegating again", delegateVS("default", "d1", "", "  - delegate: {name: d2}\n"), "delegate HTTP route cannot contain delegate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{}
			err := c.Add("test.yaml", []byte(tc.doc))
			switch {
			case tc.err == "" && err != nil:
				t.Fatal(err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			case tc.err == "" && c.delegate("d1", "default") == nil:
				t.Fatalf("delegate not loaded: %d VirtualServices", len(c.VirtualServices))
			}
		})
	}
}

// rootVS is VirtualService reviews in namespace ns for host reviews: http[0] "api" matches prefix
// /api and delegates to delegate; http[1] "rest" sends everything else to v1.
func rootVS(ns, delegate string) string {
	return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: ` + ns + `}
spec:
  hosts: [reviews.default.svc.cluster.local]
  http:
  - name: api
    match: [{uri: {prefix: /api}}]
    delegate: ` + delegate + `
  - name: rest
    route: [{destination: {host: reviews.default.svc.cluster.local, subset: v1}}]
`
}

// delegateVS is a VirtualService without hosts; spec holds extra spec lines (exportTo), routes its
// http list.
func delegateVS(ns, name, spec, routes string) string {
	return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ` + name + `, namespace: ` + ns + `}
spec:
` + spec + `  http:
` + routes
}

const defaultDelegateRoutes = `  - name: v2
    match: [{uri: {prefix: /api/v2}}]
    route:
    - {destination: {host: reviews.default.svc.cluster.local, subset: v1}, weight: 20}
    - {destination: {host: reviews.default.svc.cluster.local, subset: v2}, weight: 80}
  - route: [{destination: {host: reviews.default.svc.cluster.local, subset: v1}}]
`

// ruleSummary is "NAME SUBSET:ENVOYWEIGHT ..." for each rule.
func ruleSummary(h *sim.Host) []string {
	var out []string
	for _, r := range h.Rules {
		s := r.Name
		for _, d := range r.Action.Destinations {
			s += fmt.Sprintf(" %s:%d", d.Subset, d.EnvoyWeight)
		}
		out = append(out, s)
	}
	return out
}

// A route with a delegate is replaced by the delegate's routes, each merged with it: the delegate
// route's matches must each fit inside one of the root route's (and are merged with every one they
// fit), a delegate route without match takes the root route's matches, names join with "-", and a
// delegate route whose matches fit none of the root's is dropped; a delegate that is missing, has
// hosts, or is not exported to the root's namespace drops the root route (istio
// pilot/pkg/model/virtualservice.go mergeVirtualServicesIfNeeded, mergeHTTPRoutes, mergeHTTPRoute,
// mergeHTTPMatchRequests; cases after TestMergeVirtualServices in virtualservice_test.go).
func TestDelegateMerge(t *testing.T) {
	merged := []string{"api-v2 v1:20 v2:80", "api v1:1", "rest v1:1"}
	mergedPaths := map[string]int{"/api/v2/x": 0, "/api/x": 1, "/apiary": 1, "/web": 2}
	onlyRoot := []string{"rest v1:1"}
	onlyRootPaths := map[string]int{"/api/v2/x": 0, "/web": 0}
	for _, tc := range []struct {
		name     string
		docs     []string
		rules    []string
		paths    map[string]int // request path -> rule index
		warnings []string
	}{
		{"delegate in the root's namespace",
			[]string{rootVS("default", "{name: d1}"), delegateVS("default", "d1", "", defaultDelegateRoutes)},
			merged, mergedPaths, nil},
		{"a delegate route conflicting with the root's match is dropped",
			[]string{rootVS("default", "{name: d1}"), delegateVS("default", "d1", "", `  - name: other
    match: [{uri: {prefix: /other}}]
    route: [{destination: {host: reviews.default.svc.cluster.local, subset: v3}}]
`+defaultDelegateRoutes)},
			merged, mergedPaths, []string{"spec.http[0]: its matches conflict with those of the root VirtualService reviews spec.http[0]", "mergeHTTPMatchRequests"}},
		{"a missing delegate drops the root route",
			[]string{rootVS("default", "{name: d1}")},
			onlyRoot, onlyRootPaths, []string{"delegate VirtualService default/d1 is not in the inputs"}},
		{"a VirtualService with hosts is no delegate",
			[]string{rootVS("default", "{name: d1}"), delegateVS("default", "d1", "  hosts: [d1]\n", defaultDelegateRoutes)},
			onlyRoot, onlyRootPaths, []string{"delegate VirtualService default/d1 is not in the inputs (or has hosts)"}},
		{"a delegate in another namespace, exported by default",
			[]string{rootVS("default", "{name: d1, namespace: team}"), delegateVS("team", "d1", "", defaultDelegateRoutes)},
			merged, mergedPaths, nil},
		{"a delegate exported to the root's namespace by name",
			[]string{rootVS("default", "{name: d1, namespace: team}"), delegateVS("team", "d1", "  exportTo: [default]\n", defaultDelegateRoutes)},
			merged, mergedPaths, nil},
		{"a delegate exported to its own namespace only",
			[]string{rootVS("default", "{name: d1, namespace: team}"), delegateVS("team", "d1", "  exportTo: [\".\"]\n", defaultDelegateRoutes)},
			onlyRoot, onlyRootPaths, []string{"delegate VirtualService team/d1 is not exported to namespace default"}},
		{"a delegate exported to '.' in the root's own namespace",
			[]string{rootVS("default", "{name: d1}"), delegateVS("default", "d1", "  exportTo: [\".\"]\n", defaultDelegateRoutes)},
			merged, mergedPaths, nil},
		{"a delegate exported to another namespace",
			[]string{rootVS("default", "{name: d1, namespace: team}"), delegateVS("team", "d1", "  exportTo: [other]\n", defaultDelegateRoutes)},
			onlyRoot, onlyRootPaths, []string{"is not exported to namespace default"}},
		{"the delegate namespace defaults to the root's, not the delegate name's",
			[]string{rootVS("default", "{name: d1}"), delegateVS("team", "d1", "", defaultDelegateRoutes)},
			onlyRoot, onlyRootPaths, []string{"default/d1 is not in the inputs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := TranslateFrom(mustConfig(t, append(tc.docs, drReviews[len("\n---\n"):])...), Sidecar("default", nil))
			if err != nil {
				t.Fatal(err)
			}
			h := lookup(t, tr, "reviews.default.svc.cluster.local")
			if got := ruleSummary(h); strings.Join(got, " | ") != strings.Join(tc.rules, " | ") {
				t.Fatalf("rules %q, want %q", got, tc.rules)
			}
			for path, want := range tc.paths {
				if got := routeRule(t, tr, h.FQDN, sim.Request{Path: path}); got != want {
					t.Errorf("%s goes to rule %d, want %d", path, got, want)
				}
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

// The delegate's rules are written in the delegate: their source is the delegate's document, and
// short host names in them are the delegate's namespace's, as istiod resolves short names of every
// VirtualService in its own namespace before merging (pilot/pkg/model/push_context.go
// initVirtualServices: resolveVirtualServiceShortnames, then mergeVirtualServicesIfNeeded).
func TestDelegateShortNamesAndSource(t *testing.T) {
	docs := []string{
		rootVS("default", "{name: d1, namespace: team}"),
		delegateVS("team", "d1", "", `  - route: [{destination: {host: reviews, subset: v1}}]
`),
		destinationRule("team", "reviews", "reviews", ""),
	}
	tr, err := TranslateFrom(mustConfig(t, docs...), Sidecar("default", nil))
	if err != nil {
		t.Fatal(err)
	}
	h := lookup(t, tr, "reviews.default.svc.cluster.local")
	r := h.Rules[0]
	if got := r.Action.Destinations[0].Cluster; got != "outbound||v1|reviews.team.svc.cluster.local" {
		t.Errorf("cluster %q, want the delegate namespace's reviews", got)
	}
	if o := tr.Origins[r]; o.Doc == nil || o.Doc.Name != "d1" || o.Doc.Namespace != "team" || o.Path != "spec.http[0]" {
		t.Errorf("origin %+v, want team/d1 spec.http[0]", o)
	}
	if r.Name != "api" {
		t.Errorf("name %q, want the root route's name api", r.Name)
	}
}

// match.gateways of a root route and of its delegate's routes are resolved in their own
// VirtualService's namespace before they are merged and compared (istio
// pilot/pkg/model/virtualservice.go resolveVirtualServiceShortnames runs on every VirtualService
// before mergeVirtualServicesIfNeeded; hasConflict then compares resolved names), and the merged
// match applies to the gateway they name (route.go sourceMatchHTTP).
func TestDelegateGatewayNames(t *testing.T) {
	root := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: edge, namespace: edge}
spec:
  hosts: [reviews.example.com]
  gateways: [gw]
  http:
  - name: api
    match: [{gateways: [gw], uri: {prefix: /api}}]
    delegate: {name: d1, namespace: team}
`
	for _, tc := range []struct {
		name, routes string
	}{
		{"the root's short gateway name, inherited by the delegate route", `  - route: [{destination: {host: reviews.team.svc.cluster.local}}]
`},
		{"the delegate names the same gateway in full", `  - match: [{gateways: [edge/gw]}]
    route: [{destination: {host: reviews.team.svc.cluster.local}}]
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustConfig(t, root, delegateVS("team", "d1", "", tc.routes))
			tr, err := TranslateFrom(c, Caller{Gateway: "edge/gw", Namespace: "edge"})
			if err != nil {
				t.Fatal(err)
			}
			h := lookup(t, tr, "reviews.example.com")
			if len(h.Rules) != 1 || h.Rules[0].Skipped != "" {
				t.Fatalf("rules %q (skipped %q), want the merged route for gateway edge/gw", ruleSummary(h), skippedOf(h))
			}
			if got := routeRule(t, tr, h.FQDN, sim.Request{Path: "/api/x"}); got != 0 {
				t.Fatalf("/api/x goes to rule %d, want 0; warnings %q", got, tr.Warnings)
			}
		})
	}
}

func skippedOf(h *sim.Host) []string {
	var out []string
	for _, r := range h.Rules {
		out = append(out, r.Skipped)
	}
	return out
}

// matchList decodes a YAML list of HTTPMatchRequests.
func matchList(t *testing.T, y string) []*networking.HTTPMatchRequest {
	t.Helper()
	if y == "" {
		return nil
	}
	js, err := yaml.YAMLToJSON([]byte("match: " + y))
	if err != nil {
		t.Fatal(err)
	}
	r := &networking.HTTPRoute{}
	if err := protojson.Unmarshal(js, r); err != nil {
		t.Fatal(err)
	}
	return r.Match
}

// Matches merged as istio merges them, with the cases of istio pilot/pkg/model/virtualservice_test.go
// TestMergeHTTPMatchRequests (pilot/pkg/model/virtualservice.go mergeHTTPMatchRequests,
// mergeHTTPMatchRequest): every delegate match must fit inside at least one root match and is merged
// with each one it fits; the delegate's conditions win and the root's fill in; a delegate match that
// fits none makes the whole route a conflict.
func TestMergeHTTPMatchRequests(t *testing.T) {
	for _, tc := range []struct {
		name, root, delegate string
		want                 string // "" with conflict: no matches
		conflict             bool
	}{
		{"url match", `[{uri: {prefix: /productpage}}]`, `[{uri: {exact: /productpage/v1}}]`,
			`[{uri: {exact: /productpage/v1}}]`, false},
		{"url regex noconflict", `[{uri: {regex: ^/productpage}}]`, `[{}]`,
			`[{uri: {regex: ^/productpage}}]`, false},
		{"url regex conflict", `[{uri: {regex: ^/productpage}}]`, `[{uri: {prefix: /productpage}}]`, "", true},
		{"multi url match", `[{uri: {prefix: /productpage}}, {uri: {prefix: /reviews}}]`,
			`[{uri: {exact: /productpage/v1}}, {uri: {exact: /reviews/v1}}]`,
			`[{uri: {exact: /productpage/v1}}, {uri: {exact: /reviews/v1}}]`, false},
		{"url mismatch", `[{uri: {prefix: /productpage}}]`, `[{uri: {exact: /reviews}}]`, "", true},
		{"url match, then one that conflicts", `[{uri: {prefix: /productpage}}]`,
			`[{uri: {exact: /productpage/v1}}, {uri: {exact: /reviews}}]`, "", true},
		{"headers, no delegate match", `[{headers: {header: {exact: h1}}}]`, `[]`,
			`[{headers: {header: {exact: h1}}}]`, false},
		{"no root match", ``, `[{uri: {prefix: /a}}]`, `[{uri: {prefix: /a}}]`, false},
		{"headers conflict", `[{headers: {header: {exact: h1}}}]`, `[{headers: {header: {exact: h2}}}]`, "", true},
		{"headers", `[{headers: {header: {exact: h1}}}]`, `[{headers: {header-2: {exact: h2}}}]`,
			`[{headers: {header: {exact: h1}, header-2: {exact: h2}}}]`, false},
		{"complicated merge",
			`[{uri: {prefix: /productpage}, headers: {header: {exact: h1}}, port: 8080, authority: {exact: productpage.com}}]`,
			`[{uri: {exact: /productpage/v1}}, {uri: {exact: /productpage/v2}}]`,
			`[{uri: {exact: /productpage/v1}, headers: {header: {exact: h1}}, port: 8080, authority: {exact: productpage.com}},
			  {uri: {exact: /productpage/v2}, headers: {header: {exact: h1}}, port: 8080, authority: {exact: productpage.com}}]`, false},
		{"conflicted merge",
			`[{uri: {prefix: /productpage}, headers: {header: {exact: h1}}, port: 8080, authority: {exact: productpage.com}}]`,
			`[{uri: {exact: /productpage/v1}}, {uri: {exact: /productpage/v2}, port: 9090}]`, "", true},
		{"gateway merge", `[{uri: {prefix: /productpage}, gateways: [ingress-gateway, mesh]}]`,
			`[{uri: {exact: /productpage/v1}, gateways: [ingress-gateway]}, {uri: {exact: /productpage/v2}, gateways: [mesh]}]`,
			`[{uri: {exact: /productpage/v1}, gateways: [ingress-gateway]}, {uri: {exact: /productpage/v2}, gateways: [mesh]}]`, false},
		{"gateway conflicted merge", `[{uri: {prefix: /productpage}, gateways: [ingress-gateway]}]`,
			`[{uri: {exact: /productpage/v1}, gateways: [ingress-gateway]}, {uri: {exact: /productpage/v2}, gateways: [mesh]}]`, "", true},
		{"source labels merge", `[{sourceLabels: {app: test}}]`, `[{sourceLabels: {version: v1}}]`,
			`[{sourceLabels: {app: test, version: v1}}]`, false},
		// From virtualservice_test.go TestMergeVirtualServices ("root and delegate vs"): a delegate
		// match fitting one of two root matches is merged with that one only.
		{"fits one of two root matches", `[{uri: {prefix: /productpage}}, {uri: {exact: /login}}]`,
			`[{uri: {prefix: /productpage/v1}}]`, `[{uri: {prefix: /productpage/v1}}]`, false},
		// From TestMergeHttpRoutes ("multiple header merge"): one delegate match merged with each
		// root match.
		{"merged with every root match it fits", `[{headers: {header1: {regex: regex}}}, {headers: {header2: {exact: exact}}}]`,
			`[{uri: {prefix: /}}]`,
			`[{uri: {prefix: /}, headers: {header1: {regex: regex}}}, {uri: {prefix: /}, headers: {header2: {exact: exact}}}]`, false},
		{"names join", `[{name: root, uri: {prefix: /a}}]`, `[{name: leaf, uri: {prefix: /a/b}}, {uri: {prefix: /a/c}}]`,
			`[{name: root-leaf, uri: {prefix: /a/b}}, {name: root, uri: {prefix: /a/c}}]`, false},
		{"delegate values win in maps", `[{headers: {x: {prefix: a}}, queryParams: {q: {exact: "1"}}, withoutHeaders: {w: {exact: "1"}}}]`,
			`[{headers: {x: {exact: abc}}}]`,
			`[{headers: {x: {exact: abc}}, queryParams: {q: {exact: "1"}}, withoutHeaders: {w: {exact: "1"}}}]`, false},
		{"port inherited", `[{sourceNamespace: a, port: 80}]`, `[{uri: {prefix: /}, sourceNamespace: a}]`,
			`[{uri: {prefix: /}, sourceNamespace: a, port: 80}]`, false},
		{"a root sourceNamespace must be repeated", `[{sourceNamespace: a}]`, `[{uri: {prefix: /}}]`, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, delegate := matchList(t, tc.root), matchList(t, tc.delegate)
			if tc.delegate == `[]` {
				delegate = []*networking.HTTPMatchRequest{}
			}
			rootCopy := cloneMatches(root)
			delegateCopy := cloneMatches(delegate)
			got, conflict := mergeHTTPMatchRequests(root, delegate)
			if conflict != tc.conflict {
				t.Fatalf("conflict = %t, want %t (got %v)", conflict, tc.conflict, got)
			}
			want := matchList(t, tc.want)
			if len(got) != len(want) {
				t.Fatalf("got %d matches %v, want %d %v", len(got), got, len(want), want)
			}
			for i := range got {
				if !proto.Equal(got[i], want[i]) {
					t.Errorf("match %d = %v, want %v", i, got[i], want[i])
				}
			}
			if !equalMatches(root, rootCopy) || !equalMatches(delegate, delegateCopy) {
				t.Errorf("the inputs were modified")
			}
		})
	}
}

func cloneMatches(ms []*networking.HTTPMatchRequest) []*networking.HTTPMatchRequest {
	var out []*networking.HTTPMatchRequest
	for _, m := range ms {
		out = append(out, proto.Clone(m).(*networking.HTTPMatchRequest))
	}
	return out
}

func equalMatches(a, b []*networking.HTTPMatchRequest) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !proto.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// Whether a delegate match asks for something its root match excludes, with the cases of istio
// pilot/pkg/model/virtualservice_test.go TestHasConflict (pilot/pkg/model/virtualservice.go
// hasConflict).
func TestHasConflict(t *testing.T) {
	for _, tc := range []struct {
		name, root, leaf string
		want             bool
	}{
		{"regex uri", `{uri: {regex: ^/productpage}}`, `{uri: {prefix: /productpage/v2}}`, true},
		{"regex uri in root and delegate does not have uri", `{uri: {regex: ^/productpage}}`, `{}`, false},
		{"regex uri in delegate and root does not have uri", `{}`, `{uri: {regex: ^/productpage}}`, false},
		{"regex uri in root and delegate has conflicting uri match", `{uri: {regex: ^/productpage}}`, `{uri: {prefix: /productpage}}`, true},
		{"regex uri in delegate and root has conflicting uri match", `{uri: {prefix: /productpage}}`, `{uri: {regex: ^/productpage}}`, true},
		{"match uri", `{uri: {prefix: /productpage}}`, `{uri: {prefix: /productpage/v2}}`, false},
		{"mismatch uri", `{uri: {prefix: /productpage/v2}}`, `{uri: {prefix: /productpage}}`, true},
		{"match uri exact in prefix", `{uri: {prefix: /productpage/v2}}`, `{uri: {exact: /productpage/v2}}`, false},
		{"headers not equal", `{headers: {header: {exact: h1}}}`, `{headers: {header: {exact: h2}}}`, true},
		{"headers equal", `{headers: {header: {exact: h1}}}`, `{headers: {header: {exact: h1}}}`, false},
		{"headers match", `{headers: {header: {prefix: h1}}}`, `{headers: {header: {exact: h1-v1}}}`, false},
		{"headers mismatch", `{headers: {header: {prefix: h1}}}`, `{headers: {header: {exact: h2}}}`, true},
		{"headers prefix mismatch", `{headers: {header: {prefix: h1}}}`, `{headers: {header: {prefix: h2}}}`, true},
		{"diff headers", `{headers: {header: {exact: h1}}}`, `{headers: {header-2: {exact: h2}}}`, false},
		{"withoutHeaders mismatch", `{withoutHeaders: {header: {prefix: h1}}}`, `{withoutHeaders: {header: {exact: h2}}}`, true},
		{"queryParams mismatch", `{queryParams: {q: {exact: "1"}}}`, `{queryParams: {q: {exact: "2"}}}`, true},
		{"method mismatch", `{method: {exact: GET}}`, `{method: {exact: POST}}`, true},
		{"authority in prefix", `{authority: {prefix: api.}}`, `{authority: {exact: api.example.com}}`, false},
		{"ignoreUriCase differs", `{ignoreUriCase: true}`, `{}`, true},
		{"port 0 in root", `{port: 0}`, `{port: 8080}`, false},
		{"port 0 in leaf", `{port: 8080}`, `{port: 0}`, false},
		{"port differs", `{port: 8080}`, `{port: 8090}`, true},
		{"sourceLabels mismatch", `{sourceLabels: {a: b}}`, `{sourceLabels: {a: c}}`, true},
		{"sourceLabels other key", `{sourceLabels: {a: b}}`, `{sourceLabels: {c: d}}`, false},
		{"sourceNamespace mismatch", `{sourceNamespace: test1}`, `{sourceNamespace: test2}`, true},
		{"sourceNamespace only in root", `{sourceNamespace: test1}`, `{}`, true},
		{"sourceNamespace only in leaf", `{}`, `{sourceNamespace: test1}`, false},
		{"root has less gateways than delegate", `{gateways: [ingress-gateway]}`, `{gateways: [ingress-gateway, mesh]}`, true},
		{"delegate gateways a subset", `{gateways: [ingress-gateway, mesh]}`, `{gateways: [mesh]}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, leaf := matchList(t, "["+tc.root+"]")[0], matchList(t, "["+tc.leaf+"]")[0]
			if got := matchConflict(root, leaf); got != tc.want {
				t.Fatalf("matchConflict = %t, want %t", got, tc.want)
			}
		})
	}
}

// stringMatchConflict, case by case (istio pilot/pkg/model/virtualservice.go stringMatchConflict):
// nothing on either side never conflicts; a regex on either side admits nothing else; an exact root
// admits only the same exact value; a prefix root admits prefixes and exact values that extend it;
// anything else (an empty root match, say) conflicts.
func TestStringMatchConflict(t *testing.T) {
	sm := func(y string) *networking.StringMatch {
		if y == "" {
			return nil
		}
		return matchList(t, "[{uri: "+y+"}]")[0].GetUri()
	}
	for _, tc := range []struct {
		root, leaf string
		want       bool
	}{
		{"", "", false},
		{"", "{exact: /a}", false},
		{"{exact: /a}", "", false},
		{"{regex: /a.*}", "{regex: /a.*}", true},
		{"{regex: /a.*}", "{}", true},
		{"{exact: /a}", "{exact: /a}", false},
		{"{exact: /a}", "{exact: /b}", true},
		{"{exact: /a}", "{prefix: /a}", true},
		{"{exact: /a}", "{}", true},
		{"{prefix: /a}", "{prefix: /a}", false},
		{"{prefix: /a}", "{prefix: /ab}", false},
		{"{prefix: /ab}", "{prefix: /a}", true},
		{"{prefix: /a}", "{exact: /a/b}", false},
		{"{prefix: /a}", "{exact: /b}", true},
		{"{prefix: /a}", "{}", true},
		{"{}", "{prefix: /a}", true},
		{"{}", "{}", true},
	} {
		t.Run(fmt.Sprintf("%s in %s", tc.leaf, tc.root), func(t *testing.T) {
			if got := stringMatchConflict(sm(tc.root), sm(tc.leaf)); got != tc.want {
				t.Fatalf("stringMatchConflict(%s, %s) = %t, want %t", tc.root, tc.leaf, got, tc.want)
			}
		})
	}
}

// routeFrom decodes one HTTPRoute from YAML.
func routeFrom(t *testing.T, y string) *networking.HTTPRoute {
	t.Helper()
	js, err := yaml.YAMLToJSON([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	r := &networking.HTTPRoute{}
	if err := protojson.Unmarshal(js, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// A merged route is the delegate route with the root route's fields where the delegate leaves them
// unset, names joined with "-", and nil on a match conflict (istio pilot/pkg/model/virtualservice.go
// mergeHTTPRoute; cases after virtualservice_test.go TestMergeHttpRoutes "root catch all",
// "delegate with empty match" and "delegate with mirrors").
func TestMergeHTTPRoute(t *testing.T) {
	for _, tc := range []struct {
		name, root, delegate, want string
	}{
		{"root catch all: timeout and headers inherited",
			`{timeout: 10s, headers: {request: {add: {istio: test}, remove: [trace-id]}}, delegate: {name: d, namespace: default}}`,
			`{match: [{uri: {prefix: /productpage/v1}, headers: {version: {exact: v1}}}], route: [{destination: {host: productpage.org, subset: v1}}]}`,
			`{match: [{uri: {prefix: /productpage/v1}, headers: {version: {exact: v1}}}], route: [{destination: {host: productpage.org, subset: v1}}],
			  timeout: 10s, headers: {request: {add: {istio: test}, remove: [trace-id]}}}`},
		{"delegate with empty match takes the root's",
			`{match: [{uri: {prefix: /productpage}, port: 8080}], delegate: {name: d}}`,
			`{route: [{destination: {host: productpage.org, subset: v3}}]}`,
			`{match: [{uri: {prefix: /productpage}, port: 8080}], route: [{destination: {host: productpage.org, subset: v3}}]}`},
		{"delegate mirrors win, root mirrors fill in",
			`{mirrors: [{destination: {host: mirror-root}}], delegate: {name: d}}`,
			`{mirrors: [{destination: {host: mirror-leaf}}], route: [{destination: {host: productpage.org}}]}`,
			`{mirrors: [{destination: {host: mirror-leaf}}], route: [{destination: {host: productpage.org}}]}`},
		{"root mirrors fill in",
			`{mirrors: [{destination: {host: mirror-root}}], delegate: {name: d}}`,
			`{route: [{destination: {host: productpage.org}}]}`,
			`{mirrors: [{destination: {host: mirror-root}}], route: [{destination: {host: productpage.org}}]}`},
		{"names joined, rewrite and retries inherited, delegate timeout wins",
			`{name: root, rewrite: {uri: /v1}, retries: {attempts: 3}, timeout: 5s, delegate: {name: d}}`,
			`{name: leaf, timeout: 1s, route: [{destination: {host: productpage.org}}]}`,
			`{name: root-leaf, rewrite: {uri: /v1}, retries: {attempts: 3}, timeout: 1s, route: [{destination: {host: productpage.org}}]}`},
		{"match conflict",
			`{match: [{uri: {prefix: /productpage}}], delegate: {name: d}}`,
			`{match: [{uri: {prefix: /reviews}}], route: [{destination: {host: productpage.org}}]}`,
			``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, delegate := routeFrom(t, tc.root), routeFrom(t, tc.delegate)
			delegateCopy := proto.Clone(delegate)
			got := mergeHTTPRoute(root, delegate)
			if tc.want == "" {
				if got != nil {
					t.Fatalf("got %v, want nil (conflict)", got)
				}
				return
			}
			if want := routeFrom(t, tc.want); !proto.Equal(got, want) {
				t.Fatalf("got  %v\nwant %v", got, want)
			}
			if !proto.Equal(delegate, delegateCopy) {
				t.Fatalf("the delegate route was modified")
			}
		})
	}
}
