package canary

import (
	"fmt"
	"math"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/mesh"
)

// NativePlan is the optional `plan` section of a scenario file (kind: Scenario): splitsim's own
// plan format, for rollouts driven by hand or by a tool splitsim does not read.
//
//	plan:
//	  virtualService: reviews      # optional when the inputs hold one VirtualService
//	  route: primary               # http route name or "#index"; optional when the VirtualService has one
//	  stable: {subset: v1}         # {host: ..., subset: ...}: which destinations are stable and canary
//	  canary: {subset: v2}
//	  rps: 20                      # optional default for --rps
//	  users: 5000                  # optional default for --users
//	  steps:
//	  - {weight: 5, duration: 10m}       # canary 5%, stable 95%, for 10 minutes
//	  - {weight: 20, duration: 600, rps: 40}
//	  - {weight: 50, ends: manual}       # waits for a person: duration assumed (--manual-pause)
//	  - {weight: 100, ends: promotion}
//
// Weights are percentages and may be fractional (0.5); the stable destination gets 100 - weight
// unless stableWeight says otherwise, and other destinations of the route are removed, as Argo
// Rollouts does.
type NativePlan struct {
	VirtualService string            `json:"virtualService,omitempty"`
	Route          string            `json:"route,omitempty"`
	Canary         NativeDestination `json:"canary"`
	Stable         NativeDestination `json:"stable"`
	RPS            float64           `json:"rps,omitempty"`
	Users          int               `json:"users,omitempty"`
	// UserModel is "even" (default), "uniform" or "zipf"; ZipfExponent applies to "zipf".
	UserModel    string       `json:"userModel,omitempty"`
	ZipfExponent float64      `json:"zipfExponent,omitempty"`
	Steps        []NativeStep `json:"steps"`
}

// NativeDestination selects destinations of the route by host, subset, or both.
type NativeDestination struct {
	Host   string `json:"host,omitempty"`
	Subset string `json:"subset,omitempty"`
}

// NativeStep is one step of a native plan.
type NativeStep struct {
	// Weight is the canary's weight in percent (required).
	Weight *float64 `json:"weight"`
	// StableWeight overrides the stable weight (default 100 - weight).
	StableWeight *float64 `json:"stableWeight,omitempty"`
	// Duration is seconds or a Go duration string.
	Duration Duration `json:"duration,omitzero"`
	// Ends is time (default), analysis, manual, promotion or none.
	Ends string `json:"ends,omitempty"`
	// RPS overrides the plan's requests per second for this step.
	RPS float64 `json:"rps,omitempty"`
}

// UserModels are the accepted user models.
var UserModels = []string{"even", "uniform", "zipf"}

func validUserModel(m string) bool {
	for _, x := range UserModels {
		if m == x {
			return true
		}
	}
	return false
}

// nativeBase is the field path of a scenario's plan section.
const nativeBase = "spec.plan"

// FromNative reads the plan section of a scenario document d and resolves its route in cfg.
func FromNative(d *mesh.Document, np *NativePlan, cfg *mesh.Config, as Assumptions) (*Plan, error) {
	if np == nil {
		return nil, d.Errorf(nativeBase, "missing")
	}
	p := newPlan(KindNative, d)
	p.Canary = Selector{Host: np.Canary.Host, Subset: np.Canary.Subset}
	p.Stable = Selector{Host: np.Stable.Host, Subset: np.Stable.Subset}
	p.Traffic = Traffic{RPS: np.RPS, Users: np.Users, UserModel: np.UserModel, ZipfExponent: np.ZipfExponent}
	if err := p.checkNative(d, np); err != nil {
		return nil, err
	}
	for i, s := range np.Steps {
		st, err := p.nativeStep(d, i, s, as)
		if err != nil {
			return nil, err
		}
		p.Steps = append(p.Steps, st)
	}
	var routes []string
	if np.Route != "" {
		routes = []string{np.Route}
	}
	p.resolveRoute(cfg, d, np.VirtualService, "", routes, nativeBase+".virtualService")
	p.checkWeights()
	return p, nil
}

