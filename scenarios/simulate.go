package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/sim"
	"github.com/splitsim/splitsim/verify"
)

// SimOptions are the simulation settings of run, test and diff.
type SimOptions struct {
	Requests int64   // requests (per rule without a traffic section) unless the scenario sets them
	Seed     uint64  // seed unless the scenario sets one
	Alpha    float64 // significance level of the run's tests
	Host     string  // simulate only this host ("" for all)
	// From is the caller whose routing is simulated (nil: every caller view of the inputs); test
	// applies it to every scenario, run and diff set it on the Inputs.
	From *mesh.Caller
	// RequestsSet and SeedSet say that Requests and Seed were given on the command line: they then
	// win over the scenario's own values.
	RequestsSet, SeedSet bool
	// Method is the simulation method: auto (default), per-request or multinomial.
	Method string
	// Progress, when set, is started with the number of requests to simulate and a counter of those
	// done; the function it returns is called when the simulation ends.
	Progress func(total int64, done *atomic.Int64) (stop func())
}

// Simulate goes from loaded inputs to a run result: it picks the host, the request count and the
// seed (the scenario's unless the options set them), builds the traffic (the scenario's classes, or
// synthesized requests for every rule), runs the simulator, checks the counts and evaluates the
// scenario's routing expectations (Checks), which decide the verdict with the run's problems.
func Simulate(in *Inputs, opts SimOptions) (*result.Run, error) {
	table := in.Translation.Table
	if opts.Host != "" {
		h, err := verify.LookupHost(table, opts.Host)
		if err != nil {
			return nil, err
		}
		table = &sim.Table{Hosts: []*sim.Host{h}}
	}
	sc := in.Scenario()
	n, s, name := opts.Requests, opts.Seed, ""
	if sc != nil {
		name = sc.Name
		if sc.Spec.Requests > 0 && !opts.RequestsSet {
			n = sc.Spec.Requests
		}
		if sc.Spec.Seed != nil && !opts.SeedSet {
			s = *sc.Spec.Seed
		}
	}
	var groups []sim.Group
	warnings := in.Warnings
	if sc != nil && len(sc.Spec.Traffic) > 0 {
		classes := sc.Classes()
		var w []string
		var err error
		if table, w, err = callerHosts(in, table, classes); err != nil {
			return nil, err
		}
		servedHosts(table, classes)
		warnings = dedupe(append(append(warnings, w...), unreachableRules(table)...))
		groups = []sim.Group{{Name: sc.Name, Classes: classes, Requests: n}}
	} else {
		var w []string
		groups, w = PerRuleTraffic(table, n)
		warnings = append(warnings, append(w, emptyView(table, in.From)...)...)
	}
	res, err := runGroups(table, groups, sim.Options{Seed: s, Series: true, Method: opts.Method}, opts.Progress)
	if err != nil {
		return nil, err
	}
	run := verify.Run(verify.RunInput{Files: in.Files, Scenario: name, Seed: s, Requests: n,
		Alpha: opts.Alpha, Table: table, Groups: groups, Sim: res, Warnings: warnings})
	if sc != nil && sc.Spec.Expect.RouteCount() > 0 {
		alpha := opts.Alpha
		if sc.Spec.Expect.Alpha > 0 {
			alpha = sc.Spec.Expect.Alpha
		}
		checks, err := Evaluate(sc, run, EvalOptions{Alpha: alpha, Seed: run.Seed})
		if err != nil {
			return nil, err
		}
		run.Checks = checks
		run.Verdict = verify.Verdict(run)
	}
	return run, nil
}

