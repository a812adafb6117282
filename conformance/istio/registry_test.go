package istio

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	networking "istio.io/api/networking/v1alpha3"
	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pkg/config"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	gatewayalpha "sigs.k8s.io/gateway-api/apis/v1alpha2"
)

// routeInput is one set of files simulated together, with the service registry istiod needs for them.
type routeInput struct {
	name     string   // as the summary shows it
	files    []string // read in this order, as one configuration
	registry string   // a file of the Services the upstream test registers; "" derives them (deriveRegistry)
}

// gatewayClassPlaceholder is what the Gateway API conformance manifests name their GatewayClass; the
// conformance suite substitutes the class under test (conformance/utils/kubernetes/apply.go).
const gatewayClassPlaceholder = "{GATEWAY_CLASS_NAME}"

// routeInputs are the inputs of the route suite: splitsim's bundled scenarios and examples (registry
// derived), the Istio Gateway API conversion inputs (with the Services of Istio's conversion test), and
// the Gateway API conformance manifests, each with the conformance base manifests first, as the
// conformance suite applies them.
func routeInputs(t *testing.T) []routeInput {
	var out []routeInput
	for _, f := range append(globFiles(t, "../../scenarios/*.yaml"), globFiles(t, "../../examples/*/*.yaml")...) {
		out = append(out, routeInput{name: strings.TrimPrefix(f, "../../"), files: []string{f}})
	}
	for _, f := range globFiles(t, "../../mesh/testdata/upstream/istio-gateway/*.yaml") {
		out = append(out, routeInput{name: strings.TrimPrefix(f, "../../"), files: []string{f}, registry: "testdata/registry/istio-gateway.yaml"})
	}
	const gwapi = "../../mesh/testdata/upstream/gateway-api/"
	for _, f := range globFiles(t, gwapi+"*.yaml") {
		if filepath.Base(f) == "base.yaml" {
			continue
		}
		out = append(out, routeInput{name: strings.TrimPrefix(f, "../../"), files: []string{gwapi + "base.yaml", f}})
	}
	return out
}

// readInput reads an input's documents (the class placeholder substituted, v1alpha2 Gateways and
// HTTPRoutes read as v1: servedVersion), and its registry.
func readInput(t *testing.T, in routeInput) (docs, registry []document) {
	t.Helper()
	for _, f := range in.files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data = []byte(strings.ReplaceAll(string(data), gatewayClassPlaceholder, "istio"))
		for _, d := range parseDocuments(t, strings.TrimPrefix(f, "../../"), data) {
			docs = append(docs, servedVersion(d, "v1alpha2"))
		}
	}
	if in.registry != "" {
		return docs, readDocuments(t, in.registry)
	}
	return docs, deriveRegistry(t, docs)
}

// derivedService is a Service the registry adds: the ports the routes use, by port number.
type derivedService struct {
	ns, name string
	ports    map[uint32]string // port -> protocol prefix of its name (http, grpc, tcp, tls)
}

// derivedGateway is a Gateway API Gateway that routes name as parent and the inputs do not define.
type derivedGateway struct {
	ns, name  string
	listeners map[string]uint32 // listener name -> port
}

