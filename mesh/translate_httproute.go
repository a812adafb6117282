package mesh

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	networking "istio.io/api/networking/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/splitsim/splitsim/sim"
)

// translateHTTPRoutes returns the hosts of the HTTPRoutes that apply to the caller; taken holds the
// FQDNs a VirtualService of the view already routes, and gets those of the hosts returned.
//
// Hosts. A route attached to a Gateway (parentRefs of kind Gateway, the default) serves that gateway
// under each of its hostnames ("*" without hostnames). A route attached to a Service (the Gateway API
// for the mesh, GAMMA) serves sidecars under the Service's name ("reviews", or "reviews.other" for a
// Service outside the caller's namespace): a producer route (in the Service's namespace) serves every
// sidecar, a consumer route (in another namespace) only the sidecars of its own namespace, and there
// it replaces the producer routes for that Service (GEP-1426; Istio converts a consumer route into a
// VirtualService exported to its namespace only, which SelectVirtualServices puts first). A route
// attached to a ServiceEntry serves sidecars under the ServiceEntry's hosts, like a Service parent. A
// route without parentRefs is attached to nothing in a cluster; it is simulated for sidecars under its
// hostnames with a warning.
//
// Several routes for one host are merged into one list of routes, ordered as Istio does
// (pilot/pkg/config/kube/gateway/conversion.go): routes by creation time, then namespace/name
// (sortRoutesByCreationTime; see creationLess for objects without a timestamp), every match of every
// rule becoming one Envoy route, then a stable sort by the Gateway API's precedence (sortHTTPRoutes:
// Exact path, then PathPrefix, then RegularExpression; longer path values first; a method match
// first; more header matches first; more query matches first). As for any VirtualService, route
// generation stops after the first catch-all (PathPrefix "/" with no other condition).
func (tr *Translation) translateHTTPRoutes(v *viewCtx, taken map[string]bool) ([]*sim.Host, error) {
	type group struct {
		name, fqdn string
		routes     []*HTTPRoute
		consumer   []bool
	}
	var groups []*group
	byName := map[string]*group{}
	for _, r := range v.c.HTTPRoutes {
		if why := r.invalidMirror(); why != "" {
			tr.warnf("%s: %s: %s: Istio leaves the mirror out and keeps the route", r.Source("spec.rules"), r.Resource(), why)
		}
		for _, h := range tr.httpRouteHosts(v, r) {
			g := byName[h.fqdn]
			if g == nil {
				g = &group{name: h.name, fqdn: h.fqdn}
				byName[h.fqdn] = g
				groups = append(groups, g)
			}
			g.routes = append(g.routes, r)
			g.consumer = append(g.consumer, h.consumer)
		}
	}
	var hosts []*sim.Host
	for _, g := range groups {
		if taken[g.fqdn] {
			tr.warnf("%s: %s: host %q is also routed by a VirtualService; the VirtualService is simulated and this HTTPRoute's rules for the host are not",
				g.routes[0].Source("metadata.name"), g.routes[0].Resource(), g.fqdn)
			continue
		}
		var routes []*HTTPRoute
		if slices.Contains(g.consumer, true) {
			for i, r := range g.routes {
				if g.consumer[i] {
					routes = append(routes, r)
				}
			}
		} else {
			routes = append(routes, g.routes...)
		}
		sort.SliceStable(routes, func(i, j int) bool { return creationLess(routes[i].Document, routes[j].Document, true) })
		h, err := tr.httpRouteHost(v.c, g.name, routes)
		if err != nil {
			return nil, err
		}
		h.DecidedBy = routeNames(routes)
		h.FQDN = g.fqdn
		taken[g.fqdn] = true // routed: no endpoints host for its Service (endpointHosts)
		hosts = append(hosts, h)
	}
	return hosts, nil
}

