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
	// NoDetectionOK accepts a plan in which no step can detect a broken canary before promotion
	// (--require-power 0): without it that is the error finding never-detects.
	NoDetectionOK bool
	// Seed of the simulation's random streams.
	Seed uint64
	// Files are copied into the result.
	Files []string
	// From is the caller whose proxy the plan's traffic goes through (nil: the mesh, or the
	// VirtualService's first gateway when it is bound to gateways only).
	From *mesh.Caller
}

// DefaultTargetPower is the power that figures aim at when no power is required.
const DefaultTargetPower = 0.8

// Descriptions of the tests behind the power figures, as written into results.
const (
	ErrorRateTestName = "two-sided pooled two-proportion z-test between canary and stable requests at level alpha (normal approximation, Fleiss), on the expected counts rps x duration x share"
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

// MaxSteps bounds the steps of a plan: real rollouts have tens. maxPlanRequests bounds the
// requests of all steps together (rps x duration, step by step), which are simulated one after
// another.
const (
	MaxSteps        = 1000
	maxPlanRequests = maxStepRequests
)

// checkWork refuses, before any step is simulated, a plan of more than MaxSteps steps or of more
// than maxPlanRequests requests in all, naming the step and its source.
func (e *evaluation) checkWork() error {
	if len(e.p.Steps) > MaxSteps {
		st := e.p.Steps[MaxSteps]
		return fmt.Errorf("%s: %s: the plan has %d steps; splitsim evaluates at most %d", st.Source, st.Path, len(e.p.Steps), MaxSteps)
	}
	var total int64
	for i, st := range e.p.Steps {
		load, err := e.load(i, st)
		if err != nil {
			return err
		}
		if total += load.n; total > maxPlanRequests { // at most MaxSteps x maxStepRequests: no overflow
			return fmt.Errorf("%s: steps 0 to %d make %s requests (rps x duration); splitsim simulates at most %s in a plan: lower the requests per second",
				st.Source, i, format.Count(total), format.Count(maxPlanRequests))
		}
	}
	return nil
}

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
	e, err := newEvaluation(p, o)
	if err != nil {
		return nil, err
	}
	if err := e.checkWork(); err != nil {
		return nil, err
	}
	for i, st := range p.Steps {
		if err := e.step(i, st); err != nil {
			return nil, err
		}
	}
	e.totals()
	e.report()
	return e.out, nil
}

// evaluation is the state of one Evaluate call, carried from each step to the next.
type evaluation struct {
	p      *Plan
	o      Options
	um     *userModel
	target float64 // the power a step must reach
	scale  float64 // Istio weight per percentage point (weightScale)
	out    *result.Plan

	findings []Finding
	reported map[findingKey]bool // findings that are reported once per code and subject
	warned   map[string]bool     // translation warnings already in out.Warnings

	applied   *networking.VirtualService // the weights Istio last accepted
	misrouted bool                       // the request-misrouted finding has been reported
	// mirrorDests are the destinations the controller last wrote into managed mirror routes when
	// they differ from the plan's route's (nil: the same).
	mirrorDests []*networking.HTTPRouteDestination
	mirrorOnly  bool // the mirror-only finding has been reported

	sawC, sawS []bool // users who have seen the canary, the stable, in any step so far
	start      float64
	cumCanary  int64
	detecting  int     // the first step that reaches the target power, or -1
	checkable  bool    // some timed step before promotion could detect a regression
	failed     float64 // expected canary requests before the regression is detected
}

// stepLoad is the traffic of one step: rps requests per second for secs seconds, expected
// requests in all, n once rounded.
type stepLoad struct {
	rps, secs, expected float64
	n                   int64
}

// stepShares are the expected shares of a step's canary and stable destinations and the number
// of destinations that get a positive share.
type stepShares struct {
	canary, stable float64
	positive       int
}

// newEvaluation checks the options and starts the result with the plan's description and the
// assumptions of the evaluation.
func newEvaluation(p *Plan, o Options) (*evaluation, error) {
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
	e := &evaluation{p: p, o: o, um: um, target: target, scale: weightScale(p.Steps),
		findings: append([]Finding{}, p.Findings...), reported: map[findingKey]bool{}, warned: map[string]bool{},
		applied: proto.Clone(p.vs.Spec).(*networking.VirtualService),
		sawC:    make([]bool, o.Users), sawS: make([]bool, o.Users), detecting: -1}
	for _, f := range p.Findings {
		if f.Subject != "" {
			e.reported[f.key()] = true
		}
	}
	e.out = e.header()
	return e, nil
}

