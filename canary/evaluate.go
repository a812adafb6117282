package canary

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/sim"
	"github.com/splitsim/splitsim/stats"
)

// Options are the traffic and statistical assumptions of an evaluation.
type Options struct {
	// RPS is the number of requests per second reaching the route (a step's own RPS wins).
	RPS float64
	// Users is the number of active users; UserModel ("even", "uniform" or "zipf") says how
	// requests are spread over them, ZipfExponent the skew of "zipf".
	Users        int
	UserModel    string
	ZipfExponent float64
	// BaselineErrorRate is the stable version's error rate, DetectErrorRate the canary error rate
	// the plan should detect.
	BaselineErrorRate float64
	DetectErrorRate   float64
	// Alpha is the significance level of the tests behind the power figures; intervals are at
	// confidence 1-Alpha.
	Alpha float64
	// RequirePower, when > 0, is the power every step that can be checked must reach; a step that
	// falls short is an error finding. Otherwise short steps are warnings against a target of 0.8.
	RequirePower float64
	// Seed of the simulation's random streams.
	Seed uint64
	// Files and Version are copied into the result.
	Files   []string
	Version string
}

// DefaultTargetPower is the power that figures aim at when no power is required.
const DefaultTargetPower = 0.8

// Descriptions of the tests behind the power figures, as written into results.
const (
	ErrorRateTestName = "two-sided pooled two-proportion z-test between canary and stable requests at level alpha (normal approximation, Fleiss; stats.TwoProportionPower), on the expected counts rps x duration x share"
	SplitTestName     = "Pearson chi-square goodness-of-fit test of the route's split at level alpha; power 0.8 from the noncentral chi-square distribution; deviation = share moved between canary and stable"
)

func (o Options) validate() error {
	switch {
	case !(o.RPS > 0) || math.IsInf(o.RPS, 0):
		return fmt.Errorf("rps must be a positive number of requests per second, got %v", o.RPS)
	case !(o.Alpha > 0 && o.Alpha < 1):
		return fmt.Errorf("alpha must be between 0 and 1, got %v", o.Alpha)
	case !(o.BaselineErrorRate > 0 && o.BaselineErrorRate < 1):
		return fmt.Errorf("baseline error rate must be between 0 and 1, got %v", o.BaselineErrorRate)
	case !(o.DetectErrorRate > 0 && o.DetectErrorRate < 1):
		return fmt.Errorf("detect error rate must be between 0 and 1, got %v", o.DetectErrorRate)
	case o.DetectErrorRate == o.BaselineErrorRate:
		return fmt.Errorf("detect error rate must differ from the baseline error rate (both %v)", o.BaselineErrorRate)
	case !(o.RequirePower >= 0 && o.RequirePower < 1):
		return fmt.Errorf("required power must be between 0 and 1, got %v", o.RequirePower)
	}
	return nil
}

// maxStepRequests bounds the requests simulated in one step (rps x duration), to keep a run within
// seconds; a plan above it is refused with an explanation rather than left running for hours.
const maxStepRequests = 2_000_000_000

