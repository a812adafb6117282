package main

import (
	"fmt"
	"io"
	"math"

	"github.com/splitsim/splitsim/diff"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/scenarios"
)

func diffCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("diff", help("diff"), stderr)
	var o scenarios.SimOptions
	requests := countP(fs, "requests", "n", 1_000_000, "requests to simulate on each side (per rule when no traffic is given)")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed of both simulations")
	fromSpec := fromFlag(fs)
	failOn := fs.Float64("fail-on-change", 0, "exit 1 when an exact share moves by more than this many percentage points (when given)")
	out := addOutputFlags(fs, false)
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("want two files, OLD and NEW; got %d (see splitsim diff --help)", fs.NArg())
	}
	o.Requests, o.Alpha, o.RequestsSet, o.SeedSet = *requests, 0.001, fs.Changed("requests"), fs.Changed("seed")
	if err := checkRequests(o.Requests); err != nil {
		return err
	}
	var err error
	if o.From, err = parseFrom(*fromSpec); err != nil {
		return err
	}
	var threshold *float64
	if fs.Changed("fail-on-change") {
		if !(*failOn >= 0) || math.IsInf(*failOn, 0) {
			return fmt.Errorf("--fail-on-change must be a number of percentage points >= 0, got %v", *failOn)
		}
		threshold = failOn
	}
	old, oldTraffic, err := simulateFile(fs.Arg(0), o)
	if err != nil {
		return err
	}
	cur, newTraffic, err := simulateFile(fs.Arg(1), o)
	if err != nil {
		return err
	}
	d := diff.Compare(old, cur, diff.Options{Classes: oldTraffic && newTraffic, FailOnChangePP: threshold})
	return out.emit(stdout, d, nil, d.Verdict)
}

// simulateFile runs one side as `splitsim run FILE` would (scenario traffic when the file is a
// scenario with traffic, else every rule on its own) and says whether scenario traffic was used.
func simulateFile(file string, o scenarios.SimOptions) (*result.Run, bool, error) {
	in, err := scenarios.LoadFrom(inputFiles([]string{file}), o.From)
	if err != nil {
		return nil, false, err
	}
	r, err := scenarios.Simulate(in, o)
	if err != nil {
		return nil, false, err
	}
	sc := in.Scenario()
	return r, sc != nil && len(sc.Spec.Traffic) > 0, nil
}
