package canary

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/mesh"
)

// IsRollout reports whether a document is an Argo Rollouts Rollout.
func IsRollout(d *mesh.Document) bool {
	return d.Kind == "Rollout" && strings.HasPrefix(d.APIVersion, "argoproj.io/")
}

// The parts of an Argo Rollouts Rollout (pkg/apis/rollouts/v1alpha1/types.go) that a plan needs.
// Fields elsewhere in the object are ignored; the step objects and trafficRouting.istio are read
// strictly, so a misspelt step action is an error rather than a silently skipped step.
type argoRollout struct {
	Spec struct {
		Replicas *int32 `json:"replicas"`
		Strategy struct {
			Canary    *argoCanary     `json:"canary"`
			BlueGreen json.RawMessage `json:"blueGreen"`
		} `json:"strategy"`
	} `json:"spec"`
}

type argoCanary struct {
	CanaryService      string            `json:"canaryService"`
	StableService      string            `json:"stableService"`
	Steps              []json.RawMessage `json:"steps"`
	TrafficRouting     *argoRouting      `json:"trafficRouting"`
	DynamicStableScale bool              `json:"dynamicStableScale"`
}

type argoRouting struct {
	Istio         json.RawMessage            `json:"istio"`
	ManagedRoutes []struct{ Name string }    `json:"managedRoutes"`
	Nginx         json.RawMessage            `json:"nginx"`
	ALB           json.RawMessage            `json:"alb"`
	SMI           json.RawMessage            `json:"smi"`
	Ambassador    json.RawMessage            `json:"ambassador"`
	AppMesh       json.RawMessage            `json:"appMesh"`
	Traefik       json.RawMessage            `json:"traefik"`
	Apisix        json.RawMessage            `json:"apisix"`
	Plugins       map[string]json.RawMessage `json:"plugins"`
}

type argoIstio struct {
	VirtualService  *argoVirtualService  `json:"virtualService"`
	VirtualServices []argoVirtualService `json:"virtualServices"`
	DestinationRule *struct {
		Name             string `json:"name"`
		CanarySubsetName string `json:"canarySubsetName"`
		StableSubsetName string `json:"stableSubsetName"`
	} `json:"destinationRule"`
}

type argoVirtualService struct {
	Name      string          `json:"name"`
	Routes    []string        `json:"routes"`
	TLSRoutes json.RawMessage `json:"tlsRoutes"`
	TCPRoutes json.RawMessage `json:"tcpRoutes"`
}

type argoStep struct {
	SetWeight      *int32           `json:"setWeight"`
	Pause          *argoPause       `json:"pause"`
	Experiment     json.RawMessage  `json:"experiment"`
	Analysis       json.RawMessage  `json:"analysis"`
	SetCanaryScale *argoCanaryScale `json:"setCanaryScale"`
	SetHeaderRoute json.RawMessage  `json:"setHeaderRoute"`
	SetMirrorRoute json.RawMessage  `json:"setMirrorRoute"`
}

type argoPause struct {
	Duration json.RawMessage `json:"duration"`
}

type argoCanaryScale struct {
	Weight             *int32 `json:"weight"`
	Replicas           *int32 `json:"replicas"`
	MatchTrafficWeight bool   `json:"matchTrafficWeight"`
}

type argoExperiment struct {
	Duration  string `json:"duration"`
	Templates []struct {
		Name    string `json:"name"`
		SpecRef string `json:"specRef"`
		Weight  *int32 `json:"weight"`
		Service *struct {
			Name string `json:"name"`
		} `json:"service"`
	} `json:"templates"`
}

