package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gonum.org/v1/plot/vg"

	"github.com/splitsim/splitsim/result"
)

// Document is a result as the renderers see it: its JSON value, the input files it names (never to
// be written over), and its text (colored on a terminal, see Colored), charts, HTML page and JUnit
// file.
type Document interface {
	Value() any
	Inputs() []string
	Text(w io.Writer) error
	Charts() ([]*Chart, error)
	HTML(w io.Writer, charts []*Chart) error
	JUnit(w io.Writer) error
}

// RunDocument renders the result of `splitsim run`.
type RunDocument struct{ R *result.Run }

// Value is the result itself. The other methods render it (see Document).
func (d RunDocument) Value() any                              { return d.R }
func (d RunDocument) Inputs() []string                        { return d.R.Files }
func (d RunDocument) Text(w io.Writer) error                  { return RunText(Colored(w), d.R) }
func (d RunDocument) Charts() ([]*Chart, error)               { return RunCharts(d.R) }
func (d RunDocument) HTML(w io.Writer, charts []*Chart) error { return RunHTML(w, d.R, charts) }
func (d RunDocument) JUnit(w io.Writer) error                 { return RunJUnit(w, d.R) }

// VerifyDocument renders the result of `splitsim verify`.
type VerifyDocument struct{ V *result.Verify }

// Value is the result itself. The other methods render it (see Document).
func (d VerifyDocument) Value() any                              { return d.V }
func (d VerifyDocument) Text(w io.Writer) error                  { return VerifyText(Colored(w), d.V) }
func (d VerifyDocument) Charts() ([]*Chart, error)               { return VerifyCharts(d.V) }
func (d VerifyDocument) HTML(w io.Writer, charts []*Chart) error { return VerifyHTML(w, d.V, charts) }
func (d VerifyDocument) JUnit(w io.Writer) error                 { return VerifyJUnit(w, d.V) }

// Inputs are the files the weights and the observations came from.
func (d VerifyDocument) Inputs() []string {
	var out []string
	if s := d.V.Source; s != nil {
		out = append(out, s.Config...)
		if s.Observed != "" && s.Observed != "-" {
			out = append(out, s.Observed)
		}
	}
	return out
}

// PlanDocument renders the result of `splitsim plan`.
type PlanDocument struct{ P *result.Plan }

// Value is the result itself. The other methods render it (see Document).
func (d PlanDocument) Value() any                              { return d.P }
func (d PlanDocument) Inputs() []string                        { return d.P.Files }
func (d PlanDocument) Text(w io.Writer) error                  { return PlanText(Colored(w), d.P) }
func (d PlanDocument) Charts() ([]*Chart, error)               { return PlanCharts(d.P) }
func (d PlanDocument) HTML(w io.Writer, charts []*Chart) error { return PlanHTML(w, d.P, charts) }
func (d PlanDocument) JUnit(w io.Writer) error                 { return PlanJUnit(w, d.P) }

// Files are the files a command writes besides its stdout: --html, --png, --junit and --json.
type Files struct {
	HTML, PNG, JUnit string
	// JSON is the file of the JSON result (--json).
	JSON string
	// Stdout is where an output named /dev/stdout goes (os.Stdout when nil); see WriteAll.
	Stdout io.Writer
}

// Any reports whether a report file is asked for.
func (f *Files) Any() bool { return f.HTML != "" || f.PNG != "" || f.JUnit != "" || f.JSON != "" }

// MaxChartPixels bounds the size of one chart (width x height at ChartDPI): a chart of a rule with
// tens of thousands of destinations would need gigabytes. Charts are drawn only for --html and
// --png, so the limit applies only when one of them is asked for.
const MaxChartPixels = 16_000_000

// Write renders doc into the files asked for and writes them all or none (WriteAll): every file is
// rendered into memory first, then written atomically, never over one of inputs; others are files
// the command writes too, which the report files must not replace either.
func (f *Files) Write(doc Document, inputs []string, others ...string) error {
	if err := f.checkDistinct(others); err != nil {
		return err
	}
	inputs = append(append([]string{}, inputs...), doc.Inputs()...)
	if f.PNG != "" {
		if fi, err := os.Stat(f.PNG); err == nil && !fi.IsDir() {
			return fmt.Errorf("--png %s: not a folder", f.PNG)
		}
	}
	var charts []*Chart
	if f.HTML != "" || f.PNG != "" {
		var err error
		if charts, err = doc.Charts(); err != nil {
			return err
		}
		if err := f.checkChartSizes(charts); err != nil {
			return err
		}
	}
	var outs []Output
	if f.PNG != "" {
		for _, c := range charts {
			png, err := c.PNG()
			if err != nil {
				return fmt.Errorf("--png: %w", err)
			}
			outs = append(outs, Output{Flag: "--png", Path: filepath.Join(f.PNG, c.Name+".png"), Data: png, MakeDir: true})
		}
	}
	for _, r := range []struct {
		flag, path string
		render     func(io.Writer) error
	}{
		{"--html", f.HTML, func(w io.Writer) error { return doc.HTML(w, charts) }},
		{"--junit", f.JUnit, doc.JUnit},
		{"--json", f.JSON, func(w io.Writer) error { return JSON(w, doc.Value()) }},
	} {
		if r.path == "" {
			continue
		}
		var buf bytes.Buffer
		if err := r.render(&buf); err != nil {
			return fmt.Errorf("%s: %w", r.flag, err)
		}
		outs = append(outs, Output{Flag: r.flag, Path: r.path, Data: buf.Bytes()})
	}
	return WriteAll(outs, inputs, f.Stdout)
}

