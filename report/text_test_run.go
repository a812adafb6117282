package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/result"
)

// ScenarioLine writes one scenario's outcome as `splitsim test` prints it: its line (ok or FAIL,
// name padded to width, time) and, for a failure (or when verbose), its checks and warnings.
func ScenarioLine(w io.Writer, o *result.ScenarioOutcome, width int, verbose bool) {
	w = Colored(w)
	w = safe.NewWriter(w) // names from the inputs: control characters escaped
	status := "ok  "
	if !o.Passed {
		status = "FAIL"
	}
	// A name, file or error holding a newline must not start a line of its own (a fake "ok").
	fmt.Fprintf(w, "%s  %-*s  %.2fs", status, width, safe.Value(o.Name), o.Seconds)
	switch {
	case o.Error != "":
		fmt.Fprintf(w, "  %s: input error\n      %s\n", safe.Value(o.File), safe.Line(o.Error))
		return
	case !bool(o.Passed):
		fmt.Fprintf(w, "  %s", safe.Value(o.File))
	case o.Expected == 0:
		fmt.Fprint(w, "  (no expectations)")
	}
	fmt.Fprintln(w)
	for _, c := range o.Checks {
		if !bool(c.Passed) || verbose {
			checkLines(w, c)
		}
	}
	if !bool(o.Passed) || verbose {
		for _, wn := range o.Warnings {
			fmt.Fprintf(w, "    warning: %s\n", safe.Line(wn))
		}
	}
}

// checkLines writes one check: its mark and name, what was expected and observed, and its failures.
func checkLines(w io.Writer, c result.Check) {
	mark := "ok  "
	if !c.Passed {
		mark = "FAIL"
	}
	fmt.Fprintf(w, "    %s %s\n", mark, safe.Line(c.Name))
	fmt.Fprintf(w, "         expected: %s\n", safe.Line(c.Expected))
	fmt.Fprintf(w, "         observed: %s\n", safe.Line(c.Observed))
	for _, l := range c.Failures {
		fmt.Fprintf(w, "         %s\n", safe.Line(l))
	}
}

// TestText writes a saved test result as `splitsim test` printed it: each scenario's line (with its
// failed checks and warnings), then the summary.
func TestText(w io.Writer, t *result.TestRun) error {
	width := 0
	for _, o := range t.Scenarios {
		width = max(width, len(o.Name))
	}
	for _, o := range t.Scenarios {
		ScenarioLine(w, o, width, false)
	}
	return TestSummary(w, t)
}

// TestSummary writes the closing line of `splitsim test`: "N passed, M failed".
func TestSummary(w io.Writer, t *result.TestRun) error {
	w = safe.NewWriter(w) // names from the inputs: control characters escaped
	_, err := fmt.Fprintf(w, "%d passed, %d failed\n", t.Passed, t.Failed)
	return err
}

// TestJUnit writes the outcome of `splitsim test` as JUnit XML: one suite per scenario, one test case
// per check (or one "load" case for a scenario that could not be loaded).
func TestJUnit(w io.Writer, t *result.TestRun) error {
	r := &ScenarioReport{}
	for _, o := range t.Scenarios {
		r.Suites = append(r.Suites, scenarioSuite(o))
	}
	return ScenarioJUnit(w, r)
}

// scenarioSuite is the JUnit suite of one scenario.
func scenarioSuite(o *result.ScenarioOutcome) ScenarioSuite {
	s := ScenarioSuite{Name: o.Name, Seconds: o.Seconds, Properties: [][2]string{{"file", o.File}}}
	if o.Error != "" {
		s.Cases = append(s.Cases, ScenarioCase{Name: "load", Classname: o.Name,
			Failure: "InputError", Message: o.Error, Details: o.Error + "\n"})
		return s
	}
	s.Properties = append(s.Properties,
		[2]string{"seed", strconv.FormatUint(o.Seed, 10)},
		[2]string{"requests", strconv.FormatInt(o.Requests, 10)},
		[2]string{"alpha", strconv.FormatFloat(o.Alpha, 'g', -1, 64)})
	for _, c := range o.Checks {
		tc := ScenarioCase{Name: c.Name, Classname: o.Name,
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
	return s
}
