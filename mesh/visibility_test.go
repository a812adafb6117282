package mesh

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// mustConfig reads the documents as one file.
func mustConfig(t *testing.T, docs ...string) *Config {
	t.Helper()
	c := &Config{}
	if err := c.Add("test.yaml", []byte(strings.Join(docs, "---\n"))); err != nil {
		t.Fatal(err)
	}
	return c
}

// lookup returns the table host with the given name or fully qualified name.
func lookup(t *testing.T, tr *Translation, name string) *sim.Host {
	t.Helper()
	h := tr.Table.Lookup(name)
	if h == nil {
		var names []string
		for _, h := range tr.Table.Hosts {
			names = append(names, h.Name+" ("+h.FQDN+")")
		}
		t.Fatalf("no host %s; hosts: %s", name, strings.Join(names, ", "))
	}
	return h
}

// checkShares fails unless the action's shares are want (to 1e-12).
func checkShares(t *testing.T, a sim.Action, want ...float64) {
	t.Helper()
	got := a.Shares()
	if len(got) != len(want) {
		t.Fatalf("shares %v, want %v", got, want)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("shares %v, want %v", got, want)
		}
	}
}

// endpointNames are the Endpoints of an action's destinations.
func endpointNames(a sim.Action) []string {
	var out []string
	for _, d := range a.Destinations {
		out = append(out, d.Endpoints)
	}
	return out
}

// service is Service reviews in namespace ns: selector app=reviews, port 9080; annotations are
// extra metadata lines.
func service(ns, annotations string) string {
	return `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: ` + ns + "\n" + annotations + `spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
`
}

// deployment is a Deployment of reviews pods with the given version label.
func deployment(ns, name, version string, replicas int) string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: %s, namespace: %s}
spec:
  replicas: %d
  selector: {matchLabels: {app: reviews, version: %s}}
  template:
    metadata:
      labels: {app: reviews, version: %s}
`, name, ns, replicas, version, version)
}

// destinationRule is DestinationRule reviews in namespace ns for host with the given subsets lines.
func destinationRule(ns, name, host, extra string) string {
	return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ` + name + `, namespace: ` + ns + `}
spec:
  host: "` + host + "\"\n" + extra + `  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`
}

// reviewsApp is Service reviews in namespace ns with its pods (Deployments reviews-v1 with 3
// replicas, reviews-v2 with 1) and a DestinationRule with subsets v1 and v2 selecting them.
func reviewsApp(ns, serviceAnnotations string) []string {
	return []string{
		service(ns, serviceAnnotations),
		deployment(ns, "reviews-v1", "v1", 3),
		deployment(ns, "reviews-v2", "v2", 1),
		destinationRule(ns, "reviews", "reviews", ""),
	}
}

