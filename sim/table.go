package sim

import (
	"fmt"
	"strings"
)

// Table is a routing configuration as the simulator sees it: hosts with ordered routes.
//
// A Table is plain data that the simulator only reads: once built, it may be shared by any number of
// goroutines that run it (Run, Resolve, Lookup, Host.Route, Action.Picker) at once, as long as none of
// them modifies it.
type Table struct {
	Hosts []*Host
}

// Host is one virtual host (one VirtualService host name) with its rules and the Envoy routes built
// from them.
type Host struct {
	Name string
	// FQDN is the host's fully qualified name (reviews.default.svc.cluster.local), as Istio expands
	// it; Lookup accepts it for Name.
	FQDN string
	// Rules are the configuration's rules (VirtualService http[] entries) in order.
	Rules []*Rule
	// Routes are Envoy routes, one per match block of each rule, in order; generation stops after the
	// first catch-all route, as Istio's BuildHTTPRoutesForVirtualService does.
	Routes []Route
	// From is the caller whose proxy routes this host ("sidecar:NS[:LABELS]" or
	// "gateway:NS/NAME[:PORT]"); Callers are all the callers that get the same routes.
	From    string
	Callers []string
	// DecidedBy names what decides the host's requests for these callers: "VirtualService NS/NAME",
	// "HTTPRoute NS/NAME", or "no route: endpoints of Service NS/NAME".
	DecidedBy string
}

// Rule is one VirtualService http[] entry.
type Rule struct {
	Index  int    // position in the configuration's rule list
	Name   string // the rule's name, may be empty
	Source string // file:line of the rule in the input
	Action Action
	// Unreachable is set when an earlier catch-all route hides every match block of this rule.
	Unreachable bool
	// Skipped says why the rule has no route for this host's caller (its match blocks test
	// sourceLabels, sourceNamespace, gateways or port that the caller does not have); "" otherwise.
	Skipped string
	// Protocol is what the rule routes: ProtocolHTTP (also when empty), ProtocolGRPC, or
	// ProtocolTCP and ProtocolTLS, whose rules route connections rather than requests.
	Protocol string
}

// Protocols of a rule (Rule.Protocol).
const (
	ProtocolHTTP = "http"
	ProtocolGRPC = "grpc"
	ProtocolTCP  = "tcp"
	ProtocolTLS  = "tls"
)

// ProtocolName is the rule's protocol, ProtocolHTTP when it is not set.
func (r *Rule) ProtocolName() string {
	if r.Protocol == "" {
		return ProtocolHTTP
	}
	return r.Protocol
}

// Label is the rule's display name: its name, or "#index".
func (r *Rule) Label() string {
	if r.Name != "" {
		return r.Name
	}
	return fmt.Sprintf("#%d", r.Index)
}

// Route is one Envoy route: a match block of a rule.
type Route struct {
	Rule       int // index into Host.Rules
	MatchIndex int // index of the match block inside the rule, -1 when the rule has no match
	Match      Match
	// ByCaller names the caller-decided conditions (sourceLabels, gateways, ...) of a catch-all
	// route's match block: it takes every request of this caller, not of every caller. "" otherwise.
	ByCaller string
}

// ActionKind says what a rule does with a request.
type ActionKind int

// Kinds of action.
const (
	Forward        ActionKind = iota // to weighted destinations
	Redirect                         // HTTP redirect, no destination
	DirectResponse                   // fixed response, no destination
	Unsupported                      // a feature the simulator does not model (e.g. delegate)
)

// String names the kind.
func (k ActionKind) String() string {
	switch k {
	case Forward:
		return "forward"
	case Redirect:
		return "redirect"
	case DirectResponse:
		return "direct-response"
	}
	return "unsupported"
}

// Action is what a rule does.
type Action struct {
	Kind ActionKind
	// Destinations of a Forward action in configuration order, including entries that Istio drops
	// (weight 0) so that reports can show them; they carry Envoy weight 0 and are never picked.
	Destinations []Destination
	// Status is the HTTP status of a Redirect or DirectResponse, or of an Unsupported action.
	Status int
	// Note explains a non-forward action.
	Note string
	// Endpoints is set on a Forward action that no route decided: the request goes to the Service's
	// cluster, and each destination is a group of its pods with its pod count as weight (equal-weight
	// endpoints under ROUND_ROBIN or LEAST_REQUEST share the traffic evenly).
	Endpoints bool
	// Fault is the rule's fault injection (nil: none).
	Fault *Fault
	// Mirrors are the rule's mirror policies: copies of forwarded requests sent to other
	// destinations, not part of the split.
	Mirrors []Mirror
}

// Fault is a rule's fault injection as Envoy's fault filter applies it (envoy
// source/extensions/filters/http/fault/fault_filter.cc): each request reaching the route is delayed
// when a fresh random value mod the denominator is below the delay's numerator, and, independently,
// aborted with AbortStatus when another fresh value is below the abort's (runtime
// featureEnabled with a FractionalPercent). An aborted request never reaches a destination.
type Fault struct {
	Abort *Fraction // nil: no abort
	// AbortStatus is the HTTP status of an aborted request.
	AbortStatus int
	// AbortGRPC is the gRPC status name when the abort is a gRPC one (AbortStatus is then 200).
	AbortGRPC string
	Delay     *Fraction // nil: no delay
	// FixedDelay is the delay as configured ("5s").
	FixedDelay string
}