// Evaluate simulates every step of the plan through the simulator and computes the per-step
// figures, findings and totals of `splitsim plan`.
//
//  1. Each step's weights are written into the plan's route the way the controller does (canary
//     w, stable 100-w minus experiment weights, other destinations removed); a weight Istio would
//     reject (negative, or a total of 0) leaves the previous weights in place, as the rejected update
//     would.
//  2. The rewritten VirtualService is translated by package mesh with Istio's semantics and the
//     step's requests (rps x duration) are simulated through sim.Run, spread over the users.
//  3. Power figures use the expected counts; the users figures come from the simulation.
func Evaluate(p *Plan, o Options) (*result.Plan, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if p.vs == nil {
		return nil, errors.New("plan has no route to drive")
	}
	um, err := newUserModel(o.UserModel, o.Users, o.ZipfExponent)
	if err != nil {
		return nil, err
	}
	target := DefaultTargetPower
	if o.RequirePower > 0 {
		target = o.RequirePower
	}
	out := &result.Plan{Tool: "splitsim", Version: o.Version, Files: o.Files, Kind: p.Kind, Name: p.Name, Source: p.Source,
		VirtualService: p.VirtualService, Host: p.Host, Route: p.Route, Canary: p.Canary.String(), Stable: p.Stable.String(),
		Seed: o.Seed, Alpha: o.Alpha, RPS: o.RPS, Users: o.Users, UserModel: um.name(),
		BaselineErrorRate: o.BaselineErrorRate, DetectErrorRate: o.DetectErrorRate, RequirePower: o.RequirePower, TargetPower: target,
		ErrorRateTest: ErrorRateTestName, SplitTest: SplitTestName, Verdict: result.Pass,
		Findings: []result.PlanFinding{}, Steps: []result.PlanStep{}, Warnings: append([]string{}, p.Warnings...)}
	out.Assumptions = append(out.Assumptions,
		fmt.Sprintf("traffic: %g requests per second reach route %s of %s (host %s)", o.RPS, p.Route, p.VirtualService, p.Host),
		"users: "+um.describe(),
		fmt.Sprintf("error rates: stable %s%%, broken canary %s%%", fmtPct(100*o.BaselineErrorRate), fmtPct(100*o.DetectErrorRate)))
	out.Assumptions = append(out.Assumptions, p.Assumptions...)
	findings := append([]Finding{}, p.Findings...)
	add := func(code string, sev Severity, step int, source, format string, args ...any) {
		findings = append(findings, Finding{Code: code, Severity: sev, Step: step, Source: source, Message: fmt.Sprintf(format, args...)})
	}

	scale := weightScale(p.Steps)
	if scale != 1 {
		out.Assumptions = append(out.Assumptions, fmt.Sprintf("fractional weights: Istio weights are integers, so every weight is multiplied by %g (e.g. 0.5%% becomes 50 out of 10000)", scale))
	}
	applied := proto.Clone(p.vs.Spec).(*networking.VirtualService)
	reported := map[string]bool{}
	warned := map[string]bool{}
	misrouted := false
	sawC := make([]bool, o.Users)
	sawS := make([]bool, o.Users)
	var start float64
	var cumCanaryReq int64
	detecting := -1
	var failed float64
	for i, st := range p.Steps {
		rps := o.RPS
		if st.RPS > 0 {
			rps = st.RPS
		}
		secs := st.Duration.Seconds()
		expected := rps * secs
		if math.Round(expected) > maxStepRequests {
			return nil, fmt.Errorf("step %d: %g requests per second for %s is %.3g requests; splitsim simulates at most %d per step", i, rps, format.Duration(st.Duration), expected, maxStepRequests)
		}
		n := int64(math.Round(expected))

		// 1. Weights, as the controller writes them and as Istio accepts them.
		rejected := false
		switch {
		case st.StableWeight < 0:
			rejected = true
			add(CodeStableWeightNegative, SeverityError, i, st.Source, "stable weight would be %s (100 - canary %s - experiments): Istio rejects a negative weight (\"weight %d < 0\"), so the route keeps its previous weights (argo-rollouts #4424)",
				fmtPct(st.StableWeight), fmtPct(st.Weight), int64(math.Round(st.StableWeight*scale)))
		default:
			next := proto.Clone(applied).(*networking.VirtualService)
			zero := false
			for _, r := range p.Rules {
				if r >= len(next.Http) {
					continue
				}
				dests := p.rewrite(p.vs.Spec.Http[r].GetRoute(), st, scale)
				var sum int64
				for _, d := range dests {
					sum += int64(d.GetWeight())
				}
				if len(dests) > 1 && sum == 0 {
					zero = true
				}
				next.Http[r].Route = dests
			}
			if zero {
				rejected = true
				add(CodeTotalWeightZero, SeverityError, i, st.Source, "every destination of the route would get weight 0: Istio rejects it (\"total destination weight = 0\"), so the route keeps its previous weights (argo-rollouts #3141)")
			} else {
				applied = next
			}
		}

		// 2. Translate and simulate.
		cfg := &mesh.Config{VirtualServices: []*mesh.VirtualService{{Document: p.vs.Document, Spec: applied}}}
		if p.cfg != nil {
			cfg.DestinationRules, cfg.Services = p.cfg.DestinationRules, p.cfg.Services
		}
		tr, err := mesh.Translate(cfg)
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", i, err)
		}
		for _, w := range tr.Warnings {
			if !warned[w] {
				warned[w] = true
				out.Warnings = append(out.Warnings, w)
			}
		}
		h, gateway := tableHost(tr.Table, p.Host)
		if h == nil {
			return nil, fmt.Errorf("step %d: host %s not found in the translated VirtualService", i, p.Host)
		}
		if gateway != "" && i == 0 {
			out.Assumptions = append(out.Assumptions, fmt.Sprintf("gateway: %s is bound to gateway %s and not to the mesh, so the plan's traffic enters through that gateway", p.VirtualService, gateway))
		}
		ruleIdx := p.Rules[0]
		req := sim.Request{Method: "GET", Scheme: "http", Path: "/", Authority: p.Host, Headers: map[string]string{}, Query: map[string]string{}}
		routed := false
		for _, r := range h.Routes {
			if r.Rule == ruleIdx {
				if q, ok := r.Match.Synthesize(p.Host); ok {
					req, routed = q, true
				}
				break
			}
		}
		if got := h.Route(&req); !misrouted && (!routed || got < 0 || h.Routes[got].Rule != ruleIdx) {
			misrouted = true
			where := "no rule (404)"
			if got >= 0 {
				where = "rule " + h.Rules[h.Routes[got].Rule].Label()
			}
			add(CodeRequestMisrouted, SeverityWarning, i, h.Rules[ruleIdx].Source, "a request made for route %s of %s is taken by %s; the plan's traffic is simulated where it really goes", p.Route, p.VirtualService, where)
		}
		rule := h.Rules[ruleIdx]
		roles := p.roles(rule)
		shares := rule.Action.Shares()
		ps := result.PlanStep{Index: i, Weight: st.Weight, StableWeight: st.StableWeight, Start: start, Duration: secs,
			DurationAssumed: st.DurationAssumed, Ends: string(st.Ends), Source: st.Source, Note: st.Note, RPS: rps, Requests: n}
		if rejected {
			ps.Note += "; rejected by Istio: previous weights kept"
		}
		var pc, pstable float64
		positive := 0
		for j, d := range rule.Action.Destinations {
			ps.Weights = append(ps.Weights, result.PlanWeight{Name: d.Name(), Role: roles[j], Weight: d.Weight, ExpectedShare: shares[j], Status: d.Status})
			switch roles[j] {
			case roleCanary:
				pc += shares[j]
			case roleStable:
				pstable += shares[j]
			}
			if d.EnvoyWeight > 0 {
				positive++
			}
			if d.Status == 503 && d.EnvoyWeight > 0 && !reported[d.Host+"|"+d.Subset] && !p.reportedSubset(findings, d.Subset) {
				reported[d.Host+"|"+d.Subset] = true
				add(CodeSubsetMissing, SeverityError, i, rule.Source, "subset %q of %s is not defined by any DestinationRule in the inputs: its %s share gets 503 (no cluster)", d.Subset, d.Host, roles[j])
			}
		}
		ps.ExpectedCanaryShare = pc

		users, err := p.simulate(h, req, ruleIdx, roles, um, n, o.Seed, uint64(i))
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", i, err)
		}
		ps.CanaryRequests, ps.StableRequests = users.canary, users.stable
		ps.OtherRequests = n - users.canary - users.stable
		if n > 0 {
			ps.CanaryShare = float64(users.canary) / float64(n)
			ps.CanaryCILow, ps.CanaryCIHigh = stats.Wilson(users.canary, n, 1-o.Alpha)
		}
		var both, canaryUsers, bothCum, canaryCum int
		for u := range o.Users {
			c, s := users.sawC[u], users.sawS[u]
			if c && s {
				both++
			}
			if c {
				canaryUsers++
			}
			sawC[u] = sawC[u] || c
			sawS[u] = sawS[u] || s
			if sawC[u] && sawS[u] {
				bothCum++
			}
			if sawC[u] {
				canaryCum++
			}
		}
		U := float64(o.Users)
		ps.UsersBothVersions, ps.UsersCanary = float64(both)/U, float64(canaryUsers)/U
		ps.UsersBothVersionsCumulative, ps.UsersCanaryCumulative = float64(bothCum)/U, float64(canaryCum)/U
		cumCanaryReq += users.canary
		ps.CumulativeCanaryRequests = cumCanaryReq

		// 3. Power.
		if n > 0 && positive > 1 && pc > 0 && pstable > 0 {
			v := 100 * detectableShift(n, positive-1, pc, pstable, o.Alpha, DefaultTargetPower)
			ps.DetectableDeviation = &v
		}
		checkable := false
		if pc > 0 && pstable > 0 {
			pw := errorRatePower(expected, pc, pstable, o.DetectErrorRate, o.BaselineErrorRate, o.Alpha)
			ps.ErrorRatePower = &pw
			if t, ok := secondsForPower(rps, pc, pstable, o.DetectErrorRate, o.BaselineErrorRate, o.Alpha, target); ok {
				d := float64(t)
				ps.DurationForPower = &d
			}
			checkable = secs > 0 && st.Ends != EndsPromotion
			if checkable && pw >= target && detecting < 0 {
				detecting = i
			}
			if checkable && pw < target {
				sev, need := SeverityWarning, ""
				if o.RequirePower > 0 {
					sev = SeverityError
				}
				if ps.DurationForPower != nil {
					need = fmt.Sprintf("; it would need %s", format.Duration(time.Duration(*ps.DurationForPower)*time.Second))
				}
				assumed := ""
				if st.DurationAssumed {
					assumed = " (assumed)"
				}
				add(CodeStepTooShort, sev, i, st.Source, "step %d (canary %s%% for %s%s) has power %.2f to detect an error-rate rise from %s%% to %s%% (alpha %g), below %g%s",
					i, fmtPct(st.Weight), format.Duration(st.Duration), assumed, pw, fmtPct(100*o.BaselineErrorRate), fmtPct(100*o.DetectErrorRate), o.Alpha, target, need)
			}
		}
		if detecting < 0 || detecting == i {
			failed += expected * pc
		}
		start += secs
		out.Steps = append(out.Steps, ps)
		out.TotalRequests += n
		out.CanaryRequests += users.canary
	}
	out.TotalDuration = start
	if detecting >= 0 {
		d := detecting
		out.DetectingStep = &d
		if p.Threshold > 1 && p.Interval > 0 {
			pc := out.Steps[d].ExpectedCanaryShare
			failed += float64(p.Threshold-1) * p.Interval.Seconds() * out.Steps[d].RPS * pc
			out.Assumptions = append(out.Assumptions, fmt.Sprintf("rollback: Flagger rolls back after %d failed checks, so a detected regression is served %d more intervals", p.Threshold, p.Threshold-1))
		}
	} else {
		out.Assumptions = append(out.Assumptions, "detection: no step reaches the target power, so a broken canary is counted as serving through the whole rollout")
	}
	out.FailedBeforeDetection = failed * o.DetectErrorRate
	out.ExcessFailed = failed * (o.DetectErrorRate - o.BaselineErrorRate)

	sort.SliceStable(findings, func(a, b int) bool { return findings[a].Step < findings[b].Step })
	for _, f := range findings {
		rf := result.PlanFinding{Code: f.Code, Severity: string(f.Severity), Message: f.Message, Source: f.Source}
		if f.Step >= 0 {
			s := min(f.Step, max(len(p.Steps)-1, 0))
			rf.Step = &s
		}
		if f.Severity == SeverityError {
			out.Verdict = result.Fail
		}
		out.Findings = append(out.Findings, rf)
	}
	return out, nil
}

