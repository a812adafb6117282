package canary

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
)

// Kinds of plan, by where the plan was read from.
const (
	KindArgo    = "argo-rollouts" // an Argo Rollouts Rollout (argoproj.io/v1alpha1)
	KindFlagger = "flagger"       // a Flagger Canary (flagger.app/v1beta1)
	KindNative  = "native"        // the plan section of a splitsim scenario
)

// Ends says what ends a step (result.Ends).
type Ends = result.Ends

// What ends a step: see result.Ends.
const (
	EndsTime      = result.EndsTime
	EndsAnalysis  = result.EndsAnalysis
	EndsManual    = result.EndsManual
	EndsPromotion = result.EndsPromotion
	EndsNone      = result.EndsNone
	EndsStalled   = result.EndsStalled
)

// Severity of a finding (result.Severity).
type Severity = result.Severity

// Severities. An error finding fails the plan's verdict.
const (
	SeverityError   = result.SeverityError
	SeverityWarning = result.SeverityWarning
	SeverityInfo    = result.SeverityInfo
)

// Stable finding codes. Scripts may rely on them; never rename one.
const (
	// CodeStepTooShort: the step cannot reach the required power to detect the error-rate
	// regression (an error with --require-power, a warning otherwise).
	CodeStepTooShort = "step-too-short"
	// CodeWeightBelowFloor: a canary weight between 0 and 1 percent, which Argo Rollouts'
	// integer setWeight (and Flagger's integer weights) cannot express (argo-rollouts #2657).
	CodeWeightBelowFloor = "weight-below-floor"
	// CodeWeightsNotIncreasing: the canary weight goes down from one step to the next (for Flagger
	// stepWeights: the analysis stalls).
	CodeWeightsNotIncreasing = "weights-not-increasing"
	// CodeMaxWeightNotMultiple: Flagger maxWeight is not a multiple of stepWeight, so the last step
	// overshoots maxWeight (flagger #189).
	CodeMaxWeightNotMultiple = "max-weight-not-multiple"
	// CodeStableWeightNegative: the stable weight computed as 100 - canary - experiment weights is
	// negative; Istio rejects it (argo-rollouts #4424).
	CodeStableWeightNegative = "stable-weight-negative"
	// CodeTotalWeightZero: all destinations of the route get weight 0; Istio rejects it with
	// "total destination weight = 0" (argo-rollouts #3141).
	CodeTotalWeightZero = "total-weight-zero"
	// CodeRouteMissing: the VirtualService or http route the plan names is not in the inputs.
	CodeRouteMissing = "route-missing"
	// CodeSubsetMissing: the canary or stable subset (or service) is missing from the route or from
	// the DestinationRule, or the DestinationRule named by the plan is missing.
	CodeSubsetMissing = "subset-missing"
	// CodeManualPause: the step waits for a manual promotion; its duration is an assumption.
	CodeManualPause = "manual-pause"
	// CodeAnalysisDurationAssumed: the step lasts as long as an analysis whose duration the plan
	// does not say; the duration is an assumption.
	CodeAnalysisDurationAssumed = "analysis-duration-assumed"
	// CodeIntervalAdjusted: Flagger replaces the analysis interval (below 10s, or not a duration).
	CodeIntervalAdjusted = "interval-adjusted"
	// CodeNotSimulated: a feature of the plan that the simulation leaves out (header routes,
	// mirroring, A/B matches, session affinity, several routes or VirtualServices).
	CodeNotSimulated = "not-simulated"
	// CodeRequestMisrouted: a request made for the plan's route is taken by another rule.
	CodeRequestMisrouted = "request-misrouted"
	// CodeNoAnalysis: the controller promotes without any analysis step.
	CodeNoAnalysis = "no-analysis"
	// CodeNeverDetects: no step before promotion reaches the target power, so a broken canary would
	// be promoted (an error unless Options.NoDetectionOK).
	CodeNeverDetects = "never-detects"
)

