package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// PlanJUnit writes the result of `splitsim plan` as JUnit XML, so that CI shows what fails a
// plan and its history per step. Two test suites:
//
//   - "... power": one test case per step, "can this step detect the error-rate rise?". It fails
//     when the plan has an error finding step-too-short for the step (--require-power); it is
//     skipped with the figures when the power is below the target but nothing requires it (a
//     warning), or when the step has no power to check (no duration, the promotion, no canary or
//     stable traffic); otherwise it passes.
//   - "... findings": one failing test case per other error finding (named after its code and
//     step), or one passing case "no other error findings". Warnings and remarks go to the suite's
//     output.
//
// So the file has failures exactly when the plan's verdict is fail (exit code 1).
func PlanJUnit(w io.Writer, r *result.Plan) error {
	name := "splitsim plan"
	if r.Name != "" {
		name += " " + r.Name
	}
	root := JUnitSuites{Name: name}
	class := "splitsim.plan"
	if r.Name != "" {
		class += "." + strings.ReplaceAll(r.Name, ".", "_")
	}
	g := groupFindings(r.Findings)
	power := JUnitSuite{Name: name + ": error-rate power per step", Properties: planProperties(r)}
	var text bytes.Buffer
	if err := PlanText(&text, r); err != nil {
		return err
	}
	power.SystemOut = text.String()
	for _, s := range r.Steps {
		power.Cases = append(power.Cases, planStepCase(r, s, class, g))
	}
	root.add(power)
	root.add(planFindingsSuite(r, name, class, g))
	return writeJUnit(w, root)
}

// planFindings sorts a plan's findings for its JUnit file: step-too-short errors belong to the
// step cases, every other error gets its own case, and the rest goes to the output.
type planFindings struct {
	shortErr, shortWarn map[int]result.PlanFinding
	errs, others        []result.PlanFinding
}

func groupFindings(fs []result.PlanFinding) planFindings {
	g := planFindings{shortErr: map[int]result.PlanFinding{}, shortWarn: map[int]result.PlanFinding{}}
	for _, f := range fs {
		switch {
		case f.Code == "step-too-short" && f.Step != nil && f.Severity == "error":
			g.shortErr[*f.Step] = f
		case f.Code == "step-too-short" && f.Step != nil:
			g.shortWarn[*f.Step] = f
			g.others = append(g.others, f)
		case f.Severity == "error":
			g.errs = append(g.errs, f)
		default:
			g.others = append(g.others, f)
		}
	}
	return g
}

// planStepCase is the power case of one step: failed when a step-too-short error names it,
// skipped when there is no power to check or the power is short without --require-power.
func planStepCase(r *result.Plan, s result.PlanStep, class string, g planFindings) JUnitCase {
	assumed := ""
	if s.DurationAssumed {
		assumed = ", assumed"
	}
	tc := JUnitCase{Classname: class, Name: fmt.Sprintf("step %d (canary %s%% for %s%s): power to detect the error-rate rise", stepNumber(s),
		format.Number(s.Weight), format.Seconds(s.Duration), assumed)}
	figures := stepFigures(r, s)
	if f, short := g.shortErr[s.Index]; short {
		tc.Failure = &JUnitFailure{Type: "StepTooShort", Message: f.Message + " (required by --require-power)", Text: figures + planSource(f)}
		return tc
	}
	tc.SystemOut = figures
	switch {
	case s.Ends == result.EndsPromotion:
		tc.Skipped = &JUnitSkipped{Message: "no power to check: the step promotes the canary"}
	case s.Duration <= 0:
		tc.Skipped = &JUnitSkipped{Message: "no power to check: the step has no duration"}
	case s.ErrorRatePower == nil:
		tc.Skipped = &JUnitSkipped{Message: "no power to check: the step sends no requests to the canary or to the stable version"}
	case *s.ErrorRatePower < r.TargetPower:
		msg := fmt.Sprintf("power %.2f is below the target %s (a warning: no --require-power)", *s.ErrorRatePower, format.Number(r.TargetPower))
		if f, ok := g.shortWarn[s.Index]; ok {
			msg = f.Message + " (a warning: no --require-power)"
		}
		tc.Skipped = &JUnitSkipped{Message: msg}
	}
	return tc
}