// FromRollout reads the canary plan of an Argo Rollouts Rollout and resolves the VirtualService
// route and DestinationRule subsets it drives in cfg.
//
// Steps follow the controller (rollout/trafficrouting.go, reconcileTrafficRouting): the canary
// weight during a step is the last setWeight at or before it (0 before any), the stable weight is
// 100 - canary - experiment weights (istio.go, processRoutes), and after the last step the canary
// goes to 100% and is promoted. A setWeight directly followed by another step that changes nothing
// in time becomes a step of duration 0; pause, analysis and experiment steps hold the weight.
func FromRollout(d *mesh.Document, cfg *mesh.Config, as Assumptions) (*Plan, error) {
	var ro argoRollout
	if err := mesh.DecodeLenient(d, d.JSON, "", &ro); err != nil {
		return nil, err
	}
	if ro.Spec.Strategy.Canary == nil {
		if present(ro.Spec.Strategy.BlueGreen) {
			return nil, d.Errorf("spec.strategy.blueGreen", "a blueGreen strategy has no canary steps to plan")
		}
		return nil, d.Errorf("spec.strategy.canary", "missing: a plan needs a canary strategy with steps")
	}
	c := ro.Spec.Strategy.Canary
	base := "spec.strategy.canary"
	if c.TrafficRouting == nil {
		return nil, d.Errorf(base+".trafficRouting", "missing: without traffic routing Argo Rollouts splits traffic by pod counts (argo-rollouts #3383); splitsim plans Istio traffic routing (trafficRouting.istio)")
	}
	if !present(c.TrafficRouting.Istio) {
		return nil, d.Errorf(base+".trafficRouting.istio", "missing: splitsim plans Istio traffic routing only")
	}
	var ist argoIstio
	if err := mesh.DecodeStrict(d, c.TrafficRouting.Istio, base+".trafficRouting.istio", &ist); err != nil {
		return nil, err
	}
	p := newPlan(KindArgo, d)
	istioPath := base + ".trafficRouting.istio"
	vss, vsPath, err := argoVirtualServices(d, &ist, istioPath)
	if err != nil {
		return nil, err
	}
	if err := p.argoSelectors(d, c, &ist); err != nil {
		return nil, err
	}
	if err := p.argoSteps(d, c, ro.Spec.Replicas, as); err != nil {
		return nil, err
	}
	if err := p.argoRouting(d, c, vss[0], vsPath); err != nil {
		return nil, err
	}
	// Resolve the (first) VirtualService; the others get the same weights.
	name, ns := splitVSName(vss[0].Name, d.Namespace)
	p.resolveRoute(cfg, d, name, ns, vss[0].Routes, vsPath+".name")
	for i, v := range vss[1:] {
		n, ns := splitVSName(v.Name, d.Namespace)
		if findVS(cfg, n, ns) == nil {
			p.addFinding(CodeRouteMissing, SeverityError, -1, d.Source(fmt.Sprintf("%s.virtualServices[%d].name", istioPath, i+1)), "VirtualService %q named by the Rollout is not in the inputs", v.Name)
		}
	}
	if len(vss) > 1 {
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, d.Source(istioPath+".virtualServices"), "the Rollout drives %d VirtualServices; the first (%s) is simulated, the others get the same weights", len(vss), vss[0].Name)
	}
	switch {
	case p.TLS && len(vss[0].TCPRoutes) > 0:
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, d.Source(vsPath), "tcpRoutes get the same weights but are not simulated")
	case p.TCP && len(vss[0].TLSRoutes) > 0:
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, d.Source(vsPath), "tlsRoutes get the same weights but are not simulated")
	case !p.TCP && !p.TLS && (len(vss[0].TLSRoutes) > 0 || len(vss[0].TCPRoutes) > 0):
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, d.Source(vsPath), "tlsRoutes and tcpRoutes get the same weights but are not simulated")
	}
	if dr := ist.DestinationRule; dr != nil {
		p.checkDestinationRule(cfg, d, dr.Name, dr.CanarySubsetName, dr.StableSubsetName, d.Source(istioPath+".destinationRule"))
	}
	p.resolveManagedCanary(cfg, d, c, &ist)
	p.checkWeights()
	return p, nil
}

