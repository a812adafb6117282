package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/scenarios"
)

const planHelp = `Usage: splitsim plan FILE... --rps R [flags]

Evaluate a canary plan step by step before the rollout: an Argo Rollouts Rollout, a Flagger Canary,
or a scenario file with a plan section, together with the VirtualService and DestinationRule it
drives. Each step's weights are written into the route the way the controller writes them, and the
step's requests (rps x duration) are simulated through the same engine as splitsim run.

Per step: requests, canary and stable requests (simulated, with an interval), the smallest split
deviation the step can detect (power 0.8 at --alpha), the power of a two-sided pooled
two-proportion z-test to detect an error-rate rise from --baseline-error-rate to
--detect-error-rate between canary and stable, the step duration that would reach the target power,
and the share of users who saw both versions (in the step and so far). Totals: rollout time, canary
requests, and the expected failed requests a broken canary serves before a step can detect it.

Users: --users active users; --user-model even (default: every user sends the same number of
requests), uniform (each request from a random user) or zipf (user r sends a share proportional to
1/r^s, --zipf-exponent s). Every request is an independent weighted pick, as in Envoy.

Examples:
  splitsim plan scenarios/plans/argo-rollout.yaml --rps 20
  splitsim plan rollout.yaml vs.yaml dr.yaml --rps 20 --require-power 0.8 --format json
  splitsim plan scenarios/plans/flagger-canary.yaml --rps 50 --users 5000 --user-model zipf
  splitsim plan scenarios/plans/argo-rollout.yaml --rps 20 -o plan.json --html plan.html --png charts/ --junit junit.xml

Reports: --html writes one self-contained page (verdict, step table, findings, the timeline chart),
--png DIR the timeline chart (canary weight over time, canary requests so far, power per step
against the target), --junit a JUnit XML file with one test case per step's power and one per
error finding; it has failures exactly when the plan fails. splitsim report renders a result saved
with -o again.

Exit codes: 0 pass, 1 a step falls short of --require-power or the plan has an error finding,
2 usage or input error.
`

func planCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("plan", planHelp, stderr)
	rps := fs.Float64("rps", 0, "requests per second reaching the plan's route (required unless the plan gives rps)")
	users := fs.Int("users", planDefaultUsers, "active users")
	userModel := fs.String("user-model", canary.UserModelEven, "how requests are spread over users: even, uniform or zipf")
	zipf := fs.Float64("zipf-exponent", planDefaultZipfExponent, "skew of --user-model zipf")
	baseline := fs.Float64("baseline-error-rate", planDefaultBaselineErrorRate, "error rate of the stable version")
	detect := fs.Float64("detect-error-rate", planDefaultDetectErrorRate, "error rate of a broken canary that the plan should detect")
	requirePower := fs.Float64("require-power", 0, "fail (exit 1) when a step's power to detect the error-rate rise is below this")
	alpha := fs.Float64("alpha", 0.001, "significance level of the tests behind the power figures; intervals are at confidence 1-alpha")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same output on any number of cores")
	manual := fs.Duration("manual-pause", canary.DefaultAssumptions.ManualPause, "assumed duration of a manual promotion gate (Argo pause: {})")
	analysis := fs.Duration("analysis-duration", canary.DefaultAssumptions.AnalysisDuration, "assumed duration of an analysis whose length the plan does not give")
	format := fs.String("format", "text", "output format: text or json")
	output := fs.StringP("output", "o", "", "also write the JSON result to this file")
	rf := addReportFlagsFor(fs, "one test case per step's power and per error finding")
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	if err := checkFormat(*format); err != nil {
		return fail(stderr, "plan", err)
	}
	if *manual < 0 || *analysis < 0 {
		return fail(stderr, "plan", fmt.Errorf("--manual-pause and --analysis-duration must not be negative"))
	}
	in, err := loadPlanInputs(fs.Args())
	if err != nil {
		return fail(stderr, "plan", err)
	}
	out, err := in.evaluate(planSetup{
		options: canary.Options{RPS: *rps, Users: *users, UserModel: *userModel, ZipfExponent: *zipf,
			BaselineErrorRate: *baseline, DetectErrorRate: *detect, Alpha: *alpha, RequirePower: *requirePower,
			Seed: *seed, Version: Version},
		assumptions: canary.Assumptions{ManualPause: *manual, AnalysisDuration: *analysis},
		given:       fs.Changed,
	})
	if err != nil {
		return fail(stderr, "plan", err)
	}
	if err := rf.render(planReport{out}, in.files, *output); err != nil {
		return fail(stderr, "plan", err)
	}
	if *output != "" {
		var buf bytes.Buffer
		if err := report.JSON(&buf, out); err != nil {
			return fail(stderr, "plan", err)
		}
		if err := report.WriteFile(*output, buf.Bytes(), in.files); err != nil {
			return fail(stderr, "plan", err)
		}
	}
	if *format == "json" {
		err = report.JSON(stdout, out)
	} else {
		err = report.PlanText(stdout, out)
	}
	if err != nil {
		return fail(stderr, "plan", err)
	}
	if out.Verdict != result.Pass {
		return exitFail
	}
	return exitPass
}

// planInputs is what the command line's files hold for a plan.
type planInputs struct {
	files    []string
	config   *mesh.Config
	sources  []planSource
	warnings []string
}

