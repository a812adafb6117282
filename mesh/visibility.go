package mesh

import (
	"slices"
	"sort"
	"strings"

	networking "istio.io/api/networking/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// exportToAnnotation is the annotation that exports a Service to some namespaces only
// (istio.io/api annotation networking.istio.io/exportTo).
const exportToAnnotation = "networking.istio.io/exportTo"

// Istio's exportTo values (pkg/config/visibility): every namespace, the resource's own, none.
const (
	exportPublic  = "*"
	exportPrivate = "."
	exportNone    = "~"
)

// RootNamespace is Istio's default root namespace (MeshConfig rootNamespace): DestinationRules there
// apply to every namespace they are exported to.
const RootNamespace = "istio-system"

// exportedTo reports whether a resource of namespace ns with the given exportTo list is visible to
// namespace to. An empty list is the mesh default, every namespace (MeshConfig
// defaultVirtualServiceExportTo, defaultDestinationRuleExportTo, defaultServiceExportTo are "*" by
// default). Istio: PushContext.IsServiceVisible and the virtual service index (initVirtualServices)
// in pilot/pkg/model/push_context.go.
func exportedTo(exportTo []string, ns, to string) bool {
	if len(exportTo) == 0 {
		return true
	}
	for _, e := range exportTo {
		switch e {
		case exportPublic:
			return true
		case exportPrivate:
			if ns == to {
				return true
			}
		case to:
			return true
		}
	}
	return false
}

// exportBucket is the order Istio lists the VirtualServices visible to a namespace: those of the
// namespace exported to it (private), those of other namespaces exported to it by name, then those
// exported to every namespace (PushContext.VirtualServicesForGateway, and SelectVirtualServices for
// sidecars, pilot/pkg/model/push_context.go and sidecar.go). -1: not visible.
func exportBucket(exportTo []string, ns, to string) int {
	switch {
	case len(exportTo) == 0 || slices.Contains(exportTo, exportPublic):
		return 2
	case !exportedTo(exportTo, ns, to):
		return -1
	case ns == to:
		return 0
	}
	return 1
}

// VisibleVirtualServices returns the VirtualServices with hosts (delegates are merged into their
// roots, not used on their own) that apply to the caller: bound to its gateway ("mesh" for a
// sidecar) and exported to its namespace, in the order Istio considers them (see exportBucket and
// OrderVirtualServices).
func (c *Config) VisibleVirtualServices(from Caller) []*VirtualService {
	// exportBucket is 0, 1 or 2: a stable partition by bucket is the stable sort by bucket.
	var buckets [3][]*VirtualService
	gw := from.gatewayName()
	for _, vs := range c.orderedVirtualServices() {
		if len(vs.Spec.GetHosts()) == 0 || !c.boundTo(vs, gw) {
			continue
		}
		if b := exportBucket(vs.Spec.GetExportTo(), vs.Namespace, from.Namespace); b >= 0 {
			buckets[b] = append(buckets[b], vs)
		}
	}
	return slices.Concat(buckets[0], buckets[1], buckets[2])
}

// boundTo says whether vs applies to gateway gw ("mesh" for sidecars): vsGateways, worked out once
// per VirtualService.
func (c *Config) boundTo(vs *VirtualService, gw string) bool {
	if vs.gateways == nil {
		vs.gateways = vsGateways(vs)
	}
	return slices.Contains(vs.gateways, gw)
}

// orderedVirtualServices is OrderVirtualServices of the config's VirtualServices, sorted once (again
// when VirtualServices were added).
func (c *Config) orderedVirtualServices() []*VirtualService {
	if len(c.orderedVS) != len(c.VirtualServices) {
		c.orderedVS = OrderVirtualServices(c.VirtualServices)
	}
	return c.orderedVS
}

// destinationRuleFor returns the DestinationRule a caller in namespace from uses for the host fqdn of
// a Service in namespace svcNS, in Istio's lookup order (PushContext.destinationRule and
// getExportedDestinationRuleFromNamespace, pilot/pkg/model/push_context.go, over the indexes
// setDestinationRules builds):
//  1. the rules of the caller's namespace that are local to it (no exportTo, "*", "." or the
//     namespace's own name); for a caller in the root namespace, only the root rules private to it
//     (exportTo exactly "." or its own name);
//  2. the rules of the Service's namespace exported to the caller (no exportTo, "*" or the caller's
//     namespace by name);
//  3. the rules of the root namespace exported to the caller, likewise.
//
// In each, a rule for exactly the host beats a wildcard one, and a longer wildcard a shorter one
// (MostSpecificHostMatch, pilot/pkg/model/config.go). nil when none applies.
func (c *Config) destinationRuleFor(fqdn, svcNS, from string) *DestinationRule {
	local := func(dr *DestinationRule) bool { return exportedTo(dr.Spec.GetExportTo(), dr.Namespace, from) }
	if from == RootNamespace {
		local = func(dr *DestinationRule) bool {
			e := dr.Spec.GetExportTo()
			return len(e) == 1 && (e[0] == exportPrivate || e[0] == dr.Namespace)
		}
	}
	exported := func(dr *DestinationRule) bool {
		e := dr.Spec.GetExportTo()
		return len(e) == 0 || slices.Contains(e, exportPublic) || slices.Contains(e, from)
	}
	if dr := c.mostSpecificDestinationRule(fqdn, from, local); dr != nil {
		return dr
	}
	if svcNS != "" {
		if dr := c.mostSpecificDestinationRule(fqdn, svcNS, exported); dr != nil {
			return dr
		}
	}
	return c.mostSpecificDestinationRule(fqdn, RootNamespace, exported)
}

// subsetsFor returns the DestinationRule a caller in namespace from uses for host fqdn
// (destinationRuleFor) and its subsets merged with those of the other rules of its namespace for the
// same host, as istiod merges them (pilot/pkg/model/destination_rule.go mergeDestinationRule: a
// subset name already defined keeps its first definition).
func (c *Config) subsetsFor(fqdn, svcNS, from string) (*DestinationRule, []*networking.Subset) {
	dr := c.destinationRuleFor(fqdn, svcNS, from)
	if dr == nil {
		return nil, nil
	}
	host := FQDN(dr.Spec.GetHost(), dr.Namespace)
	same := c.drIndex().exact[dr.Namespace+"|"+host]
	if strings.HasPrefix(host, "*") {
		same = []*DestinationRule{dr}
	}
	var out []*networking.Subset
	seen := map[string]bool{}
	for _, o := range same {
		if o != dr && !exportedTo(o.Spec.GetExportTo(), o.Namespace, from) {
			continue
		}
		for _, sub := range o.Spec.GetSubsets() {
			if !seen[sub.GetName()] {
				seen[sub.GetName()] = true
				out = append(out, sub)
			}
		}
	}
	return dr, out
}

// mostSpecificDestinationRule returns the rule of namespace ns for which ok holds whose host is fqdn,
// else the one whose wildcard host matching fqdn is longest (the first of equals), or nil. Rules are
// looked up through an index by namespace and host (drIndex), so that each lookup costs the rules of
// that namespace and host, not all rules.
func (c *Config) mostSpecificDestinationRule(fqdn, ns string, ok func(*DestinationRule) bool) *DestinationRule {
	idx := c.drIndex()
	for _, dr := range idx.exact[ns+"|"+fqdn] {
		if ok(dr) {
			return dr
		}
	}
	var wildcard *DestinationRule
	suffix := ""
	for _, dr := range idx.wildcards[ns] {
		if !ok(dr) {
			continue
		}
		sfx := strings.TrimPrefix(FQDN(dr.Spec.GetHost(), dr.Namespace), "*")
		if strings.HasSuffix(fqdn, sfx) && (wildcard == nil || len(sfx) > len(suffix)) {
			wildcard, suffix = dr, sfx
		}
	}
	return wildcard
}

// destinationRuleIndex holds the DestinationRules by "namespace|host" (exact hosts) and by namespace
// (wildcard hosts), each list in input order.
type destinationRuleIndex struct {
	exact     map[string][]*DestinationRule
	wildcards map[string][]*DestinationRule
	// hostNamespaces are the namespaces that hold a rule for each exact host.
	hostNamespaces map[string][]string
	n              int
}

// drIndex returns the index of the config's DestinationRules, rebuilt when rules were added.
func (c *Config) drIndex() *destinationRuleIndex {
	if c.drIdx != nil && c.drIdx.n == len(c.DestinationRules) {
		return c.drIdx
	}
	idx := &destinationRuleIndex{exact: map[string][]*DestinationRule{}, wildcards: map[string][]*DestinationRule{},
		hostNamespaces: map[string][]string{}, n: len(c.DestinationRules)}
	for _, dr := range c.DestinationRules {
		h := FQDN(dr.Spec.GetHost(), dr.Namespace)
		if strings.HasPrefix(h, "*") {
			idx.wildcards[dr.Namespace] = append(idx.wildcards[dr.Namespace], dr)
		} else {
			if !slices.Contains(idx.hostNamespaces[h], dr.Namespace) {
				idx.hostNamespaces[h] = append(idx.hostNamespaces[h], dr.Namespace)
			}
			idx.exact[dr.Namespace+"|"+h] = append(idx.exact[dr.Namespace+"|"+h], dr)
		}
	}
	c.drIdx = idx
	return idx
}

// serviceFor returns the Service of the inputs with the fully qualified name fqdn, or nil.
func (c *Config) serviceFor(fqdn string) *Service {
	if c.servicesByFQDN == nil || c.servicesIndexed != len(c.Services) {
		c.servicesIndexed = len(c.Services)
		c.servicesByFQDN = make(map[string]*Service, len(c.Services))
		for _, s := range slices.Backward(c.Services) {
			c.servicesByFQDN[FQDN(s.Name, s.Namespace)] = s
		}
	}
	return c.servicesByFQDN[fqdn]
}

// Callers lists the callers whose views the inputs define, for a run without --from: a sidecar in
// every namespace of the inputs (sorted), a sidecar for every workload of the inputs when a match
// tests sourceLabels, and every gateway a VirtualService or HTTPRoute binds to (in order of first
// appearance).
func (c *Config) Callers() []Caller {
	nsSet := map[string]bool{}
	add := func(d *Document) { nsSet[d.Namespace] = true }
	for _, vs := range c.VirtualServices {
		add(vs.Document)
	}
	for _, dr := range c.DestinationRules {
		add(dr.Document)
	}
	for _, s := range c.Services {
		add(s.Document)
	}
	for _, w := range c.Workloads {
		add(w.Document)
	}
	for _, r := range c.HTTPRoutes {
		add(r.Document)
	}
	for _, r := range c.L4Routes {
		add(r.Document)
	}
	var out []Caller
	for _, ns := range sortedKeys(nsSet) {
		out = append(out, Sidecar(ns, nil))
	}
	if c.usesSourceLabels() {
		seen := map[string]bool{}
		for _, w := range c.Workloads {
			cl := Sidecar(w.Namespace, w.Labels)
			if len(w.Labels) > 0 && !seen[cl.String()] {
				seen[cl.String()] = true
				out = append(out, cl)
			}
		}
	}
	seen := map[string]bool{}
	addGateway := func(g string) {
		if g != meshGateway && !seen[g] {
			seen[g] = true
			ns, _, _ := strings.Cut(g, "/")
			out = append(out, Caller{Gateway: g, Namespace: ns})
		}
	}
	for _, vs := range c.VirtualServices {
		for _, g := range vsGateways(vs) {
			addGateway(g)
		}
	}
	for _, r := range c.HTTPRoutes {
		for _, p := range r.Route.Spec.ParentRefs {
			if isGatewayParent(p) {
				addGateway(string(ptrOr(p.Namespace, gatewayv1.Namespace(r.Namespace))) + "/" + string(p.Name))
			}
		}
	}
	for _, r := range c.L4Routes {
		for _, p := range r.ParentRefs {
			if isGatewayParent(p) {
				addGateway(string(ptrOr(p.Namespace, gatewayv1.Namespace(r.Namespace))) + "/" + string(p.Name))
			}
		}
	}
	return out
}

// usesSourceLabels says whether some VirtualService match tests the caller's labels.
func (c *Config) usesSourceLabels() bool {
	for _, vs := range c.VirtualServices {
		for _, h := range vs.Spec.GetHttp() {
			for _, m := range h.GetMatch() {
				if len(m.GetSourceLabels()) > 0 {
					return true
				}
			}
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
