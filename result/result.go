// Package result holds the plain result structs that every renderer reads: the JSON schema of
// splitsim's output. It computes nothing.
package result

import "strconv"

// Run is the result of `splitsim run`.
type Run struct {
	Header
	Files    []string `json:"files"`
	Scenario string   `json:"scenario"`
	Seed     uint64   `json:"seed"`
	Requests int64    `json:"requests"`
	Alpha    float64  `json:"alpha"`
	// Method is the simulation path: "per-request" or "multinomial".
	Method string `json:"method"`
	// Verdict fails on any problem, failed expectation or failed self-test.
	Verdict Verdict `json:"verdict"`
	// Problems are error-level findings about the configuration on the simulated traffic (a share
	// answered 503 because a subset or a host has no cluster or no pods): each fails the verdict.
	Problems []string `json:"problems"`
	// Checks are the scenario's expectations evaluated on this run (absent without any).
	Checks []Check `json:"checks"`
	// SelfTest is the verdict of the goodness-of-fit tests of the simulated counts against the
	// configured shares, Holm-adjusted across rules: a check of the simulator itself, not of the
	// configuration.
	SelfTest Verdict  `json:"self_test"`
	Warnings []string `json:"warnings"`
	// Mirrored counts the copies that mirror policies sent, over every host: extra requests to the
	// mirror destinations, not part of Requests.
	Mirrored int64  `json:"mirrored"`
	Hosts    []Host `json:"hosts"`
	// Classes says where each request class of a scenario went (absent without a scenario).
	Classes []Class `json:"classes"`
}

// Host is one virtual host's traffic.
type Host struct {
	Host string `json:"host"`
	// From is the caller whose proxy routes this host, as --from takes it ("sidecar:NS[:LABELS]",
	// "gateway:NS/NAME[:PORT]"); Callers lists every caller that gets the same routes.
	From    string   `json:"from"`
	Callers []string `json:"callers"`
	// DecidedBy names what decides these callers' requests: "VirtualService NS/NAME",
	// "HTTPRoute NS/NAME" or "no route: endpoints of Service NS/NAME (...)".
	DecidedBy string `json:"decided_by"`
	Requests  int64  `json:"requests"`
	// Unmatched counts requests that matched no rule: Envoy answers 404 (response flag NR).
	Unmatched int64 `json:"unmatched"`
	// NoCluster counts requests sent to a subset no DestinationRule defines: 503 (flag NC).
	NoCluster int64 `json:"no_cluster"`
	// NoHealthy counts requests sent to a subset whose labels select none of the Service's pods in
	// the inputs: 503 (flag UH).
	NoHealthy int64 `json:"no_healthy_upstream"`
	// Mirrored counts the copies the host's rules mirrored (the sum of their mirrors' counts): extra
	// requests, not part of Requests.
	Mirrored int64  `json:"mirrored"`
	Rules    []Rule `json:"rules"`
}

// Rule is one rule (VirtualService http[] entry) and what its requests did.
type Rule struct {
	Rule   string `json:"rule"` // name, or "#index"
	Index  int    `json:"index"`
	Name   string `json:"name"`
	Source string `json:"source"`
	// Match lists the rule's match blocks as Envoy tests them, in order ("header x-beta exact
	// \"true\""); an empty string is a block that takes every request. Absent when the rule has no
	// route (unreachable, or skipped for this caller).
	Match  []string `json:"match"`
	Action Action   `json:"action"` // forward, redirect, direct-response, unsupported
	// Protocol is what the rule routes: "http", "grpc" (a GRPCRoute's rule), or "tcp" and "tls" (a
	// VirtualService's tcp and tls routes, a TCPRoute or TLSRoute), whose requests are connections.
	Protocol string `json:"protocol"`
	Status   int    `json:"status"` // for redirect and direct-response
	Requests int64  `json:"requests"`
	// Unreachable: an earlier catch-all hides this rule; Istio generates no route for it.
	Unreachable bool `json:"unreachable"`
	// Skipped says why the rule does not apply to this host's caller (its matches test
	// sourceLabels, sourceNamespace, gateways or port).
	Skipped      string        `json:"skipped"`
	Destinations []Destination `json:"destinations"`
	// Forwarded counts the requests that reached a destination: Requests less those the fault
	// injection aborted. Destination shares are of the forwarded requests.
	Forwarded int64 `json:"forwarded"`
	// Fault is the rule's fault injection and what it did (omitted without one).
	Fault *Fault `json:"fault"`
	// Mirrors are the copies the rule's mirror policies sent: extra requests, not part of the split
	// (omitted without any).
	Mirrors []Mirror `json:"mirrors"`
	Test    *Test    `json:"test"`
	Series  []Point  `json:"series"`
}