// argoVirtualServices are the VirtualServices the Rollout drives (virtualService or
// virtualServices, each with a name), with the field path of the first.
func argoVirtualServices(d *mesh.Document, ist *argoIstio, istioPath string) ([]argoVirtualService, string, error) {
	var vss []argoVirtualService
	vsPath := istioPath + ".virtualService"
	switch {
	case ist.VirtualService != nil && len(ist.VirtualServices) > 0:
		return nil, "", d.Errorf(istioPath, "set either virtualService or virtualServices, not both")
	case ist.VirtualService != nil:
		vss = []argoVirtualService{*ist.VirtualService}
	case len(ist.VirtualServices) > 0:
		vss = ist.VirtualServices
		vsPath = istioPath + ".virtualServices[0]"
	default:
		return nil, "", d.Errorf(istioPath+".virtualService", "missing: name the VirtualService whose route Argo Rollouts drives")
	}
	for i, v := range vss {
		if v.Name == "" {
			p := istioPath + ".virtualService.name"
			if len(ist.VirtualServices) > 0 {
				p = fmt.Sprintf("%s.virtualServices[%d].name", istioPath, i)
			}
			return nil, "", d.Errorf(p, "missing: the VirtualService's name")
		}
	}
	return vss, vsPath, nil
}

// argoSelectors sets the plan's canary and stable selectors: the DestinationRule's subsets, or
// without one the canary and stable services (Istio host-level traffic splitting).
func (p *Plan) argoSelectors(d *mesh.Document, c *argoCanary, ist *argoIstio) error {
	const base = "spec.strategy.canary"
	if dr := ist.DestinationRule; dr != nil {
		if dr.Name == "" || dr.CanarySubsetName == "" || dr.StableSubsetName == "" {
			return d.Errorf(base+".trafficRouting.istio.destinationRule", "name, canarySubsetName and stableSubsetName are all required")
		}
		p.Canary = Selector{Subset: dr.CanarySubsetName}
		p.Stable = Selector{Subset: dr.StableSubsetName}
		return nil
	}
	// requireCanaryStableServices (pkg/apis/rollouts/validation/validation.go).
	for _, s := range []struct{ field, name string }{{"canaryService", c.CanaryService}, {"stableService", c.StableService}} {
		if s.name == "" {
			return d.Errorf(base+"."+s.field, "missing: Istio host-level traffic splitting (no destinationRule) needs canaryService and stableService")
		}
	}
	p.Canary = Selector{Host: c.CanaryService}
	p.Stable = Selector{Host: c.StableService}
	return nil
}

// splitVSName splits a Rollout's VirtualService name into name and namespace.
func splitVSName(name, namespace string) (string, string) {
	// istioutil.GetVirtualServiceNamespaceName: "name.namespace" names another namespace.
	if n, ns, ok := strings.Cut(name, "."); ok {
		return n, ns
	}
	return name, namespace
}

// findVS is the VirtualService of cfg with this name, in this namespace unless it is empty, or nil.
func findVS(cfg *mesh.Config, name, namespace string) *mesh.VirtualService {
	for _, v := range cfg.VirtualServices {
		if v.Name == name && (namespace == "" || v.Namespace == namespace) {
			return v
		}
	}
	return nil
}

// checkDestinationRule checks that the DestinationRule the plan names is given and defines the
// canary and stable subsets (Argo Rollouts only relabels existing subsets: istio.go, UpdateHash).
func (p *Plan) checkDestinationRule(cfg *mesh.Config, d *mesh.Document, name, canary, stable, src string) {
	var dr *mesh.DestinationRule
	for _, x := range cfg.DestinationRules {
		if x.Name == name && x.Namespace == d.Namespace {
			dr = x
			break
		}
	}
	if dr == nil {
		p.addFinding(CodeSubsetMissing, SeverityError, -1, src, "DestinationRule %q named by the plan is not in the inputs: without it subsets %s and %s have no cluster and Envoy answers 503 (no cluster)", name, canary, stable)
		return
	}
	have := map[string]bool{}
	var names []string
	for _, s := range dr.Spec.GetSubsets() {
		have[s.GetName()] = true
		names = append(names, s.GetName())
	}
	for _, s := range []string{canary, stable} {
		if !have[s] {
			p.Findings = append(p.Findings, newFinding(CodeSubsetMissing, SeverityError, -1, dr.Source("spec.subsets"), destinationSubject(dr.Spec.GetHost(), s),
				"subset %q is not defined by DestinationRule %s (subsets: %s): its share of traffic gets 503 (no cluster)", s, name, strings.Join(names, ", ")))
		}
	}
}

