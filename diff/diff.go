// Package diff compares the results of an old and a new routing configuration: for every host, rule
// and request class, each destination's share before and after, exactly from the weights and as
// simulated, and what moved (splitsim diff).
package diff

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/sim"
)

// Options controls Compare.
type Options struct {
	// Classes compares the request classes of the runs (scenario traffic); without it only hosts and
	// rules are compared.
	Classes bool
	// FailOnChangePP, when not nil, fails the verdict when an exact share moves by more than this
	// many percentage points.
	FailOnChangePP *float64
	// OldMatches and NewMatches are the match blocks of each side's rules (see MatchesOf), to pair
	// rules that have no name by what they match. Without them, rules that pair by no name pair by
	// position (#index).
	OldMatches, NewMatches Matches
}

// Matches are the match blocks of a configuration's rules: by host, then by rule index, the rule's
// blocks in a canonical form. A rule that gets no route (hidden by an earlier catch-all, or not for
// the host's caller) has none.
type Matches map[string]map[int]string

// MatchesOf reads the match blocks of the rules of a translated configuration.
func MatchesOf(t *sim.Table) Matches {
	m := Matches{}
	for _, h := range t.Hosts {
		blocks := map[int][]string{}
		for i := range h.Routes {
			r := &h.Routes[i]
			blocks[r.Rule] = append(blocks[r.Rule], "{"+r.Match.String()+"}")
		}
		byRule := map[int]string{}
		for ri, b := range blocks {
			if ri >= 0 && ri < len(h.Rules) {
				byRule[h.Rules[ri].Index] = strings.Join(b, " or ")
			}
		}
		m[h.Name] = byRule
	}
	return m
}

// eps is the change below which two shares count as equal (they are ratios of integer weights).
const eps = 1e-12

// Compare compares the runs of an old and a new configuration. Hosts are matched by name, rules by name,
// else by identical match blocks (see diffRules), destinations by host, subset and port (entries listing one destination twice
// are summed, as its traffic is), classes by name. The exact shares are the configured ones (weight
// over total, as Envoy picks); the simulated ones are counts over the rule's (or class's) requests.
func Compare(old, new *result.Run, opt Options) *result.Diff {
	d := &result.Diff{Header: result.NewHeader(result.KindDiff), Old: old.Files, New: new.Files, Seed: new.Seed,
		Requests: new.Requests, FailOnChangePP: opt.FailOnChangePP, Verdict: result.Pass,
		Moves: []result.Move{}, Hosts: []result.HostDiff{}, Warnings: []string{}}
	for _, w := range old.Warnings {
		d.Warnings = append(d.Warnings, "old: "+w)
	}
	for _, w := range new.Warnings {
		d.Warnings = append(d.Warnings, "new: "+w)
	}
	names, oldHosts, newHosts := pairByKey(old.Hosts, new.Hosts, func(h *result.Host) string { return h.Host })
	for _, name := range names {
		addHost(d, diffHost(name, oldHosts[name], newHosts[name], opt))
	}
	if opt.Classes {
		d.Classes = diffClasses(old, new)
		for _, cd := range d.Classes {
			addClass(d, cd)
		}
	}
	sort.SliceStable(d.Moves, func(i, j int) bool { return math.Abs(d.Moves[i].ChangePP) > math.Abs(d.Moves[j].ChangePP) })
	for _, m := range d.Moves {
		d.Changed = true
		d.MaxChangePP = math.Max(d.MaxChangePP, math.Abs(m.ChangePP))
	}
	if opt.FailOnChangePP != nil && d.MaxChangePP > *opt.FailOnChangePP+eps {
		d.Verdict = result.Fail
	}
	return d
}

// pairByKey pairs the items of two lists by key: it returns the keys of old's items in order, then
// those of new's items that old lacks, and each side's items by key.
func pairByKey[T any](old, new []T, key func(*T) string) ([]string, map[string]*T, map[string]*T) {
	byKey := func(items []T) map[string]*T {
		m := map[string]*T{}
		for i := range items {
			m[key(&items[i])] = &items[i]
		}
		return m
	}
	oldBy, newBy := byKey(old), byKey(new)
	var keys []string
	for i := range old {
		keys = append(keys, key(&old[i]))
	}
	for i := range new {
		if k := key(&new[i]); oldBy[k] == nil {
			keys = append(keys, k)
		}
	}
	return keys, oldBy, newBy
}

