package mesh

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/splitsim/splitsim/sim"
)

// L4Route is a decoded Gateway API TCPRoute or TLSRoute (v1 or v1alpha2): parents, SNI hostnames
// (TLSRoute) and rules of weighted backends.
type L4Route struct {
	*Document
	ParentRefs []gatewayv1.ParentReference
	Hostnames  []gatewayv1.Hostname
	Rules      [][]gatewayv1.BackendRef
}

// decodeRouteKind decodes a GRPCRoute (into the config's HTTPRoutes, converted as Istio converts it)
// or a TCPRoute or TLSRoute (into L4Routes).
func (c *Config) decodeRouteKind(d *Document) []*Error {
	switch d.Kind {
	case "GRPCRoute":
		g := &gatewayv1.GRPCRoute{}
		if err := decodeGatewayObject(d, reflect.TypeOf(gatewayv1.GRPCRouteSpec{}), g); err != nil {
			return []*Error{err}
		}
		c.HTTPRoutes = append(c.HTTPRoutes, grpcAsHTTPRoute(d, g))
	case "TCPRoute":
		r := &gatewayv1.TCPRoute{}
		if err := decodeGatewayObject(d, reflect.TypeOf(gatewayv1.TCPRouteSpec{}), r); err != nil {
			return []*Error{err}
		}
		l := &L4Route{Document: d, ParentRefs: r.Spec.ParentRefs}
		for _, rule := range r.Spec.Rules {
			l.Rules = append(l.Rules, rule.BackendRefs)
		}
		c.L4Routes = append(c.L4Routes, l)
	case "TLSRoute":
		r := &gatewayv1.TLSRoute{}
		if err := decodeGatewayObject(d, reflect.TypeOf(gatewayv1.TLSRouteSpec{}), r); err != nil {
			return []*Error{err}
		}
		l := &L4Route{Document: d, ParentRefs: r.Spec.ParentRefs, Hostnames: r.Spec.Hostnames}
		for _, rule := range r.Spec.Rules {
			l.Rules = append(l.Rules, rule.BackendRefs)
		}
		c.L4Routes = append(c.L4Routes, l)
	}
	return nil
}

// grpcAsHTTPRoute converts a GRPCRoute into the HTTPRoute Istio routes it as
// (pilot/pkg/config/kube/gateway/conversion.go convertGRPCRoute and createGRPCURIMatch): a method
// match becomes a path match on "/SERVICE/METHOD" (Exact: exact with both, prefix "/SERVICE/" with the
// service alone, a regex "/[^/]+/METHOD" with the method alone; RegularExpression: the regex
// "/SERVICE/METHOD" with ".+" for a part left out); header matches and backends carry over.
func grpcAsHTTPRoute(d *Document, g *gatewayv1.GRPCRoute) *HTTPRoute {
	hr := &gatewayv1.HTTPRoute{ObjectMeta: g.ObjectMeta}
	hr.Spec.CommonRouteSpec = g.Spec.CommonRouteSpec
	hr.Spec.Hostnames = g.Spec.Hostnames
	for _, rule := range g.Spec.Rules {
		var out gatewayv1.HTTPRouteRule
		out.Name = rule.Name
		for _, m := range rule.Matches {
			var hm gatewayv1.HTTPRouteMatch
			if m.Method != nil {
				hm.Path = grpcPath(m.Method)
			}
			for _, h := range m.Headers {
				typ := gatewayv1.HeaderMatchExact
				if h.Type != nil && *h.Type == gatewayv1.GRPCHeaderMatchRegularExpression {
					typ = gatewayv1.HeaderMatchRegularExpression
				}
				hm.Headers = append(hm.Headers, gatewayv1.HTTPHeaderMatch{Type: &typ, Name: gatewayv1.HTTPHeaderName(h.Name), Value: h.Value})
			}
			out.Matches = append(out.Matches, hm)
		}
		for _, b := range rule.BackendRefs {
			out.BackendRefs = append(out.BackendRefs, gatewayv1.HTTPBackendRef{BackendRef: b.BackendRef})
		}
		hr.Spec.Rules = append(hr.Spec.Rules, out)
	}
	return &HTTPRoute{Document: d, Route: hr}
}

