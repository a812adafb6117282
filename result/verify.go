package result

// Verify is the result of `splitsim verify`: observed counts tested against configured weights.
type Verify struct {
	Header
	N     int64   `json:"requests"`
	Alpha float64 `json:"alpha"`
	// Method is the fixed-N goodness-of-fit test: pearson, g, exact, exact-montecarlo or
	// exact-bound. The verdict rests on it unless DecidedBy names another check.
	Method string `json:"method"`
	// DecidedBy names the one check the verdict rests on: "sequential" (--sequential),
	// "tolerance" (--tolerance), "weight-0" (a destination of weight 0 received requests: a
	// definite violation), or Method.
	DecidedBy string `json:"decided_by"`
	// TolerancePP, when set, makes the verdict the exact tolerance test: fail only when a
	// destination's share is shown (Holm-adjusted p <= alpha) to be off by more than this many
	// percentage points.
	TolerancePP  float64             `json:"tolerance_pp"`
	Verdict      Verdict             `json:"verdict"`
	Reason       string              `json:"reason"`
	Warnings     []string            `json:"warnings"`
	Source       *VerifySource       `json:"source"`
	Destinations []VerifyDestination `json:"destinations"`
	Pearson      *GOF                `json:"pearson"`
	GTest        *GOF                `json:"g_test"`
	Exact        *GOF                `json:"exact"`
	CohenW       float64             `json:"cohen_w"`
	// Unrouted counts observations without an upstream cluster (Envoy access log "-": 404 NR and
	// the like); they are not part of the split.
	Unrouted   int64       `json:"unrouted"`
	Sequential *Sequential `json:"sequential"`
}

// VerifySource says where the expected shares and the observations came from.
type VerifySource struct {
	Config   []string `json:"config"`
	Host     string   `json:"host"`
	Rule     string   `json:"rule"`
	Observed string   `json:"observed"`
	Format   string   `json:"format"`
	// Before is the earlier scrape subtracted from Observed (--before). Metric, Label, Match, Map
	// and Cumulative are the flags that selected and matched the observations: --metric, --label,
	// each --match, each --map as name=destination (sorted), --cumulative.
	Before     string   `json:"before"`
	Metric     string   `json:"metric"`
	Label      string   `json:"label"`
	Match      []string `json:"match"`
	Map        []string `json:"map"`
	Cumulative bool     `json:"cumulative"`
}

// VerifyDestination is one destination's expected and observed share.
type VerifyDestination struct {
	Name          string  `json:"name"`
	Cluster       string  `json:"cluster"`
	Weight        float64 `json:"weight"`
	ExpectedShare float64 `json:"expected_share"`
	Count         int64   `json:"count"`
	Share         float64 `json:"share"`
	CILow         float64 `json:"ci_low"`
	CIHigh        float64 `json:"ci_high"`
	// PValue is the two-sided exact binomial test of this destination's count against its share;
	// PAdjusted is Holm-adjusted across the destinations.
	PValue    float64 `json:"p_value"`
	Log10P    float64 `json:"log10_p"`
	PAdjusted float64 `json:"p_adjusted"`
	// Off is set when this destination is the reason for a failing verdict.
	Off bool `json:"off"`
	// Tolerance is the exact tolerance test of this destination (with --tolerance only).
	Tolerance *ToleranceTest `json:"tolerance"`
}

// ToleranceTest is the exact test that a destination's share is off its configured share by more
// than the tolerance (stats.ToleranceTest): its p-value, log10 p, and the p-value adjusted across
// the destinations (Holm; unadjusted with two destinations, whose shares move together).
type ToleranceTest struct {
	PValue    float64 `json:"p_value"`
	Log10P    float64 `json:"log10_p"`
	PAdjusted float64 `json:"p_adjusted"`
}

// GOF is a global goodness-of-fit test.
type GOF struct {
	Statistic float64 `json:"statistic"`
	DF        int     `json:"df"`
	PValue    float64 `json:"p_value"`
	Log10P    float64 `json:"log10_p"`
	StdErr    float64 `json:"std_err"`
}

// Sequential is the anytime-valid test over a series of looks.
type Sequential struct {
	Concentration float64 `json:"concentration"`
	// FirstReject is the number of the first look at which the split is rejected, counting from 1
	// as Look.Number does, or 0 when no look rejects it.
	FirstReject int    `json:"first_reject"`
	Looks       []Look `json:"looks"`
}

// Look is one look of a sequential test.
type Look struct {
	// Number is the look's number in the series, counting from 1 as every report does.
	Number int `json:"look"`
	// Label is the look's time label in the series (a CSV's interval column); "" when it has none.
	Label  string  `json:"label"`
	N      int64   `json:"requests"`
	Counts []int64 `json:"counts"`
	PValue float64 `json:"p_value"`
	Log10P float64 `json:"log10_p"`
	Reject bool    `json:"reject"`
	// Shares are each destination's share of this look's own requests (its interval, not the
	// running total), with Wilson intervals at confidence 1-alpha; absent for a look without
	// requests.
	Shares []float64 `json:"shares"`
	CILow  []float64 `json:"ci_low"`
	CIHigh []float64 `json:"ci_high"`
}

// Power is the result of `splitsim power`: the power of the test verify's verdict uses.
type Power struct {
	Header
	Alpha float64 `json:"alpha"`
	// Power is the target power when RequiredN was computed, else the power at N.
	Power float64 `json:"power"`
	DF    int     `json:"df"`
	// EffectSizeW is Cohen's w over the destinations of positive weight (--detect renormalized over
	// them); traffic to weight-0 destinations is ZeroWeightShare.
	EffectSizeW float64 `json:"effect_size_w"`
	// RequiredN is the smallest number of requests at which the power reaches Power (null when -n
	// was given).
	RequiredN *int64 `json:"required_requests"`
	// N is the number of requests the figures are at: the -n given, else RequiredN.
	N        int64     `json:"requests"`
	Expected []float64 `json:"expected"`
	Detect   []float64 `json:"detect"`
	// Method is the verdict's test as verify --method names it: auto, pearson or exact.
	Method string `json:"method"`
	// Test is the test the verdict uses at that number of requests (pearson or exact; violation
	// when only weight-0 destinations can fail it).
	Test string `json:"test"`
	// AchievedPower is the power at RequiredN (or N).
	AchievedPower float64 `json:"achieved_power"`
	// PowerMethod is how the power was computed: exact (the outcomes summed), approximation (a
	// Gaussian quadratic form, verified by simulation) or simulation (seeded; PowerStdErr and
	// Replicates).
	PowerMethod string  `json:"power_method"`
	PowerStdErr float64 `json:"power_std_err"`
	Replicates  int     `json:"replicates"`
	// ZeroWeightShare is the share of --detect on destinations of weight 0: any request there is a
	// definite violation, detected for certain.
	ZeroWeightShare float64 `json:"zero_weight_share"`
}
