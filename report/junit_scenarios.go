package report

import (
	"io"
	"strconv"
)

// ScenarioReport is the outcome of `splitsim test` as its JUnit renderer reads it: one suite per
// scenario, one case per expectation.
type ScenarioReport struct {
	Suites []ScenarioSuite
}

// ScenarioSuite is one scenario.
type ScenarioSuite struct {
	Name       string
	Seconds    float64
	Properties [][2]string // name, value: file, seed, requests, alpha...
	Cases      []ScenarioCase
}

// ScenarioCase is one expectation (or the run verdict of a scenario without expectations, or the
// input error of one that could not be loaded).
type ScenarioCase struct {
	Name      string
	Classname string
	// Failure is the failure's type ("ExpectationFailed", "InputError"); empty when the case passed.
	Failure string
	// Message is one line, Details the full explanation (of a failure, or what a passing case saw).
	Message string
	Details string
}

// ScenarioJUnit writes the outcome of `splitsim test` as JUnit XML. The tests and failures counts
// of every suite and of the root are computed from the cases, so they always agree with them.
func ScenarioJUnit(w io.Writer, r *ScenarioReport) error {
	root := JUnitSuites{Name: "splitsim test"}
	var total float64
	for _, s := range r.Suites {
		js := JUnitSuite{Name: s.Name, Time: seconds(s.Seconds)}
		total += s.Seconds
		for _, p := range s.Properties {
			js.Properties = append(js.Properties, JUnitProperty{Name: p[0], Value: p[1]})
		}
		for _, c := range s.Cases {
			jc := JUnitCase{Name: c.Name, Classname: c.Classname}
			if c.Failure != "" {
				jc.Failure = &JUnitFailure{Type: c.Failure, Message: c.Message, Text: c.Details}
			} else {
				jc.SystemOut = c.Details
			}
			js.Cases = append(js.Cases, jc)
		}
		root.add(js)
	}
	root.Time = seconds(total)
	return writeJUnit(w, root)
}

func seconds(s float64) string {
	return strconv.FormatFloat(s, 'f', 3, 64)
}
