package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// planRoutesText lists, step by step, the managed routes in place (Argo Rollouts' setHeaderRoute
// and setMirrorRoute): where each sits among the http routes, its match, where its requests go and
// what it mirrors, and the copies the mirrors sent of the plan's own requests. Nothing when no step
// has one.
func planRoutesText(w io.Writer, r *result.Plan) {
	has := false
	for _, s := range r.Steps {
		has = has || len(s.Routes) > 0
	}
	if !has {
		return
	}
	fmt.Fprintln(w, "\nmanaged routes (setHeaderRoute, setMirrorRoute), before the other routes:")
	for _, s := range r.Steps {
		if len(s.Routes) == 0 {
			continue
		}
		for _, rt := range s.Routes {
			var dests []string
			for _, d := range rt.Weights {
				dests = append(dests, fmt.Sprintf("%s %s", d.Name, format.ShortPercent(d.ExpectedShare, 2)))
			}
			line := fmt.Sprintf("  step %d: %s (%s, http[%d]) %s -> %s", stepNumber(s), rt.Name, rt.Kind, rt.Position, rt.Match, strings.Join(dests, ", "))
			for _, m := range rt.Mirrors {
				line += fmt.Sprintf("; mirror %s %s", m.Name, format.ShortPercent(m.ExpectedShare, 2))
			}
			if rt.TakenBy != "" {
				line += "; its requests are taken by " + rt.TakenBy
			}
			fmt.Fprintln(w, line)
		}
		if s.MirroredRequests > 0 {
			fmt.Fprintf(w, "  step %d: %s copies of the plan's requests mirrored (not part of the split)\n", stepNumber(s), format.Count(s.MirroredRequests))
		}
	}
}