// argoStepTypes are the actions of an Argo Rollouts canary step, in the order argoStep.actions
// lists them.
var argoStepTypes = []string{"setWeight", "pause", "experiment", "analysis", "setCanaryScale", "setHeaderRoute", "setMirrorRoute"}

// actions lists the actions set in a step, named as in argoStepTypes.
func (st *argoStep) actions() []string {
	set := []bool{st.SetWeight != nil, st.Pause != nil, present(st.Experiment), present(st.Analysis),
		st.SetCanaryScale != nil, present(st.SetHeaderRoute), present(st.SetMirrorRoute)}
	var kinds []string
	for i, ok := range set {
		if ok {
			kinds = append(kinds, argoStepTypes[i])
		}
	}
	return kinds
}

// argoStepsPath is the field path of a Rollout's canary steps.
const argoStepsPath = "spec.strategy.canary.steps"

// argoStepPath is the field path of step i of a Rollout.
func argoStepPath(i int) string { return fmt.Sprintf("%s[%d]", argoStepsPath, i) }

// argoWalk is the state of reading a Rollout's canary steps into plan steps.
type argoWalk struct {
	p        *Plan
	d        *mesh.Document
	c        *argoCanary
	replicas *int32
	as       Assumptions
	w        float64 // the canary weight: the last setWeight so far, 0 before any
	pending  int     // index of a setWeight not yet held by a pause, analysis or experiment, or -1
	at       int     // index of the Rollout step being read (the number of steps once read)
	// routes are the managed routes in place (setHeaderRoute, setMirrorRoute), in the order of
	// managedRoutes; pendingRoutes those in place at the pending setWeight.
	routes, pendingRoutes []ManagedRoute
}

// argoSteps turns the Rollout's canary steps into plan steps, as FromRollout describes.
func (p *Plan) argoSteps(d *mesh.Document, c *argoCanary, replicas *int32, as Assumptions) error {
	a := &argoWalk{p: p, d: d, c: c, replicas: replicas, as: as, pending: -1}
	for i, raw := range c.Steps {
		if err := a.step(i, raw); err != nil {
			return err
		}
	}
	a.finish()
	return nil
}

// step reads Rollout step i and acts on its one action.
func (a *argoWalk) step(i int, raw json.RawMessage) error {
	path := argoStepPath(i)
	src := a.d.Source(path)
	a.at = i
	st, kind, err := decodeArgoStep(a.d, raw, path)
	if err != nil {
		return err
	}
	switch kind {
	case "setWeight":
		return a.setWeight(i, path, *st.SetWeight)
	case "pause":
		return a.pause(path, src, st.Pause)
	case "analysis":
		a.p.addFinding(CodeAnalysisDurationAssumed, SeverityInfo, len(a.p.Steps), src, "step %d runs an inline analysis whose length depends on its AnalysisTemplate (interval x count); assumed to be %s (--analysis-duration)", a.at, format.Duration(a.as.AnalysisDuration))
		a.hold(Step{Duration: a.as.AnalysisDuration, DurationAssumed: true, Ends: EndsAnalysis, Path: path, Source: src, Note: fmt.Sprintf("weight %s%%, inline analysis", fmtPct(a.w))})
	case "experiment":
		return a.experiment(path, src, st.Experiment)
	case "setCanaryScale":
		a.canaryScale(src, st.SetCanaryScale)
	case "setHeaderRoute":
		return a.setHeaderRoute(path, st.SetHeaderRoute)
	case "setMirrorRoute":
		return a.setMirrorRoute(path, st.SetMirrorRoute)
	}
	return nil
}