// callerHosts points each class sent by a caller of its own (class.From, other than the table's
// caller) at that caller's view of its host: a table host of that view when the table has one (a
// run of every caller view), else the caller's view is translated and its host added to the table
// under the name a run of every caller would give it ("HOST@NS/GATEWAY", "HOST@sidecar:..."). It
// returns the table with those hosts and the translations' warnings.
func callerHosts(in *Inputs, table *sim.Table, classes []sim.Class) (*sim.Table, []string, error) {
	views := map[string]*mesh.Translation{}
	var warnings []string
	out := table
	for i := range classes {
		c := &classes[i]
		if c.From == "" || in.From != nil && in.From.String() == c.From {
			continue
		}
		if h := viewHost(out, c.From, c.Host); h != nil {
			c.Host = h.Name
			continue
		}
		tr := views[c.From]
		if tr == nil {
			from, err := mesh.ParseCaller(c.From)
			if err != nil {
				return nil, nil, fmt.Errorf("class %s: %v", c.Name, err)
			}
			if tr, err = mesh.TranslateFrom(in.Config, from); err != nil {
				return nil, nil, err
			}
			views[c.From] = tr
			warnings = append(warnings, tr.Warnings...)
		}
		h := tr.Table.Serve(c.Host)
		if h == nil {
			return nil, nil, fmt.Errorf("class %s: caller %s has no route or Service for host %s (it sees: %s)", c.Name, c.From, c.Host, verify.HostNames(tr.Table))
		}
		name := h.Name + "@" + strings.TrimPrefix(c.From, "gateway:")
		if out.Lookup(name) == nil {
			if out == table {
				out = &sim.Table{Hosts: append([]*sim.Host(nil), table.Hosts...)}
			}
			cp := *h
			cp.Name = name
			out.Hosts = append(out.Hosts, &cp)
		}
		c.Host = name
	}
	return out, warnings, nil
}

// viewHost is the table host that caller from gets for host (by name as routes spell it, or fully
// qualified), or nil.
func viewHost(t *sim.Table, from, host string) *sim.Host {
	for _, h := range t.Hosts {
		base, _, _ := strings.Cut(h.Name, "@")
		if slices.Contains(h.Callers, from) && (base == host || h.FQDN == host) {
			return h
		}
	}
	return nil
}

// servedHosts points each class whose host is not a table host by name at the host that serves it
// as Envoy matches domains (sim.Table.Serve: "a.example.com" is served by "*.example.com"); the
// request keeps its authority.
func servedHosts(table *sim.Table, classes []sim.Class) {
	for i := range classes {
		c := &classes[i]
		if table.Lookup(c.Host) == nil {
			if h := table.Serve(c.Host); h != nil {
				c.Host = h.Name
			}
		}
	}
}

// runGroups runs the simulator, with a progress indication when one is asked for.
func runGroups(table *sim.Table, groups []sim.Group, o sim.Options, progress func(int64, *atomic.Int64) func()) (*sim.Result, error) {
	if progress != nil {
		var total int64
		for _, g := range groups {
			total += g.Requests
		}
		o.Done = new(atomic.Int64)
		defer progress(total, o.Done)()
	}
	return sim.Run(table, groups, o)
}

// emptyView warns when the caller's view has no host at all, so that a run that simulates nothing
// says why instead of passing in silence: no route of the inputs applies to the caller (a
// VirtualService bound to a gateway only, exportTo, another gateway) and, for a sidecar, the inputs
// hold no pods of a Service it could call.
func emptyView(t *sim.Table, from *mesh.Caller) []string {
	if len(t.Hosts) > 0 {
		return nil
	}
	switch {
	case from == nil:
		return []string{"nothing simulated: no route of the inputs applies to any caller, and they hold no pods of a Service"}
	case from.IsGateway():
		return []string{fmt.Sprintf("nothing simulated: no route of the inputs applies to caller %s (a gateway routes only what is bound to it)", from)}
	}
	return []string{fmt.Sprintf("nothing simulated: no route of the inputs applies to caller %s, and they hold no pods of a Service it can call (without a route, a sidecar's requests are split over the Service's pods)", from)}
}

