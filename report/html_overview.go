package report

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// The routing overview, first on the run and plan pages: per host (and the callers that get its
// routes), the rules in the order Envoy tries them, with their match conditions, and where each
// sends its requests, as a bar whose parts are the configured shares; requests answered 503 (no
// cluster, no healthy upstream, fault aborts) and 404 (no rule matches) in their own colors.
type htmlRouting struct {
	Hosts []routeHost
	// Hint says how to read the diagram.
	Hint string
}

type routeHost struct {
	Anchor, Name, Callers, Summary string
	Rows                           []routeRow
}

// routeRow is one rule (or, on the plan page, one step of the route).
type routeRow struct {
	// Anchor links to the rule's section; Order is its place in match order ("1", "2"...).
	Anchor, Order, Label string
	// Match lists the rule's match blocks; Every is set for a rule that takes every request.
	Match []string
	Every bool
	// Tag and TagClass are the rule's test result (pass, FAIL, not tested).
	Tag, TagClass string
	// Note says why the rule takes no requests (unreachable, skipped for this caller); Detail
	// describes a plan's step.
	Note, Detail string
	// Segs are the bar's parts, Parts the split in words ("v1 80 / v2 20"); Extras add what is
	// not part of the split (fault delays, mirrors).
	Segs   []routeSeg
	Parts  []routePart
	Extras []string
	// Traffic is the rule's requests, as a count and, with scenario traffic, a share of the host's.
	Traffic string
	Dim     bool
}

type routeSeg struct {
	Class string
	Style template.CSS
	Title string
}

type routePart struct {
	// Class is the swatch's color class (d0..d5, s503, s404, sother).
	Class, Name, Share, Status string
	Bad                        bool
}

// destClasses are the colors of a rule's destinations, in order; they avoid the colors of 503
// and 404.
const destClasses = 5

// segWidth is a bar part's width as a CSS flex basis, in percent of the bar.
func segWidth(share float64) template.CSS {
	return template.CSS("flex-basis:" + strconv.FormatFloat(100*share, 'f', 3, 64) + "%")
}

// shareNumber writes a configured share for the split text: 80, 33.3, 0.1 (percent, at most one
// decimal, more for shares below 0.1%).
func shareNumber(x float64) string {
	p := 100 * x
	switch {
	case p == 0:
		return "0"
	case p < 0.1:
		return strings.TrimSuffix(format.ShortPercent(x, 3), "%")
	}
	return strings.TrimSuffix(format.ShortPercent(x, 1), "%")
}

// runRouting is the routing overview of a run.
func runRouting(r *result.Run, tags map[[2]int][2]string) *htmlRouting {
	traffic := scenarioTraffic(r)
	ov := &htmlRouting{Hint: "Each host's rules in the order Envoy tries them: the first rule whose conditions match a request takes it. The bars are the configured shares of each rule's requests (its weights); numbers are percent."}
	for hi := range r.Hosts {
		h := &r.Hosts[hi]
		rh := routeHost{Anchor: fmt.Sprintf("host-%d", hi), Name: h.Host, Callers: CallerLine(h),
			Summary: format.Count(h.Requests) + " requests"}
		for ri := range h.Rules {
			rule := &h.Rules[ri]
			row := ruleRow(rule)
			row.Anchor = fmt.Sprintf("rule-%d-%d", hi, ri)
			row.Order = strconv.Itoa(ri + 1)
			row.Tag, row.TagClass = tags[[2]int{hi, ri}][0], tags[[2]int{hi, ri}][1]
			row.Traffic = format.Count(rule.Requests) + " requests"
			if traffic && h.Requests > 0 {
				row.Traffic = format.ShortPercent(frac(rule.Requests, h.Requests), 1) + " of the host's"
			}
			rh.Rows = append(rh.Rows, row)
		}
		if h.Unmatched > 0 {
			rh.Rows = append(rh.Rows, routeRow{Order: "–", Label: "no rule matches", Every: false,
				Segs:    []routeSeg{{Class: "s404", Style: segWidth(1), Title: "404 no route (NR)"}},
				Parts:   []routePart{{Class: "s404", Name: "404", Share: "100", Status: "no route, flag NR", Bad: true}},
				Traffic: format.ShortPercent(frac(h.Unmatched, h.Requests), 2) + " of the host's"})
		}
		ov.Hosts = append(ov.Hosts, rh)
	}
	return ov
}

// scenarioTraffic says whether a run's requests are a scenario's traffic, spread over the rules by
// their matches, rather than the same number synthesized for every rule: then a rule's share of its
// host's requests means something.
func scenarioTraffic(r *result.Run) bool {
	for _, h := range r.Hosts {
		if h.Unmatched > 0 {
			return true
		}
		for _, rule := range h.Rules {
			if rule.Requests != 0 && rule.Requests != r.Requests {
				return true
			}
		}
	}
	return false
}

