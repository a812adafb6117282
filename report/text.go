package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/result"
)

// RunText writes the result of `splitsim run` as text tables.
func RunText(w io.Writer, r *result.Run) error {
	w = safe.NewWriter(w) // names from the inputs: control characters escaped
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "splitsim run  %s  seed %d  %s requests  alpha %g  (%s)\n",
		strings.Join(r.Files, " "), r.Seed, format.Count(r.Requests), r.Alpha, r.Method)
	fmt.Fprintf(ew, "verdict: %s\n", strings.ToUpper(string(r.Verdict)))
	runVerdictText(ew, r)
	conf := format.Confidence(r.Alpha)
	for _, h := range r.Hosts {
		u := hostUnit(&h)
		fail := "503 " // Envoy's answer to a request it has no upstream for; a connection is closed
		if u == "connections" {
			fail = "closed: "
		}
		fmt.Fprintf(ew, "\nhost %s: %s %s", h.Host, format.Count(h.Requests), u)
		if h.Unmatched > 0 {
			fmt.Fprintf(ew, ", %s unmatched (404 no route, %s)", format.Count(h.Unmatched), format.Percent(frac(h.Unmatched, h.Requests), 3))
		}
		if h.NoCluster > 0 {
			fmt.Fprintf(ew, ", %s to undefined subsets or hosts (%sno cluster, %s)", format.Count(h.NoCluster), fail, format.Percent(frac(h.NoCluster, h.Requests), 3))
		}
		if h.NoHealthy > 0 {
			fmt.Fprintf(ew, ", %s to subsets without pods (%sno healthy upstream, %s)", format.Count(h.NoHealthy), fail, format.Percent(frac(h.NoHealthy, h.Requests), 3))
		}
		if h.Mirrored > 0 {
			fmt.Fprintf(ew, "; %s mirrored copies besides", format.Count(h.Mirrored))
		}
		fmt.Fprintln(ew)
		if line := CallerLine(&h); line != "" {
			fmt.Fprintf(ew, "  %s\n", line)
		}
		for i := range h.Rules {
			ruleText(ew, &h.Rules[i], conf)
		}
	}
	classesText(ew, r.Classes)
	return ew.err
}

// runVerdictText writes what decides a run's verdict, under it: the problems, the scenario's
// expectations, the self-test, then the warnings.
func runVerdictText(w io.Writer, r *result.Run) {
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
	if len(r.Checks) > 0 {
		failed := 0
		for _, c := range r.Checks {
			if !c.Passed {
				failed++
			}
		}
		fmt.Fprintf(w, "  expectations: %d passed, %d failed\n", len(r.Checks)-failed, failed)
		for _, c := range r.Checks {
			if !c.Passed {
				checkLines(w, c)
			}
		}
	}
	if r.SelfTest == result.Fail {
		fmt.Fprintln(w, "  self-test: FAIL: the simulated counts differ from the configured shares (Pearson's test, Holm-adjusted across rules)")
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", wn)
	}
}

// CallerLine says which callers a host's routes are for and what decides them: "callers
// sidecar:default, sidecar:prod; decided by VirtualService default/reviews". "" when the result
// does not say (an older result).
func CallerLine(h *result.Host) string {
	var parts []string
	switch {
	case len(h.Callers) > 0:
		parts = append(parts, format.Plural(len(h.Callers), "caller", "callers")+" "+strings.Join(h.Callers, ", "))
	case h.From != "":
		parts = append(parts, "caller "+h.From)
	}
	if h.DecidedBy != "" {
		parts = append(parts, "decided by "+h.DecidedBy)
	}
	return strings.Join(parts, "; ")
}

// ruleText writes one rule of a run: what it does, its destination table and its test.
func ruleText(w io.Writer, rule *result.Rule, conf string) {
	fmt.Fprint(w, "  "+ruleHeader(rule))
	if rule.Unreachable {
		fmt.Fprint(w, ", unreachable: an earlier catch-all rule takes every request")
	}
	if rule.Skipped != "" {
		fmt.Fprint(w, ", "+rule.Skipped)
	}
	fmt.Fprintln(w)
	if len(rule.Destinations) == 0 {
		return
	}
	destTable(w, "    ", rule, conf)
	faultText(w, rule, conf)
	if t := rule.Test; t != nil {
		verdict := "pass"
		if !t.Passed {
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "    %s: %s\n", testLine(t), verdict)
		for _, wn := range t.Warnings {
			fmt.Fprintf(w, "    note: %s\n", wn)
		}
	}
}