// checkChartSizes refuses charts larger than MaxChartPixels, before any is drawn.
func (f *Files) checkChartSizes(charts []*Chart) error {
	flag := "--html"
	if f.PNG != "" {
		flag = "--png"
	}
	for _, c := range charts {
		w, h := float64(c.Width/vg.Inch)*ChartDPI, float64(c.Height/vg.Inch)*ChartDPI
		if !(w*h <= MaxChartPixels) {
			return fmt.Errorf("%s: chart %s would be %.0f x %.0f pixels; splitsim draws charts of at most %d million pixels (about 100 destinations per rule): leave out --html and --png",
				flag, c.Name, w, h, MaxChartPixels/1_000_000)
		}
	}
	return nil
}

// checkDistinct refuses two outputs that name the same file: the later would silently replace the
// earlier.
func (f *Files) checkDistinct(others []string) error {
	seen := map[string]string{}
	add := func(flag, path string) error {
		if path == "" {
			return nil
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		if prev, ok := seen[abs]; ok {
			return fmt.Errorf("%s and %s name the same file %s", prev, flag, path)
		}
		seen[abs] = flag
		return nil
	}
	for _, o := range others {
		if err := add("-o", o); err != nil {
			return err
		}
	}
	for _, o := range []struct{ flag, path string }{{"--html", f.HTML}, {"--junit", f.JUnit}, {"--json", f.JSON}} {
		if err := add(o.flag, o.path); err != nil {
			return err
		}
	}
	return nil
}

// For is the Document of a result of any command: run, verify and plan render every report file;
// test, lint and diff render text, HTML and (test) JUnit; explain and power render text. It
// returns nil for a value that is not a result.
func For(v any) Document {
	switch r := v.(type) {
	case *result.Run:
		return RunDocument{r}
	case *result.Verify:
		return VerifyDocument{r}
	case *result.Plan:
		return PlanDocument{r}
	case *result.Lint:
		return textDocument{v: r, kind: result.KindLint, text: func(w io.Writer) error { return LintText(w, r) },
			html: func(w io.Writer) error { return LintHTML(w, r) }, inputs: r.Files}
	case *result.Diff:
		return textDocument{v: r, kind: result.KindDiff, text: func(w io.Writer) error { return DiffText(w, r) },
			html: func(w io.Writer) error { return DiffHTML(w, r) }, inputs: append(append([]string{}, r.Old...), r.New...)}
	case *result.Explain:
		return textDocument{v: r, kind: result.KindExplain, text: func(w io.Writer) error { return ExplainText(w, r) }}
	case *result.Power:
		return textDocument{v: r, kind: result.KindPower, text: func(w io.Writer) error { return PowerText(w, r) }}
	case *result.TestRun:
		var files []string
		for _, s := range r.Scenarios {
			files = append(files, s.File)
		}
		return textDocument{v: r, kind: result.KindTest, text: func(w io.Writer) error { return TestText(w, r) },
			junit: func(w io.Writer) error { return TestJUnit(w, r) }, html: func(w io.Writer) error { return TestHTML(w, r) }, inputs: files}
	}
	return nil
}

// textDocument is a result that has a text form, perhaps an HTML page and a JUnit file, and no
// charts.
type textDocument struct {
	v      any
	kind   result.Kind
	text   func(io.Writer) error
	html   func(io.Writer) error
	junit  func(io.Writer) error
	inputs []string
}

func (d textDocument) Value() any                { return d.v }
func (d textDocument) Inputs() []string          { return d.inputs }
func (d textDocument) Text(w io.Writer) error    { return d.text(Colored(w)) }
func (d textDocument) Charts() ([]*Chart, error) { return nil, nil }

// HTML writes the page, where this kind of result has one.
func (d textDocument) HTML(w io.Writer, _ []*Chart) error {
	if d.html == nil {
		return fmt.Errorf("a %s result has no HTML page (run, verify, plan, test, lint and diff have one)", d.kind)
	}
	return d.html(w)
}

// JUnit writes the JUnit file, where this kind of result has one.
func (d textDocument) JUnit(w io.Writer) error {
	if d.junit == nil {
		return fmt.Errorf("a %s result has no JUnit file (run, verify, plan and test have one)", d.kind)
	}
	return d.junit(w)
}
