package verify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/observe"
	"github.com/splitsim/splitsim/sim"
)

// Expected is the configured side of a verification: the destinations and their weights.
type Expected struct {
	Names    []string
	Clusters []string // per destination, when the weights come from a configuration
	Weights  []float64
	Refs     []observe.DestRef // how observed names match each destination
	Host     string            // the host and rule the weights come from (FromRule)
	Rule     string
	Warnings []string
	// Named is set when the destinations have names (v1=70,v2=30, or a configuration).
	Named bool
}

// ParseWeights reads --weights: 70,30 or v1=70,v2=30.
func ParseWeights(s string) (Expected, error) {
	var e Expected
	for i, part := range strings.Split(s, ",") {
		name, val, named := strings.Cut(strings.TrimSpace(part), "=")
		if !named {
			val, name = name, "#"+strconv.Itoa(i)
		} else if name == "" {
			return e, fmt.Errorf("--weights %q: empty name in %q", s, part)
		}
		if i > 0 && named != e.Named {
			return e, fmt.Errorf("--weights %q: name all weights or none", s)
		}
		e.Named = named
		w, err := strconv.ParseFloat(val, 64)
		if err != nil || !(w >= 0) || w > 1e15 {
			return e, fmt.Errorf("--weights %q: %q is not a non-negative number", s, val)
		}
		for _, n := range e.Names {
			if n == name {
				return e, fmt.Errorf("--weights %q: %s named twice", s, name)
			}
		}
		e.Names = append(e.Names, name)
		e.Weights = append(e.Weights, w)
		e.Refs = append(e.Refs, observe.DestRef{Subset: name})
	}
	return e, nil
}

// ParseCounts reads --counts: 712,288 (in the order of the weights) or v1=712,v2=288 (by name).
func ParseCounts(s string, e Expected) ([]int64, error) {
	out := make([]int64, len(e.Names))
	parts := strings.Split(s, ",")
	seen := map[int]bool{}
	for i, part := range parts {
		name, val, named := strings.Cut(strings.TrimSpace(part), "=")
		if !named {
			val = name
		}
		c, err := strconv.ParseInt(val, 10, 64)
		if err != nil || c < 0 {
			return nil, fmt.Errorf("--counts %q: %q is not a non-negative integer", s, val)
		}
		j := i
		if named {
			if j = e.index(name); j < 0 {
				return nil, fmt.Errorf("--counts: %q is not a configured destination (destinations: %s)", name, strings.Join(e.Names, ", "))
			}
		} else if len(parts) != len(e.Names) {
			return nil, fmt.Errorf("--counts has %d values for %d destinations (%s)", len(parts), len(e.Names), strings.Join(e.Names, ", "))
		}
		if seen[j] {
			return nil, fmt.Errorf("--counts: %s given twice", e.Names[j])
		}
		seen[j] = true
		out[j] = c
	}
	return out, nil
}

// index is the destination that name names (its name, subset or cluster; the last one wins), or -1.
func (e Expected) index(name string) int {
	j := -1
	for k, n := range e.Names {
		if n == name || (k < len(e.Refs) && (e.Refs[k].Subset == name || e.Refs[k].Cluster == name)) {
			j = k
		}
	}
	return j
}

// FromRule takes the expected shares from one rule of a translated configuration, as `splitsim run`
// simulates it: Envoy weights, with entries for the same cluster merged. host may be empty when the
// table has one host; rule (a name or "#index") may be empty when the host has one weighted rule.
func FromRule(t *sim.Table, host, rule string) (Expected, error) {
	h, err := LookupHost(t, host)
	if err != nil {
		return Expected{}, err
	}
	r, err := pickRule(h, rule)
	if err != nil {
		return Expected{}, err
	}
	e := Expected{Host: h.Name, Rule: r.Label(), Named: true}
	idx := map[string]int{}
	for _, d := range r.Action.Destinations {
		if i, ok := idx[d.Cluster]; ok {
			e.Weights[i] += float64(d.EnvoyWeight)
			e.Warnings = append(e.Warnings, fmt.Sprintf("%s is listed twice in rule %s; its expected share is the sum of both entries", d.Cluster, r.Label()))
			continue
		}
		idx[d.Cluster] = len(e.Names)
		e.Names = append(e.Names, d.Name())
		e.Clusters = append(e.Clusters, d.Cluster)
		e.Weights = append(e.Weights, float64(d.EnvoyWeight))
		fqdn := d.Host
		if parts := strings.Split(d.Cluster, "|"); len(parts) == 4 {
			fqdn = parts[3]
		}
		e.Refs = append(e.Refs, clusterRef(d.Cluster, d.Subset, fqdn))
		if d.Status != 200 {
			e.Warnings = append(e.Warnings, fmt.Sprintf("%s has no cluster (its requests get %d): observations will not show it as an upstream", d.Name(), d.Status))
		}
	}
	return e, nil
}

