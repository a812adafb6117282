package mesh

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// An upstream probe: a request a caller sends and where upstream says it goes.
type upstreamProbe struct {
	line    int
	caller  Caller
	host    string
	method  string
	path    string
	headers map[string]string
	want    string // "404", "500", or the destinations "fqdn:port weight, ..." (weights as Istio emits them)
}

// where routes a probe through the caller's view of cfg and says where it goes, in the form of
// upstreamProbe.want.
func where(t *testing.T, cfg *Config, p upstreamProbe) string {
	t.Helper()
	tr, err := TranslateFrom(cfg, p.caller)
	if err != nil {
		t.Fatalf("line %d: %v", p.line, err)
	}
	h := tr.Table.Serve(p.host)
	if h == nil {
		return "404"
	}
	path, query, _ := strings.Cut(p.path, "?")
	req := sim.Request{Method: p.method, Path: path, Scheme: "http", Authority: p.host, Headers: p.headers, Query: map[string]string{}}
	for _, kv := range strings.Split(query, "&") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			req.Query[k] = v
		}
	}
	i := h.Route(&req)
	if i < 0 {
		return "404"
	}
	a := h.Rules[h.Routes[i].Rule].Action
	if a.Kind != sim.Forward {
		return fmt.Sprint(a.Status)
	}
	var out []string
	positive := 0
	for _, d := range a.Destinations {
		if d.EnvoyWeight > 0 {
			positive++
		}
	}
	for _, d := range a.Destinations {
		if d.EnvoyWeight == 0 {
			continue
		}
		if d.Status != 200 {
			if positive == 1 {
				return fmt.Sprint(d.Status)
			}
			out = append(out, fmt.Sprintf("%d %d", d.Status, d.EnvoyWeight))
			continue
		}
		w := d.EnvoyWeight
		if positive == 1 {
			w = 100
		}
		parts := strings.Split(d.Cluster, "|") // outbound|port|subset|fqdn
		out = append(out, fmt.Sprintf("%s:%s %d", parts[3], parts[1], w))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func loadUpstream(t *testing.T, files ...string) *Config {
	t.Helper()
	cfg := &Config{}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join("testdata/upstream", f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.AddLenient(f, data); err != nil {
			t.Fatal(err)
		}
	}
	return cfg
}

// readProbes reads the probe lines of an upstream expectation file with parse, skipping comments.
func readProbes(t *testing.T, file string, parse func(fields []string, want string) (upstreamProbe, bool)) []upstreamProbe {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata/upstream", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []upstreamProbe
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		req, want, ok := strings.Cut(line, " -> ")
		if !ok {
			t.Fatalf("%s:%d: no ->", file, n)
		}
		p, ok := parse(strings.Fields(req), strings.TrimSpace(want))
		if ok {
			p.line = n
			out = append(out, p)
		}
	}
	return out
}

// The Gateway API conformance tests for listeners (kubernetes-sigs/gateway-api conformance/tests
// httproute-listener-hostname-matching.go, gateway-http-listener-isolation.go): a request reaches
// the routes of the most specific listener whose hostname matches it, and only those (Envoy's
// virtual host selection over the hostnames Istio derives from listeners and routes).
func TestGatewayAPIConformanceListeners(t *testing.T) {
	for _, tc := range []struct{ expect, manifests string }{
		{"httproute-listener-hostname-matching.expect.txt", "httproute-listener-hostname-matching.yaml"},
		{"gateway-http-listener-isolation.expect.txt", "gateway-http-listener-isolation.yaml gateway-http-listener-isolation-with-hostname-intersection.yaml"},
	} {
		t.Run(tc.expect, func(t *testing.T) {
			files := []string{"gateway-api/base.yaml"}
			for _, m := range strings.Fields(tc.manifests) {
				files = append(files, "gateway-api/"+m)
			}
			cfg := loadUpstream(t, files...)
			probes := readProbes(t, "gateway-api/"+tc.expect, func(f []string, want string) (upstreamProbe, bool) {
				p := upstreamProbe{caller: Caller{Gateway: f[0], Namespace: strings.Split(f[0], "/")[0]}, host: f[1], method: f[2], path: f[3], headers: map[string]string{}, want: want}
				if ns, svc, ok := strings.Cut(want, "/"); ok {
					p.want = FQDN(svc, ns) + ":8080 100"
				}
				return p, true
			})
			if len(probes) < 8 {
				t.Fatalf("%d probes", len(probes))
			}
			t.Logf("%d probes", len(probes))
			for _, p := range probes {
				if got := where(t, cfg, p); got != p.want {
					t.Errorf("line %d: %s %s%s from %s: got %s, want %s", p.line, p.method, p.host, p.path, p.caller, got, p.want)
				}
			}
		})
	}
}