// Fraction is Envoy's FractionalPercent: Numerator out of Denominator (100 or 1,000,000).
type Fraction struct {
	Numerator, Denominator uint32
}

// P is the fraction as a probability (at most 1).
func (f *Fraction) P() float64 {
	if f == nil || f.Denominator == 0 {
		return 0
	}
	return min(1, float64(f.Numerator)/float64(f.Denominator))
}

// Mirror is one request mirror policy (envoy RouteAction.RequestMirrorPolicy): a copy of each
// forwarded request goes to Cluster with probability Fraction.
type Mirror struct {
	Host, Subset, Cluster string
	Fraction              Fraction
}

// Destination is one weighted destination of a rule.
type Destination struct {
	Host    string
	Subset  string
	Port    uint32
	Cluster string
	// Weight is the weight as configured.
	Weight int32
	// EnvoyWeight is the weight Envoy receives in weighted_clusters: 0 for dropped entries; for a
	// rule with one effective destination it is 1 (a plain cluster route).
	EnvoyWeight uint32
	// Status is the HTTP status a request sent here gets: 200 when the cluster exists, 503 when no
	// DestinationRule defines the subset (Envoy's cluster_not_found_response_code), 500 for an invalid
	// Gateway API backend.
	Status int
	// Flag is Envoy's response flag for a non-200 status ("NC": no cluster, "UH": no healthy
	// upstream).
	Flag string
	// Endpoints names the workloads whose pods a destination of an Endpoints action stands for.
	Endpoints string
}

// Name is a short display name: the subset, or the workloads of an endpoint group, or host:port, or
// host.
func (d Destination) Name() string {
	if d.Subset != "" {
		return d.Subset
	}
	if d.Endpoints != "" {
		return d.Endpoints
	}
	if d.Port != 0 {
		return fmt.Sprintf("%s:%d", d.Host, d.Port)
	}
	return d.Host
}

// Picker returns a new weighted picker over the Envoy weights of a Forward action's destinations. It
// does not modify a, so any number of goroutines may call it at once; Run builds each picker once per
// call.
func (a *Action) Picker() (*Picker, error) {
	w := make([]uint32, len(a.Destinations))
	for i, d := range a.Destinations {
		w[i] = d.EnvoyWeight
	}
	return NewPicker(w)
}

// Shares returns each destination's expected share of the rule's traffic: EnvoyWeight / total.
func (a *Action) Shares() []float64 {
	s := make([]float64, len(a.Destinations))
	var total uint64
	for _, d := range a.Destinations {
		total += uint64(d.EnvoyWeight)
	}
	if total == 0 {
		return s
	}
	for i, d := range a.Destinations {
		s[i] = float64(d.EnvoyWeight) / float64(total)
	}
	return s
}

// Lookup returns the host with the given name, or else the first host with that fully qualified
// name, or nil.
func (t *Table) Lookup(name string) *Host {
	for _, h := range t.Hosts {
		if h.Name == name {
			return h
		}
	}
	for _, h := range t.Hosts {
		if h.FQDN != "" && h.FQDN == name {
			return h
		}
	}
	return nil
}

// Serve returns the host whose name serves a request for authority as Envoy picks a virtual host
// (envoy source/common/router/config_impl.cc RouteMatcher::findVirtualHost): a host with exactly
// that name, else the longest suffix wildcard ("*.example.com", "*-bar.example.com"), else the
// longest prefix wildcard ("foo.*"), else "*". A port in authority is ignored. nil when none serves
// it (Envoy answers 404).
func (t *Table) Serve(authority string) *Host {
	name := strings.ToLower(authority)
	if h, _, ok := strings.Cut(name, ":"); ok && !strings.Contains(h, "]") {
		name = h
	}
	if h := t.Lookup(name); h != nil {
		return h
	}
	var best *Host
	bestLen, bestKind := -1, 3
	for _, h := range t.Hosts {
		n := strings.ToLower(h.Name)
		kind, l := 3, 0
		switch {
		case n == "*":
			kind = 2
		case strings.HasPrefix(n, "*") && strings.HasSuffix(name, n[1:]) && len(name) > len(n)-1:
			kind, l = 0, len(n)
		case strings.HasSuffix(n, "*") && strings.HasPrefix(name, n[:len(n)-1]) && len(name) > len(n)-1:
			kind, l = 1, len(n)
		default:
			continue
		}
		if kind < bestKind || kind == bestKind && l > bestLen {
			best, bestKind, bestLen = h, kind, l
		}
	}
	return best
}

// Route finds the first route of h that matches req, as Envoy does. It returns the index into h.Routes,
// or -1 when no route matches (Envoy answers 404, response flag NR).
func (h *Host) Route(req *Request) int {
	for i := range h.Routes {
		if h.Routes[i].Match.Matches(req) {
			return i
		}
	}
	return -1
}
