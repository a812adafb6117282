package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/splitsim/splitsim/result"
)

// Document is a result as the renderers see it: its JSON value, the input files it names (never to
// be written over), and its text, charts, HTML page and JUnit file.
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
func (d RunDocument) Text(w io.Writer) error                  { return RunText(w, d.R) }
func (d RunDocument) Charts() ([]*Chart, error)               { return RunCharts(d.R) }
func (d RunDocument) HTML(w io.Writer, charts []*Chart) error { return RunHTML(w, d.R, charts) }
func (d RunDocument) JUnit(w io.Writer) error                 { return RunJUnit(w, d.R) }

// VerifyDocument renders the result of `splitsim verify`.
type VerifyDocument struct{ V *result.Verify }

// Value is the result itself. The other methods render it (see Document).
func (d VerifyDocument) Value() any                              { return d.V }
func (d VerifyDocument) Text(w io.Writer) error                  { return VerifyText(w, d.V) }
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
func (d PlanDocument) Text(w io.Writer) error                  { return PlanText(w, d.P) }
func (d PlanDocument) Charts() ([]*Chart, error)               { return PlanCharts(d.P) }
func (d PlanDocument) HTML(w io.Writer, charts []*Chart) error { return PlanHTML(w, d.P, charts) }
func (d PlanDocument) JUnit(w io.Writer) error                 { return PlanJUnit(w, d.P) }

// Files are the report files a command writes besides its stdout: --html, --png and --junit.
type Files struct {
	HTML, PNG, JUnit string
}

// Any reports whether a report file is asked for.
func (f *Files) Any() bool { return f.HTML != "" || f.PNG != "" || f.JUnit != "" }

// Write renders doc into the files asked for. Every file is written atomically and never over one
// of inputs; others are files the command writes too (such as -o), which the report files must not
// replace either.
func (f *Files) Write(doc Document, inputs []string, others ...string) error {
	if err := f.checkDistinct(others); err != nil {
		return err
	}
	var charts []*Chart
	if f.HTML != "" || f.PNG != "" {
		var err error
		if charts, err = doc.Charts(); err != nil {
			return err
		}
	}
	if err := writePNGs(f.PNG, charts, inputs); err != nil {
		return err
	}
	if err := writeRendered(f.HTML, inputs, func(w io.Writer) error { return doc.HTML(w, charts) }); err != nil {
		return fmt.Errorf("--html: %w", err)
	}
	if err := writeRendered(f.JUnit, inputs, doc.JUnit); err != nil {
		return fmt.Errorf("--junit: %w", err)
	}
	return nil
}

// writePNGs writes every chart into dir as NAME.png (nothing when dir is "").
func writePNGs(dir string, charts []*Chart, inputs []string) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--png %s: %w", dir, err)
	}
	for _, c := range charts {
		png, err := c.PNG()
		if err != nil {
			return err
		}
		if err := WriteFile(filepath.Join(dir, c.Name+".png"), png, inputs); err != nil {
			return err
		}
	}
	return nil
}

// writeRendered renders into memory, then writes path atomically (nothing when path is "").
func writeRendered(path string, inputs []string, render func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	return WriteFile(path, buf.Bytes(), inputs)
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
	if err := add("--html", f.HTML); err != nil {
		return err
	}
	return add("--junit", f.JUnit)
}

// For is the Document of a result of any command: run, verify and plan render every report file;
// lint, diff, explain and power render text; test renders text and JUnit. It returns nil for a value
// that is not a result.
func For(v any) Document {
	switch r := v.(type) {
	case *result.Run:
		return RunDocument{r}
	case *result.Verify:
		return VerifyDocument{r}
	case *result.Plan:
		return PlanDocument{r}
	case *result.Lint:
		return textDocument{v: r, text: func(w io.Writer) error { return LintText(w, r) }}
	case *result.Diff:
		return textDocument{v: r, text: func(w io.Writer) error { return DiffText(w, r) }}
	case *result.Explain:
		return textDocument{v: r, text: func(w io.Writer) error { return ExplainText(w, r) }}
	case *result.Power:
		return textDocument{v: r, text: func(w io.Writer) error { return PowerText(w, r) }}
	case *result.TestRun:
		return textDocument{v: r, text: func(w io.Writer) error { return TestSummary(w, r) },
			junit: func(w io.Writer) error { return TestJUnit(w, r) }}
	}
	return nil
}

// textDocument is a result that has a text form, perhaps a JUnit file, and no charts or page.
type textDocument struct {
	v     any
	text  func(io.Writer) error
	junit func(io.Writer) error
}

func (d textDocument) Value() any                { return d.v }
func (d textDocument) Inputs() []string          { return nil }
func (d textDocument) Text(w io.Writer) error    { return d.text(w) }
func (d textDocument) Charts() ([]*Chart, error) { return nil, nil }

// HTML is not written for this kind of result.
func (d textDocument) HTML(io.Writer, []*Chart) error {
	return fmt.Errorf("no HTML report for %T", d.v)
}

// JUnit writes the JUnit file, where this kind of result has one.
func (d textDocument) JUnit(w io.Writer) error {
	if d.junit == nil {
		return fmt.Errorf("no JUnit report for %T", d.v)
	}
	return d.junit(w)
}