// ruleRow draws one rule: its conditions, and its configured split (fault aborts first, then each
// destination's share of the rest); a redirect or direct response fills the bar.
func ruleRow(rule *result.Rule) routeRow {
	row := routeRow{Label: rule.Rule}
	for _, m := range rule.Match {
		if m == "" {
			row.Every = true
			continue
		}
		row.Match = append(row.Match, m)
	}
	switch {
	case rule.Unreachable:
		row.Note, row.Dim, row.Every = "unreachable: an earlier rule takes every request", true, false
	case rule.Skipped != "":
		row.Note, row.Dim, row.Every = rule.Skipped, true, false
	}
	if !rule.Action.Forwards() {
		name := string(rule.Action)
		if rule.Status != 0 {
			name += " " + strconv.Itoa(rule.Status)
		}
		class := "sother"
		if rule.Status == 404 {
			class = "s404"
		} else if rule.Status >= 500 {
			class = "s503"
		}
		row.Segs = []routeSeg{{Class: class, Style: segWidth(1), Title: name}}
		row.Parts = []routePart{{Class: class, Name: name, Share: "100", Bad: rule.Status >= 400}}
		return row
	}
	rest := 1.0
	if f := rule.Fault; f != nil && f.Abort != nil && f.Abort.ExpectedShare > 0 {
		a := f.Abort
		status := strconv.Itoa(a.Status)
		if a.GRPCStatus != "" {
			status = "gRPC " + a.GRPCStatus
		}
		row.Segs = append(row.Segs, routeSeg{Class: "s503", Style: segWidth(a.ExpectedShare), Title: "fault abort " + status})
		row.Parts = append(row.Parts, routePart{Class: "s503", Name: "abort", Share: shareNumber(a.ExpectedShare), Status: status, Bad: true})
		rest = 1 - a.ExpectedShare
	}
	for j, d := range rule.Destinations {
		class := "d" + strconv.Itoa(j%destClasses)
		part := routePart{Class: class, Name: d.Name(), Share: shareNumber(rest * d.ExpectedShare)}
		if d.Status >= 400 {
			class = "s503"
			if d.Status == 404 {
				class = "s404"
			}
			part.Class, part.Bad = class, true
			part.Status = strconv.Itoa(d.Status)
			if d.Flag != "" {
				part.Status += " " + d.Flag
			}
		}
		row.Segs = append(row.Segs, routeSeg{Class: class, Style: segWidth(rest * d.ExpectedShare),
			Title: d.Name() + " " + format.ShortPercent(rest*d.ExpectedShare, 2)})
		row.Parts = append(row.Parts, part)
	}
	if f := rule.Fault; f != nil && f.Delay != nil {
		row.Extras = append(row.Extras, "delay "+f.Delay.FixedDelay+" on "+format.ShortPercent(f.Delay.ExpectedShare, 2))
	}
	for _, m := range rule.Mirrors {
		name := m.Host
		if m.Subset != "" {
			name += " " + m.Subset
		}
		row.Extras = append(row.Extras, "mirror "+format.ShortPercent(m.ExpectedShare, 2)+" to "+name)
	}
	if len(rule.Destinations) == 0 && rule.Action.Forwards() {
		row.Note = "no destinations"
	}
	return row
}

// planRouting is the routing overview of a plan: the route the plan drives and, step by step, the
// split the controller writes into it.
func planRouting(r *result.Plan) *htmlRouting {
	ov := &htmlRouting{Hint: "The route the rollout drives, and the split the controller writes into it at each step (configured shares, percent)."}
	callers := "VirtualService " + r.VirtualService
	if r.Route != "" {
		callers += " · route " + r.Route
	}
	rh := routeHost{Anchor: "plan-host", Name: r.Host, Callers: callers, Summary: format.Count(r.TotalRequests) + " requests over the rollout"}
	for _, s := range r.Steps {
		row := routeRow{Order: strconv.Itoa(stepNumber(s)), Label: "step " + strconv.Itoa(stepNumber(s)), Detail: s.Note,
			Traffic: format.Seconds(s.Duration) + ", " + format.Count(s.Requests) + " requests"}
		if s.DurationAssumed {
			row.Traffic = format.Seconds(s.Duration) + " (assumed), " + format.Count(s.Requests) + " requests"
		}
		other := 0
		for _, w := range s.Weights {
			class := "sother"
			switch w.Role {
			case "stable":
				class = "d0"
			case "canary":
				class = "d1"
			default:
				class = "d" + strconv.Itoa(2+other%(destClasses-2))
				other++
			}
			part := routePart{Class: class, Name: w.Name, Share: shareNumber(w.ExpectedShare)}
			if w.Status >= 400 {
				class, part.Class, part.Bad, part.Status = "s503", "s503", true, strconv.Itoa(w.Status)
			}
			row.Segs = append(row.Segs, routeSeg{Class: class, Style: segWidth(w.ExpectedShare), Title: w.Name + " " + format.ShortPercent(w.ExpectedShare, 2)})
			row.Parts = append(row.Parts, part)
		}
		rh.Rows = append(rh.Rows, row)
	}
	ov.Hosts = []routeHost{rh}
	return ov
}
