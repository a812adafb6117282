package scenarios

import (
	"cmp"
	"errors"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
)

// RunFiles tests scenario files as `splitsim test` does, in parallel on GOMAXPROCS workers. Each
// outcome is passed to each in path order as soon as it and every one before it is known (for a
// line per scenario while the suite runs); each may be nil.
func RunFiles(files []File, opts SimOptions, each func(*result.ScenarioOutcome)) *result.TestRun {
	outcomes := make([]*result.ScenarioOutcome, len(files))
	done := make([]chan struct{}, len(files))
	for i := range done {
		done[i] = make(chan struct{})
	}
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		go func() {
			for i := range next {
				outcomes[i] = Test(files[i], opts)
				close(done[i])
			}
		}()
	}
	go func() {
		for i := range files {
			next <- i
		}
		close(next)
	}()
	out := &result.TestRun{Header: result.NewHeader(result.KindTest), Scenarios: outcomes}
	for i := range files {
		<-done[i]
		if outcomes[i].Passed {
			out.Passed++
		} else {
			out.Failed++
		}
		if each != nil {
			each(outcomes[i])
		}
	}
	out.Verdict = result.Pass
	if out.Failed > 0 {
		out.Verdict = result.Fail
	}
	return out
}

// Test loads, simulates and checks one scenario file: its routing expectations against a run (or
// the run's verdict when it has none), and its plan requirements against the plan of its inputs.
func Test(f File, opts SimOptions) *result.ScenarioOutcome {
	start := time.Now()
	o := &result.ScenarioOutcome{Name: f.Name, File: f.Path, Inputs: []string{f.Path}, Checks: []result.Check{}}
	if err := test(f, opts, o); err != nil {
		o.Error = strings.ReplaceAll(err.Error(), "\n", "; ")
	} else {
		o.Passed = result.Outcome(Passed(o.Checks))
	}
	o.Seconds = time.Since(start).Seconds()
	return o
}

// test fills o; an error is an input error.
func test(f File, opts SimOptions, o *result.ScenarioOutcome) error {
	if f.Err != nil {
		return f.Err
	}
	in, err := Read([]string{f.Path})
	if err != nil {
		return err
	}
	in.From = opts.From
	o.Inputs = in.Files
	sc := in.Scenario()
	e := sc.Spec.Expect
	if e != nil && e.Alpha > 0 {
		opts.Alpha = e.Alpha
	}
	o.Expected = e.Count()
	var pin *PlanInputs
	if e != nil && e.Plan != nil {
		if pin, err = FindPlans(in.Config, in.Files); err != nil {
			return err
		}
		// The run does not use the Rollouts and Canaries the plan requirements check: no warning.
		for _, s := range pin.Sources {
			in.Warnings = slices.DeleteFunc(in.Warnings, func(w string) bool { return w == SkippedWarning(s.Doc, "splitsim") })
		}
	}
	// The routing is simulated for its expectations, or for the run's verdict when there are none;
	// a scenario that only checks its canary plan needs no run (a Flagger Canary generates the
	// VirtualService it drives, so the inputs may hold none).
	if e.RouteCount() > 0 || e.Count() == 0 {
		if err := testRoutes(in, opts, o); err != nil {
			return err
		}
	}
	if pin != nil {
		return testPlanOf(sc, pin, opts, o)
	}
	return nil
}

// testRoutes simulates the scenario and checks its routing expectations.
func testRoutes(in *Inputs, opts SimOptions, o *result.ScenarioOutcome) error {
	if err := in.Translate(); err != nil {
		return err
	}
	run, err := Simulate(in, opts)
	if err != nil {
		return err
	}
	o.Seed, o.Requests, o.Alpha, o.Warnings = run.Seed, run.Requests, run.Alpha, run.Warnings
	if run.Checks != nil {
		o.Checks = run.Checks
		return nil
	}
	checks, err := Evaluate(in.Scenario(), run, EvalOptions{Alpha: opts.Alpha, Seed: run.Seed})
	if err != nil {
		return err
	}
	o.Checks = checks
	return nil
}

