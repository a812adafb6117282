package mesh

import (
	"fmt"
	"slices"
	"strings"

	"github.com/splitsim/splitsim/sim"
)

func newTranslation() *Translation {
	return &Translation{Table: &sim.Table{}, FQDN: map[string]string{}, Origins: map[*sim.Rule]Origin{}}
}

// TranslateFrom builds the routing table one caller's proxy gets, as istiod builds it for that
// proxy: the VirtualServices and HTTPRoutes that apply to it (bound to its gateway, or to the mesh
// for a sidecar, and exported to its namespace), their matches on sourceLabels, sourceNamespace,
// gateways and port decided for it, and, for a sidecar, every Service of the inputs that no route
// applies to spread over its endpoints. Every host of the table has From set to the caller. Hosts
// are named as their routes spell them, a short name of another namespace as "NAME.NAMESPACE".
func TranslateFrom(c *Config, from Caller) (*Translation, error) {
	tr := newTranslation()
	hosts, err := tr.view(c, from)
	if err != nil {
		return nil, err
	}
	for _, h := range hosts {
		h.From = from.String()
		h.Callers = []string{h.From}
	}
	tr.Table.Hosts = hosts
	tr.name(from.Namespace, true)
	tr.Warnings = dedupe(tr.Warnings)
	return tr, nil
}

// Translate builds the routing table of every caller view the inputs define (Config.Callers), for a
// run without a caller. Sidecar views of one host that are the same in every namespace give one
// table host, named as its route spells it; where sidecars in different namespaces (or with
// different labels) get different routes, the view of the namespace that owns the host keeps that
// name and the others are named "HOST@sidecar:NAMESPACE[:LABELS]". A gateway's view of a host is
// named "HOST@NAMESPACE/GATEWAY". Each host lists in Callers the callers that share its view, and
// From is the first of them.
func Translate(c *Config) (*Translation, error) {
	tr := newTranslation()
	vg := &viewGroups{tr: tr, byFQDN: map[string][]*viewGroup{}, rank: map[string]int{}}
	singled, share := c.singledOut()
	share = share && shareViews
	var shared []*viewGroup // the groups of the view that every namespace nothing singles out gets
	var plainNames []string // the callers that get it, in order
	for i, from := range c.Callers() {
		fromName := from.String()
		vg.rank[fromName] = i
		plain := share && !from.IsGateway() && len(from.Labels) == 0 && !singled[from.Namespace]
		if plain && plainNames != nil {
			plainNames = append(plainNames, fromName)
			continue
		}
		hosts, err := tr.view(c, from)
		if err != nil {
			return nil, err
		}
		if plain {
			shared, plainNames = vg.add(from, hosts, false), []string{fromName}
			continue
		}
		vg.add(from, hosts, true)
	}
	vg.addShared(shared, plainNames)
	byFQDN, order, gateways := vg.byFQDN, vg.order, vg.gateways
	var hosts, others []*sim.Host
	for _, fqdn := range order {
		gs := byFQDN[fqdn]
		owner := ownerGroup(gs, fqdn, func(g *viewGroup) *sim.Host { return g.host })
		for i, g := range gs {
			if i == owner {
				hosts = append(hosts, g.host)
			} else {
				others = append(others, g.host)
			}
		}
	}
	tr.Table.Hosts = hosts
	tr.name("default", false)
	for _, h := range others {
		h.Name += "@" + h.From
		tr.FQDN[h.Name] = h.FQDN
	}
	for _, h := range gateways {
		h.Name += "@" + strings.TrimPrefix(h.From, "gateway:")
		tr.FQDN[h.Name] = h.FQDN
	}
	tr.Table.Hosts = append(append(hosts, others...), gateways...)
	tr.Warnings = dedupe(tr.Warnings)
	tr.Conflicts = dedupeConflicts(tr.Conflicts)
	return tr, nil
}

// name makes the table's host names unique: a short name (no dot) of a host outside namespace ns
// becomes "NAME.NAMESPACE", as a caller in ns would have to write it; without always, only where
// hosts of different namespaces share a name. It fills in FQDN.
func (tr *Translation) name(ns string, always bool) {
	fqdns := map[string]map[string]bool{}
	for _, h := range tr.Table.Hosts {
		if fqdns[h.Name] == nil {
			fqdns[h.Name] = map[string]bool{}
		}
		fqdns[h.Name][h.FQDN] = true
	}
	for _, h := range tr.Table.Hosts {
		fqdn := h.FQDN
		if (always || len(fqdns[h.Name]) > 1) && !strings.Contains(h.Name, ".") {
			if parts := strings.Split(fqdn, "."); len(parts) > 1 && parts[1] != ns {
				h.Name += "." + parts[1]
			}
		}
		tr.FQDN[h.Name] = fqdn
		h.FQDN = fqdn
	}
}