// grpcPath is createGRPCURIMatch.
func grpcPath(m *gatewayv1.GRPCMethodMatch) *gatewayv1.HTTPPathMatch {
	service, method := ptrOr(m.Service, ""), ptrOr(m.Method, "")
	match := func(t gatewayv1.PathMatchType, v string) *gatewayv1.HTTPPathMatch {
		return &gatewayv1.HTTPPathMatch{Type: &t, Value: &v}
	}
	if m.Type != nil && *m.Type == gatewayv1.GRPCMethodMatchRegularExpression {
		if service == "" {
			service = ".+"
		}
		if method == "" {
			method = ".+"
		}
		return match(gatewayv1.PathMatchRegularExpression, "/"+service+"/"+method)
	}
	switch {
	case service != "" && method != "":
		return match(gatewayv1.PathMatchExact, "/"+service+"/"+method)
	case service != "":
		return match(gatewayv1.PathMatchPathPrefix, "/"+service+"/")
	case method != "":
		return match(gatewayv1.PathMatchRegularExpression, "/[^/]+/"+method)
	}
	return nil
}

// l4RouteHosts returns the hosts of the TCPRoutes and TLSRoutes that apply to the caller: for a
// gateway, those attached to it ("tcp://*", or "tls://HOSTNAME" for each hostname of a TLSRoute); for a
// sidecar, those attached to a Service ("tcp://NAME", "tls://NAME"). Each rule's backends are
// weighted as for an HTTPRoute (weight 1 by default; an invalid backend's share fails); the first
// rule takes every connection (a rule has no match).
func (tr *Translation) l4RouteHosts(v *viewCtx) []*sim.Host {
	var out []*sim.Host
	byName := map[string]*sim.Host{}
	for _, r := range v.c.L4Routes {
		scheme := TCPPrefix
		if r.Kind == "TLSRoute" {
			scheme = TLSPrefix
		}
		for _, name := range tr.l4RouteNames(v, r) {
			h := byName[scheme+name]
			if h == nil {
				h = &sim.Host{Name: scheme + name, DecidedBy: r.Kind + " " + r.FullName()}
				byName[h.Name] = h
				h.FQDN = h.Name
				out = append(out, h)
			}
			for i, refs := range r.Rules {
				p := fmt.Sprintf("spec.rules[%d]", i)
				rule := &sim.Rule{Index: i, Name: r.Name + "/#" + fmt.Sprint(i), Source: r.Source(p), Unreachable: len(h.Routes) > 0,
					Protocol: strings.TrimSuffix(scheme, "://")}
				tr.Origins[rule] = Origin{Doc: r.Document, Path: p}
				hr := &HTTPRoute{Document: r.Document, Route: &gatewayv1.HTTPRoute{}}
				hrule := &gatewayv1.HTTPRouteRule{}
				for _, b := range refs {
					hrule.BackendRefs = append(hrule.BackendRefs, gatewayv1.HTTPBackendRef{BackendRef: b})
				}
				rule.Action = tr.httpRouteAction(v.c, hr, hrule, p)
				h.Rules = append(h.Rules, rule)
				if !rule.Unreachable {
					h.Routes = append(h.Routes, sim.Route{Rule: len(h.Rules) - 1, MatchIndex: -1})
				}
			}
		}
	}
	return out
}

// l4RouteNames are the names under which a TCPRoute or TLSRoute serves the caller.
func (tr *Translation) l4RouteNames(v *viewCtx, r *L4Route) []string {
	var out []string
	for _, p := range r.ParentRefs {
		group, kind := string(ptrOr(p.Group, gatewayGroup)), string(ptrOr(p.Kind, "Gateway"))
		ns := string(ptrOr(p.Namespace, gatewayv1.Namespace(r.Namespace)))
		var names []string
		switch {
		case (group == "" || group == "core") && kind == "Service":
			if v.from.IsGateway() || ns != r.Namespace && v.from.Namespace != r.Namespace {
				continue
			}
			names = []string{string(p.Name)}
			if ns != v.from.Namespace {
				names[0] += "." + ns
			}
		case isGatewayParent(p):
			if v.from.Gateway != ns+"/"+string(p.Name) {
				continue
			}
			names = []string{"*"}
			if len(r.Hostnames) > 0 {
				names = names[:0]
				for _, h := range r.Hostnames {
					names = append(names, string(h))
				}
			}
		}
		for _, n := range names {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// isL4RouteKind says whether a Gateway API kind is decoded by decodeRouteKind.
func isL4RouteKind(kind string) bool {
	return kind == "GRPCRoute" || kind == "TCPRoute" || kind == "TLSRoute"
}

// l4Served are the served versions of the route kinds of decodeRouteKind.
func l4Served(kind string) []string {
	if kind == "GRPCRoute" {
		return []string{"v1", "v1alpha2"}
	}
	return []string{"v1", "v1alpha2", "v1alpha3"}
}

// servedText is "v1, v1alpha2 or v1alpha3".
func servedText(vs []string) string {
	return strings.Join(vs[:len(vs)-1], ", ") + " or " + vs[len(vs)-1]
}