// Finding is something the plan evaluation wants a person to know.
type Finding struct {
	Code     string
	Severity Severity
	// Step is the index of the step the finding concerns, or -1 for the whole plan.
	Step    int
	Message string
	// Source is "file:line" of the field concerned, when known.
	Source string
	// Subject names what the finding is about when such findings are reported once per code and
	// subject: "subset v2", or "host reviews-canary" for a destination without a subset. It is
	// empty for other findings.
	Subject string
}

// findingKey identifies the findings that are reported once: by code and subject, never by the
// text of their message.
type findingKey struct {
	Code, Subject string
}

func (f Finding) key() findingKey { return findingKey{Code: f.Code, Subject: f.Subject} }

// destinationSubject is the subject of a finding about a destination: its subset, or its host when
// it has none. A subset is one subject whichever host it belongs to.
func destinationSubject(host, subset string) string {
	if subset != "" {
		return "subset " + subset
	}
	return "host " + host
}

// newFinding makes a finding with a formatted message.
func newFinding(code string, sev Severity, step int, source, subject, format string, args ...any) Finding {
	return Finding{Code: code, Severity: sev, Step: step, Source: source, Subject: subject, Message: fmt.Sprintf(format, args...)}
}

// Selector picks destinations of a route: by subset, by host, or both. A host matches the way
// Argo Rollouts compares them: the part before the first dot (rollout/trafficrouting/istio/istio.go,
// getHost), so "reviews" matches "reviews.default.svc.cluster.local".
type Selector struct {
	Host   string
	Subset string
}

// shortHost is the part of a host before its first dot.
func shortHost(h string) string {
	if i := strings.IndexByte(h, '.'); i > 0 {
		return h[:i]
	}
	return h
}

// Matches reports whether a destination with this host and subset is selected.
func (s Selector) Matches(host, subset string) bool {
	if s.Host == "" && s.Subset == "" {
		return false
	}
	if s.Subset != "" && s.Subset != subset {
		return false
	}
	if s.Host != "" && shortHost(s.Host) != shortHost(host) {
		return false
	}
	return true
}

// String is "subset v2", "host reviews-canary" or "reviews subset v2".
func (s Selector) String() string {
	switch {
	case s.Host != "" && s.Subset != "":
		return fmt.Sprintf("%s subset %s", s.Host, s.Subset)
	case s.Subset != "":
		return "subset " + s.Subset
	}
	return "host " + s.Host
}

// Extra is an additional weighted destination of a step: an Argo Rollouts experiment template
// with a weight. It is added to the route as a destination with this host.
type Extra struct {
	Host   string
	Weight float64
}

// Step is one period of a plan during which the route's weights stay the same.
type Step struct {
	// Weight is the canary's weight in percent.
	Weight float64
	// StableWeight is the stable destination's weight in percent: 100 - Weight - extras, unless a
	// native plan says otherwise. It may be negative (an error the evaluation reports).
	StableWeight float64
	// Extras are further weighted destinations (Argo experiment templates with a weight).
	Extras []Extra
	// Duration of the step; DurationAssumed is set when the plan does not say it (manual pauses,
	// analyses) and an assumption was used.
	Duration        time.Duration
	DurationAssumed bool
	Ends            Ends
	// RPS overrides the plan's requests per second for this step when > 0 (native plans).
	RPS float64
	// Path is the field path of the step in its document ("spec.strategy.canary.steps[3]");
	// Source is "file:line".
	Path   string
	Source string
	// Note explains where the step comes from ("setWeight 20 + pause 10m").
	Note string
	// Routes are the routes Argo Rollouts' setHeaderRoute and setMirrorRoute steps put in the
	// VirtualService and that are in place during the step, in the order the controller puts them
	// (before every other route, in the order of trafficRouting.managedRoutes).
	Routes []ManagedRoute
	// SourceStep is the step's own index in its plan, when it has one other than the order of
	// the plan's steps: for an Argo Rollout the index in spec.strategy.canary.steps at which the
	// rollout holds this weight (status.currentStepIndex; the number of steps for the promotion
	// after the last step); nil for Flagger, whose intervals have no index of their own.
	SourceStep *int
}