// decodeArgoStep reads a Rollout step strictly and returns it with its action; a step must have
// exactly one.
func decodeArgoStep(d *mesh.Document, raw json.RawMessage, path string) (argoStep, string, error) {
	var st argoStep
	if err := mesh.DecodeStrict(d, raw, path, &st); err != nil {
		return st, "", err
	}
	kinds := st.actions()
	switch len(kinds) {
	case 0:
		return st, "", d.Errorf(path, "step must have one of the following set: %s (a manual pause is written pause: {})", strings.Join(argoStepTypes, ", "))
	case 1:
		return st, kinds[0], nil
	}
	return st, "", d.Errorf(path, "step has more than one action (%s): Argo Rollouts allows one per step", strings.Join(kinds, ", "))
}

// emit appends a plan step with the stable weight the controller computes: 100 - canary -
// experiment weights, and the managed routes in place (none once the rollout is promoted: the
// controller removes them, istio.go RemoveManagedRoutes).
func (a *argoWalk) emit(s Step) {
	if s.SourceStep == nil {
		at := a.at
		s.SourceStep = &at
	}
	if s.Routes == nil {
		s.Routes = append([]ManagedRoute{}, a.routes...)
	}
	if s.Ends == EndsPromotion {
		s.Routes = nil
	}
	s.Note += describeRoutes(s.Routes)
	s.StableWeight = 100 - s.Weight
	for _, e := range s.Extras {
		s.StableWeight -= e.Weight
	}
	a.p.Steps = append(a.p.Steps, s)
}

// hold emits a step that holds the current canary weight (a pause, analysis or experiment), which
// settles the pending setWeight.
func (a *argoWalk) hold(s Step) {
	s.Weight = a.w
	a.emit(s)
	a.pending = -1
}

// emitPending emits the pending setWeight as a step of its own, which nothing holds.
func (a *argoWalk) emitPending(ends Ends, note string) {
	pp := argoStepPath(a.pending)
	at := a.pending
	a.emit(Step{Weight: a.w, Ends: ends, Path: pp, Source: a.d.Source(pp), Note: note, SourceStep: &at, Routes: a.pendingRoutes})
}

// setWeight reads step i's setWeight v: a pending setWeight becomes a step of duration 0 and v
// the pending one.
func (a *argoWalk) setWeight(i int, path string, v int32) error {
	if v < 0 || v > 100 {
		return a.d.Errorf(path+".setWeight", "%d: SetWeight needs to be between 0 and 100", v)
	}
	if a.pending >= 0 {
		a.emitPending(EndsNone, fmt.Sprintf("setWeight %s, followed at once by another setWeight", fmtPct(a.w)))
	}
	a.w = float64(v)
	a.pending = i
	a.pendingRoutes = append([]ManagedRoute{}, a.routes...)
	return nil
}

// pause holds the weight for the pause's duration; a pause without one (pause: {}) waits for a
// manual promotion, whose duration is an assumption.
func (a *argoWalk) pause(path, src string, pause *argoPause) error {
	if !present(pause.Duration) {
		a.p.addFinding(CodeManualPause, SeverityInfo, len(a.p.Steps), src, "step %d waits for a manual promotion (pause: {}); its duration is unknown and assumed to be %s (--manual-pause)", a.at, format.Duration(a.as.ManualPause))
		a.hold(Step{Duration: a.as.ManualPause, DurationAssumed: true, Ends: EndsManual, Path: path, Source: src, Note: fmt.Sprintf("weight %s%%, pause: {} (manual promotion)", fmtPct(a.w))})
		return nil
	}
	dur, err := argoPauseDuration(pause.Duration)
	if err != nil {
		return a.d.Errorf(path+".pause.duration", "%v", err)
	}
	a.hold(Step{Duration: dur, Ends: EndsTime, Path: path, Source: src, Note: fmt.Sprintf("weight %s%%, pause %s", fmtPct(a.w), format.Duration(dur))})
	return nil
}

