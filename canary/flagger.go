package canary

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/mesh"
)

// IsCanary reports whether a document is a Flagger Canary.
func IsCanary(d *mesh.Document) bool {
	return d.Kind == "Canary" && strings.HasPrefix(d.APIVersion, "flagger.app/")
}

// The parts of a Flagger Canary (pkg/apis/flagger/v1beta1/canary.go) that a plan needs. The
// analysis block is read strictly; the rest leniently.
type flaggerCanary struct {
	Spec struct {
		Provider  string `json:"provider"`
		TargetRef struct {
			Name string `json:"name"`
		} `json:"targetRef"`
		Service struct {
			Name        string          `json:"name"`
			Port        int32           `json:"port"`
			Hosts       []string        `json:"hosts"`
			Match       json.RawMessage `json:"match"`
			AppProtocol string          `json:"appProtocol"`
			Delegation  bool            `json:"delegation"`
		} `json:"service"`
		Analysis       json.RawMessage `json:"analysis"`
		CanaryAnalysis json.RawMessage `json:"canaryAnalysis"`
		SkipAnalysis   bool            `json:"skipAnalysis"`
	} `json:"spec"`
}

type flaggerAnalysis struct {
	Interval              string          `json:"interval"`
	Iterations            int             `json:"iterations"`
	Mirror                bool            `json:"mirror"`
	MirrorWeight          int             `json:"mirrorWeight"`
	MaxWeight             int             `json:"maxWeight"`
	StepWeight            int             `json:"stepWeight"`
	StepWeights           []int           `json:"stepWeights"`
	StepWeightPromotion   int             `json:"stepWeightPromotion"`
	Threshold             int             `json:"threshold"`
	PrimaryReadyThreshold *int            `json:"primaryReadyThreshold"`
	CanaryReadyThreshold  *int            `json:"canaryReadyThreshold"`
	Alerts                json.RawMessage `json:"alerts"`
	Metrics               json.RawMessage `json:"metrics"`
	Webhooks              json.RawMessage `json:"webhooks"`
	Match                 json.RawMessage `json:"match"`
	SessionAffinity       json.RawMessage `json:"sessionAffinity"`
}

// flaggerDefaultInterval and flaggerMinInterval are Flagger's AnalysisInterval and the floor of
// GetAnalysisInterval.
const (
	flaggerDefaultInterval = 60 * time.Second
	flaggerMinInterval     = 10 * time.Second
	flaggerTotalWeight     = 100
)

