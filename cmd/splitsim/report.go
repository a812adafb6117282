package main

import (
	"fmt"
	"io"

	"github.com/splitsim/splitsim/report"
)

func reportCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", help("report"), stdout, stderr)
	out := addOutputFlags(fs, false)
	out.addReportFlags(fs, "one test case per rule (run), check (verify), or step and error finding (plan)")
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want one RESULT.json (written by a command with --json FILE or -o json), got %d arguments", fs.NArg())
	}
	path := fs.Arg(0)
	doc, err := report.Load(path)
	if err != nil {
		return err
	}
	// The saved verdict is not a check here: the command that saved it had its own exit code.
	return out.emit(stdout, doc.Value(), append([]string{path}, doc.Inputs()...), "")
}
