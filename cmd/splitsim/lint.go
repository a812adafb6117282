package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/lint"
	"github.com/splitsim/splitsim/result"
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
	suppress := fs.StringArrayP("suppress", "S", nil, "leave out the findings of `CODE=RESOURCE`, such as \"SPL001=VirtualService default/reviews\"; \"*\" matches any text in either part (repeatable; as istioctl analyze --suppress)")
	threshold := fs.String("fail-threshold", string(result.SeverityError), "fail (exit 1) on a finding at this `LEVEL` or worse: error, warning or info (as istioctl analyze --failure-threshold)")
	out := addOutputFlags(fs, true)
	fs.StringVar(&out.files.HTML, "html", "", "write a self-contained HTML report to this `FILE`: findings grouped by resource, with file:line links")
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	in := lint.Input{}
	for _, s := range *suppress {
		sup, err := lint.ParseSuppression(s)
		if err != nil {
			return &usageError{"lint", fmt.Errorf("--suppress: %w", err)}
		}
		if !lint.KnownCode(sup.Code) {
			// istioctl analyze warns and goes on.
			fmt.Fprintf(stderr, "Warning: Supplied message code '%s' is an unknown message code and will not have any effect.\n", sup.Code)
		}
		in.Suppress = append(in.Suppress, sup)
	}
	sev, err := lint.ParseSeverity(*threshold)
	if err != nil {
		return &usageError{"lint", fmt.Errorf("--fail-threshold: %w", err)}
	}
	in.FailThreshold = sev
	files, err := inputFiles(*filenames, fs.Args())
	if err != nil {
		return err
	}
	loaded, err := scenarios.LoadLenient(files)
	if err != nil {
		return err
	}
	in.Files, in.Config, in.Problems = loaded.Files, loaded.Config, loaded.Problems
	l, err := lint.Check(in)
	if err != nil {
		return err
	}
	err = out.emit(stdout, l, loaded.Files, l.Verdict)
	if err != nil && !errors.Is(err, errFailed) {
		return err
	}
	if out.format == formatText && l.Suppressed > 0 {
		// The suppressed findings themselves are in -o json (suppressed_findings).
		fmt.Fprintf(stdout, "%s suppressed (-o json lists them)\n", format.Counted(l.Suppressed, "finding"))
	}
	return err
}
