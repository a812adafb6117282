package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/sim"
)

// meshHostConflicts reports IST0109 as Istio's analyzer does (istio
// pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go, Analyze and
// initMeshGatewayHosts), over every VirtualService Istio analyses (vss, including those that fail
// validation): each one bound to the mesh claims each of its hosts in each namespace it is exported
// to ("*" for all), as util.NewScopedFqdn keys it (a short name gets the namespace's cluster-local
// suffix, a wildcard is kept); a host claimed twice in one scope is a conflict (a VirtualService
// naming one host twice conflicts with itself, as in Istio), and a host claimed in a namespace also
// conflicts with every host exported to all namespaces that overlaps it (host.Name.Matches). Each
// VirtualService is reported once, with the first conflict found (Istio's, found in map order, may be
// another one of the same VirtualService).
func (c *checker) meshHostConflicts(tr *mesh.Translation, vss []*mesh.VirtualService) {
	claims := map[string][]*mesh.VirtualService{}
	var order []string
	for _, vs := range vss {
		if !boundToMesh(vs) {
			continue
		}
		for _, scope := range exportScopes(vs) {
			for _, h := range vs.Spec.GetHosts() {
				k := scopedFqdn(scope, vs.Namespace, h)
				if claims[k] == nil {
					order = append(order, k)
				}
				claims[k] = append(claims[k], vs)
			}
		}
	}
	global := newGlobalClaims(order)
	notes := newSimulatedNotes(tr)
	reported := map[*mesh.VirtualService]bool{}
	for _, k := range order {
		list := slices.Clone(claims[k])
		scope, fqdn, _ := strings.Cut(k, "/")
		if scope != "*" {
			for _, other := range global.matching(fqdn) {
				list = append(list, claims[other]...)
			}
		}
		if len(list) < 2 {
			continue
		}
		var names []string
		for _, vs := range list {
			names = append(names, vs.FullName())
		}
		sort.Strings(names)
		listed := conflictNames(names)
		note := notes.of(fqdn)
		for _, vs := range list {
			if reported[vs] {
				continue
			}
			reported[vs] = true
			c.report("IST0109", vs.Document, "metadata.name",
				"The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.%s",
				listed, k, note)
		}
	}
}

// maxConflictNames is how many VirtualServices an IST0109 message names.
const maxConflictNames = 10

// conflictNames is the list of conflicting VirtualServices an IST0109 message gives: Istio's (the
// names joined with ",", combineResourceEntryNames) when there are at most maxConflictNames of them;
// else the first maxConflictNames and how many there are in all, so that n VirtualServices claiming
// one host give n messages of bounded length rather than n messages of n names each (issue 18).
func conflictNames(names []string) string {
	if len(names) <= maxConflictNames {
		return strings.Join(names, ",")
	}
	return fmt.Sprintf("%s and %d more (%d in all)", strings.Join(names[:maxConflictNames], ","), len(names)-maxConflictNames, len(names))
}

// globalClaims indexes the keys of the hosts claimed in every namespace ("*/fqdn"), so that a host
// claimed in one namespace finds those that overlap it (hostMatches) without scanning every claim:
// names by themselves, names by each suffix after a dot (for a wildcard "*.suffix" to find them),
// wildcards in a list (few). matching returns keys in claim order.
type globalClaims struct {
	pos       map[string]int
	exact     map[string]string
	bySuffix  map[string][]string
	wildcards []string
	all       []string // every key, for the rare wildcard whose suffix does not start with a dot
}

