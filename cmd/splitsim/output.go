package main

import (
	"fmt"
	"io"
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
// the report files --html, --png and --junit; color is --color.
type output struct {
	format, json, color string
	files               report.Files
	// text, when set, is written instead of the result's text: the part a command has not already
	// printed as it went (test streams its scenarios, then prints the summary).
	text func(io.Writer) error
}

// addOutputFlags registers -o/--output (with --format, its older spelling that scripts use), --color
// and, when withFile is set, --json on fs.
func addOutputFlags(fs *pflag.FlagSet, withFile bool) *output {
	o := &output{}
	fs.StringVarP(&o.format, "output", "o", formatText, "output `FORMAT` on stdout: text, json or yaml")
	fs.StringVar(&o.format, "format", formatText, "same as -o/--output: its older name, kept for scripts")
	fs.StringVar(&o.color, "color", report.ColorAuto, "`WHEN` to color PASS, FAIL and warnings in text output: auto (on a terminal without NO_COLOR), always or never")
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
	// The report files and --json are written all or none, each to a file of its own (Files.Write).
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
		if o.text != nil {
			err = o.text(stdout)
		} else {
			err = doc.Text(stdout)
		}
	}
	if err != nil {
		return err
	}
	if verdict != "" && verdict != result.Pass {
		return errFailed
	}
	return nil
}

// writeYAML is report.YAML.
var writeYAML = report.YAML

// parseOutput parses the flags, checks the output format and sets the color mode.
func parseOutput(fs *pflag.FlagSet, args []string, o *output) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(fs, o.format); err != nil {
		return err
	}
	return report.SetColor(o.color)
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
