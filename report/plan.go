package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/result"
)

// PlanText writes the result of `splitsim plan` as a step table, totals, findings, assumptions and
// warnings.
func PlanText(w io.Writer, r *result.Plan) error {
	w = safe.NewWriter(w) // names from the inputs: control characters escaped
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "splitsim plan  %s  (%s %s)\n", strings.Join(r.Files, " "), r.Kind, r.Name)
	fmt.Fprintf(ew, "route %s of VirtualService %s (host %s): canary %s, stable %s\n", r.Route, r.VirtualService, r.Host, r.Canary, r.Stable)
	fmt.Fprintf(ew, "traffic %s rps, %s users (%s); error rate %s -> %s; alpha %g; target power %g\n",
		format.Number(r.RPS), format.Count(int64(r.Users)), r.UserModel, format.ShortPercent(r.BaselineErrorRate, 4), format.ShortPercent(r.DetectErrorRate, 4), r.Alpha, r.TargetPower)
	fmt.Fprintf(ew, "verdict: %s\n\n", strings.ToUpper(string(r.Verdict)))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "STEP\tCANARY\tSTABLE\tDURATION\tENDS\tREQUESTS\tTO CANARY\t%s CI\tTO STABLE\tDETECTS\tPOWER\tNEEDS\tUSERS BOTH\tSO FAR\t\n", format.Confidence(r.Alpha))
	for _, s := range r.Steps {
		dur := format.Seconds(s.Duration)
		if s.DurationAssumed {
			dur += "*"
		}
		ci := "-"
		if s.Requests > 0 {
			ci = "[" + format.Percent(s.CanaryCILow, 1) + ", " + format.Percent(s.CanaryCIHigh, 1) + "]"
		}
		needs := "-"
		if s.ErrorRatePower != nil {
			needs = optSeconds(s.DurationForPower)
		}
		fmt.Fprintf(tw, "%d\t%s%%\t%s%%\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", stepNumber(s),
			format.Number(s.Weight), format.Number(s.StableWeight), dur, s.Ends, format.Count(s.Requests), format.Count(s.CanaryRequests),
			ci, format.Count(s.StableRequests),
			optPP(s.DetectableDeviation), optFloat(s.ErrorRatePower), needs,
			format.Percent(s.UsersBothVersions, 1), format.Percent(s.UsersBothVersionsCumulative, 1))
	}
	tw.Flush()
	if slices.ContainsFunc(r.Steps, func(s result.PlanStep) bool { return s.DurationAssumed }) {
		fmt.Fprintln(ew, "\n* duration assumed (manual gate or analysis of unknown length)")
	} else {
		fmt.Fprintln(ew)
	}
	if argoNumbered(r) {
		fmt.Fprintln(ew, "STEP: the index in the Rollout's spec.strategy.canary.steps, the N of kubectl argo rollouts' \"Step: N/M\" while the rollout holds the step.")
	}
	fmt.Fprintf(ew, "DETECTS: smallest shift of the canary share (percentage points) the split test detects with power 0.8.\n")
	fmt.Fprintf(ew, "POWER: %s.\nNEEDS: step duration that reaches power %g.\n\n", r.ErrorRateTest, r.TargetPower)
	fmt.Fprintf(ew, "total: %s, %s requests, %s to the canary\n", format.Seconds(r.TotalDuration), format.Count(r.TotalRequests), format.Count(r.CanaryRequests))
	if r.DetectingStep != nil {
		fmt.Fprintf(ew, "detection: step %d is the first that reaches power %g; a broken canary serves about %s failed requests until then (%s above the baseline)\n",
			planStepNumber(r, *r.DetectingStep), r.TargetPower, format.Number(r.FailedBeforeDetection), format.Number(r.ExcessFailed))
	} else {
		fmt.Fprintf(ew, "detection: no step reaches power %g; a broken canary serves about %s failed requests over the rollout (%s above the baseline) and is then promoted\n",
			r.TargetPower, format.Number(r.FailedBeforeDetection), format.Number(r.ExcessFailed))
	}
	planRoutesText(ew, r)
	if len(r.Findings) > 0 {
		fmt.Fprintln(ew, "\nfindings:")
		for _, f := range r.Findings {
			fmt.Fprintf(ew, "  %-7s %s (%s): %s\n", f.Severity, f.Code, findingStep(r, f), f.Message)
		}
	}
	listText(ew, "assumptions", r.Assumptions)
	listText(ew, "warnings", r.Warnings)
	return ew.err
}

// findingStep names the step a finding concerns: "step 2" (numbered as stepNumber does), or
// "plan" for the whole plan.
func findingStep(r *result.Plan, f result.PlanFinding) string {
	if f.Step == nil {
		return "plan"
	}
	return "step " + strconv.Itoa(planStepNumber(r, *f.Step))
}

// stepNumber is how the reports number a step: by its index in the plan it was read from (an
// Argo Rollout's spec.strategy.canary.steps, as kubectl argo rollouts shows it), else by its index
// in the plan.
func stepNumber(s result.PlanStep) int { return s.Number() }

// planStepNumber numbers step i of r, which findings and detecting_step name by its index in the
// plan.
func planStepNumber(r *result.Plan, i int) int {
	if i >= 0 && i < len(r.Steps) {
		return stepNumber(r.Steps[i])
	}
	return i
}

// argoNumbered reports whether r's steps are numbered by an Argo Rollout's steps.
func argoNumbered(r *result.Plan) bool {
	return len(r.Steps) > 0 && r.Steps[0].SourceStep != nil
}

func optPP(x *float64) string {
	if x == nil {
		return "-"
	}
	return strconv.FormatFloat(*x, 'f', 2, 64) + "pp"
}

func optFloat(x *float64) string {
	if x == nil {
		return "-"
	}
	return strconv.FormatFloat(*x, 'f', 2, 64)
}

func optSeconds(x *float64) string {
	if x == nil {
		return "never"
	}
	return format.Seconds(*x)
}
