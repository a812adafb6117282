package mesh

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/types/known/wrapperspb"
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
	// Conflicts lists the hosts that several VirtualServices bound to the mesh claim (istioctl analyze
	// IST0109), with the VirtualServices in the order Istio considers them: the first is simulated.
	Conflicts []Conflict
	// Origins says which document and field each rule of the table comes from.
	Origins map[*sim.Rule]Origin
	// vsCache holds the translations sidecars of several namespaces share (meshHost, vsKey), and
	// fingerprints their fingerprints, by first rule.
	vsCache      map[string]vsRoutesCache
	fingerprints map[*sim.Rule]string
	// number, vsCount (VirtualServices with parts), drDefaults and drIDs are what vsKey works out
	// once per translation (viewkey.go).
	number     uint64
	vsCount    uint64
	drDefaults map[string]*drDefault
	drIDs      map[*DestinationRule]uint64
}

// Conflict is one host that several mesh-bound VirtualServices claim.
type Conflict struct {
	Host string // the table host (the simulated VirtualService's spelling)
	FQDN string
	// VirtualServices claiming the host, in Istio's order (see OrderVirtualServices); [0] is simulated.
	VirtualServices []*VirtualService
	// Rule says in words how the first one was chosen.
	Rule string
}

// Origin is where a rule of the table was written.
type Origin struct {
	Doc  *Document
	Path string // "spec.http[2]" (VirtualService) or "spec.rules[1]" (HTTPRoute)
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

// conflict records that several mesh-bound VirtualServices, in the order Istio ranks them, claim a
// host, and warns that only the first is simulated (istioctl analyze: IST0109).
func (tr *Translation) conflict(name, fqdn string, ordered []*VirtualService) {
	first := ordered[0]
	rule := orderRule(ordered)
	tr.Conflicts = append(tr.Conflicts, Conflict{Host: name, FQDN: fqdn, VirtualServices: ordered, Rule: rule})
	var others []string
	for _, o := range ordered[1:] {
		others = append(others, fmt.Sprintf("%s (%s)", o.Resource(), o.Source("metadata.name")))
	}
	tr.warnf("%s: %s: host %q is also claimed by %s, all bound to the mesh (istioctl analyze: IST0109): only %s is simulated; %s",
		first.Source("metadata.name"), first.Resource(), name, strings.Join(others, ", "), first.Resource(), rule)
}

// meshGateway is Istio's name for the sidecars of the mesh (constants.IstioMeshGateway).
const meshGateway = "mesh"

// vsGateways returns the contexts a VirtualService applies to: "mesh" and/or gateways resolved to
// "namespace/name" as Istio does (pilot/pkg/model/virtualservice.go resolveVirtualServiceShortnames,
// resolveGatewayName): a bare name is in the VirtualService's namespace, the legacy "name.namespace..."
// form becomes "namespace/name". No gateways means the mesh.
func vsGateways(vs *VirtualService) []string {
	gws := vs.Spec.GetGateways()
	if len(gws) == 0 {
		return []string{meshGateway}
	}
	var out []string
	seen := map[string]bool{}
	for _, g := range gws {
		g = resolveGatewayName(g, vs.Namespace)
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// resolveGatewayName is virtualservice.go resolveGatewayName: "mesh" stays; "ns/name" stays, with
// "./name" in the resource's namespace; the legacy "name.ns[.svc...]" becomes "ns/name"; a bare name
// is in the resource's namespace.
func resolveGatewayName(g, ns string) string {
	switch {
	case g == meshGateway:
		return g
	case strings.HasPrefix(g, "./"):
		return ns + "/" + strings.TrimPrefix(g, "./")
	case strings.Contains(g, "/"):
		return g
	case strings.Contains(g, "."):
		parts := strings.Split(g, ".")
		return parts[1] + "/" + parts[0]
	}
	return ns + "/" + g
}

// OrderVirtualServices returns VirtualServices in the order Istio considers them, so that the first one
// is the one a sidecar uses when several claim one host, and gateway routes are merged in this order.
//
// Istio sorts all VirtualServices with sortConfigByCreationTime (istio pilot/pkg/model/config.go:
// creationTimestamp ascending, ties broken by name, then namespace), called at the end of
// mergeVirtualServicesIfNeeded (pilot/pkg/model/virtualservice.go); the sidecar's
// SelectVirtualServices keeps that order, and BuildSidecarOutboundVirtualHosts
// (pilot/pkg/networking/core/httproute.go) drops a virtual host whose name is already taken
// ("duplicate domain from virtual service"), so the oldest VirtualService wins.
//
// Objects written by hand carry no metadata.creationTimestamp. Those are taken as created after every
// object that has one, in input order (files in the order given, documents in file order), as if
// applied one by one in that order. This is the one choice that is splitsim's, not Istio's: when
// several objects are applied within the same second, their timestamps tie and Istio picks by name;
// the warning and IST0109 say which one that would be when it differs.
//
// Exports (exportTo) and the caller's namespace come first in Istio's order; VisibleVirtualServices
// applies them on top of this one.
func OrderVirtualServices(vss []*VirtualService) []*VirtualService {
	out := append([]*VirtualService(nil), vss...)
	sort.SliceStable(out, func(i, j int) bool {
		return creationLess(out[i].Document, out[j].Document, false)
	})
	return out
}

// creationLess orders documents by creationTimestamp with Istio's tie-breaks (name then namespace for
// VirtualServices, sortConfigByCreationTime in pilot/pkg/model/config.go; namespace then name for
// Gateway API routes, sortRoutesByCreationTime in pilot/pkg/config/kube/gateway/conversion.go, as the
// Gateway API asks); documents without a timestamp come after, in input order.
func creationLess(a, b *Document, namespaceFirst bool) bool {
	at, bt := !a.Created.IsZero(), !b.Created.IsZero()
	switch {
	case at && bt:
		if !a.Created.Equal(b.Created) {
			return a.Created.Before(b.Created)
		}
		if namespaceFirst {
			if a.Namespace != b.Namespace {
				return a.Namespace < b.Namespace
			}
			return a.Name < b.Name
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Namespace < b.Namespace
	case at != bt:
		return at
	}
	return a.Index < b.Index
}

// orderRule says in words why ordered[0] comes first.
func orderRule(ordered []*VirtualService) string {
	allTimed := true
	for _, vs := range ordered {
		if vs.Created.IsZero() {
			allTimed = false
		}
	}
	if allTimed {
		return "Istio uses the oldest by creationTimestamp, then by name and namespace (pilot/pkg/model/config.go sortConfigByCreationTime)"
	}
	msg := "Istio uses the oldest by creationTimestamp (pilot/pkg/model/config.go sortConfigByCreationTime); without a creationTimestamp, input order stands in for creation order"
	byName := append([]*VirtualService(nil), ordered...)
	sort.SliceStable(byName, func(i, j int) bool {
		if byName[i].Name != byName[j].Name {
			return byName[i].Name < byName[j].Name
		}
		return byName[i].Namespace < byName[j].Namespace
	})
	if byName[0] != ordered[0] {
		msg += fmt.Sprintf("; if they are created in the same second, Istio uses %s (ties go by name)", byName[0].Resource())
	}
	return msg
}

// meshHost builds the table host of one VirtualService for a sidecar.
func (tr *Translation) meshHost(v *viewCtx, vs *VirtualService, name string) (*sim.Host, error) {
	key, cacheable := v.vsKey(tr, vs)
	if c, ok := tr.vsCache[string(key)]; cacheable && ok {
		return &sim.Host{Name: name, Rules: c.rules, Routes: c.routes, DecidedBy: c.decidedBy}, nil
	}
	skey := string(key) // vsRoutes may ask for other keys
	rules, routes, err := tr.vsRoutes(v, vs)
	if err != nil {
		return nil, err
	}
	h := &sim.Host{Name: name, Rules: rules, Routes: routes, DecidedBy: tr.decidedBy(vs, rules)}
	if cacheable {
		if tr.vsCache == nil {
			tr.vsCache = map[string]vsRoutesCache{}
		}
		tr.vsCache[skey] = vsRoutesCache{rules, routes, h.DecidedBy}
	}
	return h, nil
}

// vsRoutesCache is a VirtualService's rules and routes for the sidecars of one vsKey.
type vsRoutesCache struct {
	rules     []*sim.Rule
	routes    []sim.Route
	decidedBy string
}

// decidedBy names a VirtualService and the delegates its rules come from.
func (tr *Translation) decidedBy(vs *VirtualService, rules []*sim.Rule) string {
	var delegates []string
	for _, r := range rules {
		if d := tr.Origins[r].Doc; d != nil && d != vs.Document && !slices.Contains(delegates, d.FullName()) {
			delegates = append(delegates, d.FullName())
		}
	}
	if len(delegates) == 0 {
		return "VirtualService " + vs.FullName()
	}
	return "VirtualService " + vs.FullName() + " (delegates " + strings.Join(delegates, ", ") + ")"
}

// gatewayHost builds the table host of a gateway from every VirtualService bound to it for the host,
// as Istio's gateway does (pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig): each
// VirtualService's routes are built on their own (stopping after its first catch-all), appended in
// Istio's order (Config.VisibleVirtualServices), and route.SortVHostRoutes
// (pilot/pkg/networking/core/route/route.go) then moves every catch-all route to the end, keeping
// the order of the others. Envoy takes the first match, so a catch-all after the first is never used.
func (tr *Translation) gatewayHost(v *viewCtx, vss []*VirtualService, name string) (*sim.Host, error) {
	h := &sim.Host{Name: name}
	var routes []sim.Route
	var names []string
	for _, vs := range vss {
		rules, rs, err := tr.vsRoutes(v, vs)
		if err != nil {
			return nil, err
		}
		names = append(names, strings.TrimPrefix(tr.decidedBy(vs, rules), "VirtualService "))
		off := len(h.Rules)
		for _, r := range rules {
			if len(vss) > 1 {
				r.Name = vs.Name + "/" + r.Label()
			}
			h.Rules = append(h.Rules, r)
		}
		for _, r := range rs {
			r.Rule += off
			routes = append(routes, r)
		}
	}
	h.DecidedBy = "VirtualService " + strings.Join(names, ", ")
	var catchAll []sim.Route
	for _, r := range routes {
		if r.Match.CatchAll() {
			catchAll = append(catchAll, r)
		} else {
			h.Routes = append(h.Routes, r)
		}
	}
	if len(catchAll) > 0 {
		h.Routes = append(h.Routes, catchAll[0])
	}
	markUnreachable(h)
	return h, nil
}

// markUnreachable flags the rules that have no route in the table, other than those that are not
// for the caller (Skipped).
func markUnreachable(h *sim.Host) {
	has := make([]bool, len(h.Rules))
	for _, r := range h.Routes {
		has[r.Rule] = true
	}
	for i, r := range h.Rules {
		r.Unreachable = !has[i] && r.Skipped == ""
	}
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
	n   int  // the number of DestinationRules indexed
}

func (c *Config) subsetIndex() *subsetIndex {
	idx := &subsetIndex{exact: map[string]map[string]bool{}, any: len(c.DestinationRules) > 0, n: len(c.DestinationRules)}
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

// SubsetDefined reports whether a DestinationRule of the config defines subset for the destination
// host (fully qualified), as Istio's DestinationRuleAnalyzer checks it; subsets lists those defined
// for the host by a DestinationRule for exactly that host, hasRule whether there is one.
func (c *Config) SubsetDefined(fqdn, subset string) (ok bool, subsets []string, hasRule bool) {
	if c.subsetIdx == nil || c.subsetIdx.n != len(c.DestinationRules) {
		c.subsetIdx = c.subsetIndex()
	}
	idx := c.subsetIdx
	set, hasRule := idx.exact[fqdn]
	for k := range set {
		subsets = append(subsets, k)
	}
	sort.Strings(subsets)
	return idx.has(fqdn, subset), subsets, hasRule
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

// vsRoutes builds the rules of one VirtualService (its delegates merged in) and its Envoy routes for
// the caller, in order.
func (tr *Translation) vsRoutes(v *viewCtx, vs *VirtualService) ([]*sim.Rule, []sim.Route, error) {
	var rules []*sim.Rule
	var routes []sim.Route
	catchAll := false
	for i, e := range tr.httpEntries(v.c, vs) {
		r := e.route
		rule := &sim.Rule{Index: i, Name: r.GetName(), Source: e.doc.Source(e.path)}
		tr.Origins[rule] = Origin{Doc: e.doc, Path: e.path}
		act, err := tr.action(v, e)
		if err != nil {
			return nil, nil, err
		}
		rule.Action = act
		rules = append(rules, rule)
		if catchAll {
			// A rule none of whose blocks is for the caller is not for it, whatever comes before.
			if why := v.notForCaller(r.GetMatch(), e.doc); why != "" {
				rule.Skipped = why
			} else {
				rule.Unreachable = true
			}
			continue
		}
		// One Envoy route per match block that applies to the caller; stop after the first
		// catch-all (route.go BuildHTTPRoutesForVirtualService, translateRoute and IsCatchAllRoute).
		if len(r.GetMatch()) == 0 {
			routes = append(routes, sim.Route{Rule: len(rules) - 1, MatchIndex: -1})
			catchAll = true
			continue
		}
		var skipped []string
		for j, m := range r.GetMatch() {
			q := fmt.Sprintf("%s.match[%d]", e.path, j)
			if why := v.callerMismatch(m, e.doc); why != "" {
				skipped = append(skipped, fmt.Sprintf("match[%d]: %s", j, why))
				continue
			}
			sm, err := tr.match(v, e.doc, m, q)
			if err != nil {
				return nil, nil, err
			}
			routes = append(routes, sim.Route{Rule: len(rules) - 1, MatchIndex: j, Match: sm})
			if sm.CatchAll() {
				routes[len(routes)-1].ByCaller = callerConditions(m)
				catchAll = true
				break
			}
		}
		if len(skipped) == len(r.GetMatch()) {
			rule.Skipped = "not for this caller: " + strings.Join(skipped, "; ")
		}
	}
	return rules, routes, nil
}

// callerConditions names the conditions of a match block that the caller decides (gateways,
// sourceLabels, sourceNamespace, port), "" when it has none: a block with only these takes every
// request of a caller it applies to, but not of every caller.
func callerConditions(m *networking.HTTPMatchRequest) string {
	var cs []string
	if gws := m.GetGateways(); len(gws) > 0 {
		cs = append(cs, "gateways "+strings.Join(gws, ", "))
	}
	if ls := m.GetSourceLabels(); len(ls) > 0 {
		cs = append(cs, "sourceLabels "+labelText(ls))
	}
	if ns := m.GetSourceNamespace(); ns != "" {
		cs = append(cs, "sourceNamespace "+ns)
	}
	if p := m.GetPort(); p != 0 {
		cs = append(cs, fmt.Sprintf("port %d", p))
	}
	return strings.Join(cs, ", ")
}

// notForCaller says why none of the match blocks applies to the caller ("not for this caller:
// match[0]: ..."), or "" when one does or there are none.
func (v *viewCtx) notForCaller(ms []*networking.HTTPMatchRequest, doc *Document) string {
	if len(ms) == 0 {
		return ""
	}
	var skipped []string
	for j, m := range ms {
		why := v.callerMismatch(m, doc)
		if why == "" {
			return ""
		}
		skipped = append(skipped, fmt.Sprintf("match[%d]: %s", j, why))
	}
	return "not for this caller: " + strings.Join(skipped, "; ")
}

// callerMismatch says why a match block does not apply to the caller, or "" when it does: Istio
// leaves out, for each proxy, the match blocks whose gateways, sourceLabels or sourceNamespace do
// not fit it (route.go sourceMatchHTTP: gateways, when given, decide alone) and those whose port is
// not the listener's (route.go translateRoute). An unknown listener port matches any port.
func (v *viewCtx) callerMismatch(m *networking.HTTPMatchRequest, doc *Document) string {
	if gws := m.GetGateways(); len(gws) > 0 {
		want := v.from.gatewayName()
		for _, g := range gws {
			if resolveGatewayName(g, doc.Namespace) == want {
				return v.portMismatch(m)
			}
		}
		return fmt.Sprintf("gateways %s do not include %s", strings.Join(gws, ", "), want)
	}
	if !subsetOf(m.GetSourceLabels(), v.from.Labels) {
		return fmt.Sprintf("sourceLabels %s are not the caller's labels", labelText(m.GetSourceLabels()))
	}
	if ns := m.GetSourceNamespace(); ns != "" && ns != v.from.Namespace {
		return fmt.Sprintf("sourceNamespace %s is not the caller's namespace", ns)
	}
	return v.portMismatch(m)
}

func (v *viewCtx) portMismatch(m *networking.HTTPMatchRequest) string {
	if p := m.GetPort(); p != 0 && v.port != 0 && p != v.port {
		return fmt.Sprintf("port %d is not the listener's port %d", p, v.port)
	}
	return ""
}

func (tr *Translation) action(v *viewCtx, e httpEntry) (sim.Action, error) {
	r, path, doc := e.route, e.path, e.doc
	switch {
	case r.GetRedirect() != nil:
		code := int(r.GetRedirect().GetRedirectCode())
		if code == 0 {
			code = 301
		}
		return sim.Action{Kind: sim.Redirect, Status: code, Note: "redirect"}, nil
	case r.GetDirectResponse() != nil:
		return sim.Action{Kind: sim.DirectResponse, Status: int(r.GetDirectResponse().GetStatus()), Note: "direct response"}, nil
	}
	var dests []weighted
	for _, rd := range r.GetRoute() {
		dests = append(dests, weighted{rd.GetDestination(), rd.GetWeight()})
	}
	act := tr.forward(v, doc, path, dests)
	act.Fault = translateFault(r.GetFault())
	act.Mirrors = v.mirrors(r, doc)
	return act, nil
}

// weighted is a destination and its weight, of an http, tcp or tls route.
type weighted struct {
	d      *networking.Destination
	weight int32
}

// forward builds the Forward action of a route's weighted destinations, as route.go
// applyHTTPRouteDestination (and networkfilter.go buildOutboundNetworkFilters for tcp and tls) do: one
// destination takes all traffic whatever its weight; with several, zero weights are dropped and the
// rest passed on unchanged. A destination the caller has no cluster for answers 503.
func (tr *Translation) forward(v *viewCtx, doc *Document, path string, routes []weighted) sim.Action {
	act := sim.Action{Kind: sim.Forward}
	for j, rd := range routes {
		d := rd.d
		fqdn := FQDN(d.GetHost(), doc.Namespace)
		port := d.GetPort().GetNumber()
		if port == 0 {
			if s := v.c.serviceFor(fqdn); s != nil && len(s.Ports) == 1 {
				port = s.Ports[0]
			}
		}
		dst := sim.Destination{Host: d.GetHost(), Subset: d.GetSubset(), Port: d.GetPort().GetNumber(), Weight: rd.weight, Status: 200,
			Cluster: ClusterName(port, d.GetSubset(), fqdn)}
		switch {
		case len(routes) == 1:
			dst.EnvoyWeight = 1
		case rd.weight > 0:
			dst.EnvoyWeight = uint32(rd.weight)
		}
		q := fmt.Sprintf("%s.route[%d]", path, j)
		svc := v.c.serviceFor(fqdn)
		if svc == nil && len(v.c.Services) > 0 && strings.HasSuffix(fqdn, ".svc."+DomainSuffix) {
			// The inputs list Services and this is not one of them: istiod has no service, so
			// no cluster (the inputs' Services are taken as the complete list, as for lint's
			// IST0101; without any Service every host is assumed to exist).
			dst.Status, dst.Flag = 503, "NC"
			if dst.EnvoyWeight > 0 {
				tr.warnf("%s: %s: %s: host %s is not among the inputs' Services: its share gets 503 (no cluster, flag NC)", doc.Source(q), doc.Resource(), q, fqdn)
			}
		} else if svc != nil && !exportedTo(svc.ExportTo, svc.Namespace, v.from.Namespace) {
			// The caller's proxy has no cluster for a Service not exported to its namespace
			// (PushContext.IsServiceVisible).
			dst.Status, dst.Flag = 503, "NC"
			if dst.EnvoyWeight > 0 {
				// One text for every caller it concerns (Translate shares views between namespaces).
				tr.warnf("%s: %s: %s: Service %s is exported only to %s (annotation %s): for callers in other namespaces its share of this rule gets 503 (no cluster, flag NC)", doc.Source(q), doc.Resource(), q, svc.FullName(), exportTargets(svc.ExportTo, svc.Namespace), exportToAnnotation)
			}
		} else if why := v.subsetProblem(&dst, fqdn); why != "" && dst.EnvoyWeight > 0 {
			tr.warnf("%s: %s: %s: %s", doc.Source(q), doc.Resource(), q, why)
		}
		act.Destinations = append(act.Destinations, dst)
	}
	return act
}

// percentFraction is route.go translatePercentToFractionalPercent: numerator uint32(value × 10000)
// per million (the float truncation included: 0.57% is 5699 per million).
func percentFraction(p *networking.Percent) *sim.Fraction {
	return &sim.Fraction{Numerator: uint32(p.GetValue() * 10000), Denominator: 1_000_000}
}

// translateFault is route.go TranslateFault: a delay's percentage (or the deprecated integer percent,
// per hundred), an abort's percentage (none: 0%) with its HTTP or gRPC status. nil when neither
// applies.
func translateFault(in *networking.HTTPFaultInjection) *sim.Fault {
	if in == nil {
		return nil
	}
	out := &sim.Fault{}
	if d := in.GetDelay(); d != nil && d.GetFixedDelay() != nil {
		if d.GetPercentage() != nil {
			out.Delay = percentFraction(d.GetPercentage())
		} else {
			//lint:ignore SA1019 Istio still reads the deprecated integer percent (route.go TranslateFault)
			out.Delay = &sim.Fraction{Numerator: uint32(d.GetPercent()), Denominator: 100}
		}
		out.FixedDelay = d.GetFixedDelay().AsDuration().String()
	}
	if a := in.GetAbort(); a != nil {
		out.Abort = &sim.Fraction{Denominator: 100}
		if a.GetPercentage() != nil {
			out.Abort = percentFraction(a.GetPercentage())
		}
		switch t := a.GetErrorType().(type) {
		case *networking.HTTPFaultInjection_Abort_HttpStatus:
			out.AbortStatus = int(t.HttpStatus)
		case *networking.HTTPFaultInjection_Abort_GrpcStatus:
			out.AbortStatus, out.AbortGRPC = 200, t.GrpcStatus
		default:
			out.Abort = nil
		}
	}
	if out.Delay == nil && out.Abort == nil {
		return nil
	}
	return out
}

// mirrorPercent is the deprecated mirrorPercent field, which Istio still reads (route.go
// MirrorPercent).
func mirrorPercent(r *networking.HTTPRoute) *wrapperspb.UInt32Value {
	//lint:ignore SA1019 Istio still reads the deprecated field
	return r.GetMirrorPercent()
}

// mirrors are a rule's request mirror policies (route.go: mirror with MirrorPercent, or each of
// mirrors with MirrorPercentByPolicy; 100% when no percentage is given, none at an explicit 0).
func (v *viewCtx) mirrors(r *networking.HTTPRoute, doc *Document) []sim.Mirror {
	var out []sim.Mirror
	add := func(d *networking.Destination, f *sim.Fraction) {
		if d == nil || f == nil {
			return
		}
		fqdn := FQDN(d.GetHost(), doc.Namespace)
		port := d.GetPort().GetNumber()
		if port == 0 {
			if s := v.c.serviceFor(fqdn); s != nil && len(s.Ports) == 1 {
				port = s.Ports[0]
			}
		}
		out = append(out, sim.Mirror{Host: d.GetHost(), Subset: d.GetSubset(), Cluster: ClusterName(port, d.GetSubset(), fqdn), Fraction: *f})
	}
	if m := r.GetMirror(); m != nil {
		switch {
		case r.GetMirrorPercentage() != nil:
			if r.GetMirrorPercentage().GetValue() > 0 {
				add(m, percentFraction(r.GetMirrorPercentage()))
			}
		case mirrorPercent(r) != nil:
			if p := mirrorPercent(r).GetValue(); p > 0 {
				add(m, &sim.Fraction{Numerator: p, Denominator: 100})
			}
		default:
			add(m, &sim.Fraction{Numerator: 100, Denominator: 100})
		}
	}
	for _, mp := range r.GetMirrors() {
		switch {
		case mp.GetPercentage() == nil:
			add(mp.GetDestination(), &sim.Fraction{Numerator: 100, Denominator: 100})
		case mp.GetPercentage().GetValue() > 0:
			add(mp.GetDestination(), percentFraction(mp.GetPercentage()))
		}
	}
	return out
}

// subsetProblem sets the status of a destination whose subset the caller cannot reach and says why:
// 503 NC when the DestinationRule the caller uses (Config.destinationRuleFor) does not define the
// subset (no such cluster), 503 UH when the subset's labels select none of the Service's pods in the
// inputs (a cluster without healthy endpoints).
func (v *viewCtx) subsetProblem(dst *sim.Destination, fqdn string) string {
	if dst.Subset == "" {
		return ""
	}
	dr, subsets := v.c.subsetsFor(fqdn, hostNamespace(fqdn), v.from.Namespace)
	var sub *networking.Subset
	for _, s := range subsets {
		if s.GetName() == dst.Subset {
			sub = s
		}
	}
	if sub == nil {
		dst.Status, dst.Flag = 503, "NC"
		why := "no DestinationRule for " + fqdn + " was given"
		if dr != nil {
			why = "its DestinationRule defines " + subsetNames(subsets)
		}
		return fmt.Sprintf("subset %q of %s is not defined (%s): its share gets 503 (no cluster, flag NC)", dst.Subset, dst.Host, why)
	}
	svc := v.c.serviceFor(fqdn)
	if svc == nil || len(v.c.endpoints(svc)) == 0 {
		return ""
	}
	for _, w := range v.c.endpoints(svc) {
		if subsetOf(sub.GetLabels(), w.Labels) {
			return ""
		}
	}
	dst.Status, dst.Flag = 503, "UH"
	return fmt.Sprintf("subset %q of %s (labels %s) selects none of the Service's pods in the inputs: its share gets 503 (no healthy upstream, flag UH)", dst.Subset, dst.Host, labelText(sub.GetLabels()))
}

// hostNamespace is the namespace of a Kubernetes service FQDN (NAME.NAMESPACE.svc...), or "".
func hostNamespace(fqdn string) string {
	parts := strings.Split(fqdn, ".")
	if len(parts) > 2 && parts[2] == "svc" {
		return parts[1]
	}
	return ""
}

func subsetNames(subsets []*networking.Subset) string {
	set := map[string]bool{}
	for _, s := range subsets {
		set[s.GetName()] = true
	}
	return setList(set)
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
func (tr *Translation) match(v *viewCtx, vs *Document, m *networking.HTTPMatchRequest, path string) (sim.Match, error) {
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
	for _, name := range slices.Sorted(maps.Keys(m.GetHeaders())) {
		x, err := one(m.GetHeaders()[name], "headers."+name)
		if err != nil {
			return out, err
		}
		out.Headers = append(out.Headers, sim.HeaderMatch{Name: strings.ToLower(name), Match: *x})
	}
	for _, name := range slices.Sorted(maps.Keys(m.GetWithoutHeaders())) {
		x, err := one(m.GetWithoutHeaders()[name], "withoutHeaders."+name)
		if err != nil {
			return out, err
		}
		out.Headers = append(out.Headers, sim.HeaderMatch{Name: strings.ToLower(name), Match: *x, Invert: true})
	}
	for _, name := range slices.Sorted(maps.Keys(m.GetQueryParams())) {
		x, err := one(m.GetQueryParams()[name], "queryParams."+name)
		if err != nil {
			return out, err
		}
		out.Query = append(out.Query, sim.ParamMatch{Name: name, Match: *x})
	}
	return out, nil
}

// exportTargets names the namespaces an exportTo list exports to: "." is the resource's own
// namespace (ns), "~" none.
func exportTargets(exportTo []string, ns string) string {
	var out []string
	for _, e := range exportTo {
		switch e {
		case exportPrivate:
			out = append(out, ns)
		case "~":
			out = append(out, "no namespace")
		default:
			out = append(out, e)
		}
	}
	return strings.Join(out, ", ")
}
