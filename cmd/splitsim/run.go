package main

import (
	"fmt"
	"io"
	"sync/atomic"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/internal/progress"
	"github.com/splitsim/splitsim/scenarios"
	"github.com/splitsim/splitsim/sim"
)

func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", help("run"), stdout, stderr)
	requests := countP(fs, "requests", "n", 1_000_000, "requests to simulate (per rule when no traffic is given)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same output on any number of cores")
	alpha := fs.Float64("alpha", 0.001, "significance level of the tests; intervals are at confidence 1-alpha")
	host := fs.String("host", "", "simulate only this host (as routes name it, or its fully qualified name)")
	fromSpec := fromFlag(fs)
	filenames := addInputFlag(fs)
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
	files, err := inputFiles(*filenames, fs.Args())
	if err != nil {
		return err
	}
	in, err := scenarios.LoadFrom(files, from)
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

// addInputFlag registers -f/--filename: input files besides the arguments, as kubectl takes them.
func addInputFlag(fs *pflag.FlagSet) *[]string {
	return fs.StringArrayP("filename", "f", nil, "input `FILE`, folder (its .yaml, .yml and .json files, recursively) or - for standard input (repeatable; read before the arguments)")
}

// inputFiles maps the command line's inputs to the files to read (see scenarios.Expand): files,
// folders walked for YAML and JSON files, - for standard input, and bundled scenarios by name where
// no such file exists.
func inputFiles(args ...[]string) ([]string, error) {
	var all []string
	for _, a := range args {
		all = append(all, a...)
	}
	return scenarios.Expand(all, stdin)
}
