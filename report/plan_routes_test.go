package report

import (
	"io"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// The text and HTML plan reports list each step's managed routes (Argo's setHeaderRoute and
// setMirrorRoute, as package canary simulates them), by the Rollout's step numbers, with the copies
// mirrored; a plan without any shows no such list.
func TestPlanManagedRoutes(t *testing.T) {
	p := loadPlan(t, "plan-native.json")
	if got := planRouteLines(p); len(got) != 0 {
		t.Fatalf("plan without managed routes: %q", got)
	}
	at := 4
	p.Steps[0].SourceStep = &at
	p.Steps[0].MirroredRequests = 4200
	p.Steps[0].Routes = []result.PlanRoute{
		{Name: "set-header", Kind: "header", Position: 0, Match: `header x-canary exact "true"`,
			Weights: []result.PlanWeight{{Name: "canary", Role: "canary", Weight: 100, ExpectedShare: 1, Status: 200}}},
		{Name: "mirror-<b>", Kind: "mirror", Position: 1, Match: `method exact "GET"`, TakenBy: "rule set-header",
			Weights: []result.PlanWeight{{Name: "stable", Weight: 90, ExpectedShare: 0.9}, {Name: "canary", Weight: 10, ExpectedShare: 0.1}},
			Mirrors: []result.PlanMirror{{Name: "canary", Role: "canary", ExpectedShare: 0.35}}},
	}
	want := []string{
		`step 4: set-header (header, http[0]) header x-canary exact "true" -> canary 100%`,
		`step 4: mirror-<b> (mirror, http[1]) method exact "GET" -> stable 90%, canary 10%; mirror canary 35%; its requests are taken by rule set-header`,
		`step 4: 4,200 copies of the plan's requests mirrored (not part of the split)`,
	}
	if got := planRouteLines(p); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	text := rendered(t, func(w io.Writer) error { return PlanText(w, p) })
	inOrder(t, text, append([]string{"\n" + planRoutesTitle + ":\n"}, "  "+want[0]+"\n", "  "+want[1]+"\n", "  "+want[2]+"\n", "\nassumptions:"))
	page := planHTML(t, p)
	inOrder(t, page, []string{`id="steps"`, "Managed routes (setHeaderRoute, setMirrorRoute)", "<li>step 4: set-header", "mirror-&lt;b&gt;", `id="findings"`})
}