// header is the result before any step: the plan, the options and the assumptions.
func (e *evaluation) header() *result.Plan {
	p, o := e.p, e.o
	out := &result.Plan{Header: result.NewHeader(result.KindPlan), Files: o.Files, Kind: p.Kind, Name: p.Name, Source: p.Source,
		VirtualService: p.VirtualService, Host: p.Host, Route: p.Route, Canary: p.Canary.String(), Stable: p.Stable.String(),
		Seed: o.Seed, Alpha: o.Alpha, RPS: o.RPS, Users: o.Users, UserModel: e.um.name(),
		BaselineErrorRate: o.BaselineErrorRate, DetectErrorRate: o.DetectErrorRate, RequirePower: o.RequirePower, TargetPower: e.target,
		ErrorRateTest: ErrorRateTestName, SplitTest: SplitTestName, Verdict: result.Pass,
		Findings: []result.PlanFinding{}, Steps: []result.PlanStep{}, Warnings: append([]string{}, p.Warnings...)}
	out.Assumptions = append(out.Assumptions,
		fmt.Sprintf("traffic: %g requests per second reach route %s of %s (host %s)", o.RPS, p.Route, p.VirtualService, p.Host),
		"users: "+e.um.describe(),
		fmt.Sprintf("error rates: stable %s%%, broken canary %s%%", fmtPct(100*o.BaselineErrorRate), fmtPct(100*o.DetectErrorRate)))
	out.Assumptions = append(out.Assumptions, p.Assumptions...)
	if e.scale != 1 {
		out.Assumptions = append(out.Assumptions, fmt.Sprintf("fractional weights: Istio weights are integers, so every weight is multiplied by %g (e.g. 0.5%% becomes 50 out of 10000)", e.scale))
	}
	return out
}

// add records a finding of the evaluation.
func (e *evaluation) add(code string, sev Severity, step int, source, format string, args ...any) {
	e.findings = append(e.findings, newFinding(code, sev, step, source, "", format, args...))
}

// step evaluates step i of the plan: it applies the step's weights, simulates its requests and
// adds its figures to the result and its findings to the evaluation's.
func (e *evaluation) step(i int, st Step) error {
	load, err := e.load(i, st)
	if err != nil {
		return err
	}
	rejected := e.applyWeights(i, st)
	sr := e.withRoutes(st)
	h, err := e.translate(i, sr.spec)
	if err != nil {
		return err
	}
	req, taken := e.request(i, h, sr)
	ps := result.PlanStep{Index: i, SourceStep: st.SourceStep, Weight: st.Weight, StableWeight: st.StableWeight, Start: e.start, Duration: load.secs,
		DurationAssumed: st.DurationAssumed, Ends: st.Ends, Source: st.Source, Note: st.Note, RPS: load.rps, Requests: load.n}
	if rejected {
		ps.Note += "; rejected by Istio: previous weights kept"
	}
	rule := h.Rules[taken]
	roles := e.p.roles(rule)
	shares := e.destinations(&ps, i, rule, roles)
	e.managedRoutes(&ps, i, st, h, sr)
	users, err := e.p.simulate(h, req, sr.driven(h, e.p, true), e.um, load.n, e.o.Seed, uint64(i))
	if err != nil {
		return fmt.Errorf("step %d: %w", i, err)
	}
	ps.MirroredRequests = users.mirrored
	e.requests(&ps, users, load.n)
	e.users(&ps, users)
	e.power(&ps, i, st, load, shares)
	if e.detecting < 0 || e.detecting == i {
		e.failed += load.expected * shares.canary
	}
	e.start += load.secs
	e.out.Steps = append(e.out.Steps, ps)
	e.out.TotalRequests += load.n
	e.out.CanaryRequests += users.canary
	return nil
}

// load is the traffic of step i (the step's own RPS, else the options'); a step of more requests
// than splitsim simulates is an error.
func (e *evaluation) load(i int, st Step) (stepLoad, error) {
	rps := e.o.RPS
	if st.RPS > 0 {
		rps = st.RPS
	}
	secs := st.Duration.Seconds()
	expected := rps * secs
	if math.Round(expected) > maxStepRequests {
		return stepLoad{}, fmt.Errorf("step %d: %g requests per second for %s is %.3g requests; splitsim simulates at most %d per step", i, rps, format.Duration(st.Duration), expected, maxStepRequests)
	}
	return stepLoad{rps: rps, secs: secs, expected: expected, n: int64(math.Round(expected))}, nil
}

