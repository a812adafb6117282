package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/mesh"
)

// Exit codes.
const (
	exitPass  = 0
	exitFail  = 1
	exitUsage = 2
)

// errFailed is a command's way to say that a check failed (exit 1): the output already says why.
var errFailed = errors.New("check failed")

// errInput is a command's way to say that some input could not be used (exit 2) when the output
// already says which and why.
var errInput = errors.New("input error")

//go:embed help/*.txt
var helpTexts embed.FS

// help is the help text of a command ("splitsim" for the program's usage).
func help(name string) string {
	b, err := helpTexts.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic(err) // the texts are embedded: a missing one is a build mistake
	}
	return string(b)
}

// newFlags makes a FlagSet for a subcommand whose help text is text. -h and --help print the help
// and the flags on stdout, where a pager or head reads them (as git, kubectl and go do); errors go to
// stderr.
func newFlags(name, text string, stdout, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprint(stdout, text)
		fmt.Fprintln(stdout, "\nFlags:")
		fmt.Fprint(stdout, fs.FlagUsages())
	}
	return fs
}

// usageError is a flag that does not parse: its message points at the command's help.
type usageError struct {
	cmd string
	err error
}

func (e *usageError) Error() string {
	return fmt.Sprintf("%v (see splitsim %s --help)", e.err, e.cmd)
}

// parse parses flags; pflag.ErrHelp means the help was shown.
func parse(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return &usageError{fs.Name(), err}
	}
	return nil
}

// exitCode prints err for command cmd as one line on stderr and returns the exit code: 0 for help,
// 1 for a failed check, 2 for a usage or input error.
func exitCode(cmd string, err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, pflag.ErrHelp):
		return exitPass
	case errors.Is(err, errFailed):
		return exitFail
	case errors.Is(err, errInput):
		return exitUsage
	}
	// One line, whatever the inputs put into the message: control characters escaped, long values
	// cut (internal/safe).
	fmt.Fprintf(stderr, "splitsim %s: %s\n", cmd, safe.Line(err.Error()))
	return exitUsage
}

// checkAlpha checks a significance level.
func checkAlpha(alpha float64) error {
	if !(alpha > 0 && alpha < 1) {
		return fmt.Errorf("--alpha must be between 0 and 1, got %v", alpha)
	}
	return nil
}

// checkRequests checks a request count.
func checkRequests(n int64) error {
	if n < 1 {
		return fmt.Errorf("--requests must be at least 1, got %d", n)
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

// fromFlag adds --from, the caller whose routing a command simulates.
func fromFlag(fs *pflag.FlagSet) *string {
	return fs.String("from", "", "simulate what this caller's proxy does: sidecar:NAMESPACE[:LABEL=VALUE,...] or gateway:NAMESPACE/NAME[:PORT] (default: every caller view the inputs define)")
}

// parseFrom reads --from; nil when it is not given.
func parseFrom(s string) (*mesh.Caller, error) {
	if s == "" {
		return nil, nil
	}
	c, err := mesh.ParseCaller(s)
	if err != nil {
		return nil, fmt.Errorf("--from: %v", err)
	}
	return &c, nil
}
