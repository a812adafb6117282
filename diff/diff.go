// Package diff compares the results of an old and a new routing configuration: for every host, rule
// and request class, each destination's share before and after, exactly from the weights and as
// simulated, and what moved (splitsim diff).
package diff

import (
	"fmt"
	"math"
	"sort"

	"github.com/splitsim/splitsim/result"
)

// Options controls Compare.
type Options struct {
	// Classes compares the request classes of the runs (scenario traffic); without it only hosts and
	// rules are compared.
	Classes bool
	// FailOnChangePP, when not nil, fails the verdict when an exact share moves by more than this
	// many percentage points.
	FailOnChangePP *float64
}

// eps is the change below which two shares count as equal (they are ratios of integer weights).
const eps = 1e-12

// Compare compares the runs of an old and a new configuration. Hosts are matched by name, rules by label
// (name, or "#index"), destinations by host, subset and port (entries listing one destination twice
// are summed, as its traffic is), classes by name. The exact shares are the configured ones (weight
// over total, as Envoy picks); the simulated ones are counts over the rule's (or class's) requests.
func Compare(old, new *result.Run, opt Options) *result.Diff {
	d := &result.Diff{Tool: "splitsim", Version: new.Version, Old: old.Files, New: new.Files, Seed: new.Seed,
		Requests: new.Requests, FailOnChangePP: opt.FailOnChangePP, Verdict: result.Pass,
		Moves: []result.Move{}, Hosts: []result.HostDiff{}, Warnings: []string{}}
	for _, w := range old.Warnings {
		d.Warnings = append(d.Warnings, "old: "+w)
	}
	for _, w := range new.Warnings {
		d.Warnings = append(d.Warnings, "new: "+w)
	}
	oldHosts := map[string]*result.Host{}
	for i := range old.Hosts {
		oldHosts[old.Hosts[i].Host] = &old.Hosts[i]
	}
	newHosts := map[string]*result.Host{}
	for i := range new.Hosts {
		newHosts[new.Hosts[i].Host] = &new.Hosts[i]
	}
	var names []string
	for _, h := range old.Hosts {
		names = append(names, h.Host)
	}
	for _, h := range new.Hosts {
		if oldHosts[h.Host] == nil {
			names = append(names, h.Host)
		}
	}
	for _, name := range names {
		oh, nh := oldHosts[name], newHosts[name]
		hd := result.HostDiff{Host: name, Rules: []result.RuleDiff{}}
		switch {
		case oh == nil:
			hd.Change = result.ChangeAdded
			oh = &result.Host{}
		case nh == nil:
			hd.Change = result.ChangeRemoved
			nh = &result.Host{}
		}
		hd.Rules = diffRules(oh, nh)
		for _, rd := range hd.Rules {
			for _, dd := range rd.Destinations {
				if dd.Change != result.ChangeNone {
					d.Moves = append(d.Moves, result.Move{Host: name, Rule: rd.Rule, Destination: dd.Name,
						OldExact: dd.OldExact, NewExact: dd.NewExact, ChangePP: dd.ChangePP})
				}
			}
			if rd.Change != result.ChangeNone {
				d.Changed = true
			}
		}
		if hd.Change != result.ChangeNone {
			d.Changed = true
		}
		d.Hosts = append(d.Hosts, hd)
	}
	if opt.Classes {
		d.Classes = diffClasses(old, new)
		for _, cd := range d.Classes {
			if cd.Change != result.ChangeNone {
				d.Changed = true
			}
			for _, dd := range cd.Destinations {
				if dd.Change != result.ChangeNone {
					d.Moves = append(d.Moves, result.Move{Host: cd.Host, Class: cd.Class, Destination: dd.Name,
						OldExact: dd.OldExact, NewExact: dd.NewExact, ChangePP: dd.ChangePP})
				}
			}
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

func diffRules(oh, nh *result.Host) []result.RuleDiff {
	oldRules := map[string]*result.Rule{}
	for i := range oh.Rules {
		oldRules[oh.Rules[i].Rule] = &oh.Rules[i]
	}
	newRules := map[string]*result.Rule{}
	for i := range nh.Rules {
		newRules[nh.Rules[i].Rule] = &nh.Rules[i]
	}
	var labels []string
	for _, r := range oh.Rules {
		labels = append(labels, r.Rule)
	}
	for _, r := range nh.Rules {
		if oldRules[r.Rule] == nil {
			labels = append(labels, r.Rule)
		}
	}
	out := []result.RuleDiff{}
	for _, l := range labels {
		or, nr := oldRules[l], newRules[l]
		rd := result.RuleDiff{Rule: l}
		switch {
		case or == nil:
			rd.Change = result.ChangeAdded
			or = &result.Rule{}
		case nr == nil:
			rd.Change = result.ChangeRemoved
			nr = &result.Rule{}
		case or.Action != nr.Action || or.Status != nr.Status || or.Unreachable != nr.Unreachable:
			rd.Change = result.ChangeRouted
		}
		rd.OldSource, rd.NewSource = or.Source, nr.Source
		rd.OldAction, rd.NewAction = actionText(or), actionText(nr)
		rd.OldRequests, rd.NewRequests = or.Requests, nr.Requests
		rd.Destinations = diffDestinations(toShares(or.Destinations, or.Requests, countsOf(or.Destinations)),
			toShares(nr.Destinations, nr.Requests, countsOf(nr.Destinations)))
		out = append(out, rd)
	}
	return out
}

func actionText(r *result.Rule) string {
	switch {
	case r.Action == "":
		return ""
	case r.Unreachable:
		return r.Action + " (unreachable)"
	case r.Status != 0:
		return fmt.Sprintf("%s %d", r.Action, r.Status)
	}
	return r.Action
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
		key := fmt.Sprintf("%s|%s|%d", d.Host, d.Subset, d.Port)
		j, ok := index[key]
		if !ok {
			j = len(out)
			index[key] = j
			out = append(out, share{key: key, host: d.Host, subset: d.Subset, port: d.Port, status: d.Status})
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
		dd.Host, dd.Subset, dd.Port = base.host, base.subset, base.port
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
	for i := range old {
		inOld[old[i].key] = true
		add(&old[i], byKey[old[i].key])
	}
	for i := range new {
		if !inOld[new[i].key] {
			add(nil, &new[i])
		}
	}
	nameDestinations(out)
	return out
}

// nameDestinations gives each destination a short name: its subset, or host:port, or host; the host
// is added when two destinations of the list would get the same name.
func nameDestinations(ds []result.DestinationDiff) {
	short := func(d result.DestinationDiff) string {
		switch {
		case d.Subset != "":
			return d.Subset
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
	oldC := map[string]*result.Class{}
	for i := range old.Classes {
		oldC[old.Classes[i].Name] = &old.Classes[i]
	}
	newC := map[string]*result.Class{}
	for i := range new.Classes {
		newC[new.Classes[i].Name] = &new.Classes[i]
	}
	var names []string
	for _, c := range old.Classes {
		names = append(names, c.Name)
	}
	for _, c := range new.Classes {
		if oldC[c.Name] == nil {
			names = append(names, c.Name)
		}
	}
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
