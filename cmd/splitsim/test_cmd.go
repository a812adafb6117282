package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/expect"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/scenarios"
)

const testHelp = `Usage: splitsim test [DIR|FILE...] [flags]

Run scenario files as a regression suite, like go test. Every scenario is simulated with its own
seed and request count (--seed and --requests apply to scenarios that set none, or to all when given
explicitly), and its expectations (spec.expect) are checked: split shares per host and rule, the
share of 404 or 503 responses, which destinations a request class reaches, and the requirements on
the scenario's canary plan (spec.expect.plan: power per step, detection deadline, rollout time,
failed requests before detection, users who see both versions, no error findings), evaluated as
splitsim plan evaluates it. A scenario without expectations passes when the run's verdict passes
(the Holm-corrected chi-square tests of every rule against its configured weights).

DIR is searched recursively for .yaml and .yml files with a kind: Scenario document; other files are
skipped, and so are folders named testdata or starting with "." or "_" (as go test ./... does), which
is where intentionally failing examples live. Name such a folder or file explicitly to run it. Without
arguments, the current folder is searched.

Prints one line per scenario (ok or FAIL, name, time), in the order of the file paths, with what was
expected and what happened under each failure, then a summary line "N passed, M failed".
Exit code 1 when a scenario fails, 2 when one cannot be loaded, an expectation names a host, rule,
destination, class or plan step that does not exist, or plan requirements find no plan.

Examples:
  splitsim test scenarios/
  splitsim test scenarios/ --junit junit.xml
  splitsim test scenarios/ --run 'bookinfo|header' -v
`

// testOutcome is the result of testing one scenario.
type testOutcome struct {
	Name     string         `json:"name"`
	File     string         `json:"file"`
	Passed   bool           `json:"passed"`
	Seconds  float64        `json:"seconds"`
	Seed     uint64         `json:"seed,omitempty"`
	Requests int64          `json:"requests,omitempty"`
	Alpha    float64        `json:"alpha,omitempty"`
	Error    string         `json:"error,omitempty"` // an input error: the scenario could not be tested
	Expected int            `json:"expectations"`    // number of expectations (0: the run verdict decides)
	Checks   []expect.Check `json:"checks"`
	// Warnings are the run's caveats (undefined subsets, unreachable rules...), shown with failures.
	Warnings []string `json:"warnings,omitempty"`
	inputs   []string
}

// testFile is a scenario file found by discovery.
type testFile struct {
	path string
	name string
	err  error // set when the file cannot be tested as a scenario
}

func testCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("test", testHelp, stderr)
	requests := countP(fs, "requests", "n", 1_000_000, "requests per scenario (per rule without a traffic section); a scenario's spec.requests wins unless this flag is given")
	seed := fs.Uint64("seed", 1, "random seed; a scenario's spec.seed wins unless this flag is given")
	alpha := fs.Float64("alpha", 0.001, "significance level; spec.expect.alpha and an expectation's own alpha win")
	runRe := fs.String("run", "", "test only scenarios whose name matches this regular expression")
	junit := fs.String("junit", "", "write a JUnit XML `FILE`: one test suite per scenario, one test case per expectation")
	format := fs.String("format", "text", "output format: text or json")
	verbose := fs.BoolP("verbose", "v", false, "list every expectation, passed ones too")
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	if err := checkFormat(*format); err != nil {
		return fail(stderr, "test", err)
	}
	if *requests < 1 {
		return fail(stderr, "test", fmt.Errorf("--requests must be at least 1, got %d", *requests))
	}
	if !(*alpha > 0 && *alpha < 1) {
		return fail(stderr, "test", fmt.Errorf("--alpha must be between 0 and 1, got %v", *alpha))
	}
	var re *regexp.Regexp
	if *runRe != "" {
		var err error
		if re, err = regexp.Compile(*runRe); err != nil {
			return fail(stderr, "test", fmt.Errorf("--run: %v", err))
		}
	}
	roots := fs.Args()
	if len(roots) == 0 {
		roots = []string{"."}
	}
	found, err := findScenarios(roots)
	if err != nil {
		return fail(stderr, "test", err)
	}
	if len(found) == 0 {
		return fail(stderr, "test", fmt.Errorf("no scenario files (YAML with a kind: Scenario document) in %s", strings.Join(roots, " ")))
	}
	var files []testFile
	for _, f := range found {
		if re == nil || re.MatchString(f.name) {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return fail(stderr, "test", fmt.Errorf("--run %q matches none of the %d scenarios", *runRe, len(found)))
	}
	opts := simOptions{Requests: *requests, Seed: *seed, Alpha: *alpha,
		RequestsSet: fs.Changed("requests"), SeedSet: fs.Changed("seed")}

	// Scenarios run in parallel; lines are printed in path order as soon as each is known.
	outcomes := make([]*testOutcome, len(files))
	done := make([]chan struct{}, len(files))
	for i := range done {
		done[i] = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				outcomes[i] = testScenario(files[i], opts)
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
	width := 0
	for _, f := range files {
		width = max(width, len(f.name))
	}
	passed, failed, inputErrors := 0, 0, 0
	for i := range files {
		<-done[i]
		o := outcomes[i]
		switch {
		case o.Passed:
			passed++
		case o.Error != "":
			failed++
			inputErrors++
		default:
			failed++
		}
		if *format == "text" {
			printOutcome(stdout, o, width, *verbose)
		}
	}
	wg.Wait()
	if *format == "json" {
		b, err := json.MarshalIndent(struct {
			Passed    int            `json:"passed"`
			Failed    int            `json:"failed"`
			Scenarios []*testOutcome `json:"scenarios"`
		}{passed, failed, outcomes}, "", "  ")
		if err != nil {
			return fail(stderr, "test", err)
		}
		stdout.Write(append(b, '\n'))
	} else {
		fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	}
	if *junit != "" {
		var inputs []string
		for _, o := range outcomes {
			inputs = append(inputs, o.inputs...)
		}
		var buf bytes.Buffer
		if err := report.ScenarioJUnit(&buf, testJUnit(outcomes)); err != nil {
			return fail(stderr, "test", err)
		}
		if err := report.WriteFile(*junit, buf.Bytes(), inputs); err != nil {
			return fail(stderr, "test", fmt.Errorf("--junit: %w", err))
		}
	}
	switch {
	case inputErrors > 0:
		return exitUsage
	case failed > 0:
		return exitFail
	}
	return exitPass
}

// testScenario loads, simulates and checks one scenario file.
func testScenario(f testFile, opts simOptions) *testOutcome {
	start := time.Now()
	o := &testOutcome{Name: f.name, File: f.path, inputs: []string{f.path}, Checks: []expect.Check{}}
	defer func() { o.Seconds = time.Since(start).Seconds() }()
	fail := func(err error) *testOutcome {
		o.Error = strings.ReplaceAll(err.Error(), "\n", "; ")
		return o
	}
	if f.err != nil {
		return fail(f.err)
	}
	in, err := readInputs([]string{f.path})
	if err != nil {
		return fail(err)
	}
	o.inputs = in.files
	sc := in.scenario()
	e := sc.Spec.Expect
	if e != nil && e.Alpha > 0 {
		opts.Alpha = e.Alpha
	}
	o.Expected = e.Count()
	var pin *planInputs
	if e != nil && e.Plan != nil {
		if pin, err = planInputsOf(in.config, in.files); err != nil {
			return fail(err)
		}
		// The run does not use the Rollouts and Canaries the plan requirements check: no warning.
		for _, s := range pin.sources {
			in.warnings = slices.DeleteFunc(in.warnings, func(w string) bool { return w == skippedWarning(s.doc, "splitsim") })
		}
	}
	// The routing is simulated for its expectations, or for the run's verdict when there are none;
	// a scenario that only checks its canary plan needs no run (a Flagger Canary generates the
	// VirtualService it drives, so the inputs may hold none).
	if e.RouteCount() > 0 || e.Count() == 0 {
		if err := in.translate(); err != nil {
			return fail(err)
		}
		run, err := simulate(in, opts)
		if err != nil {
			return fail(err)
		}
		o.Seed, o.Requests, o.Alpha, o.Warnings = run.Seed, run.Requests, run.Alpha, run.Warnings
		checks, err := expect.Evaluate(sc, run, expect.Options{Alpha: opts.Alpha, Seed: run.Seed})
		if err != nil {
			return fail(err)
		}
		o.Checks = checks
	}
	if pin != nil {
		plan, checks, err := testPlan(sc, pin, opts)
		if err != nil {
			return fail(err)
		}
		if e.RouteCount() == 0 {
			o.Seed, o.Requests, o.Alpha = plan.Seed, plan.TotalRequests, plan.Alpha
		}
		for _, w := range plan.Warnings {
			if !slices.Contains(o.Warnings, w) {
				o.Warnings = append(o.Warnings, w)
			}
		}
		o.Checks = append(o.Checks, checks...)
	}
	o.Passed = expect.Passed(o.Checks)
	return o
}

// testPlan evaluates the canary plan of a scenario's inputs as splitsim plan does, with the traffic
// and error rates of spec.expect.plan (defaults: the plan's own traffic, then splitsim plan's), and
// checks the plan requirements. A scenario whose inputs hold no plan, or several, is an input error.
func testPlan(sc *scenarios.Scenario, pin *planInputs, opts simOptions) (*result.Plan, []expect.Check, error) {
	e := sc.Spec.Expect
	req := e.Plan
	switch len(pin.sources) {
	case 0:
		return nil, nil, e.Errorf(req.Path, "the scenario has no canary plan to check: give a native spec.plan, or name a file with an Argo Rollouts Rollout or a Flagger Canary in spec.config (files read: %s)",
			strings.Join(pin.files, ", "))
	case 1:
	default:
		return nil, nil, e.Errorf(req.Path, "the scenario's inputs hold more than one canary plan (%s); a scenario checks one", pin.sourceNames())
	}
	seed := opts.Seed
	if sc.Spec.Seed != nil && !opts.SeedSet {
		seed = *sc.Spec.Seed
	}
	o := canary.Options{RPS: req.RPS, Users: planDefaultUsers, UserModel: canary.UserModelEven, ZipfExponent: planDefaultZipfExponent,
		BaselineErrorRate: planDefaultBaselineErrorRate, DetectErrorRate: planDefaultDetectErrorRate, Alpha: opts.Alpha, Seed: seed, Version: Version}
	if req.Users > 0 {
		o.Users = req.Users
	}
	if req.UserModel != "" {
		o.UserModel = req.UserModel
	}
	if req.ZipfExponent > 0 {
		o.ZipfExponent = req.ZipfExponent
	}
	if req.BaselineErrorRate > 0 {
		o.BaselineErrorRate = req.BaselineErrorRate
	}
	if req.DetectErrorRate > 0 {
		o.DetectErrorRate = req.DetectErrorRate
	}
	if req.Alpha > 0 {
		o.Alpha = req.Alpha
	}
	if req.RequirePower != nil {
		o.RequirePower = *req.RequirePower
	}
	as := canary.DefaultAssumptions
	if req.ManualPause.Set {
		as.ManualPause = req.ManualPause.D
	}
	if req.AnalysisDuration.Set {
		as.AnalysisDuration = req.AnalysisDuration.D
	}
	given := map[string]bool{"rps": req.RPS > 0, "users": req.Users > 0, "user-model": req.UserModel != "", "zipf-exponent": req.ZipfExponent > 0}
	plan, err := pin.evaluate(planSetup{options: o, assumptions: as, given: func(s string) bool { return given[s] }})
	var se *planSettingError
	var me *mesh.Error
	switch {
	case errors.As(err, &se) && se.setting == "rps":
		return nil, nil, e.Errorf(req.Path+".rps", "required: the plan does not give the requests per second reaching its route, so give them here")
	case errors.As(err, &se):
		return nil, nil, e.Errorf(req.Path+"."+se.setting, "%s (the plan's value)", se.problem)
	case errors.As(err, &me):
		return nil, nil, err
	case err != nil:
		// The evaluation's own errors (error rates that are equal after defaults, a step with too
		// many requests) point at the requirements.
		return nil, nil, e.Errorf(req.Path, "%v", err)
	}
	checks, err := expect.EvaluatePlan(e, plan)
	if err != nil {
		return nil, nil, err
	}
	return plan, checks, nil
}

// printOutcome writes a scenario's line and, for a failure (or with -v), its checks.
func printOutcome(w io.Writer, o *testOutcome, width int, verbose bool) {
	status := "ok  "
	if !o.Passed {
		status = "FAIL"
	}
	fmt.Fprintf(w, "%s  %-*s  %.2fs", status, width, o.Name, o.Seconds)
	switch {
	case o.Error != "":
		fmt.Fprintf(w, "  %s: input error\n      %s\n", o.File, o.Error)
		return
	case !o.Passed:
		fmt.Fprintf(w, "  %s", o.File)
	case o.Expected == 0:
		fmt.Fprint(w, "  (no expectations)")
	}
	fmt.Fprintln(w)
	for _, c := range o.Checks {
		if c.Passed && !verbose {
			continue
		}
		mark := "ok  "
		if !c.Passed {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "    %s %s\n", mark, c.Name)
		fmt.Fprintf(w, "         expected: %s\n", c.Expected)
		fmt.Fprintf(w, "         observed: %s\n", c.Observed)
		for _, l := range c.Failures {
			fmt.Fprintf(w, "         %s\n", l)
		}
	}
	if !o.Passed || verbose {
		for _, wn := range o.Warnings {
			fmt.Fprintf(w, "    warning: %s\n", wn)
		}
	}
}

// testJUnit builds the JUnit report: one suite per scenario, one test case per check.
func testJUnit(outcomes []*testOutcome) *report.ScenarioReport {
	r := &report.ScenarioReport{}
	for _, o := range outcomes {
		s := report.ScenarioSuite{Name: o.Name, Seconds: o.Seconds, Properties: [][2]string{{"file", o.File}}}
		if o.Error != "" {
			s.Cases = append(s.Cases, report.ScenarioCase{Name: "load", Classname: o.Name,
				Failure: "InputError", Message: o.Error, Details: o.Error + "\n"})
			r.Suites = append(r.Suites, s)
			continue
		}
		s.Properties = append(s.Properties,
			[2]string{"seed", strconv.FormatUint(o.Seed, 10)},
			[2]string{"requests", strconv.FormatInt(o.Requests, 10)},
			[2]string{"alpha", strconv.FormatFloat(o.Alpha, 'g', -1, 64)})
		for _, c := range o.Checks {
			tc := report.ScenarioCase{Name: c.Name, Classname: o.Name,
				Details: "expected: " + c.Expected + "\nobserved: " + c.Observed + "\n"}
			if !c.Passed {
				tc.Failure = "ExpectationFailed"
				tc.Message = c.Name + ": expected " + c.Expected + ", observed " + c.Observed
				if len(c.Failures) > 0 {
					tc.Message = c.Failures[0]
					tc.Details += strings.Join(c.Failures, "\n") + "\n"
				}
			}
			s.Cases = append(s.Cases, tc)
		}
		r.Suites = append(r.Suites, s)
	}
	return r
}

// findScenarios lists the scenario files under roots, sorted by path. A folder is searched
// recursively for .yaml and .yml files holding a kind: Scenario document; subfolders named testdata
// or starting with "." or "_" are skipped. A file named explicitly must hold a scenario.
func findScenarios(roots []string) ([]testFile, error) {
	seen := map[string]bool{}
	var out []testFile
	add := func(f testFile) {
		if !seen[f.path] {
			seen[f.path] = true
			out = append(out, f)
		}
	}
	for _, root := range roots {
		fi, err := os.Stat(root)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: %v", root, pe.Err)
			}
			return nil, err
		}
		if !fi.IsDir() {
			f, ok := scenarioFile(filepath.Clean(root))
			if !ok {
				return nil, fmt.Errorf("%s: no scenario in this file (a document with apiVersion %s and kind: %s)", root, scenarios.APIVersion, scenarios.Kind)
			}
			add(f)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
					return filepath.SkipDir
				}
				return nil
			}
			if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
				return nil
			}
			if f, ok := scenarioFile(path); ok {
				add(f)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// scenarioFile reads a file and reports whether it holds a scenario. A file that cannot be read or
// split into documents but mentions kind: Scenario is returned with its error, so that a broken
// scenario fails rather than vanishing from the suite.
func scenarioFile(path string) (testFile, bool) {
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	data, err := os.ReadFile(path)
	if err != nil {
		return testFile{path: path, name: name, err: fmt.Errorf("%s: %v", path, err)}, true
	}
	docs, err := mesh.Split(path, data)
	if err != nil {
		if regexp.MustCompile(`(?m)^\s*kind:\s*["']?Scenario\b`).Match(data) {
			return testFile{path: path, name: name, err: err}, true
		}
		return testFile{}, false
	}
	n := 0
	for _, d := range docs {
		if scenarios.Is(d) {
			if n == 0 && d.Name != "" {
				name = d.Name
			}
			n++
		}
	}
	switch {
	case n == 0:
		return testFile{}, false
	case n > 1:
		return testFile{path: path, name: name, err: fmt.Errorf("%s: %d scenarios in one file; splitsim test takes one scenario per file", path, n)}, true
	}
	return testFile{path: path, name: name}, true
}
