package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// JUnitSuites is the root element of a JUnit XML file, in the schema CI systems read (Jenkins, GitLab,
// GitHub Actions reporters): testsuites > testsuite > testcase, with failure or skipped inside a
// test case. Its fields are exported so that tests and tools can read a file back with encoding/xml.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr,omitempty"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one host of a run.
type JUnitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr,omitempty"` // seconds, when known
	Properties []JUnitProperty `xml:"properties>property,omitempty"`
	Cases      []JUnitCase     `xml:"testcase"`
	// SystemOut is written as CDATA, so that its lines stay readable in the file.
	SystemOut string `xml:"system-out,omitempty"`
}

// JUnitProperty is a name and value describing the run (seed, requests, alpha...).
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one rule.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *JUnitFailure `xml:"failure,omitempty"`
	Skipped   *JUnitSkipped `xml:"skipped,omitempty"`
	// SystemOut is written as CDATA, so that its lines stay readable in the file.
	SystemOut string `xml:"system-out,omitempty"`
}

// JUnitFailure says why a rule failed: Message is one line, Text the details (written as CDATA).
type JUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// JUnitSkipped says why a rule has no test.
type JUnitSkipped struct {
	Message string `xml:"message,attr"`
}

// The XML forms of the types above: multi-line text as CDATA, with the characters XML forbids
// replaced (encoding/xml escapes those in attributes and character data, not in CDATA).
type (
	junitCDATA struct {
		Text string `xml:",cdata"`
	}
	junitSuiteXML struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr,omitempty"`
		Properties []JUnitProperty `xml:"properties>property,omitempty"`
		Cases      []JUnitCase     `xml:"testcase"`
		SystemOut  *junitCDATA     `xml:"system-out,omitempty"`
	}
	junitCaseXML struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Failure   *JUnitFailure `xml:"failure,omitempty"`
		Skipped   *JUnitSkipped `xml:"skipped,omitempty"`
		SystemOut *junitCDATA   `xml:"system-out,omitempty"`
	}
	junitFailureXML struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",cdata"`
	}
)

func cdata(s string) *junitCDATA {
	if s == "" {
		return nil
	}
	return &junitCDATA{Text: xmlSafe(s)}
}

// MarshalXML writes the suite with its output as CDATA.
func (s JUnitSuite) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(junitSuiteXML{s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, s.Time, s.Properties, s.Cases,
		cdata(s.SystemOut)}, start)
}

// UnmarshalXML reads a suite back.
func (s *JUnitSuite) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var x junitSuiteXML
	if err := d.DecodeElement(&x, &start); err != nil {
		return err
	}
	*s = JUnitSuite{Name: x.Name, Tests: x.Tests, Failures: x.Failures, Errors: x.Errors, Skipped: x.Skipped,
		Time: x.Time, Properties: x.Properties, Cases: x.Cases}
	if x.SystemOut != nil {
		s.SystemOut = x.SystemOut.Text
	}
	return nil
}

// MarshalXML writes the test case with its output as CDATA.
func (c JUnitCase) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(junitCaseXML{c.Name, c.Classname, c.Failure, c.Skipped, cdata(c.SystemOut)}, start)
}

// UnmarshalXML reads a test case back.
func (c *JUnitCase) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var x junitCaseXML
	if err := d.DecodeElement(&x, &start); err != nil {
		return err
	}
	*c = JUnitCase{Name: x.Name, Classname: x.Classname, Failure: x.Failure, Skipped: x.Skipped}
	if x.SystemOut != nil {
		c.SystemOut = x.SystemOut.Text
	}
	return nil
}

// MarshalXML writes the failure with its text as CDATA.
func (f JUnitFailure) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(junitFailureXML{f.Message, f.Type, xmlSafe(f.Text)}, start)
}

// xmlSafe replaces the characters XML 1.0 forbids (most control characters) with U+FFFD.
func xmlSafe(s string) string {
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

// RunJUnit writes the result of `splitsim run` as JUnit XML: one test suite per host and one test
// case per rule. A rule whose goodness-of-fit test rejects (after Holm's correction) is a failure
// whose message carries the statistic, the p-values and the shares; a rule without a test (one
// destination, no requests, a redirect...) is skipped with the reason.
func RunJUnit(w io.Writer, r *result.Run) error {
	root := JUnitSuites{Name: "splitsim run"}
	if r.Scenario != "" {
		root.Name += " " + r.Scenario
	}
	conf := format.Confidence(r.Alpha)
	props := []JUnitProperty{
		{"files", strings.Join(r.Files, " ")},
		{"seed", strconv.FormatUint(r.Seed, 10)},
		{"requests", strconv.FormatInt(r.Requests, 10)},
		{"alpha", strconv.FormatFloat(r.Alpha, 'g', -1, 64)},
		{"method", r.Method},
		{"version", r.Tool + " " + r.Version},
		{"verdict", string(r.Verdict)},
	}
	if r.Scenario != "" {
		props = append(props, JUnitProperty{"scenario", r.Scenario})
	}
	for i := range r.Hosts {
		root.add(hostSuite(r, &r.Hosts[i], props, conf))
	}
	return writeJUnit(w, root)
}

// hostSuite is the suite of one host: its requests and the run's warnings as output, one case
// per rule.
func hostSuite(r *result.Run, h *result.Host, props []JUnitProperty, conf string) JUnitSuite {
	s := JUnitSuite{Name: "host " + h.Host, Properties: props}
	var out strings.Builder
	fmt.Fprintf(&out, "host %s: %s requests", h.Host, format.Count(h.Requests))
	if h.Unmatched > 0 {
		fmt.Fprintf(&out, ", %s unmatched (404 no route)", format.Count(h.Unmatched))
	}
	if h.NoCluster > 0 {
		fmt.Fprintf(&out, ", %s to undefined subsets or hosts (503 no cluster)", format.Count(h.NoCluster))
	}
	out.WriteString("\n")
	// Warnings belong to the run; every suite repeats them so that none goes unseen.
	for _, wn := range r.Warnings {
		out.WriteString("warning: " + wn + "\n")
	}
	s.SystemOut = out.String()
	for i := range h.Rules {
		rule := &h.Rules[i]
		// Dots in a classname read as Java packages to some CI systems: the host keeps its
		// dots in the suite name only.
		tc := JUnitCase{Name: "rule " + rule.Rule, Classname: "splitsim." + strings.ReplaceAll(h.Host, ".", "_")}
		details := ruleDetails(rule, conf)
		switch t := rule.Test; {
		case t == nil:
			tc.Skipped = &JUnitSkipped{Message: untestedReason(rule)}
			tc.SystemOut = details
		case !bool(t.Passed):
			tc.Failure = &JUnitFailure{Type: "SplitMismatch", Message: failureMessage(rule, r.Alpha, conf), Text: details}
		default:
			tc.SystemOut = details
		}
		s.Cases = append(s.Cases, tc)
	}
	return s
}

// failureMessage is one line: the test, its p-values against alpha, and every destination's observed
// share against the configured one.
func failureMessage(rule *result.Rule, alpha float64, conf string) string {
	t := rule.Test
	var b strings.Builder
	fmt.Fprintf(&b, "rule %s (%s): observed split differs from the configured weights: %s chi-square %.4g, df %d, p %s, Holm-adjusted p %s < alpha %g;",
		rule.Rule, rule.Source, t.Method, t.Statistic, t.DF, format.PValue(t.PValue, t.Log10P),
		holmP(t), alpha)
	for i, d := range rule.Destinations {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " %s observed %s (%s CI [%s, %s]) configured %s", d.Name(), format.Percent(d.Share, 3), conf,
			format.Percent(d.CILow, 3), format.Percent(d.CIHigh, 3), format.Percent(d.ExpectedShare, 3))
	}
	return b.String()
}

// ruleDetails is the rule's destination table and test, as in the text report.
func ruleDetails(rule *result.Rule, conf string) string {
	var b strings.Builder
	b.WriteString(ruleHeader(rule) + "\n")
	if len(rule.Destinations) > 0 {
		destTable(&b, "", rule, conf)
	}
	if t := rule.Test; t != nil {
		b.WriteString(testLine(t) + "\n")
		for _, wn := range t.Warnings {
			fmt.Fprintf(&b, "note: %s\n", wn)
		}
	}
	return b.String()
}

func destStatus(rule *result.Rule, d result.Destination) string {
	s := strconv.Itoa(d.Status)
	if unit(rule.Protocol) == "connections" {
		// Envoy's tcp_proxy has no status: it connects, or closes the connection with the flag
		// (tcp_proxy.cc onInitFailure after NoClusterFound or NoHealthyUpstream).
		s = "connected"
		if d.Status >= 500 {
			s = "closed"
		}
	}
	if d.Flag != "" {
		s += " " + d.Flag
	}
	return s
}

// untestedReason says why a rule has no goodness-of-fit test.
func untestedReason(rule *result.Rule) string {
	switch {
	case rule.Unreachable:
		return "unreachable: an earlier catch-all rule takes every request"
	case !rule.Action.Forwards():
		return string("not tested: the rule does not split traffic (" + rule.Action + ")")
	case rule.Requests == 0:
		return "not tested: no request reached this rule"
	}
	return "not tested: fewer than two destinations with a positive weight, nothing to split"
}

// add counts a suite's cases and appends it.
func (root *JUnitSuites) add(s JUnitSuite) {
	s.Tests, s.Failures, s.Skipped = len(s.Cases), 0, 0
	for _, c := range s.Cases {
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Skipped != nil:
			s.Skipped++
		}
	}
	root.Tests += s.Tests
	root.Failures += s.Failures
	root.Skipped += s.Skipped
	root.Suites = append(root.Suites, s)
}

// writeJUnit writes a JUnit document: the XML header, the indented tree and a final newline.
func writeJUnit(w io.Writer, root JUnitSuites) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	buf.WriteString("\n")
	_, err := w.Write(buf.Bytes())
	return err
}
