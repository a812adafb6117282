package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/result"
)

// ExplainText writes how one request is routed, as `splitsim explain` prints it.
func ExplainText(w io.Writer, ex *result.Explain) error {
	w = safe.NewWriter(w) // names from the inputs: control characters escaped
	to := ex.Host
	if a := ex.Request.Authority; a != "" && a != ex.Host {
		to = a + " (served by host " + ex.Host + ")"
	}
	fmt.Fprintf(w, "request: %s %s to host %s\n", ex.Request.Method, ex.Request.Path, to)
	if ex.From != "" {
		fmt.Fprintf(w, "caller: %s; decided by %s\n", ex.From, ex.DecidedBy)
	}
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
		return nil
	}
	fmt.Fprintf(w, "\nrule %s (%s): %s", explainRuleLabel(ex.Rule), ex.Rule.Source, ex.Action)
	if ex.Status != 0 {
		fmt.Fprintf(w, " %d", ex.Status)
	}
	fmt.Fprintln(w)
	for _, d := range ex.Draws {
		fmt.Fprintf(w, "%s: %d of %d (%s), on a fresh random value", d.What, d.Numerator, d.Denominator, format.Percent(d.Share, 4))
		if d.Value != nil {
			verdict := "no"
			if *d.Happens {
				verdict = "yes"
			}
			fmt.Fprintf(w, "; for random %d: %d mod %d = %d < %d? %s", *ex.Random, *ex.Random, d.Denominator, *d.Value, d.Numerator, verdict)
		}
		fmt.Fprintln(w)
	}
	if len(ex.Endpoints) > 0 {
		var pods uint32
		for _, e := range ex.Endpoints {
			pods += e.Pods
		}
		fmt.Fprintf(w, "no route applies: the request goes to cluster %s, whose load balancer (LEAST_REQUEST by default, or ROUND_ROBIN) spreads requests evenly over the Service's %s; each group's share is its pod count over the total:\n",
			ex.Endpoints[0].Cluster, format.Counted(int(pods), "pod"))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  PODS OF\tCOUNT\tSHARE")
		for _, e := range ex.Endpoints {
			fmt.Fprintf(tw, "  %s\t%d\t%s\n", e.Name, e.Pods, format.Percent(e.Share, 3))
		}
		return tw.Flush()
	}
	if len(ex.Clusters) == 1 {
		fmt.Fprintf(w, "one destination: a plain cluster route (no weighted_clusters), every request goes to %s (status %d)\n", ex.Clusters[0].Cluster, ex.Clusters[0].Status)
		return nil
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
		fmt.Fprintf(w, "random %d mod %d = %d: %s (status %d)", *ex.Random, ex.Total, *ex.Value, ex.Chosen.Cluster, ex.Chosen.Status)
		if abort := abortDraw(ex.Draws); abort != nil {
			fmt.Fprintf(w, "; but the %s happens first for this value: Envoy's fault filter answers before the router picks, so the request reaches no cluster", abort.What)
		}
		fmt.Fprintln(w)
	}
	return nil
}

// abortDraw is the fault abort among draws that happens for the --random value, or nil.
func abortDraw(draws []result.ExplainDraw) *result.ExplainDraw {
	for i, d := range draws {
		if strings.HasPrefix(d.What, "fault abort") && d.Happens != nil && *d.Happens {
			return &draws[i]
		}
	}
	return nil
}

func explainRuleLabel(r *result.ExplainRule) string {
	if r.Name != "" {
		return r.Name
	}
	return "#" + strconv.Itoa(r.Index)
}