// routeNames names the routes that decide a host, "KIND NS/NAME[, NS/NAME...]", the kind written
// again where it changes: a GRPCRoute is routed as the HTTPRoute Istio converts it into but keeps
// its own kind in reports.
func routeNames(routes []*HTTPRoute) string {
	var b strings.Builder
	kind := ""
	for i, r := range routes {
		if i > 0 {
			b.WriteString(", ")
		}
		if r.Kind != kind {
			kind = r.Kind
			b.WriteString(kind + " ")
		}
		b.WriteString(r.FullName())
	}
	return b.String()
}

type routeHost struct {
	name, fqdn string
	consumer   bool // a mesh route in another namespace than its Service
}

// isGatewayParent says whether a parentRef names a Gateway (or a ListenerSet of one).
func isGatewayParent(p gatewayv1.ParentReference) bool {
	kind := string(ptrOr(p.Kind, "Gateway"))
	return string(ptrOr(p.Group, gatewayGroup)) == gatewayGroup && (kind == "Gateway" || kind == "ListenerSet" || kind == "XListenerSet")
}

// httpRouteHosts returns the hosts an HTTPRoute serves for the caller (see translateHTTPRoutes).
func (tr *Translation) httpRouteHosts(v *viewCtx, r *HTTPRoute) []routeHost {
	spec := &r.Route.Spec
	hostnames := []string{"*"}
	if len(spec.Hostnames) > 0 {
		hostnames = hostnames[:0]
		for _, h := range spec.Hostnames {
			hostnames = append(hostnames, string(h))
		}
	}
	var all []routeHost
	if len(spec.ParentRefs) == 0 && !v.from.IsGateway() {
		tr.warnf("%s: %s: no parentRefs: the route is attached to no Gateway or Service; simulated under its hostnames", r.Source("spec"), r.Resource())
		for _, h := range hostnames {
			all = append(all, routeHost{name: h, fqdn: h})
		}
	}
	for i, p := range spec.ParentRefs {
		all = append(all, tr.parentHosts(v, r, i, p, hostnames)...)
	}
	var out []routeHost
	seen := map[string]bool{}
	for _, h := range all {
		if !seen[h.fqdn] {
			seen[h.fqdn] = true
			out = append(out, h)
		}
	}
	return out
}

// parentHosts returns the hosts one parentRef of an HTTPRoute gives the caller.
func (tr *Translation) parentHosts(v *viewCtx, r *HTTPRoute, i int, p gatewayv1.ParentReference, hostnames []string) []routeHost {
	group := string(ptrOr(p.Group, gatewayGroup))
	kind := string(ptrOr(p.Kind, "Gateway"))
	ns := string(ptrOr(p.Namespace, gatewayv1.Namespace(r.Namespace)))
	consumer := ns != r.Namespace
	mesh := !v.from.IsGateway() && (!consumer || v.from.Namespace == r.Namespace)
	var out []routeHost
	switch {
	case (group == "" || group == "core") && kind == "Service":
		if !mesh {
			return nil
		}
		if len(v.c.Services) > 0 && !v.c.hasService(string(p.Name), ns) {
			// istiod attaches a mesh route only to a Service it knows (conversion.go
			// referenceAllowed: parent not found).
			tr.warnf("%s: %s: spec.parentRefs[%d]: Service %s/%s is not among the inputs' Services: the route is not attached to it", r.Source(fmt.Sprintf("spec.parentRefs[%d]", i)), r.Resource(), i, ns, p.Name)
			return nil
		}
		name := string(p.Name)
		if ns != v.from.Namespace {
			name += "." + ns
		}
		return []routeHost{{name: name, fqdn: FQDN(string(p.Name), ns), consumer: consumer}}
	case group == "networking.istio.io" && kind == "ServiceEntry":
		if !mesh {
			return nil
		}
		for _, se := range v.c.ServiceEntries {
			if se.Namespace == ns && se.Name == string(p.Name) {
				for _, h := range se.Spec.GetHosts() {
					out = append(out, routeHost{name: h, fqdn: h, consumer: consumer})
				}
			}
		}
	case isGatewayParent(p):
		if v.from.Gateway != ns+"/"+string(p.Name) {
			return nil
		}
		hs := hostnames
		if gw := v.c.gatewayAPI(ns, string(p.Name)); gw != nil {
			var why string
			if hs, why = v.listenerHostnames(gw, r, p); len(hs) == 0 {
				tr.warnf("%s: %s: spec.parentRefs[%d]: the route attaches to no listener of Gateway %s/%s (%s)", r.Source(fmt.Sprintf("spec.parentRefs[%d]", i)), r.Resource(), i, ns, p.Name, why)
			}
		}
		for _, h := range hs {
			out = append(out, routeHost{name: h, fqdn: h})
		}
	default:
		tr.warnf("%s: %s: spec.parentRefs[%d]: parent %s/%s is not a Gateway or Service; ignored", r.Source(fmt.Sprintf("spec.parentRefs[%d]", i)), r.Resource(), i, group, kind)
	}
	return out
}

