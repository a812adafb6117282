package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// EvaluatePlan checks the plan requirements of e (spec.expect.plan) against plan, the canary plan of
// the scenario's inputs as `splitsim plan` evaluates it with the requirements' traffic (and with
// requirePower as --require-power). It returns one Check per requirement, in the order requirePower,
// detectBy, maxDuration, maxFailedBeforeDetection, maxUsersBothVersions, noErrors. The error is an
// input error: detectBy names a step the plan does not have.
func EvaluatePlan(e *Expect, plan *result.Plan) ([]result.Check, error) {
	if e == nil || e.Plan == nil {
		return nil, nil
	}
	req := e.Plan
	pe := &planEvaluator{req: req, p: plan}
	var out []result.Check
	if req.RequirePower != nil {
		out = append(out, pe.requirePower(*req.RequirePower))
	}
	if req.DetectBy != nil {
		c, err := pe.detectBy(e, *req.DetectBy)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if req.MaxDuration.Set {
		out = append(out, pe.maxDuration(req.MaxDuration.D))
	}
	if req.MaxFailedBeforeDetection != nil {
		out = append(out, pe.maxFailed(*req.MaxFailedBeforeDetection))
	}
	if req.MaxUsersBothVersions != nil {
		out = append(out, pe.maxUsersBoth(*req.MaxUsersBothVersions/100))
	}
	if req.CheckNoErrors() {
		out = append(out, pe.noErrors())
	}
	return out, nil
}

// planEvaluator checks plan requirements against a plan.
type planEvaluator struct {
	req *PlanExpectation
	p   *result.Plan
}

// check is a plan check named name, on the plan's route.
func (pe *planEvaluator) check(name string) result.Check {
	return result.Check{Name: name, Kind: result.CheckPlan, Host: pe.p.Host, Rule: pe.p.Route, Alpha: pe.p.Alpha}
}

// rise is "an error-rate rise from 1% to 2% (alpha 0.001)".
func (pe *planEvaluator) rise() string {
	return fmt.Sprintf("an error-rate rise from %s to %s (alpha %g)", format.ShortPercent(pe.p.BaselineErrorRate, 3), format.ShortPercent(pe.p.DetectErrorRate, 3), pe.p.Alpha)
}

// checkable reports whether a step's power counts: both versions get traffic, for some time, and
// the step is not the promotion (as canary.Evaluate judges steps).
func checkable(s *result.PlanStep) bool {
	return s.ErrorRatePower != nil && s.Duration > 0 && s.Ends != result.EndsPromotion
}

// stepText is "step 0 (canary 5% for 10m, 569 of 12,000 requests to the canary)".
func stepText(s *result.PlanStep) string {
	dur := secondsText(s.Duration)
	if s.DurationAssumed {
		dur += " (assumed)"
	}
	return fmt.Sprintf("step %d (canary %s%% for %s, %s of %s requests to the canary)", s.Number(), trimFloat(s.Weight), dur,
		format.Count(s.CanaryRequests), format.Count(s.Requests))
}

// requirePower checks that every step with canary and stable traffic reaches power target.
func (pe *planEvaluator) requirePower(target float64) result.Check {
	c := pe.check(fmt.Sprintf("plan: every step reaches power %g", target))
	c.Expected = fmt.Sprintf("power at least %g in every step with canary and stable traffic, to detect %s at %s rps", target, pe.rise(), format.Number(pe.p.RPS))
	var obs []string
	for i := range pe.p.Steps {
		s := &pe.p.Steps[i]
		if !checkable(s) {
			continue
		}
		pw := *s.ErrorRatePower
		obs = append(obs, fmt.Sprintf("step %d %s", s.Number(), powerText(pw, target)))
		if pw >= target {
			continue
		}
		need := "; no step duration reaches it at this weight"
		if s.DurationForPower != nil {
			need = "; the step would need " + secondsText(*s.DurationForPower)
		}
		c.Failures = append(c.Failures, fmt.Sprintf("%s: power %s to detect %s, below %g%s",
			stepText(s), powerText(pw, target), pe.rise(), target, need))
	}
	if len(obs) == 0 {
		c.Observed = "no step sends traffic to both the canary and the stable version"
		c.Failures = append(c.Failures, "no step of the plan sends traffic to both the canary and the stable version, so none can detect "+pe.rise())
		return c
	}
	c.Observed = "power " + strings.Join(obs, ", ")
	c.Passed = len(c.Failures) == 0
	return c
}

// detecting is the first step that reaches the target power, or nil.
func (pe *planEvaluator) detecting() *result.PlanStep {
	if pe.p.DetectingStep == nil || *pe.p.DetectingStep < 0 || *pe.p.DetectingStep >= len(pe.p.Steps) {
		return nil
	}
	return &pe.p.Steps[*pe.p.DetectingStep]
}

// hasStep reports whether n is within the numbers of the plan's steps (Number: an Argo Rollout's
// step indices, as plan shows them, else the plan's own order).
func (pe *planEvaluator) hasStep(n int) bool {
	st := pe.p.Steps
	return len(st) > 0 && n >= st[0].Number() && n <= st[len(st)-1].Number()
}

// stepRange says which step numbers the plan has.
func (pe *planEvaluator) stepRange() string {
	st := pe.p.Steps
	if len(st) == 0 {
		return "it has none"
	}
	return fmt.Sprintf("steps %d to %d", st[0].Number(), st[len(st)-1].Number())
}

// stepEnd is when a step ends, in seconds since the start.
func stepEnd(s *result.PlanStep) float64 { return s.Start + s.Duration }

// detectBy checks that some step up to a deadline (a step, or a time since the start) reaches the
// plan's target power.
func (pe *planEvaluator) detectBy(e *Expect, by PlanDeadline) (result.Check, error) {
	target := pe.p.TargetPower
	if by.IsStep && !pe.hasStep(by.Step) {
		return result.Check{}, e.Errorf(pe.req.Path+".detectBy", "the plan has no step %d (%s)", by.Step, pe.stepRange())
	}
	c := pe.check(fmt.Sprintf("plan: detection by %s", by))
	c.Expected = fmt.Sprintf("some step %s reaches power %g to detect %s at %s rps", deadlineScope(by), target, pe.rise(), format.Number(pe.p.RPS))
	det := pe.detecting()
	switch {
	case det == nil:
		c.Observed = fmt.Sprintf("no step reaches power %g", target)
	default:
		c.Observed = fmt.Sprintf("step %d is the first that reaches power %g (%s), at the end of the step, %s after the start",
			det.Number(), target, powerText(*det.ErrorRatePower, target), secondsText(stepEnd(det)))
	}
	if det != nil && stepWithin(det, by) {
		c.Passed = true
		return c, nil
	}
	c.Failures = []string{pe.notDetected(by, det)}
	return c, nil
}

// deadlineScope is the steps a deadline covers, as check texts say it: "up to step 2", "that ends
// by 20m".
func deadlineScope(by PlanDeadline) string {
	if by.IsStep {
		return "up to " + by.String()
	}
	return "that ends by " + by.String()
}

// stepWithin reports whether step s comes by the deadline: it is the deadline's step or an earlier
// one, or it ends by the deadline's time.
func stepWithin(s *result.PlanStep, by PlanDeadline) bool {
	if by.IsStep {
		return s.Number() <= by.Step
	}
	return stepEnd(s) <= by.Duration.Seconds()+1e-9
}

// notDetected is the failure line of a deadline no step meets: the power of each step before the
// deadline, and the first step that reaches the target power, if any.
func (pe *planEvaluator) notDetected(by PlanDeadline, det *result.PlanStep) string {
	target := pe.p.TargetPower
	var before []string
	for i := range pe.p.Steps {
		s := &pe.p.Steps[i]
		if !stepWithin(s, by) || !checkable(s) {
			continue
		}
		t := fmt.Sprintf("step %d %s", s.Number(), powerText(*s.ErrorRatePower, target))
		if !by.IsStep {
			t = fmt.Sprintf("step %d (ends at %s) %s", s.Number(), secondsText(stepEnd(s)), powerText(*s.ErrorRatePower, target))
		}
		before = append(before, t)
	}
	line := fmt.Sprintf("no step %s reaches power %g to detect %s", deadlineScope(by), target, pe.rise())
	if len(before) > 0 {
		line += ": " + strings.Join(before, ", ")
	} else {
		line += ": none of them sends traffic to both versions"
	}
	switch {
	case det == nil:
		line += fmt.Sprintf("; no step of the plan reaches power %g", target)
	case by.IsStep:
		line += fmt.Sprintf("; the first step that does is step %d (%s)", det.Number(), powerText(*det.ErrorRatePower, target))
	default:
		line += fmt.Sprintf("; the first step that does is step %d (%s), which ends at %s", det.Number(), powerText(*det.ErrorRatePower, target),
			secondsText(stepEnd(det)))
	}
	return line
}

// maxDuration checks that the rollout, assumed durations included, takes at most limit.
func (pe *planEvaluator) maxDuration(limit time.Duration) result.Check {
	c := pe.check(fmt.Sprintf("plan: rollout within %s", format.Duration(limit)))
	c.Expected = fmt.Sprintf("the rollout takes at most %s, assumed durations included", format.Duration(limit))
	total := pe.p.TotalDuration
	var assumed []string
	for _, s := range pe.p.Steps {
		if s.DurationAssumed {
			assumed = append(assumed, fmt.Sprintf("step %d %s %s", s.Number(), secondsText(s.Duration), s.Ends))
		}
	}
	c.Observed = fmt.Sprintf("%s over %d steps", secondsText(total), len(pe.p.Steps))
	if len(assumed) > 0 {
		c.Observed += " (assumed: " + strings.Join(assumed, ", ") + ")"
	}
	lim := limit.Seconds()
	if total <= lim+1e-9 {
		c.Passed = true
		return c
	}
	line := fmt.Sprintf("the rollout takes %s, more than %s", secondsText(total), format.Duration(limit))
	for _, s := range pe.p.Steps {
		if stepEnd(&s) > lim+1e-9 {
			line += fmt.Sprintf(": the limit is passed during step %d (canary %s%%, %s to %s)", s.Number(), trimFloat(s.Weight),
				secondsText(s.Start), secondsText(stepEnd(&s)))
			break
		}
	}
	if len(assumed) > 0 {
		line += "; assumed durations: " + strings.Join(assumed, ", ")
	}
	c.Failures = []string{line}
	return c
}

// maxFailed checks that a broken canary serves at most limit failed requests before detection.
func (pe *planEvaluator) maxFailed(limit float64) result.Check {
	target := pe.p.TargetPower
	c := pe.check(fmt.Sprintf("plan: at most %s failed requests before detection", format.Number(limit)))
	c.Expected = fmt.Sprintf("a broken canary (error rate %s, stable %s) serves at most %s failed requests before a step reaches power %g",
		format.ShortPercent(pe.p.DetectErrorRate, 3), format.ShortPercent(pe.p.BaselineErrorRate, 3), format.Number(limit), target)
	failed := pe.p.FailedBeforeDetection
	det := pe.detecting()
	until := fmt.Sprintf("over the whole rollout: no step reaches power %g", target)
	if det != nil {
		until = fmt.Sprintf("until step %d, the first that reaches power %g (%s), ends at %s", det.Number(), target,
			powerText(*det.ErrorRatePower, target), secondsText(stepEnd(det)))
	}
	c.Observed = fmt.Sprintf("about %s failed requests (%s above the baseline) %s", format.Number(failed), format.Number(pe.p.ExcessFailed), until)
	if failed <= limit*(1+1e-12) {
		c.Passed = true
		return c
	}
	c.Failures = []string{fmt.Sprintf("a broken canary (error rate %s, stable %s) serves about %s failed requests (%s above the baseline) %s; more than %s",
		format.ShortPercent(pe.p.DetectErrorRate, 3), format.ShortPercent(pe.p.BaselineErrorRate, 3), format.Number(failed), format.Number(pe.p.ExcessFailed), until, format.Number(limit))}
	return c
}

// maxUsersBoth checks that at most the share limit of users see both versions by the end.
func (pe *planEvaluator) maxUsersBoth(limit float64) result.Check {
	c := pe.check(fmt.Sprintf("plan: at most %s of users see both versions", format.ShortPercent(limit, 3)))
	users := format.Count(int64(pe.p.Users))
	c.Expected = fmt.Sprintf("at most %s of %s users see both the canary and the stable version by the end of the rollout", format.ShortPercent(limit, 3), users)
	steps := pe.p.Steps
	if len(steps) == 0 {
		c.Observed = "no steps"
		c.Passed = true
		return c
	}
	last := steps[len(steps)-1]
	end := last.UsersBothVersionsCumulative
	c.Observed = fmt.Sprintf("%s of %s users (%s model) by the end (step %d)", format.Percent(end, 1), users, pe.p.UserModel, last.Number())
	if end <= limit+1e-12 {
		c.Passed = true
		return c
	}
	line := fmt.Sprintf("%s of %s users see both versions by the end of the rollout (step %d), more than %s", format.Percent(end, 1), users, last.Number(), format.ShortPercent(limit, 3))
	for _, s := range steps {
		if s.UsersBothVersionsCumulative > limit+1e-12 {
			line += fmt.Sprintf(": the limit is passed in step %d (canary %s%%), with %s so far", s.Number(), trimFloat(s.Weight),
				format.Percent(s.UsersBothVersionsCumulative, 1))
			break
		}
	}
	c.Failures = []string{line}
	return c
}

// noErrors checks that the plan has no error findings (step-too-short aside).
func (pe *planEvaluator) noErrors() result.Check {
	c := pe.check("plan: no error findings")
	c.Expected = "no error finding"
	counts := map[result.Severity]int{}
	for _, f := range pe.p.Findings {
		if f.Severity == canary.SeverityError && f.Code == canary.CodeStepTooShort {
			// Left to requirePower, which makes these errors and reports them step by step.
			continue
		}
		counts[f.Severity]++
		if f.Severity != result.SeverityError {
			continue
		}
		where := "plan"
		if f.Step != nil {
			where = "step " + strconv.Itoa(*f.Step)
		}
		src := ""
		if f.Source != "" {
			src = " (" + f.Source + ")"
		}
		c.Failures = append(c.Failures, fmt.Sprintf("%s: error %s%s: %s", where, f.Code, src, f.Message))
	}
	var parts []string
	for _, sev := range []result.Severity{result.SeverityError, result.SeverityWarning, result.SeverityInfo} {
		if n := counts[sev]; n > 0 {
			parts = append(parts, format.Counted(n, string(sev)))
		}
	}
	c.Observed = "no findings"
	if len(parts) > 0 {
		c.Observed = strings.Join(parts, ", ")
	}
	c.Passed = len(c.Failures) == 0
	return c
}

// powerText formats a power with 2 decimals, or 4 when 2 would round it up to the target.
func powerText(pw, target float64) string {
	s := strconv.FormatFloat(pw, 'f', 2, 64)
	if v, _ := strconv.ParseFloat(s, 64); pw < target && v >= target {
		s = strconv.FormatFloat(pw, 'f', 4, 64)
	}
	return s
}

// secondsText formats seconds as a duration: "10m", "35m49s", "0s"; as a number of seconds ("+Infs")
// when too large for one.
func secondsText(s float64) string {
	if math.IsInf(s, 0) || math.IsNaN(s) || s > 1e11 {
		return fmt.Sprintf("%gs", s)
	}
	return format.Seconds(s)
}
