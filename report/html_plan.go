package report

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// PlanHTML writes the result of `splitsim plan` as one self-contained HTML page, in the look of
// RunHTML: the verdict first (what fails the plan, which step first detects a broken canary and
// what it costs until then), then the step table and the findings, the timeline chart, the inputs
// and assumptions, and the warnings. charts are the result's charts from PlanCharts; nil builds
// them. Every name from the user's files is escaped by html/template, and the page depends only on
// r: a result read back from its JSON renders to the same bytes.
func PlanHTML(w io.Writer, r *result.Plan, charts []*Chart) error {
	return renderPage(w, planTemplate, r, charts, PlanCharts, planPageOf)
}

type planPage struct {
	*htmlPage
	Route      string
	Target     string
	Steps      []planStepRow
	AnyAssumed bool
	// ArgoNumbered says that the steps are numbered by a Rollout's.
	ArgoNumbered bool
	PowerTest    string
	SplitTest    string
	Totals       string
	// ManagedRoutes describe the managed routes of the steps (planRouteLines).
	ManagedRoutes []string
	Findings      []planFindingRow
	Charts        []htmlChart
	Assumptions   []string
}

type planStepRow struct {
	Index, Canary, Stable, Duration, Ends, Requests, ToCanary, CI, ToStable string
	Detects, Power, Needs, UsersBoth, UsersSoFar, Note                      string
	// PowerClass is "short" below the target power, "reached" at or above it.
	PowerClass string
	Assumed    bool
}

type planFindingRow struct {
	Severity, Code, Step, Message, Source string
}

// planKinds names the kinds of plan.
var planKinds = map[string]string{
	"argo-rollouts": "Argo Rollouts Rollout",
	"flagger":       "Flagger Canary",
	"native":        "native plan",
}

func planKind(k string) string {
	if n, ok := planKinds[k]; ok {
		return n
	}
	return k
}

