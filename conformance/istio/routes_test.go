package istio

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	faultv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/fault/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/sim"
	"google.golang.org/protobuf/proto"
	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"sigs.k8s.io/yaml"
)

// istioGroups are the API groups istiod reads; documents of other groups (splitsim.dev Scenarios, Argo
// Rollouts, Flagger Canaries) are left out of Istio's inputs.
var istioGroups = map[string]bool{"": true, "apps": true, "networking.istio.io": true, "gateway.networking.k8s.io": true, "security.istio.io": true}

// gatewayStandIn is the pod that stands for the deployment of a Gateway API Gateway (gatewayDeployment).
type gatewayStandIn struct {
	id, ip string
	labels map[string]string
}

// istioInputs keeps the documents Istio knows and adds a GatewayClass for every class name the
// Gateways use that the inputs do not define (Istio installs its own classes in a cluster), and the
// Service and pod of every Gateway API Gateway (gatewayDeployment); it returns the stand-in pod of each
// Gateway ("namespace/name"). A Service of the inputs that is a Gateway's Service is replaced by the
// stand-in's, with its ports.
func istioInputs(t *testing.T, docs []document) (string, map[string]gatewayStandIn) {
	classes := map[string]bool{}
	defined := map[string]bool{}
	gwServices := map[string]*gwService{}
	var order []string
	for _, d := range docs {
		if d.APIGroup != "gateway.networking.k8s.io" || d.Kind != "Gateway" {
			if d.Kind == "GatewayClass" {
				defined[d.Name] = true
			}
			continue
		}
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
		ns := nsOr(d.NS)
		key := ns + "/" + svc
		if gs := gwServices[key]; gs != nil {
			gs.listeners = append(gs.listeners, g.Spec.Listeners...)
			gs.gateways = append(gs.gateways, ns+"/"+d.Name)
		} else {
			gwServices[key] = &gwService{ns: ns, name: svc, n: len(gwServices) + 1, listeners: g.Spec.Listeners, gateways: []string{ns + "/" + d.Name}}
			order = append(order, key)
		}
	}
	var kept []document
	for _, d := range docs {
		if !istioGroups[d.APIGroup] || d.Kind == "List" {
			continue
		}
		if gs := gwServices[nsOr(d.NS)+"/"+d.Name]; gs != nil && d.APIGroup == "" && d.Kind == "Service" {
			var svc struct {
				Spec struct {
					Ports []gwListener `json:"ports"`
				} `json:"spec"`
			}
			if err := yaml.Unmarshal(d.Body, &svc); err != nil {
				t.Fatal(err)
			}
			gs.listeners = append(gs.listeners, svc.Spec.Ports...)
			continue
		}
		kept = append(kept, servedVersion(withNamespace(t, d), "v1alpha2", "v1beta1"))
	}
	out := joinDocuments(kept)
	for _, c := range sortedMapKeys(classes) {
		if !defined[c] {
			out += fmt.Sprintf("---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: %q\nspec:\n  controllerName: istio.io/gateway-controller\n", c)
		}
	}
	standIns := map[string]gatewayStandIn{}
	for _, key := range order {
		gs := gwServices[key]
		out += "---\n" + gatewayDeployment(gs)
		for _, g := range gs.gateways {
			standIns[g] = gatewayStandIn{id: gs.name + "-pod." + gs.ns, ip: gatewayIP(gs.n), labels: gs.podLabels()}
		}
	}
	return out, standIns
}

// gwService is the Service of one or more Gateway API Gateways.
type gwService struct {
	ns, name  string
	n         int
	listeners []gwListener
	gateways  []string // namespace/name
}

// podLabels are the labels of the stand-in pod: the Service's selector and, as on the pods Istio
// deploys, gateway.networking.k8s.io/gateway-name (of the first Gateway).
func (gs *gwService) podLabels() map[string]string {
	_, name, _ := strings.Cut(gs.gateways[0], "/")
	return map[string]string{"splitsim.dev/gateway-service": gs.name, "gateway.networking.k8s.io/gateway-name": name}
}

type gwListener struct {
	Port int `json:"port"`
}

// gatewayIP is the pod IP of the n-th Gateway API gateway's deployment (gatewayDeployment).
func gatewayIP(n int) string { return fmt.Sprintf("10.99.0.%d", n) }

