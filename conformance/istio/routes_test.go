package istio

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/sim"
	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"sigs.k8s.io/yaml"
)

// routeInputs are the inputs of the route suite: splitsim's bundled scenarios and the Istio Gateway
// API conversion inputs under mesh/testdata/upstream/istio-gateway (not the goldens).
func routeInputs(t *testing.T) []string {
	files := globFiles(t, "../../scenarios/*.yaml")
	up, _ := filepath.Glob("../../mesh/testdata/upstream/istio-gateway/*.yaml")
	return append(files, up...)
}

// istioGroups are the API groups istiod reads; documents of other groups (splitsim.dev Scenarios, Argo
// Rollouts, Flagger Canaries) are left out of Istio's inputs.
var istioGroups = map[string]bool{"": true, "apps": true, "networking.istio.io": true, "gateway.networking.k8s.io": true, "security.istio.io": true}

// istioInputs keeps the documents Istio knows and adds a GatewayClass for every class name the
// Gateways use that the inputs do not define (Istio installs its own classes in a cluster), and the
// Service and pod of every Gateway API Gateway (gatewayDeployment); it returns the pod IP of each
// Gateway ("namespace/name").
func istioInputs(t *testing.T, docs []document) (string, map[string]string) {
	var kept []document
	classes := map[string]bool{}
	defined := map[string]bool{}
	gwServices := map[string]*gwService{}
	for _, d := range docs {
		if !istioGroups[d.APIGroup] || d.Kind == "List" {

			continue
		}
		switch {
		case d.APIGroup == "gateway.networking.k8s.io" && d.Kind == "Gateway":
			var g struct {
				Spec struct {
					GatewayClassName string       `json:"gatewayClassName"`
					Listeners        []gwListener `json:"listeners"`
					Addresses        []struct {
						Type  string `json:"type"`
						Value string `json:"value"`
					} `json:"addresses"`
				} `json:"spec"`
			}
			if err := yaml.Unmarshal(d.Body, &g); err != nil {
				t.Fatal(err)
			}
			classes[g.Spec.GatewayClassName] = true
			// The Service: NAME-CLASS for a gateway Istio deploys, else the Hostname addresses.
			svc := d.Name + "-" + g.Spec.GatewayClassName
			for _, a := range g.Spec.Addresses {
				if a.Type == "" || a.Type == "Hostname" {
					svc, _, _ = strings.Cut(a.Value, ".")
					break
				}
			}
			ns := d.NS
			if ns == "" {
				ns = "default"
			}
			key := ns + "/" + svc
			if gs := gwServices[key]; gs != nil {
				gs.listeners = append(gs.listeners, g.Spec.Listeners...)
				gs.gateways = append(gs.gateways, ns+"/"+d.Name)
			} else {
				gwServices[key] = &gwService{ns: ns, name: svc, n: len(gwServices) + 1, listeners: g.Spec.Listeners, gateways: []string{ns + "/" + d.Name}}
			}
		case d.Kind == "GatewayClass":
			defined[d.Name] = true
		}
		kept = append(kept, withNamespace(t, d))
	}
	out := joinDocuments(kept)
	for c := range classes {
		if !defined[c] {
			out += fmt.Sprintf("---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: %q\nspec:\n  controllerName: istio.io/gateway-controller\n", c)
		}
	}
	ips := map[string]string{}
	for _, gs := range gwServices {
		out += "---\n" + gatewayDeployment(gs)
		for _, g := range gs.gateways {
			ips[g] = gatewayIP(gs.n)
		}
	}
	return out, ips
}

// gwService is the Service of one or more Gateway API Gateways.
type gwService struct {
	ns, name  string
	n         int
	listeners []gwListener
	gateways  []string // namespace/name
}

type gwListener struct {
	Port int `json:"port"`
}

// gatewayIP is the pod IP of the n-th Gateway API gateway's deployment (gatewayDeployment).
func gatewayIP(n int) string { return fmt.Sprintf("10.99.0.%d", n) }

