package result

// Explain is the result of `splitsim explain`: how the mesh routes one request.
type Explain struct {
	Header
	Host string `json:"host"`
	// From is the caller whose routes are traced; DecidedBy what decides them (see Host).
	From      string           `json:"from,omitempty"`
	DecidedBy string           `json:"decided_by,omitempty"`
	Request   ExplainRequest   `json:"request"`
	Random    *uint64          `json:"random,omitempty"`
	Total     uint64           `json:"total,omitempty"`
	Value     *uint64          `json:"value,omitempty"`
	Trace     []ExplainStep    `json:"trace"`
	Rule      *ExplainRule     `json:"rule"`
	Action    string           `json:"action,omitempty"`
	Status    int              `json:"status,omitempty"`
	Clusters  []ExplainCluster `json:"clusters"`
	Chosen    *ExplainChosen   `json:"chosen,omitempty"`
	// Endpoints are the groups of pods an endpoints action spreads requests over.
	Endpoints []ExplainEndpoints `json:"endpoints,omitempty"`
	// Draws are the rule's other random decisions (fault delay and abort, mirrors), each made by
	// Envoy on a fresh random value; with --random, each shows what that value would decide.
	Draws []ExplainDraw `json:"draws,omitempty"`
}

// ExplainDraw is one random decision of a rule: it happens when the random value mod Denominator
// is below Numerator.
type ExplainDraw struct {
	// What: "fault delay 5s", "fault abort 503", "mirror to reviews/v3".
	What        string  `json:"what"`
	Numerator   uint32  `json:"numerator"`
	Denominator uint32  `json:"denominator"`
	Share       float64 `json:"share"`
	// Value is the random value mod Denominator and Happens whether it is below Numerator (with
	// --random).
	Value   *uint64 `json:"value,omitempty"`
	Happens *bool   `json:"happens,omitempty"`
}

// ExplainEndpoints is one group of a Service's pods.
type ExplainEndpoints struct {
	Name    string  `json:"name"`
	Cluster string  `json:"cluster"`
	Pods    uint32  `json:"pods"`
	Share   float64 `json:"share"`
}

// ExplainRequest is the request being explained.
type ExplainRequest struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers,omitempty"`
	Query   map[string]string `json:"query,omitempty"`
}

// ExplainStep is one route tried.
type ExplainStep struct {
	Index   int    `json:"index"` // rule index
	Rule    string `json:"rule"`
	Match   int    `json:"match"` // match block, -1 for none
	Matched bool   `json:"matched"`
	Reason  string `json:"reason,omitempty"`
}

// ExplainRule names the chosen rule.
type ExplainRule struct {
	Index  int    `json:"index"`
	Name   string `json:"name"`
	Source string `json:"source"`
}

// ExplainCluster is a weighted cluster and its interval.
type ExplainCluster struct {
	Host    string `json:"host"`
	Subset  string `json:"subset"`
	Cluster string `json:"cluster"`
	Weight  uint32 `json:"weight"`
	Begin   uint64 `json:"begin"`
	End     uint64 `json:"end"`
	Status  int    `json:"status"`
}

// ExplainChosen is the destination selected by --random.
type ExplainChosen struct {
	Host    string `json:"host"`
	Subset  string `json:"subset"`
	Cluster string `json:"cluster"`
	Status  int    `json:"status"`
}
