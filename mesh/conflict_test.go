package mesh

import (
	"strings"
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// vsDoc is a VirtualService document in namespace default; meta holds extra metadata lines and spec
// the lines of its spec.
func vsDoc(name, meta, spec string) string {
	return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ` + name + `
  namespace: default
` + meta + "spec:\n" + spec + "---\n"
}

// reviewsVS is a VirtualService for reviews sending everything to one subset.
func reviewsVS(name, meta, subset string) string {
	return vsDoc(name, meta, "  hosts: [reviews]\n  http:\n  - route: [{destination: {host: reviews, subset: "+subset+"}}]\n")
}

func ts(t string) string { return "  creationTimestamp: \"" + t + "\"\n" }

// Several VirtualServices bound to the mesh for one host: a sidecar uses the oldest by
// creationTimestamp, ties broken by name then namespace (istio pilot/pkg/model/config.go,
// sortConfigByCreationTime, applied by mergeVirtualServicesIfNeeded in
// pilot/pkg/model/virtualservice.go; pilot/pkg/networking/core/httproute.go,
// BuildSidecarOutboundVirtualHosts drops the later duplicates). Without timestamps, input order stands
// in for creation order, after every timestamped object.
func TestMeshVirtualServiceConflict(t *testing.T) {
	for _, tc := range []struct {
		name, docs, want string
		rule             []string // words the warning must contain
	}{
		{"oldest wins although it comes second",
			reviewsVS("a-new", ts("2024-06-01T00:00:00Z"), "v1") + reviewsVS("b-old", ts("2024-01-01T00:00:00Z"), "v2"), "v2",
			[]string{"IST0109", "oldest by creationTimestamp, then by name"}},
		{"same second: the name decides",
			reviewsVS("zeta", ts("2024-01-01T00:00:00Z"), "v1") + reviewsVS("alpha", ts("2024-01-01T00:00:00Z"), "v2"), "v2",
			[]string{"then by name"}},
		{"no timestamps: input order, with the same-second caveat",
			reviewsVS("zeta", "", "v1") + reviewsVS("alpha", "", "v2"), "v1",
			[]string{"input order stands in", "Istio uses VirtualService alpha (ties go by name)"}},
		{"a timestamped one before one without",
			reviewsVS("first", "", "v1") + reviewsVS("second", ts("2024-01-01T00:00:00Z"), "v2"), "v2",
			[]string{"input order stands in"}},
		{"short and fully qualified names are one host",
			reviewsVS("a", "", "v1") + strings.Replace(reviewsVS("b", "", "v2"), "hosts: [reviews]", "hosts: [reviews.default.svc.cluster.local]", 1), "v1",
			[]string{"IST0109"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := mustTranslate(t, tc.docs+drReviews)
			if len(tr.Table.Hosts) != 1 {
				t.Fatalf("%d hosts, want 1", len(tr.Table.Hosts))
			}
			h := tr.Table.Hosts[0]
			if got := h.Rules[0].Action.Destinations[0].Subset; got != tc.want {
				t.Fatalf("simulated subset %s, want %s", got, tc.want)
			}
			if len(tr.Conflicts) != 1 || len(tr.Conflicts[0].VirtualServices) != 2 {
				t.Fatalf("conflicts %+v", tr.Conflicts)
			}
			if len(tr.Warnings) != 1 {
				t.Fatalf("warnings %q", tr.Warnings)
			}
			for _, w := range tc.rule {
				if !strings.Contains(tr.Warnings[0], w) {
					t.Errorf("warning %q does not contain %q", tr.Warnings[0], w)
				}
			}
		})
	}
}

// VirtualServices bound to one gateway for one host are merged as Istio's gateway does
// (pilot/pkg/networking/core/gateway.go, buildGatewayHTTPRouteConfig appends each VirtualService's
// routes in creation order; pilot/pkg/networking/core/route/route.go, SortVHostRoutes then moves the
// catch-all routes to the end, keeping the order of the others). They are not a conflict (IST0109 is
// about the mesh gateway only).
func TestGatewayVirtualServicesMerged(t *testing.T) {
	gwVS := func(name, meta, http string) string {
		return vsDoc(name, meta, "  hosts: [shop.example.com]\n  gateways: [public]\n  http:\n"+http)
	}
	docs := gwVS("web", ts("2024-01-01T00:00:00Z"), `  - route: [{destination: {host: web}}]
`) + gwVS("api", ts("2024-02-01T00:00:00Z"), `  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: api}}]
  - route: [{destination: {host: api-fallback}}]