// routeEntry is one Envoy route of an HTTPRoute host with its precedence key.
type routeEntry struct {
	route          sim.Route
	rank, length   int
	method         bool
	headers, query int
}

// httpRouteHost builds one table host from the routes serving it, in creation order.
func (tr *Translation) httpRouteHost(c *Config, name string, routes []*HTTPRoute) (*sim.Host, error) {
	h := &sim.Host{Name: name}
	var entries []routeEntry
	for _, r := range routes {
		for i := range r.Route.Spec.Rules {
			rule := &r.Route.Spec.Rules[i]
			p := fmt.Sprintf("spec.rules[%d]", i)
			sr := &sim.Rule{Index: i, Source: r.Source(p)}
			if r.Kind == "GRPCRoute" {
				sr.Protocol = sim.ProtocolGRPC
			}
			if rule.Name != nil {
				sr.Name = string(*rule.Name)
			}
			if len(routes) > 1 {
				sr.Name = r.Name + "/" + sr.Label()
			}
			tr.Origins[sr] = Origin{Doc: r.Document, Path: p}
			sr.Action = tr.httpRouteAction(c, r, rule, p)
			h.Rules = append(h.Rules, sr)
			matches := rule.Matches
			if len(matches) == 0 {
				// The API server's default: one match on PathPrefix "/".
				matches = []gatewayv1.HTTPRouteMatch{{}}
			}
			for j := range matches {
				e, err := tr.httpRouteMatch(r, &matches[j], fmt.Sprintf("%s.matches[%d]", p, j))
				if err != nil {
					return nil, err
				}
				e.route.Rule = len(h.Rules) - 1
				e.route.MatchIndex = j
				if len(rule.Matches) == 0 {
					e.route.MatchIndex = -1
				}
				entries = append(entries, e)
			}
		}
	}
	sortRouteEntries(entries)
	for _, e := range entries {
		h.Routes = append(h.Routes, e.route)
		if e.route.Match.CatchAll() {
			break
		}
	}
	markUnreachable(h)
	return h, nil
}

// sortRouteEntries is Istio's sortHTTPRoutes (pilot/pkg/config/kube/gateway/conversion.go), which
// implements the precedence of the Gateway API (apis/v1/httproute_types.go, HTTPRouteRule.Matches):
// a stable sort, so ties keep route creation order and rule order.
func sortRouteEntries(entries []routeEntry) {
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		switch {
		case a.rank != b.rank:
			return a.rank > b.rank
		case a.length != b.length:
			return a.length > b.length
		case a.method != b.method:
			return a.method
		case a.headers != b.headers:
			return a.headers > b.headers
		}
		return a.query > b.query
	})
}