// splitVS is a VirtualService in namespace ns for host reviews splitting w1/w2 between subsets v1 and
// v2; meta holds extra metadata lines, spec extra spec lines.
func splitVS(ns, name, meta, spec string, w1, w2 int) string {
	return fmt.Sprintf(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: %s
  namespace: %s
%sspec:
  hosts: [reviews]
%s  http:
  - name: split
    route:
    - {destination: {host: reviews, subset: v1}, weight: %d}
    - {destination: {host: reviews, subset: v2}, weight: %d}
`, name, ns, meta, spec, w1, w2)
}

func exportTo(list string) string { return "  exportTo: " + list + "\n" }

// What a caller sees for host reviews of namespace a.
const (
	seesVS        = "the VirtualService's 10/90 split"
	seesEndpoints = "the endpoint split 75/25"
	seesNothing   = "no host"
)

// checkSees fails unless the caller's table routes reviews.a.svc.cluster.local as want says.
func checkSees(t *testing.T, tr *Translation, want string) {
	t.Helper()
	const fqdn = "reviews.a.svc.cluster.local"
	h := tr.Table.Lookup(fqdn)
	switch {
	case want == seesNothing:
		if h != nil {
			t.Fatalf("host %s (decided by %s), want none", h.Name, h.DecidedBy)
		}
		return
	case h == nil:
		t.Fatalf("no host %s, want %s", fqdn, want)
	}
	if len(h.Rules) != 1 {
		t.Fatalf("%d rules, want 1", len(h.Rules))
	}
	a := h.Rules[0].Action
	switch want {
	case seesVS:
		if a.Endpoints || h.DecidedBy != "VirtualService a/reviews" {
			t.Fatalf("decided by %q (endpoints %t), want VirtualService a/reviews", h.DecidedBy, a.Endpoints)
		}
		checkShares(t, a, 0.1, 0.9)
	case seesEndpoints:
		if !a.Endpoints || !strings.HasPrefix(h.DecidedBy, "no route: endpoints of Service a/reviews") {
			t.Fatalf("decided by %q (endpoints %t), want the endpoints of Service a/reviews", h.DecidedBy, a.Endpoints)
		}
		checkShares(t, a, 0.75, 0.25)
		if got := strings.Join(endpointNames(a), ","); got != "v1,v2" {
			t.Fatalf("endpoint groups %s, want v1,v2", got)
		}
	}
}

// exportTo decides which namespaces' sidecars a VirtualService applies to: none given means every
// namespace (MeshConfig defaultVirtualServiceExportTo "*"), "." the VirtualService's own namespace,
// a name that namespace, "*" all, "~" none (istio pilot/pkg/model/push_context.go initVirtualServices
// and VirtualServicesForGateway). A sidecar the VirtualService does not apply to sends requests for
// the Service to its cluster, spread over the pods (3 of v1, 1 of v2: 75/25).
func TestExportToVirtualService(t *testing.T) {
	for _, tc := range []struct {
		exportTo string
		sees     map[string]string // caller namespace -> what it sees
	}{
		{"", map[string]string{"a": seesVS, "b": seesVS}},
		{`["."]`, map[string]string{"a": seesVS, "b": seesEndpoints}},
		{`[a]`, map[string]string{"a": seesVS, "b": seesEndpoints}},
		{`[b]`, map[string]string{"a": seesEndpoints, "b": seesVS, "c": seesEndpoints}},
		{`[".", b]`, map[string]string{"a": seesVS, "b": seesVS, "c": seesEndpoints}},
		{`["*"]`, map[string]string{"a": seesVS, "b": seesVS, "c": seesVS}},
	} {
		for _, ns := range []string{"a", "b", "c"} {
			want, ok := tc.sees[ns]
			if !ok {
				continue
			}
			t.Run(fmt.Sprintf("exportTo %s from sidecar:%s", tc.exportTo, ns), func(t *testing.T) {
				spec := ""
				if tc.exportTo != "" {
					spec = exportTo(tc.exportTo)
				}
				docs := append(reviewsApp("a", ""), splitVS("a", "reviews", "", spec, 10, 90))
				tr := translateFrom(t, "sidecar:"+ns, docs...)
				checkSees(t, tr, want)
				for _, h := range tr.Table.Hosts {
					if h.From != "sidecar:"+ns {
						t.Errorf("host %s From = %q", h.Name, h.From)
					}
				}
			})
		}
	}
}

// A Service's networking.istio.io/exportTo annotation hides it from the sidecars of namespaces it
// is not exported to: they get no route and no cluster for it (istio pilot/pkg/model/push_context.go
// IsServiceVisible and initServiceRegistry: "*" public, "." its namespace, "~" nobody, a name that
// namespace only - not even its own unless listed).
func TestExportToServiceAnnotation(t *testing.T) {
	for _, tc := range []struct {
		annotation string
		sees       map[string]string
	}{
		{"", map[string]string{"a": seesEndpoints, "b": seesEndpoints}},
		{".", map[string]string{"a": seesEndpoints, "b": seesNothing}},
		{"*", map[string]string{"a": seesEndpoints, "b": seesEndpoints}},
		{"~", map[string]string{"a": seesNothing, "b": seesNothing}},
		{"b", map[string]string{"a": seesNothing, "b": seesEndpoints, "c": seesNothing}},
		{"., b", map[string]string{"a": seesEndpoints, "b": seesEndpoints, "c": seesNothing}},
	} {
		for _, ns := range []string{"a", "b", "c"} {
			want, ok := tc.sees[ns]
			if !ok {
				continue
			}
			t.Run(fmt.Sprintf("exportTo %q from sidecar:%s", tc.annotation, ns), func(t *testing.T) {
				ann := ""
				if tc.annotation != "" {
					ann = "  annotations: {networking.istio.io/exportTo: \"" + tc.annotation + "\"}\n"
				}
				tr := translateFrom(t, "sidecar:"+ns, reviewsApp("a", ann)...)
				checkSees(t, tr, want)
			})
		}
	}
}

// exportedTo and exportBucket, unit by unit: the buckets are the order in which Istio lists the
// VirtualServices a namespace sees - private to it (exportTo "." or its own name), exported to it by
// name, then public - and "*" makes a VirtualService public whatever else is listed (istio
// pilot/pkg/model/push_context.go initVirtualServices, VirtualServicesForGateway).
func TestExportBucket(t *testing.T) {
	for _, tc := range []struct {
		exportTo []string
		ns, to   string
		bucket   int
	}{
		{nil, "a", "a", 2},
		{nil, "a", "b", 2},
		{[]string{"*"}, "a", "b", 2},
		{[]string{"*", "."}, "a", "a", 2},
		{[]string{"b", "*"}, "a", "b", 2},
		{[]string{"."}, "a", "a", 0},
		{[]string{"."}, "a", "b", -1},
		{[]string{"a"}, "a", "a", 0},
		{[]string{"b"}, "a", "a", -1},
		{[]string{"b"}, "a", "b", 1},
		{[]string{"b"}, "a", "c", -1},
		{[]string{".", "b"}, "a", "a", 0},
		{[]string{".", "b"}, "a", "b", 1},
		{[]string{"~"}, "a", "a", -1},
		{[]string{"~"}, "a", "b", -1},
	} {
		t.Run(fmt.Sprintf("%v of %s to %s", tc.exportTo, tc.ns, tc.to), func(t *testing.T) {
			if got := exportBucket(tc.exportTo, tc.ns, tc.to); got != tc.bucket {
				t.Fatalf("exportBucket = %d, want %d", got, tc.bucket)
			}
			if got := exportedTo(tc.exportTo, tc.ns, tc.to); got != (tc.bucket >= 0) {
				t.Fatalf("exportedTo = %t, want %t", got, tc.bucket >= 0)
			}
		})
	}
}

// VirtualServices of two namespaces with the same short host are two hosts: a short name is
// expanded in the VirtualService's own namespace (istio pilot/pkg/model/virtualservice.go
// resolveVirtualServiceShortnames, host.ResolveShortnameToFQDN), so reviews in a and reviews in b are
// reviews.a.svc.cluster.local and reviews.b.svc.cluster.local; they are not merged and do not
// conflict (istioctl analyze IST0109 is about one host). Table host names stay unique.
func TestSameShortHostInTwoNamespaces(t *testing.T) {
	docs := append(append(reviewsApp("a", ""), reviewsApp("b", "")...),
		splitVS("a", "reviews", "", "", 10, 90), splitVS("b", "reviews", "", "", 60, 40))
	check := func(t *testing.T, tr *Translation) {
		t.Helper()
		if len(tr.Conflicts) != 0 {
			t.Fatalf("conflicts %+v, want none", tr.Conflicts)
		}
		for _, w := range tr.Warnings {
			if strings.Contains(w, "IST0109") {
				t.Fatalf("warning %q", w)
			}
		}
		seen := map[string]bool{}
		for _, h := range tr.Table.Hosts {
			if seen[h.Name] {
				t.Fatalf("two hosts named %s", h.Name)
			}
			seen[h.Name] = true
		}
		for _, tc := range []struct {
			fqdn, by string
			shares   []float64
		}{
			{"reviews.a.svc.cluster.local", "VirtualService a/reviews", []float64{0.1, 0.9}},
			{"reviews.b.svc.cluster.local", "VirtualService b/reviews", []float64{0.6, 0.4}},
		} {
			h := lookup(t, tr, tc.fqdn)
			if h.DecidedBy != tc.by {
				t.Errorf("%s decided by %q, want %q", tc.fqdn, h.DecidedBy, tc.by)
			}
			checkShares(t, h.Rules[0].Action, tc.shares...)
		}
	}
	t.Run("all callers", func(t *testing.T) {
		tr, err := Translate(mustConfig(t, docs...))
		if err != nil {
			t.Fatal(err)
		}
		check(t, tr)
	})
	for _, tc := range []struct{ ns, own, other, otherName string }{
		{"a", "reviews.a.svc.cluster.local", "reviews.b.svc.cluster.local", "reviews.b"},
		{"b", "reviews.b.svc.cluster.local", "reviews.a.svc.cluster.local", "reviews.a"},
	} {
		t.Run("sidecar:"+tc.ns, func(t *testing.T) {
			tr := translateFrom(t, "sidecar:"+tc.ns, docs...)
			check(t, tr)
			if h := lookup(t, tr, "reviews"); h.FQDN != tc.own {
				t.Errorf("host reviews is %s, want %s: a short name is the caller's namespace's", h.FQDN, tc.own)
			}
			if h := lookup(t, tr, tc.otherName); h.FQDN != tc.other {
				t.Errorf("host %s is %s, want %s", tc.otherName, h.FQDN, tc.other)
			}
		})
	}
}

// ts2 is a creationTimestamp metadata line for the given year.
func ts2(year int) string { return fmt.Sprintf("  creationTimestamp: \"%d-01-01T00:00:00Z\"\n", year) }

// claimVS is a VirtualService in namespace ns claiming reviews.a.svc.cluster.local, sending all to
// subset.
func claimVS(ns, name string, year int, export, subset string) string {
	spec := ""
	if export != "" {
		spec = exportTo(export)
	}
	return fmt.Sprintf(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: %s
  namespace: %s
%sspec:
  hosts: [reviews.a.svc.cluster.local]
%s  http:
  - route: [{destination: {host: reviews.a.svc.cluster.local, subset: %s}}]
`, name, ns, ts2(year), spec, subset)
}

