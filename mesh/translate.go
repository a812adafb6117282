package mesh

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/sim"
)

// DomainSuffix is the cluster domain used to expand short host names.
const DomainSuffix = "cluster.local"

// Translation is the routing table built from a Config, with caveats about what was not simulated.
type Translation struct {
	Table    *sim.Table
	Warnings []string
	// FQDN maps each table host to its fully qualified name.
	FQDN map[string]string
}

// FQDN expands a short host name the way Istio does (host.ResolveShortnameToFQDN): a name without a
// dot becomes name.namespace.svc.cluster.local; a name with a dot is kept as written.
func FQDN(host, namespace string) string {
	if strings.Contains(host, ".") || strings.Contains(host, "*") {
		return host
	}
	return host + "." + namespace + ".svc." + DomainSuffix
}

// ClusterName is Istio's outbound cluster name (model.BuildSubsetKey): outbound|port|subset|fqdn.
// An unknown port (0) is left empty.
func ClusterName(port uint32, subset, fqdn string) string {
	p := ""
	if port != 0 {
		p = strconv.FormatUint(uint64(port), 10)
	}
	return "outbound|" + p + "|" + subset + "|" + fqdn
}

// Translate builds the routing table. Every VirtualService host becomes a table host; when several
// VirtualServices claim one host, the first in input order is used (a warning says so).
func Translate(c *Config) (*Translation, error) {
	tr := &Translation{Table: &sim.Table{}, FQDN: map[string]string{}}
	subsets := c.subsetIndex()
	ports := map[string][]uint32{}
	for _, s := range c.Services {
		ports[FQDN(s.Name, s.Namespace)] = s.Ports
	}
	owner := map[string]*VirtualService{}
	for _, vs := range c.VirtualServices {
		if len(vs.Spec.GetTcp()) > 0 || len(vs.Spec.GetTls()) > 0 {
			tr.warnf("%s: %s: tcp and tls routes are not simulated", vs.File, vs.Resource())
		}
		for _, name := range vs.Spec.GetHosts() {
			if prev := owner[name]; prev != nil {
				tr.warnf("%s: %s: host %q is also claimed by %s (%s); the first one is simulated", vs.File, vs.Resource(), name, prev.Resource(), prev.File)
				continue
			}
			owner[name] = vs
			h, err := tr.host(vs, name, subsets, ports)
			if err != nil {
				return nil, err
			}
			tr.Table.Hosts = append(tr.Table.Hosts, h)
			tr.FQDN[name] = FQDN(name, vs.Namespace)
		}
	}
	return tr, nil
}

func (tr *Translation) warnf(format string, args ...any) {
	tr.Warnings = append(tr.Warnings, fmt.Sprintf(format, args...))
}

// subsetIndex maps a destination FQDN to the subsets DestinationRules define for it.
type subsetIndex struct {
	exact    map[string]map[string]bool
	wildcard []struct {
		suffix  string
		subsets map[string]bool
	}
	any bool // at least one DestinationRule was given
}

func (c *Config) subsetIndex() *subsetIndex {
	idx := &subsetIndex{exact: map[string]map[string]bool{}, any: len(c.DestinationRules) > 0}
	for _, dr := range c.DestinationRules {
		set := map[string]bool{}
		for _, s := range dr.Spec.GetSubsets() {
			set[s.GetName()] = true
		}
		h := dr.Spec.GetHost()
		if strings.HasPrefix(h, "*") {
			idx.wildcard = append(idx.wildcard, struct {
				suffix  string
				subsets map[string]bool
			}{strings.TrimPrefix(h, "*"), set})
			continue
		}
		f := FQDN(h, dr.Namespace)
		if idx.exact[f] == nil {
			idx.exact[f] = set
		} else {
			for k := range set {
				idx.exact[f][k] = true
			}
		}
	}
	return idx
}

