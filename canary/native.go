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

// FromNative reads the plan section of a scenario document d and resolves its route in cfg.
func FromNative(d *mesh.Document, np *NativePlan, cfg *mesh.Config, as Assumptions) (*Plan, error) {
	const base = "spec.plan"
	if np == nil {
		return nil, d.Errorf(base, "missing")
	}
	p := &Plan{Kind: KindNative, Name: d.Name, File: d.File, Threshold: 1,
		Source:  fmt.Sprintf("%s: %s (%s)", d.File, d.Doc, d.Resource()),
		Canary:  Selector{Host: np.Canary.Host, Subset: np.Canary.Subset},
		Stable:  Selector{Host: np.Stable.Host, Subset: np.Stable.Subset},
		Traffic: Traffic{RPS: np.RPS, Users: np.Users, UserModel: np.UserModel, ZipfExponent: np.ZipfExponent}}
	if p.Canary.Host == "" && p.Canary.Subset == "" {
		return nil, d.Errorf(base+".canary", "required: give the canary destination's subset and/or host")
	}
	if p.Stable.Host == "" && p.Stable.Subset == "" {
		return nil, d.Errorf(base+".stable", "required: give the stable destination's subset and/or host")
	}
	if p.Canary == p.Stable {
		return nil, d.Errorf(base+".canary", "the canary and stable destinations are the same (%s)", p.Canary)
	}
	if !(np.RPS >= 0) || math.IsInf(np.RPS, 0) {
		return nil, d.Errorf(base+".rps", "must be a positive number, got %v", np.RPS)
	}
	if np.Users < 0 {
		return nil, d.Errorf(base+".users", "must be positive, got %d", np.Users)
	}
	if np.UserModel != "" && !validUserModel(np.UserModel) {
		return nil, d.Errorf(base+".userModel", "%q is not one of even, uniform, zipf", np.UserModel)
	}
	if !(np.ZipfExponent >= 0) || np.ZipfExponent > 10 {
		return nil, d.Errorf(base+".zipfExponent", "must be from 0 to 10, got %v", np.ZipfExponent)
	}
	if len(np.Steps) == 0 {
		return nil, d.Errorf(base+".steps", "required: a plan needs at least one step")
	}
	for i, s := range np.Steps {
		path := fmt.Sprintf("%s.steps[%d]", base, i)
		src := d.Source(path)
		if s.Weight == nil {
			return nil, d.Errorf(path+".weight", "required: the canary's weight in percent")
		}
		w := *s.Weight
		if !(w >= 0) || w > 1e6 {
			return nil, d.Errorf(path+".weight", "must be a percentage of at least 0, got %v", w)
		}
		sw := 100 - w
		if s.StableWeight != nil {
			sw = *s.StableWeight
			if math.IsNaN(sw) || math.Abs(sw) > 1e6 {
				return nil, d.Errorf(path+".stableWeight", "must be a percentage, got %v", sw)
			}
		}
		if s.Duration.Err != "" {
			return nil, d.Errorf(path+".duration", "%s", s.Duration.Err)
		}
		if !(s.RPS >= 0) || math.IsInf(s.RPS, 0) {
			return nil, d.Errorf(path+".rps", "must be a positive number, got %v", s.RPS)
		}
		st := Step{Weight: w, StableWeight: sw, Duration: s.Duration.D, Ends: Ends(s.Ends), RPS: s.RPS, Path: path, Source: src,
			Note: fmt.Sprintf("weight %s%%", fmtPct(w))}
		switch st.Ends {
		case "", EndsTime:
			if !s.Duration.Set {
				return nil, d.Errorf(path+".duration", "required for a timed step (or set ends: manual, analysis, promotion or none)")
			}
			st.Ends = EndsTime
		case EndsManual:
			if !s.Duration.Set {
				st.Duration, st.DurationAssumed = as.ManualPause, true
				p.addFinding(CodeManualPause, SeverityInfo, i, src, "step %d waits for a manual promotion; its duration is unknown and assumed to be %s (--manual-pause)", i, format.Duration(as.ManualPause))
			} else {
				st.DurationAssumed = true
				p.addFinding(CodeManualPause, SeverityInfo, i, src, "step %d waits for a manual promotion; the plan assumes it lasts %s", i, format.Duration(st.Duration))
			}
		case EndsAnalysis:
			if !s.Duration.Set {
				st.Duration, st.DurationAssumed = as.AnalysisDuration, true
				p.addFinding(CodeAnalysisDurationAssumed, SeverityInfo, i, src, "step %d ends with an analysis of unknown length; assumed to be %s (--analysis-duration)", i, format.Duration(as.AnalysisDuration))
			}
		case EndsPromotion, EndsNone:
		default:
			return nil, d.Errorf(path+".ends", "%q is not one of time, analysis, manual, promotion, none", s.Ends)
		}
		p.Steps = append(p.Steps, st)
	}
	var routes []string
	if np.Route != "" {
		routes = []string{np.Route}
	}
	p.resolveRoute(cfg, d, np.VirtualService, "", routes, base+".virtualService")
	p.checkWeights()
	return p, nil
}
