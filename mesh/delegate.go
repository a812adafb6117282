package mesh

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	networking "istio.io/api/networking/v1"
)

// httpEntry is one http route of a VirtualService once its delegates are merged in, with the
// document and path where it was written (the delegate's, for a merged route): short host names in
// it resolve against that document's namespace.
type httpEntry struct {
	route *networking.HTTPRoute
	doc   *Document
	path  string
}

// httpEntries returns the http routes of vs with every route that has a delegate replaced by the
// delegate's routes merged with it, as istiod merges them (pilot/pkg/model/virtualservice.go,
// mergeVirtualServicesIfNeeded and mergeHTTPRoutes): the delegate is the VirtualService without
// hosts named by delegate.name in delegate.namespace (default: the root's), and must be exported to
// the root's namespace; a missing or hidden delegate drops that route only. Each delegate route's
// matches must fit inside one of the root route's (mergeHTTPMatchRequests); a route that conflicts
// is dropped, with a warning.
func (tr *Translation) httpEntries(c *Config, vs *VirtualService) []httpEntry {
	var out []httpEntry
	for i, r := range vs.Spec.GetHttp() {
		p := fmt.Sprintf("spec.http[%d]", i)
		d := r.GetDelegate()
		if d == nil {
			out = append(out, httpEntry{route: r, doc: vs.Document, path: p})
			continue
		}
		ns := d.GetNamespace()
		if ns == "" {
			ns = vs.Namespace
		}
		del := c.delegate(d.GetName(), ns)
		switch {
		case del == nil:
			tr.warnf("%s: %s: %s.delegate: delegate VirtualService %s/%s is not in the inputs (or has hosts): Istio ignores this route", vs.Source(p+".delegate"), vs.Resource(), p, ns, d.GetName())
			continue
		case !exportedTo(del.Spec.GetExportTo(), del.Namespace, vs.Namespace):
			tr.warnf("%s: %s: %s.delegate: delegate VirtualService %s/%s is not exported to namespace %s: Istio ignores this route", vs.Source(p+".delegate"), vs.Resource(), p, ns, d.GetName(), vs.Namespace)
			continue
		}
		root := resolveMatchGateways(r, vs.Namespace)
		for j, sub := range del.Spec.GetHttp() {
			q := fmt.Sprintf("spec.http[%d]", j)
			merged := mergeHTTPRoute(root, resolveMatchGateways(sub, del.Namespace))
			if merged == nil {
				tr.warnf("%s: %s: %s: its matches conflict with those of the root %s %s: Istio drops this route (mergeHTTPMatchRequests)", del.Source(q), del.Resource(), q, vs.Resource(), p)
				continue
			}
			out = append(out, httpEntry{route: merged, doc: del.Document, path: q})
		}
	}
	return out
}

// resolveMatchGateways returns r with the gateway names of its match blocks resolved in namespace ns
// (resolveGatewayName), leaving r as it is. istiod resolves every VirtualService's names in its own
// namespace before it merges delegates (pilot/pkg/model/push_context.go initVirtualServices:
// resolveVirtualServiceShortnames, then mergeVirtualServicesIfNeeded), so a root's "gw" and its
// delegate's "ns/gw" are the same gateway when merged and compared, and a match a delegate route
// inherits keeps the root's namespace.
func resolveMatchGateways(r *networking.HTTPRoute, ns string) *networking.HTTPRoute {
	if !slices.ContainsFunc(r.GetMatch(), func(m *networking.HTTPMatchRequest) bool { return len(m.GetGateways()) > 0 }) {
		return r
	}
	out := proto.Clone(r).(*networking.HTTPRoute)
	for _, m := range out.GetMatch() {
		for i, g := range m.GetGateways() {
			m.Gateways[i] = resolveGatewayName(g, ns)
		}
	}
	return out
}

// delegate is the VirtualService without hosts named ns/name, or nil.
func (c *Config) delegate(name, ns string) *VirtualService {
	for _, vs := range c.VirtualServices {
		if vs.Name == name && vs.Namespace == ns && len(vs.Spec.GetHosts()) == 0 {
			return vs
		}
	}
	return nil
}

// mergeHTTPRoute merges a root route (with a delegate) and one route of its delegate, or returns nil
// when their matches conflict (virtualservice.go mergeHTTPRoute): the delegate's fields win, the
// root's fill in those it leaves unset, names join with "-".
func mergeHTTPRoute(root, delegate *networking.HTTPRoute) *networking.HTTPRoute {
	matches, conflict := mergeHTTPMatchRequests(root.GetMatch(), delegate.GetMatch())
	if conflict {
		return nil
	}
	out := proto.Clone(delegate).(*networking.HTTPRoute)
	out.Match = matches
	switch {
	case out.Name == "":
		out.Name = root.GetName()
	case root.GetName() != "":
		out.Name = root.GetName() + "-" + out.Name
	}
	if out.Rewrite == nil {
		out.Rewrite = root.Rewrite
	}
	if out.DirectResponse == nil {
		out.DirectResponse = root.DirectResponse
	}
	if out.Timeout == nil {
		out.Timeout = root.Timeout
	}
	if out.Retries == nil {
		out.Retries = root.Retries
	}
	if out.Fault == nil {
		out.Fault = root.Fault
	}
	if out.Mirror == nil {
		out.Mirror = root.Mirror
	}
	if out.MirrorPercentage == nil {
		out.MirrorPercentage = root.MirrorPercentage
	}
	if out.CorsPolicy == nil {
		out.CorsPolicy = root.CorsPolicy
	}
	if out.Mirrors == nil {
		out.Mirrors = root.Mirrors
	}
	if out.Headers == nil {
		out.Headers = root.Headers
	}
	return out
}