// When several VirtualServices visible to a sidecar claim one host, the sidecar uses the first in
// the order istiod lists them for its namespace: those private to the caller's namespace, then
// those exported to it by name, then the public ones, each group by creation time (istio
// pilot/pkg/model/push_context.go VirtualServicesForGateway, which the default sidecar scope uses,
// pilot/pkg/model/sidecar.go DefaultSidecarScopeForNamespace and SelectVirtualServices;
// pilot/pkg/networking/core/httproute.go BuildSidecarOutboundVirtualHosts keeps the first virtual
// host of a name).
func TestVirtualServiceOrderByExport(t *testing.T) {
	for _, tc := range []struct {
		name, from string
		docs       []string
		want       []string // VisibleVirtualServices in order; want[0] decides the host
	}{
		{"private to the caller beats an older public one", "sidecar:a",
			[]string{claimVS("b", "public-old", 2020, "", "v1"), claimVS("a", "private-new", 2024, `["."]`, "v2")},
			[]string{"a/private-new", "b/public-old"}},
		{"the private one is not visible elsewhere", "sidecar:c",
			[]string{claimVS("b", "public-old", 2020, "", "v1"), claimVS("a", "private-new", 2024, `["."]`, "v2")},
			[]string{"b/public-old"}},
		{"exported to the caller by name beats an older public one", "sidecar:c",
			[]string{claimVS("d", "public-old", 2020, `["*"]`, "v1"), claimVS("b", "to-c", 2024, "[c]", "v2")},
			[]string{"b/to-c", "d/public-old"}},
		{"private beats exported by name", "sidecar:c",
			[]string{claimVS("b", "to-c", 2020, "[c]", "v1"), claimVS("c", "mine", 2024, `["."]`, "v2")},
			[]string{"c/mine", "b/to-c"}},
		{"own namespace by name is private", "sidecar:a",
			[]string{claimVS("b", "public-old", 2020, "", "v1"), claimVS("a", "by-name", 2024, "[a]", "v2")},
			[]string{"a/by-name", "b/public-old"}},
		{"among public ones the oldest", "sidecar:a",
			[]string{claimVS("a", "new", 2024, "", "v1"), claimVS("b", "old", 2020, "", "v2")},
			[]string{"b/old", "a/new"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs := append(reviewsApp("a", ""), tc.docs...)
			from, err := ParseCaller(tc.from)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, vs := range mustConfig(t, docs...).VisibleVirtualServices(from) {
				got = append(got, vs.FullName())
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("VisibleVirtualServices = %v, want %v", got, tc.want)
			}
			tr := translateFrom(t, tc.from, docs...)
			h := lookup(t, tr, "reviews.a.svc.cluster.local")
			if h.DecidedBy != "VirtualService "+tc.want[0] {
				t.Fatalf("decided by %q, want VirtualService %s", h.DecidedBy, tc.want[0])
			}
			if len(tc.want) > 1 {
				if len(tr.Conflicts) != 1 || tr.Conflicts[0].VirtualServices[0].FullName() != tc.want[0] {
					t.Fatalf("conflicts %+v, want one with %s first", tr.Conflicts, tc.want[0])
				}
			} else if len(tr.Conflicts) != 0 {
				t.Fatalf("conflicts %+v, want none", tr.Conflicts)
			}
		})
	}
}

