package result

// TestRun is the result of `splitsim test`: every scenario file found, in path order.
type TestRun struct {
	Header
	Passed    int                `json:"passed"`
	Failed    int                `json:"failed"`
	Scenarios []*ScenarioOutcome `json:"scenarios"`
}

// ScenarioOutcome is the outcome of testing one scenario file.
type ScenarioOutcome struct {
	Name     string  `json:"name"`
	File     string  `json:"file"`
	Passed   bool    `json:"passed"`
	Seconds  float64 `json:"seconds"`
	Seed     uint64  `json:"seed,omitempty"`
	Requests int64   `json:"requests,omitempty"`
	Alpha    float64 `json:"alpha,omitempty"`
	// Error is an input error: the scenario could not be tested.
	Error string `json:"error,omitempty"`
	// Expected is the number of expectations (0: the run's verdict decides).
	Expected int     `json:"expectations"`
	Checks   []Check `json:"checks"`
	// Warnings are the run's caveats (undefined subsets, unreachable rules...), shown with failures.
	Warnings []string `json:"warnings,omitempty"`
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
