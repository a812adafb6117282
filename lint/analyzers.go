package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/mesh"
)

// istioInputs are the resources Istio's analyzers look at. istioctl analyze runs its analyzers on
// every resource it can read, also on those its schema validation rejects (which it reports as IST0106
// besides): istio pkg/config/analysis/local (IstiodAnalyzer) puts every resource its file source
// decodes (dropping unknown fields) in the analysis context, and analyzers/schema/validation.go is one
// analyzer among the others. lint does the same: the VirtualServices and DestinationRules that
// AddLenient left out are read again as Istio reads them (mesh.ReadVirtualServiceAsIstio).
type istioInputs struct {
	vss []*mesh.VirtualService
	drs []*mesh.DestinationRule
	// undecodable are the documents ("file|document") of VirtualServices and DestinationRules whose
	// spec does not decode strictly: their problems are not schema validation errors.
	undecodable map[string]bool
	// validation are the validation errors of the documents that decode only without their unknown
	// fields, which AddLenient, stopping at the unknown field, did not report.
	validation []*mesh.Error
}

func docKey(file, doc string) string { return file + "|" + doc }

// collectIstioInputs gathers the VirtualServices and DestinationRules of cfg and, re-reading their
// files (docs), those of the problems that Istio reads; all in input order (files in the order
// fileIndex gives, then line).
func collectIstioInputs(cfg *mesh.Config, problems []*mesh.Error, docs *docSource, fileIndex func(string) int) *istioInputs {
	in := &istioInputs{vss: slices.Clone(cfg.VirtualServices), drs: slices.Clone(cfg.DestinationRules), undecodable: map[string]bool{}}
	seen := map[string]bool{}
	for _, p := range problems {
		if p.Kind != "VirtualService" && p.Kind != "DestinationRule" || seen[docKey(p.File, p.Doc)] {
			continue
		}
		seen[docKey(p.File, p.Doc)] = true
		if d := docs.reread(p.File, p.Doc); d != nil && d.Kind == p.Kind {
			var decodeErr *mesh.Error
			var validation []*mesh.Error
			if d.Kind == "VirtualService" {
				var vs *mesh.VirtualService
				if vs, decodeErr, validation = mesh.ReadVirtualServiceAsIstio(d); vs != nil {
					in.vss = append(in.vss, vs)
				}
			} else {
				var dr *mesh.DestinationRule
				if dr, decodeErr, validation = mesh.ReadDestinationRuleAsIstio(d); dr != nil {
					in.drs = append(in.drs, dr)
				}
			}
			if decodeErr != nil {
				in.undecodable[docKey(p.File, p.Doc)] = true
				in.validation = append(in.validation, validation...)
			}
		}
	}
	order := func(a, b *mesh.Document) bool {
		if fa, fb := fileIndex(a.File), fileIndex(b.File); fa != fb {
			return fa < fb
		}
		return a.Line < b.Line
	}
	sort.SliceStable(in.vss, func(i, j int) bool { return order(in.vss[i].Document, in.vss[j].Document) })
	sort.SliceStable(in.drs, func(i, j int) bool { return order(in.drs[i].Document, in.drs[j].Document) })
	return in
}

// annotatedDestination is Istio's AnnotatedDestination (analyzers/virtualservice/util.go): a
// destination of a VirtualService with the field it is at.
type annotatedDestination struct {
	// kind is "tcp", "tls" or "http" for a route destination, "http.mirror" or "http.mirrors".
	kind string
	d    *networking.Destination
	// path is the destination's field (spec.http[0].route[1].destination, spec.http[0].mirror, ...).
	path string
	// rd is the weighted destination of an http route, for splitsim's explanation; nil otherwise.
	rd     *networking.HTTPRouteDestination
	routes []*networking.HTTPRouteDestination
}