// VirtualServices without hosts are delegates, never routed on their own, and VirtualServices apply
// only to the gateways they are bound to ("mesh" by default) (istio pilot/pkg/model/virtualservice.go
// mergeVirtualServicesIfNeeded; push_context.go initVirtualServices, getGatewayNames).
func TestVisibleVirtualServicesGatewaysAndDelegates(t *testing.T) {
	docs := []string{
		`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: delegate, namespace: a}
spec:
  http: [{route: [{destination: {host: reviews}}]}]
`,
		`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: mesh-and-gw, namespace: a}
spec:
  hosts: [reviews]
  gateways: [mesh, gw]
  http: [{route: [{destination: {host: reviews}}]}]
`,
		`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: gw-only, namespace: a}
spec:
  hosts: [ratings]
  gateways: [istio-system/ingress]
  http: [{route: [{destination: {host: ratings}}]}]
`,
	}
	c := mustConfig(t, docs...)
	for _, tc := range []struct {
		from string
		want string
	}{
		{"sidecar:a", "a/mesh-and-gw"},
		{"sidecar:b:app=x", "a/mesh-and-gw"},
		{"gateway:a/gw", "a/mesh-and-gw"},
		{"gateway:istio-system/ingress", "a/gw-only"},
		{"gateway:istio-system/gw", ""},
	} {
		t.Run(tc.from, func(t *testing.T) {
			from, err := ParseCaller(tc.from)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, vs := range c.VisibleVirtualServices(from) {
				got = append(got, vs.FullName())
			}
			if strings.Join(got, " ") != tc.want {
				t.Fatalf("got %v, want %q", got, tc.want)
			}
		})
	}
}