// httpRouteMatch translates one HTTPRouteMatch, applying the API server's defaults (path PathPrefix
// "/", header and query type Exact). Header names are case-insensitive and, like query parameter
// names, only the first of equivalent names counts (HTTPHeaderMatch.Name, HTTPQueryParamMatch.Name).
func (tr *Translation) httpRouteMatch(r *HTTPRoute, m *gatewayv1.HTTPRouteMatch, path string) (routeEntry, error) {
	var e routeEntry
	typ := gatewayv1.PathMatchPathPrefix
	val := "/"
	if m.Path != nil {
		typ = ptrOr(m.Path.Type, typ)
		val = ptrOr(m.Path.Value, val)
	}
	var kind sim.MatchKind
	switch typ {
	case gatewayv1.PathMatchExact:
		kind, e.rank, e.length = sim.Exact, 3, len(val)
	case gatewayv1.PathMatchRegularExpression:
		kind, e.rank, e.length = sim.Regex, 1, len(val)
	default:
		if val != "/" {
			val = strings.TrimSuffix(val, "/")
		}
		kind, e.rank, e.length = sim.PathSeparatedPrefix, 2, len(val)
	}
	uri, err := sim.NewStringMatch(kind, val)
	if err != nil {
		return e, r.Errorf(path+".path.value", "%v", err)
	}
	e.route.Match.URI = &uri
	headers, err := compileValueMatches(r, path+".headers", headerValueMatches(m.Headers), strings.ToLower)
	if err != nil {
		return e, err
	}
	for _, h := range headers {
		e.route.Match.Headers = append(e.route.Match.Headers, sim.HeaderMatch{Name: h.Name, Match: h.Match})
	}
	e.headers = len(e.route.Match.Headers)
	if e.route.Match.Query, err = compileValueMatches(r, path+".queryParams", queryValueMatches(m.QueryParams), nil); err != nil {
		return e, err
	}
	e.query = len(e.route.Match.Query)
	if m.Method != nil {
		sm := sim.MustStringMatch(sim.Exact, string(*m.Method))
		e.route.Match.Method = &sm
		e.method = true
	}
	return e, nil
}

