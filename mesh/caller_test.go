package mesh

import (
	"reflect"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// Caller specs, the form --from takes, read and written back. A namespace is an RFC 1123 label, as
// Kubernetes requires of namespace names (k8s.io/apimachinery pkg/util/validation IsDNS1123Label); a
// gateway is NAMESPACE/NAME, as Istio resolves gateway names (pilot/pkg/model/virtualservice.go
// resolveGatewayName); String writes labels sorted by key so that one caller has one spelling.
func TestParseCallerRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want Caller
		// canonical is String's spelling when it differs from spec.
		canonical string
	}{
		{spec: "sidecar:default", want: Caller{Namespace: "default"}},
		{spec: "sidecar:a", want: Caller{Namespace: "a"}},
		{spec: "sidecar:team-1", want: Caller{Namespace: "team-1"}},
		{spec: "sidecar:" + strings.Repeat("n", 63), want: Caller{Namespace: strings.Repeat("n", 63)}},
		{spec: "sidecar:default:app=frontend", want: Caller{Namespace: "default", Labels: map[string]string{"app": "frontend"}}},
		{spec: "sidecar:default:version=v1,app=frontend", want: Caller{Namespace: "default", Labels: map[string]string{"app": "frontend", "version": "v1"}},
			canonical: "sidecar:default:app=frontend,version=v1"},
		{spec: "sidecar:default:app.kubernetes.io/name=web", want: Caller{Namespace: "default", Labels: map[string]string{"app.kubernetes.io/name": "web"}}},
		{spec: "sidecar:default:canary=", want: Caller{Namespace: "default", Labels: map[string]string{"canary": ""}}},
		{spec: "gateway:istio-system/ingress", want: Caller{Gateway: "istio-system/ingress", Namespace: "istio-system"}},
		{spec: "gateway:istio-system/ingress:8080", want: Caller{Gateway: "istio-system/ingress", Namespace: "istio-system", Port: 8080}},
		{spec: "gateway:gw/public.gateway:1", want: Caller{Gateway: "gw/public.gateway", Namespace: "gw", Port: 1}},
		{spec: "gateway:gw/ingress:65535", want: Caller{Gateway: "gw/ingress", Namespace: "gw", Port: 65535}},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := ParseCaller(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ParseCaller(%q) = %+v, want %+v", tc.spec, got, tc.want)
			}
			canonical := tc.canonical
			if canonical == "" {
				canonical = tc.spec
			}
			if s := got.String(); s != canonical {
				t.Fatalf("String() = %q, want %q", s, canonical)
			}
			again, err := ParseCaller(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("ParseCaller(String()) = %+v, %v; want %+v", again, err, got)
			}
			if got.IsGateway() != strings.HasPrefix(tc.spec, "gateway:") {
				t.Fatalf("IsGateway() = %t", got.IsGateway())
			}
		})
	}
}

// Malformed caller specs are errors that say what is wrong. Namespaces and gateway names follow
// Kubernetes' object name rules (k8s.io/apimachinery pkg/util/validation: IsDNS1123Label for
// namespaces, IsDNS1123Subdomain for names); a port is 1-65535 (Istio's Gateway server port).
func TestParseCallerErrors(t *testing.T) {
	for _, tc := range []struct {
		spec, want string
	}{
		{"", "want sidecar:NAMESPACE"},
		{"pod:default", "want sidecar:NAMESPACE"},
		{"Sidecar:default", "want sidecar:NAMESPACE"},
		{"sidecar", "namespace is empty"},
		{"sidecar:", "namespace is empty"},
		{"sidecar:Default", "not a DNS label"},
		{"sidecar:-a", "not a DNS label"},
		{"sidecar:a-", "not a DNS label"},
		{"sidecar:a_b", "not a DNS label"},
		{"sidecar:a.b", "not a DNS label"},
		{"sidecar:" + strings.Repeat("n", 64), "longer than 63"},
		{"sidecar:default:app", `label "app" is not KEY=VALUE`},
		{"sidecar:default:app=web,version", `label "version" is not KEY=VALUE`},
		{"sidecar:default:=web", `label "=web" is not KEY=VALUE`},
		{"sidecar:default:", `label "" is not KEY=VALUE`},
		{"sidecar:default:app=web,,b=c", `label "" is not KEY=VALUE`},
		{"gateway:istio-system", "a gateway is NAMESPACE/NAME"},
		{"gateway:istio-system/", "a gateway is NAMESPACE/NAME"},
		{"gateway:istio-system/:80", "a gateway is NAMESPACE/NAME"},
		{"gateway:/ingress", "namespace is empty"},
		{"gateway:Istio/ingress", "not a DNS label"},
		{"gateway:istio-system/ingress/extra", "gateway name"},
		{"gateway:istio-system/Ingress", "gateway name"},
		{"gateway:istio-system/ingress:", "port must be from 1 to 65535"},
		{"gateway:istio-system/ingress:0", "port must be from 1 to 65535"},
		{"gateway:istio-system/ingress:65536", "port must be from 1 to 65535"},
		{"gateway:istio-system/ingress:-1", "port must be from 1 to 65535"},
		{"gateway:istio-system/ingress:http", "port must be from 1 to 65535"},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			c, err := ParseCaller(tc.spec)
			if err == nil {
				t.Fatalf("ParseCaller(%q) = %+v, want an error containing %q", tc.spec, c, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), "caller") {
				t.Fatalf("error %q does not say it is about the caller", err)
			}
		})
	}
}

