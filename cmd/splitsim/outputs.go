package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
)

// reportFiles are the report files a command writes besides its stdout: --html, --png and --junit.
// `splitsim run`, `verify` and `plan` share them with `splitsim report`, so a saved result renders
// exactly as the command that saved it did.
type reportFiles struct {
	html, png, junit string
}

// addReportFlags registers --html, --png and --junit on fs, for the results of splitsim run.
func addReportFlags(fs *pflag.FlagSet) *reportFiles {
	return addReportFlagsFor(fs, "one test case per rule")
}

// addReportFlagsFor registers --html, --png and --junit on fs; cases says what the JUnit file's
// test cases are.
func addReportFlagsFor(fs *pflag.FlagSet, cases string) *reportFiles {
	rf := &reportFiles{}
	fs.StringVar(&rf.html, "html", "", "write a self-contained HTML report (verdict, tables, charts) to this `FILE`")
	fs.StringVar(&rf.png, "png", "", "write every chart as a PNG file into this `DIR` (created if missing)")
	fs.StringVar(&rf.junit, "junit", "", "write a JUnit XML `FILE` for CI: "+cases)
	return rf
}

// reportable is a result that the report files render: the result of run, verify or plan.
type reportable interface {
	// value is the result struct itself, as -o and --format json write it.
	value() any
	// files are the input files the result names (never to be written over).
	files() []string
	text(w io.Writer) error
	charts() ([]*report.Chart, error)
	html(w io.Writer, charts []*report.Chart) error
	junit(w io.Writer) error
}

type runReport struct{ r *result.Run }

func (x runReport) value() any {
	return x.r
}

func (x runReport) files() []string {
	return x.r.Files
}

func (x runReport) text(w io.Writer) error {
	return report.RunText(w, x.r)
}

func (x runReport) charts() ([]*report.Chart, error) {
	return report.RunCharts(x.r)
}

func (x runReport) html(w io.Writer, charts []*report.Chart) error {
	return report.RunHTML(w, x.r, charts)
}

func (x runReport) junit(w io.Writer) error {
	return report.RunJUnit(w, x.r)
}

type verifyReport struct{ v *result.Verify }

func (x verifyReport) value() any {
	return x.v
}

func (x verifyReport) files() []string {
	var out []string
	if s := x.v.Source; s != nil {
		out = append(out, s.Config...)
		if s.Observed != "" && s.Observed != "-" {
			out = append(out, s.Observed)
		}
	}
	return out
}

func (x verifyReport) text(w io.Writer) error {
	return report.VerifyText(w, x.v)
}

func (x verifyReport) charts() ([]*report.Chart, error) {
	return report.VerifyCharts(x.v)
}

func (x verifyReport) html(w io.Writer, charts []*report.Chart) error {
	return report.VerifyHTML(w, x.v, charts)
}

func (x verifyReport) junit(w io.Writer) error {
	return report.VerifyJUnit(w, x.v)
}

type planReport struct{ p *result.Plan }

func (x planReport) value() any {
	return x.p
}

func (x planReport) files() []string {
	return x.p.Files
}

func (x planReport) text(w io.Writer) error {
	return report.PlanText(w, x.p)
}

func (x planReport) charts() ([]*report.Chart, error) {
	return report.PlanCharts(x.p)
}

func (x planReport) html(w io.Writer, charts []*report.Chart) error {
	return report.PlanHTML(w, x.p, charts)
}

func (x planReport) junit(w io.Writer) error {
	return report.PlanJUnit(w, x.p)
}

// write renders the result of splitsim run into the files named by the flags; see render.
func (rf *reportFiles) write(r *result.Run, inputs []string, others ...string) error {
	return rf.render(runReport{r}, inputs, others...)
}

// render writes res into the files named by the flags. Every file is written atomically and never
// over one of inputs; others are files this command writes too (such as -o), which the report
// files must not replace either.
func (rf *reportFiles) render(res reportable, inputs []string, others ...string) error {
	if err := rf.checkDistinct(others); err != nil {
		return err
	}
	var charts []*report.Chart
	if rf.html != "" || rf.png != "" {
		var err error
		if charts, err = res.charts(); err != nil {
			return err
		}
	}
	if rf.png != "" {
		if err := os.MkdirAll(rf.png, 0o755); err != nil {
			return fmt.Errorf("--png %s: %w", rf.png, err)
		}
		for _, c := range charts {
			png, err := c.PNG()
			if err != nil {
				return err
			}
			if err := report.WriteFile(filepath.Join(rf.png, c.Name+".png"), png, inputs); err != nil {
				return err
			}
		}
	}
	if rf.html != "" {
		var buf bytes.Buffer
		if err := res.html(&buf, charts); err != nil {
			return err
		}
		if err := report.WriteFile(rf.html, buf.Bytes(), inputs); err != nil {
			return err
		}
	}
	if rf.junit != "" {
		var buf bytes.Buffer
		if err := res.junit(&buf); err != nil {
			return err
		}
		if err := report.WriteFile(rf.junit, buf.Bytes(), inputs); err != nil {
			return err
		}
	}
	return nil
}

// checkDistinct refuses two outputs that name the same file: the later would silently replace
// the earlier.
func (rf *reportFiles) checkDistinct(others []string) error {
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
	if err := add("--html", rf.html); err != nil {
		return err
	}
	return add("--junit", rf.junit)
}
