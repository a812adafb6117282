package report

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
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

// The XML elements of the JUnit schema that CI systems read (Jenkins, GitLab, GitHub reporters):
// testsuites > testsuite > testcase > failure.
type scenarioJUnitRoot struct {
	XMLName  xml.Name             `xml:"testsuites"`
	Name     string               `xml:"name,attr"`
	Tests    int                  `xml:"tests,attr"`
	Failures int                  `xml:"failures,attr"`
	Errors   int                  `xml:"errors,attr"`
	Time     string               `xml:"time,attr"`
	Suites   []scenarioJUnitSuite `xml:"testsuite"`
}

type scenarioJUnitSuite struct {
	Name       string                  `xml:"name,attr"`
	Tests      int                     `xml:"tests,attr"`
	Failures   int                     `xml:"failures,attr"`
	Errors     int                     `xml:"errors,attr"`
	Time       string                  `xml:"time,attr"`
	Properties []scenarioJUnitProperty `xml:"properties>property,omitempty"`
	Cases      []scenarioJUnitCase     `xml:"testcase"`
}

type scenarioJUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type scenarioJUnitCase struct {
	Name      string                `xml:"name,attr"`
	Classname string                `xml:"classname,attr"`
	Failure   *scenarioJUnitFailure `xml:"failure,omitempty"`
	SystemOut *scenarioJUnitText    `xml:"system-out,omitempty"`
}

// scenarioJUnitText is multi-line text, written as CDATA so that it stays readable in the file.
type scenarioJUnitText struct {
	Text string `xml:",cdata"`
}

type scenarioJUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// ScenarioJUnit writes the outcome of `splitsim test` as JUnit XML. The tests and failures counts
// of every suite and of the root are computed from the cases, so they always agree with them.
func ScenarioJUnit(w io.Writer, r *ScenarioReport) error {
	root := scenarioJUnitRoot{Name: "splitsim test"}
	var total float64
	for _, s := range r.Suites {
		js := scenarioJUnitSuite{Name: scenarioJUnitClean(s.Name), Tests: len(s.Cases), Time: scenarioJUnitSeconds(s.Seconds)}
		total += s.Seconds
		for _, p := range s.Properties {
			js.Properties = append(js.Properties, scenarioJUnitProperty{Name: scenarioJUnitClean(p[0]), Value: scenarioJUnitClean(p[1])})
		}
		for _, c := range s.Cases {
			jc := scenarioJUnitCase{Name: scenarioJUnitClean(c.Name), Classname: scenarioJUnitClean(c.Classname)}
			if c.Failure != "" {
				jc.Failure = &scenarioJUnitFailure{Type: c.Failure, Message: scenarioJUnitClean(c.Message), Text: scenarioJUnitClean(c.Details)}
				js.Failures++
			} else {
				if c.Details != "" {
					jc.SystemOut = &scenarioJUnitText{Text: scenarioJUnitClean(c.Details)}
				}
			}
			js.Cases = append(js.Cases, jc)
		}
		root.Tests += js.Tests
		root.Failures += js.Failures
		root.Suites = append(root.Suites, js)
	}
	root.Time = scenarioJUnitSeconds(total)
	ew := &errWriter{w: w}
	io.WriteString(ew, xml.Header)
	enc := xml.NewEncoder(ew)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	io.WriteString(ew, "\n")
	return ew.err
}

func scenarioJUnitSeconds(s float64) string {
	return strconv.FormatFloat(s, 'f', 3, 64)
}

// scenarioJUnitClean replaces the characters XML 1.0 cannot hold (most control characters) with U+FFFD.
func scenarioJUnitClean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}
