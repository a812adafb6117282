package result

// Lint is the result of `splitsim lint`.
type Lint struct {
	Header
	Files []string `json:"files"`
	// Verdict is "fail" when a finding has severity error, else "pass".
	Verdict  Verdict   `json:"verdict"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Infos    int       `json:"infos"`
	Findings []Finding `json:"findings"`
}

// Finding is one problem found in the configuration.
type Finding struct {
	Severity Severity `json:"severity"` // error, warning or info
	// Code is stable: Istio's analyzer code (IST0101, ...) where Istio checks the same thing, else
	// splitsim's own (SPL001, ...).
	Code string `json:"code"`
	// Name is the code's name (Istio's message name for IST codes).
	Name string `json:"name"`
	File string `json:"file"`
	Line int    `json:"line"` // line of the offending YAML node
	// Resource is "Kind namespace/name".
	Resource string `json:"resource"`
	// Path is the field, such as spec.http[0].route[1].destination.subset.
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}