// Number is the step's number for people: its SourceStep, else i, its index in the plan.
func (s Step) Number(i int) int {
	if s.SourceStep != nil {
		return *s.SourceStep
	}
	return i
}

// Assumptions fill in what a plan does not say.
type Assumptions struct {
	// ManualPause is the assumed duration of a manual gate (Argo pause: {}, native ends: manual).
	ManualPause time.Duration
	// AnalysisDuration is the assumed duration of an analysis whose length the plan does not give
	// (Argo analysis steps, experiments without a duration).
	AnalysisDuration time.Duration
}

// DefaultAssumptions are the defaults of `splitsim plan`.
var DefaultAssumptions = Assumptions{ManualPause: time.Hour, AnalysisDuration: 5 * time.Minute}

// Traffic holds traffic assumptions that a native plan may carry; zero values mean "not given".
type Traffic struct {
	RPS          float64
	Users        int
	UserModel    string
	ZipfExponent float64
}

// Plan is a canary plan: steps applied to one route of one VirtualService.
type Plan struct {
	Kind string
	// Name is the name of the Rollout, Canary or scenario; Source names the document.
	Name   string
	Source string
	File   string
	// VirtualService is the name of the VirtualService whose route the plan drives (for Flagger,
	// the one Flagger generates); Host is the host simulated; Rules are the indexes of the http
	// routes rewritten at each step; Route is their display name.
	VirtualService string
	Host           string
	Rules          []int
	Route          string
	// TCP says that Rules index the VirtualService's tcp routes (a Rollout that drives tcpRoutes of
	// a VirtualService without http routes); the simulated host is then tcp://Host.
	TCP bool
	// TLS says that Rules index the VirtualService's tls routes (a Rollout that drives tlsRoutes of
	// a VirtualService without http routes); the simulated host is then tls://Host.
	TLS            bool
	Canary, Stable Selector
	Steps          []Step
	// Findings found while reading the plan and resolving its route.
	Findings []Finding
	// Threshold is Flagger's number of failed checks before a rollback (1 for other kinds): a
	// detected regression keeps being served for Threshold-1 more intervals.
	Threshold int
	// Interval is Flagger's analysis interval (0 for other kinds).
	Interval time.Duration
	// Traffic assumptions carried by the plan (native plans).
	Traffic Traffic
	// Assumptions used while reading the plan.
	Assumptions []string
	// Warnings from translating the configuration.
	Warnings []string

	vs  *mesh.VirtualService
	cfg *mesh.Config
	// managedOrder are the names of trafficRouting.managedRoutes, in order; managedCanary is the
	// destination managed routes send to or mirror to (the DestinationRule's host, else the canary
	// service, with the canary subset); routesOmitted says the Rollout names no http route.
	managedOrder  []string
	managedCanary Selector
	routesOmitted bool
	// tlsSelect are the Rollout's virtualService.tlsRoutes (nil: none given); tcpSelect its
	// tcpRoutes.
	tlsSelect []argoTLSRoute
	tcpSelect []argoTCPRoute
}

// newPlan starts a plan of this kind read from document d, with a threshold of 1.
func newPlan(kind string, d *mesh.Document) *Plan {
	return &Plan{Kind: kind, Name: d.Name, File: d.File, Threshold: 1, Source: fmt.Sprintf("%s: %s (%s)", d.File, d.Doc, d.Resource())}
}

// addFinding adds a finding without a subject to the plan.
func (p *Plan) addFinding(code string, sev Severity, step int, source, format string, args ...any) {
	p.Findings = append(p.Findings, newFinding(code, sev, step, source, "", format, args...))
}