// MeshConsumerRoute (gateway-api conformance/tests/mesh/mesh-consumer-route.go, GEP-1426): an
// HTTPRoute in another namespace than its parent Service applies only to callers of its own
// namespace, and needs no ReferenceGrant to send to the parent Service.
func TestGatewayAPIConformanceMeshConsumerRoute(t *testing.T) {
	cfg := loadUpstream(t, "gateway-api/base.yaml", "gateway-api/mesh-consumer-route.yaml")
	labels := map[string]string{"app": "echo", "version": "v1"}
	fqdn := FQDN("echo-v1", "gateway-conformance-mesh")
	for _, tc := range []struct {
		ns       string
		consumer bool
	}{{"gateway-conformance-mesh-consumer", true}, {"gateway-conformance-mesh", false}} {
		t.Run(tc.ns, func(t *testing.T) {
			tr, err := TranslateFrom(cfg, Sidecar(tc.ns, labels))
			if err != nil {
				t.Fatal(err)
			}
			h := tr.Table.Lookup(fqdn)
			byRoute := h != nil && strings.Contains(h.DecidedBy, "mesh-echo-add-header")
			if byRoute != tc.consumer {
				t.Fatalf("decided by the consumer route: %v, want %v (host %+v)", byRoute, tc.consumer, h)
			}
			if tc.consumer {
				d := h.Rules[0].Action.Destinations
				if len(d) != 1 || d[0].Status != 200 || !strings.HasSuffix(d[0].Cluster, "|"+fqdn) {
					t.Fatalf("destinations %+v, want echo-v1 with status 200 (no ReferenceGrant needed)", d)
				}
			}
		})
	}
}

var autogenerated = regexp.MustCompile(`^([^/]+)/(.+?)(?:-istio-autogenerated-k8s-gateway-[\w-]+|~istio-autogenerated-k8s-gateway~[\w-]+)$`)

// istioProbe reads a probe line of the files made from Istio's Gateway API conversion goldens.
func istioProbe(f []string, want string) (upstreamProbe, bool) {
	if len(f) < 4 || f[2] == "TCP" || f[2] == "TLS" || strings.HasPrefix(want, "no route") || strings.Contains(want, "(default Service routing") {
		return upstreamProbe{}, false
	}
	p := upstreamProbe{method: f[2], path: f[3], headers: map[string]string{}}
	for _, kv := range f[4:] {
		k, v, _ := strings.Cut(kv, "=")
		p.headers[strings.ToLower(k)] = v
	}
	host, port, _ := strings.Cut(f[1], ":")
	p.host = strings.ReplaceAll(host, ".domain.suffix", "."+DomainSuffix)
	switch {
	case f[0] == "mesh":
		p.caller = Sidecar("default", nil)
	case strings.HasPrefix(f[0], "mesh(ns="):
		p.caller = Sidecar(strings.TrimSuffix(strings.TrimPrefix(f[0], "mesh(ns="), ")"), nil)
	default:
		m := autogenerated.FindStringSubmatch(f[0])
		if m == nil {
			return upstreamProbe{}, false
		}
		p.caller = Caller{Gateway: m[1] + "/" + m[2], Namespace: m[1]}
	}
	_ = port
	want = strings.ReplaceAll(want, ".domain.suffix", "."+DomainSuffix)
	if i := strings.Index(want, " +hdr"); i >= 0 {
		want = want[:i]
	}
	switch {
	case strings.HasPrefix(want, "500"):
		want = "500"
	case strings.HasSuffix(want, " (500)") && !strings.Contains(want, ", "):
		want = "500"
	}
	var dests []string
	if want != "500" && want != "404" {
		for _, d := range strings.Split(want, ", ") {
			if strings.HasSuffix(d, "(500)") {
				d = "500 " + strings.Fields(d)[1]
			}
			dests = append(dests, d)
		}
		sort.Strings(dests)
		want = strings.Join(dests, ", ")
	}
	p.want = want
	return p, true
}

// Istio's own Gateway API conversion goldens (istio pilot/pkg/config/kube/gateway/testdata:
// route-precedence, mesh, valid-invalid-parent-ref, invalid; conversion.go convertHTTPRoute,
// sortHTTPRoutes, referenceAllowed): each probe read from the golden VirtualServices reaches the same
// backend here. Istio's conversion test labels every namespace "istio.io/test-name-part: <name up to
// the first '-'>" (conversion_test.go); the Namespace objects below do the same.
func TestIstioGatewayConversionGoldens(t *testing.T) {
	for _, name := range []string{"route-precedence", "valid-invalid-parent-ref", "invalid", "mesh"} {
		t.Run(name, func(t *testing.T) {
			cfg := loadUpstream(t, "istio-gateway/"+name+".yaml")
			for _, ns := range []string{"default", "allowed-1", "allowed-2", "istio-system", "apple"} {
				part, _, _ := strings.Cut(ns, "-")
				cfg.NamespaceLabels = withNamespace(cfg.NamespaceLabels, ns, map[string]string{"istio.io/test-name-part": part})
			}
			// The Services the conversion test registers (conversion_test.go), so that a backend
			// not among them is BackendNotFound.
			if name == "invalid" {
				cfg.Services = append(cfg.Services, &Service{Document: &Document{Kind: "Service", Name: "httpbin", Namespace: "default"}, Ports: []uint32{80}})
			}
			probes := readProbes(t, "istio-gateway/"+name+".probes.txt", istioProbe)
			t.Logf("%d probes", len(probes))
			for _, p := range probes {
				if got := where(t, cfg, p); got != p.want {
					t.Errorf("line %d: %s %s%s from %s: got %s, want %s", p.line, p.method, p.host, p.path, p.caller, got, p.want)
				}
			}
		})
	}
}

func withNamespace(m map[string]map[string]string, ns string, labels map[string]string) map[string]map[string]string {
	if m == nil {
		m = map[string]map[string]string{}
	}
	m[ns] = labels
	return m
}
