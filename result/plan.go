package result

// Plan is the result of `splitsim plan`: a canary plan evaluated step by step. Its keys (verdict, rps,
// total_duration_s, findings, steps and their keys) are stable (docs/json.md).
type Plan struct {
	Header
	Files []string `json:"files"`
	// Kind is where the plan comes from: "argo-rollouts", "flagger" or "native"; Name is the
	// Rollout's, Canary's or scenario's name and Source its file and document.
	Kind   string `json:"plan_kind"`
	Name   string `json:"name"`
	Source string `json:"source"`
	// VirtualService, Host and Route say which route the plan drives; Canary and Stable which of
	// its destinations are the canary and the stable version.
	VirtualService string `json:"virtual_service"`
	Host           string `json:"host"`
	Route          string `json:"route"`
	Canary         string `json:"canary"`
	Stable         string `json:"stable"`

	Seed  uint64  `json:"seed"`
	Alpha float64 `json:"alpha"`
	// RPS is the requests per second reaching the route (steps may override it).
	RPS float64 `json:"rps"`
	// Users is the number of active users; UserModel how requests are spread over them.
	Users     int    `json:"users"`
	UserModel string `json:"user_model"`
	// BaselineErrorRate is the stable version's error rate; DetectErrorRate the canary's error rate
	// the plan should detect.
	BaselineErrorRate float64 `json:"baseline_error_rate"`
	DetectErrorRate   float64 `json:"detect_error_rate"`
	// RequirePower is --require-power (0 when not given); TargetPower is the power that
	// duration_for_power_s and detecting_step aim at (RequirePower, or 0.8).
	RequirePower float64 `json:"require_power"`
	TargetPower  float64 `json:"target_power"`
	// ErrorRateTest and SplitTest name the statistical tests behind the power figures.
	ErrorRateTest string `json:"error_rate_test"`
	SplitTest     string `json:"split_test"`

	Verdict Verdict `json:"verdict"`
	// TotalDuration is the rollout time in seconds: the sum of the steps' durations, assumed
	// durations included.
	TotalDuration  float64 `json:"total_duration_s"`
	TotalRequests  int64   `json:"requests"`
	CanaryRequests int64   `json:"canary_requests"`
	// DetectingStep is the first step whose error-rate power reaches TargetPower (null: none).
	DetectingStep *int `json:"detecting_step"`
	// FailedBeforeDetection is the expected number of failed requests a broken canary (error
	// rate DetectErrorRate) serves up to the end of the detecting step (the whole rollout when no
	// step detects it), plus the intervals a Flagger threshold keeps it; ExcessFailed counts only
	// the failures above the baseline error rate.
	FailedBeforeDetection float64 `json:"failed_before_detection"`
	ExcessFailed          float64 `json:"excess_failed_before_detection"`

	Findings    []PlanFinding `json:"findings"`
	Steps       []PlanStep    `json:"steps"`
	Assumptions []string      `json:"assumptions"`
	Warnings    []string      `json:"warnings"`
}

// PlanFinding is a problem or remark about a plan, with a stable code.
type PlanFinding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"` // error, warning, info; an error fails the verdict
	// Step is the index of the step concerned, null for the whole plan.
	Step    *int   `json:"step"`
	Message string `json:"message"`
	Source  string `json:"source"`
}

// PlanStep is one step of a plan and what its traffic did.
type PlanStep struct {
	Index int `json:"index"`
	// SourceStep is the step's own index in the plan it was read from, when that is not Index: for
	// an Argo Rollout the index in spec.strategy.canary.steps at which the rollout holds this step
	// (status.currentStepIndex, the N of kubectl argo rollouts' "Step: N/M"; M, the number of steps,
	// for the promotion after the last). Null for native plans and Flagger's intervals.
	SourceStep *int `json:"source_step"`
	// Weight is the canary's weight in percent; StableWeight the stable's.
	Weight       float64 `json:"weight"`
	StableWeight float64 `json:"stable_weight"`
	// Weights are the route's destinations as applied at this step.
	Weights         []PlanWeight `json:"weights"`
	Start           float64      `json:"start_s"`
	Duration        float64      `json:"duration_s"`
	DurationAssumed bool         `json:"duration_assumed"`
	// Ends is what ends the step: time, analysis, manual, promotion, none or stalled.
	Ends   Ends    `json:"ends"`
	Source string  `json:"source"`
	Note   string  `json:"note"`
	RPS    float64 `json:"rps"`
	// Requests simulated during the step; CanaryRequests and StableRequests those that reached
	// the canary and stable destinations; OtherRequests the rest (experiments, other rules).
	Requests       int64 `json:"requests"`
	CanaryRequests int64 `json:"canary_requests"`
	StableRequests int64 `json:"stable_requests"`
	OtherRequests  int64 `json:"other_requests"`
	// CanaryShare is the simulated share of requests on the canary, with its Wilson interval at
	// confidence 1-alpha; ExpectedCanaryShare the configured one.
	ExpectedCanaryShare float64 `json:"expected_canary_share"`
	CanaryShare         float64 `json:"canary_share"`
	CanaryCILow         float64 `json:"canary_ci_low"`
	CanaryCIHigh        float64 `json:"canary_ci_high"`
	// DetectableDeviation is the smallest shift of the canary's share, in percentage points, that
	// the split test detects in this step with power 0.8 at alpha (null when there is no split).
	DetectableDeviation *float64 `json:"detectable_deviation_pp"`
	// ErrorRatePower is the power of the error-rate test between canary and stable (null when one
	// of them gets no traffic); DurationForPower the step duration in seconds at which it reaches
	// the target power (null when it never does).
	ErrorRatePower   *float64 `json:"error_rate_power"`
	DurationForPower *float64 `json:"duration_for_power_s"`
	// UsersBothVersions is the share of users who reached both the canary and the stable version
	// during this step; UsersBothVersionsCumulative since the start of the rollout. UsersCanary
	// and UsersCanaryCumulative are the shares who reached the canary at least once.
	UsersBothVersions           float64 `json:"users_both_versions"`
	UsersBothVersionsCumulative float64 `json:"users_both_versions_cumulative"`
	UsersCanary                 float64 `json:"users_canary"`
	UsersCanaryCumulative       float64 `json:"users_canary_cumulative"`
	CumulativeCanaryRequests    int64   `json:"cumulative_canary_requests"`
	// MirroredRequests counts the copies the mirrors of the routes the plan drives sent during
	// the step (Argo's setMirrorRoute): extra requests to the mirror, not part of the split.
	MirroredRequests int64 `json:"mirrored_requests"`
	// Routes are the managed routes in place during the step (Argo's setHeaderRoute and
	// setMirrorRoute), as Istio gets them.
	Routes []PlanRoute `json:"managed_routes"`
}

// Number is how reports and expectations number the step: its index in the plan it was read from
// (SourceStep: an Argo Rollout's step, as kubectl argo rollouts shows it), else Index.
func (s PlanStep) Number() int {
	if s.SourceStep != nil {
		return *s.SourceStep
	}
	return s.Index
}

// PlanWeight is one destination of the route at a step.
type PlanWeight struct {
	Name          string  `json:"name"`
	Role          string  `json:"role"` // canary, stable or other
	Weight        int32   `json:"weight"`
	ExpectedShare float64 `json:"expected_share"`
	Status        int     `json:"status"`
}