// planSource is a document that holds a plan.
type planSource struct {
	doc    *mesh.Document
	native *canary.NativePlan
}

// Defaults of splitsim plan, which the plan requirements of scenarios (spec.expect.plan) share.
const (
	planDefaultUsers             = 1000
	planDefaultZipfExponent      = 1
	planDefaultBaselineErrorRate = 0.01
	planDefaultDetectErrorRate   = 0.02
)

// loadPlanInputs reads Kubernetes YAML and scenario files (and the files scenarios name) and keeps
// every document that holds a plan: Rollouts, Canaries and scenarios with a plan section.
func loadPlanInputs(files []string) (*planInputs, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no input files (give a Rollout, a Canary or a scenario with a plan, and the VirtualService and DestinationRule they drive)")
	}
	cfg, read, err := walkFiles(files, addStrict, followScenarios)
	if err != nil {
		return nil, err
	}
	return planInputsOf(cfg, read)
}

// planInputsOf finds the documents that hold a plan among those of cfg that mesh does not decode,
// in input order: Rollouts, Canaries and scenarios with a plan section. splitsim test calls it on the
// files a scenario reads.
func planInputsOf(cfg *mesh.Config, files []string) (*planInputs, error) {
	in := &planInputs{config: cfg, files: files}
	for _, d := range cfg.Others {
		switch {
		case scenarios.Is(d):
			s, err := scenarios.Decode(d)
			if err != nil {
				return nil, err
			}
			if s.Spec.Plan != nil {
				in.sources = append(in.sources, planSource{doc: d, native: s.Spec.Plan})
			}
		case canary.IsRollout(d), canary.IsCanary(d):
			in.sources = append(in.sources, planSource{doc: d})
		default:
			in.warnings = append(in.warnings, skippedWarning(d, "splitsim plan"))
		}
	}
	return in, nil
}

// sourceNames lists the documents holding a plan: "Rollout rollouts-demo (file: document 1)".
func (in *planInputs) sourceNames() string {
	var names []string
	for _, s := range in.sources {
		names = append(names, fmt.Sprintf("%s (%s: %s)", s.doc.Resource(), s.doc.File, s.doc.Doc))
	}
	return strings.Join(names, ", ")
}

// plan reads the one plan of the inputs.
func (in *planInputs) plan(as canary.Assumptions) (*canary.Plan, error) {
	switch len(in.sources) {
	case 0:
		return nil, fmt.Errorf("%s: no plan found: give an Argo Rollouts Rollout, a Flagger Canary or a scenario with a plan section", strings.Join(in.files, ", "))
	case 1:
	default:
		return nil, fmt.Errorf("%s: more than one plan in the inputs (%s); evaluate them one at a time", in.sources[1].doc.File, in.sourceNames())
	}
	s := in.sources[0]
	switch {
	case s.native != nil:
		return canary.FromNative(s.doc, s.native, in.config, as)
	case canary.IsRollout(s.doc):
		return canary.FromRollout(s.doc, in.config, as)
	}
	return canary.FromCanary(s.doc, in.config, as)
}

// planSetup is how to evaluate the plan of a set of inputs: splitsim plan fills it from its flags,
// splitsim test from a scenario's spec.expect.plan.
type planSetup struct {
	// options are the traffic and statistical assumptions; Files is set from the inputs.
	options     canary.Options
	assumptions canary.Assumptions
	// given reports whether a traffic setting ("rps", "users", "user-model", "zipf-exponent") was
	// given explicitly: it then wins over the plan's own traffic (a native plan's rps, users...),
	// which otherwise wins over the default in options.
	given func(setting string) bool
}

// planSettingError is a traffic setting that neither the caller nor the plan gives, or that is out
// of range. Its message names the flag of splitsim plan; splitsim test names the scenario's field.
type planSettingError struct {
	setting string // "rps" or "users"
	problem string // "is required: ...", "must be from 1 to ..."
}

func (e *planSettingError) Error() string { return "--" + e.setting + " " + e.problem }

// evaluate reads the one plan of the inputs and evaluates it step by step with canary.Evaluate: the
// evaluation of splitsim plan, which splitsim test shares for plan requirements.
func (in *planInputs) evaluate(s planSetup) (*result.Plan, error) {
	p, err := in.plan(s.assumptions)
	if err != nil {
		return nil, err
	}
	p.Warnings = append(p.Warnings, in.warnings...)
	o := s.options
	o.Files = in.files
	// A native plan's traffic applies unless the setting was given.
	t := p.Traffic
	if t.RPS > 0 && !s.given("rps") {
		o.RPS = t.RPS
	}
	if t.Users > 0 && !s.given("users") {
		o.Users = t.Users
	}
	if t.UserModel != "" && !s.given("user-model") {
		o.UserModel = t.UserModel
	}
	if t.ZipfExponent > 0 && !s.given("zipf-exponent") {
		o.ZipfExponent = t.ZipfExponent
	}
	if !(o.RPS > 0) {
		return nil, &planSettingError{"rps", "is required: the requests per second reaching the plan's route (or rps in a native plan)"}
	}
	if o.Users < 1 || o.Users > canary.MaxUsers {
		return nil, &planSettingError{"users", fmt.Sprintf("must be from 1 to %d, got %d", canary.MaxUsers, o.Users)}
	}
	return canary.Evaluate(p, o)
}
