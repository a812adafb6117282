package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
)

// Output formats on stdout (-o, --output), as kubectl and istioctl name them.
const (
	formatText = "text"
	formatJSON = "json"
	formatYAML = "yaml"
)

// output is where a command's result goes: stdout in the -o format, the JSON result to --json, and
// the report files --html, --png and --junit.
type output struct {
	format string
	json   string
	files  report.Files
}

// addOutputFlags registers -o/--output (with --format, its older spelling that scripts use) and,
// when withFile is set, --json on fs.
func addOutputFlags(fs *pflag.FlagSet, withFile bool) *output {
	o := &output{}
	fs.StringVarP(&o.format, "output", "o", formatText, "output `FORMAT` on stdout: text, json or yaml")
	fs.StringVar(&o.format, "format", formatText, "same as -o/--output: its older name, kept for scripts")
	if withFile {
		fs.StringVar(&o.json, "json", "", "also write the JSON result to this `FILE`")
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

// emit writes the result v (see report.For): the report files and --json, then stdout. It returns
// errFailed when verdict is not pass, so that the command exits 1.
func (o *output) emit(stdout io.Writer, v any, inputs []string, verdict result.Verdict) error {
	doc := report.For(v)
	if err := o.checkDistinct(); err != nil {
		return err
	}
	// The report files and --json are written all or none (report.WriteAll).
	o.files.JSON, o.files.Stdout = o.json, stdout
	if err := o.files.Write(doc, inputs); err != nil {
		return err
	}
	var err error
	switch o.format {
	case formatJSON:
		err = report.JSON(stdout, doc.Value())
	case formatYAML:
		err = writeYAML(stdout, doc.Value())
	default:
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

// checkDistinct refuses --json naming the file of --html or --junit: the later write would silently
// replace the earlier.
func (o *output) checkDistinct() error {
	if o.json == "" {
		return nil
	}
	a, err := filepath.Abs(o.json)
	if err != nil {
		return err
	}
	for _, f := range []struct{ flag, path string }{{"--html", o.files.HTML}, {"--junit", o.files.JUnit}} {
		if b, err := filepath.Abs(f.path); err == nil && f.path != "" && a == b {
			return fmt.Errorf("--json and %s name the same file %s", f.flag, o.json)
		}
	}
	return nil
}

// writeYAML is report.YAML.
var writeYAML = report.YAML

// parseOutput parses the flags and checks the output format.
func parseOutput(fs *pflag.FlagSet, args []string, o *output) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	return checkFormat(fs, o.format)
}

// checkFormat checks the output format, naming the flag that gave it; a value that looks like a file
// name is most likely an -o FILE from before -o meant the format.
func checkFormat(fs *pflag.FlagSet, format string) error {
	switch format {
	case formatText, formatJSON, formatYAML:
		return nil
	}
	flag := "-o/--output"
	if fs.Changed("format") {
		flag = "--format"
	}
	err := fmt.Errorf("%s must be text, json or yaml, got %q", flag, format)
	if strings.ContainsAny(format, "./\\") && fs.Lookup("json") != nil {
		err = fmt.Errorf("%w (write the JSON result to a file with --json FILE)", err)
	}
	return err
}
