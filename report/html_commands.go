package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// The pages of splitsim test, lint and diff, in the look of the run page: the verdict first, then
// what a reviewer looks for first (the failing expectations, the findings of each resource, the
// shares that move), then the rest, the inputs and the warnings. None has charts; each depends
// only on its result, so a result saved as JSON renders again to the same bytes.

// TestHTML writes the result of `splitsim test` as one self-contained HTML page: one row per
// scenario and expectation, failures first, then the scenarios.
func TestHTML(w io.Writer, t *result.TestRun) error {
	return execute(w, testTemplate, testPageOf(t))
}

type testPage struct {
	*htmlPage
	Summary   string
	Rows      []testRow
	Scenarios []testScenario
}

type testRow struct {
	Anchor, Scenario, Name, Expected, Observed, Result, Class string
	Failures                                                  []string
	Bad                                                       bool
}

type testScenario struct {
	Anchor, Name, File, Requests, Seed, Alpha, Expected, Seconds, Result, Class string
	Bad                                                                         bool
}

func testPageOf(t *result.TestRun) *testPage {
	inputErrors := t.InputErrors()
	pass := t.Failed == 0 && inputErrors == 0
	verdict := result.Pass
	if !pass {
		verdict = result.Fail
	}
	pg := &testPage{htmlPage: &htmlPage{CSS: pageCSS, Title: "splitsim test", Pass: pass,
		Verdict: strings.ToUpper(string(verdict)), Tool: t.Tool + " " + t.Version}}
	n := len(t.Scenarios)
	pg.Subtitle = fmt.Sprintf("%s · %d passed · %d failed", format.Counted(n, "scenario"), t.Passed, t.Failed)
	if inputErrors > 0 {
		pg.Subtitle += fmt.Sprintf(" · %s", format.Counted(inputErrors, "input error"))
	}
	var failed, passed []testRow
	checks, failedChecks := 0, 0
	var files []string
	for i, o := range t.Scenarios {
		anchor := "scenario-" + strconv.Itoa(i)
		files = append(files, o.File)
		sc := testScenario{Anchor: anchor, Name: o.Name, File: o.File, Requests: "–", Seed: "–", Alpha: "–",
			Expected: strconv.Itoa(o.Expected), Seconds: strconv.FormatFloat(o.Seconds, 'f', 2, 64) + " s", Result: "pass", Class: "pass"}
		if o.Requests > 0 {
			sc.Requests, sc.Seed, sc.Alpha = format.Count(o.Requests), strconv.FormatUint(o.Seed, 10), strconv.FormatFloat(o.Alpha, 'g', -1, 64)
		}
		if o.Expected == 0 {
			sc.Expected = "none (the run's verdict)"
		}
		switch {
		case o.Error != "":
			sc.Result, sc.Class, sc.Bad = "input error", "fail", true
			failed = append(failed, testRow{Anchor: anchor, Scenario: o.Name, Name: "load " + o.File, Expected: "a scenario that loads",
				Observed: o.Error, Result: "input error", Class: "fail", Bad: true})
			pg.Attention = append(pg.Attention, o.Name+": input error: "+o.Error)
		case !bool(o.Passed):
			sc.Result, sc.Class, sc.Bad = "FAIL", "fail", true
		}
		for _, c := range o.Checks {
			checks++
			row := testRow{Anchor: anchor, Scenario: o.Name, Name: c.Name, Expected: c.Expected, Observed: c.Observed, Result: "pass", Class: "pass"}
			if !c.Passed {
				failedChecks++
				row.Result, row.Class, row.Bad, row.Failures = "FAIL", "fail", true, c.Failures
				failed = append(failed, row)
				pg.Attention = append(pg.Attention, o.Name+": "+c.Name+" (expected "+c.Expected+"; observed "+c.Observed+").")
				continue
			}
			passed = append(passed, row)
		}
		if !o.Passed && o.Error == "" && len(o.Checks) == 0 {
			failed = append(failed, testRow{Anchor: anchor, Scenario: o.Name, Name: "the run's verdict", Expected: "pass", Observed: "fail",
				Result: "FAIL", Class: "fail", Bad: true})
		}
		if !o.Passed || o.Error != "" {
			for _, wn := range o.Warnings {
				pg.Warnings = append(pg.Warnings, o.Name+": "+wn)
			}
		}
		pg.Scenarios = append(pg.Scenarios, sc)
	}
	pg.Rows = append(failed, passed...)
	pg.Summary = fmt.Sprintf("%d of %s hold.", checks-failedChecks, format.Counted(checks, "expectation"))
	switch {
	case pass && n == 1:
		pg.Headline = "The scenario passes: every expectation holds."
	case pass:
		pg.Headline = fmt.Sprintf("All %d scenarios pass: every expectation holds.", n)
	default:
		pg.Headline = fmt.Sprintf("%d of %s %s.", t.Failed, format.Counted(n, "scenario"), format.Plural(t.Failed, "fails", "fail"))
		pg.Detail = fmt.Sprintf("%d of %s %s.", failedChecks, format.Counted(checks, "expectation"), format.Plural(failedChecks, "fails", "fail"))
		if inputErrors > 0 {
			pg.Detail += fmt.Sprintf(" %s could not be loaded.", format.Counted(inputErrors, "scenario"))
		}
	}
	if len(pg.Warnings) > 0 {
		pg.Attention = append(pg.Attention, warningsAttention(len(pg.Warnings), "the failing scenarios"))
	}
	pg.Inputs = []htmlInput{{"Scenario files", strings.Join(files, ", ")}, {"Version", t.Tool + " " + t.Version}}
	pg.InputsHint = "Each scenario's requests, seed and alpha are above: its spec's, unless --requests, --seed or --alpha was given."
	return pg
}