// gatewayDeployment stands for what Istio deploys for a Gateway API Gateway of an Istio class
// (pilot/pkg/config/kube/gateway: the Service that extractGatewayServices names, and its pod): istiod
// gives a gateway proxy the Gateway's routes when the proxy is an endpoint of that Service
// (push_context.go mergeGateways, InternalGatewayServiceAnnotation), found by its pod
// (serviceregistry/kube/controller GetProxyServiceTargets: the pod of the proxy's ID, or its labels).
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
	var labels []string
	for k, v := range gs.podLabels() {
		labels = append(labels, k+": "+v)
	}
	sort.Strings(labels)
	return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata: {name: %s, namespace: %s}
spec:
  selector: {splitsim.dev/gateway-service: %s}
  ports:
%s---
apiVersion: v1
kind: Pod
metadata: {name: %s-pod, namespace: %s, labels: {%s}}
spec: {containers: [{name: istio-proxy, image: proxyv2}]}
status: {phase: Running, podIP: %s, podIPs: [{ip: %s}], conditions: [{type: Ready, status: "True"}]}
`, gs.name, gs.ns, gs.name, ports.String(), gs.name, gs.ns, strings.Join(labels, ", "), gatewayIP(gs.n), gatewayIP(gs.n))
}

// servedVersion writes gateway.networking.k8s.io/v1 for a Gateway, GatewayClass or HTTPRoute of one
// of the versions given. The corpus's v1alpha2 Gateways and HTTPRoutes are read as v1 by both sides:
// the Gateway API CRDs no longer serve v1alpha2 for them (splitsim refuses it, Istio's scheme does not
// register it), and the fields the corpus uses are the same. Istio's inputs get v1 for v1beta1 too: an
// API server converts stored objects to the version istiod watches, the fake client does not.
func servedVersion(d document, versions ...string) document {
	switch d.Kind {
	case "Gateway", "GatewayClass", "HTTPRoute":
		for _, v := range versions {
			old := "apiVersion: gateway.networking.k8s.io/" + v
			if d.APIGroup == "gateway.networking.k8s.io" && strings.Contains(string(d.Body), old) {
				d.Body = []byte(strings.Replace(string(d.Body), old, "apiVersion: gateway.networking.k8s.io/v1", 1))
			}
		}
	}
	return d
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

// envoyActionText is an Envoy route's action and its fault and mirror policies, as
// splitsimActionText writes a splitsim rule's.
func envoyActionText(r *route.Route) string { return actionString(envoyAction(r)) + envoyPolicies(r) }

// splitsimActionText is a splitsim rule's action and its fault and mirror policies, as
// envoyActionText writes an Envoy route's.
func splitsimActionText(a *sim.Action) string {
	return actionString(splitsimAction(a)) + splitsimPolicies(a)
}

// perMillion is a fraction as Envoy's FractionalPercent with denominator MILLION.
func perMillion(numerator uint32, denominator uint64) uint64 {
	if denominator == 0 {
		return 0
	}
	return uint64(numerator) * (1_000_000 / denominator)
}

// envoyDenominators are the denominators of Envoy's FractionalPercent.DenominatorType.
var envoyDenominators = map[typev3.FractionalPercent_DenominatorType]uint64{
	typev3.FractionalPercent_HUNDRED: 100, typev3.FractionalPercent_TEN_THOUSAND: 10_000, typev3.FractionalPercent_MILLION: 1_000_000,
}

func envoyFraction(f *typev3.FractionalPercent) uint64 {
	return perMillion(f.GetNumerator(), envoyDenominators[f.GetDenominator()])
}

// envoyPolicies writes the fault filter's per-route config (abort and delay, with their
// percentages per million and the delay in seconds) and the request mirror policies (cluster and
// percentage per million; 100% without a runtime fraction) of an Envoy route, as istiod builds them
// (pilot/pkg/networking/core/route/route.go TranslateFault and MirrorPercent).
func envoyPolicies(r *route.Route) string {
	var b strings.Builder
	if cfg, ok := r.GetTypedPerFilterConfig()["envoy.filters.http.fault"]; ok {
		f := &faultv3.HTTPFault{}
		if err := cfg.UnmarshalTo(f); err != nil {
			return " +fault(undecodable: " + err.Error() + ")"
		}
		if a := f.GetAbort(); a != nil {
			status := fmt.Sprint(a.GetHttpStatus())
			if _, ok := a.GetErrorType().(*faultv3.FaultAbort_GrpcStatus); ok {
				status = "grpc"
			}
			fmt.Fprintf(&b, " +abort %s@%d", status, envoyFraction(a.GetPercentage()))
		}
		if d := f.GetDelay(); d != nil {
			fmt.Fprintf(&b, " +delay %gs@%d", d.GetFixedDelay().AsDuration().Seconds(), envoyFraction(d.GetPercentage()))
		}
	}
	for _, m := range r.GetRoute().GetRequestMirrorPolicies() {
		pm := uint64(1_000_000)
		if rf := m.GetRuntimeFraction(); rf != nil {
			pm = envoyFraction(rf.GetDefaultValue())
		}
		fmt.Fprintf(&b, " +mirror %s@%d", m.GetCluster(), pm)
	}
	return b.String()
}

// splitsimPolicies writes a splitsim rule's fault and mirrors as envoyPolicies writes Envoy's.
func splitsimPolicies(a *sim.Action) string {
	var b strings.Builder
	if f := a.Fault; f != nil {
		if f.Abort != nil {
			status := fmt.Sprint(f.AbortStatus)
			if f.AbortGRPC != "" {
				status = "grpc"
			}
			fmt.Fprintf(&b, " +abort %s@%d", status, perMillion(f.Abort.Numerator, uint64(f.Abort.Denominator)))
		}
		if f.Delay != nil {
			d, err := time.ParseDuration(f.FixedDelay)
			if err != nil {
				return " +delay(unparsed " + f.FixedDelay + ")"
			}
			fmt.Fprintf(&b, " +delay %gs@%d", d.Seconds(), perMillion(f.Delay.Numerator, uint64(f.Delay.Denominator)))
		}
	}
	for _, m := range a.Mirrors {
		fmt.Fprintf(&b, " +mirror %s@%d", m.Cluster, perMillion(m.Fraction.Numerator, uint64(m.Fraction.Denominator)))
	}
	return b.String()
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
		if len(out) == 1 {
			// One weighted cluster is that cluster (splitsimAction writes both with weight 1).
			out[0].Weight = 1
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
	for i, r := range reachableRoutes(vh) {
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
// namespace with the labels, or the gateway deployment an Istio Gateway selects or the stand-in pod of
// a Gateway API Gateway (gatewayDeployment). ok is false for a gateway the inputs do not define.
func proxyFor(cfg *mesh.Config, c mesh.Caller, standIns map[string]gatewayStandIn) (*model.Proxy, bool) {
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
	if s, ok := standIns[c.Gateway]; ok {
		p := router(s.labels)
		p.ID, p.IPAddresses = s.id, []string{s.ip}
		return p, true
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
	l4Hosts                                                int // tcp:// and tls:// hosts, not compared
	unlistedDefault                                        int // Istio's default routes of Services splitsim's table does not list
	portless                                               int // agreeing hosts no route decides (cluster ports left out)
	assumed, assumedAgree                                  int // hosts splitsim routes without the derived registry
	assumedPortless                                        int // of those, cluster names that differ only by the port
}

// TestRouteParity builds, for each input and each caller splitsim finds in it, the routes istiod sends
// that caller's proxy (istio pilot/test/xds NewFakeDiscoveryServer and pilot/pkg/simulation, as
// pilot/pkg/networking/core/sidecar_simulation_test.go does) and splitsim's table (mesh.TranslateFrom),
// and compares per virtual host the ordered Envoy routes (clusters and weights, in order), then per
// request (one synthesized for each splitsim route, and GET /) which route each picks and where it
// sends the request. Both read the inputs with the registry istiod needs (routeInputs); where the
// registry was derived, splitsim's table without it (hosts assumed to exist) is compared with its
// table with it.
func TestRouteParity(t *testing.T) {
	p := routeParity{groups: map[string]*routeTally{}}
	inputs := routeInputs(t)
	for _, in := range inputs {
		before := p.total
		t.Run(in.name, func(t *testing.T) {
			p.compareInput(t, in)
		})
		p.addToGroup(inputGroup(in.name), before)
	}

	summary := p.summary(len(inputs))
	report("3-routes", summary)
	t.Log("\n" + summary)

	total := p.total
	checkFloor(t, "route virtual hosts", pct(total.hostsAgree, total.hosts), floorRouteHosts)
	checkFloor(t, "route requests", pct(total.requestsAgree, total.requests), floorRouteRequests)
	checkFloor(t, "route request positions", pct(total.rulesAgree, total.requests), floorRouteRules)
	checkFloor(t, "splitsim's assumed hosts", pct(total.assumedAgree, total.assumed), floorRouteAssumed)
}

// routeParity is what TestRouteParity counts and lists over its inputs: the tally of all inputs and
// of each part of the corpus (inputGroup), the disagreements with Istio, the differences of
// splitsim's table without the derived registry, and what was not compared.
type routeParity struct {
	total                 routeTally
	groups                map[string]*routeTally
	diffs                 []routeDiff
	assumedDiffs, skipped []string
}

// compareInput compares, for one input, the routes istiod sends each caller's proxy with splitsim's
// table for that caller (compareHosts), and, where the registry was derived, splitsim's table
// without the registry with its table with it (compareAssumed). Inputs Istio rejects, problems
// splitsim leaves out, and callers Istio builds no proxy or no routes for are listed as not compared.
func (p *routeParity) compareInput(t *testing.T, in routeInput) {
	docs, registry := readInput(t, in)
	orig, problems := splitsimConfig(t, docs)
	full, _ := splitsimConfig(t, append(append([]document{}, docs...), registry...))
	for _, pr := range problems {
		p.skipped = append(p.skipped, fmt.Sprintf("%s: splitsim leaves out %s: %s", in.name, pr.Resource, oneLine(pr.Msg)))
	}
	istioYAML, standIns := istioInputs(t, append(append([]document{}, docs...), registry...))
	istioCfgs, _, err := crd.ParseInputs(istioYAML)
	if err != nil {
		p.skipped = append(p.skipped, fmt.Sprintf("%s: Istio rejects the inputs: %v", in.name, oneLine(err.Error())))
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
	for _, caller := range orig.Callers() {
		where := fmt.Sprintf("%s %s", in.name, caller)
		proxy, ok := proxyFor(full, caller, standIns)
		if !ok {
			p.skipped = append(p.skipped, fmt.Sprintf("%s: the inputs do not define this gateway, Istio builds no proxy for it", where))
			continue
		}
		tr, err := mesh.TranslateFrom(full, caller)
		if err != nil {
			t.Fatalf("splitsim: %s: %v", caller, err)
		}
		simu := simulation.NewSimulation(t, s, s.SetupProxy(proxy))
		if proxy.Type == model.Router && len(simu.Routes) == 0 {
			p.skipped = append(p.skipped, fmt.Sprintf("%s: harness gap: the fake istiod gave this gateway's proxy no routes", where))
			continue
		}
		compareHosts(where, tr.Table, simu.Routes, &p.total, &p.diffs)
		if in.registry == "" && len(registry) > 0 {
			compareAssumed(where, orig, caller, tr.Table, &p.total, &p.assumedDiffs)
		}
	}
}

// addToGroup adds to the tally of the corpus part group what the total counted since before: hosts
// and requests compared, and those that agree.
func (p *routeParity) addToGroup(group string, before routeTally) {
	g := p.groups[group]
	if g == nil {
		g = &routeTally{}
		p.groups[group] = g
	}
	g.hosts += p.total.hosts - before.hosts
	g.hostsAgree += p.total.hostsAgree - before.hostsAgree
	g.requests += p.total.requests - before.requests
	g.requestsAgree += p.total.requestsAgree - before.requestsAgree
	g.rulesAgree += p.total.rulesAgree - before.rulesAgree
}

// summary renders section 3 of SUMMARY.md for nInputs inputs: the agreement table in total and per
// corpus part, the notes on what is compared how, and the lists of disagreements (by cause, then
// each), of splitsim's differences without the derived registry, and of what was not compared. It
// sorts the list of what was not compared in place.
func (p *routeParity) summary(nInputs int) string {
	total := p.total
	var b strings.Builder
	fmt.Fprintf(&b, "## 3. Routes (TestRouteParity)\n\n")
	fmt.Fprintf(&b, "%d inputs: scenarios/*.yaml and examples/*/*.yaml (Services derived from the routes where the inputs hold none), "+
		"mesh/testdata/upstream/istio-gateway/*.yaml (with the Services of Istio's conversion test, testdata/registry/), "+
		"mesh/testdata/upstream/gateway-api/*.yaml (each after the conformance base.yaml); every caller splitsim finds in the inputs. "+
		"Both sides read the same inputs and registry.\n\n", nInputs)
	fmt.Fprintf(&b, "| compared | count | agree |\n| --- | --- | --- |\n")
	fmt.Fprintf(&b, "| virtual hosts: ordered routes (clusters, weights, fault and mirror policies) | %d | %d (%.1f%%) |\n", total.hosts, total.hostsAgree, pct(total.hostsAgree, total.hosts))
	fmt.Fprintf(&b, "| requests: where they go (clusters, weights, fault and mirror policies) | %d | %d (%.1f%%) |\n", total.requests, total.requestsAgree, pct(total.requestsAgree, total.requests))
	fmt.Fprintf(&b, "| requests: which route (position) | %d | %d (%.1f%%) |\n", total.requests, total.rulesAgree, pct(total.rulesAgree, total.requests))
	for _, name := range sortedMapKeys(p.groups) {
		g := p.groups[name]
		fmt.Fprintf(&b, "| %s: virtual hosts | %d | %d (%.1f%%) |\n", name, g.hosts, g.hostsAgree, pct(g.hostsAgree, g.hosts))
		fmt.Fprintf(&b, "| %s: requests (where, which route) | %d | %d (%.1f%%), %d (%.1f%%) |\n", name, g.requests, g.requestsAgree, pct(g.requestsAgree, g.requests), g.rulesAgree, pct(g.rulesAgree, g.requests))
	}
	fmt.Fprintf(&b, "| splitsim without the derived registry (hosts assumed to exist) vs with it: hosts | %d | %d (%.1f%%) |\n", total.assumed, total.assumedAgree, pct(total.assumedAgree, total.assumed))
	fmt.Fprintf(&b, "\nWithout the registry, splitsim routes %d of the %d agreeing hosts to clusters without a port (outbound||SUBSET|HOST: no Service says which); cluster ports are left out of that comparison.\n", total.assumedPortless, total.assumedAgree)
	fmt.Fprintf(&b, "\nTCP and TLS hosts (tcp://, tls://) are not compared: istiod puts them in listeners (tcp_proxy), not in RouteConfigurations (%d hosts).\n", total.l4Hosts)
	fmt.Fprintf(&b, "\nIstio's virtual hosts that no host of splitsim's table names are listed below when a configuration decides them; %d that are istiod's default route of a Service (one route to its own cluster), which splitsim's table leaves out when nothing routes them, are not.\n", total.unlistedDefault)
	fmt.Fprintf(&b, "\n%d of the agreeing virtual hosts are hosts no route decides whose Service has several ports: splitsim names their cluster without a port (outbound|||HOST, the port being the one the request is sent to), so Istio's default route of each Service port is compared without the port.\n", total.portless)
	writeRouteDiffs(&b, p.diffs)
	fmt.Fprintf(&b, "\n### splitsim without the derived registry differs (%d)\n\n", len(p.assumedDiffs))
	for _, d := range p.assumedDiffs {
		fmt.Fprintf(&b, "- %s\n", d)
	}
	fmt.Fprintf(&b, "\n### Not compared (%d)\n\n", len(p.skipped))
	sort.Strings(p.skipped)
	for _, d := range p.skipped {
		fmt.Fprintf(&b, "- %s\n", d)
	}
	return b.String()
}

// writeRouteDiffs writes the route suite's disagreements twice: counted by cause (explain), with the
// first example of each, and one by one in the order they were found.
func writeRouteDiffs(b *strings.Builder, diffs []routeDiff) {
	fmt.Fprintf(b, "\n### Disagreements by cause (%d)\n\n", len(diffs))
	texts := map[string][]string{} // cause -> the text of each disagreement
	for _, d := range diffs {
		d = explain(d)
		texts[d.cause] = append(texts[d.cause], d.text)
	}
	for _, c := range sortedMapKeys(texts) {
		fmt.Fprintf(b, "- %d × %s — e.g. %s\n", len(texts[c]), c, texts[c][0])
	}
	fmt.Fprintf(b, "\n### Disagreements (%d)\n\n", len(diffs))
	for _, d := range diffs {
		fmt.Fprintf(b, "- %s\n", d.text)
	}
}

// inputGroup is the part of the corpus an input belongs to, for the summary.
func inputGroup(name string) string {
	switch {
	case strings.Contains(name, "/istio-gateway/"):
		return "Istio conversion inputs (istio-gateway)"
	case strings.Contains(name, "/gateway-api/"):
		return "Gateway API conformance (gateway-api)"
	}
	return "splitsim scenarios and examples"
}

// splitsimConfig reads documents as `splitsim run` reads its files (mesh.Config.AddLenient, one call
// per file, in order).
func splitsimConfig(t *testing.T, docs []document) (*mesh.Config, []*mesh.Error) {
	t.Helper()
	var cfg mesh.Config
	var problems []*mesh.Error
	for i := 0; i < len(docs); {
		j := i
		for j < len(docs) && docs[j].File == docs[i].File {
			j++
		}
		probs, err := cfg.AddLenient(docs[i].File, []byte(joinDocuments(docs[i:j])))
		if err != nil {
			t.Fatalf("splitsim: %s: %v", docs[i].File, err)
		}
		problems = append(problems, probs...)
		i = j
	}
	return &cfg, problems
}

// compareAssumed compares splitsim's table for the inputs alone (no Service: hosts assumed to exist)
// with its table for the inputs and the derived registry, host by host.
func compareAssumed(where string, orig *mesh.Config, caller mesh.Caller, withRegistry *sim.Table, total *routeTally, diffs *[]string) {
	tr, err := mesh.TranslateFrom(orig, caller)
	if err != nil {
		*diffs = append(*diffs, fmt.Sprintf("%s: splitsim fails without the registry: %v", where, err))
		return
	}
	byName := map[string]*sim.Host{}
	for _, h := range tr.Table.Hosts {
		byName[h.Name] = h
	}
	for _, h := range withRegistry.Hosts {
		total.assumed++
		a := byName[h.Name]
		switch {
		case a == nil:
			*diffs = append(*diffs, fmt.Sprintf("%s host %s: only with the registry", where, h.Name))
		case portInCluster.ReplaceAllString(hostRoutes(a), "outbound||") != portInCluster.ReplaceAllString(hostRoutes(h), "outbound||"):
			*diffs = append(*diffs, fmt.Sprintf("%s host %s: without the registry [%s]; with it [%s]", where, h.Name, hostRoutes(a), hostRoutes(h)))
		default:
			total.assumedAgree++
			if hostRoutes(a) != hostRoutes(h) {
				total.assumedPortless++
			}
		}
	}
}

// hostRoutes is a host's ordered routes as diffRoutes writes them.
func hostRoutes(h *sim.Host) string {
	var out []string
	for _, r := range h.Routes {
		out = append(out, splitsimActionText(&h.Rules[r.Rule].Action))
	}
	return strings.Join(out, " ; ")
}

// routeDiff is one disagreement of the route suite, with its cause (how the summary groups it).
type routeDiff struct{ cause, text string }

// knownCauses explain disagreements the harness cannot classify by their form: a difference whose text
// contains match has the cause why.
var knownCauses = []struct{ match, why string }{
	{"(HTTPRoute default/mixed-parent-ref-validity)", "splitsim routes the host of a mesh parentRef to a Service the inputs do not hold (valid-invalid-parent-ref.yaml: " +
		"Service random in namespace nonexistent, \"service does not exist\"); Istio ignores that parent and builds no virtual host for it"},
	{"Istio http.0/*.domain.example:80", "HTTPRoute default/invalid-mirror, whose RequestMirror backendRef has an unsupported kind: Istio at this version keeps the route " +
		"without the mirror (pilot/pkg/config/kube/gateway conversion.go convertHTTPRoute reports mirrorBackendErr and returns the VirtualService), splitsim drops the whole route (mesh HTTPRoute.invalidMirror)"},
}

// explain gives a difference the cause knownCauses names for it.
func explain(d routeDiff) routeDiff {
	for _, k := range knownCauses {
		if strings.Contains(d.text, k.match) {
			d.cause = k.why
		}
	}
	return d
}

// portInCluster is the port of an outbound cluster name (outbound|PORT|SUBSET|HOST).
var portInCluster = regexp.MustCompile(`outbound\|[0-9]+\|`)

// defaultRouted says whether no route decides the host and splitsim names its cluster without a port:
// splitsim's table sends it to the Service's endpoints, which Envoy reaches through istiod's default
// route of each Service port; for a Service of several ports splitsim writes outbound|||HOST (the port
// is the one the request is sent to).
func defaultRouted(h *sim.Host) bool {
	for _, r := range h.Rules {
		if !r.Action.Endpoints {
			return false
		}
	}
	return len(h.Rules) > 0 && strings.Contains(hostRoutes(h), "outbound|||")
}

// compareHosts compares every host of splitsim's table with Istio's virtual host for the same domain,
// then lists Istio's virtual hosts that no host of splitsim's table names (but Envoy's catch-all
// virtual hosts, allow_any and block_all, those without routes, and istiod's default routes of
// Services: istioDefaultRoute).
func compareHosts(where string, table *sim.Table, rcs []*route.RouteConfiguration, total *routeTally, diffs *[]routeDiff) {
	defer func() {
		named := map[string]bool{}
		for _, h := range table.Hosts {
			named[hostDomain(h)] = true
		}
		for _, rc := range rcs {
			for _, vh := range rc.GetVirtualHosts() {
				if vh.GetName() == "allow_any" || vh.GetName() == "block_all" || len(vh.GetRoutes()) == 0 {
					// Catch-alls, and virtual hosts without routes (blackhole: Envoy answers 404, as
					// splitsim does for a host it does not list).
					continue
				}
				if slices.ContainsFunc(vh.GetDomains(), func(d string) bool { return named[d] }) {
					continue
				}
				if istioDefaultRoute(vh) {
					total.unlistedDefault++
					continue
				}
				total.hosts++ // compared, and disagreeing
				*diffs = append(*diffs, routeDiff{"splitsim has no host for an Istio virtual host",
					fmt.Sprintf("%s: Istio %s/%s (%s) [%s]; splitsim has no host for it", where, rc.GetName(), vh.GetName(), strings.Join(vh.GetDomains(), ","), strings.Join(istioRoutes(&sim.Host{}, vh), " ; "))})
			}
		}
	}()
	for _, h := range table.Hosts {
		if strings.HasPrefix(h.Name, "tcp://") || strings.HasPrefix(h.Name, "tls://") {
			total.l4Hosts++
			continue
		}
		domain := hostDomain(h)
		total.hosts++
		names, vhs := virtualHosts(rcs, domain)
		if len(vhs) == 0 {
			*diffs = append(*diffs, routeDiff{"Istio has no virtual host for a host splitsim routes",
				fmt.Sprintf("%s host %s: Istio has no virtual host for %s (route configs: %s); splitsim [%s] (%s)", where, h.Name, domain, rcNames(rcs), hostRoutes(h), h.DecidedBy)})
			continue
		}
		// Several route configurations (one per port) may list the domain: take the one that agrees.
		best, bestDiff := -1, routeDiff{}
		for i, vh := range vhs {
			d := diffRoutes(h, vh)
			if d.text == "" {
				best, bestDiff = i, d
				break
			}
			if best < 0 {
				best, bestDiff = i, d
			}
		}
		if bestDiff.text == "" {
			total.hostsAgree++
			if defaultRouted(h) {
				total.portless++
			}
		} else {
			bestDiff.text = fmt.Sprintf("%s host %s (Istio %s): %s", where, h.Name, names[best], bestDiff.text)
			*diffs = append(*diffs, bestDiff)
		}
		compareRequests(where, h, vhs[best], total, diffs, bestDiff.text == "")
	}
}

// istioDefaultRoute says whether a virtual host is istiod's default route of a Service: one route,
// matching every path, to the Service's own cluster (outbound|PORT||FQDN, the virtual host's first
// domain) — what no configuration decides.
func istioDefaultRoute(vh *route.VirtualHost) bool {
	rs := vh.GetRoutes()
	if len(rs) != 1 || rs[0].GetMatch().GetPrefix() != "/" || len(rs[0].GetMatch().GetHeaders()) > 0 || len(vh.GetDomains()) == 0 {
		return false
	}
	a := envoyAction(rs[0])
	return len(a) == 1 && strings.HasPrefix(a[0].Name, "outbound|") && strings.HasSuffix(a[0].Name, "||"+vh.GetDomains()[0])
}

// hostDomain is the domain Istio's virtual host lists for a host of splitsim's table: the name before
// "@" for a gateway's host, else the FQDN.
func hostDomain(h *sim.Host) string {
	if i := strings.Index(h.Name, "@"); i >= 0 {
		return h.Name[:i]
	}
	if h.FQDN != "" {
		return h.FQDN
	}
	return h.Name
}

func rcNames(rcs []*route.RouteConfiguration) string {
	var n []string
	for _, rc := range rcs {
		n = append(n, rc.GetName())
	}
	return strings.Join(n, ",")
}

// istioRoutes is a virtual host's ordered routes as hostRoutes writes splitsim's; for a host no route
// decides, cluster ports are left out as splitsim leaves them out (defaultRouted).
func istioRoutes(h *sim.Host, vh *route.VirtualHost) []string {
	var out []string
	for _, r := range reachableRoutes(vh) {
		a := envoyActionText(r)
		if defaultRouted(h) {
			a = portInCluster.ReplaceAllString(a, "outbound||")
		}
		out = append(out, a)
	}
	return out
}

// reachableRoutes leaves out the copies istiod makes of one HTTPRoute rule when the route's hostnames
// intersect a listener's in several ways: pilot/pkg/config/kube/gateway conversion.go builds one
// VirtualService per hostname, and the virtual host then lists the rule again, with the same name and
// match, after the first copy, which Envoy never reaches (its first matching route wins).
func reachableRoutes(vh *route.VirtualHost) []*route.Route {
	var out []*route.Route
	for _, r := range vh.GetRoutes() {
		dup := false
		for _, e := range out {
			if r.GetName() != "" && e.GetName() == r.GetName() && proto.Equal(e.GetMatch(), r.GetMatch()) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, r)
		}
	}
	return out
}

// diffRoutes compares the ordered routes: no text when they send to the same clusters with the same
// weights in the same order.
func diffRoutes(h *sim.Host, vh *route.VirtualHost) routeDiff {
	theirs := istioRoutes(h, vh)
	ours := hostRoutes(h)
	if ours == strings.Join(theirs, " ; ") {
		return routeDiff{}
	}
	cause := "routes differ: cluster names"
	var oursList []string
	for _, r := range h.Routes {
		oursList = append(oursList, splitsimActionText(&h.Rules[r.Rule].Action))
	}
	switch {
	case strings.Count(ours, "UnknownService") != strings.Count(strings.Join(theirs, " ; "), "UnknownService"):
		cause = "routes differ: a backendRef to a Service the registry lacks — Istio keeps its cluster name outbound|PORT||HOST (no such cluster: Envoy answers 500, the route's clusterNotFoundResponseCode), splitsim writes UnknownService (status 500)"
	case len(oursList) != len(theirs):
		cause = "routes differ: number of routes"
	default:
		for i := range theirs {
			if strings.HasPrefix(theirs[i], "outbound") != strings.HasPrefix(oursList[i], "outbound") {
				cause = "routes differ: action (forward, redirect, direct response)"
				break
			}
			if weightsOf(theirs[i]) != weightsOf(oursList[i]) {
				cause = "routes differ: weights"
			}
		}
	}
	return routeDiff{cause, fmt.Sprintf("Istio [%s]; splitsim [%s] (%s)", strings.Join(theirs, " ; "), ours, h.DecidedBy)}
}

var clusterName = regexp.MustCompile(`[^,=]+=`)

// weightsOf is an action string's weights alone.
func weightsOf(a string) string { return clusterName.ReplaceAllString(a, "=") }

// compareRequests sends one request synthesized for each splitsim route, and GET /, through both. A
// request is listed only when the host's routes agree (otherwise the host's difference explains it).
func compareRequests(where string, h *sim.Host, vh *route.VirtualHost, total *routeTally, diffs *[]routeDiff, list bool) {
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
			sa = splitsimActionText(&h.Rules[h.Routes[si].Rule].Action)
		}
		if ei >= 0 {
			ea = envoyActionText(reachableRoutes(vh)[ei])
			if defaultRouted(h) {
				ea = portInCluster.ReplaceAllString(ea, "outbound||")
			}
		}
		if si == ei {
			total.rulesAgree++
		}
		if sa == ea {
			total.requestsAgree++
			continue
		}
		if list {
			*diffs = append(*diffs, routeDiff{"a request takes another route", fmt.Sprintf("%s host %s request %s: Istio route #%d → %s; splitsim route #%d → %s",
				where, h.Name, describe(req), ei, ea, si, sa)})
		}
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
