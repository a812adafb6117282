package mesh

import (
	"slices"
	"strconv"
	"sync/atomic"

	networking "istio.io/api/networking/v1"
)

// vsKeyParts is what vsKey reads of a VirtualService that does not depend on the caller, worked out
// once per translation (Translate builds one view per namespace, each of which asks for the key of
// every VirtualService).
type vsKeyParts struct {
	id uint64
	// hosts are the fully qualified names of spec.hosts, in order.
	hosts []string
	// delegated: a rule delegates, and the VirtualService is not cached.
	delegated bool
	// sourceLabels counts the match blocks that test sourceLabels; sourceNamespaces are the
	// namespaces the others test, in order.
	sourceLabels     int
	sourceNamespaces []string
	// dests are the distinct destinations (mirrors and routes) by fully qualified name, with the
	// namespace of a cluster-local name.
	dests []keyDest
}

// keyDest is a destination's host and, once looked up, the DestinationRule the callers that do not
// own a rule for it use (drDefaultFor) and its Service.
type keyDest struct {
	fqdn, ns string
	looked   bool
	def      *drDefault
	svc      *Service
}

// translations numbers the translations that work out parts (Translation.number).
var translations atomic.Uint64

// keyParts returns the caller-independent parts of vs's key, computing them on first use in this
// translation.
func (tr *Translation) keyParts(vs *VirtualService) *vsKeyParts {
	if tr.number == 0 {
		tr.number = translations.Add(1)
	}
	if vs.partsOf == tr.number {
		return vs.parts
	}
	tr.vsCount++
	p := &vsKeyParts{id: tr.vsCount}
	vs.parts, vs.partsOf = p, tr.number
	for _, h := range vs.Spec.GetHosts() {
		p.hosts = append(p.hosts, FQDN(h, vs.Namespace))
	}
	seen := map[string]bool{}
	for _, r := range vs.Spec.GetHttp() {
		if r.GetDelegate() != nil {
			p.delegated = true
			return p
		}
		for _, m := range r.GetMatch() {
			if len(m.GetSourceLabels()) > 0 {
				p.sourceLabels++
			}
			if ns := m.GetSourceNamespace(); ns != "" {
				p.sourceNamespaces = append(p.sourceNamespaces, ns)
			}
		}
		ds := append([]*networking.Destination{r.GetMirror()}, nil)
		for _, mp := range r.GetMirrors() {
			ds = append(ds, mp.GetDestination())
		}
		for _, d := range r.GetRoute() {
			ds = append(ds, d.GetDestination())
		}
		for _, d := range ds {
			if d == nil {
				continue
			}
			fqdn := FQDN(d.GetHost(), vs.Namespace)
			if !seen[fqdn] {
				seen[fqdn] = true
				p.dests = append(p.dests, keyDest{fqdn: fqdn, ns: hostNamespace(fqdn)})
			}
		}
	}
	return p
}

// hostSpelling is how vs writes the host with the given FQDN (fallback when it does not), from the
// FQDNs of its hosts worked out once per translation.
func (tr *Translation) hostSpelling(vs *VirtualService, fqdn, fallback string) string {
	for i, f := range tr.keyParts(vs).hosts {
		if f == fqdn {
			return vs.Spec.GetHosts()[i]
		}
	}
	return fallback
}

// drDefault says, per host, which DestinationRule every caller outside the namespaces that hold a
// rule for the host itself uses, when that does not depend on the caller (see ruleID).
type drDefault struct {
	// own are the namespaces that hold a DestinationRule for the host by its exact name.
	own []string
	// dr is the rule the others use (nil for none), id its drID; valid is false when that depends
	// on the caller.
	dr    *DestinationRule
	id    uint64
	valid bool
}

// drDefaultFor is the drDefault of host fqdn (of namespace ns), nil when some DestinationRule has
// a wildcard host (then every lookup is made in full).
func (tr *Translation) drDefaultFor(c *Config, fqdn, ns string) *drDefault {
	idx := c.drIndex()
	if len(idx.wildcards) > 0 {
		return nil
	}
	if tr.drDefaults == nil {
		tr.drDefaults = map[string]*drDefault{}
	}
	d := tr.drDefaults[fqdn]
	if d == nil {
		d = &drDefault{valid: true}
		for _, n := range []string{ns, RootNamespace} {
			for _, dr := range idx.exact[n+"|"+fqdn] {
				if e := dr.Spec.GetExportTo(); len(e) > 0 && !(len(e) == 1 && e[0] == exportPublic) {
					d.valid = false
				}
			}
		}
		d.own = idx.hostNamespaces[fqdn]
		// A namespace that owns no rule for the host gets the host's namespace's, else the root's.
		d.dr = c.destinationRuleFor(fqdn, ns, "")
		d.id = tr.drID(d.dr)
		tr.drDefaults[fqdn] = d
	}
	return d
}

// ruleID is the drID of Config.destinationRuleFor(d.fqdn, d.ns, from), answered without the lookups
// where the answer does not depend on the caller: no DestinationRule has a wildcard host, the
// caller's namespace holds none for the host, and those of the host's namespace and the root
// namespace are exported to every namespace.
func (tr *Translation) ruleID(c *Config, d *keyDest, from string) uint64 {
	def := d.def
	if def == nil || !def.valid || from == RootNamespace || slices.Contains(def.own, from) {
		return tr.drID(c.destinationRuleFor(d.fqdn, d.ns, from))
	}
	return def.id
}

// drID numbers the DestinationRules vsKey names (0 for none).
func (tr *Translation) drID(dr *DestinationRule) uint64 {
	if dr == nil {
		return 0
	}
	id, ok := tr.drIDs[dr]
	if !ok {
		if tr.drIDs == nil {
			tr.drIDs = map[*DestinationRule]uint64{}
		}
		id = uint64(len(tr.drIDs) + 1)
		tr.drIDs[dr] = id
	}
	return id
}

// vsKey says what of the caller a sidecar's translation of vs depends on, so that sidecars in
// namespaces that agree on all of it share one translation (Translate builds a view per namespace):
// the listener port, the caller's labels and namespace where matches test them, and for each
// destination the DestinationRule the caller uses and whether the Service is visible to it. A
// VirtualService with delegates is not cached.
//
// The key is in a buffer of v's that the next call overwrites.
func (v *viewCtx) vsKey(tr *Translation, vs *VirtualService) ([]byte, bool) {
	p := tr.keyParts(vs)
	if p.delegated {
		return nil, false
	}
	b := v.keyBuf[:0]
	b = strconv.AppendUint(b, p.id, 36)
	b = append(b, '|')
	b = strconv.AppendUint(b, uint64(v.port), 10)
	if p.sourceLabels > 0 {
		b = append(b, "|L"...)
		b = append(b, labelText(v.from.Labels)...)
	}
	for _, ns := range p.sourceNamespaces {
		b = append(b, "|N"...)
		b = strconv.AppendBool(b, ns == v.from.Namespace)
	}
	for i := range p.dests {
		d := &p.dests[i]
		if !d.looked {
			d.def, d.svc, d.looked = tr.drDefaultFor(v.c, d.fqdn, d.ns), v.c.serviceFor(d.fqdn), true
		}
		visible := true
		if d.svc != nil {
			visible = exportedTo(d.svc.ExportTo, d.svc.Namespace, v.from.Namespace)
		}
		b = append(b, '|')
		b = strconv.AppendUint(b, tr.ruleID(v.c, d, v.from.Namespace), 36)
		b = strconv.AppendBool(b, visible)
	}
	v.keyBuf = b
	return b, true
}