// FromCanary reads the plan of a Flagger Canary. Flagger generates the VirtualService itself
// (pkg/router/istio.go: host = service name, one http route with destinations <name>-primary and
// <name>-canary), so the plan is simulated on that generated route.
//
// Steps follow the scheduler (pkg/controller/scheduler.go): every analysis interval, when the
// checks pass, the canary weight grows by nextStepWeight (stepWeight, or the next of stepWeights)
// while it is below maxWeight, capped at 100 but not at maxWeight; once it reaches maxWeight the
// canary spec is promoted to the primary and, one interval later, all traffic returns to the
// primary (or moves back by stepWeightPromotion per interval). The primary gets 100 - canary.
func FromCanary(d *mesh.Document, cfg *mesh.Config, as Assumptions) (*Plan, error) {
	var c flaggerCanary
	if err := mesh.DecodeLenient(d, d.JSON, "", &c); err != nil {
		return nil, err
	}
	s := c.Spec
	if s.Provider != "" && s.Provider != "istio" {
		return nil, d.Errorf("spec.provider", "%q: splitsim plans Flagger with the istio provider only", s.Provider)
	}
	if strings.EqualFold(s.Service.AppProtocol, "tcp") {
		return nil, d.Errorf("spec.service.appProtocol", "tcp services are routed by tcp routes, which splitsim does not simulate")
	}
	apex := s.TargetRef.Name
	if s.Service.Name != "" {
		apex = s.Service.Name
	}
	if apex == "" {
		return nil, d.Errorf("spec.targetRef.name", "missing: Flagger names the services after the target")
	}
	a, apath, err := decodeFlaggerAnalysis(d, &c)
	if err != nil {
		return nil, err
	}
	primary, canary := apex+"-primary", apex+"-canary"
	p := newPlan(KindFlagger, d)
	p.Canary, p.Stable, p.cfg = Selector{Host: canary}, Selector{Host: primary}, cfg
	if a.Threshold > 0 {
		p.Threshold = a.Threshold
	}
	p.flaggerInterval(d, a, apath)
	p.flaggerVirtualService(d, apex, primary, canary, s.Service.Port, s.Service.Hosts)
	if v := findVS(cfg, apex, d.Namespace); v != nil {
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, v.Source("spec"), "VirtualService %s in the inputs has the Canary's name: Flagger takes it over and rewrites its routes, so the plan is simulated on the route Flagger generates", apex)
	}
	if present(s.Service.Match) {
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, d.Source("spec.service.match"), "spec.service.match restricts the generated route to matching requests; the simulated requests are assumed to match")
	}
	if present(a.SessionAffinity) {
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, d.Source(apath+".sessionAffinity"), "sessionAffinity keeps users who reached the canary on it with a cookie; the users figures assume independent picks per request and overstate mixing")
	}
	skip := s.SkipAnalysis || (!present(s.Analysis) && !present(s.CanaryAnalysis))
	if skip {
		why := "spec.skipAnalysis is true"
		if !s.SkipAnalysis {
			why = "the Canary has no analysis"
		}
		p.addFinding(CodeNoAnalysis, SeverityWarning, 0, d.Source(apath), "%s: Flagger promotes the new version at once, routing all traffic to the promoted primary", why)
		p.Steps = append(p.Steps, Step{Weight: 0, StableWeight: 100, Ends: EndsPromotion, Path: apath, Source: d.Source(apath), Note: "skipAnalysis: promotion without analysis"})
		return p, nil
	}
	p.flaggerSteps(d, a, apath, as)
	p.checkWeights()
	return p, nil
}

// decodeFlaggerAnalysis reads the Canary's analysis (or the older canaryAnalysis) strictly and
// checks its weights and counts; it returns the analysis with its field path.
func decodeFlaggerAnalysis(d *mesh.Document, c *flaggerCanary) (flaggerAnalysis, string, error) {
	apath, raw := "spec.analysis", c.Spec.Analysis
	if !present(raw) && present(c.Spec.CanaryAnalysis) {
		apath, raw = "spec.canaryAnalysis", c.Spec.CanaryAnalysis
	}
	var a flaggerAnalysis
	if present(raw) {
		if err := mesh.DecodeStrict(d, raw, apath, &a); err != nil {
			return a, "", err
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"maxWeight", a.MaxWeight}, {"stepWeight", a.StepWeight}, {"stepWeightPromotion", a.StepWeightPromotion}, {"iterations", a.Iterations}, {"threshold", a.Threshold}} {
		if f.v < 0 {
			return a, "", d.Errorf(apath+"."+f.name, "%d must not be negative", f.v)
		}
	}
	if a.Iterations > MaxSteps {
		return a, "", d.Errorf(apath+".iterations", "%d iterations are %d steps; splitsim evaluates at most %d", a.Iterations, a.Iterations, MaxSteps)
	}
	for i, w := range a.StepWeights {
		if w < 0 || w > flaggerTotalWeight {
			return a, "", d.Errorf(fmt.Sprintf("%s.stepWeights[%d]", apath, i), "%d is not a percentage from 0 to 100", w)
		}
	}
	return a, apath, nil
}