// LintHTML writes the result of `splitsim lint` as one self-contained HTML page: the findings
// grouped by resource (those with errors first), each with a file:line link.
func LintHTML(w io.Writer, l *result.Lint) error {
	return execute(w, lintTemplate, lintPageOf(l))
}

type lintPage struct {
	*htmlPage
	Groups    []lintGroup
	FileCount string
}

type lintGroup struct {
	Anchor, Resource string
	Tags             []lintTag
	Findings         []lintFinding
	rank             int
}

type lintTag struct{ Class, Text string }

type lintFinding struct {
	Severity, Code, CodeName, Where, Path, Message string
	Href                                           template.URL
}

// severityRank orders severities: errors first.
func severityRank(s result.Severity) int {
	switch s {
	case result.SeverityError:
		return 0
	case result.SeverityWarning:
		return 1
	}
	return 2
}

func lintPageOf(l *result.Lint) *lintPage {
	pg := &lintPage{htmlPage: &htmlPage{CSS: pageCSS, Title: "splitsim lint", Pass: l.Verdict == result.Pass,
		Verdict: strings.ToUpper(string(l.Verdict)), Tool: l.Tool + " " + l.Version}, FileCount: format.Counted(len(l.Files), "file")}
	if len(l.Files) > 0 {
		pg.Title += ": " + strings.Join(l.Files, ", ")
	}
	pg.Subtitle = fmt.Sprintf("%s, %s, %s in %s", format.Counted(l.Errors, "error"), format.Counted(l.Warnings, "warning"),
		format.Counted(l.Infos, "info"), pg.FileCount)
	byResource := map[string]*lintGroup{}
	var groups []*lintGroup
	for _, f := range l.Findings {
		res := f.Resource
		if res == "" {
			res = f.File
		}
		g := byResource[res]
		if g == nil {
			g = &lintGroup{Resource: res, rank: 3}
			byResource[res] = g
			groups = append(groups, g)
		}
		g.rank = min(g.rank, severityRank(f.Severity))
		where := f.File
		if f.Line > 0 {
			where += ":" + strconv.Itoa(f.Line)
		}
		g.Findings = append(g.Findings, lintFinding{Severity: string(f.Severity), Code: f.Code, CodeName: f.Name, Where: where,
			Path: f.Path, Message: f.Message, Href: fileLink(f.File, f.Line)})
		if f.Severity == result.SeverityError {
			pg.Attention = append(pg.Attention, where+": "+f.Code+" ("+res+"): "+f.Message)
		}
	}
	slices.SortStableFunc(groups, func(a, b *lintGroup) int { return a.rank - b.rank })
	for i, g := range groups {
		g.Anchor = "resource-" + strconv.Itoa(i)
		slices.SortStableFunc(g.Findings, func(a, b lintFinding) int {
			return severityRank(result.Severity(a.Severity)) - severityRank(result.Severity(b.Severity))
		})
		counts := map[string]int{}
		for _, f := range g.Findings {
			counts[f.Severity]++
		}
		for _, s := range []result.Severity{result.SeverityError, result.SeverityWarning, result.SeverityInfo} {
			if n := counts[string(s)]; n > 0 {
				g.Tags = append(g.Tags, lintTag{string(s), format.Counted(n, string(s))})
			}
		}
		pg.Groups = append(pg.Groups, *g)
	}
	switch {
	case len(l.Findings) == 0:
		pg.Headline = "No findings: the configuration passes every check."
	case l.Errors > 0:
		pg.Headline = fmt.Sprintf("%s in %s: the configuration does not route as written.", format.Counted(l.Errors, "error"),
			format.Counted(countGroups(pg.Groups, "error"), "resource"))
		pg.Detail = fmt.Sprintf("Also %s and %s.", format.Counted(l.Warnings, "warning"), format.Counted(l.Infos, "info"))
	default:
		pg.Headline = fmt.Sprintf("No errors; %s and %s to look at.", format.Counted(l.Warnings, "warning"), format.Counted(l.Infos, "info"))
	}
	pg.Inputs = []htmlInput{{"Files", strings.Join(l.Files, ", ")}, {"Version", l.Tool + " " + l.Version}}
	return pg
}