// diffHost compares one host of both runs; oh or nh is nil when the host is only on one side.
func diffHost(name string, oh, nh *result.Host, opt Options) result.HostDiff {
	hd := result.HostDiff{Host: name}
	oneSide(&oh, &nh, &hd.Change)
	var om, nm map[int]string
	if opt.OldMatches != nil && opt.NewMatches != nil {
		om, nm = opt.OldMatches[name], opt.NewMatches[name]
		if om == nil {
			om = map[int]string{}
		}
		if nm == nil {
			nm = map[int]string{}
		}
	}
	hd.Rules = diffRules(oh, nh, om, nm)
	return hd
}

// oneSide marks an item found on one side only as added or removed, and stands a zero value in for
// the missing side so that both sides can be read.
func oneSide[T any, C ~string](o, n **T, change *C) {
	switch {
	case *o == nil:
		*change = C(result.ChangeAdded)
		*o = new(T)
	case *n == nil:
		*change = C(result.ChangeRemoved)
		*n = new(T)
	}
}

// addHost adds a host's comparison to the diff, with the moves of its rules' exact shares.
func addHost(d *result.Diff, hd result.HostDiff) {
	for _, rd := range hd.Rules {
		addMoves(d, result.Move{Host: hd.Host, Rule: rd.Rule}, rd.Destinations)
		if rd.Change != result.ChangeNone {
			d.Changed = true
		}
	}
	if hd.Change != result.ChangeNone {
		d.Changed = true
	}
	d.Hosts = append(d.Hosts, hd)
}

// addClass counts a class's comparison in the diff, with the moves of its exact shares.
func addClass(d *result.Diff, cd result.ClassDiff) {
	if cd.Change != result.ChangeNone {
		d.Changed = true
	}
	addMoves(d, result.Move{Host: cd.Host, Class: cd.Class}, cd.Destinations)
}

// addMoves adds a move for each destination whose share changed; where tells the host and the rule
// or class.
func addMoves(d *result.Diff, where result.Move, dds []result.DestinationDiff) {
	for _, dd := range dds {
		if dd.Change != result.ChangeNone {
			m := where
			m.Destination, m.OldExact, m.NewExact, m.ChangePP = dd.Name, dd.OldExact, dd.NewExact, dd.ChangePP
			d.Moves = append(d.Moves, m)
		}
	}
}

// diffRules pairs the rules of a host's two sides and compares each pair: rules of the same name
// pair, then rules with identical match blocks (om and nm, by rule index; nil to pair by position
// instead), first with first; the rest were removed or added. A header rule added above an
// unchanged catch-all thus leaves the catch-all unchanged, though its index moved. The old side's
// order comes first, then the added rules.
func diffRules(oh, nh *result.Host, om, nm map[int]string) []result.RuleDiff {
	pairOf := make([]int, len(oh.Rules)) // index into nh.Rules, or -1
	taken := make([]bool, len(nh.Rules))
	for i := range pairOf {
		pairOf[i] = -1
	}
	pair := func(same func(o, n *result.Rule) bool) {
		for i := range oh.Rules {
			if pairOf[i] >= 0 {
				continue
			}
			for j := range nh.Rules {
				if !taken[j] && same(&oh.Rules[i], &nh.Rules[j]) {
					pairOf[i], taken[j] = j, true
					break
				}
			}
		}
	}
	pair(func(o, n *result.Rule) bool { return o.Name != "" && o.Name == n.Name })
	if om != nil && nm != nil {
		pair(func(o, n *result.Rule) bool {
			ok, ko := om[o.Index]
			nk, kn := nm[n.Index]
			return ko && kn && ok == nk
		})
	} else {
		pair(func(o, n *result.Rule) bool { return o.Rule == n.Rule })
	}
	out := []result.RuleDiff{}
	for i := range oh.Rules {
		var nr *result.Rule
		if j := pairOf[i]; j >= 0 {
			nr = &nh.Rules[j]
		}
		out = append(out, diffRule(&oh.Rules[i], nr))
	}
	for j := range nh.Rules {
		if !taken[j] {
			out = append(out, diffRule(nil, &nh.Rules[j]))
		}
	}
	return out
}