// testPlanOf evaluates the scenario's canary plan and checks its plan requirements.
func testPlanOf(sc *Scenario, pin *PlanInputs, opts SimOptions, o *result.ScenarioOutcome) error {
	plan, checks, err := TestPlan(sc, pin, opts)
	if err != nil {
		return err
	}
	if sc.Spec.Expect.RouteCount() == 0 {
		o.Seed, o.Requests, o.Alpha = plan.Seed, plan.TotalRequests, plan.Alpha
	}
	for _, w := range plan.Warnings {
		if !slices.Contains(o.Warnings, w) {
			o.Warnings = append(o.Warnings, w)
		}
	}
	o.Checks = append(o.Checks, checks...)
	return nil
}

// TestPlan evaluates the canary plan of a scenario's inputs as splitsim plan does, with the traffic
// and error rates of spec.expect.plan (defaults: the plan's own traffic, then splitsim plan's), and
// checks the plan requirements. A scenario whose inputs hold no plan, or several, is an input error.
func TestPlan(sc *Scenario, pin *PlanInputs, opts SimOptions) (*result.Plan, []result.Check, error) {
	e := sc.Spec.Expect
	req := e.Plan
	switch len(pin.Sources) {
	case 0:
		return nil, nil, e.Errorf(req.Path, "the scenario has no canary plan to check: give a native spec.plan, or name a file with an Argo Rollouts Rollout or a Flagger Canary in spec.config (files read: %s)",
			strings.Join(pin.Files, ", "))
	case 1:
	default:
		return nil, nil, e.Errorf(req.Path, "the scenario's inputs hold more than one canary plan (%s); a scenario checks one", pin.SourceNames())
	}
	seed := opts.Seed
	if sc.Spec.Seed != nil && !opts.SeedSet {
		seed = *sc.Spec.Seed
	}
	given := map[string]bool{"rps": req.RPS > 0, "users": req.Users > 0, "user-model": req.UserModel != "", "zipf-exponent": req.ZipfExponent > 0}
	plan, err := pin.Evaluate(PlanSetup{Options: req.options(opts.Alpha, seed), Assumptions: req.assumptions(),
		Given: func(s string) bool { return given[s] }})
	if err != nil {
		return nil, nil, planError(e, err)
	}
	checks, err := EvaluatePlan(e, plan)
	if err != nil {
		return nil, nil, err
	}
	return plan, checks, nil
}

// planError says where in the plan requirements an evaluation error comes from.
func planError(e *Expect, err error) error {
	req := e.Plan
	var se *SettingError
	var me *mesh.Error
	switch {
	case errors.As(err, &se) && se.Setting == "rps":
		return e.Errorf(req.Path+".rps", "required: the plan does not give the requests per second reaching its route, so give them here")
	case errors.As(err, &se):
		return e.Errorf(req.Path+"."+se.Setting, "%s (the plan's value)", se.Problem)
	case errors.As(err, &me):
		return err
	}
	// The evaluation's own errors (error rates that are equal after defaults, a step with too many
	// requests) point at the requirements.
	return e.Errorf(req.Path, "%v", err)
}

// options are splitsim plan's defaults with the requirements' own traffic and error rates.
func (req *PlanExpectation) options(alpha float64, seed uint64) canary.Options {
	o := canary.Options{RPS: req.RPS, Users: PlanDefaultUsers, UserModel: canary.UserModelEven, ZipfExponent: PlanDefaultZipfExponent,
		BaselineErrorRate: PlanDefaultBaselineErrorRate, DetectErrorRate: PlanDefaultDetectErrorRate, Alpha: alpha, Seed: seed}
	o.Users = orInt(req.Users, o.Users)
	o.UserModel = cmp.Or(req.UserModel, o.UserModel)
	o.ZipfExponent = orFloat(req.ZipfExponent, o.ZipfExponent)
	o.BaselineErrorRate = orFloat(req.BaselineErrorRate, o.BaselineErrorRate)
	o.DetectErrorRate = orFloat(req.DetectErrorRate, o.DetectErrorRate)
	o.Alpha = orFloat(req.Alpha, o.Alpha)
	if req.RequirePower != nil {
		o.RequirePower = *req.RequirePower
	}
	return o
}

// assumptions are the default assumptions with the requirements' own.
func (req *PlanExpectation) assumptions() canary.Assumptions {
	as := canary.DefaultAssumptions
	if req.ManualPause.Set {
		as.ManualPause = req.ManualPause.D
	}
	if req.AnalysisDuration.Set {
		as.AnalysisDuration = req.AnalysisDuration.D
	}
	return as
}

func orInt(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

func orFloat(v, def float64) float64 {
	if v > 0 {
		return v
	}
	return def
}