// applyWeights writes the step's weights into the plan's routes as the controller writes them and
// as Istio accepts them. It reports whether Istio rejects them (a negative stable weight, or a
// route whose weights are all 0); a rejected update leaves the previous weights in place.
func (e *evaluation) applyWeights(i int, st Step) bool {
	if st.StableWeight < 0 {
		e.add(CodeStableWeightNegative, SeverityError, i, st.Source, "stable weight would be %s (100 - canary %s - experiments): Istio rejects a negative weight (\"weight %d < 0\"), so the route keeps its previous weights (argo-rollouts #4424)",
			fmtPct(st.StableWeight), fmtPct(st.Weight), int64(math.Round(st.StableWeight*e.scale)))
		return true
	}
	next, zero := e.rewritten(st)
	if zero {
		e.add(CodeTotalWeightZero, SeverityError, i, st.Source, "every destination of the route would get weight 0: Istio rejects it (\"total destination weight = 0\"), so the route keeps its previous weights (argo-rollouts #3141)")
		return true
	}
	if e.mirrorRouteOnly(i, st) {
		e.mirrorDests = next.Http[e.p.Rules[0]].GetRoute()
		return false
	}
	e.applied, e.mirrorDests = next, nil
	return false
}

// rewritten is the applied VirtualService with the step's weights written into every route the
// plan drives; zero reports a route of several destinations that would all get weight 0.
func (e *evaluation) rewritten(st Step) (next *networking.VirtualService, zero bool) {
	next = proto.Clone(e.applied).(*networking.VirtualService)
	if e.p.TCP {
		return e.rewrittenTCP(next, st)
	}
	if e.p.TLS {
		return e.rewrittenTLS(next, st)
	}
	for _, r := range e.p.Rules {
		if r >= len(next.Http) {
			continue
		}
		dests := e.p.rewrite(e.p.vs.Spec.Http[r].GetRoute(), st, e.scale)
		if len(dests) > 1 && totalWeight(dests) == 0 {
			zero = true
		}
		next.Http[r].Route = dests
	}
	return next, zero
}

// rewrittenTCP is rewritten for a plan that drives tcp routes: the same weights, written into each.
func (e *evaluation) rewrittenTCP(next *networking.VirtualService, st Step) (*networking.VirtualService, bool) {
	zero := false
	for _, r := range e.p.Rules {
		if r < len(next.Tcp) {
			var z bool
			next.Tcp[r].Route, z = e.rewrittenL4(e.p.vs.Spec.Tcp[r].GetRoute(), st)
			zero = zero || z
		}
	}
	return next, zero
}

// rewrittenL4 is a tcp or tls route's destinations with the step's weights; zero says that
// several destinations are all at weight 0.
func (e *evaluation) rewrittenL4(route []*networking.RouteDestination, st Step) ([]*networking.RouteDestination, bool) {
	var in []*networking.HTTPRouteDestination
	for _, d := range route {
		in = append(in, &networking.HTTPRouteDestination{Destination: d.GetDestination(), Weight: d.GetWeight()})
	}
	dests := e.p.rewrite(in, st, e.scale)
	var out []*networking.RouteDestination
	for _, d := range dests {
		out = append(out, &networking.RouteDestination{Destination: d.GetDestination(), Weight: d.GetWeight()})
	}
	return out, len(dests) > 1 && totalWeight(dests) == 0
}

// totalWeight is the sum of the destinations' weights.
func totalWeight(dests []*networking.HTTPRouteDestination) int64 {
	var sum int64
	for _, d := range dests {
		sum += int64(d.GetWeight())
	}
	return sum
}

