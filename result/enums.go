package result

import (
	"encoding/json"
	"reflect"
	"strconv"
)

// Verdict is the outcome of a result: pass or fail.
type Verdict string

// Verdicts.
const (
	Pass Verdict = "pass"
	Fail Verdict = "fail"
)

// Severity is a finding's level, as istioctl analyze names its levels. An error fails the verdict.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Action is what a rule does with its requests.
type Action string

// Actions of a rule.
const (
	ActionForward        Action = "forward"
	ActionRedirect       Action = "redirect"
	ActionDirectResponse Action = "direct-response"
	ActionUnsupported    Action = "unsupported"
	// ActionEndpoints: no route applies, the request goes to the Service's cluster and is spread over
	// its endpoints (each destination is a group of pods).
	ActionEndpoints Action = "endpoints"
)

// Forwards says whether the action sends requests to destinations (forward or endpoints).
func (a Action) Forwards() bool { return a == ActionForward || a == ActionEndpoints }

// Ends says what ends a step of a canary plan.
type Ends string

// What ends a step.
const (
	// EndsTime: a fixed duration (Argo pause with a duration, a native step with a duration).
	EndsTime Ends = "time"
	// EndsAnalysis: an analysis decides (Argo analysis and experiment steps, every Flagger
	// interval). The duration is Flagger's interval, or an assumption for Argo.
	EndsAnalysis Ends = "analysis"
	// EndsManual: a person promotes (Argo pause: {}); the duration is an assumption.
	EndsManual Ends = "manual"
	// EndsPromotion: the controller promotes the canary; the plan ends here.
	EndsPromotion Ends = "promotion"
	// EndsNone: nothing holds the step; the next step follows at once (an Argo setWeight directly
	// followed by another setWeight).
	EndsNone Ends = "none"
	// EndsStalled: the controller never leaves this step (Flagger with stepWeights that do not
	// increase); the duration shown is an assumption.
	EndsStalled Ends = "stalled"
)

// Outcome is whether a check, a test or a scenario passed: a bool in Go, written in JSON as its
// Verdict ("pass" or "fail"), so that every result says pass or fail the same way.
type Outcome bool

// Verdict is Pass for a true outcome, else Fail.
func (o Outcome) Verdict() Verdict {
	if o {
		return Pass
	}
	return Fail
}

// MarshalJSON writes the outcome as "pass" or "fail".
func (o Outcome) MarshalJSON() ([]byte, error) { return json.Marshal(o.Verdict()) }

// UnmarshalJSON reads "pass" or "fail".
func (o *Outcome) UnmarshalJSON(b []byte) error {
	var v Verdict
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v {
	case Pass, Fail:
		*o = v == Pass
		return nil
	}
	// encoding/json adds the key's path to a type error
	return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(string(v)), Type: reflect.TypeFor[Outcome]()}
}