// The DestinationRule a caller uses for a host: the caller's namespace first, then the Service's,
// then the root namespace, each time only rules exported to the caller; a rule for exactly the host
// beats a wildcard one, and a longer wildcard beats a shorter one. A caller in the root namespace
// looks at the root namespace's private rules first, and at its exported ones last (istio
// pilot/pkg/model/push_context.go destinationRule, getExportedDestinationRuleFromNamespace,
// setDestinationRules; pilot/pkg/model/config.go MostSpecificHostMatch).
func TestDestinationRuleFor(t *testing.T) {
	const fqdn = "reviews.a.svc.cluster.local"
	dr := func(ns, name, host, export string) string {
		extra := ""
		if export != "" {
			extra = exportTo(export)
		}
		return destinationRule(ns, name, host, extra)
	}
	for _, tc := range []struct {
		name, from string
		docs       []string
		want       string // namespace/name, "" for none
	}{
		{"none", "b", nil, ""},
		{"the Service's namespace", "b", []string{dr("a", "svc", "reviews", "")}, "a/svc"},
		{"the caller's namespace beats the Service's", "b",
			[]string{dr("a", "svc", "reviews", ""), dr("b", "mine", fqdn, "")}, "b/mine"},
		{"a caller-namespace rule exported elsewhere does not apply", "b",
			[]string{dr("a", "svc", "reviews", ""), dr("b", "mine", fqdn, "[c]")}, "a/svc"},
		{"a caller-namespace rule exported to '.' applies", "b",
			[]string{dr("a", "svc", "reviews", ""), dr("b", "mine", fqdn, `["."]`)}, "b/mine"},
		{"a Service-namespace rule private to it does not apply elsewhere", "b",
			[]string{dr("a", "svc", "reviews", `["."]`), dr("istio-system", "root", fqdn, "")}, "istio-system/root"},
		{"a Service-namespace rule exported to the caller", "b",
			[]string{dr("a", "svc", "reviews", "[b]"), dr("istio-system", "root", fqdn, "")}, "a/svc"},
		{"the root namespace last", "b",
			[]string{dr("istio-system", "root", fqdn, ""), dr("c", "other", fqdn, "")}, "istio-system/root"},
		{"a root rule private to the root namespace does not apply elsewhere", "b",
			[]string{dr("istio-system", "root", fqdn, `["."]`)}, ""},
		{"exact beats wildcard in one namespace", "b",
			[]string{dr("a", "wild", "*.a.svc.cluster.local", ""), dr("a", "exact", "reviews", "")}, "a/exact"},
		{"the longest wildcard", "b",
			[]string{dr("a", "short", "*.cluster.local", ""), dr("a", "long", "*.a.svc.cluster.local", "")}, "a/long"},
		{"the longest wildcard, listed first", "b",
			[]string{dr("a", "long", "*.a.svc.cluster.local", ""), dr("a", "short", "*.cluster.local", "")}, "a/long"},
		{"a wildcard in the caller's namespace beats an exact one in the Service's", "b",
			[]string{dr("a", "exact", "reviews", ""), dr("b", "wild", "*.svc.cluster.local", "")}, "b/wild"},
		{"a caller in the root namespace: the Service's rule beats a public root rule", "istio-system",
			[]string{dr("istio-system", "root", fqdn, ""), dr("a", "svc", "reviews", "")}, "a/svc"},
		{"a caller in the root namespace: a root rule private to it comes first", "istio-system",
			[]string{dr("istio-system", "root", fqdn, `["."]`), dr("a", "svc", "reviews", "")}, "istio-system/root"},
		{"a caller in the root namespace: a public root rule when the Service's namespace has none", "istio-system",
			[]string{dr("istio-system", "root", fqdn, "")}, "istio-system/root"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustConfig(t, append([]string{service("a", "")}, tc.docs...)...)
			got := ""
			if r := c.destinationRuleFor(fqdn, "a", tc.from); r != nil {
				got = r.FullName()
			}
			if got != tc.want {
				t.Fatalf("destinationRuleFor from %s = %q, want %q", tc.from, got, tc.want)
			}
		})
	}
}

