package mesh

import (
	"slices"
	"strings"

	"github.com/splitsim/splitsim/sim"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// shareViews lets Translate compute the sidecar view of namespaces that nothing in the inputs
// singles out once, and give it to all of them (sharedNamespaces); tests turn it off to compare.
var shareViews = true

// singledOut returns the namespaces whose sidecars may see the routes differently from a
// namespace that nothing in the inputs names, or false when the inputs hold something this check
// does not follow (a DestinationRule with a workloadSelector, a ServiceEntry with exportTo): then
// every namespace's view is computed. A sidecar's view depends on its namespace only through
// exportTo (VirtualServices, DestinationRules, the Services' annotation), sourceNamespace matches,
// the DestinationRules of its own namespace (looked up first: a rule for a host of another
// namespace, or a wildcard one), consumer routes (an HTTPRoute or TCPRoute whose parent Service is
// in another namespace applies to callers in the route's namespace only), and the root namespace's
// own rules. Every other namespace gets the same view, so Translate computes it once: with a
// VirtualService and its DestinationRule in each of n namespaces it built n views of n
// VirtualServices each, n^2 work (issue 17: lint was quadratic in namespaces).
func (c *Config) singledOut() (map[string]bool, bool) {
	out := map[string]bool{RootNamespace: true}
	exports := func(ns string, exportTo []string) {
		for _, e := range exportTo {
			switch e {
			case exportPublic, "~":
			case exportPrivate:
				out[ns] = true
			default:
				out[ns], out[e] = true, true
			}
		}
	}
	for _, vs := range c.VirtualServices {
		exports(vs.Namespace, vs.Spec.GetExportTo())
		for _, ns := range sourceNamespaces(vs) {
			out[ns] = true
		}
	}
	for _, dr := range c.DestinationRules {
		if dr.Spec.GetWorkloadSelector() != nil {
			return nil, false
		}
		exports(dr.Namespace, dr.Spec.GetExportTo())
		if fqdn := FQDN(dr.Spec.GetHost(), dr.Namespace); strings.HasPrefix(fqdn, "*") || hostNamespace(fqdn) != dr.Namespace {
			out[dr.Namespace] = true
		}
	}
	for _, s := range c.Services {
		exports(s.Namespace, s.ExportTo)
	}
	for _, se := range c.ServiceEntries {
		if len(se.Spec.GetExportTo()) > 0 {
			return nil, false
		}
	}
	for _, r := range c.HTTPRoutes {
		if consumes(r.Namespace, r.Route.Spec.ParentRefs) {
			out[r.Namespace] = true
		}
	}
	for _, r := range c.L4Routes {
		if consumes(r.Namespace, r.ParentRefs) {
			out[r.Namespace] = true
		}
	}
	return out, true
}

// sourceNamespaces are the namespaces the match blocks of vs's http, tcp and tls routes test.
func sourceNamespaces(vs *VirtualService) []string {
	var out []string
	add := func(ns string) {
		if ns != "" {
			out = append(out, ns)
		}
	}
	for _, r := range vs.Spec.GetHttp() {
		for _, m := range r.GetMatch() {
			add(m.GetSourceNamespace())
		}
	}
	for _, r := range vs.Spec.GetTcp() {
		for _, m := range r.GetMatch() {
			add(m.GetSourceNamespace())
		}
	}
	for _, r := range vs.Spec.GetTls() {
		for _, m := range r.GetMatch() {
			add(m.GetSourceNamespace())
		}
	}
	return out
}

// consumes says whether a route of namespace ns is a consumer route: a parent that is not a gateway
// (a Service) in another namespace, which applies to the route's namespace's callers only.
func consumes(ns string, parents []gatewayv1.ParentReference) bool {
	for _, p := range parents {
		if !isGatewayParent(p) && p.Namespace != nil && string(*p.Namespace) != ns {
			return true
		}
	}
	return false
}

// viewGroup is one of the different ways the callers see a host: its table host (of the first
// caller that sees it this way) and its fingerprint.
type viewGroup struct {
	host *sim.Host
	key  string
}

// viewGroups gathers the hosts of every caller's view into groups of callers that see a host alike
// (Translate), and the gateways' hosts apart.
type viewGroups struct {
	tr       *Translation
	byFQDN   map[string][]*viewGroup
	order    []string // FQDNs, first-seen order
	gateways []*sim.Host
	rank     map[string]int // each caller's position in Config.Callers
}

// add puts each host of from's view in its group, a new one when no caller saw the host this way
// before, and names from among the group's callers when record is set. It returns the groups of the
// hosts, in order.
func (vg *viewGroups) add(from Caller, hosts []*sim.Host, record bool) []*viewGroup {
	fromName := from.String()
	var out []*viewGroup
	for _, h := range hosts {
		if from.IsGateway() {
			h.From, h.Callers = fromName, []string{fromName}
			vg.gateways = append(vg.gateways, h)
			continue
		}
		key := vg.tr.fingerprintOf(h)
		gs := vg.byFQDN[h.FQDN]
		if len(gs) == 0 {
			vg.order = append(vg.order, h.FQDN)
		}
		i := slices.IndexFunc(gs, func(g *viewGroup) bool { return g.key == key })
		if i < 0 {
			h.From = fromName
			gs = append(gs, &viewGroup{host: h, key: key})
			vg.byFQDN[h.FQDN] = gs
			i = len(gs) - 1
		}
		if record {
			gs[i].host.Callers = append(gs[i].host.Callers, fromName)
		}
		out = append(out, gs[i])
	}
	return out
}

// addShared names the callers that got the shared view (in order) among the callers of its groups,
// in Config.Callers order with the others. A group that no other caller joined gets one list that
// all such groups share (read-only, its capacity clipped so that an append copies it): n namespaces
// would otherwise make n lists of n names one by one.
func (vg *viewGroups) addShared(groups []*viewGroup, names []string) {
	if len(names) == 0 {
		return
	}
	names = slices.Clip(names)
	done := map[*viewGroup]bool{}
	for _, g := range groups {
		if done[g] {
			continue
		}
		done[g] = true
		if len(g.host.Callers) == 0 {
			g.host.Callers = names
			continue
		}
		merged := append(slices.Clone(g.host.Callers), names...)
		slices.SortStableFunc(merged, func(a, b string) int { return vg.rank[a] - vg.rank[b] })
		g.host.Callers = merged
	}
}