// routeDestinations is getRouteDestinations: tcp, then tls, then http route destinations.
func routeDestinations(vs *networking.VirtualService) []annotatedDestination {
	var out []annotatedDestination
	for i, r := range vs.GetTcp() {
		for j, rd := range r.GetRoute() {
			out = append(out, annotatedDestination{kind: "tcp", d: rd.GetDestination(), path: fmt.Sprintf("spec.tcp[%d].route[%d].destination", i, j)})
		}
	}
	for i, r := range vs.GetTls() {
		for j, rd := range r.GetRoute() {
			out = append(out, annotatedDestination{kind: "tls", d: rd.GetDestination(), path: fmt.Sprintf("spec.tls[%d].route[%d].destination", i, j)})
		}
	}
	for i, r := range vs.GetHttp() {
		for j, rd := range r.GetRoute() {
			out = append(out, annotatedDestination{kind: "http", d: rd.GetDestination(), path: fmt.Sprintf("spec.http[%d].route[%d].destination", i, j), rd: rd, routes: r.GetRoute()})
		}
	}
	return out
}

// mirrorDestinations is getHTTPMirrorDestinations: each http rule's mirror, then its mirrors.
func mirrorDestinations(vs *networking.VirtualService) []annotatedDestination {
	var out []annotatedDestination
	for i, r := range vs.GetHttp() {
		if m := r.GetMirror(); m != nil {
			out = append(out, annotatedDestination{kind: "http.mirror", d: m, path: fmt.Sprintf("spec.http[%d].mirror", i)})
		}
		for j, m := range r.GetMirrors() {
			out = append(out, annotatedDestination{kind: "http.mirrors", d: m.GetDestination(), path: fmt.Sprintf("spec.http[%d].mirrors[%d].destination", i, j)})
		}
	}
	return out
}

// convertHostToFQDN is util.ConvertHostToFQDN of Istio's analyzers: a host without a dot that is not
// a wildcard gets the namespace's cluster-local suffix; anything else is kept as written.
func convertHostToFQDN(ns, host string) string {
	if strings.HasPrefix(host, "*") || strings.Contains(host, ".") {
		return host
	}
	return host + "." + ns + ".svc." + mesh.DomainSuffix
}

// scopedFqdn is util.NewScopedFqdn: "scope/fqdn".
func scopedFqdn(scope, ns, host string) string {
	return scope + "/" + convertHostToFQDN(ns, host)
}

// resourceNameFromHost is util.GetResourceNameFromHost: namespace/name of a host, from an FQDN
// name.namespace.svc.cluster.local (the last two labels before .svc.cluster.local split greedily), or
// the host as written in the given namespace.
func resourceNameFromHost(ns, host string) string {
	if rest, ok := strings.CutSuffix(host, ".svc."+mesh.DomainSuffix); ok {
		if i := strings.LastIndex(rest, "."); i > 0 && i < len(rest)-1 {
			return rest[i+1:] + "/" + rest[:i]
		}
	}
	return ns + "/" + host
}

// serviceHosts is util.InitServiceEntryHostMap: the hosts of ServiceEntries and of Kubernetes Services
// (converted to ServiceEntries), by scope ("*", or a namespace they are exported to) and FQDN, with
// their ports. Services come after ServiceEntries and replace an entry with the same key.
type serviceHosts struct {
	ports map[string][]uint32
	// wildcards are the keys of wildcard hosts in the order first added (Istio scans its map for
	// them).
	wildcards []string
}

func (h *serviceHosts) add(key string, ports []uint32) {
	if _, ok := h.ports[key]; !ok {
		if _, host, _ := strings.Cut(key, "/"); strings.HasPrefix(host, "*") {
			h.wildcards = append(h.wildcards, key)
		}
	}
	h.ports[key] = ports
}

func newServiceHosts(cfg *mesh.Config) *serviceHosts {
	h := &serviceHosts{ports: map[string][]uint32{}}
	for _, se := range cfg.ServiceEntries {
		var ports []uint32
		for _, p := range se.Spec.GetPorts() {
			ports = append(ports, p.GetNumber())
		}
		exportTo := se.Spec.GetExportTo()
		all := false
		for _, host := range se.Spec.GetHosts() {
			if len(exportTo) == 0 || all {
				h.add(scopedFqdn("*", se.Namespace, host), ports)
				continue
			}
			for _, ns := range exportTo {
				switch ns {
				case "*":
					h.add(scopedFqdn("*", se.Namespace, host), ports)
					all = true
				case ".":
					h.add(scopedFqdn(se.Namespace, se.Namespace, host), ports)
				default:
					h.add(scopedFqdn(ns, se.Namespace, host), ports)
				}
				if all {
					break
				}
			}
		}
	}
	for _, s := range cfg.Services {
		// getVisibleNamespacesFromExportToAnno: no annotation (or an empty one) means every namespace.
		scopes := []string{"*"}
		if len(s.ExportTo) > 0 && !(len(s.ExportTo) == 1 && s.ExportTo[0] == "") {
			scopes = nil
			for _, ns := range s.ExportTo {
				if ns == "." {
					ns = s.Namespace
				}
				scopes = append(scopes, ns)
			}
		}
		for _, scope := range scopes {
			h.add(scopedFqdn(scope, s.Namespace, s.Name), s.Ports)
		}
	}
	return h
}