// Which callers a run without --from covers: a sidecar in every namespace of the inputs, a sidecar
// for each labelled workload when some match tests sourceLabels (istio
// pilot/pkg/networking/core/route/route.go sourceMatchHTTP makes routes depend on them), and every
// gateway a VirtualService or Gateway API route binds to, resolved as istiod resolves gateway names
// (pilot/pkg/model/virtualservice.go resolveGatewayName).
func TestConfigCallers(t *testing.T) {
	vsWith := func(ns, gateways, match string) string {
		return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: ` + ns + `}
spec:
  hosts: [reviews]
` + gateways + `  http:
  - ` + match + `route: [{destination: {host: reviews}}]
`
	}
	for _, tc := range []struct {
		name string
		docs []string
		want []string
	}{
		{"namespaces sorted", []string{service("b", ""), vsWith("a", "", "")}, []string{"sidecar:a", "sidecar:b"}},
		{"workload labels only when sourceLabels are tested",
			[]string{vsWith("a", "", ""), deployment("b", "reviews-v1", "v1", 1)}, []string{"sidecar:a", "sidecar:b"}},
		{"sidecars per labelled workload",
			[]string{vsWith("a", "", "match: [{sourceLabels: {app: reviews}}]\n    "), deployment("b", "reviews-v1", "v1", 1), deployment("b", "reviews-v1b", "v1", 2)},
			[]string{"sidecar:a", "sidecar:b", "sidecar:b:app=reviews,version=v1"}},
		{"gateways resolved, in order of first appearance, once each",
			[]string{vsWith("a", "  gateways: [mesh, gw, istio-system/ingress, ./gw]\n", ""),
				strings.Replace(vsWith("b", "  gateways: [ingress.istio-system.svc.cluster.local]\n", ""), "name: reviews", "name: other", 1)},
			[]string{"sidecar:a", "sidecar:b", "gateway:a/gw", "gateway:istio-system/ingress"}},
		// A TCPRoute or TLSRoute binds like an HTTPRoute (gateway-api apis/v1alpha2 tcproute_types.go
		// CommonRouteSpec.ParentRefs): its Gateway parent is a caller, its namespace a sidecar's.
		{"gateways of TCPRoutes and TLSRoutes",
			[]string{"apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: {name: t, namespace: c}\nspec:\n  parentRefs: [{name: edge, sectionName: tcp}]\n  rules: [{backendRefs: [{name: app, port: 8080}]}]\n",
				"apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute\nmetadata: {name: s, namespace: c}\nspec:\n  parentRefs: [{name: tls-edge, namespace: infra}]\n  hostnames: [a.example.com]\n  rules: [{backendRefs: [{name: app, port: 8443}]}]\n"},
			[]string{"sidecar:c", "gateway:c/edge", "gateway:infra/tls-edge"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range mustConfig(t, tc.docs...).Callers() {
				got = append(got, c.String())
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("Callers() = %v, want %v", got, tc.want)
			}
		})
	}
}

// istioGateway is an Istio Gateway ns/name with one server on port 80 with the given hosts, and
// one on port 443 with hosts443 (none when empty).
func istioGateway(ns, name, hosts, hosts443 string) string {
	s := `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ` + name + `, namespace: ` + ns + `}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ` + hosts + "\n"
	if hosts443 != "" {
		s += `  - port: {number: 443, name: https, protocol: HTTPS}
    tls: {mode: SIMPLE, credentialName: cert}
    hosts: ` + hosts443 + "\n"
	}
	return s
}

// gatewayVS is a VirtualService in namespace ns for host, bound to istio-system/gw.
func gatewayVS(ns, name, host string) string {
	return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ` + name + `, namespace: ` + ns + `}
spec:
  hosts: [` + host + `]
  gateways: [istio-system/gw]
  http: [{route: [{destination: {host: web}}]}]
`
}