// LookupHost finds --host in t; an empty host is the table's only host. A host no table host is
// named (or fully named) is the one Envoy picks for it as a request's authority (sim.Table.Serve:
// "svc.a.svc.cluster.local" is served by a VirtualService for "*.a.svc.cluster.local"), NAME.NS
// read as NAME.NS.svc.cluster.local.
func LookupHost(t *sim.Table, host string) (*sim.Host, error) {
	if host == "" {
		if len(t.Hosts) != 1 {
			return nil, fmt.Errorf("--host is needed: the configuration has hosts %s", HostNames(t))
		}
		return t.Hosts[0], nil
	}
	h := t.Lookup(host)
	if h == nil {
		h = t.Serve(host)
	}
	if h == nil && strings.Count(host, ".") == 1 {
		h = t.Serve(host + ".svc.cluster.local")
	}
	if h == nil {
		return nil, fmt.Errorf("--host %s: no VirtualService has this host (hosts: %s)", host, HostNames(t))
	}
	return h, nil
}

// pickRule finds --rule among the host's rules, or the host's only rule with several weighted
// destinations when sel is empty.
func pickRule(h *sim.Host, sel string) (*sim.Rule, error) {
	var rule *sim.Rule
	for _, r := range h.Rules {
		switch {
		case sel == "" && r.Action.Kind == sim.Forward && len(r.Action.Destinations) > 1:
			if rule != nil {
				return nil, fmt.Errorf("--rule is needed: host %s has several weighted rules (%s and %s)", h.Name, rule.Label(), r.Label())
			}
			rule = r
		case sel != "" && (r.Name == sel || "#"+strconv.Itoa(r.Index) == sel):
			rule = r
		}
	}
	switch {
	case rule == nil && sel != "":
		return nil, fmt.Errorf("--rule %s: host %s has no such rule (rules: %s)", sel, h.Name, ruleLabels(h))
	case rule == nil:
		return nil, fmt.Errorf("host %s has no rule with several weighted destinations: nothing to verify", h.Name)
	case rule.Action.Kind != sim.Forward:
		return nil, fmt.Errorf("--rule %s: a %s rule has no weighted destinations", sel, rule.Action.Kind)
	}
	return rule, nil
}

// HostNames lists the hosts of t, comma-separated.
func HostNames(t *sim.Table) string {
	var s []string
	for _, h := range t.Hosts {
		s = append(s, h.Name)
	}
	return strings.Join(s, ", ")
}

func ruleLabels(h *sim.Host) string {
	var s []string
	for _, r := range h.Rules {
		s = append(s, r.Label())
	}
	return strings.Join(s, ", ")
}

// clusterRef is how observed names match a destination of a configuration whose Envoy cluster is
// cluster. A cluster without a port ("outbound||v1|reviews.default.svc.cluster.local", from a
// destination that names no port) is not a name Envoy reports: istiod gives the destination the
// port of the service, which the configuration alone does not tell. Such a destination matches by
// subset and host instead (observe.Match rule 4: "outbound|9080|v1|reviews..." of any port), as
// Istio metrics match it by subset (destination_version).
func clusterRef(cluster, subset, fqdn string) observe.DestRef {
	if p := strings.Split(cluster, "|"); len(p) == 4 && p[1] == "" {
		return observe.DestRef{Subset: subset, Host: fqdn}
	}
	return observe.DestRef{Subset: subset, Cluster: cluster, Host: fqdn}
}

// fqdns are the fully qualified hosts of the expected destinations (from a configuration), or nil:
// verify keeps only the observed traffic to them.
func (e Expected) fqdns() []string {
	var out []string
	seen := map[string]bool{}
	for i, r := range e.Refs {
		if i < len(e.Clusters) && e.Clusters[i] != "" && r.Host != "" && !seen[r.Host] {
			seen[r.Host] = true
			out = append(out, r.Host)
		}
	}
	return out
}