// deriveRegistry writes what istiod must have registered for the inputs, as Istio's own route tests
// declare it next to their configuration (pilot/pkg/networking/core/sidecar_simulation_test.go:
// a Service for every host the VirtualServices and HTTPRoutes name; httproute-weight.yaml's Gateway
// comes from the conformance base manifests):
//   - when the inputs hold no Service and no ServiceEntry (splitsim then assumes every host exists), a
//     Service for every Kubernetes host a mesh VirtualService names or routes to, and for every Service
//     an HTTPRoute, GRPCRoute, TCPRoute or TLSRoute has as parent or backend, with the ports the
//     routes name (http 80 when none);
//   - a Gateway of class istio for every Gateway a route has as parent that the inputs do not define,
//     with the listener the reference names (sectionName, port; http and 80 by default), open to
//     routes of all namespaces.
func deriveRegistry(t *testing.T, docs []document) []document {
	t.Helper()
	var istioDocs []document
	hasServices := false
	gateways := map[string]bool{}
	for _, d := range docs {
		switch {
		case d.APIGroup == "" && d.Kind == "Service", d.Kind == "ServiceEntry":
			hasServices = true
		case d.APIGroup == "gateway.networking.k8s.io" && d.Kind == "Gateway":
			gateways[nsOr(d.NS)+"/"+d.Name] = true
		}
		if istioGroups[d.APIGroup] {
			istioDocs = append(istioDocs, servedVersion(withNamespace(t, d), "v1alpha2", "v1beta1"))
		}
	}
	cfgs, _, err := crd.ParseInputs(joinDocuments(istioDocs))
	if err != nil {
		// Istio rejects the inputs; the route suite reports it.
		return nil
	}
	r := registryBuilder{services: map[string]*derivedService{}, gateways: map[string]*derivedGateway{}}
	for _, c := range cfgs {
		r.add(c)
	}
	var out []string
	if !hasServices {
		for _, k := range sortedMapKeys(r.services) {
			s := r.services[k]
			var ports strings.Builder
			nums := make([]int, 0, len(s.ports))
			for p := range s.ports {
				nums = append(nums, int(p))
			}
			sort.Ints(nums)
			if len(nums) == 0 {
				ports.WriteString("  - {name: http, port: 80, protocol: TCP}\n")
			}
			for _, p := range nums {
				fmt.Fprintf(&ports, "  - {name: %s-%d, port: %d, protocol: TCP}\n", s.ports[uint32(p)], p, p)
			}
			out = append(out, fmt.Sprintf("# registry: derived from the routes\napiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: %s}\nspec:\n  ports:\n%s", s.name, s.ns, ports.String()))
		}
	}
	for _, k := range sortedMapKeys(r.gateways) {
		g := r.gateways[k]
		if gateways[k] {
			continue
		}
		var ls strings.Builder
		for _, name := range sortedMapKeys(g.listeners) {
			fmt.Fprintf(&ls, "  - {name: %s, port: %d, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}\n", name, g.listeners[name])
		}
		out = append(out, fmt.Sprintf("# registry: a Gateway the routes name\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: %s, namespace: %s}\nspec:\n  gatewayClassName: istio\n  listeners:\n%s", g.name, g.ns, ls.String()))
	}
	if len(out) == 0 {
		return nil
	}
	return parseDocuments(t, "registry", []byte(strings.Join(out, "---\n")))
}

type registryBuilder struct {
	services map[string]*derivedService
	gateways map[string]*derivedGateway
}

// service notes that port (0: none named) of the Kubernetes host in namespace ns is used with proto.
// Hosts that are not Kubernetes names (external hosts, wildcards) get no Service.
func (r *registryBuilder) service(ns, host string, port uint32, proto string) {
	name, svcNS, ok := kubeService(ns, host)
	if !ok {
		return
	}
	k := svcNS + "/" + name
	s := r.services[k]
	if s == nil {
		s = &derivedService{ns: svcNS, name: name, ports: map[uint32]string{}}
		r.services[k] = s
	}
	if port == 0 {
		return
	}
	// http wins over the L4 protocols when routes of several kinds name the port.
	if old, ok := s.ports[port]; !ok || old == "tcp" || old == "tls" {
		s.ports[port] = proto
	}
}

// kubeService reads a host as istiod resolves it (model.ResolveShortnameToFQDN): a name without dots
// is a Service of namespace ns; NAME.NS.svc.cluster.local is Service NAME of NS. Anything else is not a
// Kubernetes Service's host.
func kubeService(ns, host string) (name, svcNS string, ok bool) {
	if host == "" || strings.Contains(host, "*") {
		return "", "", false
	}
	if !strings.Contains(host, ".") {
		return host, ns, true
	}
	if rest, ok := strings.CutSuffix(host, ".svc.cluster.local"); ok {
		if name, svcNS, ok := strings.Cut(rest, "."); ok && !strings.Contains(svcNS, ".") {
			return name, svcNS, true
		}
	}
	return "", "", false
}

func (r *registryBuilder) gateway(ns, name, section string, port uint32) {
	k := ns + "/" + name
	g := r.gateways[k]
	if g == nil {
		g = &derivedGateway{ns: ns, name: name, listeners: map[string]uint32{}}
		r.gateways[k] = g
	}
	if section == "" {
		section = "http"
	}
	if port == 0 {
		port = 80
	}
	if _, ok := g.listeners[section]; !ok {
		g.listeners[section] = port
	}
}