// HasFinding reports whether the plan has a finding with this code (for tests and callers).
func HasFinding(fs []Finding, code string) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}

// resolveRoute finds the VirtualService and the http routes a plan drives and checks that the
// canary and stable destinations are in them (Argo Rollouts' ValidateHTTPRoutes and
// validateVirtualServiceRouteDestinations). When the VirtualService or route cannot be found, the
// plan is evaluated on a synthesized route holding just the stable and canary destinations, and a
// route-missing finding says so.
func (p *Plan) resolveRoute(cfg *mesh.Config, d *mesh.Document, vsName, namespace string, routes []string, path string) {
	p.cfg = cfg
	src := d.Source(path)
	vs := findVS(cfg, vsName, namespace)
	if vsName == "" && len(cfg.VirtualServices) == 1 {
		vs = cfg.VirtualServices[0]
	}
	if vs == nil {
		p.missingVirtualService(cfg, src, vsName)
		p.synthesize(d, vsName, namespace)
		return
	}
	p.vs = vs
	p.VirtualService = vs.Name
	if len(vs.Spec.GetHosts()) > 0 {
		p.Host = vs.Spec.GetHosts()[0]
	}
	if len(vs.Spec.GetHttp()) == 0 && len(vs.Spec.GetTls()) > 0 && len(routes) == 0 && p.Kind == KindArgo && (p.tlsSelect != nil || len(vs.Spec.GetTcp()) == 0) {
		p.tlsRoutes(vs, src)
		return
	}
	if len(vs.Spec.GetHttp()) == 0 && len(vs.Spec.GetTcp()) > 0 && len(routes) == 0 {
		p.tcpRoutes(vs, src)
		return
	}
	idx := p.routeIndexes(vs, routes, src)
	if len(idx) == 0 {
		p.synthesize(d, vs.Name, vs.Namespace)
		return
	}
	p.Rules = idx
	labels := make([]string, len(idx))
	for i, r := range idx {
		labels[i] = routeLabel(vs.Spec.GetHttp()[r], r)
	}
	p.Route = strings.Join(labels, ", ")
	if len(idx) > 1 {
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, src, "the plan drives %d routes (%s); every one gets the same weights, and the traffic of the first one (%s) is simulated", len(idx), p.Route, labels[0])
	}
	for _, r := range idx {
		p.checkRouteDestinations(vs, r)
	}
}

// tcpRoutes makes the plan drive the tcp routes of a VirtualService that has no http route, the
// ones Argo Rollouts writes weights into (rollout/trafficrouting/istio/istio.go,
// getTcpRouteIndexesToPatch and searchTcpRoute: with tcpRoutes, each route whose match blocks name
// one port, equal to the entry's, no match block counting as port 0; without, the first tcp route,
// which must then be the only one, ValidateTcpRoutes). The first is simulated, per connection.
func (p *Plan) tcpRoutes(vs *mesh.VirtualService, src string) {
	p.TCP = true
	tcp := vs.Spec.GetTcp()
	if len(p.tcpSelect) == 0 {
		p.Rules = []int{0}
		if len(tcp) > 1 {
			p.addFinding(CodeRouteMissing, SeverityError, -1, src, "VirtualService %s has %d tcp routes and the Rollout names no tcpRoutes: Argo Rollouts requires exactly one (\"spec.tcp[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.tcpRoutes\")", vs.Name, len(tcp))
		}
	}
	for _, sel := range p.tcpSelect {
		found := false
		for i, r := range tcp {
			if tcpRoutePort(r) == sel.Port {
				found = true
				if !slices.Contains(p.Rules, i) {
					p.Rules = append(p.Rules, i)
				}
			}
		}
		if !found {
			p.addFinding(CodeRouteMissing, SeverityError, -1, src, "tcpRoutes entry (port %d) matches no tcp route of VirtualService %s: Argo Rollouts fails with \"No matching TCP routes found in the defined Virtual Service.\"", sel.Port, vs.Name)
		}
	}
	p.driveL4Routes(vs, src, "tcp", func(r int) []*networking.RouteDestination { return tcp[r].GetRoute() })
}

