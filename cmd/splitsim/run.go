package main

import (
	"fmt"
	"io"
	"sync/atomic"

	"github.com/splitsim/splitsim/internal/progress"
	"github.com/splitsim/splitsim/scenarios"
	"github.com/splitsim/splitsim/sim"
)

func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", help("run"), stderr)
	requests := countP(fs, "requests", "n", 1_000_000, "requests to simulate (per rule when no traffic is given)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same output on any number of cores")
	alpha := fs.Float64("alpha", 0.001, "significance level of the tests; intervals are at confidence 1-alpha")
	host := fs.String("host", "", "simulate only this host (as routes name it, or its fully qualified name)")
	fromSpec := fromFlag(fs)
	out := addOutputFlags(fs, true)
	method := fs.String("method", "auto", "auto, per-request or multinomial: auto draws each request up to 10^8 per group, and the counts directly above")
	out.addReportFlags(fs, "one test case per rule")
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	if err := checkRequests(*requests); err != nil {
		return err
	}
	if err := checkAlpha(*alpha); err != nil {
		return err
	}
	from, err := parseFrom(*fromSpec)
	if err != nil {
		return err
	}
	in, err := scenarios.LoadFrom(inputFiles(fs.Args()), from)
	if err != nil {
		return err
	}
	switch *method {
	case sim.Auto, sim.PerRequest, sim.Multinomial:
	default:
		return fmt.Errorf("--method must be auto, per-request or multinomial, got %q", *method)
	}
	r, err := scenarios.Simulate(in, scenarios.SimOptions{Requests: *requests, Seed: *seed, Alpha: *alpha, Host: *host,
		RequestsSet: fs.Changed("requests"), SeedSet: fs.Changed("seed"), Method: *method, Progress: progressOn(stderr)})
	if err != nil {
		return err
	}
	return out.emit(stdout, r, in.Files, r.Verdict)
}

// progressOn shows the simulation's progress on w when it is a terminal.
func progressOn(w io.Writer) func(int64, *atomic.Int64) func() {
	return func(total int64, done *atomic.Int64) func() { return progress.Start(w, total, done) }
}

// inputFiles maps the command line's files to what to read: a bundled scenario by name where no
// such file exists.
func inputFiles(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = scenarios.Resolve(a)
	}
	return out
}
