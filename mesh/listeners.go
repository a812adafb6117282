package mesh

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// gatewayAPI returns the Gateway API Gateway ns/name of the inputs, or nil.
func (c *Config) gatewayAPI(ns, name string) *Gateway {
	for _, g := range c.Gateways {
		if g.Namespace == ns && g.Name == name {
			return g
		}
	}
	return nil
}

// listenerHostnames returns the hostnames under which an HTTPRoute serves a Gateway's caller through
// the listeners it attaches to (a parentRef's sectionName and port pick listeners; the caller's port
// too), as the Gateway API defines attachment (apis/v1/gateway_types.go Listener, AllowedRoutes;
// apis/v1/httproute_types.go HTTPRouteSpec.Hostnames) and Istio implements it
// (pilot/pkg/config/kube/gateway/conversion.go referenceAllowed): the listener must allow the route's
// namespace and kind, and the route's hostnames must intersect the listener's, the more specific
// name of each intersecting pair being kept. why says why none is left.
func (v *viewCtx) listenerHostnames(gw *Gateway, r *HTTPRoute, p gatewayv1.ParentReference) (hosts []string, why string) {
	var reasons []string
	for _, l := range gw.Gateway.Spec.Listeners {
		switch {
		case p.SectionName != nil && *p.SectionName != l.Name:
			continue
		case p.Port != nil && *p.Port != l.Port:
			continue
		case v.from.Port != 0 && uint32(l.Port) != v.from.Port:
			continue
		}
		if no := v.c.allowsRoute(gw, &l, r); no != "" {
			reasons = append(reasons, fmt.Sprintf("listener %s: %s", l.Name, no))
			continue
		}
		hs := intersectHostnames(r.Route.Spec.Hostnames, l.Hostname)
		if len(hs) == 0 {
			reasons = append(reasons, fmt.Sprintf("listener %s: hostname %s does not intersect the route's hostnames", l.Name, string(*l.Hostname)))
		}
		banned := bannedHostnames(gw, &l)
		for _, h := range hs {
			if !hasString(hosts, h) && !bannedBy(banned, h) {
				hosts = append(hosts, h)
			}
		}
	}
	if len(hosts) == 0 && len(reasons) == 0 {
		reasons = append(reasons, "no listener has the parentRef's sectionName or port")
	}
	return hosts, strings.Join(reasons, "; ")
}

func hasString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// allowsRoute says why a listener does not accept an HTTPRoute, or "" when it does: allowedRoutes
// kinds (default: what the protocol carries, HTTPRoute for HTTP and HTTPS) and namespaces (from Same,
// the default; All; Selector on the route namespace's labels, which the inputs must give as a
// Namespace object; None).
func (c *Config) allowsRoute(gw *Gateway, l *gatewayv1.Listener, r *HTTPRoute) string {
	ar := l.AllowedRoutes
	if ar != nil && len(ar.Kinds) > 0 {
		ok := false
		for _, k := range ar.Kinds {
			if k.Kind == "HTTPRoute" && string(ptrOr(k.Group, gatewayv1.Group(gatewayGroup))) == gatewayGroup {
				ok = true
			}
		}
		if !ok {
			return "allowedRoutes.kinds does not include HTTPRoute"
		}
	} else if l.Protocol != gatewayv1.HTTPProtocolType && l.Protocol != gatewayv1.HTTPSProtocolType {
		return fmt.Sprintf("protocol %s does not carry HTTPRoutes", l.Protocol)
	}
	from := gatewayv1.NamespacesFromSame
	var sel *metav1.LabelSelector
	if ar != nil && ar.Namespaces != nil {
		from = ptrOr(ar.Namespaces.From, from)
		sel = ar.Namespaces.Selector
	}
	switch from {
	case gatewayv1.NamespacesFromAll:
		return ""
	case gatewayv1.NamespacesFromSame:
		if r.Namespace != gw.Namespace {
			return fmt.Sprintf("allowedRoutes admits routes of namespace %s only (from: Same)", gw.Namespace)
		}
		return ""
	case gatewayv1.NamespacesFromSelector:
		labels, ok := c.NamespaceLabels[r.Namespace]
		if !ok {
			return fmt.Sprintf("allowedRoutes selects namespaces by label and the inputs do not give Namespace %s", r.Namespace)
		}
		if !selectorMatches(sel, labels) {
			return fmt.Sprintf("allowedRoutes' namespace selector does not select namespace %s", r.Namespace)
		}
		return ""
	}
	return "allowedRoutes admits no namespace (from: None)"
}