// missingVirtualService reports that the VirtualService the plan names (or, with no name, the one
// it would drive) is not in the inputs.
func (p *Plan) missingVirtualService(cfg *mesh.Config, src, vsName string) {
	what := fmt.Sprintf("VirtualService %q", vsName)
	if vsName == "" {
		what = "a VirtualService (the inputs hold " + fmt.Sprint(len(cfg.VirtualServices)) + "; name one)"
	}
	var candidates []string
	for _, v := range cfg.VirtualServices {
		candidates = append(candidates, v.Name)
	}
	have := "none"
	if len(candidates) > 0 {
		have = strings.Join(candidates, ", ")
	}
	p.addFinding(CodeRouteMissing, SeverityError, -1, src, "%s named by the plan is not in the inputs (VirtualServices given: %s); the steps are simulated on a synthesized route with only the stable and canary destinations", what, have)
}

// routeIndexes are the indexes of the http routes of vs the plan drives: the named routes (a name
// not found is a route-missing finding), or without names the one Argo Rollouts patches.
func (p *Plan) routeIndexes(vs *mesh.VirtualService, routes []string, src string) []int {
	if len(routes) == 0 {
		return p.unnamedRoute(vs, src)
	}
	httpRoutes := vs.Spec.GetHttp()
	var idx []int
	for _, name := range routes {
		if i := routeIndex(httpRoutes, name); i >= 0 {
			idx = append(idx, i)
			continue
		}
		var names []string
		for i, r := range httpRoutes {
			if r.GetName() != "" {
				names = append(names, r.GetName())
			} else {
				names = append(names, fmt.Sprintf("#%d (unnamed)", i))
			}
		}
		p.addFinding(CodeRouteMissing, SeverityError, -1, src, "HTTP route %q is not found in VirtualService %s (routes: %s)", name, vs.Name, strings.Join(names, ", "))
	}
	return idx
}

// routeIndex is the index of the http route with this name (or "#index"), or -1.
func routeIndex(httpRoutes []*networking.HTTPRoute, name string) int {
	for i, r := range httpRoutes {
		if r.GetName() == name || fmt.Sprintf("#%d", i) == name {
			return i
		}
	}
	return -1
}

// unnamedRoute is the route driven when the plan names none. Argo patches the first unnamed route,
// and requires the VirtualService to have exactly one http route (getHttpRouteIndexesToPatch,
// ValidateHTTPRoutes); when that fails, a route-missing finding says so and the first route, if
// any, is simulated.
func (p *Plan) unnamedRoute(vs *mesh.VirtualService, src string) []int {
	httpRoutes := vs.Spec.GetHttp()
	var idx []int
	for i, r := range httpRoutes {
		if r.GetName() == "" {
			idx = []int{i}
			break
		}
	}
	switch {
	case len(httpRoutes) > 1:
		p.addFinding(CodeRouteMissing, SeverityError, -1, src, "VirtualService %s has %d http routes and the plan names none: Argo Rollouts requires exactly one route when routes are omitted (\"spec.http[] ... must have exactly one route\")", vs.Name, len(httpRoutes))
	case len(idx) == 0:
		p.addFinding(CodeRouteMissing, SeverityError, -1, src, "VirtualService %s has no unnamed http route for the plan to drive; name the route", vs.Name)
	}
	if len(idx) == 0 && len(httpRoutes) > 0 {
		idx = []int{0}
	}
	return idx
}

