package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// planRouteLines describes, step by step, the managed routes in place (Argo Rollouts'
// setHeaderRoute and setMirrorRoute): where each sits among the http routes, its match, where its
// requests go and what it mirrors, and the copies the mirrors sent of the plan's own requests. None
// when no step has one.
func planRouteLines(r *result.Plan) []string {
	var out []string
	for _, s := range r.Steps {
		for _, rt := range s.Routes {
			var dests []string
			for _, d := range rt.Weights {
				dests = append(dests, fmt.Sprintf("%s %s", d.Name, format.ShortPercent(d.ExpectedShare, 2)))
			}
			line := fmt.Sprintf("step %d: %s (%s, http[%d]) %s -> %s", stepNumber(s), rt.Name, rt.Kind, rt.Position, rt.Match, strings.Join(dests, ", "))
			for _, m := range rt.Mirrors {
				line += fmt.Sprintf("; mirror %s %s", m.Name, format.ShortPercent(m.ExpectedShare, 2))
			}
			if rt.TakenBy != "" {
				line += "; its requests are taken by " + rt.TakenBy
			}
			out = append(out, line)
		}
		if s.MirroredRequests > 0 {
			out = append(out, fmt.Sprintf("step %d: %s copies of the plan's requests mirrored (not part of the split)", stepNumber(s), format.Count(s.MirroredRequests)))
		}
	}
	return out
}

// planRoutesTitle heads the managed routes in the text and HTML reports.
const planRoutesTitle = "managed routes (setHeaderRoute, setMirrorRoute), before the other routes"

// planRoutesText writes planRouteLines under planRoutesTitle; nothing when there are none.
func planRoutesText(w io.Writer, r *result.Plan) {
	lines := planRouteLines(r)
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", planRoutesTitle)
	for _, l := range lines {
		fmt.Fprintln(w, "  "+l)
	}
}