// planFindingsSuite has one failing case per error finding other than a short step (two of a
// kind numbered apart), or one passing case; warnings and remarks go to its output.
func planFindingsSuite(r *result.Plan, name, class string, g planFindings) JUnitSuite {
	findings := JUnitSuite{Name: name + ": findings", Properties: planProperties(r)}
	seen := map[string]int{}
	for _, f := range g.errs {
		n := f.Code + " (" + findingStep(r, f) + ")"
		seen[n]++
		if seen[n] > 1 {
			n += " #" + strconv.Itoa(seen[n])
		}
		findings.Cases = append(findings.Cases, JUnitCase{Classname: class, Name: n,
			Failure: &JUnitFailure{Type: "PlanFinding", Message: f.Code + ": " + f.Message, Text: f.Message + "\n" + planSource(f)}})
	}
	var out strings.Builder
	for _, f := range g.others {
		fmt.Fprintf(&out, "%s %s (%s): %s\n", f.Severity, f.Code, findingStep(r, f), f.Message)
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(&out, "warning: %s\n", wn)
	}
	if len(findings.Cases) == 0 {
		msg := "no error findings"
		if len(g.shortErr) > 0 {
			msg = "no error findings besides the steps' power (the failing cases of the power suite)"
		}
		findings.Cases = append(findings.Cases, JUnitCase{Classname: class, Name: "no other error findings",
			SystemOut: fmt.Sprintf("%s; %d warnings and remarks\n", msg, len(g.others)) + out.String()})
	}
	findings.SystemOut = out.String()
	return findings
}

// stepFigures is one step's figures, one line each.
func stepFigures(r *result.Plan, s result.PlanStep) string {
	var b strings.Builder
	fmt.Fprintf(&b, "step %d: canary %s%%, stable %s%%, %s", stepNumber(s), format.Number(s.Weight), format.Number(s.StableWeight), format.Seconds(s.Duration))
	if s.DurationAssumed {
		b.WriteString(" (assumed)")
	}
	fmt.Fprintf(&b, ", ends by %s\n", s.Ends)
	fmt.Fprintf(&b, "requests %s: %s to the canary, %s to the stable version\n", format.Count(s.Requests), format.Count(s.CanaryRequests), format.Count(s.StableRequests))
	if p := s.ErrorRatePower; p != nil {
		fmt.Fprintf(&b, "power %.4f to detect %s (target %s); duration for the target: %s\n",
			*p, errorRateRise(r), format.Number(r.TargetPower), optSeconds(s.DurationForPower))
	}
	if d := s.DetectableDeviation; d != nil {
		fmt.Fprintf(&b, "smallest detectable shift of the canary share: %.2f percentage points\n", *d)
	}
	return b.String()
}

func planSource(f result.PlanFinding) string {
	if f.Source == "" {
		return ""
	}
	return "source: " + f.Source + "\n"
}

func planProperties(r *result.Plan) []JUnitProperty {
	return []JUnitProperty{
		{"files", strings.Join(r.Files, " ")},
		{"kind", r.Kind},
		{"name", r.Name},
		{"virtual_service", r.VirtualService},
		{"host", r.Host},
		{"route", r.Route},
		{"rps", strconv.FormatFloat(r.RPS, 'g', -1, 64)},
		{"users", strconv.Itoa(r.Users)},
		{"baseline_error_rate", strconv.FormatFloat(r.BaselineErrorRate, 'g', -1, 64)},
		{"detect_error_rate", strconv.FormatFloat(r.DetectErrorRate, 'g', -1, 64)},
		{"alpha", strconv.FormatFloat(r.Alpha, 'g', -1, 64)},
		{"target_power", strconv.FormatFloat(r.TargetPower, 'g', -1, 64)},
		{"require_power", strconv.FormatFloat(r.RequirePower, 'g', -1, 64)},
		{"seed", strconv.FormatUint(r.Seed, 10)},
		{"version", r.Tool + " " + r.Version},
		{"verdict", string(r.Verdict)},
	}
}
