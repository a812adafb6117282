package main

import (
	"io"

	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/scenarios"
)

func testCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("test", help("test"), stdout, stderr)
	var o scenarios.SimOptions
	requests := countP(fs, "requests", "n", 1_000_000, "requests per scenario (per rule without a traffic section); a scenario's spec.requests wins unless this flag is given")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed; a scenario's spec.seed wins unless this flag is given")
	fs.Float64Var(&o.Alpha, "alpha", 0.001, "significance level; spec.expect.alpha and an expectation's own alpha win")
	fromSpec := fromFlag(fs)
	runRe := fs.String("run", "", "test only scenarios whose name matches this regular expression")
	junit := fs.String("junit", "", "write a JUnit XML `FILE`: one test suite per scenario, one test case per expectation")
	out := addOutputFlags(fs, true)
	fs.StringVar(&out.files.HTML, "html", "", "write a self-contained HTML report to this `FILE`: one row per scenario and expectation, failures first")
	verbose := fs.BoolP("verbose", "v", false, "list every expectation, passed ones too")
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	o.Requests, o.RequestsSet, o.SeedSet = *requests, fs.Changed("requests"), fs.Changed("seed")
	var err error
	if o.From, err = parseFrom(*fromSpec); err != nil {
		return err
	}
	if err := checkRequests(o.Requests); err != nil {
		return err
	}
	if err := checkAlpha(o.Alpha); err != nil {
		return err
	}
	files, err := scenarios.Select(fs.Args(), *runRe)
	if err != nil {
		return err
	}
	width := 0
	for _, f := range files {
		width = max(width, len(f.Name))
	}
	var each func(*result.ScenarioOutcome)
	if out.format == formatText {
		each = func(s *result.ScenarioOutcome) { report.ScenarioLine(stdout, s, width, *verbose) }
	}
	t := scenarios.RunFiles(files, o, each)
	if each != nil {
		// The scenarios are printed already: only the summary is left.
		out.text = func(w io.Writer) error { return report.TestSummary(report.Colored(w), t) }
	}
	out.files.JUnit = *junit
	var inputs []string
	for _, s := range t.Scenarios {
		inputs = append(inputs, s.Inputs...)
	}
	if err := out.emit(stdout, t, inputs, ""); err != nil {
		return err
	}
	switch {
	case t.InputErrors() > 0:
		return errInput
	case t.Failed > 0:
		return errFailed
	}
	return nil
}