// A gateway routes a VirtualService's host only when one of its Gateway's servers (on the port the
// request arrives on, when the caller names one) admits it: a server host is [NAMESPACE/]HOST where
// the namespace "*" (the default) admits VirtualServices of every namespace, "." those of the
// Gateway's namespace, a name those of that namespace, and HOST may be a "*." wildcard (istio
// pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig, pilot/pkg/model/gateway.go
// and the Gateway API reference for servers.hosts).
func TestGatewayServerHosts(t *testing.T) {
	vss := []string{
		gatewayVS("ns1", "a-in-ns1", "a.example.com"),
		gatewayVS("ns2", "b-in-ns2", "b.example.com"),
		gatewayVS("istio-system", "c-in-gw-ns", "c.example.com"),
		gatewayVS("ns1", "other-domain", "x.other.org"),
	}
	all := []string{"a.example.com", "b.example.com", "c.example.com", "x.other.org"}
	for _, tc := range []struct {
		name, from, gateway string
		want                []string
	}{
		{"no Gateway in the inputs: every host", "gateway:istio-system/gw", "", all},
		{"ns1/*.example.com", "gateway:istio-system/gw",
			istioGateway("istio-system", "gw", `["ns1/*.example.com"]`, ""), []string{"a.example.com"}},
		{"*/*.example.com", "gateway:istio-system/gw",
			istioGateway("istio-system", "gw", `["*/*.example.com"]`, ""), []string{"a.example.com", "b.example.com", "c.example.com"}},
		{"*.example.com without namespace is */", "gateway:istio-system/gw",
			istioGateway("istio-system", "gw", `["*.example.com"]`, ""), []string{"a.example.com", "b.example.com", "c.example.com"}},
		{"./ is the Gateway's namespace", "gateway:istio-system/gw",
			istioGateway("istio-system", "gw", `["./*"]`, ""), []string{"c.example.com"}},
		{"exact host", "gateway:istio-system/gw",
			istioGateway("istio-system", "gw", `["ns2/b.example.com"]`, ""), []string{"b.example.com"}},
		{"*", "gateway:istio-system/gw",
			istioGateway("istio-system", "gw", `["*"]`, ""), all},
		{"port 80 only", "gateway:istio-system/gw:80",
			istioGateway("istio-system", "gw", `["ns1/*"]`, `["ns2/*"]`), []string{"a.example.com", "x.other.org"}},
		{"port 443 only", "gateway:istio-system/gw:443",
			istioGateway("istio-system", "gw", `["ns1/*"]`, `["ns2/*"]`), []string{"b.example.com"}},
		{"no port: every server", "gateway:istio-system/gw",
			istioGateway("istio-system", "gw", `["ns1/*"]`, `["ns2/*"]`), []string{"a.example.com", "b.example.com", "x.other.org"}},
		{"a port no server listens on", "gateway:istio-system/gw:8080",
			istioGateway("istio-system", "gw", `["*"]`, ""), nil},
		{"another Gateway's servers do not count", "gateway:istio-system/gw",
			istioGateway("istio-system", "other", `["ns1/a.example.com"]`, ""), all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs := vss
			if tc.gateway != "" {
				docs = append(append([]string(nil), vss...), tc.gateway)
			}
			tr := translateFrom(t, tc.from, docs...)
			var got []string
			for _, h := range tr.Table.Hosts {
				got = append(got, h.Name)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("hosts %v, want %v", got, tc.want)
			}
			for _, h := range all {
				if contains2(tc.want, h) {
					continue
				}
				if !anyContains(tr.Warnings, h) {
					t.Errorf("no warning that %s is not served; warnings %q", h, tr.Warnings)
				}
			}
		})
	}
}

