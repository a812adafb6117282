package scenarios

import (
	"fmt"
	"strings"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
)

// PlanInputs is what the command line's files hold for a canary plan. Plans are found here rather
// than in package canary because a native plan lives in a scenario document.
type PlanInputs struct {
	Files    []string
	Config   *mesh.Config
	Sources  []PlanSource
	Warnings []string
}

// PlanSource is a document that holds a plan: a Rollout, a Canary, or a scenario with a plan section.
type PlanSource struct {
	Doc    *mesh.Document
	Native *canary.NativePlan
}

// Defaults of splitsim plan, which the plan requirements of scenarios (spec.expect.plan) share.
const (
	PlanDefaultUsers             = 1000
	PlanDefaultZipfExponent      = 1
	PlanDefaultBaselineErrorRate = 0.01
	PlanDefaultDetectErrorRate   = 0.02
)

// LoadPlan reads Kubernetes YAML and scenario files (and the files scenarios name) and keeps every
// document that holds a plan.
func LoadPlan(files []string) (*PlanInputs, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no input files (give a Rollout, a Canary or a scenario with a plan, and the VirtualService and DestinationRule they drive)")
	}
	cfg, read, err := Walk(files, AddStrict, Follow)
	if err != nil {
		return nil, err
	}
	return FindPlans(cfg, read)
}

// FindPlans finds the documents that hold a plan among those of cfg that mesh does not decode, in
// input order: Rollouts, Canaries and scenarios with a plan section.
func FindPlans(cfg *mesh.Config, files []string) (*PlanInputs, error) {
	in := &PlanInputs{Config: cfg, Files: files}
	for _, d := range cfg.Others {
		switch {
		case Is(d):
			s, err := Decode(d)
			if err != nil {
				return nil, err
			}
			if s.Spec.Plan != nil {
				in.Sources = append(in.Sources, PlanSource{Doc: d, Native: s.Spec.Plan})
			}
		case canary.IsRollout(d), canary.IsCanary(d):
			in.Sources = append(in.Sources, PlanSource{Doc: d})
		default:
			in.Warnings = append(in.Warnings, SkippedWarning(d, "splitsim plan"))
		}
	}
	return in, nil
}

// SourceNames lists the documents holding a plan: "Rollout rollouts-demo (file: document 1)".
func (in *PlanInputs) SourceNames() string {
	var names []string
	for _, s := range in.Sources {
		names = append(names, fmt.Sprintf("%s (%s: %s)", s.Doc.Resource(), s.Doc.File, s.Doc.Doc))
	}
	return strings.Join(names, ", ")
}

// plan reads the one plan of the inputs.
func (in *PlanInputs) plan(as canary.Assumptions) (*canary.Plan, error) {
	switch len(in.Sources) {
	case 0:
		return nil, fmt.Errorf("%s: no plan found: give an Argo Rollouts Rollout, a Flagger Canary or a scenario with a plan section", strings.Join(in.Files, ", "))
	case 1:
	default:
		return nil, fmt.Errorf("%s: more than one plan in the inputs (%s); evaluate them one at a time", in.Sources[1].Doc.File, in.SourceNames())
	}
	s := in.Sources[0]
	switch {
	case s.Native != nil:
		return canary.FromNative(s.Doc, s.Native, in.Config, as)
	case canary.IsRollout(s.Doc):
		return canary.FromRollout(s.Doc, in.Config, as)
	}
	return canary.FromCanary(s.Doc, in.Config, as)
}

// PlanSetup is how to evaluate the plan of a set of inputs: splitsim plan fills it from its flags,
// splitsim test from a scenario's spec.expect.plan.
type PlanSetup struct {
	// Options are the traffic and statistical assumptions; Files is set from the inputs.
	Options     canary.Options
	Assumptions canary.Assumptions
	// Given reports whether a traffic setting ("rps", "users", "user-model", "zipf-exponent") was
	// given explicitly: it then wins over the plan's own traffic (a native plan's rps, users...),
	// which otherwise wins over the default in Options.
	Given func(setting string) bool
}

// SettingError is a traffic setting that neither the caller nor the plan gives, or that is out of
// range. Its message names the flag of splitsim plan; splitsim test names the scenario's field.
type SettingError struct {
	Setting string // "rps" or "users"
	Problem string // "is required: ...", "must be from 1 to ..."
}

func (e *SettingError) Error() string { return "--" + e.Setting + " " + e.Problem }

// Evaluate reads the one plan of the inputs and evaluates it step by step with canary.Evaluate: the
// evaluation of splitsim plan, which splitsim test shares for plan requirements.
func (in *PlanInputs) Evaluate(s PlanSetup) (*result.Plan, error) {
	p, err := in.plan(s.Assumptions)
	if err != nil {
		return nil, err
	}
	p.Warnings = append(p.Warnings, in.Warnings...)
	o := s.Options
	o.Files = in.Files
	applyPlanTraffic(&o, p.Traffic, s.Given)
	if !(o.RPS > 0) {
		return nil, &SettingError{"rps", "is required: the requests per second reaching the plan's route (or rps in a native plan)"}
	}
	if o.Users < 1 || o.Users > canary.MaxUsers {
		return nil, &SettingError{"users", fmt.Sprintf("must be from 1 to %d, got %d", canary.MaxUsers, o.Users)}
	}
	return canary.Evaluate(p, o)
}

// applyPlanTraffic lets a native plan's traffic win over the defaults in o, unless a setting was given.
func applyPlanTraffic(o *canary.Options, t canary.Traffic, given func(string) bool) {
	if t.RPS > 0 && !given("rps") {
		o.RPS = t.RPS
	}
	if t.Users > 0 && !given("users") {
		o.Users = t.Users
	}
	if t.UserModel != "" && !given("user-model") {
		o.UserModel = t.UserModel
	}
	if t.ZipfExponent > 0 && !given("zipf-exponent") {
		o.ZipfExponent = t.ZipfExponent
	}
}