// Which name match.gateways is tested against: "mesh" for a sidecar, the gateway's NAMESPACE/NAME
// for a gateway (istio pilot/pkg/networking/core/route/route.go sourceMatchHTTP, with the gateway
// names of the proxy; constants.IstioMeshGateway).
func TestCallerGatewayName(t *testing.T) {
	for _, tc := range []struct {
		caller Caller
		want   string
	}{
		{Sidecar("default", nil), "mesh"},
		{Sidecar("default", map[string]string{"app": "x"}), "mesh"},
		{Caller{Gateway: "istio-system/gw", Namespace: "istio-system"}, "istio-system/gw"},
		{Caller{Gateway: "istio-system/gw", Namespace: "istio-system", Port: 80}, "istio-system/gw"},
	} {
		t.Run(tc.caller.String(), func(t *testing.T) {
			if got := tc.caller.gatewayName(); got != tc.want {
				t.Fatalf("gatewayName() = %q, want %q", got, tc.want)
			}
		})
	}
}

// translateFrom loads the documents and translates them for the caller spec.
func translateFrom(t *testing.T, spec string, docs ...string) *Translation {
	t.Helper()
	from, err := ParseCaller(spec)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := TranslateFrom(mustConfig(t, docs...), from)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// routeRule is the index of the rule a request to path on host fqdn takes, or -1 for no route
// (404 NR).
func routeRule(t *testing.T, tr *Translation, fqdn string, req sim.Request) int {
	t.Helper()
	h := lookup(t, tr, fqdn)
	r := h.Route(&req)
	if r < 0 {
		return -1
	}
	return h.Routes[r].Rule
}

const sourceLabelsVS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - name: frontend
    match: [{sourceLabels: {app: frontend}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - name: rest
    route: [{destination: {host: reviews, subset: v1}}]
---
`

// Matches on the caller are decided per proxy: istiod leaves out of a proxy's routes the match
// blocks whose sourceLabels are not a subset of the proxy's labels, whose sourceNamespace is not the
// proxy's namespace, or whose gateways do not name the proxy's gateway ("mesh" for a sidecar), and
// when gateways are given they decide alone (istio pilot/pkg/networking/core/route/route.go
// sourceMatchHTTP, called from BuildHTTPRoutesForVirtualService); a rule whose every match block is
// left out has no route for that caller (sim.Rule.Skipped).
func TestCallerMatches(t *testing.T) {
	ns := func(n string) string {
		return strings.Replace(sourceLabelsVS, "sourceLabels: {app: frontend}", "sourceNamespace: "+n, 1)
	}
	gwVS := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: istio-system}
spec:
  hosts: [reviews.default.svc.cluster.local]
  gateways: [mesh, gw]
  http:
  - name: mesh-only
    match: [{gateways: [mesh], uri: {prefix: /a}}]
    route: [{destination: {host: reviews.default.svc.cluster.local, subset: v2}}]
  - name: gw-only
    match: [{gateways: [gw], uri: {prefix: /a}}]
    route: [{destination: {host: reviews.default.svc.cluster.local, subset: v3}}]
  - name: rest
    route: [{destination: {host: reviews.default.svc.cluster.local, subset: v1}}]
---
`
	// Istio's egress-gateway pattern: the mesh's rule takes every request of a sidecar, and the
	// gateway's rule after it is not for the sidecar (not hidden by it), and the other way round.
	egress := strings.NewReplacer("match: [{gateways: [mesh], uri: {prefix: /a}}]", "match: [{gateways: [mesh]}]",
		"match: [{gateways: [gw], uri: {prefix: /a}}]", "match: [{gateways: [gw]}]").Replace(gwVS)
	gatewaysDecideAlone := strings.Replace(sourceLabelsVS, "sourceLabels: {app: frontend}", "gateways: [mesh], sourceLabels: {app: nobody}, sourceNamespace: nowhere", 1)
	const fqdn = "reviews.default.svc.cluster.local"
	for _, tc := range []struct {
		name, from, docs string
		rule             int
		skipped          []int  // rules that must be Skipped for this caller
		why              string // what Skipped must say
	}{
		{"sourceLabels: the caller has the labels", "sidecar:default:app=frontend", sourceLabelsVS, 0, nil, ""},
		{"sourceLabels: a superset of the labels", "sidecar:default:app=frontend,version=v1", sourceLabelsVS, 0, nil, ""},
		{"sourceLabels: a caller without labels", "sidecar:default", sourceLabelsVS, 1, []int{0}, "sourceLabels app=frontend"},
		{"sourceLabels: other value", "sidecar:default:app=backend", sourceLabelsVS, 1, []int{0}, "sourceLabels app=frontend"},
		{"sourceLabels: caller in another namespace", "sidecar:other:app=frontend", sourceLabelsVS, 0, nil, ""},
		{"sourceNamespace: the caller's namespace", "sidecar:a", ns("a"), 0, nil, ""},
		{"sourceNamespace: another namespace", "sidecar:b", ns("a"), 1, []int{0}, "sourceNamespace a"},
		{"gateways [mesh]: a sidecar", "sidecar:default", gwVS, 0, []int{1}, "gateways gw do not include mesh"},
		{"gateways [gw]: that gateway (short name in the VirtualService's namespace)", "gateway:istio-system/gw", gwVS, 1, []int{0},
			"gateways mesh do not include istio-system/gw"},
		{"gateways decide alone: sourceLabels and sourceNamespace are not tested", "sidecar:default", gatewaysDecideAlone, 0, nil, ""},
		{"egress pattern: a sidecar", "sidecar:default", egress, 0, []int{1}, "gateways gw do not include mesh"},
		{"egress pattern: the gateway", "gateway:istio-system/gw", egress, 1, []int{0}, "gateways mesh do not include istio-system/gw"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := translateFrom(t, tc.from, tc.docs+drReviews)
			if got := routeRule(t, tr, fqdn, sim.Request{Path: "/a"}); got != tc.rule {
				t.Fatalf("a request from %s takes rule %d, want %d", tc.from, got, tc.rule)
			}
			h := lookup(t, tr, fqdn)
			for i, r := range h.Rules {
				want := contains(tc.skipped, i)
				if (r.Skipped != "") != want {
					t.Errorf("rule %d Skipped = %q, want skipped %t", i, r.Skipped, want)
				}
				if want && !strings.Contains(r.Skipped, tc.why) {
					t.Errorf("rule %d Skipped = %q, want it to say %q", i, r.Skipped, tc.why)
				}
				if want && r.Unreachable {
					t.Errorf("rule %d is Unreachable (an earlier catch-all hides it), want only Skipped: it is not for this caller", i)
				}
			}
			if h.From != tc.from {
				t.Errorf("From = %q, want %q", h.From, tc.from)
			}
		})
	}
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// match.port is tested against the port of the listener whose routes are built (istio
// pilot/pkg/networking/core/route/route.go translateRoute: "if match.Port != 0 && match.Port !=
// listenPort, skip"): for a sidecar the Service's port (when the inputs give the Service with one
// port), for a gateway the port the request arrives on. With the listener port unknown (a Service
// with two ports, a gateway caller without a port and no Gateway in the inputs) a port match is kept.
func TestCallerMatchPort(t *testing.T) {
	vsDoc := func() string {
		return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  gateways: [mesh, istio-system/gw]
  http:
  - name: on-9080
    match: [{port: 9080, uri: {prefix: /a}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - name: on-80
    match: [{port: 80, uri: {prefix: /a}}]
    route: [{destination: {host: reviews, subset: v3}}]
  - name: rest
    route: [{destination: {host: reviews, subset: v1}}]
---
`
	}
	svc := func(ports string) string {
		return "apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: default}\nspec: {ports: " + ports + "}\n---\n"
	}
	const fqdn = "reviews.default.svc.cluster.local"
	for _, tc := range []struct {
		name, from, docs string
		rule             int
		skipped          []int
	}{
		{"sidecar, Service port 9080", "sidecar:default", svc("[{port: 9080}]"), 0, []int{1}},
		{"sidecar, Service port 80", "sidecar:default", svc("[{port: 80}]"), 1, []int{0}},
		{"sidecar, Service port 7000", "sidecar:default", svc("[{port: 7000}]"), 2, []int{0, 1}},
		{"sidecar, Service with two ports: listener unknown", "sidecar:default", svc("[{port: 9080}, {port: 80}]"), 0, nil},
		{"sidecar, no Service in the inputs", "sidecar:default", "", 0, nil},
		{"gateway on port 80", "gateway:istio-system/gw:80", "", 1, []int{0}},
		{"gateway on port 443", "gateway:istio-system/gw:443", "", 2, []int{0, 1}},
		{"gateway without port or Gateway resource", "gateway:istio-system/gw", "", 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := translateFrom(t, tc.from, vsDoc()+tc.docs+drReviews)
			if got := routeRule(t, tr, fqdn, sim.Request{Path: "/a"}); got != tc.rule {
				t.Fatalf("rule %d, want %d", got, tc.rule)
			}
			for i, r := range lookup(t, tr, fqdn).Rules {
				if want := contains(tc.skipped, i); (r.Skipped != "") != want {
					t.Errorf("rule %d Skipped = %q, want skipped %t", i, r.Skipped, want)
				}
			}
		})
	}
}