// diffRule compares one rule of a host on both sides; or or nr is nil when the rule is only on one
// side. A rule whose label changed is named by both: "#1 (was #0)".
func diffRule(or, nr *result.Rule) result.RuleDiff {
	var label string
	switch {
	case nr == nil:
		label = or.Rule
	case or == nil || or.Rule == nr.Rule:
		label = nr.Rule
	default:
		label = nr.Rule + " (was " + or.Rule + ")"
	}
	rd := result.RuleDiff{Rule: label}
	oneSide(&or, &nr, &rd.Change)
	if rd.Change == result.ChangeNone && (or.Action != nr.Action || or.Status != nr.Status || or.Unreachable != nr.Unreachable) {
		rd.Change = result.ChangeRouted
	}
	rd.OldSource, rd.NewSource = or.Source, nr.Source
	rd.OldAction, rd.NewAction = result.Action(actionText(or)), result.Action(actionText(nr))
	rd.OldRequests, rd.NewRequests = or.Requests, nr.Requests
	rd.Destinations = diffDestinations(toShares(or.Destinations, or.Requests, countsOf(or.Destinations)),
		toShares(nr.Destinations, nr.Requests, countsOf(nr.Destinations)))
	return rd
}

func actionText(r *result.Rule) string {
	switch {
	case r.Action == "":
		return ""
	case r.Unreachable:
		return string(r.Action + " (unreachable)")
	case r.Status != 0:
		return fmt.Sprintf("%s %d", r.Action, r.Status)
	}
	return string(r.Action)
}

func countsOf(ds []result.Destination) []int64 {
	c := make([]int64, len(ds))
	for i, d := range ds {
		c[i] = d.Count
	}
	return c
}

// share is one destination's aggregated shares on one side.
type share struct {
	key, host, subset string
	endpoints         string // the pod group of an endpoints rule
	port              uint32
	weight            int32
	exact, simulated  float64
	status            int
}

// toShares aggregates a rule's destinations by host, subset and port.
func toShares(ds []result.Destination, requests int64, counts []int64) []share {
	var out []share
	index := map[string]int{}
	for i, d := range ds {
		key := fmt.Sprintf("%s|%s|%d|%s", d.Host, d.Subset, d.Port, d.Endpoints)
		j, ok := index[key]
		if !ok {
			j = len(out)
			index[key] = j
			out = append(out, share{key: key, host: d.Host, subset: d.Subset, endpoints: d.Endpoints, port: d.Port, status: d.Status})
		}
		out[j].weight += d.Weight
		out[j].exact += d.ExpectedShare
		if requests > 0 && i < len(counts) {
			out[j].simulated += float64(counts[i]) / float64(requests)
		}
	}
	return out
}