// lookup is util.GetDestinationHost: the ports of the ServiceEntry or Service that a host of a
// VirtualService in namespace ns, exported to exportTo, resolves to; false when there is none.
func (h *serviceHosts) lookup(ns string, exportTo []string, host string) ([]uint32, bool) {
	if p, ok := h.ports[scopedFqdn("*", ns, host)]; ok {
		return p, true
	}
	if len(exportTo) == 0 {
		if p, ok := h.ports[scopedFqdn(ns, ns, host)]; ok {
			return p, true
		}
	} else {
		for _, e := range exportTo {
			if e == "." {
				e = ns
			}
			if p, ok := h.ports[scopedFqdn(e, ns, host)]; ok {
				return p, true
			}
		}
	}
	for _, key := range h.wildcards {
		scope, seHost, _ := strings.Cut(key, "/")
		if scope != "*" && scope != ns {
			continue
		}
		if strings.HasSuffix(strings.TrimPrefix(host, "*"), strings.TrimPrefix(seHost, "*")) {
			return h.ports[key], true
		}
	}
	return nil, false
}

// destinationHosts is Istio's DestinationHostAnalyzer.analyzeVirtualService
// (analyzers/virtualservice/destinationhosts.go): IST0101 for each route destination ("host") and
// mirror ("mirror host") whose host no ServiceEntry or Service visible to the VirtualService has, and
// for a port the one found does not expose ("host:port"); IST0112 for a destination without port to
// one that exposes several. When the inputs hold no Service and no ServiceEntry at all, splitsim skips
// these checks (most VirtualService files are linted without their Services) and says so once
// (SPL012), where istioctl analyze reports every host.
func (c *checker) destinationHosts(vss []*mesh.VirtualService) {
	if len(c.cfg.Services) == 0 && len(c.cfg.ServiceEntries) == 0 {
		c.hostChecksSkipped(vss)
		return
	}
	hosts := newServiceHosts(c.cfg)
	for _, vs := range vss {
		check := func(ads []annotatedDestination, what string) {
			for _, ad := range ads {
				host := ad.d.GetHost()
				ports, ok := hosts.lookup(vs.Namespace, vs.Spec.GetExportTo(), host)
				if !ok {
					c.report("IST0101", vs.Document, ad.path+".host", "Referenced %s not found: %q", what, host)
					continue
				}
				c.destinationPorts(vs, ad, ports)
			}
		}
		check(routeDestinations(vs.Spec), "host")
		check(mirrorDestinations(vs.Spec), "mirror host")
	}
}

// destinationPorts is checkServiceEntryPorts: a destination without port to a service with several
// ports is IST0112; a port the service does not expose is IST0101 "host:port".
func (c *checker) destinationPorts(vs *mesh.VirtualService, ad annotatedDestination, ports []uint32) {
	if ad.d.GetPort() == nil {
		if len(ports) > 1 {
			var numbers []int
			for _, p := range ports {
				numbers = append(numbers, int(p))
			}
			c.report("IST0112", vs.Document, ad.path+".host", "This VirtualService routes to a service %q that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate.",
				ad.d.GetHost(), numbers)
		}
		return
	}
	if !slices.Contains(ports, ad.d.GetPort().GetNumber()) {
		c.report("IST0101", vs.Document, ad.path+".port", "Referenced host:port not found: %q", fmt.Sprintf("%s:%d", ad.d.GetHost(), ad.d.GetPort().GetNumber()))
	}
}