// reportedSubset reports whether a subset-missing finding already names this subset.
func (p *Plan) reportedSubset(fs []Finding, subset string) bool {
	if subset == "" {
		return false
	}
	for _, f := range fs {
		if f.Code == CodeSubsetMissing && (strings.Contains(f.Message, `"`+subset+`"`) || strings.Contains(f.Message, "subset "+subset+" ")) {
			return true
		}
	}
	return false
}

// Roles of destinations.
const (
	roleCanary = "canary"
	roleStable = "stable"
	roleOther  = "other"
)

func (p *Plan) roles(r *sim.Rule) []string {
	out := make([]string, len(r.Action.Destinations))
	for j, d := range r.Action.Destinations {
		switch {
		case p.Canary.Matches(d.Host, d.Subset):
			out[j] = roleCanary
		case p.Stable.Matches(d.Host, d.Subset):
			out[j] = roleStable
		default:
			out[j] = roleOther
		}
	}
	return out
}

// weightScale is 1 when every weight of the plan is an integer, else 100 (weights kept to 0.01
// percentage points): Istio weights are integers but need not sum to 100 (Istio 1.15, PR #39544).
func weightScale(steps []Step) float64 {
	for _, s := range steps {
		ws := []float64{s.Weight, s.StableWeight}
		for _, e := range s.Extras {
			ws = append(ws, e.Weight)
		}
		for _, w := range ws {
			if w != math.Trunc(w) {
				return 100
			}
		}
	}
	return 1
}