// checkNative checks the plan section's destinations and traffic, and that it has steps.
func (p *Plan) checkNative(d *mesh.Document, np *NativePlan) error {
	for _, dst := range []struct {
		role string
		sel  Selector
	}{{roleCanary, p.Canary}, {roleStable, p.Stable}} {
		if dst.sel.Host == "" && dst.sel.Subset == "" {
			return d.Errorf(nativeBase+"."+dst.role, "required: give the %s destination's subset and/or host", dst.role)
		}
	}
	switch {
	case p.Canary == p.Stable:
		return d.Errorf(nativeBase+".canary", "the canary and stable destinations are the same (%s)", p.Canary)
	case !(np.RPS >= 0) || math.IsInf(np.RPS, 0):
		return d.Errorf(nativeBase+".rps", "must be a positive number, got %v", np.RPS)
	case np.Users < 0:
		return d.Errorf(nativeBase+".users", "must be positive, got %d", np.Users)
	case np.UserModel != "" && !validUserModel(np.UserModel):
		return d.Errorf(nativeBase+".userModel", "%q is not one of even, uniform, zipf", np.UserModel)
	case !(np.ZipfExponent >= 0) || np.ZipfExponent > 10:
		return d.Errorf(nativeBase+".zipfExponent", "must be from 0 to 10, got %v", np.ZipfExponent)
	case len(np.Steps) == 0:
		return d.Errorf(nativeBase+".steps", "required: a plan needs at least one step")
	}
	return nil
}

// nativeStep reads step i of a native plan: its weights, duration and RPS, and what ends it.
func (p *Plan) nativeStep(d *mesh.Document, i int, s NativeStep, as Assumptions) (Step, error) {
	path := fmt.Sprintf("%s.steps[%d]", nativeBase, i)
	if s.Weight == nil {
		return Step{}, d.Errorf(path+".weight", "required: the canary's weight in percent")
	}
	w := *s.Weight
	if !(w >= 0) || w > 1e6 {
		return Step{}, d.Errorf(path+".weight", "must be a percentage of at least 0, got %v", w)
	}
	sw := 100 - w
	if s.StableWeight != nil {
		sw = *s.StableWeight
		if math.IsNaN(sw) || math.Abs(sw) > 1e6 {
			return Step{}, d.Errorf(path+".stableWeight", "must be a percentage, got %v", sw)
		}
	}
	if s.Duration.Err != "" {
		return Step{}, d.Errorf(path+".duration", "%s", s.Duration.Err)
	}
	if !(s.RPS >= 0) || math.IsInf(s.RPS, 0) {
		return Step{}, d.Errorf(path+".rps", "must be a positive number, got %v", s.RPS)
	}
	st := Step{Weight: w, StableWeight: sw, Duration: s.Duration.D, Ends: Ends(s.Ends), RPS: s.RPS, Path: path, Source: d.Source(path),
		Note: fmt.Sprintf("weight %s%%", fmtPct(w))}
	err := p.nativeEnds(d, i, &st, s.Duration.Set, as)
	return st, err
}

// nativeEnds checks what ends step i and fills in the duration of a step that waits for a person
// or an analysis when the plan does not give it (an assumption, with a finding).
func (p *Plan) nativeEnds(d *mesh.Document, i int, st *Step, durationSet bool, as Assumptions) error {
	switch st.Ends {
	case "", EndsTime:
		if !durationSet {
			return d.Errorf(st.Path+".duration", "required for a timed step (or set ends: manual, analysis, promotion or none)")
		}
		st.Ends = EndsTime
	case EndsManual:
		st.DurationAssumed = true
		if durationSet {
			p.addFinding(CodeManualPause, SeverityInfo, i, st.Source, "step %d waits for a manual promotion; the plan assumes it lasts %s", i, format.Duration(st.Duration))
			break
		}
		st.Duration = as.ManualPause
		p.addFinding(CodeManualPause, SeverityInfo, i, st.Source, "step %d waits for a manual promotion; its duration is unknown and assumed to be %s (--manual-pause)", i, format.Duration(as.ManualPause))
	case EndsAnalysis:
		if !durationSet {
			st.Duration, st.DurationAssumed = as.AnalysisDuration, true
			p.addFinding(CodeAnalysisDurationAssumed, SeverityInfo, i, st.Source, "step %d ends with an analysis of unknown length; assumed to be %s (--analysis-duration)", i, format.Duration(as.AnalysisDuration))
		}
	case EndsPromotion, EndsNone:
	default:
		return d.Errorf(st.Path+".ends", "%q is not one of time, analysis, manual, promotion, none", st.Ends)
	}
	return nil
}
