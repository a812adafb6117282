package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// Version is splitsim's version, reported in results.
const Version = "0.1.0-dev"

// Exit codes.
const (
	exitPass  = 0
	exitFail  = 1
	exitUsage = 2
)

const usage = `splitsim: see what a weighted traffic split will do, and check what it did.

Usage:
  splitsim run FILE...            simulate requests through VirtualServices, HTTPRoutes and scenarios
  splitsim explain FILE... --host H [--path P] [--header k=v] [--random R]
                                  show how one request is routed
  splitsim verify --weights W --counts C | --config F --observed F
                                  test observed counts against the configured weights
  splitsim power --weights 70,30 --detect 71,29
                                  requests needed to detect a deviation
  splitsim plan FILE... --rps R   evaluate a canary plan (Argo Rollouts, Flagger, native) step by step
  splitsim test [DIR|FILE...]     run scenario files and check their expectations, like go test
  splitsim lint FILE...           review the configuration: Istio's analyzer codes and splitsim's own
  splitsim diff OLD NEW           what moves where between two configurations (--fail-on-change PP)
  splitsim report RESULT.json     render a saved result again (--html, --png, --junit)
  splitsim help COMMAND           help for a command

Exit codes: 0 pass, 1 a check failed, 2 usage or input error.
`

type command struct {
	name string
	run  func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"run", runCmd},
		{"explain", explainCmd},
		{"plan", planCmd},
		{"lint", lintCmd},
		{"diff", diffCmd},
		{"test", testCmd},
		{"report", reportCmd},
		{"verify", verifyCmd},
		{"power", powerCmd},
	}
}

// run is the whole program: it parses args, runs one command and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		if len(args) > 1 && name == "help" {
			return run([]string{args[1], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return exitPass
	}
	if name == "version" || name == "--version" {
		fmt.Fprintln(stdout, "splitsim", Version)
		return exitPass
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "splitsim: unknown command %q\n\n%s", name, usage)
	return exitUsage
}

// newFlags makes a FlagSet for a subcommand whose help text is help.
func newFlags(name, help string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprint(stderr, help)
		fmt.Fprintln(stderr, "\nFlags:")
		fmt.Fprint(stderr, fs.FlagUsages())
	}
	return fs
}

// parse parses flags; it returns (code, false) when the command should stop with code.
func parse(fs *pflag.FlagSet, args []string, stdout io.Writer) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitPass, false
		}
		fmt.Fprintf(fs.Output(), "splitsim %s: %v (see splitsim %s --help)\n", fs.Name(), err, fs.Name())
		return exitUsage, false
	}
	return 0, true
}

// fail prints an input or usage error as one line and returns exit code 2.
func fail(stderr io.Writer, cmd string, err error) int {
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	fmt.Fprintf(stderr, "splitsim %s: %s\n", cmd, msg)
	return exitUsage
}

func checkFormat(format string) error {
	if format != "text" && format != "json" {
		return fmt.Errorf("--format must be text or json, got %q", format)
	}
	return nil
}

// countValue is an int64 flag for request counts that also takes the forms people write large counts
// in: 1_000_000, 1e6, 2.5e9, as long as the number is whole.
type countValue int64

func (c *countValue) String() string { return strconv.FormatInt(int64(*c), 10) }

// Type names the flag's argument in help texts.
func (c *countValue) Type() string { return "int" }

// Set parses a whole number, in decimal or in exponent form.
func (c *countValue) Set(s string) error {
	t := strings.ReplaceAll(s, "_", "")
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		*c = countValue(n)
		return nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return errors.New("must be a whole number, like 1000000 or 1e6")
	}
	*c = countValue(f)
	return nil
}

// countP defines a request-count flag (see countValue).
func countP(fs *pflag.FlagSet, name, short string, value int64, usage string) *int64 {
	c := countValue(value)
	fs.VarP(&c, name, short, usage)
	return (*int64)(&c)
}
