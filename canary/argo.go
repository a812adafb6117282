package canary

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

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

type argoRouteRef struct {
	Name string `json:"name"`
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
	if err := decodeLenient(d, d.JSON, "", &ro); err != nil {
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
	if err := decodeStrict(d, c.TrafficRouting.Istio, base+".trafficRouting.istio", &ist); err != nil {
		return nil, err
	}
	p := &Plan{Kind: KindArgo, Name: d.Name, File: d.File, Threshold: 1,
		Source: fmt.Sprintf("%s: %s (%s)", d.File, d.Doc, d.Resource())}
	istioPath := base + ".trafficRouting.istio"
	var vss []argoVirtualService
	vsPath := istioPath + ".virtualService"
	switch {
	case ist.VirtualService != nil && len(ist.VirtualServices) > 0:
		return nil, d.Errorf(istioPath, "set either virtualService or virtualServices, not both")
	case ist.VirtualService != nil:
		vss = []argoVirtualService{*ist.VirtualService}
	case len(ist.VirtualServices) > 0:
		vss = ist.VirtualServices
		vsPath = istioPath + ".virtualServices[0]"
	default:
		return nil, d.Errorf(istioPath+".virtualService", "missing: name the VirtualService whose route Argo Rollouts drives")
	}
	for i, v := range vss {
		if v.Name == "" {
			p := istioPath + ".virtualService.name"
			if len(ist.VirtualServices) > 0 {
				p = fmt.Sprintf("%s.virtualServices[%d].name", istioPath, i)
			}
			return nil, d.Errorf(p, "missing: the VirtualService's name")
		}
	}
	if dr := ist.DestinationRule; dr != nil {
		if dr.Name == "" || dr.CanarySubsetName == "" || dr.StableSubsetName == "" {
			return nil, d.Errorf(istioPath+".destinationRule", "name, canarySubsetName and stableSubsetName are all required")
		}
		p.Canary = Selector{Subset: dr.CanarySubsetName}
		p.Stable = Selector{Subset: dr.StableSubsetName}
	} else {
		// requireCanaryStableServices (pkg/apis/rollouts/validation/validation.go).
		if c.CanaryService == "" {
			return nil, d.Errorf(base+".canaryService", "missing: Istio host-level traffic splitting (no destinationRule) needs canaryService and stableService")
		}
		if c.StableService == "" {
			return nil, d.Errorf(base+".stableService", "missing: Istio host-level traffic splitting (no destinationRule) needs canaryService and stableService")
		}
		p.Canary = Selector{Host: c.CanaryService}
		p.Stable = Selector{Host: c.StableService}
	}
	if err := p.argoSteps(d, c, ro.Spec.Replicas, as); err != nil {
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
	if len(vss[0].TLSRoutes) > 0 || len(vss[0].TCPRoutes) > 0 {
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, d.Source(vsPath), "tlsRoutes and tcpRoutes get the same weights but are not simulated")
	}
	if dr := ist.DestinationRule; dr != nil {
		p.checkDestinationRule(cfg, d, dr.Name, dr.CanarySubsetName, dr.StableSubsetName, d.Source(istioPath+".destinationRule"))
	}
	p.checkWeights()
	return p, nil
}

func splitVSName(name, namespace string) (string, string) {
	// istioutil.GetVirtualServiceNamespaceName: "name.namespace" names another namespace.
	if n, ns, ok := strings.Cut(name, "."); ok {
		return n, ns
	}
	return name, namespace
}

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

var argoStepTypes = []string{"setWeight", "pause", "experiment", "analysis", "setCanaryScale", "setHeaderRoute", "setMirrorRoute"}

func (p *Plan) argoSteps(d *mesh.Document, c *argoCanary, replicas *int32, as Assumptions) error {
	w := 0.0
	pending := -1 // index of a setWeight not yet held by a pause, analysis or experiment
	emit := func(s Step) {
		s.StableWeight = 100 - s.Weight
		for _, e := range s.Extras {
			s.StableWeight -= e.Weight
		}
		p.Steps = append(p.Steps, s)
	}
	base := "spec.strategy.canary.steps"
	for i, raw := range c.Steps {
		path := fmt.Sprintf("%s[%d]", base, i)
		src := d.Source(path)
		var st argoStep
		if err := decodeStrict(d, raw, path, &st); err != nil {
			return err
		}
		var kinds []string
		if st.SetWeight != nil {
			kinds = append(kinds, "setWeight")
		}
		if st.Pause != nil {
			kinds = append(kinds, "pause")
		}
		if present(st.Experiment) {
			kinds = append(kinds, "experiment")
		}
		if present(st.Analysis) {
			kinds = append(kinds, "analysis")
		}
		if st.SetCanaryScale != nil {
			kinds = append(kinds, "setCanaryScale")
		}
		if present(st.SetHeaderRoute) {
			kinds = append(kinds, "setHeaderRoute")
		}
		if present(st.SetMirrorRoute) {
			kinds = append(kinds, "setMirrorRoute")
		}
		switch len(kinds) {
		case 0:
			return d.Errorf(path, "step must have one of the following set: %s (a manual pause is written pause: {})", strings.Join(argoStepTypes, ", "))
		case 1:
		default:
			return d.Errorf(path, "step has more than one action (%s): Argo Rollouts allows one per step", strings.Join(kinds, ", "))
		}
		hold := func(dur time.Duration, ends Ends, assumed bool, note string, extras []Extra) {
			emit(Step{Weight: w, Duration: dur, DurationAssumed: assumed, Ends: ends, Path: path, Source: src, Note: note, Extras: extras})
			pending = -1
		}
		switch kinds[0] {
		case "setWeight":
			v := *st.SetWeight
			if v < 0 || v > 100 {
				return d.Errorf(path+".setWeight", "%d: SetWeight needs to be between 0 and 100", v)
			}
			if pending >= 0 {
				pp := fmt.Sprintf("%s[%d]", base, pending)
				emit(Step{Weight: w, Ends: EndsNone, Path: pp, Source: d.Source(pp), Note: fmt.Sprintf("setWeight %s, followed at once by another setWeight", fmtPct(w))})
			}
			w = float64(v)
			pending = i
		case "pause":
			if !present(st.Pause.Duration) {
				p.addFinding(CodeManualPause, SeverityInfo, len(p.Steps), src, "step %d waits for a manual promotion (pause: {}); its duration is unknown and assumed to be %s (--manual-pause)", len(p.Steps), format.Duration(as.ManualPause))
				hold(as.ManualPause, EndsManual, true, fmt.Sprintf("weight %s%%, pause: {} (manual promotion)", fmtPct(w)), nil)
				continue
			}
			dur, err := argoPauseDuration(st.Pause.Duration)
			if err != nil {
				return d.Errorf(path+".pause.duration", "%v", err)
			}
			hold(dur, EndsTime, false, fmt.Sprintf("weight %s%%, pause %s", fmtPct(w), format.Duration(dur)), nil)
		case "analysis":
			p.addFinding(CodeAnalysisDurationAssumed, SeverityInfo, len(p.Steps), src, "step %d runs an inline analysis whose length depends on its AnalysisTemplate (interval x count); assumed to be %s (--analysis-duration)", len(p.Steps), format.Duration(as.AnalysisDuration))
			hold(as.AnalysisDuration, EndsAnalysis, true, fmt.Sprintf("weight %s%%, inline analysis", fmtPct(w)), nil)
		case "experiment":
			var ex argoExperiment
			if err := decodeLenient(d, st.Experiment, path+".experiment", &ex); err != nil {
				return err
			}
			var extras []Extra
			for j, t := range ex.Templates {
				if t.Weight == nil {
					continue
				}
				if *t.Weight < 0 || *t.Weight > 100 {
					return d.Errorf(fmt.Sprintf("%s.experiment.templates[%d].weight", path, j), "%d is not a percentage from 0 to 100", *t.Weight)
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
			dur, assumed := as.AnalysisDuration, true
			if ex.Duration != "" {
				v, err := goDuration(ex.Duration)
				if err != nil {
					return d.Errorf(path+".experiment.duration", "%v", err)
				}
				dur, assumed = v, false
			} else {
				p.addFinding(CodeAnalysisDurationAssumed, SeverityInfo, len(p.Steps), src, "step %d runs an experiment without a duration (it ends when its analyses finish); assumed to be %s (--analysis-duration)", len(p.Steps), format.Duration(as.AnalysisDuration))
			}
			note := fmt.Sprintf("weight %s%%, experiment", fmtPct(w))
			for _, e := range extras {
				note += fmt.Sprintf(" %s=%s%%", e.Host, fmtPct(e.Weight))
			}
			hold(dur, EndsAnalysis, assumed, note, extras)
		case "setCanaryScale":
			sc := st.SetCanaryScale
			want := int32(1)
			if replicas != nil {
				want = *replicas
			}
			if c.DynamicStableScale && sc.Replicas != nil && *sc.Replicas > want && want > 0 {
				cw := 100 * *sc.Replicas / want
				p.addFinding(CodeStableWeightNegative, SeverityError, len(p.Steps), src,
					"with dynamicStableScale, a full promotion while the canary runs %d replicas (spec.replicas %d) sets the canary weight to 100 x %d / %d = %d and the stable weight to %d, which Istio rejects (argo-rollouts #4424)",
					*sc.Replicas, want, *sc.Replicas, want, cw, 100-cw)
			}
		case "setHeaderRoute":
			var r argoRouteRef
			_ = json.Unmarshal(st.SetHeaderRoute, &r)
			p.addFinding(CodeNotSimulated, SeverityInfo, len(p.Steps), src, "setHeaderRoute %q sends requests with its headers to the canary through a separate route; only the weighted route is simulated", r.Name)
		case "setMirrorRoute":
			var r argoRouteRef
			_ = json.Unmarshal(st.SetMirrorRoute, &r)
			p.addFinding(CodeNotSimulated, SeverityInfo, len(p.Steps), src, "setMirrorRoute %q mirrors matching requests to the canary; mirrored copies are not part of the split and are not simulated", r.Name)
		}
	}
	end := fmt.Sprintf("%s[%d]", base, len(c.Steps)-1)
	if len(c.Steps) == 0 {
		end = "spec.strategy.canary"
		p.addFinding(CodeNoAnalysis, SeverityWarning, 0, d.Source(end), "the Rollout has no steps: Argo Rollouts promotes a new version at once")
	}
	if pending >= 0 {
		pp := fmt.Sprintf("%s[%d]", base, pending)
		if w == 100 {
			emit(Step{Weight: w, Ends: EndsPromotion, Path: pp, Source: d.Source(pp), Note: "setWeight 100, then promotion"})
			return nil
		}
		emit(Step{Weight: w, Ends: EndsNone, Path: pp, Source: d.Source(pp), Note: fmt.Sprintf("setWeight %s, last step", fmtPct(w))})
	}
	if n := len(p.Steps); n == 0 || p.Steps[n-1].Weight != 100 || p.Steps[n-1].Ends != EndsPromotion {
		emit(Step{Weight: 100, Ends: EndsPromotion, Path: end, Source: d.Source(end), Note: "after the last step the canary gets 100% and is promoted"})
	}
	return nil
}