func (r *registryBuilder) add(c config.Config) {
	ns := nsOr(c.Namespace)
	switch spec := c.Spec.(type) {
	case *networking.VirtualService:
		r.addVirtualService(ns, spec)
	case *gatewayv1.HTTPRouteSpec:
		r.parents(ns, spec.ParentRefs, "http")
		for _, rule := range spec.Rules {
			for _, b := range rule.BackendRefs {
				r.backend(ns, b.BackendObjectReference, "http")
			}
			for _, f := range rule.Filters { // a mirror's Service, as a VirtualService's mirror (addVirtualService)
				if f.RequestMirror != nil {
					r.backend(ns, f.RequestMirror.BackendRef, "http")
				}
			}
		}
	case *gatewayv1.GRPCRouteSpec:
		r.parents(ns, spec.ParentRefs, "grpc")
		for _, rule := range spec.Rules {
			for _, b := range rule.BackendRefs {
				r.backend(ns, b.BackendObjectReference, "grpc")
			}
		}
	case *gatewayalpha.TCPRouteSpec:
		r.parents(ns, spec.ParentRefs, "tcp")
		for _, rule := range spec.Rules {
			for _, b := range rule.BackendRefs {
				r.backend(ns, b.BackendObjectReference, "tcp")
			}
		}
	case *gatewayalpha.TLSRouteSpec:
		r.parents(ns, spec.ParentRefs, "tls")
		for _, rule := range spec.Rules {
			for _, b := range rule.BackendRefs {
				r.backend(ns, b.BackendObjectReference, "tls")
			}
		}
	}
}

// addVirtualService notes the destinations and mirrors of a VirtualService, and its hosts when it
// applies to the mesh (no gateways, or "mesh" among them), with the ports its destinations to them use.
func (r *registryBuilder) addVirtualService(ns string, vs *networking.VirtualService) {
	used := map[string][]uint32{}
	dest := func(d *networking.Destination, proto string) {
		if d == nil {
			return
		}
		p := d.GetPort().GetNumber()
		r.service(ns, d.GetHost(), p, proto)
		used[d.GetHost()] = append(used[d.GetHost()], p)
	}
	for _, h := range vs.GetHttp() {
		for _, d := range h.GetRoute() {
			dest(d.GetDestination(), "http")
		}
		dest(h.GetMirror(), "http")
		for _, m := range h.GetMirrors() {
			dest(m.GetDestination(), "http")
		}
	}
	var l4Ports []uint32
	for _, tr := range vs.GetTcp() {
		for _, d := range tr.GetRoute() {
			dest(d.GetDestination(), "tcp")
		}
		for _, m := range tr.GetMatch() {
			l4Ports = append(l4Ports, m.GetPort())
		}
	}
	for _, tr := range vs.GetTls() {
		for _, d := range tr.GetRoute() {
			dest(d.GetDestination(), "tls")
		}
		for _, m := range tr.GetMatch() {
			l4Ports = append(l4Ports, m.GetPort())
		}
	}
	mesh := len(vs.GetGateways()) == 0
	for _, g := range vs.GetGateways() {
		mesh = mesh || g == "mesh"
	}
	if !mesh {
		return
	}
	for _, h := range vs.GetHosts() {
		proto := "http"
		if len(vs.GetHttp()) == 0 {
			proto = "tcp"
			if len(vs.GetTls()) > 0 {
				proto = "tls"
			}
		}
		r.service(ns, h, 0, proto)
		for _, p := range append(used[h], l4Ports...) {
			r.service(ns, h, p, proto)
		}
	}
}

func (r *registryBuilder) parents(ns string, refs []gatewayv1.ParentReference, proto string) {
	for _, p := range refs {
		group, kind := "gateway.networking.k8s.io", "Gateway"
		if p.Group != nil {
			group = string(*p.Group)
		}
		if p.Kind != nil {
			kind = string(*p.Kind)
		}
		pns := ns
		if p.Namespace != nil {
			pns = string(*p.Namespace)
		}
		port := uint32(0)
		if p.Port != nil {
			port = uint32(*p.Port)
		}
		section := ""
		if p.SectionName != nil {
			section = string(*p.SectionName)
		}
		switch {
		case (group == "" || group == "core") && kind == "Service":
			r.service(pns, string(p.Name), port, proto)
		case group == "gateway.networking.k8s.io" && kind == "Gateway":
			r.gateway(pns, string(p.Name), section, port)
		}
	}
}

func (r *registryBuilder) backend(ns string, b gatewayv1.BackendObjectReference, proto string) {
	if b.Group != nil && *b.Group != "" && *b.Group != "core" || b.Kind != nil && *b.Kind != "Service" {
		return
	}
	bns := ns
	if b.Namespace != nil {
		bns = string(*b.Namespace)
	}
	port := uint32(0)
	if b.Port != nil {
		port = uint32(*b.Port)
	}
	r.service(bns, string(b.Name), port, proto)
}

func nsOr(ns string) string {
	if ns == "" {
		return "default"
	}
	return ns
}

func sortedMapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