// experiment holds the weight while an experiment runs, with its weighted templates as extra
// destinations; an experiment without a duration lasts an assumed analysis duration.
func (a *argoWalk) experiment(path, src string, raw json.RawMessage) error {
	var ex argoExperiment
	if err := mesh.DecodeLenient(a.d, raw, path+".experiment", &ex); err != nil {
		return err
	}
	extras, err := a.experimentExtras(path, ex)
	if err != nil {
		return err
	}
	dur, assumed := a.as.AnalysisDuration, true
	if ex.Duration != "" {
		v, err := goDuration(ex.Duration)
		if err != nil {
			return a.d.Errorf(path+".experiment.duration", "%v", err)
		}
		dur, assumed = v, false
	} else {
		a.p.addFinding(CodeAnalysisDurationAssumed, SeverityInfo, len(a.p.Steps), src, "step %d runs an experiment without a duration (it ends when its analyses finish); assumed to be %s (--analysis-duration)", a.at, format.Duration(a.as.AnalysisDuration))
	}
	note := fmt.Sprintf("weight %s%%, experiment", fmtPct(a.w))
	for _, e := range extras {
		note += fmt.Sprintf(" %s=%s%%", e.Host, fmtPct(e.Weight))
	}
	a.hold(Step{Duration: dur, DurationAssumed: assumed, Ends: EndsAnalysis, Path: path, Source: src, Note: note, Extras: extras})
	return nil
}

// experimentExtras are the experiment's templates with a weight, as destinations named after
// their service (else the template, else "experiment-N").
func (a *argoWalk) experimentExtras(path string, ex argoExperiment) ([]Extra, error) {
	var extras []Extra
	for j, t := range ex.Templates {
		if t.Weight == nil {
			continue
		}
		if *t.Weight < 0 || *t.Weight > 100 {
			return nil, a.d.Errorf(fmt.Sprintf("%s.experiment.templates[%d].weight", path, j), "%d is not a percentage from 0 to 100", *t.Weight)
		}
		host := t.Name
		if t.Service != nil && t.Service.Name != "" {
			host = t.Service.Name
		}
		if host == "" {
			host = fmt.Sprintf("experiment-%d", j)
		}
		extras = append(extras, Extra{Host: host, Weight: float64(*t.Weight)})
	}
	return extras, nil
}

// canaryScale reports a setCanaryScale that, with dynamicStableScale, makes a full promotion
// compute a canary weight above 100 and a negative stable weight (argo-rollouts #4424).
func (a *argoWalk) canaryScale(src string, sc *argoCanaryScale) {
	want := int32(1)
	if a.replicas != nil {
		want = *a.replicas
	}
	if a.c.DynamicStableScale && sc.Replicas != nil && *sc.Replicas > want && want > 0 {
		cw := 100 * *sc.Replicas / want
		a.p.addFinding(CodeStableWeightNegative, SeverityError, len(a.p.Steps), src,
			"with dynamicStableScale, a full promotion while the canary runs %d replicas (spec.replicas %d) sets the canary weight to 100 x %d / %d = %d and the stable weight to %d, which Istio rejects (argo-rollouts #4424)",
			*sc.Replicas, want, *sc.Replicas, want, cw, 100-cw)
	}
}

// finish ends the plan as the controller ends a rollout: a pending setWeight becomes a step (the
// promotion itself when it is 100), and after the last step the canary gets 100% and is promoted.
// A Rollout without steps is promoted at once.
func (a *argoWalk) finish() {
	end := argoStepPath(len(a.c.Steps) - 1)
	a.at = len(a.c.Steps)
	if len(a.c.Steps) == 0 {
		end = "spec.strategy.canary"
		a.p.addFinding(CodeNoAnalysis, SeverityWarning, 0, a.d.Source(end), "the Rollout has no steps: Argo Rollouts promotes a new version at once")
	}
	if a.pending >= 0 {
		if a.w == 100 {
			a.emitPending(EndsPromotion, "setWeight 100, then promotion")
			return
		}
		a.emitPending(EndsNone, fmt.Sprintf("setWeight %s, last step", fmtPct(a.w)))
	}
	if n := len(a.p.Steps); n == 0 || a.p.Steps[n-1].Weight != 100 || a.p.Steps[n-1].Ends != EndsPromotion {
		a.emit(Step{Weight: 100, Ends: EndsPromotion, Path: end, Source: a.d.Source(end), Note: "after the last step the canary gets 100% and is promoted"})
	}
}
