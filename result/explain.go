package result

// Explain is the result of `splitsim explain`: how the mesh routes one request.
type Explain struct {
	Header
	Host string `json:"host"`
	// From is the caller whose routes are traced; DecidedBy what decides them (see Host).
	From      string           `json:"from"`
	DecidedBy string           `json:"decided_by"`
	Request   ExplainRequest   `json:"request"`
	Random    *uint64          `json:"random"`
	Total     uint64           `json:"total"`
	Value     *uint64          `json:"value"`
	Trace     []ExplainStep    `json:"trace"`
	Rule      *ExplainRule     `json:"rule"`
	Action    string           `json:"action"`
	Status    int              `json:"status"`
	Clusters  []ExplainCluster `json:"clusters"`
	Chosen    *ExplainChosen   `json:"chosen"`
	// Endpoints are the groups of pods an endpoints action spreads requests over.
	Endpoints []ExplainEndpoints `json:"endpoints"`
	// Draws are the rule's other random decisions (fault delay and abort, mirrors), each made by
	// Envoy on a fresh random value; with --random, each shows what that value would decide.
	Draws []ExplainDraw `json:"draws"`
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
	Value   *uint64 `json:"value"`
	Happens *bool   `json:"happens"`
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
	Method string `json:"method"`
	// Authority is the request's host (--host, else the only host's name); Explain.Host is the
	// table host that serves it (a VirtualService's "*.a.svc.cluster.local" serves
	// "svc.a.svc.cluster.local").
	Authority string            `json:"authority"`
	Path      string            `json:"path"`
	Headers   map[string]string `json:"headers"`
	Query     map[string]string `json:"query"`
}

// ExplainStep is one route tried.
type ExplainStep struct {
	Index   int    `json:"index"` // rule index
	Rule    string `json:"rule"`
	Match   int    `json:"match"` // match block, -1 for none
	Matched bool   `json:"matched"`
	Reason  string `json:"reason"`
}

// ExplainRule names the chosen rule.
type ExplainRule struct {
	Index  int    `json:"index"`
	Name   string `json:"name"`
	Source string `json:"source"`
}

// ExplainCluster is a weighted cluster and its interval. Name names its destination as run does
// (the subset, else host:port, else the host).
type ExplainCluster struct {
	Name    string `json:"name"`
	Host    string `json:"host"`
	Subset  string `json:"subset"`
	Cluster string `json:"cluster"`
	Weight  uint32 `json:"weight"`
	Begin   uint64 `json:"begin"`
	End     uint64 `json:"end"`
	Status  int    `json:"status"`
}

// ExplainChosen is the destination selected by --random, named as in Clusters.
type ExplainChosen struct {
	Name    string `json:"name"`
	Host    string `json:"host"`
	Subset  string `json:"subset"`
	Cluster string `json:"cluster"`
	Status  int    `json:"status"`
}
