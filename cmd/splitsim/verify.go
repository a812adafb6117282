package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/splitsim/splitsim/internal/cliflag"
	"github.com/splitsim/splitsim/observe"
	"github.com/splitsim/splitsim/scenarios"
	"github.com/splitsim/splitsim/verify"
)

// verifyFlags are the flags of splitsim verify.
type verifyFlags struct {
	weights, host, rule, counts string
	configs, matchers, maps     []string
	obs                         verify.ObserveOptions
	rq                          verify.Request
	prom                        promFlags

	// read are the files --config read, the files its scenarios name included: never outputs.
	read []string
}

func verifyCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("verify", help("verify"), stdout, stderr)
	var f verifyFlags
	fs.StringVar(&f.weights, "weights", "", "configured weights: 70,30 or v1=70,v2=30")
	fs.StringArrayVar(&f.configs, "config", nil, "Kubernetes YAML or scenario `FILE` to take the weights from, a folder of them, or - for standard input (repeatable)")
	fs.StringVar(&f.host, "host", "", "with --config: the VirtualService host")
	fs.StringVar(&f.rule, "rule", "", "with --config: the rule, by name or #index (default: the only forward rule)")
	fs.StringVar(&f.counts, "counts", "", "observed counts: 712,288 or v1=712,v2=288")
	fs.StringVar(&f.obs.Path, "observed", "", "file of observed counts, or - for standard input")
	fs.StringVar(&f.obs.Before, "before", "", "an earlier Prometheus scrape: counts are the difference after - before")
	fs.StringVar(&f.obs.Read.Format, "observed-format", "auto", "format of --observed: auto, "+strings.Join(observe.Formats(), ", "))
	fs.StringVar(&f.obs.Read.Metric, "metric", "", "Prometheus metric (default istio_requests_total, else envoy_cluster_upstream_rq_total)")
	fs.StringVar(&f.obs.Read.GroupBy, "label", "", "Prometheus label to group by (default destination_version, or cluster_name for envoy_* metrics)")
	fs.StringArrayVar(&f.matchers, "match", nil, "keep only series or log lines with label=value (repeatable; !=, =~ also work)")
	fs.StringArrayVar(&f.maps, "map", nil, "map an observed name to a destination: name=subset|cluster|host (repeatable)")
	fs.BoolVar(&f.obs.Read.Cumulative, "cumulative", false, "the observed series holds running totals, not per-interval counts")
	f.prom.add(fs)
	fs.BoolVar(&f.rq.Sequential, "sequential", false, "the observations are a series of looks: anytime-valid sequential test")
	fs.Float64Var(&f.rq.Alpha, "alpha", 0.001, "significance level; intervals are at confidence 1-alpha")
	fs.StringVar(&f.rq.Method, "method", "auto", "test for the verdict: pearson, g, exact or auto (exact when an expected count is below 5)")
	fs.Float64Var(&f.rq.TolerancePP, "tolerance", 0, "fail only if a share is shown (exact tolerance test, Holm-adjusted p <= alpha) to be off by more than this many percentage points")
	fs.Uint64Var(&f.rq.Seed, "seed", 1, "seed of the Monte Carlo exact test, when the outcome space is too large to enumerate")
	out := addOutputFlags(fs, true)
	out.addReportFlags(fs, "one test case per check (the split, each destination, the sequential test)")
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (files go after --config or --observed)", fs.Arg(0))
	}
	if err := f.check(); err != nil {
		return err
	}
	if err := f.expected(); err != nil {
		return err
	}
	server, until, err := f.prom.server(fs, time.Now())
	if err != nil {
		return err
	}
	f.obs.Server, f.obs.Stdin = server, stdin.R
	if err := f.observed(until, stderr); err != nil {
		return err
	}
	if err := f.checkCounts(); err != nil {
		return err
	}
	v, err := verify.Decide(f.rq)
	if err != nil {
		return err
	}
	inputs := append(append(append([]string{}, f.configs...), f.read...), f.obs.Path, f.obs.Before)
	return out.emit(stdout, v, inputs, v.Verdict)
}

// check checks the flags that need no input.
func (f *verifyFlags) check() error {
	if err := checkAlpha(f.rq.Alpha); err != nil {
		return err
	}
	return checkTolerance(f.rq.TolerancePP)
}

// checkCounts checks the observed counts and their sum (checkCounts), per look of a series too.
func (f *verifyFlags) checkCounts() error {
	if err := checkCounts("--counts", f.rq.Counts...); err != nil {
		return err
	}
	if o := f.rq.Observed; o != nil {
		return cliflag.CheckSeries("--observed", o.Counts, o.Unrouted, o.Batches)
	}
	return nil
}

// expected reads the configured weights: --weights, or one rule of --config.
func (f *verifyFlags) expected() error {
	var err error
	switch {
	case f.weights != "" && len(f.configs) > 0:
		return fmt.Errorf("give --weights or --config, not both")
	case f.weights != "":
		f.rq.Expected, err = verify.ParseWeights(f.weights)
	case len(f.configs) > 0:
		if f.obs.Path == "-" && slices.Contains(f.configs, "-") {
			return fmt.Errorf("--config - and --observed - cannot both read standard input")
		}
		if f.configs, err = inputFiles(f.configs); err != nil {
			return err
		}
		var in *scenarios.Inputs
		if in, err = scenarios.Load(f.configs); err != nil {
			return err
		}
		f.rq.Config, f.read = f.configs, in.Files
		f.rq.Expected, err = verify.FromRule(in.Translation.Table, f.host, f.rule)
		f.rq.Expected.Warnings = append(f.rq.Expected.Warnings, in.Warnings...)
	default:
		return fmt.Errorf("give the configured weights with --weights or --config")
	}
	if err != nil {
		return err
	}
	f.obs.Map, err = verify.ParseMap(f.maps)
	return err
}

// observed reads the observed counts: --counts, the file --observed, or --prometheus (watched
// live with --every until until).
func (f *verifyFlags) observed(until time.Time, stderr io.Writer) error {
	var err error
	given := 0
	for _, set := range []bool{f.counts != "", f.obs.Path != "", f.obs.Server != nil} {
		if set {
			given++
		}
	}
	switch {
	case given > 1:
		return fmt.Errorf("give one of --counts, --observed and --prometheus")
	case f.obs.Server != nil && f.obs.Before != "":
		return fmt.Errorf("--before is for scrape files: --prometheus reads the window --since or --start/--end")
	case f.prom.Every > 0 && (f.obs.Server == nil || !f.rq.Sequential):
		return fmt.Errorf("--every watches a rollout live: it needs --prometheus and --sequential")
	case f.counts != "":
		if f.rq.Counts, err = verify.ParseCounts(f.counts, f.rq.Expected); err != nil {
			return err
		}
		if f.rq.Sequential {
			return fmt.Errorf("--sequential needs a series: give --observed with a JSON array or an interval,name,count CSV")
		}
		return nil
	case f.obs.Path != "" || f.obs.Server != nil:
		if f.obs.Read.Match, err = observe.ParseMatchers(f.matchers); err != nil {
			return err
		}
		if f.prom.Every > 0 {
			return f.watch(until, stderr)
		}
		f.obs.Series = f.rq.Sequential
		f.rq.Observed, err = verify.Observe(f.rq.Expected, f.obs)
		return err
	}
	return fmt.Errorf("give the observed counts with --counts, --observed or --prometheus")
}
