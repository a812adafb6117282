package verify

import (
	"fmt"
	"math"
	"strconv"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/sim"
	"github.com/splitsim/splitsim/stats"
)

// RunInput is everything a run result is made from.
type RunInput struct {
	Files    []string
	Scenario string
	Seed     uint64
	Requests int64
	Alpha    float64
	Table    *sim.Table
	Groups   []sim.Group
	Sim      *sim.Result
	Warnings []string
}

type ruleKey struct{ host, rule int }

// faultCounts are a rule's aborted and delayed requests and mirrored copies, summed over classes.
type faultCounts struct {
	aborted, delayed int64
	mirrored         []int64
}

// tally is what a run's request classes did, summed per host and rule.
type tally struct {
	in        RunInput
	hostIndex map[string]int
	counts    map[ruleKey][]int64
	requests  map[ruleKey]int64
	faults    map[ruleKey]*faultCounts
	series    map[ruleKey][]result.Point
	unmatched []int64
	hostReq   []int64
}

// Run builds the result of `splitsim run`: per host and rule, the counts per destination with their
// Wilson interval at confidence 1-alpha and a Pearson test against the configured shares. The verdict
// fails when a test rejects after Holm's correction across all tests of the run, so a correct
// configuration with many rules fails only with probability alpha.
func Run(in RunInput) *result.Run {
	out := &result.Run{Header: result.NewHeader(result.KindRun), Files: in.Files, Scenario: in.Scenario,
		Seed: in.Seed, Requests: in.Requests, Alpha: in.Alpha, Method: in.Sim.Method, Verdict: result.Pass,
		Warnings: append([]string{}, in.Warnings...)}
	t := newTally(in)
	for gi, g := range in.Sim.Groups {
		for ci, c := range g.Classes {
			rc := t.add(g, ci, c, out)
			if len(in.Groups) > 1 || len(in.Groups[gi].Classes) > 1 {
				out.Classes = append(out.Classes, rc)
			}
		}
	}
	var tests []*result.Test
	for hi, h := range in.Table.Hosts {
		rh := result.Host{Host: h.Name, From: h.From, Callers: h.Callers, DecidedBy: h.DecidedBy, Requests: t.hostReq[hi], Unmatched: t.unmatched[hi]}
		for ri, r := range h.Rules {
			rr := t.rule(ruleKey{hi, ri}, r, &rh)
			rr.Match = matchBlocks(h, ri)
			if rr.Test != nil {
				tests = append(tests, rr.Test)
			}
			rh.Rules = append(rh.Rules, rr)
			for _, m := range rr.Mirrors {
				rh.Mirrored = addSaturating(rh.Mirrored, m.Count)
			}
		}
		out.Mirrored = addSaturating(out.Mirrored, rh.Mirrored)
		out.Hosts = append(out.Hosts, rh)
	}
	out.SelfTest = result.Pass
	if !holm(tests, in.Alpha) {
		out.SelfTest = result.Fail
	}
	out.Problems = problems(out.Hosts)
	out.Warnings = append(out.Warnings, faultAborts(out.Hosts)...)
	out.Verdict = Verdict(out)
	return out
}

// faultAborts says, for each rule whose fault injection aborted simulated requests, how many and
// with which status: configured on purpose, so not a problem of the verdict, but a share of the
// traffic that gets an error and no destination, which a passing verdict should not hide.
func faultAborts(hosts []result.Host) []string {
	var out []string
	for _, h := range hosts {
		for _, r := range h.Rules {
			if r.Fault == nil || r.Fault.Abort == nil || r.Fault.Abort.Count == 0 {
				continue
			}
			a := r.Fault.Abort
			status := strconv.Itoa(a.Status)
			if a.GRPCStatus != "" {
				status = "gRPC " + a.GRPCStatus
			}
			out = append(out, fmt.Sprintf("%s: host %s rule %s: %s of its %s requests (%s) are aborted with %s by fault injection (configured %s)",
				r.Source, h.Host, r.Rule, format.Count(a.Count), format.Count(r.Requests), format.Percent(a.Share, 3), status, format.Percent(a.ExpectedShare, 4)))
		}
	}
	return out
}

// Verdict is a run's verdict: it fails on a problem, a failed expectation or a failed self-test.
func Verdict(r *result.Run) result.Verdict {
	if len(r.Problems) > 0 || r.SelfTest == result.Fail {
		return result.Fail
	}
	for _, c := range r.Checks {
		if !c.Passed {
			return result.Fail
		}
	}
	return result.Pass
}