// stepList writes step indexes as prose: "step 0", "steps 0 and 1", "steps 0, 1 and 4".
func stepList(steps []int) string {
	s := make([]string, len(steps))
	for i, n := range steps {
		s[i] = strconv.Itoa(n)
	}
	switch len(s) {
	case 0:
		return ""
	case 1:
		return "step " + s[0]
	}
	return "steps " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func planPageOf(r *result.Plan, charts []*Chart) (*planPage, error) {
	conf := format.Confidence(r.Alpha)
	title := "splitsim plan"
	if r.Name != "" {
		title += ": " + r.Name
	}
	target := format.Number(r.TargetPower)
	pg := &planPage{htmlPage: &htmlPage{CSS: pageCSS, Title: title, Confidence: conf, Pass: r.Verdict == result.Pass,
		Verdict: strings.ToUpper(string(r.Verdict)), Warnings: r.Warnings, Tool: r.Tool + " " + r.Version,
		InputsHint: "The same inputs and seed give the same results on any machine."},
		Target: target, PowerTest: withoutGoNames(r.ErrorRateTest), SplitTest: withoutGoNames(r.SplitTest), Assumptions: r.Assumptions,
		ManagedRoutes: planRouteLines(r)}
	pg.Route = fmt.Sprintf("Canary %s and stable %s on route %s of VirtualService %s (host %s).", r.Canary, r.Stable, r.Route, r.VirtualService, r.Host)
	pg.Subtitle = fmt.Sprintf("%s · %s rps · %s users (%s) · %s, %s requests", planKind(r.Kind), format.Number(r.RPS), format.Count(int64(r.Users)), r.UserModel,
		format.Seconds(r.TotalDuration), format.Count(r.TotalRequests))
	pg.Totals = fmt.Sprintf("The rollout takes %s; %s of its %s requests reach the canary.", format.Seconds(r.TotalDuration), format.Count(r.CanaryRequests), format.Count(r.TotalRequests))
	errs, warnings := pg.addFindings(r)
	pg.verdict(r, errs)
	if warnings > 0 {
		pg.Attention = append(pg.Attention, fmt.Sprintf("%d %s: see Findings below.", warnings, format.Plural(warnings, "warning finding", "warning findings")))
	}
	if n := len(r.Warnings); n > 0 {
		pg.Attention = append(pg.Attention, warningsAttention(n, "the inputs"))
	}
	pg.addSteps(r)
	pg.ArgoNumbered = argoNumbered(r)
	if len(r.Steps) > 0 {
		pg.Routing = planRouting(r)
	}
	for _, c := range charts {
		hc, err := chartFigure(c)
		if err != nil {
			return nil, err
		}
		hc.Class = "wide"
		hc.Caption = fmt.Sprintf("Top: the canary's configured weight over time, step by step. Middle: the requests the canary has received so far (simulated). Bottom: each step's power to detect %s between canary and stable, green where it reaches %s (the dashed line), red where it falls short.", errorRateRise(r), target)
		if pg.AnyAssumed {
			hc.Caption += " Shaded: steps whose duration is assumed."
			if len(newBrokenScale(r.Steps).spans) > 0 {
				hc.Caption += " An assumed duration much longer than the configured steps is drawn shorter, not to scale, behind a break mark on the time axis; its real length is on the axis."
			}
		}
		pg.Charts = append(pg.Charts, hc)
	}
	pg.Inputs = planInputs(r, conf)
	return pg, nil
}

// goName is a Go identifier of splitsim's packages in a text meant for people
// ("; stats.TwoProportionPower").
var goName = regexp.MustCompile(`;?\s*\b(stats|canary|sim|verify|scenarios)\.[A-Z][A-Za-z0-9]*`)

// withoutGoNames drops the names of Go functions from a text for the page's readers: a plan result
// names the function behind its power figures, which tells them nothing.
func withoutGoNames(s string) string {
	return goName.ReplaceAllString(s, "")
}

// errorRateRise is the rise the plan must detect: "an error-rate rise from 1% to 2%".
func errorRateRise(r *result.Plan) string {
	return fmt.Sprintf("an error-rate rise from %s to %s", format.ShortPercent(r.BaselineErrorRate, 4), format.ShortPercent(r.DetectErrorRate, 4))
}

// addFindings fills in the findings table and calls the error findings to attention. It returns
// what fails the plan, in words (the short steps first, together), and the number of warnings.
func (pg *planPage) addFindings(r *result.Plan) (errs []string, warnings int) {
	var short []int
	for _, f := range r.Findings {
		step := "plan"
		if f.Step != nil {
			step = strconv.Itoa(planStepNumber(r, *f.Step))
		}
		pg.Findings = append(pg.Findings, planFindingRow{Severity: string(f.Severity), Code: f.Code, Step: step, Message: f.Message, Source: f.Source})
		switch f.Severity {
		case "error":
			if f.Code == "step-too-short" && f.Step != nil {
				short = append(short, planStepNumber(r, *f.Step))
			} else {
				errs = append(errs, f.Code+" ("+findingStep(r, f)+")")
			}
			pg.Attention = append(pg.Attention, f.Code+": "+f.Message)
		case "warning":
			warnings++
		}
	}
	if len(short) > 0 {
		errs = append([]string{fmt.Sprintf("%s %s short of the required power %s", stepList(short), format.Plural(len(short), "falls", "fall"), pg.Target)}, errs...)
	}
	return errs, warnings
}

// verdict is the headline and detail: which step first detects a broken canary and what it costs
// until then, or what fails the plan.
func (pg *planPage) verdict(r *result.Plan, errs []string) {
	rise := errorRateRise(r)
	var detect, cost string
	if d := r.DetectingStep; d != nil && *d >= 0 && *d < len(r.Steps) && r.Steps[*d].ErrorRatePower != nil {
		detect = fmt.Sprintf("Step %d is the first that can detect %s (power %.2f, target %s).", planStepNumber(r, *d), rise, *r.Steps[*d].ErrorRatePower, pg.Target)
		cost = fmt.Sprintf("Until then a broken canary serves about %s failed requests (%s above the baseline).", format.Number(r.FailedBeforeDetection), format.Number(r.ExcessFailed))
	} else {
		detect = fmt.Sprintf("No step can detect %s with power %s.", rise, pg.Target)
		cost = fmt.Sprintf("A broken canary would serve about %s failed requests over the rollout (%s above the baseline) and then be promoted.", format.Number(r.FailedBeforeDetection), format.Number(r.ExcessFailed))
	}
	if pg.Pass {
		pg.Headline = detect
		pg.Detail = cost + " " + pg.Totals
		return
	}
	pg.Headline = "The plan fails: " + strings.Join(errs, "; ") + "."
	if len(errs) == 0 {
		pg.Headline = "The plan fails."
	}
	pg.Detail = detect + " " + cost
}

// addSteps fills in the step table.
func (pg *planPage) addSteps(r *result.Plan) {
	for _, s := range r.Steps {
		row := planStepRow{Index: strconv.Itoa(stepNumber(s)), Canary: format.Number(s.Weight) + "%", Stable: format.Number(s.StableWeight) + "%",
			Duration: format.Seconds(s.Duration), Ends: string(s.Ends), Requests: format.Count(s.Requests), ToCanary: format.Count(s.CanaryRequests),
			CI: "–", ToStable: format.Count(s.StableRequests), Detects: "–", Power: "–", Needs: "–",
			UsersBoth: format.Percent(s.UsersBothVersions, 1), UsersSoFar: format.Percent(s.UsersBothVersionsCumulative, 1), Note: s.Note, Assumed: s.DurationAssumed}
		if s.DurationAssumed {
			row.Duration += "*"
			pg.AnyAssumed = true
		}
		if s.Requests > 0 {
			row.CI = interval(s.CanaryCILow, s.CanaryCIHigh, 1)
		}
		if s.DetectableDeviation != nil {
			row.Detects = strconv.FormatFloat(*s.DetectableDeviation, 'f', 2, 64) + " pp"
		}
		if p := s.ErrorRatePower; p != nil {
			row.Power = strconv.FormatFloat(*p, 'f', 2, 64)
			row.Needs = optSeconds(s.DurationForPower)
			if s.Duration > 0 {
				row.PowerClass = "reached"
				if *p < r.TargetPower {
					row.PowerClass = "short"
				}
			}
		}
		pg.Steps = append(pg.Steps, row)
	}
}

// planInputs is the plan page's list of inputs.
func planInputs(r *result.Plan, conf string) []htmlInput {
	power := format.Number(r.TargetPower) + " (target; give --require-power to fail on steps below it)"
	if r.RequirePower > 0 {
		power = format.Number(r.RequirePower) + " (required: --require-power)"
	}
	plan := planKind(r.Kind) + " " + r.Name
	if r.Source != "" {
		plan += " (" + r.Source + ")"
	}
	return []htmlInput{
		{"Files", strings.Join(r.Files, ", ")},
		{"Plan", plan},
		{"Route", fmt.Sprintf("%s of VirtualService %s, host %s", r.Route, r.VirtualService, r.Host)},
		{"Canary and stable", r.Canary + "; " + r.Stable},
		{"Traffic", format.Number(r.RPS) + " requests per second"},
		{"Users", format.Count(int64(r.Users)) + ", " + r.UserModel},
		{"Error rates", fmt.Sprintf("stable %s, broken canary %s", format.ShortPercent(r.BaselineErrorRate, 4), format.ShortPercent(r.DetectErrorRate, 4))},
		alphaInput(r.Alpha, conf),
		{"Power", power},
		{"Seed", strconv.FormatUint(r.Seed, 10)},
		{"Version", r.Tool + " " + r.Version},
	}
}