func contains2(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// exportTo values Istio rejects on a VirtualService or DestinationRule (pkg/config/validation
// validation.go validateExportTo, pkg/config/visibility Instance.Validate).
func TestExportToValidation(t *testing.T) {
	for _, tc := range []struct{ exportTo, want string }{
		{`["~"]`, "exportTo ~ (none) is not allowed for Istio configuration objects"},
		{`["*", b]`, "cannot have both public (*) and non-public exportTo values for a resource"},
		{`[b, b]`, "duplicate entries in exportTo for entry b"},
		{`[a, "."]`, "duplicate entries in exportTo: . and current namespace a"},
		{`[".", a]`, "duplicate entries in exportTo for entry a"},
		{`[b_c]`, "only .,*, or a valid DNS 1123 label is allowed as exportTo entry"},
	} {
		t.Run(tc.exportTo, func(t *testing.T) {
			for _, kind := range []string{"VirtualService", "DestinationRule"} {
				spec := "{hosts: [reviews], exportTo: " + tc.exportTo + ", http: [{route: [{destination: {host: reviews}}]}]}"
				if kind == "DestinationRule" {
					spec = "{host: reviews, exportTo: " + tc.exportTo + "}"
				}
				doc := "apiVersion: networking.istio.io/v1\nkind: " + kind + "\nmetadata: {name: r, namespace: a}\nspec: " + spec + "\n"
				err := (&Config{}).Add("x.yaml", []byte(doc))
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: error %v, want %q", kind, err, tc.want)
				}
			}
		})
	}
}