// selectorMatches applies a Kubernetes label selector (matchLabels and matchExpressions In, NotIn,
// Exists, DoesNotExist); a nil selector selects nothing, an empty one everything.
func selectorMatches(sel *metav1.LabelSelector, labels map[string]string) bool {
	if sel == nil {
		return false
	}
	if !subsetOf(sel.MatchLabels, labels) {
		return false
	}
	for _, e := range sel.MatchExpressions {
		v, has := labels[e.Key]
		switch e.Operator {
		case metav1.LabelSelectorOpIn:
			if !has || !hasString(e.Values, v) {
				return false
			}
		case metav1.LabelSelectorOpNotIn:
			if has && hasString(e.Values, v) {
				return false
			}
		case metav1.LabelSelectorOpExists:
			if !has {
				return false
			}
		case metav1.LabelSelectorOpDoesNotExist:
			if has {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// bannedHostnames are the hostnames of the Gateway's other listeners on the same port that are more
// specific than l's: requests for them belong to those listeners, not to routes attached to l
// (listener isolation, apis/v1/gateway_types.go GatewaySpec.Listeners; Istio conversion.go
// extractParentReferenceInfo, BannedHostnames).
func bannedHostnames(gw *Gateway, l *gatewayv1.Listener) []string {
	var out []string
	for _, o := range gw.Gateway.Spec.Listeners {
		if o.Name == l.Name || o.Port != l.Port || o.Hostname == nil || *o.Hostname == "" {
			continue
		}
		oh := string(*o.Hostname)
		if l.Hostname == nil || *l.Hostname == "" || gatewayHostMatches(string(*l.Hostname), oh) && oh != string(*l.Hostname) {
			out = append(out, oh)
		}
	}
	return out
}

// bannedBy says whether hostname h lies within a banned listener hostname.
func bannedBy(banned []string, h string) bool {
	for _, b := range banned {
		if gatewayHostMatches(b, h) {
			return true
		}
	}
	return false
}

// intersectHostnames is the hostnames a route serves on a listener: the route's when the listener
// has none ("*" when neither has), the listener's when the route has none, else for each route
// hostname that intersects the listener's, the more specific of the two (GEP-1323 hostname
// intersection; Istio conversion.go).
func intersectHostnames(route []gatewayv1.Hostname, listener *gatewayv1.Hostname) []string {
	var out []string
	switch {
	case listener == nil || *listener == "":
		for _, h := range route {
			out = append(out, string(h))
		}
		if len(out) == 0 {
			out = []string{"*"}
		}
		return out
	case len(route) == 0:
		return []string{string(*listener)}
	}
	l := string(*listener)
	for _, rh := range route {
		h := string(rh)
		switch {
		case gatewayHostMatches(l, h):
			out = append(out, h)
		case gatewayHostMatches(h, l):
			out = append(out, l)
		}
	}
	return out
}

// gatewayHostMatches says whether pattern admits host: equal, or pattern "*.suffix" and host ending
// in ".suffix" (one or more labels in front; a wildcard host too).
func gatewayHostMatches(pattern, host string) bool {
	if pattern == host {
		return true
	}
	suffix, ok := strings.CutPrefix(pattern, "*")
	return ok && strings.HasSuffix(host, suffix) && len(host) > len(suffix)
}