func newGlobalClaims(order []string) *globalClaims {
	g := &globalClaims{pos: map[string]int{}, exact: map[string]string{}, bySuffix: map[string][]string{}}
	for i, k := range order {
		scope, fqdn, _ := strings.Cut(k, "/")
		if scope != "*" {
			continue
		}
		g.pos[k] = i
		g.all = append(g.all, k)
		if strings.HasPrefix(fqdn, "*") {
			g.wildcards = append(g.wildcards, k)
			continue
		}
		g.exact[fqdn] = k
		for j := strings.IndexByte(fqdn, '.'); j >= 0; {
			g.bySuffix[fqdn[j:]] = append(g.bySuffix[fqdn[j:]], k)
			next := strings.IndexByte(fqdn[j+1:], '.')
			if next < 0 {
				break
			}
			j += 1 + next
		}
	}
	return g
}

// matching returns the keys of the hosts claimed in every namespace that overlap fqdn.
func (g *globalClaims) matching(fqdn string) []string {
	var out []string
	for _, k := range g.wildcards {
		if _, w, _ := strings.Cut(k, "/"); hostMatches(fqdn, w) {
			out = append(out, k)
		}
	}
	switch sfx, wild := strings.CutPrefix(fqdn, "*"); {
	case !wild:
		if k, ok := g.exact[fqdn]; ok {
			out = append(out, k)
		}
	case strings.HasPrefix(sfx, "."):
		out = append(out, g.bySuffix[sfx]...)
	default:
		for _, k := range g.all {
			if _, h, _ := strings.Cut(k, "/"); !strings.HasPrefix(h, "*") && hostMatches(fqdn, h) {
				out = append(out, k)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return g.pos[out[i]] < g.pos[out[j]] })
	return out
}

// boundToMesh is the test of initMeshGatewayHosts: no gateways, or "mesh" among them as written.
func boundToMesh(vs *mesh.VirtualService) bool {
	return len(vs.Spec.GetGateways()) == 0 || slices.Contains(vs.Spec.GetGateways(), "mesh")
}

// hostMatches is Istio's host.Name.Matches: equal names, or a wildcard ("*" or "*suffix") whose
// suffix ends the other name (of two wildcards, the longer ends with the shorter's suffix).
func hostMatches(a, b string) bool {
	aw, bw := strings.HasPrefix(a, "*"), strings.HasPrefix(b, "*")
	switch {
	case aw && bw:
		if len(a) < len(b) {
			return strings.HasSuffix(b[1:], a[1:])
		}
		return strings.HasSuffix(a[1:], b[1:])
	case aw:
		return strings.HasSuffix(b, a[1:])
	case bw:
		return strings.HasSuffix(a, b[1:])
	}
	return a == b
}

// exportScopes are the namespaces a VirtualService is exported to, "*" for all
// (util.IsExportToAllNamespaces: no exportTo, or "*" among them), "." read as its own namespace.
func exportScopes(vs *mesh.VirtualService) []string {
	e := vs.Spec.GetExportTo()
	if len(e) == 0 || slices.Contains(e, "*") {
		return []string{"*"}
	}
	var out []string
	for _, ns := range e {
		if ns == "." {
			ns = vs.Namespace
		}
		if !slices.Contains(out, ns) {
			out = append(out, ns)
		}
	}
	sort.Strings(out)
	return out
}

// simulatedNotes says which VirtualService splitsim simulates for a conflicting host, when the
// translation recorded the conflict: the note of the first conflict recorded for each FQDN.
type simulatedNotes map[string]*mesh.Conflict

func newSimulatedNotes(tr *mesh.Translation) simulatedNotes {
	n := simulatedNotes{}
	if tr == nil {
		return n
	}
	for i := range tr.Conflicts {
		if cf := &tr.Conflicts[i]; n[cf.FQDN] == nil {
			n[cf.FQDN] = cf
		}
	}
	return n
}

// of is the note for host fqdn, "" when the translation recorded no conflict for it.
func (n simulatedNotes) of(fqdn string) string {
	cf := n[fqdn]
	if cf == nil {
		return ""
	}
	return fmt.Sprintf(" (splitsim simulates %s %s: %s)", cf.VirtualServices[0].Kind, cf.VirtualServices[0].FullName(), cf.Rule)
}

// splitsNotForAll reports SPL101 for each VirtualService that splits by weight but does not apply
// to some in-mesh callers that reach its destinations: one bound to gateways only whose split is
// between subsets of one Service, or reaches a Service the inputs give the pods of (the callers of
// that Service inside the mesh get their own routing, often the endpoint split: argo-rollouts issue
// #3383), or one whose exportTo leaves out namespaces whose sidecars call its host. The message says what those callers get instead, from the translation of every caller view.
func (c *checker) splitsNotForAll(tr *mesh.Translation) {
	hosts := hostsByFQDN(tr)
	c.routesNotForMesh(hosts)
	namespaces := sidecarNamespaces(c.cfg)
	for _, vs := range c.cfg.VirtualServices {
		rule, dests := weightedRule(vs)
		if rule < 0 {
			continue
		}
		if !vs.BoundToMesh() {
			if len(dests) > 1 && !anySidecarView(hosts, dests) {
				// A split between Services that sidecars do not call as one: nothing to say.
				continue
			}
			var gets []string
			for _, fqdn := range dests {
				gets = append(gets, whatCallersGet(hosts, fqdn, nil))
			}
			c.report("SPL101", vs.Document, fmt.Sprintf("spec.http[%d]", rule),
				"%s splits by weight but is bound to %s only: in-mesh callers of %s do not follow these weights; %s. Add \"mesh\" to spec.gateways and the Service to spec.hosts if they should",
				vs.Resource(), strings.Join(vs.Gateways(), ", "), strings.Join(dests, ", "), strings.Join(gets, "; "))
			continue
		}
		if e := vs.Spec.GetExportTo(); len(e) == 0 || slices.Contains(e, "*") {
			continue // exported to every namespace
		}
		var hidden []string
		for _, ns := range namespaces {
			if !vs.ExportedTo(ns) {
				hidden = append(hidden, ns)
			}
		}
		if len(hidden) == 0 {
			continue
		}
		var gets []string
		for _, h := range vs.Spec.GetHosts() {
			gets = append(gets, whatCallersGet(hosts, mesh.FQDN(h, vs.Namespace), hidden))
		}
		c.report("SPL101", vs.Document, "spec.exportTo",
			"%s splits by weight but its exportTo %v leaves out sidecars in %s: %s",
			vs.Resource(), vs.Spec.GetExportTo(), strings.Join(hidden, ", "), strings.Join(gets, "; "))
	}
}

// routesNotForMesh reports SPL101 for each HTTPRoute that splits by weight but is attached to Gateways
// only: in-mesh callers of its backends get their own routing (GEP-1426: only routes attached to a
// Service apply to sidecars).
func (c *checker) routesNotForMesh(hosts map[string][]*sim.Host) {
	for _, r := range c.cfg.HTTPRoutes {
		spec := &r.Route.Spec
		var gateways []string
		mesh := len(spec.ParentRefs) == 0
		for _, p := range spec.ParentRefs {
			if k := string(ptrOrDefault(p.Kind, "Gateway")); k == "Gateway" {
				ns := r.Namespace
				if p.Namespace != nil {
					ns = string(*p.Namespace)
				}
				gateways = append(gateways, ns+"/"+string(p.Name))
			} else {
				mesh = true
			}
		}
		if mesh {
			continue
		}
		for i, rule := range spec.Rules {
			positive := 0
			var dests []string
			for _, b := range rule.BackendRefs {
				if b.Weight == nil || *b.Weight > 0 {
					positive++
				}
				ns := r.Namespace
				if b.Namespace != nil {
					ns = string(*b.Namespace)
				}
				if f := mesh2FQDN(string(b.Name), ns); !slices.Contains(dests, f) {
					dests = append(dests, f)
				}
			}
			if positive < 2 || !anySidecarView(hosts, dests) {
				continue
			}
			var gets []string
			for _, fqdn := range dests {
				gets = append(gets, whatCallersGet(hosts, fqdn, nil))
			}
			c.report("SPL101", r.Document, fmt.Sprintf("spec.rules[%d]", i),
				"%s splits by weight but is attached to %s only: in-mesh callers of %s do not follow these weights; %s. Attach it to the Service too (a parentRef of kind Service) if they should",
				r.Resource(), strings.Join(gateways, ", "), strings.Join(dests, ", "), strings.Join(gets, "; "))
			break
		}
	}
}

func ptrOrDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

var mesh2FQDN = mesh.FQDN

// hostsByFQDN indexes the hosts of the translation's table by fully qualified name, in table order.
func hostsByFQDN(tr *mesh.Translation) map[string][]*sim.Host {
	out := map[string][]*sim.Host{}
	for _, h := range tr.Table.Hosts {
		out[h.FQDN] = append(out[h.FQDN], h)
	}
	return out
}

// anySidecarView says whether some sidecar view of the translation (hosts, hostsByFQDN) has one of
// the hosts.
func anySidecarView(hosts map[string][]*sim.Host, fqdns []string) bool {
	for _, f := range fqdns {
		for _, h := range hosts[f] {
			if strings.HasPrefix(h.From, "sidecar:") {
				return true
			}
		}
	}
	return false
}

// weightedRule is the first http rule of vs with two or more destinations of positive weight, and
// the fully qualified names of its destinations; -1 when there is none.
func weightedRule(vs *mesh.VirtualService) (int, []string) {
	for i, r := range vs.Spec.GetHttp() {
		positive := 0
		var dests []string
		for _, rd := range r.GetRoute() {
			if rd.GetWeight() > 0 {
				positive++
			}
			f := mesh.FQDN(rd.GetDestination().GetHost(), vs.Namespace)
			if !slices.Contains(dests, f) {
				dests = append(dests, f)
			}
		}
		if positive > 1 {
			return i, dests
		}
	}
	return -1, nil
}

// sidecarNamespaces are the namespaces of the inputs' sidecar callers (mesh.Config.Callers).
func sidecarNamespaces(cfg *mesh.Config) []string {
	var out []string
	for _, cl := range cfg.Callers() {
		if !cl.IsGateway() && !slices.Contains(out, cl.Namespace) {
			out = append(out, cl.Namespace)
		}
	}
	sort.Strings(out)
	return out
}

// whatCallersGet says what the sidecars (of the given namespaces; all when nil) get for host fqdn,
// from the translation's hosts (hostsByFQDN).
func whatCallersGet(hosts map[string][]*sim.Host, fqdn string, namespaces []string) string {
	var parts []string
	for _, h := range hosts[fqdn] {
		var who []string
		for _, cl := range h.Callers {
			rest, ok := strings.CutPrefix(cl, "sidecar:")
			ns, _, _ := strings.Cut(rest, ":")
			if ok && (namespaces == nil || slices.Contains(namespaces, ns)) {
				who = append(who, cl)
			}
		}
		if len(who) > 0 {
			parts = append(parts, fmt.Sprintf("%s get %s", strings.Join(who, ", "), describeHost(h)))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("sidecars calling %s get the Service's default load balancing over its pods (not in the inputs)", fqdn)
	}
	return strings.Join(parts, "; ")
}

// describeHost says in a few words what a host's routes do: the split by pod count of an endpoints
// host, or what decides it.
func describeHost(h *sim.Host) string {
	if len(h.Rules) == 1 && h.Rules[0].Action.Endpoints {
		a := &h.Rules[0].Action
		shares := a.Shares()
		var s []string
		for i, d := range a.Destinations {
			s = append(s, d.Name()+" "+format.Percent(shares[i], 3))
		}
		return strings.Join(s, ", ") + " by pod count (" + h.DecidedBy + ")"
	}
	return "the routes of " + h.DecidedBy
}
