package main

import (
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/sim"
)

const explainHelp = `Usage: splitsim explain FILE... --host H [--method M] [--path P] [--header k=v]... [--query k=v]... [--random R]

Show how the mesh routes one request: every route tried in order and why it matched or not, the
weighted clusters of the chosen rule with their intervals [begin, end), and, with --random R (the
64-bit random value Envoy draws per request), the value R mod total and the destination it selects.

Example:
  splitsim explain scenarios/header-jason.yaml --host reviews --header end-user=jason
  splitsim explain scenarios/canary-70-20-10.yaml --host checkout --random 115
`

// Explanation is the JSON form of `splitsim explain`.
type Explanation struct {
	Host     string        `json:"host"`
	Request  ExplainedReq  `json:"request"`
	Random   *uint64       `json:"random,omitempty"`
	Total    uint64        `json:"total,omitempty"`
	Value    *uint64       `json:"value,omitempty"`
	Trace    []TraceStep   `json:"trace"`
	Rule     *ExplainRule  `json:"rule"`
	Action   string        `json:"action,omitempty"`
	Status   int           `json:"status,omitempty"`
	Clusters []Interval    `json:"clusters"`
	Chosen   *ChosenTarget `json:"chosen,omitempty"`
}

// ExplainedReq is the request being explained.
type ExplainedReq struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers,omitempty"`
	Query   map[string]string `json:"query,omitempty"`
}

// TraceStep is one route tried.
type TraceStep struct {
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

// Interval is a weighted cluster and its interval.
type Interval struct {
	Host    string `json:"host"`
	Subset  string `json:"subset"`
	Cluster string `json:"cluster"`
	Weight  uint32 `json:"weight"`
	Begin   uint64 `json:"begin"`
	End     uint64 `json:"end"`
	Status  int    `json:"status"`
}

// ChosenTarget is the destination selected by --random.
type ChosenTarget struct {
	Host    string `json:"host"`
	Subset  string `json:"subset"`
	Cluster string `json:"cluster"`
	Status  int    `json:"status"`
}

func explainCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explain", explainHelp, stderr)
	host := fs.String("host", "", "host of the request (required)")
	method := fs.String("method", "GET", "request method")
	path := fs.String("path", "/", "request path, with an optional ?query")
	headers := fs.StringArray("header", nil, "request header name=value (repeatable)")
	query := fs.StringArray("query", nil, "query parameter name=value (repeatable)")
	random := fs.String("random", "", "Envoy's random value for the request (uint64): shows the pick")
	format := fs.String("format", "text", "output format: text or json")
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	if err := checkFormat(*format); err != nil {
		return fail(stderr, "explain", err)
	}
	if *host == "" {
		return fail(stderr, "explain", fmt.Errorf("--host is required"))
	}
	in, err := loadInputs(fs.Args())
	if err != nil {
		return fail(stderr, "explain", err)
	}
	h := in.tr.Table.Lookup(*host)
	if h == nil {
		return fail(stderr, "explain", fmt.Errorf("--host %s: no VirtualService has this host (hosts: %s)", *host, hostNames(in.tr.Table)))
	}
	req := sim.Request{Method: *method, Scheme: "http", Authority: *host, Headers: map[string]string{}, Query: map[string]string{}}
	p, rawQuery, _ := strings.Cut(*path, "?")
	req.Path = p
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return fail(stderr, "explain", fmt.Errorf("--path: %v", err))
	}
	for k, v := range q {
		req.Query[k] = strings.Join(v, ",")
	}
	for _, kv := range *headers {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fail(stderr, "explain", fmt.Errorf("--header %q: want name=value", kv))
		}
		k = strings.ToLower(k)
		if old, dup := req.Headers[k]; dup {
			v = old + "," + v // several values of one header are joined with ","
		}
		req.Headers[k] = v
	}
	for _, kv := range *query {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fail(stderr, "explain", fmt.Errorf("--query %q: want name=value", kv))
		}
		req.Query[k] = v
	}
	ex := Explanation{Host: h.Name, Request: ExplainedReq{Method: req.Method, Path: *path, Headers: req.Headers, Query: req.Query}, Clusters: []Interval{}, Trace: []TraceStep{}}
	if *random != "" {
		r, err := strconv.ParseUint(*random, 10, 64)
		if err != nil {
			return fail(stderr, "explain", fmt.Errorf("--random %q: want an unsigned 64-bit integer", *random))
		}
		ex.Random = &r
	}
	chosen := -1
	for i := range h.Routes {
		rt := &h.Routes[i]
		rule := h.Rules[rt.Rule]
		reason := rt.Match.Explain(&req)
		ex.Trace = append(ex.Trace, TraceStep{Index: rule.Index, Rule: rule.Label(), Match: rt.MatchIndex, Matched: reason == "", Reason: reason})
		if reason == "" {
			chosen = i
			break
		}
	}
	if chosen >= 0 {
		rule := h.Rules[h.Routes[chosen].Rule]
		ex.Rule = &ExplainRule{Index: rule.Index, Name: rule.Name, Source: rule.Source}
		ex.Action = rule.Action.Kind.String()
		if rule.Action.Kind == sim.Forward {
			pk, err := rule.Action.Picker()
			if err != nil {
				return fail(stderr, "explain", err)
			}
			ex.Total = pk.Total()
			for i, d := range rule.Action.Destinations {
				b, e := pk.Interval(i)
				ex.Clusters = append(ex.Clusters, Interval{Host: d.Host, Subset: d.Subset, Cluster: d.Cluster, Weight: d.EnvoyWeight, Begin: b, End: e, Status: d.Status})
			}
			if ex.Random != nil {
				v := *ex.Random % pk.Total()
				ex.Value = &v
				d := rule.Action.Destinations[pk.Pick(*ex.Random)]
				ex.Chosen = &ChosenTarget{Host: d.Host, Subset: d.Subset, Cluster: d.Cluster, Status: d.Status}
			}
		} else {
			ex.Status = rule.Action.Status
		}
	} else {
		ex.Status = 404
	}
	if *format == "json" {
		if err := report.JSON(stdout, ex); err != nil {
			return fail(stderr, "explain", err)
		}
		return exitPass
	}
	explainText(stdout, &ex)
	return exitPass
}