// flaggerInterval sets the plan's analysis interval as Flagger's GetAnalysisInterval does.
func (p *Plan) flaggerInterval(d *mesh.Document, a flaggerAnalysis, apath string) {
	// GetAnalysisInterval: default 60s, a value that is not a duration silently becomes 60s, and
	// anything under 10s becomes 10s.
	p.Interval = flaggerDefaultInterval
	src := d.Source(apath + ".interval")
	if a.Interval != "" {
		iv, err := time.ParseDuration(a.Interval)
		switch {
		case err != nil:
			p.addFinding(CodeIntervalAdjusted, SeverityWarning, -1, src, "interval %q is not a Go duration: Flagger silently uses its default of 60s", a.Interval)
		case iv < flaggerMinInterval:
			p.Interval = flaggerMinInterval
			p.addFinding(CodeIntervalAdjusted, SeverityWarning, -1, src, "interval %s is below Flagger's minimum: it runs every 10s", a.Interval)
		default:
			p.Interval = iv
		}
	} else {
		p.Assumptions = append(p.Assumptions, "analysis interval: Flagger's default of 60s (spec.analysis.interval not set)")
	}
}

// flaggerVirtualService builds the VirtualService Flagger generates for the canary
// (pkg/router/istio.go, reconcileVirtualService).
func (p *Plan) flaggerVirtualService(d *mesh.Document, apex, primary, canary string, port int32, hosts []string) {
	has := false
	for _, h := range hosts {
		if h == apex || h == "*" {
			has = true
		}
	}
	hs := append([]string{}, hosts...)
	if !has {
		hs = append(hs, apex)
	}
	var ps *networking.PortSelector
	if port > 0 {
		ps = &networking.PortSelector{Number: uint32(port)}
	}
	p.useGenerated(d, "networking.istio.io/v1beta1", apex, d.Namespace, apex, hs,
		selectorDestination(p.Stable, apex, ps, 100), selectorDestination(p.Canary, apex, ps, 0))
	p.Assumptions = append(p.Assumptions, fmt.Sprintf("route: the VirtualService Flagger generates (pkg/router/istio.go): host %s, one http route, destinations %s (primary) and %s (canary)", apex, primary, canary))
}

// flaggerSteps are the steps Flagger's scheduler takes for the analysis, one per interval, as
// FromCanary describes.
func (p *Plan) flaggerSteps(d *mesh.Document, a flaggerAnalysis, apath string, as Assumptions) {
	src := d.Source(apath)
	iv := p.Interval
	emit := func(w int, ends Ends, note string) {
		p.Steps = append(p.Steps, Step{Weight: float64(w), StableWeight: float64(flaggerTotalWeight - w), Duration: iv, Ends: ends, Path: apath, Source: src, Note: note})
	}
	// Strategy order of advanceCanary: A/B testing (match and iterations), Blue/Green
	// (iterations), then progressive traffic shifting.
	if a.Iterations > 0 {
		p.flaggerIterations(d, a, apath, emit)
		return
	}
	maxW := flaggerMaxWeight(a)
	if a.StepWeight > 0 && len(a.StepWeights) == 0 && a.MaxWeight > 0 && a.MaxWeight%a.StepWeight != 0 {
		over := (a.MaxWeight/a.StepWeight + 1) * a.StepWeight
		p.addFinding(CodeMaxWeightNotMultiple, SeverityWarning, -1, d.Source(apath+".maxWeight"),
			"maxWeight %d is not a multiple of stepWeight %d: Flagger keeps adding %d while the weight is below %d, so the last step sends %d%% to the canary (flagger #189)",
			a.MaxWeight, a.StepWeight, a.StepWeight, a.MaxWeight, min(over, flaggerTotalWeight))
	}
	if a.Mirror {
		p.addFinding(CodeNotSimulated, SeverityInfo, 0, d.Source(apath+".mirror"), "the first interval mirrors requests to the canary before any traffic is shifted; mirrored copies are not part of the split")
		emit(0, EndsAnalysis, "mirroring only: responses come from the primary")
	}
	w := 0
	for guard := 0; guard < 1000; guard++ {
		next := flaggerNextStepWeight(a, w)
		if next <= 0 {
			if w == 0 {
				p.addFinding(CodeWeightsNotIncreasing, SeverityError, -1, src, "neither stepWeight, stepWeights nor iterations is set: Flagger never shifts traffic to the canary")
				return
			}
			p.addFinding(CodeWeightsNotIncreasing, SeverityError, len(p.Steps), d.Source(apath+".stepWeights"),
				"stepWeights %v do not increase after %d: Flagger's next step weight is %d, so the analysis stalls at %d%% until someone intervenes (the duration shown assumes --manual-pause)", a.StepWeights, w, next, w)
			p.Steps = append(p.Steps, Step{Weight: float64(w), StableWeight: float64(flaggerTotalWeight - w), Duration: as.ManualPause, DurationAssumed: true, Ends: EndsStalled, Path: apath + ".stepWeights", Source: d.Source(apath + ".stepWeights"), Note: "stalled"})
			return
		}
		if w < maxW {
			w = min(w+next, flaggerTotalWeight)
			emit(w, EndsAnalysis, fmt.Sprintf("interval %s at %d%%", format.Duration(iv), w))
			continue
		}
		break
	}
	// Promotion: the canary spec is copied to the primary while the weights stay; at the next
	// interval the traffic returns to the primary, at once or by stepWeightPromotion.
	emit(w, EndsPromotion, "promotion: the canary spec is copied to the primary while the weights stay")
	if a.StepWeightPromotion > 0 {
		for cw := w - a.StepWeightPromotion; cw > 0; cw -= a.StepWeightPromotion {
			emit(cw, EndsPromotion, fmt.Sprintf("promotion: primary weight +%d per interval", a.StepWeightPromotion))
		}
	}
}

