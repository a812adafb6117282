package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"

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
	out := addOutputFlags(fs, false)
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
	files, err := findTests(fs.Args(), *runRe)
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

// findTests lists the scenario files under roots (the current folder when none) whose name
// matches runRe.
func findTests(roots []string, runRe string) ([]scenarios.File, error) {
	var re *regexp.Regexp
	if runRe != "" {
		var err error
		if re, err = regexp.Compile(runRe); err != nil {
			return nil, fmt.Errorf("--run: %v", err)
		}
	}
	if len(roots) == 0 {
		roots = []string{"."}
	}
	found, err := scenarios.Find(roots)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("no scenario files (YAML with a kind: Scenario document) in %s", strings.Join(roots, " "))
	}
	var files []scenarios.File
	for _, f := range found {
		if re == nil || re.MatchString(f.Name) {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("--run %q matches none of the %d scenarios", runRe, len(found))
	}
	return files, nil
}