`)
	tr := mustTranslate(t, docs)
	if len(tr.Conflicts) != 0 {
		t.Fatalf("gateway VirtualServices are merged, not in conflict: %+v", tr.Conflicts)
	}
	h := hostOf(t, tr, "shop.example.com@default/public")
	for path, want := range map[string]string{"/api/x": "api", "/": "web", "/other": "web"} {
		req := sim.Request{Path: path}
		r := h.Route(&req)
		if r < 0 || h.Rules[h.Routes[r].Rule].Action.Destinations[0].Host != want {
			t.Errorf("%s: route %d, want %s", path, r, want)
		}
	}
	var names []string
	for _, r := range h.Rules {
		names = append(names, r.Label())
		if r.Action.Destinations[0].Host == "api-fallback" && !r.Unreachable {
			t.Error("the second catch-all (api's fallback) must be unreachable: web's catch-all comes first")
		}
	}
	if strings.Join(names, ",") != "web/#0,api/#0,api/#1" {
		t.Errorf("rules %v", names)
	}
}

// A VirtualService bound to a gateway and the mesh gives both hosts; gateway names resolve as Istio's
// resolveGatewayName does (pilot/pkg/model/virtualservice.go): bare names in the VirtualService's
// namespace.
func TestVirtualServiceGatewayAndMesh(t *testing.T) {
	tr := mustTranslate(t, strings.Replace(reviewsVS("r", "", "v1"), "  hosts: [reviews]\n", "  hosts: [reviews]\n  gateways: [mesh, edge, infra/ingress]\n", 1)+drReviews)
	for _, name := range []string{"reviews", "reviews@default/edge", "reviews@infra/ingress"} {
		hostOf(t, tr, name)
	}
}

// AddLenient keeps going past bad resources and reports every problem with Istio's messages
// (pkg/config/validation: weight %d < 0, validateStringRegexp's RE2 message); Add stops at the first.
func TestAddLenient(t *testing.T) {
	bad := vs(`  - match: [{uri: {regex: "("}}]
    route: [{destination: {host: reviews, subset: v1}, weight: -1}, {destination: {host: reviews, subset: v2}, weight: -2}]
`)
	c := &Config{}
	problems, err := c.AddLenient("bad.yaml", []byte(bad+"---\n"+goodVS))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.VirtualServices) != 1 || len(c.DestinationRules) != 1 {
		t.Fatalf("kept %d VirtualServices and %d DestinationRules, want the good ones (1, 1)", len(c.VirtualServices), len(c.DestinationRules))
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.Path+": "+p.Msg)
	}
	all := strings.Join(msgs, "\n")
	for _, w := range []string{"route[0].weight: weight -1 < 0", "route[1].weight: weight -2 < 0",
		`spec.http[0].match[0].uri: "uri": error parsing regexp`, "Istio uses RE2 style regex-based match"} {
		if !strings.Contains(all, w) {
			t.Errorf("problems\n%s\ndo not contain %q", all, w)
		}
	}
	// Add stops at the first problem in Istio's order (virtualservice.go validateHTTPRoute checks the
	// match blocks right after the route's action, before its destinations).
	if err := (&Config{}).Add("bad.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "error parsing regexp") {
		t.Errorf("Add: %v", err)
	}
}