// flaggerIterations are the steps of an analysis with iterations: A/B testing when it has a
// match (the canary is reached only through its own route), else Blue/Green.
func (p *Plan) flaggerIterations(d *mesh.Document, a flaggerAnalysis, apath string, emit func(w int, ends Ends, note string)) {
	if present(a.Match) {
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, d.Source(apath+".match"), "A/B testing: requests matching analysis.match go to the canary on their own route for %d intervals; their share of the traffic is not modelled (the weighted route keeps 100%% on the primary)", a.Iterations)
		for i := range a.Iterations {
			emit(0, EndsAnalysis, fmt.Sprintf("A/B iteration %d/%d", i+1, a.Iterations))
		}
		emit(0, EndsPromotion, "promotion: the canary spec is copied to the primary")
		return
	}
	if a.Mirror {
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, d.Source(apath+".mirror"), "Blue/Green with mirroring: requests are copied to the canary during the iterations; mirrored copies are not part of the split")
	}
	for i := range a.Iterations {
		emit(0, EndsAnalysis, fmt.Sprintf("Blue/Green iteration %d/%d (canary reached only by load tests)", i+1, a.Iterations))
	}
	emit(100, EndsAnalysis, "all traffic routed to the canary after the last iteration")
	emit(100, EndsPromotion, "promotion: the canary spec is copied to the primary")
}

// flaggerMaxWeight is Controller.maxWeight: the last of stepWeights (at most 100), else maxWeight,
// else 100.
func flaggerMaxWeight(a flaggerAnalysis) int {
	if n := len(a.StepWeights); n > 0 {
		return min(flaggerTotalWeight, a.StepWeights[n-1])
	}
	if a.MaxWeight > 0 {
		return a.MaxWeight
	}
	return flaggerTotalWeight
}

// flaggerNextStepWeight is Controller.nextStepWeight.
func flaggerNextStepWeight(a flaggerAnalysis, canaryWeight int) int {
	n := len(a.StepWeights)
	if a.StepWeight > 0 || n == 0 {
		return a.StepWeight
	}
	maxStep := flaggerTotalWeight - canaryWeight
	if maxStep == 0 {
		return 1
	}
	if canaryWeight == 0 {
		return min(maxStep, a.StepWeights[0])
	}
	for i := 0; i < n-1; i++ {
		if a.StepWeights[i] == canaryWeight {
			return min(maxStep, a.StepWeights[i+1]-canaryWeight)
		}
	}
	return maxStep
}
