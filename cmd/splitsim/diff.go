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
	fs := newFlags("diff", help("diff"), stdout, stderr)
	var o scenarios.SimOptions
	requests := countP(fs, "requests", "n", 1_000_000, "requests to simulate on each side (per rule when no traffic is given)")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed of both simulations")
	fromSpec := fromFlag(fs)
	failOn := fs.Float64("fail-on-change", 0, "exit 1 when an exact share moves by more than this many percentage points (when given)")
	oldFiles := fs.StringArrayP("filename", "f", nil, "the old side: a `FILE`, a folder (its .yaml, .yml and .json files, recursively) or - for standard input (repeatable; with --against)")
	newFiles := fs.StringArray("against", nil, "the new side, as -f takes it (repeatable; with -f)")
	out := addOutputFlags(fs, true)
	fs.StringVar(&out.files.HTML, "html", "", "write a self-contained HTML report to this `FILE`: the moves first, as before and after bars")
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	switch {
	case len(*oldFiles) > 0 || len(*newFiles) > 0:
		if len(*oldFiles) == 0 || len(*newFiles) == 0 {
			return fmt.Errorf("give both sides: -f OLD... --against NEW... (see splitsim diff --help)")
		}
		if fs.NArg() > 0 {
			return fmt.Errorf("unexpected argument %q: with -f and --against, every input goes after one of them", fs.Arg(0))
		}
	case fs.NArg() == 2:
		*oldFiles, *newFiles = fs.Args()[:1], fs.Args()[1:]
	default:
		return fmt.Errorf("want two inputs, OLD and NEW (or -f OLD... --against NEW...); got %d (see splitsim diff --help)", fs.NArg())
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
	old, err := simulateSide(*oldFiles, o)
	if err != nil {
		return err
	}
	cur, err := simulateSide(*newFiles, o)
	if err != nil {
		return err
	}
	d := diff.Compare(old.run, cur.run, diff.Options{Classes: old.traffic && cur.traffic, FailOnChangePP: threshold,
		OldMatches: old.matches, NewMatches: cur.matches})
	return out.emit(stdout, d, nil, d.Verdict)
}

// side is one side of a diff, simulated.
type side struct {
	run     *result.Run
	traffic bool // the inputs hold a scenario with traffic, which was sent
	matches diff.Matches
}

// simulateSide runs one side as `splitsim run INPUTS...` would (scenario traffic when the inputs
// hold a scenario with traffic, else every rule on its own).
func simulateSide(args []string, o scenarios.SimOptions) (side, error) {
	files, err := inputFiles(args)
	if err != nil {
		return side{}, err
	}
	in, err := scenarios.LoadFrom(files, o.From)
	if err != nil {
		return side{}, err
	}
	r, err := scenarios.Simulate(in, o)
	if err != nil {
		return side{}, err
	}
	sc := in.Scenario()
	return side{run: r, traffic: sc != nil && len(sc.Spec.Traffic) > 0, matches: diff.MatchesOf(in.Translation.Table)}, nil
}