// PerRuleTraffic gives every reachable rule its own group of n requests, synthesized to satisfy the
// rule's first match block (a plain GET / for a catch-all rule). The warnings name unreachable
// rules and rules whose synthesized request lands elsewhere.
func PerRuleTraffic(t *sim.Table, n int64) ([]sim.Group, []string) {
	var groups []sim.Group
	var warnings []string
	for _, h := range t.Hosts {
		first := map[int]int{} // rule -> first route
		for i, r := range h.Routes {
			if _, ok := first[r.Rule]; !ok {
				first[r.Rule] = i
			}
		}
		for ri, rule := range h.Rules {
			route, ok := first[ri]
			if !ok && rule.Skipped != "" {
				warnings = append(warnings, fmt.Sprintf("%s: host %s rule %s gets no requests: %s", rule.Source, h.Name, rule.Label(), rule.Skipped))
				continue
			}
			if !ok {
				warnings = append(warnings, unreachableWarning(h, rule))
				continue
			}
			req, w := synthesize(h, ri, route)
			warnings = append(warnings, w...)
			groups = append(groups, sim.Group{Name: h.Name + " " + rule.Label(), Requests: n,
				Classes: []sim.Class{{Name: h.Name + " " + rule.Label(), Host: h.Name, Request: req, Weight: 1}}})
		}
	}
	return groups, warnings
}

// unreachableRules warns of each rule that no request can reach, because an earlier catch-all
// rule takes every request (istio pilot route.go BuildHTTPRoutesForVirtualService stops at the
// first catch-all; istioctl analyze's IST0130): with scenario traffic as without, a rule shadowed
// this way is worth a warning under the verdict even when no class is meant for it.
func unreachableRules(t *sim.Table) []string {
	var warnings []string
	for _, h := range t.Hosts {
		routed := map[int]bool{}
		for _, r := range h.Routes {
			routed[r.Rule] = true
		}
		for ri, rule := range h.Rules {
			if !routed[ri] && rule.Skipped == "" {
				warnings = append(warnings, unreachableWarning(h, rule))
			}
		}
	}
	return warnings
}

// unreachableWarning says that no request of the host's caller reaches the rule. When the
// catch-all before it is one only for this caller (its match block's sourceLabels, gateways,
// sourceNamespace or port hold for the caller), other callers may reach the rule, so it is not
// Istio's IST0130, which the analyzer reports for a rule no caller reaches.
func unreachableWarning(h *sim.Host, rule *sim.Rule) string {
	if n := len(h.Routes); n > 0 && h.Routes[n-1].ByCaller != "" {
		last := h.Routes[n-1]
		return fmt.Sprintf("%s: host %s rule %s is not reached by %s: rule %s takes every request of this caller (its match on %s holds for it)",
			rule.Source, h.Name, rule.Label(), callerName(h), h.Rules[last.Rule].Label(), last.ByCaller)
	}
	return fmt.Sprintf("%s: host %s rule %s is unreachable: an earlier catch-all rule takes every request (istioctl analyze: IST0130)", rule.Source, h.Name, rule.Label())
}

// callerName is the caller of a host's view for a message: its From, or "this caller".
func callerName(h *sim.Host) string {
	if h.From == "" {
		return "this caller"
	}
	return h.From
}

// synthesize makes a request for the first match block (route) of rule ri of h, with a warning when
// it cannot or when an earlier rule takes it.
func synthesize(h *sim.Host, ri, route int) (sim.Request, []string) {
	rule := h.Rules[ri]
	req, matches := h.Routes[route].Match.Synthesize(h.Name)
	if !matches {
		return req, []string{fmt.Sprintf("%s: host %s rule %s: could not synthesize a request for its first match block; the requests sent may land elsewhere", rule.Source, h.Name, rule.Label())}
	}
	if got := h.Route(&req); got >= 0 && h.Routes[got].Rule != ri {
		return req, []string{fmt.Sprintf("%s: host %s rule %s: a request made for its first match block is taken by the earlier rule %s", rule.Source, h.Name, rule.Label(), h.Rules[h.Routes[got].Rule].Label())}
	}
	return req, nil
}

// dedupe drops repeated warnings, keeping the first of each.
func dedupe(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
