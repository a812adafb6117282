package result

// TestRun is the result of `splitsim test`: every scenario file found, in path order.
type TestRun struct {
	Header
	// Verdict fails when a scenario failed or could not be tested.
	Verdict   Verdict            `json:"verdict"`
	Passed    int                `json:"passed"`
	Failed    int                `json:"failed"`
	Scenarios []*ScenarioOutcome `json:"scenarios"`
}

// ScenarioOutcome is the outcome of testing one scenario file.
type ScenarioOutcome struct {
	Name     string  `json:"name"`
	File     string  `json:"file"`
	Passed   Outcome `json:"verdict"`
	Seconds  float64 `json:"duration_s"` // the time the scenario took
	Seed     uint64  `json:"seed"`
	Requests int64   `json:"requests"`
	Alpha    float64 `json:"alpha"`
	// Error is an input error: the scenario could not be tested.
	Error string `json:"error"`
	// Expected is the number of expectations (0: the run's verdict decides).
	Expected int     `json:"expectations"`
	Checks   []Check `json:"checks"`
	// Warnings are the run's caveats (undefined subsets, unreachable rules...), shown with failures.
	Warnings []string `json:"warnings"`
	// Inputs are the files the scenario read: outputs must never replace them.
	Inputs []string `json:"-"`
}

// InputErrors counts the scenarios that could not be tested.
func (t *TestRun) InputErrors() int {
	n := 0
	for _, o := range t.Scenarios {
		if o.Error != "" {
			n++
		}
	}
	return n
}
