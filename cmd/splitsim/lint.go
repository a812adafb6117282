package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/splitsim/splitsim/lint"
	"github.com/splitsim/splitsim/scenarios"
)

// lintHelp is lint's help text with the table of its codes.
func lintHelp() string {
	var b strings.Builder
	for _, c := range lint.Codes {
		fmt.Fprintf(&b, "  %-7s %-7s %s: %s\n", c.Code, c.Severity, c.Name, c.Checks)
	}
	return fmt.Sprintf(help("lint"), b.String())
}

func lintCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("lint", lintHelp(), stdout, stderr)
	filenames := addInputFlag(fs)
	out := addOutputFlags(fs, false)
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	files, err := inputFiles(*filenames, fs.Args())
	if err != nil {
		return err
	}
	in, err := scenarios.LoadLenient(files)
	if err != nil {
		return err
	}
	l, err := lint.Check(lint.Input{Files: in.Files, Config: in.Config, Problems: in.Problems})
	if err != nil {
		return err
	}
	return out.emit(stdout, l, nil, l.Verdict)
}
