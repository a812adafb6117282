package verify

import (
	"fmt"
	"math"

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

// Run builds the result of `splitsim run`: per host and rule, the counts per destination with their
// Wilson interval at confidence 1-alpha and a Pearson test against the configured shares. The verdict
// fails when a test rejects after Holm's correction across all tests of the run, so a correct
// configuration with many rules fails only with probability alpha.
func Run(in RunInput) *result.Run {
	out := &result.Run{Tool: "splitsim", Version: result.Version, Files: in.Files, Scenario: in.Scenario,
		Seed: in.Seed, Requests: in.Requests, Alpha: in.Alpha, Method: in.Sim.Method, Verdict: result.Pass,
		Warnings: append([]string{}, in.Warnings...)}
	hostIndex := map[string]int{}
	for i, h := range in.Table.Hosts {
		hostIndex[h.Name] = i
	}
	counts := map[ruleKey][]int64{}
	requests := map[ruleKey]int64{}
	series := map[ruleKey][]result.Point{}
	unmatched := make([]int64, len(in.Table.Hosts))
	hostReq := make([]int64, len(in.Table.Hosts))
	for gi, g := range in.Sim.Groups {
		for ci, c := range g.Classes {
			rc := result.Class{Name: c.Class, Host: c.Host, Requests: c.Requests, Counts: c.Counts}
			switch {
			case !c.HostFound:
				rc.Outcome = "404 unknown host"
				if c.Requests > 0 {
					out.Warnings = append(out.Warnings, fmt.Sprintf("class %q: no VirtualService has host %q: its %d requests get 404", c.Class, c.Host, c.Requests))
				}
			case c.Rule < 0:
				rc.Outcome = "404 no route"
				unmatched[hostIndex[c.Host]] += c.Requests
				hostReq[hostIndex[c.Host]] += c.Requests
			default:
				h := hostIndex[c.Host]
				rule := in.Table.Hosts[h].Rules[c.Rule]
				rc.Rule = rule.Label()
				rc.Outcome = rule.Action.Kind.String()
				k := ruleKey{h, c.Rule}
				requests[k] += c.Requests
				hostReq[h] += c.Requests
				if c.Counts != nil {
					if counts[k] == nil {
						counts[k] = make([]int64, len(c.Counts))
					}
					for i, v := range c.Counts {
						counts[k][i] += v
					}
					series[k] = mergeSeries(series[k], g.Series, ci)
				}
			}
			if len(in.Groups) > 1 || len(in.Groups[gi].Classes) > 1 {
				out.Classes = append(out.Classes, rc)
			}
		}
	}
	var tests []*result.Test
	for hi, h := range in.Table.Hosts {
		rh := result.Host{Host: h.Name, Requests: hostReq[hi], Unmatched: unmatched[hi]}
		for ri, r := range h.Rules {
			k := ruleKey{hi, ri}
			rr := result.Rule{Rule: r.Label(), Index: r.Index, Name: r.Name, Source: r.Source, Action: r.Action.Kind.String(),
				Requests: requests[k], Unreachable: r.Unreachable, Destinations: []result.Destination{}, Series: series[k]}
			if r.Action.Kind != sim.Forward {
				rr.Status = r.Action.Status
			}
			shares := r.Action.Shares()
			fillFunnel(rr.Series, shares)
			cnt := counts[k]
			if cnt == nil {
				cnt = make([]int64, len(r.Action.Destinations))
			}
			conf := 1 - in.Alpha
			positive := 0
			for i, d := range r.Action.Destinations {
				rd := result.Destination{Host: d.Host, Subset: d.Subset, Port: d.Port, Cluster: d.Cluster, Weight: d.Weight,
					ExpectedShare: shares[i], Count: cnt[i], Status: d.Status, Flag: d.Flag}
				if rr.Requests > 0 {
					rd.Share = float64(cnt[i]) / float64(rr.Requests)
					rd.CILow, rd.CIHigh = stats.Wilson(cnt[i], rr.Requests, conf)
				}
				if d.Status == 503 {
					rh.NoCluster += cnt[i]
				}
				if d.EnvoyWeight > 0 {
					positive++
				}
				rr.Destinations = append(rr.Destinations, rd)
			}
			if r.Action.Kind == sim.Forward && positive > 1 && rr.Requests > 0 {
				t := stats.Pearson(cnt, shares)
				rr.Test = &result.Test{Method: t.Method, Statistic: t.Statistic, DF: t.DF, PValue: t.PValue, Log10P: t.Log10P, Warnings: t.Warnings}
				tests = append(tests, rr.Test)
			}
			rh.Rules = append(rh.Rules, rr)
		}
		out.Hosts = append(out.Hosts, rh)
	}
	ps := make([]float64, len(tests))
	for i, t := range tests {
		ps[i] = t.PValue
	}
	adj := stats.Holm(ps)
	for i, t := range tests {
		t.PAdjusted = adj[i]
		t.Passed = adj[i] >= in.Alpha
		if !t.Passed {
			out.Verdict = result.Fail
		}
	}
	return out
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