// hostChecksSkipped reports SPL012 once, on the last destination of the VirtualServices (after the
// findings about the others), naming the hosts that were not checked.
func (c *checker) hostChecksSkipped(vss []*mesh.VirtualService) {
	var hosts []string
	seen := map[string]bool{}
	var last *mesh.VirtualService
	var at string
	for _, vs := range vss {
		ads := append(routeDestinations(vs.Spec), mirrorDestinations(vs.Spec)...)
		for _, ad := range ads {
			if h := ad.d.GetHost(); !seen[h] {
				seen[h] = true
				hosts = append(hosts, h)
			}
		}
		if len(ads) > 0 {
			last, at = vs, ads[len(ads)-1].path+".host"
		}
	}
	if last == nil {
		return
	}
	names := hosts
	if len(hosts) > 5 {
		names = append(slices.Clone(hosts[:5]), fmt.Sprintf("and %d more", len(hosts)-5))
	}
	c.report("SPL012", last.Document, at, "the inputs hold no Service and no ServiceEntry, so the destination hosts of the VirtualServices (%s) were not checked; istioctl analyze would report IST0101 \"Referenced host not found\" for each one it cannot find in the cluster. Add the Services or ServiceEntries to the inputs to check them",
		strings.Join(names, ", "))
}

// destinationSubsets is Istio's DestinationRuleAnalyzer (analyzers/virtualservice/destinationrules.go):
// IST0101 for each route destination ("host+subset in destinationrule") and mirror ("mirror+subset
// in destinationrule") whose subset no DestinationRule defines for that host. Istio matches a
// DestinationRule by the namespace and name of its host (util.GetResourceNameFromHost), whatever its
// exportTo. splitsim adds, in parentheses, what its own resolution of the host finds and, for an
// http route destination that gets traffic, the share that gets 503.
func (c *checker) destinationSubsets(vss []*mesh.VirtualService, drs []*mesh.DestinationRule) {
	defined := map[string]bool{}
	for _, dr := range drs {
		for _, s := range dr.Spec.GetSubsets() {
			defined[resourceNameFromHost(dr.Namespace, dr.Spec.GetHost())+"+"+s.GetName()] = true
		}
	}
	for _, vs := range vss {
		check := func(ads []annotatedDestination, what string) {
			for _, ad := range ads {
				subset := ad.d.GetSubset()
				if subset == "" || defined[resourceNameFromHost(vs.Namespace, ad.d.GetHost())+"+"+subset] {
					continue
				}
				c.report("IST0101", vs.Document, ad.path+".subset", "Referenced %s not found: %q%s", what,
					ad.d.GetHost()+"+"+subset, c.subsetExplanation(vs, ad))
			}
		}
		check(routeDestinations(vs.Spec), "host+subset in destinationrule")
		check(mirrorDestinations(vs.Spec), "mirror+subset in destinationrule")
	}
}

// subsetExplanation is splitsim's note on a missing subset: which subsets the DestinationRules splitsim
// applies to the host define and, for an http route destination, the share of the rule's traffic
// that gets 503; or, when splitsim finds the subset, why Istio's analyzer does not.
func (c *checker) subsetExplanation(vs *mesh.VirtualService, ad annotatedDestination) string {
	fqdn := mesh.FQDN(ad.d.GetHost(), vs.Namespace)
	ok, subsets, hasRule := c.cfg.SubsetDefined(fqdn, ad.d.GetSubset())
	if ok {
		return fmt.Sprintf(" (splitsim finds subset %s for %s; Istio's analyzer matches a DestinationRule only by the namespace and name its host names)", ad.d.GetSubset(), fqdn)
	}
	why := fmt.Sprintf("no DestinationRule for %s defines subset %s", fqdn, ad.d.GetSubset())
	if hasRule {
		why = fmt.Sprintf("the DestinationRule for %s defines %s", fqdn, orNone(subsets))
	}
	if ad.rd == nil {
		return " (" + why + ")"
	}
	var total int64
	for _, rd := range ad.routes {
		total += int64(rd.GetWeight())
	}
	n := len(ad.routes)
	gets := ""
	if total > 0 && ad.rd.GetWeight() > 0 || n == 1 {
		gets = fmt.Sprintf("; Envoy has no cluster for it, so its %s of the rule's traffic gets 503 (flag NC)", shareText(ad.rd.GetWeight(), total, n))
	}
	return " (" + why + gets + ")"
}
