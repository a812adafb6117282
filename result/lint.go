package result

// Lint is the result of `splitsim lint`.
type Lint struct {
	Header
	Files []string `json:"files"`
	// FailThreshold is the least severity that fails the verdict (--fail-threshold, as istioctl
	// analyze's --failure-threshold): error unless asked otherwise.
	FailThreshold Severity `json:"fail_threshold"`
	// Verdict is "fail" when a finding (not suppressed) has FailThreshold's severity or a worse
	// one, else "pass".
	Verdict  Verdict   `json:"verdict"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Infos    int       `json:"infos"`
	Findings []Finding `json:"findings"`
	// Suppressed counts the findings left out by --suppress or by the
	// galley.istio.io/analyze-suppress annotation of their resource; SuppressedFindings lists them.
	// They count in neither the severities nor the verdict.
	Suppressed         int                 `json:"suppressed"`
	SuppressedFindings []SuppressedFinding `json:"suppressed_findings"`
}

// SuppressedFinding is a finding left out, with what left it out.
type SuppressedFinding struct {
	Finding
	// SuppressedBy is "--suppress CODE=RESOURCE" (the value that matched) or "annotation
	// galley.istio.io/analyze-suppress: VALUE".
	SuppressedBy string `json:"suppressed_by"`
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
	Path    string `json:"path"`
	Message string `json:"message"`
}