// translate translates the applied VirtualService by package mesh, with the plan's
// DestinationRules and Services, and finds the plan's host in the result. Translation warnings
// are added to the result once; a host reached only through a gateway is an assumption.
func (e *evaluation) translate(i int, spec *networking.VirtualService) (*sim.Host, error) {
	cfg := &mesh.Config{VirtualServices: []*mesh.VirtualService{{Document: e.p.vs.Document, Spec: spec}}}
	if e.p.cfg != nil {
		cfg.DestinationRules, cfg.Services = e.p.cfg.DestinationRules, e.p.cfg.Services
	}
	translate := mesh.Translate
	if e.o.From != nil {
		translate = func(c *mesh.Config) (*mesh.Translation, error) { return mesh.TranslateFrom(c, *e.o.From) }
	}
	tr, err := translate(cfg)
	if err != nil {
		return nil, fmt.Errorf("step %d: %w", i, err)
	}
	for _, w := range tr.Warnings {
		if !e.warned[w] {
			e.warned[w] = true
			e.out.Warnings = append(e.out.Warnings, w)
		}
	}
	host := e.p.Host
	switch {
	case e.p.TCP:
		host = mesh.TCPPrefix + host
	case e.p.TLS:
		host = mesh.TLSPrefix + host
	}
	h, gateway := tableHost(tr.Table, host)
	if h == nil && e.o.From != nil {
		return nil, fmt.Errorf("caller %s does not get the routes of %s for host %s (it is not bound to that caller's gateway, or not exported to its namespace): that caller's requests do not follow the plan's weights", e.o.From, e.p.VirtualService, e.p.Host)
	}
	if h == nil {
		return nil, fmt.Errorf("step %d: host %s not found in the translated VirtualService", i, e.p.Host)
	}
	if gateway != "" && i == 0 {
		e.out.Assumptions = append(e.out.Assumptions, fmt.Sprintf("gateway: %s is bound to gateway %s and not to the mesh, so the plan's traffic enters through that gateway", e.p.VirtualService, gateway))
	}
	return h, nil
}

// request is the request simulated for the plan's (first) route: one its match accepts, or a
// plain GET of the host when the match cannot be synthesized. The first time such a request is
// taken by another rule (or by none) than the routes the plan drives (its route, and the managed
// mirror routes whose weights the controller sets too), a request-misrouted finding says where it
// goes.
//
// taken is the rule that takes the request when the controller writes it (a managed mirror route
// placed before the plan's route takes the requests its match accepts), else the plan's route.
func (e *evaluation) request(i int, h *sim.Host, sr stepRoutes) (req sim.Request, taken int) {
	ruleIdx := sr.primary
	driven, counted := sr.driven(h, e.p, false), sr.driven(h, e.p, true)
	req = sim.Request{Method: "GET", Scheme: "http", Path: "/", Authority: e.p.Host, Headers: map[string]string{}, Query: map[string]string{}}
	routed := false
	for _, r := range h.Routes {
		if r.Rule == ruleIdx {
			if q, ok := r.Match.Synthesize(e.p.Host); ok {
				req, routed = q, true
			}
			break
		}
	}
	got := h.Route(&req)
	if got >= 0 && counted[h.Routes[got].Rule] != nil {
		taken = h.Routes[got].Rule
	} else {
		taken = ruleIdx
	}
	if !e.misrouted && (!routed || got < 0 || driven[h.Routes[got].Rule] == nil) {
		e.misrouted = true
		where := "no rule (404)"
		if got >= 0 {
			where = "rule " + h.Rules[h.Routes[got].Rule].Label()
		}
		e.add(CodeRequestMisrouted, SeverityWarning, i, h.Rules[ruleIdx].Source, "a request made for route %s of %s is taken by %s; the plan's traffic is simulated where it really goes", e.p.Route, e.p.VirtualService, where)
	}
	return req, taken
}

// destinations lists the rule's destinations in the step's result and sums the expected shares
// of its canary and stable destinations. A destination with a share that gets 503 is a subset no
// DestinationRule defines: a subset-missing finding, once per subset.
func (e *evaluation) destinations(ps *result.PlanStep, i int, rule *sim.Rule, roles []string) stepShares {
	var sh stepShares
	shares := rule.Action.Shares()
	for j, d := range rule.Action.Destinations {
		ps.Weights = append(ps.Weights, result.PlanWeight{Name: d.Name(), Role: roles[j], Weight: d.Weight, ExpectedShare: shares[j], Status: d.Status})
		switch roles[j] {
		case roleCanary:
			sh.canary += shares[j]
		case roleStable:
			sh.stable += shares[j]
		}
		if d.EnvoyWeight == 0 {
			continue
		}
		sh.positive++
		key := findingKey{Code: CodeSubsetMissing, Subject: destinationSubject(d.Host, d.Subset)}
		if d.Status == 503 && !e.reported[key] {
			e.reported[key] = true
			e.findings = append(e.findings, newFinding(CodeSubsetMissing, SeverityError, i, rule.Source, key.Subject,
				"subset %q of %s is not defined by any DestinationRule in the inputs: its %s share gets 503 (no cluster)", d.Subset, d.Host, roles[j]))
		}
	}
	ps.ExpectedCanaryShare = sh.canary
	return sh
}