// Destination is one weighted destination of a rule.
type Destination struct {
	// Label is Name(): how reports and expectations name the destination, the key "name" as in
	// every result.
	Label         string  `json:"name"`
	Host          string  `json:"host"`
	Subset        string  `json:"subset"`
	Port          uint32  `json:"port"`
	Cluster       string  `json:"cluster"`
	Weight        int32   `json:"weight"`
	ExpectedShare float64 `json:"expected_share"`
	Count         int64   `json:"count"`
	Share         float64 `json:"share"`
	CILow         float64 `json:"ci_low"`
	CIHigh        float64 `json:"ci_high"`
	Status        int     `json:"status"`
	Flag          string  `json:"flag"`
	// Endpoints names the group of pods of an endpoints rule: the DestinationRule subset that
	// selects them, or their workload.
	Endpoints string `json:"endpoints"`
}

// Name is how reports and expectations name a destination: its subset, or its group of pods, or
// host:port, or host.
func (d Destination) Name() string {
	if d.Subset != "" {
		return d.Subset
	}
	if d.Endpoints != "" {
		return d.Endpoints
	}
	if d.Port != 0 {
		return d.Host + ":" + strconv.FormatUint(uint64(d.Port), 10)
	}
	return d.Host
}

// Fault is a rule's fault injection: the share of its requests aborted and delayed, configured and
// simulated.
type Fault struct {
	Abort *FaultPart `json:"abort"`
	Delay *FaultPart `json:"delay"`
}

// FaultPart is an abort or a delay: its expected share of the rule's requests (Envoy's fractional
// percent) and the simulated count, share and Wilson interval at confidence 1-alpha.
type FaultPart struct {
	// Status is an abort's HTTP status (200 for a gRPC abort, whose status is GRPCStatus).
	Status     int    `json:"status"`
	GRPCStatus string `json:"grpc_status"`
	// FixedDelay is a delay's duration ("5s").
	FixedDelay    string  `json:"fixed_delay"`
	ExpectedShare float64 `json:"expected_share"`
	Count         int64   `json:"count"`
	Share         float64 `json:"share"`
	CILow         float64 `json:"ci_low"`
	CIHigh        float64 `json:"ci_high"`
}

// Mirror is one mirror policy of a rule: the copies it sent, as a share of the forwarded requests.
// Name names the mirror's destination as Destination.Name does (its subset, else its host).
type Mirror struct {
	Name          string  `json:"name"`
	Host          string  `json:"host"`
	Subset        string  `json:"subset"`
	Cluster       string  `json:"cluster"`
	ExpectedShare float64 `json:"expected_share"`
	Count         int64   `json:"count"`
	Share         float64 `json:"share"`
}

// Test is a goodness-of-fit test of a rule's counts against its configured shares.
type Test struct {
	Method    string   `json:"method"`
	Statistic float64  `json:"statistic"`
	DF        int      `json:"df"`
	PValue    float64  `json:"p_value"`
	Log10P    float64  `json:"log10_p"`
	PAdjusted float64  `json:"p_adjusted"` // Holm-adjusted across the run's tests
	Passed    Outcome  `json:"verdict"`
	Warnings  []string `json:"warnings"`
}

// Point is a checkpoint of the cumulative counts of a rule, for convergence charts.
type Point struct {
	Requests int64   `json:"requests"`
	Counts   []int64 `json:"counts"`
	// Shares are the observed shares Counts[i] / Requests, per destination.
	Shares []float64 `json:"shares"`
	// FunnelLow and FunnelHigh bound, per destination, the configured share p plus or minus
	// FunnelSigmas standard errors at this many requests (sigma = sqrt(p(1-p)/Requests)), clipped to
	// [0, 1]: the funnel a correctly configured split's observed share stays in almost always.
	FunnelLow  []float64 `json:"funnel_low"`
	FunnelHigh []float64 `json:"funnel_high"`
}

// FunnelSigmas is the half-width, in standard errors, of the funnel in Point.
const FunnelSigmas = 3

// Class is where one request class of a scenario went.
type Class struct {
	Name     string `json:"name"`
	Host     string `json:"host"`
	Requests int64  `json:"requests"`
	Rule     string `json:"rule"` // "#index", name, or "" for no route
	// Outcome: "routed", "404 no route", "404 unknown host", or the action kind.
	Outcome string  `json:"outcome"`
	Counts  []int64 `json:"counts"` // per destination of the rule
}

// Version is splitsim's version, written into every result.
var Version = "0.1.0-dev"