func (idx *subsetIndex) has(fqdn, subset string) bool {
	if s, ok := idx.exact[fqdn]; ok {
		return s[subset]
	}
	for _, w := range idx.wildcard {
		if strings.HasSuffix(fqdn, w.suffix) && w.subsets[subset] {
			return true
		}
	}
	return false
}

func (tr *Translation) host(vs *VirtualService, name string, subsets *subsetIndex, ports map[string][]uint32) (*sim.Host, error) {
	h := &sim.Host{Name: name}
	catchAll := false
	for i, r := range vs.Spec.GetHttp() {
		p := fmt.Sprintf("spec.http[%d]", i)
		rule := &sim.Rule{Index: i, Name: r.GetName(), Source: vs.Source(p)}
		act, err := tr.action(vs, r, p, subsets, ports)
		if err != nil {
			return nil, err
		}
		rule.Action = act
		h.Rules = append(h.Rules, rule)
		if catchAll {
			rule.Unreachable = true
			continue
		}
		// One Envoy route per match block; stop after the first catch-all
		// (route.go BuildHTTPRoutesForVirtualService and IsCatchAllRoute).
		if len(r.GetMatch()) == 0 {
			h.Routes = append(h.Routes, sim.Route{Rule: len(h.Rules) - 1, MatchIndex: -1})
			catchAll = true
			continue
		}
		for j, m := range r.GetMatch() {
			q := fmt.Sprintf("%s.match[%d]", p, j)
			sm, err := tr.match(vs, m, q)
			if err != nil {
				return nil, err
			}
			h.Routes = append(h.Routes, sim.Route{Rule: len(h.Rules) - 1, MatchIndex: j, Match: sm})
			if sm.CatchAll() {
				catchAll = true
				break
			}
		}
	}
	return h, nil
}

func (tr *Translation) action(vs *VirtualService, r *networking.HTTPRoute, path string, subsets *subsetIndex, ports map[string][]uint32) (sim.Action, error) {
	switch {
	case r.GetRedirect() != nil:
		code := int(r.GetRedirect().GetRedirectCode())
		if code == 0 {
			code = 301
		}
		return sim.Action{Kind: sim.Redirect, Status: code, Note: "redirect"}, nil
	case r.GetDirectResponse() != nil:
		return sim.Action{Kind: sim.DirectResponse, Status: int(r.GetDirectResponse().GetStatus()), Note: "direct response"}, nil
	case r.GetDelegate() != nil:
		tr.warnf("%s: %s: %s.delegate: delegate VirtualServices are not supported yet; requests matching this rule are counted as unsimulated", vs.Source(path+".delegate"), vs.Resource(), path)
		return sim.Action{Kind: sim.Unsupported, Note: "delegate (not supported yet)"}, nil
	}
	act := sim.Action{Kind: sim.Forward}
	routes := r.GetRoute()
	for j, rd := range routes {
		d := rd.GetDestination()
		fqdn := FQDN(d.GetHost(), vs.Namespace)
		port := d.GetPort().GetNumber()
		if port == 0 {
			if ps := ports[fqdn]; len(ps) == 1 {
				port = ps[0]
			}
		}
		dst := sim.Destination{Host: d.GetHost(), Subset: d.GetSubset(), Port: d.GetPort().GetNumber(), Weight: rd.GetWeight(), Status: 200,
			Cluster: ClusterName(port, d.GetSubset(), fqdn)}
		// applyHTTPRouteDestination: one destination takes all traffic whatever its weight; with
		// several, zero weights are dropped and the rest passed on unchanged.
		switch {
		case len(routes) == 1:
			dst.EnvoyWeight = 1
		case rd.GetWeight() > 0:
			dst.EnvoyWeight = uint32(rd.GetWeight())
		}
		if d.GetSubset() != "" && !subsets.has(fqdn, d.GetSubset()) {
			dst.Status, dst.Flag = 503, "NC"
			why := "no DestinationRule for " + fqdn + " was given"
			if subsets.exact[fqdn] != nil {
				why = "its DestinationRule defines " + setList(subsets.exact[fqdn])
			}
			if dst.EnvoyWeight > 0 {
				tr.warnf("%s: %s: %s.route[%d]: subset %q of %s is not defined (%s): its share gets 503 (no cluster, flag NC)", vs.Source(fmt.Sprintf("%s.route[%d]", path, j)), vs.Resource(), path, j, d.GetSubset(), d.GetHost(), why)
			}
		}
		act.Destinations = append(act.Destinations, dst)
	}
	return act, nil
}