// requests sets the step's request counts from its simulation and the Wilson interval of the
// canary's share.
func (e *evaluation) requests(ps *result.PlanStep, su *stepUsers, n int64) {
	ps.CanaryRequests, ps.StableRequests = su.canary, su.stable
	ps.OtherRequests = n - su.canary - su.stable
	if n > 0 {
		ps.CanaryShare = float64(su.canary) / float64(n)
		ps.CanaryCILow, ps.CanaryCIHigh = stats.Wilson(su.canary, n, 1-e.o.Alpha)
	}
	e.cumCanary += su.canary
	ps.CumulativeCanaryRequests = e.cumCanary
}

// users sets the shares of users who saw the canary, and both versions, in the step and in the
// rollout so far.
func (e *evaluation) users(ps *result.PlanStep, su *stepUsers) {
	var both, canaryUsers, bothCum, canaryCum int
	for u := range e.o.Users {
		c, s := su.sawC[u], su.sawS[u]
		if c && s {
			both++
		}
		if c {
			canaryUsers++
		}
		e.sawC[u] = e.sawC[u] || c
		e.sawS[u] = e.sawS[u] || s
		if e.sawC[u] && e.sawS[u] {
			bothCum++
		}
		if e.sawC[u] {
			canaryCum++
		}
	}
	U := float64(e.o.Users)
	ps.UsersBothVersions, ps.UsersCanary = float64(both)/U, float64(canaryUsers)/U
	ps.UsersBothVersionsCumulative, ps.UsersCanaryCumulative = float64(bothCum)/U, float64(canaryCum)/U
}

// power sets the step's power figures from the expected counts: the smallest split deviation the
// Pearson test detects, the error-rate test's power and the duration that would reach the target.
// A timed step that reaches the target may be the detecting step; one that does not is too short.
func (e *evaluation) power(ps *result.PlanStep, i int, st Step, l stepLoad, sh stepShares) {
	o := e.o
	if l.n > 0 && sh.positive > 1 && sh.canary > 0 && sh.stable > 0 {
		v := 100 * detectableShift(l.n, sh.positive-1, sh.canary, sh.stable, o.Alpha, DefaultTargetPower)
		ps.DetectableDeviation = &v
	}
	if !(sh.canary > 0 && sh.stable > 0) {
		return
	}
	pw := errorRatePower(l.expected, sh.canary, sh.stable, o.DetectErrorRate, o.BaselineErrorRate, o.Alpha)
	ps.ErrorRatePower = &pw
	if t, ok := secondsForPower(l.rps, sh.canary, sh.stable, o.DetectErrorRate, o.BaselineErrorRate, o.Alpha, e.target); ok {
		d := float64(t)
		ps.DurationForPower = &d
	}
	if !(l.secs > 0 && st.Ends != EndsPromotion) {
		return // nothing to check: the step takes no time, or the rollout is over
	}
	e.checkable = true
	if pw < e.target {
		e.tooShort(ps, i, st, pw)
	} else if e.detecting < 0 {
		e.detecting = i
	}
}

// tooShort reports a step whose power pw stays below the target: an error when a power is
// required, else a warning.
func (e *evaluation) tooShort(ps *result.PlanStep, i int, st Step, pw float64) {
	o := e.o
	sev, need, assumed := SeverityWarning, "", ""
	if o.RequirePower > 0 {
		sev = SeverityError
	}
	if ps.DurationForPower != nil {
		need = fmt.Sprintf("; it would need %s", format.Duration(time.Duration(*ps.DurationForPower)*time.Second))
	}
	if st.DurationAssumed {
		assumed = " (assumed)"
	}
	e.add(CodeStepTooShort, sev, i, st.Source, "step %d (canary %s%% for %s%s) has power %.2f to detect an error-rate rise from %s%% to %s%% (alpha %g), below %g%s",
		st.Number(i), fmtPct(st.Weight), format.Duration(st.Duration), assumed, pw, fmtPct(100*o.BaselineErrorRate), fmtPct(100*o.DetectErrorRate), o.Alpha, e.target, need)
}