// checkRouteDestinations reports a canary or stable destination missing from http route r of vs.
func (p *Plan) checkRouteDestinations(vs *mesh.VirtualService, r int) {
	route := vs.Spec.GetHttp()[r]
	var hasC, hasS bool
	for _, dst := range route.GetRoute() {
		h, s := dst.GetDestination().GetHost(), dst.GetDestination().GetSubset()
		if p.Canary.Matches(h, s) {
			hasC = true
		} else if p.Stable.Matches(h, s) {
			hasS = true
		}
	}
	vsSrc := vs.Source(fmt.Sprintf("spec.http[%d].route", r))
	for _, m := range []struct {
		has  bool
		role string
		sel  Selector
	}{{hasC, roleCanary, p.Canary}, {hasS, roleStable, p.Stable}} {
		if !m.has {
			p.addFinding(CodeSubsetMissing, SeverityError, -1, vsSrc, "%s destination (%s) not found in route %s of VirtualService %s: Argo Rollouts refuses to set weights; it is added to the simulated route", m.role, m.sel, routeLabel(route, r), vs.Name)
		}
	}
}

// routeLabel is an http route's name, or "#i" for an unnamed route i.
func routeLabel(r *networking.HTTPRoute, i int) string {
	if r.GetName() != "" {
		return r.GetName()
	}
	return fmt.Sprintf("#%d", i)
}

// synthesize makes the VirtualService the plan is simulated on when the named one is missing (and
// the one Flagger generates): one catch-all http route with the stable and canary destinations.
func (p *Plan) synthesize(d *mesh.Document, name, namespace string) {
	host := p.Host
	if host == "" {
		host = p.Stable.Host
	}
	if host == "" {
		host = p.Canary.Host
	}
	if host == "" {
		host = name
	}
	if host == "" {
		host = "canary-plan"
	}
	if name == "" {
		name = host
	}
	if namespace == "" {
		namespace = d.Namespace
	}
	p.useGenerated(d, "networking.istio.io/v1", name, namespace, host, []string{host},
		selectorDestination(p.Stable, host, nil, 100), selectorDestination(p.Canary, host, nil, 0))
}

// useGenerated makes the plan drive a VirtualService it generates from document d: with these
// hosts and one catch-all http route of the stable and canary destinations, simulated for host.
func (p *Plan) useGenerated(d *mesh.Document, apiVersion, name, namespace, host string, hosts []string, stable, canary *networking.HTTPRouteDestination) {
	spec := &networking.VirtualService{Hosts: hosts, Http: []*networking.HTTPRoute{{
		Route: []*networking.HTTPRouteDestination{stable, canary},
	}}}
	doc := &mesh.Document{File: d.File, Doc: d.Doc, APIVersion: apiVersion, Kind: "VirtualService", Name: name, Namespace: namespace, Line: d.Line}
	p.vs = &mesh.VirtualService{Document: doc, Spec: spec}
	p.VirtualService = name
	p.Host = host
	p.Rules = []int{0}
	p.Route = "#0"
}

// checkWeights adds the findings that depend only on the steps' weights: weights below Argo's
// integer floor and weights that go down.
func (p *Plan) checkWeights() {
	prev := -1.0
	for i, s := range p.Steps {
		if s.Weight > 0 && s.Weight < 1 {
			p.addFinding(CodeWeightBelowFloor, SeverityWarning, i, s.Source, "canary weight %s%% is below 1%%: Argo Rollouts' setWeight and Flagger's weights are integer percentages, so the smallest non-zero canary share they can set is 1%% (argo-rollouts #2657); Istio itself accepts it as integer weights out of a larger total", fmtPct(s.Weight))
		}
		if prev >= 0 && s.Weight < prev && s.Ends != EndsPromotion {
			p.addFinding(CodeWeightsNotIncreasing, SeverityWarning, i, s.Source, "canary weight goes down from %s%% to %s%%", fmtPct(prev), fmtPct(s.Weight))
		}
		prev = s.Weight
	}
}

// fmtPct formats a weight without needless decimals: 5, 0.5, 12.25.
func fmtPct(w float64) string {
	if w == math.Trunc(w) && math.Abs(w) < 1e15 {
		return fmt.Sprintf("%.0f", w)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", w), "0"), ".")
}