// problems lists the simulated requests that the configuration answers with a 5xx (503 for a subset
// or host without cluster or pods, 500 for an invalid Gateway API backend): one line per rule
// destination that got some.
func problems(hosts []result.Host) []string {
	out := []string{}
	for _, h := range hosts {
		for _, r := range h.Rules {
			for _, d := range r.Destinations {
				if d.Status < 500 || d.Count == 0 {
					continue
				}
				why := "no cluster, flag NC"
				switch {
				case d.Flag == "UH":
					why = "no healthy upstream, flag UH"
				case d.Status == 500:
					why = "invalid backend"
				}
				unit, fate := "requests", fmt.Sprintf("get %d", d.Status)
				if r.Protocol == sim.ProtocolTCP || r.Protocol == sim.ProtocolTLS {
					unit, fate = "connections", "are closed" // Envoy's tcp_proxy has no status to answer
				}
				out = append(out, fmt.Sprintf("host %s rule %s: %s of its %s %s (%s) to %s %s (%s)",
					h.Host, r.Rule, format.Count(d.Count), format.Count(r.Forwarded), unit, format.Percent(d.Share, 3), d.Name(), fate, why))
			}
		}
	}
	return out
}

func newTally(in RunInput) *tally {
	t := &tally{in: in, hostIndex: map[string]int{}, counts: map[ruleKey][]int64{}, requests: map[ruleKey]int64{},
		series: map[ruleKey][]result.Point{}, faults: map[ruleKey]*faultCounts{}, unmatched: make([]int64, len(in.Table.Hosts)), hostReq: make([]int64, len(in.Table.Hosts))}
	for i, h := range in.Table.Hosts {
		t.hostIndex[h.Name] = i
	}
	return t
}

// add counts class ci of group g where it went, and says so as a result.Class; a class whose host
// has no VirtualService adds a warning to out.
func (t *tally) add(g sim.GroupResult, ci int, c sim.ClassResult, out *result.Run) result.Class {
	rc := result.Class{Name: c.Class, Host: c.Host, Requests: c.Requests, Counts: c.Counts}
	switch {
	case !c.HostFound:
		rc.Outcome = "404 unknown host"
		if c.Requests > 0 {
			out.Warnings = append(out.Warnings, fmt.Sprintf("class %q: no VirtualService has host %q: its %d requests get 404", c.Class, c.Host, c.Requests))
		}
		return rc
	case c.Rule < 0:
		rc.Outcome = "404 no route"
		t.unmatched[t.hostIndex[c.Host]] += c.Requests
		t.hostReq[t.hostIndex[c.Host]] += c.Requests
		return rc
	}
	h := t.hostIndex[c.Host]
	rule := t.in.Table.Hosts[h].Rules[c.Rule]
	rc.Rule = rule.Label()
	rc.Outcome = string(ActionOf(rule.Action))
	k := ruleKey{h, c.Rule}
	t.requests[k] += c.Requests
	t.hostReq[h] += c.Requests
	if c.Counts != nil {
		if t.counts[k] == nil {
			t.counts[k] = make([]int64, len(c.Counts))
		}
		for i, v := range c.Counts {
			t.counts[k][i] += v
		}
		t.series[k] = mergeSeries(t.series[k], g.Series, ci)
	}
	if a := &rule.Action; a.Fault != nil || len(a.Mirrors) > 0 {
		f := t.faults[k]
		if f == nil {
			f = &faultCounts{mirrored: make([]int64, len(a.Mirrors))}
			t.faults[k] = f
		}
		f.aborted += c.Aborted
		f.delayed += c.Delayed
		for i, m := range c.Mirrored {
			f.mirrored[i] += m
		}
	}
	return rc
}

// matchBlocks lists the match blocks of rule ri of h that have a route, in order: what a report
// shows of the rule's conditions ("" for a block that takes every request).
func matchBlocks(h *sim.Host, ri int) []string {
	var out []string
	for i := range h.Routes {
		if h.Routes[i].Rule == ri {
			out = append(out, h.Routes[i].Match.String())
		}
	}
	return out
}

// rule is the result of one rule: its destinations with counts and intervals, and a Pearson test
// when it splits between several destinations. Requests answered 503 count towards rh.NoCluster.
func (t *tally) rule(k ruleKey, r *sim.Rule, rh *result.Host) result.Rule {
	rr := result.Rule{Rule: r.Label(), Index: r.Index, Name: r.Name, Source: r.Source, Action: ActionOf(r.Action), Protocol: r.ProtocolName(),
		Requests: t.requests[k], Unreachable: r.Unreachable, Skipped: r.Skipped, Destinations: []result.Destination{}, Series: t.series[k]}
	if r.Action.Kind != sim.Forward {
		rr.Status = r.Action.Status
	}
	shares := r.Action.Shares()
	fillFunnel(rr.Series, shares)
	rr.Forwarded = rr.Requests
	if f := t.faults[k]; f != nil {
		rr.Forwarded -= f.aborted
		rr.Fault, rr.Mirrors = t.faultResult(r.Action, f, rr.Requests, rr.Forwarded)
	}
	cnt := t.counts[k]
	if cnt == nil {
		cnt = make([]int64, len(r.Action.Destinations))
	}
	positive := 0
	for i, d := range r.Action.Destinations {
		rd := result.Destination{Host: d.Host, Subset: d.Subset, Port: d.Port, Cluster: d.Cluster, Weight: d.Weight,
			ExpectedShare: shares[i], Count: cnt[i], Status: d.Status, Flag: d.Flag, Endpoints: d.Endpoints}
		rd.Label = rd.Name()
		if rr.Forwarded > 0 {
			rd.Share = float64(cnt[i]) / float64(rr.Forwarded)
			rd.CILow, rd.CIHigh = stats.Wilson(cnt[i], rr.Forwarded, 1-t.in.Alpha)
		}
		switch {
		case d.Status == 503 && d.Flag == "NC":
			rh.NoCluster += cnt[i]
		case d.Status == 503 && d.Flag == "UH":
			rh.NoHealthy += cnt[i]
		}
		if d.EnvoyWeight > 0 {
			positive++
		}
		rr.Destinations = append(rr.Destinations, rd)
	}
	if r.Action.Kind == sim.Forward && positive > 1 && rr.Forwarded > 0 {
		ts := stats.Pearson(cnt, shares)
		rr.Test = &result.Test{Method: ts.Method, Statistic: ts.Statistic, DF: ts.DF, PValue: ts.PValue, Log10P: ts.Log10P, Warnings: ts.Warnings}
	}
	return rr
}