// faultText writes a rule's fault injection and mirrors, each with its configured and simulated
// share.
func faultText(w io.Writer, rule *result.Rule, conf string) {
	part := func(what string, p *result.FaultPart, of string) {
		fmt.Fprintf(w, "    %s: expected %s, simulated %s of %s (%s, %s CI %s)\n", what, format.Percent(p.ExpectedShare, 4),
			format.Count(p.Count), of, format.Percent(p.Share, 3), conf, interval(p.CILow, p.CIHigh, 3))
	}
	if f := rule.Fault; f != nil {
		if a := f.Abort; a != nil {
			status := strconv.Itoa(a.Status)
			if a.GRPCStatus != "" {
				status = "gRPC " + a.GRPCStatus
			}
			part("fault abort "+status, a, format.Count(rule.Requests)+" requests")
		}
		if d := f.Delay; d != nil {
			part("fault delay "+d.FixedDelay, d, format.Count(rule.Requests)+" requests")
		}
	}
	for _, m := range rule.Mirrors {
		name := m.Host
		if m.Subset != "" {
			name += "/" + m.Subset
		}
		fmt.Fprintf(w, "    mirror to %s: expected %s of forwarded requests, simulated %s copies (%s)\n", name,
			format.Percent(m.ExpectedShare, 4), format.Count(m.Count), format.Percent(m.Share, 3))
	}
}

// ruleHeader is a rule's first line, without its end: "rule #0 (reviews.yaml): forward, 1,000
// requests".
func ruleHeader(rule *result.Rule) string {
	s := fmt.Sprintf("rule %s (%s): %s", rule.Rule, rule.Source, rule.Action)
	if rule.Status != 0 {
		s += " " + strconv.Itoa(rule.Status)
	}
	return s + ", " + format.Count(rule.Requests) + " " + unit(rule.Protocol)
}

// unit is what a rule of the protocol routes: "connections" for tcp and tls, else "requests".
func unit(protocol string) string {
	if protocol == "tcp" || protocol == "tls" {
		return "connections"
	}
	return "requests"
}

// hostUnit is what a host's rules route: "connections" when every rule is a tcp or tls rule, else
// "requests".
func hostUnit(h *result.Host) string {
	for _, r := range h.Rules {
		if unit(r.Protocol) != "connections" {
			return "requests"
		}
	}
	if len(h.Rules) == 0 {
		return "requests"
	}
	return "connections"
}

// destTable writes the table of a rule's destinations, every line indented.
func destTable(w io.Writer, indent string, rule *result.Rule, conf string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%sDESTINATION\tWEIGHT\tEXPECTED\tCOUNT\tSHARE\t%s CI\tSTATUS\n", indent, conf)
	none := rule.Requests == 0 || rule.Forwarded == 0 && rule.Fault != nil
	for _, d := range rule.Destinations {
		weight, share, ci := strconv.Itoa(int(d.Weight)), format.Percent(d.Share, 3), interval(d.CILow, d.CIHigh, 3)
		if d.Weight == 0 && len(rule.Destinations) == 1 {
			weight = "-" // a single destination needs no weight: it takes every request
		}
		if none {
			share, ci = "-", "-" // no request reached the rule's destinations: no share to estimate
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t%s\t%s\n", indent, d.Name(), weight, format.Percent(d.ExpectedShare, 3),
			format.Count(d.Count), share, ci, destStatus(rule, d))
	}
	tw.Flush()
}

// testLine is a rule's test in one line: "pearson chi-square 170.2, df 1, p 6.687e-39, Holm-adjusted
// p 1.337e-38".
func testLine(t *result.Test) string {
	return fmt.Sprintf("%s chi-square %.4g, df %d, p %s, Holm-adjusted p %s", t.Method, t.Statistic, t.DF,
		format.PValue(t.PValue, t.Log10P), holmP(t))
}

// classesText writes the table of request classes, if any.
func classesText(w io.Writer, classes []result.Class) {
	if len(classes) == 0 {
		return
	}
	fmt.Fprintln(w, "\nrequest classes:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  CLASS\tHOST\tREQUESTS\tRULE\tOUTCOME")
	for _, c := range classes {
		rule := c.Rule
		if rule == "" {
			rule = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", c.Name, c.Host, format.Count(c.Requests), rule, c.Outcome)
	}
	tw.Flush()
}

// listText writes a titled list ("warnings:", "assumptions:") after a blank line, if it has items.
func listText(w io.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "  - %s\n", it)
	}
}

func frac(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Count is format.Count, for callers of this package: an integer with thousands separators.
func Count(n int64) string { return format.Count(n) }

// Percent is format.Percent, for callers of this package: a share as a percentage with the given
// decimals, Percent(0.8, 3) is "80.000%".
func Percent(x float64, decimals int) string { return format.Percent(x, decimals) }

// PValue is format.PValue, for callers of this package: a p-value, written from its log10 below
// 1e-300 ("10^-315.24"), never as 0.
func PValue(p, log10p float64) string { return format.PValue(p, log10p) }

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// holmP is a rule test's Holm-adjusted p-value, written from its value (no log10 is kept for it).
func holmP(t *result.Test) string {
	return format.PValue(t.PAdjusted, math.Log10(t.PAdjusted))
}