// mergeHTTPMatchRequests merges the matches of a root route and of a delegate route
// (virtualservice.go mergeHTTPMatchRequests): with none on one side, the other's; otherwise every
// delegate match is merged with each root match it does not conflict with, and a delegate match that
// fits in none is a conflict.
func mergeHTTPMatchRequests(root, delegate []*networking.HTTPMatchRequest) ([]*networking.HTTPMatchRequest, bool) {
	if len(root) == 0 {
		return delegate, false
	}
	if len(delegate) == 0 {
		return root, false
	}
	var out []*networking.HTTPMatchRequest
	for _, sub := range delegate {
		found := false
		for _, rm := range root {
			if matchConflict(rm, sub) {
				continue
			}
			out = append(out, mergeHTTPMatchRequest(rm, sub))
			found = true
		}
		if !found {
			return nil, true
		}
	}
	return out, len(out) == 0
}

// mergeHTTPMatchRequest is virtualservice.go mergeHTTPMatchRequest: the delegate's conditions, the
// root's where the delegate sets none; maps are merged with the delegate's entries winning.
func mergeHTTPMatchRequest(root, delegate *networking.HTTPMatchRequest) *networking.HTTPMatchRequest {
	out := proto.Clone(delegate).(*networking.HTTPMatchRequest)
	switch {
	case out.Name == "":
		out.Name = root.GetName()
	case root.GetName() != "":
		out.Name = root.GetName() + "-" + out.Name
	}
	if out.Uri == nil {
		out.Uri = root.Uri
	}
	if out.Scheme == nil {
		out.Scheme = root.Scheme
	}
	if out.Method == nil {
		out.Method = root.Method
	}
	if out.Authority == nil {
		out.Authority = root.Authority
	}
	out.Headers = mergeMaps(root.GetHeaders(), delegate.GetHeaders())
	out.WithoutHeaders = mergeMaps(root.GetWithoutHeaders(), delegate.GetWithoutHeaders())
	out.QueryParams = mergeMaps(root.GetQueryParams(), delegate.GetQueryParams())
	if out.Port == 0 {
		out.Port = root.GetPort()
	}
	out.SourceLabels = mergeMaps(root.GetSourceLabels(), delegate.GetSourceLabels())
	if out.SourceNamespace == "" {
		out.SourceNamespace = root.GetSourceNamespace()
	}
	if len(out.Gateways) == 0 {
		out.Gateways = root.GetGateways()
	}
	return out
}

func mergeMaps[V any](root, delegate map[string]V) map[string]V {
	if len(root) == 0 && len(delegate) == 0 {
		return nil
	}
	out := maps.Clone(root)
	if out == nil {
		out = map[string]V{}
	}
	maps.Copy(out, delegate)
	return out
}

// matchConflict is virtualservice.go hasConflict: the delegate match asks for something the root
// match excludes.
func matchConflict(root, leaf *networking.HTTPMatchRequest) bool {
	roots := []*networking.StringMatch{root.GetUri(), root.GetScheme(), root.GetMethod(), root.GetAuthority()}
	leaves := []*networking.StringMatch{leaf.GetUri(), leaf.GetScheme(), leaf.GetMethod(), leaf.GetAuthority()}
	for i := range roots {
		if stringMatchConflict(roots[i], leaves[i]) {
			return true
		}
	}
	for _, pair := range []struct {
		r, l map[string]*networking.StringMatch
	}{
		{root.GetHeaders(), leaf.GetHeaders()}, {root.GetWithoutHeaders(), leaf.GetWithoutHeaders()}, {root.GetQueryParams(), leaf.GetQueryParams()},
	} {
		for k, lv := range pair.l {
			if stringMatchConflict(pair.r[k], lv) {
				return true
			}
		}
	}
	switch {
	case root.GetIgnoreUriCase() != leaf.GetIgnoreUriCase():
		return true
	case root.GetPort() > 0 && leaf.GetPort() > 0 && root.GetPort() != leaf.GetPort():
		return true
	case root.GetSourceNamespace() != "" && leaf.GetSourceNamespace() != root.GetSourceNamespace():
		return true
	}
	for k, lv := range leaf.GetSourceLabels() {
		if v, ok := root.GetSourceLabels()[k]; ok && v != lv {
			return true
		}
	}
	if rg, lg := root.GetGateways(), leaf.GetGateways(); len(rg) > 0 && len(lg) > 0 {
		if len(rg) < len(lg) {
			return true
		}
		for _, g := range lg {
			if !slices.Contains(rg, g) {
				return true
			}
		}
	}
	return false
}

// stringMatchConflict is virtualservice.go stringMatchConflict: a regex on either side admits no
// other condition on the other; an exact root admits only the same exact value; a prefix root admits
// a prefix or exact value that starts with it.
func stringMatchConflict(root, leaf *networking.StringMatch) bool {
	if root == nil || leaf == nil {
		return false
	}
	if root.GetRegex() != "" && (leaf.GetRegex() != "" || leaf.GetPrefix() != "" || leaf.GetExact() != "") {
		return true
	}
	if leaf.GetRegex() != "" && (root.GetRegex() != "" || root.GetPrefix() != "" || root.GetExact() != "") {
		return true
	}
	if exact := root.GetExact(); exact != "" {
		return leaf.GetPrefix() != "" || leaf.GetExact() != exact
	}
	if prefix := root.GetPrefix(); prefix != "" {
		if leaf.GetPrefix() != "" {
			return !strings.HasPrefix(leaf.GetPrefix(), prefix)
		}
		if leaf.GetExact() != "" {
			return !strings.HasPrefix(leaf.GetExact(), prefix)
		}
	}
	return true
}
