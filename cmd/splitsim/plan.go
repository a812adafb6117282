package main

import (
	"fmt"
	"io"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/scenarios"
)

func planCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("plan", help("plan"), stdout, stderr)
	var o canary.Options
	fs.Float64Var(&o.RPS, "rps", 0, "requests per second reaching the plan's route (required unless the plan gives rps)")
	fs.IntVar(&o.Users, "users", scenarios.PlanDefaultUsers, "active users")
	fs.StringVar(&o.UserModel, "user-model", canary.UserModelEven, "how requests are spread over users: even, uniform or zipf")
	fs.Float64Var(&o.ZipfExponent, "zipf-exponent", scenarios.PlanDefaultZipfExponent, "skew of --user-model zipf")
	fs.Float64Var(&o.BaselineErrorRate, "baseline-error-rate", scenarios.PlanDefaultBaselineErrorRate, "error rate of the stable version")
	fs.Float64Var(&o.DetectErrorRate, "detect-error-rate", scenarios.PlanDefaultDetectErrorRate, "error rate of a broken canary that the plan should detect")
	fs.Float64Var(&o.RequirePower, "require-power", 0, "fail (exit 1) when a step's power to detect the error-rate rise is below this; 0 accepts a plan in which no step can detect a broken canary before promotion (by default that fails: never-detects)")
	fs.Float64Var(&o.Alpha, "alpha", 0.001, "significance level of the tests behind the power figures; intervals are at confidence 1-alpha")
	fromSpec := fromFlag(fs)
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed; the same seed gives the same output on any number of cores")
	var as canary.Assumptions
	fs.DurationVar(&as.ManualPause, "manual-pause", canary.DefaultAssumptions.ManualPause, "assumed duration of a manual promotion gate (Argo pause: {})")
	fs.DurationVar(&as.AnalysisDuration, "analysis-duration", canary.DefaultAssumptions.AnalysisDuration, "assumed duration of an analysis whose length the plan does not give")
	filenames := addInputFlag(fs)
	out := addOutputFlags(fs, true)
	out.addReportFlags(fs, "one test case per step's power and per error finding")
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	if err := checkRPS(fs, o.RPS); err != nil {
		return err
	}
	if err := checkAlpha(o.Alpha); err != nil {
		return err
	}
	if as.ManualPause < 0 || as.AnalysisDuration < 0 {
		return fmt.Errorf("--manual-pause and --analysis-duration must not be negative")
	}
	var err error
	if o.From, err = parseFrom(*fromSpec); err != nil {
		return err
	}
	o.NoDetectionOK = fs.Changed("require-power") && o.RequirePower == 0
	files, err := inputFiles(*filenames, fs.Args())
	if err != nil {
		return err
	}
	in, err := scenarios.LoadPlan(files)
	if err != nil {
		return err
	}
	p, err := in.Evaluate(scenarios.PlanSetup{Options: o, Assumptions: as, Given: fs.Changed})
	if err != nil {
		return err
	}
	return out.emit(stdout, p, in.Files, p.Verdict)
}
