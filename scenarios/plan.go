package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/mesh"
)

// PlanExpectation is `spec.expect.plan`: requirements on the canary plan that the scenario's inputs
// hold (a native spec.plan, or an Argo Rollouts Rollout or a Flagger Canary in the scenario file or
// in the files spec.config names). `splitsim test` evaluates the plan as `splitsim plan` does, with
// the traffic and error rates given here, and makes one check per requirement (package expect).
//
//	plan:
//	  rps: 200                       # traffic: required unless the plan gives it
//	  requirePower: 0.8              # every step with traffic reaches this power
//	  detectBy: 20m                  # or a step index: some step reaches the power by then
//	  maxDuration: 1h                # total rollout time
//	  maxFailedBeforeDetection: 150  # failed requests a broken canary serves until detected
//	  maxUsersBothVersions: 50       # percent of users who see both versions by the end
//	  noErrors: true                 # default: no error finding (step-too-short is requirePower's)
type PlanExpectation struct {
	// Traffic and statistical assumptions, as the flags of splitsim plan. Zero means "not given":
	// the plan's own value (a native plan's rps, users, userModel, zipfExponent) applies, else the
	// default of splitsim plan. A value given here wins over the plan's.
	RPS               float64 `json:"rps,omitempty"`
	Users             int     `json:"users,omitempty"`
	UserModel         string  `json:"userModel,omitempty"`
	ZipfExponent      float64 `json:"zipfExponent,omitempty"`
	BaselineErrorRate float64 `json:"baselineErrorRate,omitempty"`
	DetectErrorRate   float64 `json:"detectErrorRate,omitempty"`
	// Alpha is the level of the tests behind the power figures (default: spec.expect.alpha, else
	// splitsim test --alpha).
	Alpha float64 `json:"alpha,omitempty"`
	// ManualPause and AnalysisDuration are the assumed durations of manual gates and of analyses of
	// unknown length (splitsim plan --manual-pause, --analysis-duration).
	ManualPause      canary.Duration `json:"manualPause,omitzero"`
	AnalysisDuration canary.Duration `json:"analysisDuration,omitzero"`

	// RequirePower: every step in which both the canary and the stable version get traffic (the
	// promotion aside) reaches this power to detect the error-rate rise. It is also the power that
	// DetectBy and MaxFailedBeforeDetection aim at (default 0.8), as --require-power is for
	// splitsim plan.
	RequirePower *float64 `json:"requirePower,omitempty"`
	// DetectBy: some step reaches the power by this step (an index), or by this time since the start
	// of the rollout; a step detects at its end.
	DetectBy *PlanDeadline `json:"detectBy,omitempty"`
	// MaxDuration bounds the total rollout time, assumed durations included.
	MaxDuration canary.Duration `json:"maxDuration,omitzero"`
	// MaxFailedBeforeDetection bounds the expected failed requests a broken canary serves before the
	// first step that reaches the power (over the whole rollout when none does).
	MaxFailedBeforeDetection *float64 `json:"maxFailedBeforeDetection,omitempty"`
	// MaxUsersBothVersions bounds the percentage of users who have seen both versions by the end
	// of the rollout.
	MaxUsersBothVersions *float64 `json:"maxUsersBothVersions,omitempty"`
	// NoErrors (default true): the plan has no error finding. step-too-short is left to
	// RequirePower, which reports it step by step.
	NoErrors *bool `json:"noErrors,omitempty"`

	// Path is the field path of the requirements ("spec.expect.plan"), for error messages.
	Path string `json:"-"`

	raw json.RawMessage
}

// planFields is PlanExpectation without its UnmarshalJSON, for the strict decoding in validate.
type planFields PlanExpectation

// UnmarshalJSON keeps the requirements to decode them strictly when the scenario is validated, so
// that an unknown or mistyped field is reported with its own path and line.
func (p *PlanExpectation) UnmarshalJSON(b []byte) error {
	p.raw = append(json.RawMessage(nil), b...)
	return nil
}

// CheckNoErrors reports whether the noErrors requirement is checked (it is unless set to false).
func (p *PlanExpectation) CheckNoErrors() bool {
	return p != nil && (p.NoErrors == nil || *p.NoErrors)
}

// Count is the number of checks the requirements make.
func (p *PlanExpectation) Count() int {
	if p == nil {
		return 0
	}
	n := 0
	for _, set := range []bool{p.RequirePower != nil, p.DetectBy != nil, p.MaxDuration.Set, p.MaxFailedBeforeDetection != nil,
		p.MaxUsersBothVersions != nil, p.CheckNoErrors()} {
		if set {
			n++
		}
	}
	return n
}

// PlanDeadline is when detectBy wants a step to reach the power: a step index (an integer or
// "#index"), or a duration since the start of the rollout ("20m", "1h30m").
type PlanDeadline struct {
	// Step is the step index when IsStep; otherwise Duration is the time.
	Step     int
	IsStep   bool
	Duration time.Duration
	err      string
}

// UnmarshalJSON reads a step index or a duration. It never fails: a bad value is reported with its
// path when the scenario is validated.
func (t *PlanDeadline) UnmarshalJSON(b []byte) error {
	*t = PlanDeadline{}
	b = bytes.TrimSpace(b)
	var n int
	if err := json.Unmarshal(b, &n); err == nil {
		if n < 0 {
			t.err = fmt.Sprintf("a step index must not be negative, got %d", n)
		}
		t.Step, t.IsStep = n, true
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		t.err = fmt.Sprintf("a step index (2 or \"#2\") or a duration (20m), got %s", b)
		return nil
	}
	s = strings.TrimSpace(s)
	if i, ok := strings.CutPrefix(s, "#"); ok {
		n, err := strconv.Atoi(i)
		if err != nil || n < 0 {
			t.err = fmt.Sprintf("%q is not a step index (\"#2\")", s)
		}
		t.Step, t.IsStep = n, true
		return nil
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		t.err = fmt.Sprintf("%q is neither a step index (2 or \"#2\") nor a duration with a unit (20m, 1h30m)", s)
	case d <= 0:
		t.err = fmt.Sprintf("%q: the duration must be positive", s)
	}
	t.Duration = d
	return nil
}