func setList(s map[string]bool) string {
	if len(s) == 0 {
		return "no subsets"
	}
	var names []string
	for k := range s {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// stringMatch translates an istio StringMatch. An empty match ({}) means "present".
func stringMatch(m *networking.StringMatch) (sim.StringMatch, error) {
	switch v := m.GetMatchType().(type) {
	case *networking.StringMatch_Exact:
		return sim.NewStringMatch(sim.Exact, v.Exact)
	case *networking.StringMatch_Prefix:
		return sim.NewStringMatch(sim.Prefix, v.Prefix)
	case *networking.StringMatch_Regex:
		if v.Regex == "*" {
			return sim.NewStringMatch(sim.Present, "")
		}
		return sim.NewStringMatch(sim.Regex, v.Regex)
	}
	return sim.NewStringMatch(sim.Present, "")
}

// match translates one HTTPMatchRequest (route.go TranslateRouteMatch, TranslateHeaderMatcher).
func (tr *Translation) match(vs *VirtualService, m *networking.HTTPMatchRequest, path string) (sim.Match, error) {
	var out sim.Match
	if m == nil {
		return out, nil
	}
	one := func(sm *networking.StringMatch, field string) (*sim.StringMatch, error) {
		if sm == nil {
			return nil, nil
		}
		x, err := stringMatch(sm)
		if err != nil {
			return nil, vs.Errorf(path+"."+field, "%v", err)
		}
		return &x, nil
	}
	var err error
	if m.GetUri() != nil && m.GetUri().GetMatchType() != nil {
		if out.URI, err = one(m.GetUri(), "uri"); err != nil {
			return out, err
		}
	}
	out.IgnoreURICase = m.GetIgnoreUriCase()
	if out.Scheme, err = one(m.GetScheme(), "scheme"); err != nil {
		return out, err
	}
	if out.Method, err = one(m.GetMethod(), "method"); err != nil {
		return out, err
	}
	if out.Authority, err = one(m.GetAuthority(), "authority"); err != nil {
		return out, err
	}
	for _, name := range sortedKeys(m.GetHeaders()) {
		x, err := one(m.GetHeaders()[name], "headers."+name)
		if err != nil {
			return out, err
		}
		out.Headers = append(out.Headers, sim.HeaderMatch{Name: strings.ToLower(name), Match: *x})
	}
	for _, name := range sortedKeys(m.GetWithoutHeaders()) {
		x, err := one(m.GetWithoutHeaders()[name], "withoutHeaders."+name)
		if err != nil {
			return out, err
		}
		out.Headers = append(out.Headers, sim.HeaderMatch{Name: strings.ToLower(name), Match: *x, Invert: true})
	}
	for _, name := range sortedKeys(m.GetQueryParams()) {
		x, err := one(m.GetQueryParams()[name], "queryParams."+name)
		if err != nil {
			return out, err
		}
		out.Query = append(out.Query, sim.ParamMatch{Name: name, Match: *x})
	}
	if m.GetPort() != 0 || len(m.GetSourceLabels()) > 0 || m.GetSourceNamespace() != "" || len(m.GetGateways()) > 0 {
		tr.warnf("%s: %s: %s: port, sourceLabels, sourceNamespace and gateways are decided per client proxy; simulated as matching", vs.Source(path), vs.Resource(), path)
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