func explainText(w io.Writer, ex *Explanation) {
	fmt.Fprintf(w, "request: %s %s to host %s\n", ex.Request.Method, ex.Request.Path, ex.Host)
	for _, k := range slices.Sorted(maps.Keys(ex.Request.Headers)) {
		fmt.Fprintf(w, "  header %s: %s\n", k, ex.Request.Headers[k])
	}
	fmt.Fprintln(w, "\nroutes tried in order (first match wins):")
	for _, t := range ex.Trace {
		m := "no match block"
		if t.Match >= 0 {
			m = fmt.Sprintf("match[%d]", t.Match)
		}
		if t.Matched {
			fmt.Fprintf(w, "  rule %s %s: matched\n", t.Rule, m)
		} else {
			fmt.Fprintf(w, "  rule %s %s: no (%s)\n", t.Rule, m, t.Reason)
		}
	}
	if ex.Rule == nil {
		fmt.Fprintln(w, "\nno route matched: Envoy answers 404 (response flag NR)")
		return
	}
	fmt.Fprintf(w, "\nrule %s (%s): %s", ruleLabel(ex.Rule), ex.Rule.Source, ex.Action)
	if ex.Status != 0 {
		fmt.Fprintf(w, " %d", ex.Status)
	}
	fmt.Fprintln(w)
	if len(ex.Clusters) == 1 {
		fmt.Fprintf(w, "one destination: a plain cluster route (no weighted_clusters), every request goes to %s (status %d)\n", ex.Clusters[0].Cluster, ex.Clusters[0].Status)
		return
	}
	if len(ex.Clusters) > 0 {
		fmt.Fprintf(w, "weighted clusters, total %d (Envoy picks v = random mod total, then the interval holding v):\n", ex.Total)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  CLUSTER\tWEIGHT\tINTERVAL\tSTATUS")
		for _, c := range ex.Clusters {
			fmt.Fprintf(tw, "  %s\t%d\t[%d, %d)\t%d\n", c.Cluster, c.Weight, c.Begin, c.End, c.Status)
		}
		tw.Flush()
	}
	if ex.Value != nil && ex.Chosen != nil {
		fmt.Fprintf(w, "random %d mod %d = %d: %s (status %d)\n", *ex.Random, ex.Total, *ex.Value, ex.Chosen.Cluster, ex.Chosen.Status)
	}
}

func ruleLabel(r *ExplainRule) string {
	if r.Name != "" {
		return r.Name
	}
	return "#" + strconv.Itoa(r.Index)
}