// compileValueMatches compiles the header or query parameter matches of the list at path, keeping
// only the first of equivalent names (canon, when not nil, gives a name's canonical form).
func compileValueMatches(r *HTTPRoute, path string, ms []valueMatch, canon func(string) string) ([]sim.ParamMatch, error) {
	var out []sim.ParamMatch
	seen := map[string]bool{}
	for k, m := range ms {
		name := m.name
		if canon != nil {
			name = canon(name)
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		kind := sim.Exact
		if m.typ == string(gatewayv1.HeaderMatchRegularExpression) {
			kind = sim.Regex
		}
		sm, err := sim.NewStringMatch(kind, m.value)
		if err != nil {
			return nil, r.Errorf(fmt.Sprintf("%s[%d].value", path, k), "%v", err)
		}
		out = append(out, sim.ParamMatch{Name: name, Match: sm})
	}
	return out, nil
}

// httpRouteAction translates a rule's filters and backendRefs, as Istio's convertHTTPRoute and
// buildHTTPDestination (pilot/pkg/config/kube/gateway/conversion.go) do with the Gateway API's rules
// (apis/v1/shared_types.go BackendRef.Weight, httproute_types.go HTTPRouteRule.BackendRefs):
// a RequestRedirect filter answers with its status code (default 302); when no backendRef has a
// weight above 0 (weights default to 1), every request gets 500; otherwise backends with weight 0
// are dropped, a single remaining backend takes all traffic, and the others share it by weight. An
// invalid backend keeps its share, which gets 500.
func (tr *Translation) httpRouteAction(c *Config, r *HTTPRoute, rule *gatewayv1.HTTPRouteRule, p string) sim.Action {
	for _, f := range rule.Filters {
		if f.Type == gatewayv1.HTTPRouteFilterRequestRedirect {
			code := 302
			if f.RequestRedirect != nil && f.RequestRedirect.StatusCode != nil {
				code = *f.RequestRedirect.StatusCode
			}
			return sim.Action{Kind: sim.Redirect, Status: code, Note: "redirect"}
		}
	}
	var dests []sim.Destination
	var sum int64
	positive := 0
	for k := range rule.BackendRefs {
		b := &rule.BackendRefs[k]
		w := ptrOr(b.Weight, 1)
		sum += int64(w)
		if w > 0 {
			positive++
		}
		d := tr.backend(c, r, b, fmt.Sprintf("%s.backendRefs[%d]", p, k), w > 0)
		d.Weight = w
		dests = append(dests, d)
	}
	if sum == 0 {
		return sim.Action{Kind: sim.DirectResponse, Status: 500, Destinations: dests,
			Note: "no backendRef with weight above 0: every request gets 500 (Gateway API)"}
	}
	for i := range dests {
		switch {
		case dests[i].Weight <= 0:
		case positive == 1:
			dests[i].EnvoyWeight = 1
		default:
			dests[i].EnvoyWeight = uint32(dests[i].Weight)
		}
	}
	return sim.Action{Kind: sim.Forward, Destinations: dests, Mirrors: tr.httpRouteMirrors(c, r, rule)}
}

// httpRouteMirrors are the RequestMirror filters of a rule, as Istio converts them
// (conversion.go createMirrorFilter: a fraction is 100 x numerator / denominator (100 by default)
// percent, a percent is that percent, none is 100%; then route.go MirrorPercentByPolicy).
func (tr *Translation) httpRouteMirrors(c *Config, r *HTTPRoute, rule *gatewayv1.HTTPRouteRule) []sim.Mirror {
	var out []sim.Mirror
	for _, f := range rule.Filters {
		m := f.RequestMirror
		if f.Type != gatewayv1.HTTPRouteFilterRequestMirror || m == nil {
			continue
		}
		if group, kind := string(ptrOr(m.BackendRef.Group, "")), string(ptrOr(m.BackendRef.Kind, "Service")); !((group == "" || group == "core") && kind == "Service") {
			continue // left out (invalidMirror)
		}
		d, _ := c.resolveBackend(r, &gatewayv1.HTTPBackendRef{BackendRef: gatewayv1.BackendRef{BackendObjectReference: m.BackendRef}})
		frac := sim.Fraction{Numerator: 100, Denominator: 100}
		switch {
		case m.Fraction != nil:
			frac = *percentFraction(&networking.Percent{Value: 100 * float64(m.Fraction.Numerator) / float64(ptrOr(m.Fraction.Denominator, 100))})
		case m.Percent != nil:
			frac = *percentFraction(&networking.Percent{Value: float64(*m.Percent)})
		}
		if frac.Numerator == 0 {
			continue
		}
		out = append(out, sim.Mirror{Host: d.Host, Cluster: d.Cluster, Fraction: frac})
	}
	return out
}

// backend resolves one backendRef (see resolveBackend); a live invalid backend gets a warning.
func (tr *Translation) backend(c *Config, r *HTTPRoute, b *gatewayv1.HTTPBackendRef, path string, live bool) sim.Destination {
	d, why := c.resolveBackend(r, b)
	if why != "" && live {
		tr.warnf("%s: %s: %s: invalid backend: %s; its share gets 500", r.Source(path), r.Resource(), path, why)
	}
	return d
}

// InvalidBackend says why a backendRef of an HTTPRoute is invalid (its share gets 500), or "".
func (c *Config) InvalidBackend(r *HTTPRoute, b *gatewayv1.HTTPBackendRef) string {
	_, why := c.resolveBackend(r, b)
	return why
}

// resolveBackend turns a backendRef into a destination. It is invalid (its share gets 500,
// HTTPBackendRef in apis/v1/httproute_types.go) when its kind is not supported, when it names a
// Service in another namespace that no ReferenceGrant of the inputs opens to the route
// (RefNotPermitted), or when the inputs contain Services but not this one (BackendNotFound; the
// inputs' Services are then taken as the complete list).
func (c *Config) resolveBackend(r *HTTPRoute, b *gatewayv1.HTTPBackendRef) (sim.Destination, string) {
	group := string(ptrOr(b.Group, ""))
	kind := string(ptrOr(b.Kind, "Service"))
	ns := string(ptrOr(b.Namespace, gatewayv1.Namespace(r.Namespace)))
	name := string(b.Name)
	port := uint32(ptrOr(b.Port, 0))
	d := sim.Destination{Host: name, Port: port, Status: 200}
	if ns != r.Namespace {
		d.Host = name + "." + ns
	}
	why := ""
	switch {
	case (group == "" || group == "core") && kind == "Service":
		d.Cluster = ClusterName(port, "", FQDN(name, ns))
		switch {
		case ns != r.Namespace && !r.meshParentIn(ns) && !c.referenceAllowed(r.Namespace, ns, name):
			why = fmt.Sprintf("backendRef %s/%s not accessible to a route in namespace %q (missing a ReferenceGrant?)", name, ns, r.Namespace)
		case len(c.Services) > 0 && !c.hasService(name, ns):
			why = fmt.Sprintf("Service %s/%s is not among the inputs' Services (BackendNotFound)", ns, name)
		}
	case group == "networking.istio.io" && kind == "Hostname":
		d.Host = name
		d.Cluster = ClusterName(port, "", name)
	default:
		why = fmt.Sprintf("referencing unsupported backendRef: group %q kind %q", group, kind)
	}
	if why != "" {
		d.Status = 500
		if d.Cluster == "" {
			// Istio's destination {} for a kind it cannot route; a Service not found keeps its
			// cluster name (outbound|PORT||FQDN), whose route answers 500.
			d.Cluster = "UnknownService"
		}
	}
	return d, why
}

// meshParentIn says whether the route is attached to a Service of namespace ns: a mesh route may
// send to the Services of its parent's namespace without a ReferenceGrant (GEP-1426: a consumer
// route in another namespace routes its parent Service's traffic; Gateway API conformance
// MeshConsumerRoute).
func (r *HTTPRoute) meshParentIn(ns string) bool {
	for _, p := range r.Route.Spec.ParentRefs {
		group, kind := string(ptrOr(p.Group, gatewayGroup)), string(ptrOr(p.Kind, "Gateway"))
		if (group == "" || group == "core") && kind == "Service" && string(ptrOr(p.Namespace, gatewayv1.Namespace(r.Namespace))) == ns {
			return true
		}
	}
	return false
}

// invalidMirror says why a rule's RequestMirror filter cannot mirror (its backendRef is not a
// Service), or "": Istio at the pinned version (conversion.go createMirrorFilter) leaves such a mirror
// out and keeps the route.
func (r *HTTPRoute) invalidMirror() string {
	for i, rule := range r.Route.Spec.Rules {
		for j, f := range rule.Filters {
			if f.RequestMirror == nil {
				continue
			}
			b := f.RequestMirror.BackendRef
			group, kind := string(ptrOr(b.Group, "")), string(ptrOr(b.Kind, "Service"))
			if !((group == "" || group == "core") && kind == "Service") {
				return fmt.Sprintf("spec.rules[%d].filters[%d]: RequestMirror backendRef of unsupported kind %q", i, j, kind)
			}
		}
	}
	return ""
}

func (c *Config) hasService(name, ns string) bool {
	for _, s := range c.Services {
		if s.Name == name && s.Namespace == ns {
			return true
		}
	}
	return false
}

// referenceAllowed reports whether a ReferenceGrant in namespace to lets HTTPRoutes of namespace from
// reach Service name (apis/v1beta1 ReferenceGrant: from group/kind/namespace, to group/kind[/name]).
func (c *Config) referenceAllowed(from, to, name string) bool {
	for _, g := range c.ReferenceGrants {
		if g.Namespace != to {
			continue
		}
		fromOK := false
		for _, f := range g.Grant.Spec.From {
			if string(f.Group) == gatewayGroup && string(f.Kind) == "HTTPRoute" && string(f.Namespace) == from {
				fromOK = true
			}
		}
		if !fromOK {
			continue
		}
		for _, t := range g.Grant.Spec.To {
			if (t.Group == "" || t.Group == "core") && t.Kind == "Service" && (t.Name == nil || string(*t.Name) == name) {
				return true
			}
		}
	}
	return false
}