// totals sets the rollout's duration, its detecting step and the failed requests a broken canary
// serves before it is detected (with Flagger, until its threshold of failed checks rolls it back).
func (e *evaluation) totals() {
	p, out := e.p, e.out
	out.TotalDuration = e.start
	if e.detecting >= 0 {
		d := e.detecting
		out.DetectingStep = &d
		if p.Threshold > 1 && p.Interval > 0 {
			e.failed += float64(p.Threshold-1) * p.Interval.Seconds() * out.Steps[d].RPS * out.Steps[d].ExpectedCanaryShare
			out.Assumptions = append(out.Assumptions, fmt.Sprintf("rollback: Flagger rolls back after %d failed checks, so a detected regression is served %d more intervals", p.Threshold, p.Threshold-1))
		}
	} else {
		out.Assumptions = append(out.Assumptions, "detection: no step reaches the target power, so a broken canary is counted as serving through the whole rollout")
		if e.checkable && !e.o.NoDetectionOK {
			e.add(CodeNeverDetects, SeverityError, -1, p.Source, "no step before promotion reaches power %g to detect an error-rate rise from %s%% to %s%% (alpha %g): a broken canary would be promoted; lengthen the steps or raise the traffic, or pass --require-power 0 to accept the plan as it is",
				e.target, fmtPct(100*e.o.BaselineErrorRate), fmtPct(100*e.o.DetectErrorRate), e.o.Alpha)
		}
	}
	out.FailedBeforeDetection = e.failed * e.o.DetectErrorRate
	out.ExcessFailed = e.failed * (e.o.DetectErrorRate - e.o.BaselineErrorRate)
}

// report adds the findings to the result, ordered by step (plan-wide ones first), each step clamped
// to the plan's steps; an error finding fails the verdict.
func (e *evaluation) report() {
	sort.SliceStable(e.findings, func(a, b int) bool { return e.findings[a].Step < e.findings[b].Step })
	for _, f := range e.findings {
		rf := result.PlanFinding{Code: f.Code, Severity: f.Severity, Message: f.Message, Source: f.Source}
		if f.Step >= 0 {
			s := min(f.Step, max(len(e.p.Steps)-1, 0))
			rf.Step = &s
		}
		if f.Severity == SeverityError {
			e.out.Verdict = result.Fail
		}
		e.out.Findings = append(e.out.Findings, rf)
	}
}

// Roles of destinations.
const (
	roleCanary = "canary"
	roleStable = "stable"
	roleOther  = "other"
)

// roles is the role of each of the rule's destinations: canary, stable or other.
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
	if !hasS {
		out = append(out, selectorDestination(p.Stable, host, port, iw(st.StableWeight)))
	}
	if !hasC {
		out = append(out, selectorDestination(p.Canary, host, port, iw(st.Weight)))
	}
	for k, e := range st.Extras {
		if !used[k] {
			out = append(out, &networking.HTTPRouteDestination{Destination: &networking.Destination{Host: e.Host}, Weight: iw(e.Weight)})
		}
	}
	return out
}

// selectorDestination is a route destination for what sel selects, on host when sel names no
// host, with a copy of port when it is not nil.
func selectorDestination(sel Selector, host string, port *networking.PortSelector, w int32) *networking.HTTPRouteDestination {
	if sel.Host != "" {
		host = sel.Host
	}
	dst := &networking.Destination{Host: host, Subset: sel.Subset}
	if port != nil {
		dst.Port = proto.Clone(port).(*networking.PortSelector)
	}
	return &networking.HTTPRouteDestination{Destination: dst, Weight: w}
}

// stepUsers is what one step's simulation says.
type stepUsers struct {
	canary, stable int64
	sawC, sawS     []bool
	// mirrored counts the copies the mirror policies of the driven rules sent.
	mirrored int64
}

// simulate runs the step's requests through sim.Run and tallies canary and stable requests per
// user, over the requests taken by the rules the plan drives (roles holds the destinations' roles
// of each).
func (p *Plan) simulate(h *sim.Host, req sim.Request, roles map[int][]string, um *userModel, n int64, seed, step uint64) (*stepUsers, error) {
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
			rs := roles[c.Rule]
			if rs == nil || c.Counts == nil {
				continue
			}
			u := who[gi][ci]
			var cc, sc int64
			for _, m := range c.Mirrored {
				su.mirrored += m
			}
			for j, v := range c.Counts {
				switch rs[j] {
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
		if gateway, ok := strings.CutPrefix(h.From, "gateway:"); ok {
			return h, gateway
		}
		return h, ""
	}
	for _, h := range t.Hosts {
		if name, gateway, ok := strings.Cut(h.Name, "@"); ok && name == host {
			return h, gateway
		}
	}
	return nil, ""
}
