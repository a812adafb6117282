// Package explain traces one request through a translated routing table, as Envoy routes it: every
// route tried in order and why it matched or not, the weighted clusters of the chosen rule with their
// intervals [begin, end) of random mod total, and, for a given 64-bit random value, the destination
// Envoy's rule selects (envoy source/common/router/weighted_cluster_specifier.cc,
// pickWeightedCluster).
package explain

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/sim"
	"github.com/splitsim/splitsim/verify"
)

// Request is the request to explain, as the command line gives it.
type Request struct {
	Host   string
	Method string
	// Path may carry a ?query.
	Path    string
	Headers []string // name=value; several values of one header are joined with ","
	Query   []string // name=value
}

// Parse builds the simulator's request.
func (r Request) Parse() (sim.Request, error) {
	req := sim.Request{Method: r.Method, Scheme: "http", Authority: r.Host, Headers: map[string]string{}, Query: map[string]string{}}
	p, rawQuery, _ := strings.Cut(r.Path, "?")
	req.Path = p
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return req, fmt.Errorf("--path: %v", err)
	}
	for k, v := range q {
		req.Query[k] = strings.Join(v, ",")
	}
	for _, kv := range r.Headers {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return req, fmt.Errorf("--header %q: want name=value", kv)
		}
		k = strings.ToLower(k)
		if old, dup := req.Headers[k]; dup {
			v = old + "," + v
		}
		req.Headers[k] = v
	}
	for _, kv := range r.Query {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return req, fmt.Errorf("--query %q: want name=value", kv)
		}
		req.Query[k] = v
	}
	return req, nil
}

// Trace routes req through h. random, when not nil, is Envoy's random value for the request: the
// result then names the destination it picks.
func Trace(h *sim.Host, r Request, random *uint64) (*result.Explain, error) {
	req, err := r.Parse()
	if err != nil {
		return nil, err
	}
	ex := &result.Explain{Header: result.NewHeader(result.KindExplain), Host: h.Name, From: h.From, DecidedBy: h.DecidedBy, Random: random, Clusters: []result.ExplainCluster{}, Trace: []result.ExplainStep{},
		Request: result.ExplainRequest{Method: req.Method, Authority: req.Authority, Path: r.Path, Headers: req.Headers, Query: req.Query}}
	chosen := -1
	for i := range h.Routes {
		rt := &h.Routes[i]
		rule := h.Rules[rt.Rule]
		reason := rt.Match.Explain(&req)
		ex.Trace = append(ex.Trace, result.ExplainStep{Index: rule.Index, Rule: rule.Label(), Match: rt.MatchIndex, Matched: reason == "", Reason: reason})
		if reason == "" {
			chosen = i
			break
		}
	}
	if chosen < 0 {
		ex.Status = 404
		return ex, nil
	}
	rule := h.Rules[h.Routes[chosen].Rule]
	ex.Rule = &result.ExplainRule{Index: rule.Index, Name: rule.Name, Source: rule.Source}
	ex.Action = string(verify.ActionOf(rule.Action))
	if rule.Action.Kind != sim.Forward {
		ex.Status = rule.Action.Status
		return ex, nil
	}
	ex.Draws = draws(&rule.Action, random)
	if rule.Action.Endpoints {
		// No weighted pick: the cluster's load balancer spreads requests over the pods.
		ex.Random = nil
		shares := rule.Action.Shares()
		for i, d := range rule.Action.Destinations {
			ex.Endpoints = append(ex.Endpoints, result.ExplainEndpoints{Name: d.Name(), Cluster: d.Cluster, Pods: d.EnvoyWeight, Share: shares[i]})
		}
		return ex, nil
	}
	return ex, pick(ex, &rule.Action)
}

// pick fills the weighted clusters of a forward action and, with a random value, the one it picks.
func pick(ex *result.Explain, a *sim.Action) error {
	pk, err := a.Picker()
	if err != nil {
		return err
	}
	ex.Total = pk.Total()
	for i, d := range a.Destinations {
		b, e := pk.Interval(i)
		ex.Clusters = append(ex.Clusters, result.ExplainCluster{Name: d.Name(), Host: d.Host, Subset: d.Subset, Cluster: d.Cluster, Weight: d.EnvoyWeight, Begin: b, End: e, Status: d.Status})
	}
	if ex.Random != nil {
		v := *ex.Random % pk.Total()
		ex.Value = &v
		d := a.Destinations[pk.Pick(*ex.Random)]
		ex.Chosen = &result.ExplainChosen{Name: d.Name(), Host: d.Host, Subset: d.Subset, Cluster: d.Cluster, Status: d.Status}
	}
	return nil
}

// draws lists a rule's fault and mirror decisions (envoy fault_filter.cc and the router's
// RequestMirrorPolicy: runtime featureEnabled, random value mod denominator below the numerator).
func draws(a *sim.Action, random *uint64) []result.ExplainDraw {
	var out []result.ExplainDraw
	add := func(what string, f sim.Fraction) {
		d := result.ExplainDraw{What: what, Numerator: f.Numerator, Denominator: f.Denominator, Share: f.P()}
		if random != nil && f.Denominator > 0 {
			v := *random % uint64(f.Denominator)
			happens := v < uint64(f.Numerator)
			d.Value, d.Happens = &v, &happens
		}
		out = append(out, d)
	}
	if f := a.Fault; f != nil {
		if f.Delay != nil {
			add("fault delay "+f.FixedDelay, *f.Delay)
		}
		if f.Abort != nil {
			what := fmt.Sprintf("fault abort %d", f.AbortStatus)
			if f.AbortGRPC != "" {
				what = "fault abort gRPC " + f.AbortGRPC
			}
			add(what, *f.Abort)
		}
	}
	for _, m := range a.Mirrors {
		name := m.Host
		if m.Subset != "" {
			name += "/" + m.Subset
		}
		add("mirror to "+name, m.Fraction)
	}
	return out
}
