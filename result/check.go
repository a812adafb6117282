package result

// Kinds of Check.
const (
	CheckSplit    = "split"
	CheckResponse = "response"
	CheckClass    = "class"
	CheckRun      = "run"
	CheckPlan     = "plan"
)

// Check is the outcome of one expectation.
type Check struct {
	// Name labels the check: the expectation's name, or one made from what it checks.
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Host  string `json:"host"`
	Rule  string `json:"rule"`
	Class string `json:"class"`
	// Passed is the verdict.
	Passed Outcome `json:"verdict"`
	// Expected and Observed are one-line summaries.
	Expected string `json:"expected"`
	Observed string `json:"observed"`
	// Failures holds one self-contained line per problem (empty when Passed).
	Failures []string `json:"failures"`
	// Alpha is the significance level of the check (intervals are at confidence 1-Alpha).
	Alpha float64 `json:"alpha"`
	// Destinations are the per-destination figures of a split or class check.
	Destinations []CheckDestination `json:"destinations"`
	// Test is the goodness-of-fit or binomial test, when one was made.
	Test *CheckTest `json:"test"`
}

// CheckDestination is one destination's figures in a check.
type CheckDestination struct {
	Name string `json:"name"`
	// Expected is the expected share (0 to 1); absent when the destination is not constrained.
	Expected *float64 `json:"expected_share"`
	Count    int64    `json:"count"`
	Share    float64  `json:"share"`
	CILow    float64  `json:"ci_low"`
	CIHigh   float64  `json:"ci_high"`
	Passed   Outcome  `json:"verdict"`
	// Tolerance is the exact tolerance test of the destination, for a split with a tolerance.
	Tolerance *ToleranceTest `json:"tolerance"`
}

// CheckTest is a statistical test made by a check.
type CheckTest struct {
	Method    string  `json:"method"`
	Statistic float64 `json:"statistic"`
	DF        int     `json:"df"`
	PValue    float64 `json:"p_value"`
	Log10P    float64 `json:"log10_p"`
}