// countGroups counts the resources with a finding of severity s.
func countGroups(groups []lintGroup, s string) int {
	n := 0
	for _, g := range groups {
		for _, t := range g.Tags {
			if t.Class == s {
				n++
			}
		}
	}
	return n
}

// fileLink is a link to a finding's file, relative as the command was given it, with the line as
// a fragment (#L12, as code hosts and editors' previews read it).
func fileLink(file string, line int) template.URL {
	if file == "" || file == "-" || strings.HasPrefix(file, "<") {
		return ""
	}
	u := strings.ReplaceAll(file, "%", "%25")
	u = strings.ReplaceAll(u, "#", "%23")
	u = strings.ReplaceAll(u, "?", "%3F")
	if strings.Contains(u, ":") && !strings.HasPrefix(u, "/") {
		u = "./" + u // a colon would read as a URL scheme
	}
	if line > 0 {
		u += "#L" + strconv.Itoa(line)
	}
	return template.URL(u)
}

// DiffHTML writes the result of `splitsim diff` as one self-contained HTML page: the shares that
// move first, each as a before and after bar, then every host and rule.
func DiffHTML(w io.Writer, d *result.Diff) error {
	return execute(w, diffTemplate, diffPageOf(d))
}

type diffPage struct {
	*htmlPage
	Moves   []diffMove
	NoMoves string
	Hosts   []diffHost
	Classes []diffClass
}

type diffMove struct {
	Where, Destination, Old, New, Change, Class string
	OldStyle, NewStyle                          template.CSS
}

type diffHost struct {
	Anchor, Name, Change, ChangeClass string
	Rules                             []diffRule
}

type diffRule struct {
	Name, Change, ChangeClass, Meta string
	Dests                           []diffDest
}

type diffDest struct {
	Name, Weight, Old, New, Change, OldSim, NewSim, Status string
	Moved                                                  bool
}

type diffClass struct {
	Name, Host, Rule, Outcome, Change string
}

// changeClass is the tag class of a change: added green, removed red, others neutral.
func changeClass(c string) string {
	switch c {
	case result.ChangeAdded:
		return "pass"
	case result.ChangeRemoved:
		return "fail"
	}
	return "untested"
}

// barWidth is a share as a CSS width.
func barWidth(x float64) template.CSS {
	return template.CSS("width:" + strconv.FormatFloat(100*math.Max(0, math.Min(1, x)), 'f', 3, 64) + "%")
}