// gatewayDeployment stands for what Istio deploys for a Gateway API Gateway of an Istio class
// (pilot/pkg/config/kube/gateway: the Service that extractGatewayServices names, and its pod): istiod gives a gateway proxy the Gateway's routes when the proxy is an endpoint of that Service
// (push_context.go gatewayWithInstances, InternalGatewayServiceAnnotation).
func gatewayDeployment(gs *gwService) string {
	var ports strings.Builder
	seen := map[int]bool{}
	for _, l := range gs.listeners {
		if !seen[l.Port] && l.Port > 0 {
			seen[l.Port] = true
			fmt.Fprintf(&ports, "  - {name: http-%d, port: %d, protocol: TCP}\n", l.Port, l.Port)
		}
	}
	if ports.Len() == 0 {
		ports.WriteString("  - {name: http-80, port: 80, protocol: TCP}\n")
	}
	label := fmt.Sprintf("splitsim.dev/gateway-service: %s", gs.name)
	return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata: {name: %s, namespace: %s}
spec:
  selector: {%s}
  ports:
%s---
apiVersion: v1
kind: Pod
metadata: {name: %s-pod, namespace: %s, labels: {%s}}
spec: {containers: [{name: istio-proxy, image: proxyv2}]}
status: {phase: Running, podIP: %s, podIPs: [{ip: %s}], conditions: [{type: Ready, status: "True"}]}
`, gs.name, gs.ns, label, ports.String(), gs.name, gs.ns, label, gatewayIP(gs.n), gatewayIP(gs.n))
}

// clusterScoped are the kinds of the inputs that have no namespace.
var clusterScoped = map[string]bool{"Namespace": true, "GatewayClass": true, "Node": true, "CustomResourceDefinition": true}

// withNamespace writes namespace default into a namespaced object that has none, as kubectl apply
// does; istiod's test helpers would otherwise keep the empty namespace (short hosts expand to
// NAME..svc.cluster.local).
func withNamespace(t *testing.T, d document) document {
	if d.NS != "" || clusterScoped[d.Kind] {
		return d
	}
	var obj map[string]any
	if err := yaml.Unmarshal(d.Body, &obj); err != nil {
		t.Fatal(err)
	}
	meta, _ := obj["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		obj["metadata"] = meta
	}
	meta["namespace"] = "default"
	out, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	d.Body, d.NS = out, "default"
	return d
}

// clusterWeight is one entry of a route's action: a cluster and its Envoy weight, or a non-forward
// action ("redirect 301", "direct 500").
type clusterWeight struct {
	Name   string
	Weight uint32
}

func actionString(a []clusterWeight) string {
	var parts []string
	for _, c := range a {
		if c.Weight == 0 {
			parts = append(parts, c.Name)
		} else {
			parts = append(parts, fmt.Sprintf("%s=%d", c.Name, c.Weight))
		}
	}
	if len(parts) == 0 {
		return "(nothing)"
	}
	return strings.Join(parts, ",")
}

var redirectCodes = map[route.RedirectAction_RedirectResponseCode]int{
	route.RedirectAction_MOVED_PERMANENTLY:  301,
	route.RedirectAction_FOUND:              302,
	route.RedirectAction_SEE_OTHER:          303,
	route.RedirectAction_TEMPORARY_REDIRECT: 307,
	route.RedirectAction_PERMANENT_REDIRECT: 308,
}

// envoyAction reads an Envoy route's action as splitsim states it.
func envoyAction(r *route.Route) []clusterWeight {
	switch a := r.GetAction().(type) {
	case *route.Route_Route:
		if c := a.Route.GetCluster(); c != "" {
			return []clusterWeight{{c, 1}}
		}
		var out []clusterWeight
		for _, c := range a.Route.GetWeightedClusters().GetClusters() {
			out = append(out, clusterWeight{c.GetName(), c.GetWeight().GetValue()})
		}
		return out
	case *route.Route_Redirect:
		return []clusterWeight{{fmt.Sprintf("redirect %d", redirectCodes[a.Redirect.GetResponseCode()]), 0}}
	case *route.Route_DirectResponse:
		return []clusterWeight{{fmt.Sprintf("direct %d", a.DirectResponse.GetStatus()), 0}}
	}
	return []clusterWeight{{fmt.Sprintf("%T", r.GetAction()), 0}}
}

// splitsimAction reads a splitsim rule's action: the destinations Envoy receives (weight above 0).
func splitsimAction(a *sim.Action) []clusterWeight {
	switch a.Kind {
	case sim.Forward:
		var out []clusterWeight
		seen := map[string]bool{}
		for _, d := range a.Destinations {
			if a.Endpoints {
				// No route decided: Envoy's default route sends to the Service's cluster.
				if !seen[d.Cluster] {
					seen[d.Cluster] = true
					out = append(out, clusterWeight{d.Cluster, 1})
				}
				continue
			}
			if d.EnvoyWeight > 0 {
				out = append(out, clusterWeight{d.Cluster, d.EnvoyWeight})
			}
		}
		if len(out) == 1 {
			out[0].Weight = 1
		}
		return out
	case sim.Redirect:
		return []clusterWeight{{fmt.Sprintf("redirect %d", a.Status), 0}}
	case sim.DirectResponse:
		return []clusterWeight{{fmt.Sprintf("direct %d", a.Status), 0}}
	}
	return []clusterWeight{{"unsupported: " + a.Note, 0}}
}

// envoyRoute returns the index of the first route of the virtual host that matches the request, as
// Envoy's RouteMatcher does (source/common/router/config_impl.cc: path specifier, headers, query
// parameters), or -1.
func envoyRoute(vh *route.VirtualHost, req *sim.Request) int {
	for i, r := range vh.GetRoutes() {
		if envoyMatches(r.GetMatch(), req) {
			return i
		}
	}
	return -1
}

func envoyMatches(m *route.RouteMatch, req *sim.Request) bool {
	path := req.Path
	if path == "" {
		path = "/"
	}
	fold := m.GetCaseSensitive() != nil && !m.GetCaseSensitive().GetValue()
	cmp := func(s string) string {
		if fold {
			return strings.ToLower(s)
		}
		return s
	}
	switch p := m.GetPathSpecifier().(type) {
	case *route.RouteMatch_Prefix:
		if !strings.HasPrefix(cmp(path), cmp(p.Prefix)) {
			return false
		}
	case *route.RouteMatch_Path:
		if cmp(path) != cmp(p.Path) {
			return false
		}
	case *route.RouteMatch_PathSeparatedPrefix:
		pp := cmp(p.PathSeparatedPrefix)
		if cmp(path) != pp && !strings.HasPrefix(cmp(path), pp+"/") {
			return false
		}
	case *route.RouteMatch_SafeRegex:
		if !fullMatch(p.SafeRegex.GetRegex(), path) {
			return false
		}
	}
	for _, h := range m.GetHeaders() {
		v, ok := requestHeader(req, strings.ToLower(h.GetName()))
		var match bool
		switch s := h.GetHeaderMatchSpecifier().(type) {
		case *route.HeaderMatcher_PresentMatch:
			match = ok == s.PresentMatch
		case *route.HeaderMatcher_StringMatch:
			if !ok && h.GetTreatMissingHeaderAsEmpty() {
				v, ok = "", true
			}
			match = ok && stringMatches(s.StringMatch, v)
		default:
			match = ok
		}
		if match == h.GetInvertMatch() {
			return false
		}
	}
	for _, q := range m.GetQueryParameters() {
		v, ok := req.Query[q.GetName()]
		switch s := q.GetQueryParameterMatchSpecifier().(type) {
		case *route.QueryParameterMatcher_PresentMatch:
			if ok != s.PresentMatch {
				return false
			}
		case *route.QueryParameterMatcher_StringMatch:
			if !ok || !stringMatches(s.StringMatch, v) {
				return false
			}
		}
	}
	return true
}

func requestHeader(req *sim.Request, name string) (string, bool) {
	switch name {
	case ":method":
		return req.Method, req.Method != ""
	case ":authority", "host":
		return req.Authority, req.Authority != ""
	case ":scheme":
		return req.Scheme, req.Scheme != ""
	case ":path":
		return req.Path, true
	}
	v, ok := req.Headers[name]
	return v, ok
}

func stringMatches(m *matcher.StringMatcher, v string) bool {
	want := func(s string) string { return s }
	if m.GetIgnoreCase() {
		v = strings.ToLower(v)
		want = strings.ToLower
	}
	switch p := m.GetMatchPattern().(type) {
	case *matcher.StringMatcher_Exact:
		return v == want(p.Exact)
	case *matcher.StringMatcher_Prefix:
		return strings.HasPrefix(v, want(p.Prefix))
	case *matcher.StringMatcher_Suffix:
		return strings.HasSuffix(v, want(p.Suffix))
	case *matcher.StringMatcher_Contains:
		return strings.Contains(v, want(p.Contains))
	case *matcher.StringMatcher_SafeRegex:
		return fullMatch(p.SafeRegex.GetRegex(), v)
	}
	return false
}

func fullMatch(re, v string) bool {
	r, err := regexp.Compile(`^(?:` + re + `)$`)
	return err == nil && r.MatchString(v)
}

// proxyFor is the Envoy that istiod builds routes for, for a splitsim caller: a sidecar in the
// namespace with the labels, or the gateway deployment an Istio Gateway selects or that Istio deploys
// for a Gateway API Gateway (label gateway.networking.k8s.io/gateway-name). ok is false for a gateway
// the inputs do not define.
func proxyFor(cfg *mesh.Config, c mesh.Caller, gatewayIPs map[string]string) (*model.Proxy, bool) {
	if !c.IsGateway() {
		return &model.Proxy{ConfigNamespace: c.Namespace, Labels: c.Labels,
			Metadata: &model.NodeMetadata{Labels: c.Labels, Namespace: c.Namespace}}, true
	}
	ns, name, _ := strings.Cut(c.Gateway, "/")
	router := func(labels map[string]string) *model.Proxy {
		return &model.Proxy{Type: model.Router, ConfigNamespace: ns, Labels: labels,
			Metadata: &model.NodeMetadata{Labels: labels, Namespace: ns}}
	}
	for _, g := range cfg.IstioGateways {
		if g.Namespace == ns && g.Name == name {
			return router(g.Spec.GetSelector()), true
		}
	}
	for _, g := range cfg.Gateways {
		if ip := gatewayIPs[c.Gateway]; g.Namespace == ns && g.Name == name && ip != "" {
			p := router(map[string]string{"gateway.networking.k8s.io/gateway-name": name})
			p.IPAddresses = []string{ip}
			return p, true
		}
	}
	return nil, false
}

// virtualHosts finds the virtual hosts of the route configurations that list the domain.
func virtualHosts(rcs []*route.RouteConfiguration, domain string) (names []string, vhs []*route.VirtualHost) {
	for _, rc := range rcs {
		for _, vh := range rc.GetVirtualHosts() {
			for _, d := range vh.GetDomains() {
				if d == domain {
					names = append(names, rc.GetName()+"/"+vh.GetName())
					vhs = append(vhs, vh)
					break
				}
			}
		}
	}
	return names, vhs
}

// routeTally counts what the route suite compares.
type routeTally struct {
	hosts, hostsAgree, requests, requestsAgree, rulesAgree int
}

// TestRouteParity builds, for each input and each caller splitsim finds in it, the routes istiod sends
// that caller's proxy (istio pilot/test/xds NewFakeDiscoveryServer and pilot/pkg/simulation, as
// pilot/pkg/networking/core/sidecar_simulation_test.go does) and splitsim's table (mesh.TranslateFrom),
// and compares per virtual host the ordered Envoy routes (clusters and weights, in order), then per
// request (one synthesized for each splitsim route, and GET /) which route each picks and where it
// sends the request.
func TestRouteParity(t *testing.T) {
	var total routeTally
	var diffs, skipped []string
	for _, file := range routeInputs(t) {
		name := strings.TrimPrefix(file, "../../")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var cfg mesh.Config
			problems, err := cfg.AddLenient(name, data)
			if err != nil {
				t.Fatalf("splitsim: %v", err)
			}
			for _, p := range problems {
				skipped = append(skipped, fmt.Sprintf("%s: splitsim leaves out %s: %s", name, p.Resource, p.Msg))
			}
			istioYAML, gatewayIPs := istioInputs(t, readDocuments(t, file))
			istioCfgs, _, err := crd.ParseInputs(istioYAML)
			if err != nil {
				skipped = append(skipped, fmt.Sprintf("%s: Istio rejects the inputs: %v", name, oneLine(err.Error())))
				return
			}
			// As pilot/pkg/networking/core/fake.go getConfigs does for ConfigString: objects without a
			// creationTimestamp all get the same one. The domain suffix is the one istiod's Kubernetes
			// config controller gives every object (short hosts expand to NAME.NS.svc.cluster.local).
			now := time.Now()
			for i := range istioCfgs {
				if istioCfgs[i].CreationTimestamp.IsZero() {
					istioCfgs[i].CreationTimestamp = now
				}
				istioCfgs[i].Domain = mesh.DomainSuffix
			}
			s := xds.NewFakeDiscoveryServer(t, xds.FakeOptions{Configs: istioCfgs, KubernetesObjectString: istioYAML})
			for _, caller := range cfg.Callers() {
				proxy, ok := proxyFor(&cfg, caller, gatewayIPs)
				if !ok {
					skipped = append(skipped, fmt.Sprintf("%s %s: the inputs do not define this gateway, Istio builds no proxy for it", name, caller))
					continue
				}
				tr, err := mesh.TranslateFrom(&cfg, caller)
				if err != nil {
					t.Fatalf("splitsim: %s: %v", caller, err)
				}
				simu := simulation.NewSimulation(t, s, s.SetupProxy(proxy))
				where := fmt.Sprintf("%s %s", name, caller)
				if proxy.Type == model.Router && len(simu.Routes) == 0 && gatewayIPs[caller.Gateway] != "" {
					// Known harness gap: the fake istiod does not yet give the stand-in pod of a Gateway
					// API Gateway (gatewayDeployment) any listener.
					skipped = append(skipped, fmt.Sprintf("%s: harness gap: the fake istiod gave this Gateway API gateway's proxy no routes", where))
					continue
				}
				compareHosts(where, tr.Table, simu.Routes, &total, &diffs)
			}
		})
	}

	hostPct := pct(total.hostsAgree, total.hosts)
	reqPct := pct(total.requestsAgree, total.requests)
	rulePct := pct(total.rulesAgree, total.requests)
	var b strings.Builder
	fmt.Fprintf(&b, "## 3. Routes (TestRouteParity)\n\n")
	fmt.Fprintf(&b, "Inputs: scenarios/*.yaml and mesh/testdata/upstream/istio-gateway/*.yaml; every caller splitsim finds.\n\n")
	fmt.Fprintf(&b, "| compared | count | agree |\n| --- | --- | --- |\n")
	fmt.Fprintf(&b, "| virtual hosts: ordered routes (clusters, weights) | %d | %d (%.1f%%) |\n", total.hosts, total.hostsAgree, hostPct)
	fmt.Fprintf(&b, "| requests: where they go (clusters, weights) | %d | %d (%.1f%%) |\n", total.requests, total.requestsAgree, reqPct)
	fmt.Fprintf(&b, "| requests: which route (position) | %d | %d (%.1f%%) |\n", total.requests, total.rulesAgree, rulePct)
	fmt.Fprintf(&b, "\n### Disagreements (%d)\n\n", len(diffs))
	for _, d := range diffs {
		fmt.Fprintf(&b, "- %s\n", d)
	}
	fmt.Fprintf(&b, "\n### Not compared (%d)\n\n", len(skipped))
	sort.Strings(skipped)
	for _, d := range skipped {
		fmt.Fprintf(&b, "- %s\n", d)
	}
	report("3-routes", b.String())
	t.Log("\n" + b.String())

	checkFloor(t, "route virtual hosts", hostPct, floorRouteHosts)
	checkFloor(t, "route requests", reqPct, floorRouteRequests)
}

// compareHosts compares every host of splitsim's table with Istio's virtual host for the same domain.
func compareHosts(where string, table *sim.Table, rcs []*route.RouteConfiguration, total *routeTally, diffs *[]string) {
	for _, h := range table.Hosts {
		domain := h.Name
		if i := strings.Index(domain, "@"); i >= 0 {
			domain = domain[:i]
		} else if h.FQDN != "" {
			domain = h.FQDN
		}
		total.hosts++
		names, vhs := virtualHosts(rcs, domain)
		if len(vhs) == 0 {
			*diffs = append(*diffs, fmt.Sprintf("%s host %s: Istio has no virtual host for %s (route configs: %s)", where, h.Name, domain, rcNames(rcs)))
			continue
		}
		// Several route configurations (one per port) may list the domain: take the one that agrees.
		best, bestDiff := -1, ""
		for i, vh := range vhs {
			d := diffRoutes(h, vh)
			if d == "" {
				best, bestDiff = i, ""
				break
			}
			if best < 0 {
				best, bestDiff = i, d
			}
		}
		if bestDiff == "" {
			total.hostsAgree++
		} else {
			*diffs = append(*diffs, fmt.Sprintf("%s host %s (Istio %s): %s", where, h.Name, names[best], bestDiff))
		}
		compareRequests(where, h, vhs[best], total, diffs)
	}
}

func rcNames(rcs []*route.RouteConfiguration) string {
	var n []string
	for _, rc := range rcs {
		n = append(n, rc.GetName())
	}
	return strings.Join(n, ",")
}

// diffRoutes compares the ordered routes: "" when they send to the same clusters with the same
// weights in the same order.
func diffRoutes(h *sim.Host, vh *route.VirtualHost) string {
	var ours, theirs []string
	for _, r := range h.Routes {
		ours = append(ours, actionString(splitsimAction(&h.Rules[r.Rule].Action)))
	}
	for _, r := range vh.GetRoutes() {
		theirs = append(theirs, actionString(envoyAction(r)))
	}
	if strings.Join(ours, " ; ") == strings.Join(theirs, " ; ") {
		return ""
	}
	return fmt.Sprintf("routes differ: Istio [%s]; splitsim [%s]", strings.Join(theirs, " ; "), strings.Join(ours, " ; "))
}

// compareRequests sends one request synthesized for each splitsim route, and GET /, through both.
func compareRequests(where string, h *sim.Host, vh *route.VirtualHost, total *routeTally, diffs *[]string) {
	host := h.Name
	if i := strings.Index(host, "@"); i >= 0 {
		host = host[:i]
	}
	reqs := []sim.Request{{Method: "GET", Path: "/", Scheme: "http", Authority: host}}
	for _, r := range h.Routes {
		if req, ok := r.Match.Synthesize(host); ok {
			reqs = append(reqs, req)
		}
	}
	for _, req := range reqs {
		total.requests++
		si, ei := h.Route(&req), envoyRoute(vh, &req)
		sa, ea := "404 (no route)", "404 (no route)"
		if si >= 0 {
			sa = actionString(splitsimAction(&h.Rules[h.Routes[si].Rule].Action))
		}
		if ei >= 0 {
			ea = actionString(envoyAction(vh.GetRoutes()[ei]))
		}
		if si == ei {
			total.rulesAgree++
		}
		if sa == ea {
			total.requestsAgree++
			continue
		}
		*diffs = append(*diffs, fmt.Sprintf("%s host %s request %s: Istio route #%d → %s; splitsim route #%d → %s",
			where, h.Name, describe(req), ei, ea, si, sa))
	}
}

func describe(r sim.Request) string {
	s := r.Method + " " + r.Path
	var keys []string
	for k := range r.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s += fmt.Sprintf(" %s=%s", k, r.Headers[k])
	}
	return s
}