// rewrite sets a route's destinations for a step as Argo Rollouts does (istio.go, processRoutes):
// canary destinations get the canary weight, stable ones the stable weight, experiment services
// their weight, every other destination is removed, and experiment services not yet in the route
// are appended. A canary or stable destination missing from the route (an error finding) is
// appended too, so the step can still be simulated.
func (p *Plan) rewrite(route []*networking.HTTPRouteDestination, st Step, scale float64) []*networking.HTTPRouteDestination {
	iw := func(w float64) int32 { return int32(math.Round(w * scale)) }
	used := make([]bool, len(st.Extras))
	var out []*networking.HTTPRouteDestination
	var hasC, hasS bool
	for _, d := range route {
		h, s := d.GetDestination().GetHost(), d.GetDestination().GetSubset()
		nd := proto.Clone(d).(*networking.HTTPRouteDestination)
		switch {
		case p.Canary.Matches(h, s):
			nd.Weight, hasC = iw(st.Weight), true
		case p.Stable.Matches(h, s):
			nd.Weight, hasS = iw(st.StableWeight), true
		default:
			found := false
			for k, e := range st.Extras {
				if !used[k] && shortHost(e.Host) == shortHost(h) {
					nd.Weight, used[k], found = iw(e.Weight), true, true
					break
				}
			}
			if !found {
				continue
			}
		}
		out = append(out, nd)
	}
	var port *networking.PortSelector
	host := p.Host
	if len(route) > 0 {
		port = route[0].GetDestination().GetPort()
		host = route[0].GetDestination().GetHost()
	}
	mk := func(sel Selector, w int32) *networking.HTTPRouteDestination {
		hh := sel.Host
		if hh == "" {
			hh = host
		}
		dst := &networking.Destination{Host: hh, Subset: sel.Subset}
		if port != nil {
			dst.Port = proto.Clone(port).(*networking.PortSelector)
		}
		return &networking.HTTPRouteDestination{Destination: dst, Weight: w}
	}
	if !hasS {
		out = append(out, mk(p.Stable, iw(st.StableWeight)))
	}
	if !hasC {
		out = append(out, mk(p.Canary, iw(st.Weight)))
	}
	for k, e := range st.Extras {
		if !used[k] {
			out = append(out, &networking.HTTPRouteDestination{Destination: &networking.Destination{Host: e.Host}, Weight: iw(e.Weight)})
		}
	}
	return out
}