// diffDestinations pairs the destinations of both sides, old order first.
func diffDestinations(old, new []share) []result.DestinationDiff {
	byKey := map[string]*share{}
	for i := range new {
		byKey[new[i].key] = &new[i]
	}
	inOld := map[string]bool{}
	var out []result.DestinationDiff
	add := func(o, n *share) {
		dd := result.DestinationDiff{}
		base := o
		if base == nil {
			base = n
		}
		dd.Host, dd.Subset, dd.Endpoints, dd.Port = base.host, base.subset, base.endpoints, base.port
		if o != nil {
			dd.OldWeight, dd.OldExact, dd.OldSimulated, dd.OldStatus = o.weight, o.exact, o.simulated, o.status
		}
		if n != nil {
			dd.NewWeight, dd.NewExact, dd.NewSimulated, dd.NewStatus = n.weight, n.exact, n.simulated, n.status
		}
		dd.ChangePP = round6(100 * (dd.NewExact - dd.OldExact))
		dd.SimulatedPP = round6(100 * (dd.NewSimulated - dd.OldSimulated))
		switch {
		case o == nil:
			dd.Change = result.ChangeAdded
		case n == nil:
			dd.Change = result.ChangeRemoved
		case math.Abs(dd.NewExact-dd.OldExact) > eps:
			dd.Change = result.ChangeMoved
		}
		out = append(out, dd)
	}
	pair := map[string]*share{} // old key -> its new share
	taken := map[string]bool{}  // new keys paired
	for i := range old {
		if n := byKey[old[i].key]; n != nil {
			pair[old[i].key], taken[n.key] = n, true
		}
	}
	// A group of pods named by the DestinationRule subset that selects them (a host no route
	// decides, split by pod count) is that subset's destination when a route decides the host on
	// the other side: the same pods, v1 75% -> 10% rather than v1 removed and v1 added.
	podsKey := func(s *share) string { return s.host + "|" + s.subset + s.endpoints }
	spare := map[string]*share{}
	for i := range new {
		if !taken[new[i].key] {
			spare[podsKey(&new[i])] = &new[i]
		}
	}
	for i := range old {
		if _, ok := pair[old[i].key]; !ok {
			if n := spare[podsKey(&old[i])]; n != nil && (old[i].endpoints == "") != (n.endpoints == "") {
				pair[old[i].key], taken[n.key] = n, true
				delete(spare, podsKey(&old[i]))
			}
		}
	}
	for i := range old {
		inOld[old[i].key] = true
		add(&old[i], pair[old[i].key])
	}
	for i := range new {
		if !inOld[new[i].key] && !taken[new[i].key] {
			add(nil, &new[i])
		}
	}
	nameDestinations(out)
	return out
}

// nameDestinations gives each destination a short name: its subset, or its pod group, or host:port,
// or host; the host is added when two destinations of the list would get the same name.
func nameDestinations(ds []result.DestinationDiff) {
	short := func(d result.DestinationDiff) string {
		switch {
		case d.Subset != "":
			return d.Subset
		case d.Endpoints != "":
			return d.Endpoints
		case d.Port != 0:
			return fmt.Sprintf("%s:%d", d.Host, d.Port)
		}
		return d.Host
	}
	count := map[string]int{}
	for _, d := range ds {
		count[short(d)]++
	}
	for i := range ds {
		ds[i].Name = short(ds[i])
		if count[ds[i].Name] > 1 && ds[i].Subset != "" {
			ds[i].Name = ds[i].Host + "/" + ds[i].Subset
			if ds[i].Port != 0 {
				ds[i].Name += fmt.Sprintf(":%d", ds[i].Port)
			}
		}
	}
}

func round6(x float64) float64 {
	return math.Round(x*1e6) / 1e6
}

// diffClasses compares where each request class of the scenario traffic goes.
func diffClasses(old, new *result.Run) []result.ClassDiff {
	names, oldC, newC := pairByKey(old.Classes, new.Classes, func(c *result.Class) string { return c.Name })
	var out []result.ClassDiff
	for _, name := range names {
		oc, nc := oldC[name], newC[name]
		cd := result.ClassDiff{Class: name}
		var os, ns []share
		if oc != nil {
			cd.Host, cd.OldRule, cd.OldOutcome = oc.Host, oc.Rule, oc.Outcome
			os = classShares(old, oc)
		} else {
			cd.Change = result.ChangeAdded
		}
		if nc != nil {
			cd.Host, cd.NewRule, cd.NewOutcome = nc.Host, nc.Rule, nc.Outcome
			ns = classShares(new, nc)
		} else {
			cd.Change = result.ChangeRemoved
		}
		if cd.Change == result.ChangeNone && (cd.OldRule != cd.NewRule || cd.OldOutcome != cd.NewOutcome) {
			cd.Change = result.ChangeRouted
		}
		cd.Destinations = diffDestinations(os, ns)
		out = append(out, cd)
	}
	return out
}

// classShares are the shares of the destinations a class reaches: the exact ones of its rule, and
// its own simulated counts.
func classShares(run *result.Run, c *result.Class) []share {
	for _, h := range run.Hosts {
		if h.Host != c.Host {
			continue
		}
		for _, r := range h.Rules {
			if r.Rule == c.Rule && c.Rule != "" {
				return toShares(r.Destinations, c.Requests, c.Counts)
			}
		}
	}
	return nil
}