// faultResult is a rule's fault injection and mirrors as the result reports them: shares of the
// rule's requests (abort, delay) and of its forwarded requests (mirrors).
func (t *tally) faultResult(a sim.Action, f *faultCounts, requests, forwarded int64) (*result.Fault, []result.Mirror) {
	part := func(fr *sim.Fraction, count, n int64) *result.FaultPart {
		p := &result.FaultPart{ExpectedShare: fr.P(), Count: count}
		if n > 0 {
			p.Share = float64(count) / float64(n)
			p.CILow, p.CIHigh = stats.Wilson(count, n, 1-t.in.Alpha)
		}
		return p
	}
	var out *result.Fault
	if fa := a.Fault; fa != nil {
		out = &result.Fault{}
		if fa.Abort != nil {
			out.Abort = part(fa.Abort, f.aborted, requests)
			out.Abort.Status, out.Abort.GRPCStatus = fa.AbortStatus, fa.AbortGRPC
		}
		if fa.Delay != nil {
			out.Delay = part(fa.Delay, f.delayed, requests)
			out.Delay.FixedDelay = fa.FixedDelay
		}
	}
	var mirrors []result.Mirror
	for i, m := range a.Mirrors {
		rm := result.Mirror{Name: result.Destination{Host: m.Host, Subset: m.Subset}.Name(), Host: m.Host, Subset: m.Subset, Cluster: m.Cluster, ExpectedShare: m.Fraction.P(), Count: f.mirrored[i]}
		if forwarded > 0 {
			rm.Share = float64(f.mirrored[i]) / float64(forwarded)
		}
		mirrors = append(mirrors, rm)
	}
	return out, mirrors
}

// ActionOf is the result action of a table action.
func ActionOf(a sim.Action) result.Action {
	if a.Endpoints {
		return result.ActionEndpoints
	}
	return result.Action(a.Kind.String())
}

// holm sets each test's Holm-adjusted p-value and verdict at alpha, and reports whether all pass.
func holm(tests []*result.Test, alpha float64) bool {
	ps := make([]float64, len(tests))
	for i, t := range tests {
		ps[i] = t.PValue
	}
	adj := stats.Holm(ps)
	pass := true
	for i, t := range tests {
		t.PAdjusted = adj[i]
		t.Passed = adj[i] >= alpha
		pass = pass && bool(t.Passed)
	}
	return pass
}

// mergeSeries adds class ci's checkpoints of a group to a rule's series.
func mergeSeries(dst []result.Point, src []sim.Checkpoint, ci int) []result.Point {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make([]result.Point, len(src))
		for i, cp := range src {
			dst[i] = result.Point{Counts: make([]int64, len(cp.Counts[ci]))}
		}
	}
	for i, cp := range src {
		if i >= len(dst) {
			break
		}
		dst[i].Requests += cp.Classes[ci]
		for j, v := range cp.Counts[ci] {
			dst[i].Counts[j] += v
		}
	}
	return dst
}

// fillFunnel adds to each checkpoint of a rule's series the observed shares and the funnel of the
// configured shares: plus or minus result.FunnelSigmas standard errors sqrt(p(1-p)/n), clipped to [0, 1].
func fillFunnel(series []result.Point, shares []float64) {
	for i := range series {
		pt := &series[i]
		if pt.Requests <= 0 || len(pt.Counts) != len(shares) {
			continue
		}
		n := float64(pt.Requests)
		pt.Shares = make([]float64, len(shares))
		pt.FunnelLow = make([]float64, len(shares))
		pt.FunnelHigh = make([]float64, len(shares))
		for j, p := range shares {
			pt.Shares[j] = float64(pt.Counts[j]) / n
			half := result.FunnelSigmas * math.Sqrt(p*(1-p)/n)
			pt.FunnelLow[j] = math.Max(0, p-half)
			pt.FunnelHigh[j] = math.Min(1, p+half)
		}
	}
}

// addSaturating is a+b for counts, at most math.MaxInt64: mirrored copies can outnumber the requests
// (several mirrors per rule) and must not wrap to a negative total.
func addSaturating(a, b int64) int64 {
	if b > math.MaxInt64-a {
		return math.MaxInt64
	}
	return a + b
}