// stepUsers is what one step's simulation says.
type stepUsers struct {
	canary, stable int64
	sawC, sawS     []bool
}

// simulate runs the step's requests through sim.Run and tallies canary and stable requests per user.
func (p *Plan) simulate(h *sim.Host, req sim.Request, ruleIdx int, roles []string, um *userModel, n int64, seed, step uint64) (*stepUsers, error) {
	su := &stepUsers{sawC: make([]bool, um.users), sawS: make([]bool, um.users)}
	groups, who := um.groups(h.Name, req, n)
	if len(groups) == 0 {
		return su, nil
	}
	t := &sim.Table{Hosts: []*sim.Host{h}}
	res, err := sim.Run(t, groups, sim.Options{Seed: stepSeed(seed, step)})
	if err != nil {
		return nil, err
	}
	for gi, g := range res.Groups {
		for ci, c := range g.Classes {
			if c.Rule != ruleIdx || c.Counts == nil {
				continue
			}
			u := who[gi][ci]
			var cc, sc int64
			for j, v := range c.Counts {
				switch roles[j] {
				case roleCanary:
					cc += v
				case roleStable:
					sc += v
				}
			}
			su.canary += cc
			su.stable += sc
			su.sawC[u] = su.sawC[u] || cc > 0
			su.sawS[u] = su.sawS[u] || sc > 0
		}
	}
	return su, nil
}

// stepSeed derives the seed of step i's simulation from the run's seed.
func stepSeed(seed, step uint64) uint64 {
	return seed*0x9e3779b97f4a7c15 + step + 1
}

// tableHost finds the plan's host in a translated table: its mesh virtual host, or else, for a
// VirtualService bound only to gateways, its first gateway binding (named "HOST@NAMESPACE/GATEWAY" by
// mesh.Translate), with the gateway's name. Every binding of one VirtualService has the same rules.
func tableHost(t *sim.Table, host string) (*sim.Host, string) {
	if h := t.Lookup(host); h != nil {
		return h, ""
	}
	for _, h := range t.Hosts {
		if name, gateway, ok := strings.Cut(h.Name, "@"); ok && name == host {
			return h, gateway
		}
	}
	return nil, ""
}