// String is "step 2" or "20m".
func (t PlanDeadline) String() string {
	if t.IsStep {
		return "step " + strconv.Itoa(t.Step)
	}
	return format.Duration(t.Duration)
}

// validate decodes the requirements strictly and checks their form; whether the scenario holds a
// plan, and its steps, are checked when it is evaluated.
func (p *PlanExpectation) validate(d *mesh.Document, path string) error {
	p.Path = path
	dec := json.NewDecoder(bytes.NewReader(p.raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode((*planFields)(p)); err != nil {
		return planDecodeError(d, path, err)
	}
	field := func(name string) string { return path + "." + name }
	positive := func(name string, v float64) error {
		if !(v >= 0) || math.IsInf(v, 0) {
			return d.Errorf(field(name), "must be a positive number, got %v", v)
		}
		return nil
	}
	rate := func(name string, v float64) error {
		if v != 0 && !(v > 0 && v < 1) {
			return d.Errorf(field(name), "an error rate between 0 and 1 (0.01 is 1%%), got %v", v)
		}
		return nil
	}
	durations := []struct {
		name string
		d    canary.Duration
	}{{"manualPause", p.ManualPause}, {"analysisDuration", p.AnalysisDuration}, {"maxDuration", p.MaxDuration}}
	for _, x := range durations {
		if x.d.Err != "" {
			return d.Errorf(field(x.name), "%s", x.d.Err)
		}
	}
	switch {
	case positive("rps", p.RPS) != nil:
		return positive("rps", p.RPS)
	case p.Users < 0 || p.Users > canary.MaxUsers:
		return d.Errorf(field("users"), "must be from 1 to %d, got %d", canary.MaxUsers, p.Users)
	case p.UserModel != "" && !slices.Contains(canary.UserModels, p.UserModel):
		return d.Errorf(field("userModel"), "%q is not one of %s", p.UserModel, strings.Join(canary.UserModels, ", "))
	case !(p.ZipfExponent >= 0) || p.ZipfExponent > 10:
		return d.Errorf(field("zipfExponent"), "must be from 0 to 10, got %v", p.ZipfExponent)
	case rate("baselineErrorRate", p.BaselineErrorRate) != nil:
		return rate("baselineErrorRate", p.BaselineErrorRate)
	case rate("detectErrorRate", p.DetectErrorRate) != nil:
		return rate("detectErrorRate", p.DetectErrorRate)
	case p.DetectErrorRate != 0 && p.DetectErrorRate == p.BaselineErrorRate:
		return d.Errorf(field("detectErrorRate"), "must differ from baselineErrorRate (both %v)", p.BaselineErrorRate)
	case p.Alpha != 0 && !(p.Alpha > 0 && p.Alpha < 1):
		return d.Errorf(field("alpha"), "must be between 0 and 1, got %v", p.Alpha)
	case p.RequirePower != nil && !(*p.RequirePower > 0 && *p.RequirePower < 1):
		return d.Errorf(field("requirePower"), "a power between 0 and 1 (0.8 is usual), got %v", *p.RequirePower)
	case p.DetectBy != nil && p.DetectBy.err != "":
		return d.Errorf(field("detectBy"), "%s", p.DetectBy.err)
	case p.MaxDuration.Set && p.MaxDuration.D <= 0:
		return d.Errorf(field("maxDuration"), "must be positive, got %s", p.MaxDuration.D)
	case p.MaxFailedBeforeDetection != nil && positive("maxFailedBeforeDetection", *p.MaxFailedBeforeDetection) != nil:
		return positive("maxFailedBeforeDetection", *p.MaxFailedBeforeDetection)
	case p.MaxUsersBothVersions != nil && !(*p.MaxUsersBothVersions >= 0 && *p.MaxUsersBothVersions <= 100):
		return d.Errorf(field("maxUsersBothVersions"), "a percentage between 0 and 100, got %v", *p.MaxUsersBothVersions)
	case p.Count() == 0:
		return d.Errorf(field("noErrors"), "nothing to check: with noErrors false, give requirePower, detectBy, maxDuration, maxFailedBeforeDetection or maxUsersBothVersions")
	}
	return nil
}

// planDecodeError turns an encoding/json error about the requirements into an input error naming
// the field.
func planDecodeError(d *mesh.Document, path string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return d.Errorf(path+"."+te.Field, "expected %s, got %s", mesh.KindName(te.Type), te.Value)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		name = strings.Trim(name, `"`)
		hint := ""
		if best := mesh.Closest(name, planFieldNames()); best != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", best)
		}
		return d.Errorf(path+"."+name, "unknown field %q%s; plan requirements are %s", name, hint, strings.Join(planFieldNames(), ", "))
	}
	if errors.As(err, &te) {
		return d.Errorf(path, "expected a mapping of requirements, got %s", te.Value)
	}
	return d.Errorf(path, "%s", msg)
}

// planFieldNames lists the fields of plan requirements, in declaration order.
func planFieldNames() []string {
	t := reflect.TypeFor[PlanExpectation]()
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}
