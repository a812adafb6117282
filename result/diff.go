package result

// Changes of a host, rule, class or destination between the old and the new configuration.
const (
	ChangeNone    = ""
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeMoved   = "moved"   // a destination's exact share changed
	ChangeRouted  = "changed" // a rule's action or a class's rule or outcome changed
)

// Diff is the result of `splitsim diff OLD NEW`: for every host and rule (and request class of a
// scenario), each destination's share before and after, exactly from the weights and as simulated.
type Diff struct {
	Header
	Old  []string `json:"old"` // files of the old configuration
	New  []string `json:"new"`
	Seed uint64   `json:"seed"`
	// Requests is the number of simulated requests (per rule when no scenario traffic is given).
	Requests int64 `json:"requests"`
	// FailOnChangePP is the --fail-on-change threshold in percentage points, when given.
	FailOnChangePP *float64 `json:"fail_on_change_pp"`
	// Verdict is "fail" when an exact share moved by more than FailOnChangePP, else "pass".
	Verdict Verdict `json:"verdict"`
	Changed bool    `json:"changed"`
	// MaxChangePP is the largest change of an exact share, in percentage points.
	MaxChangePP float64 `json:"max_change_pp"`
	// Moves lists every exact share that changed, largest first.
	Moves    []Move      `json:"moves"`
	Hosts    []HostDiff  `json:"hosts"`
	Classes  []ClassDiff `json:"classes"`
	Warnings []string    `json:"warnings"`
}

// HostDiff is one host in either configuration.
type HostDiff struct {
	Host   string     `json:"host"`
	Change string     `json:"change"` // added, removed, or "" when in both
	Rules  []RuleDiff `json:"rules"`
}

// RuleDiff is one rule, matched by its label (name, or "#index").
type RuleDiff struct {
	Rule      string `json:"rule"`
	Change    string `json:"change"` // added, removed, changed (action), or ""
	OldSource string `json:"old_source"`
	NewSource string `json:"new_source"`
	// OldAction and NewAction are "" on the side without the rule (schema:"empty" lets the JSON
	// Schema's enum of actions take "").
	OldAction    Action            `json:"old_action" schema:"empty"`
	NewAction    Action            `json:"new_action" schema:"empty"`
	OldRequests  int64             `json:"old_requests"`
	NewRequests  int64             `json:"new_requests"`
	Destinations []DestinationDiff `json:"destinations"`
}

// DestinationDiff is one destination of a rule or class. Entries listing the same destination twice
// are summed. Shares are fractions (0.8 is 80%); changes are in percentage points.
type DestinationDiff struct {
	Name   string `json:"name"`
	Host   string `json:"host"`
	Subset string `json:"subset"`
	// Endpoints names the pod group of an endpoints rule (see Destination.Endpoints).
	Endpoints    string  `json:"endpoints"`
	Port         uint32  `json:"port"`
	Change       string  `json:"change"` // added, removed, moved, or ""
	OldWeight    int32   `json:"old_weight"`
	NewWeight    int32   `json:"new_weight"`
	OldExact     float64 `json:"old_exact"`
	NewExact     float64 `json:"new_exact"`
	ChangePP     float64 `json:"change_pp"`
	OldSimulated float64 `json:"old_simulated"`
	NewSimulated float64 `json:"new_simulated"`
	SimulatedPP  float64 `json:"simulated_change_pp"`
	OldStatus    int     `json:"old_status"`
	NewStatus    int     `json:"new_status"`
}

// ClassDiff is one request class of a scenario's traffic.
type ClassDiff struct {
	Class        string            `json:"class"`
	Host         string            `json:"host"`
	Change       string            `json:"change"`
	OldRule      string            `json:"old_rule"`
	NewRule      string            `json:"new_rule"`
	OldOutcome   string            `json:"old_outcome"`
	NewOutcome   string            `json:"new_outcome"`
	Destinations []DestinationDiff `json:"destinations"`
}

// Move is one exact share that changed.
type Move struct {
	Host        string  `json:"host"`
	Rule        string  `json:"rule"`
	Class       string  `json:"class"`
	Destination string  `json:"name"`
	OldExact    float64 `json:"old_exact"`
	NewExact    float64 `json:"new_exact"`
	ChangePP    float64 `json:"change_pp"`
}
