package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/splitsim/splitsim/lint"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
)

const lintHelp = `Usage: splitsim lint FILE... [flags]

Review routing configuration without sending a request: VirtualServices, DestinationRules, Services,
Gateway API HTTPRoutes and ReferenceGrants (multi-document or kind: List), and scenario files with the
files they name. Every finding has a severity (error, warning, info), a stable code, the file and line
of the YAML node at fault, the resource, and a message saying what to do. Where istioctl analyze checks
the same thing, the code and message are Istio's (IST0101 missing subset or host, IST0106 validation
error, IST0109 VirtualServices conflicting on a host, IST0130 unreachable rule, IST0131 ineffective
match); splitsim's own checks have SPL codes:

` + "%s" + `
A resource that fails validation is reported (IST0106, SPL007) and left out of the other checks; lint
goes on with the rest.

Exit codes: 0 no error finding, 1 at least one error finding, 2 a file cannot be read or is not YAML.

Examples:
  splitsim lint scenarios/missing-subset.yaml
  splitsim lint vs.yaml dr.yaml --format json
`

func lintUsage() string {
	var b strings.Builder
	for _, c := range lint.Codes {
		fmt.Fprintf(&b, "  %-7s %-7s %s: %s\n", c.Code, c.Severity, c.Name, c.Checks)
	}
	return fmt.Sprintf(lintHelp, b.String())
}

func lintCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("lint", lintUsage(), stderr)
	format := fs.String("format", "text", "output format: text or json")
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	if err := checkFormat(*format); err != nil {
		return fail(stderr, "lint", err)
	}
	files, cfg, problems, err := loadLenient(fs.Args())
	if err != nil {
		return fail(stderr, "lint", err)
	}
	out, err := lint.Check(lint.Input{Files: files, Version: Version, Config: cfg, Problems: problems})
	if err != nil {
		return fail(stderr, "lint", err)
	}
	if *format == "json" {
		err = report.JSON(stdout, out)
	} else {
		err = lintText(stdout, out)
	}
	if err != nil {
		return fail(stderr, "lint", err)
	}
	if out.Verdict == result.Fail {
		return exitFail
	}
	return exitPass
}

// loadLenient reads the files (and the files scenarios name) with mesh.Config.AddLenient: resources
// that fail to decode or validate become problems instead of stopping the load.
func loadLenient(args []string) ([]string, *mesh.Config, []*mesh.Error, error) {
	if len(args) == 0 {
		return nil, nil, nil, fmt.Errorf("no input files (give VirtualService, DestinationRule, HTTPRoute or scenario YAML)")
	}
	var problems []*mesh.Error
	lenient := func(c *mesh.Config, name string, data []byte) error {
		ps, err := c.AddLenient(name, data)
		problems = append(problems, ps...)
		return err
	}
	cfg, files, err := walkFiles(args, lenient, followScenarios)
	if err != nil {
		return nil, nil, nil, err
	}
	return files, cfg, problems, nil
}

// lintText writes one line per finding, file:line first (as compilers do, so that editors can jump to
// it) and then istioctl analyze's form: Level [CODE] (Kind namespace/name) message.
func lintText(w io.Writer, r *result.Lint) error {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s:%d: %s [%s] (%s) %s\n", f.File, f.Line, levelName(f.Severity), f.Code, f.Resource, f.Message)
	}
	if len(r.Findings) == 0 {
		fmt.Fprintf(&b, "no findings in %s\n", plural(len(r.Files), "file"))
	} else {
		fmt.Fprintf(&b, "%s, %s, %s in %s\n", plural(r.Errors, "error"), plural(r.Warnings, "warning"), plural(r.Infos, "info"), plural(len(r.Files), "file"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func levelName(s string) string {
	switch s {
	case result.SeverityError:
		return "Error"
	case result.SeverityWarning:
		return "Warning"
	}
	return "Info"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