func diffPageOf(d *result.Diff) *diffPage {
	pg := &diffPage{htmlPage: &htmlPage{CSS: pageCSS, Title: "splitsim diff", Pass: d.Verdict != result.Fail,
		Verdict: strings.ToUpper(string(d.Verdict)), Tool: d.Tool + " " + d.Version, Warnings: d.Warnings}}
	if pg.Verdict == "" {
		pg.Verdict = "PASS"
	}
	pg.Subtitle = fmt.Sprintf("before %s · after %s · seed %d · %s requests", strings.Join(d.Old, ", "), strings.Join(d.New, ", "), d.Seed, format.Count(d.Requests))
	for _, m := range d.Moves {
		where := m.Host + " · rule " + m.Rule
		if m.Class != "" {
			where = "class " + m.Class + " · " + m.Host
		}
		class := "up"
		if m.ChangePP < 0 {
			class = "down"
		}
		pg.Moves = append(pg.Moves, diffMove{Where: where, Destination: m.Destination, Old: diffPct(m.OldExact), New: diffPct(m.NewExact),
			Change: diffPP(m.ChangePP, true) + " pp", Class: class, OldStyle: barWidth(m.OldExact), NewStyle: barWidth(m.NewExact)})
	}
	switch {
	case len(d.Moves) > 0:
		pg.Headline = fmt.Sprintf("%s %s, the largest by %s percentage points.", format.Counted(len(d.Moves), "share"),
			format.Plural(len(d.Moves), "moves", "move"), diffPP(d.MaxChangePP, false))
	case d.Changed:
		pg.Headline = "No share moves; rules or routing changed (see below)."
		pg.NoMoves = "No exact share moves: the changes are in the rules or the routing of request classes, below."
	default:
		pg.Headline = "No change: every share is as before."
		pg.NoMoves = "None: every exact share is as before."
	}
	if t := d.FailOnChangePP; t != nil {
		pg.Detail = fmt.Sprintf("The verdict fails when an exact share moves by more than %s percentage points (--fail-on-change).", diffPP(*t, false))
		for _, m := range d.Moves {
			if math.Abs(m.ChangePP) > *t {
				pg.Attention = append(pg.Attention, fmt.Sprintf("%s %s: %s → %s (%s pp), more than %s pp.", m.Host+" "+m.Rule+m.Class, m.Destination,
					diffPct(m.OldExact), diffPct(m.NewExact), diffPP(m.ChangePP, true), diffPP(*t, false)))
			}
		}
	}
	if n := len(d.Warnings); n > 0 {
		pg.Attention = append(pg.Attention, warningsAttention(n, "the configurations"))
	}
	for hi, h := range d.Hosts {
		dh := diffHost{Anchor: "host-" + strconv.Itoa(hi), Name: h.Host, Change: h.Change, ChangeClass: changeClass(h.Change)}
		for _, r := range h.Rules {
			action := string(r.NewAction)
			switch {
			case r.OldAction != "" && r.NewAction != "" && r.OldAction != r.NewAction:
				action = string(r.OldAction) + " → " + string(r.NewAction)
			case r.NewAction == "":
				action = string(r.OldAction)
			}
			dr := diffRule{Name: r.Rule, Change: r.Change, ChangeClass: changeClass(r.Change),
				Meta: fmt.Sprintf("%s · before %s (%s requests) · after %s (%s requests)", action, orDash(r.OldSource), format.Count(r.OldRequests),
					orDash(r.NewSource), format.Count(r.NewRequests))}
			dr.Dests = diffDests(r.Destinations)
			dh.Rules = append(dh.Rules, dr)
		}
		pg.Hosts = append(pg.Hosts, dh)
	}
	for _, c := range d.Classes {
		rule, outcome := orDash(c.NewRule), orDash(c.NewOutcome)
		if c.OldRule != c.NewRule {
			rule = orDash(c.OldRule) + " → " + orDash(c.NewRule)
		}
		if c.OldOutcome != c.NewOutcome {
			outcome = orDash(c.OldOutcome) + " → " + orDash(c.NewOutcome)
		}
		pg.Classes = append(pg.Classes, diffClass{Name: c.Class, Host: c.Host, Rule: rule, Outcome: outcome, Change: orDash(c.Change)})
	}
	var oldIn, newIn string = strings.Join(d.Old, ", "), strings.Join(d.New, ", ")
	pg.Inputs = []htmlInput{{"Before", oldIn}, {"After", newIn}, {"Seed", strconv.FormatUint(d.Seed, 10)},
		{"Requests", format.Count(d.Requests) + " per side"}}
	if t := d.FailOnChangePP; t != nil {
		pg.Inputs = append(pg.Inputs, htmlInput{"Fail on change", diffPP(*t, false) + " percentage points"})
	}
	pg.Inputs = append(pg.Inputs, htmlInput{"Version", d.Tool + " " + d.Version})
	return pg
}

// diffDests are the rows of a rule's destinations, before and after.
func diffDests(ds []result.DestinationDiff) []diffDest {
	var rows []diffDest
	for _, d := range ds {
		change := diffPP(d.ChangePP, true) + " pp"
		switch d.Change {
		case result.ChangeNone:
			change = "="
		case result.ChangeMoved:
		default:
			change += " (" + d.Change + ")"
		}
		status := strconv.Itoa(d.NewStatus)
		if d.OldStatus != d.NewStatus {
			status = diffStatus(d.OldStatus) + " → " + diffStatus(d.NewStatus)
		}
		weight := diffWeights(d)
		weight = strings.ReplaceAll(weight, "->", "→")
		rows = append(rows, diffDest{Name: d.Name, Weight: weight, Old: diffPct(d.OldExact), New: diffPct(d.NewExact), Change: change,
			OldSim: format.Percent(d.OldSimulated, 3), NewSim: format.Percent(d.NewSimulated, 3), Status: status, Moved: d.Change != result.ChangeNone})
	}
	return rows
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