// ownerGroup is the group whose callers include a sidecar in the host's own namespace (the
// namespace of its fully qualified name), else the first.
func ownerGroup[G any](gs []G, fqdn string, host func(G) *sim.Host) int {
	parts := strings.Split(fqdn, ".")
	if len(parts) < 2 {
		return 0
	}
	for i, g := range gs {
		for _, cl := range host(g).Callers {
			if cl == "sidecar:"+parts[1] {
				return i
			}
		}
	}
	return 0
}

// fingerprintOf is fingerprint, computed once for hosts that share their rules (meshHost's cache).
func (tr *Translation) fingerprintOf(h *sim.Host) string {
	if len(h.Rules) == 0 {
		return fingerprint(h)
	}
	if tr.fingerprints == nil {
		tr.fingerprints = map[*sim.Rule]string{}
	}
	if f, ok := tr.fingerprints[h.Rules[0]]; ok {
		return f
	}
	f := fingerprint(h)
	tr.fingerprints[h.Rules[0]] = f
	return f
}

// fingerprint identifies what a host does: its routes, their matches and every rule's action.
func fingerprint(h *sim.Host) string {
	var b strings.Builder
	for _, r := range h.Routes {
		fmt.Fprintf(&b, "%d/%d %s;", r.Rule, r.MatchIndex, r.Match.String())
	}
	for _, r := range h.Rules {
		fmt.Fprintf(&b, "|%s %s %v %d %t %q", r.Source, r.Name, r.Action.Kind, r.Action.Status, r.Action.Endpoints, r.Skipped)
		for _, d := range r.Action.Destinations {
			fmt.Fprintf(&b, " %s=%d/%d/%s/%s", d.Cluster, d.EnvoyWeight, d.Status, d.Flag, d.Endpoints)
		}
	}
	fmt.Fprintf(&b, "|%s", h.DecidedBy)
	return b.String()
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func dedupeConflicts(cs []Conflict) []Conflict {
	seen := map[string]bool{}
	var out []Conflict
	var b strings.Builder
	for _, c := range cs {
		b.Reset()
		b.WriteString(c.FQDN)
		for _, vs := range c.VirtualServices {
			b.WriteString("|")
			b.WriteString(vs.FullName())
		}
		if key := b.String(); !seen[key] {
			seen[key] = true
			out = append(out, c)
		}
	}
	return out
}

// view builds the hosts one caller sees, with plain host names (see TranslateFrom).
func (tr *Translation) view(c *Config, from Caller) ([]*sim.Host, error) {
	v := &viewCtx{c: c, from: from}
	groups := v.groups(tr)
	hosts := make([]*sim.Host, 0, len(groups))
	taken := make(map[string]bool, len(groups))
	for _, g := range groups {
		if !hasHTTP(g.vss) {
			continue
		}
		h, err := tr.groupHost(v, g)
		if err != nil {
			return nil, err
		}
		if h == nil {
			continue
		}
		taken[g.fqdn] = true
		h.FQDN = g.fqdn
		hosts = append(hosts, h)
	}
	for _, g := range groups {
		hosts = append(hosts, tr.l4Hosts(v, g)...)
	}
	hosts = append(hosts, tr.l4RouteHosts(v)...)
	rh, err := tr.translateHTTPRoutes(v, taken)
	if err != nil {
		return nil, err
	}
	hosts = append(hosts, rh...)
	if !from.IsGateway() {
		hosts = append(hosts, tr.endpointHosts(v, taken)...)
	}
	return hosts, nil
}

// hasHTTP says whether one of the VirtualServices has http routes.
func hasHTTP(vss []*VirtualService) bool {
	for _, vs := range vss {
		if len(vs.Spec.GetHttp()) > 0 {
			return true
		}
	}
	return false
}

// viewCtx is what translating for one caller needs.
type viewCtx struct {
	c    *Config
	from Caller
	// port is the port of the listener the routes being built belong to (0: unknown), against which
	// match.port is tested (route.go translateRoute).
	port uint32
	// keyBuf is vsKey's buffer.
	keyBuf []byte
}

// vsGroup is the VirtualServices that claim one host (by fully qualified name) for the caller, in
// Istio's order; name is the host as the first one spells it.
type vsGroup struct {
	name, fqdn string
	vss        []*VirtualService
}

// groups groups the VirtualServices that apply to the caller by host, in order of first appearance
// in Istio's order (Config.VisibleVirtualServices), and warns about tcp and tls routes, which are
// not simulated.
func (v *viewCtx) groups(tr *Translation) []*vsGroup {
	vss := v.c.VisibleVirtualServices(v.from)
	groups := make([]*vsGroup, 0, len(vss))
	byKey := make(map[string]*vsGroup, len(vss))
	for _, vs := range vss {
		fqdns := tr.keyParts(vs).hosts
		for i, name := range vs.Spec.GetHosts() {
			fqdn := fqdns[i]
			if v.from.IsGateway() && !v.gatewayServes(tr, vs, name) {
				continue
			}
			g := byKey[fqdn]
			if g == nil {
				g = &vsGroup{name: name, fqdn: fqdn}
				byKey[fqdn] = g
				groups = append(groups, g)
			}
			if len(g.vss) == 0 || g.vss[len(g.vss)-1] != vs {
				g.vss = append(g.vss, vs)
			}
		}
	}
	return groups
}

// groupHost translates one group into its table host: for a sidecar, the host of the first
// VirtualService (a conflict is recorded when there are several, istioctl analyze IST0109); for a
// gateway, the merged routes of all of them.
func (tr *Translation) groupHost(v *viewCtx, g *vsGroup) (*sim.Host, error) {
	v.port = v.listenPort(g.fqdn)
	if v.from.IsGateway() {
		return tr.gatewayHost(v, g.vss, tr.hostSpelling(g.vss[0], g.fqdn, g.name))
	}
	first := g.vss[0]
	name := tr.hostSpelling(first, g.fqdn, g.name)
	if len(g.vss) > 1 {
		tr.conflict(name, g.fqdn, g.vss)
	}
	return tr.meshHost(v, first, name)
}

// listenPort is the port whose routes a request to host fqdn uses: for a sidecar, the Service's
// port when the inputs give the Service with one port; for a gateway, the caller's port, or the port
// of the gateway's servers when they all use one.
func (v *viewCtx) listenPort(fqdn string) uint32 {
	if v.from.IsGateway() {
		if v.from.Port != 0 {
			return v.from.Port
		}
		var ports []uint32
		for _, g := range v.c.IstioGateways {
			if g.FullName() == v.from.Gateway {
				for _, s := range g.Spec.GetServers() {
					if p := s.GetPort().GetNumber(); !slices.Contains(ports, p) {
						ports = append(ports, p)
					}
				}
			}
		}
		if len(ports) == 1 {
			return ports[0]
		}
		return 0
	}
	if s := v.c.serviceFor(fqdn); s != nil && len(s.Ports) == 1 {
		return s.Ports[0]
	}
	return 0
}

// gatewayServes reports whether the caller's Istio Gateway (when the inputs give it) has a server
// (on the caller's port, when given) whose hosts admit host of vs: a server host is
// "[NAMESPACE/]HOSTNAME" where NAMESPACE "*" (the default) admits every namespace and "." the
// Gateway's own, and HOSTNAME may start with "*." (pilot/pkg/networking/core/gateway.go
// buildGatewayVirtualHostDomains and pilot/pkg/model/gateway.go). Without the Gateway in the inputs
// every host is taken as served.
func (v *viewCtx) gatewayServes(tr *Translation, vs *VirtualService, host string) bool {
	var gw *IstioGateway
	for _, g := range v.c.IstioGateways {
		if g.FullName() == v.from.Gateway {
			gw = g
		}
	}
	if gw == nil {
		return true
	}
	for _, s := range gw.Spec.GetServers() {
		if v.from.Port != 0 && s.GetPort().GetNumber() != v.from.Port {
			continue
		}
		for _, sh := range s.GetHosts() {
			ns, name, ok := strings.Cut(sh, "/")
			if !ok {
				ns, name = "*", sh
			}
			if ns == "." {
				ns = gw.Namespace
			}
			if (ns == "*" || ns == vs.Namespace) && hostsIntersect(name, host) {
				return true
			}
		}
	}
	tr.warnf("%s: %s: host %q is not among the hosts of Gateway %s's servers: that gateway does not route it", vs.Source("spec.hosts"), vs.Resource(), host, v.from.Gateway)
	return false
}

// hostsIntersect reports whether two host names, either of which may be a wildcard ("*" or
// "*.suffix"), can name the same host (pkg/config/host Name.Matches in either direction).
func hostsIntersect(a, b string) bool {
	return wildcardMatch(a, b) || wildcardMatch(b, a)
}

func wildcardMatch(pattern, host string) bool {
	if pattern == "*" || pattern == host {
		return true
	}
	if suffix, ok := strings.CutPrefix(pattern, "*"); ok {
		return strings.HasSuffix(strings.TrimPrefix(host, "*"), suffix)
	}
	return false
}

// Gateways returns what the VirtualService is bound to: "mesh" and/or gateways as "namespace/name"
// (resolveGatewayName); no gateways means the mesh.
func (vs *VirtualService) Gateways() []string { return vsGateways(vs) }

// BoundToMesh says whether the VirtualService applies to sidecars.
func (vs *VirtualService) BoundToMesh() bool { return slices.Contains(vsGateways(vs), meshGateway) }

// ExportedTo says whether the VirtualService is visible to namespace ns (exportTo).
func (vs *VirtualService) ExportedTo(ns string) bool {
	return exportedTo(vs.Spec.GetExportTo(), vs.Namespace, ns)
}

// HostsOverlap reports whether two host names, either of which may be a wildcard, can name the same
// host (istio pkg/config/host Name.Matches).
func HostsOverlap(a, b string) bool { return hostsIntersect(a, b) }
