package main

import (
	"bytes"
	"io"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
)

// output is where a command's result goes: stdout in --format, the JSON result to -o, and the report
// files --html, --png and --junit.
type output struct {
	format string
	json   string
	files  report.Files
}

// addOutputFlags registers --format and, when withFile is set, -o on fs.
func addOutputFlags(fs *pflag.FlagSet, withFile bool) *output {
	o := &output{}
	fs.StringVar(&o.format, "format", "text", "output format: text or json")
	if withFile {
		fs.StringVarP(&o.json, "output", "o", "", "also write the JSON result to this file")
	}
	return o
}

// addReportFlags registers --html, --png and --junit on fs; cases says what the JUnit file's test
// cases are.
func (o *output) addReportFlags(fs *pflag.FlagSet, cases string) {
	fs.StringVar(&o.files.HTML, "html", "", "write a self-contained HTML report (verdict, tables, charts) to this `FILE`")
	fs.StringVar(&o.files.PNG, "png", "", "write every chart as a PNG file into this `DIR` (created if missing)")
	fs.StringVar(&o.files.JUnit, "junit", "", "write a JUnit XML `FILE` for CI: "+cases)
}

// emit writes the result v (see report.For): the report files, then -o, then stdout. It returns errFailed when verdict is not
// pass, so that the command exits 1.
func (o *output) emit(stdout io.Writer, v any, inputs []string, verdict result.Verdict) error {
	doc := report.For(v)
	if err := o.files.Write(doc, inputs, o.json); err != nil {
		return err
	}
	if o.json != "" {
		var buf bytes.Buffer
		if err := report.JSON(&buf, doc.Value()); err != nil {
			return err
		}
		if err := report.WriteFile(o.json, buf.Bytes(), inputs); err != nil {
			return err
		}
	}
	var err error
	if o.format == "json" {
		err = report.JSON(stdout, doc.Value())
	} else {
		err = doc.Text(stdout)
	}
	if err != nil {
		return err
	}
	if verdict != "" && verdict != result.Pass {
		return errFailed
	}
	return nil
}

// parseOutput parses the flags and checks --format.
func parseOutput(fs *pflag.FlagSet, args []string, o *output) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	return checkFormat(o.format)
}
