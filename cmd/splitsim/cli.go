package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/scenarios"
	"github.com/splitsim/splitsim/sim"
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

// parse parses flags; pflag.ErrHelp means the help was shown. It adds the flags that bound what a
// command reads (--max-input-size to the commands that read files, --allow-outside to those that read
// scenarios), and sets those bounds for this run (scenarios.SetReadLimits).
func parse(fs *pflag.FlagSet, args []string) error {
	var maxSize *string
	var outside *bool
	switch fs.Name() {
	case "run", "explain", "plan", "lint", "diff", "test", "verify":
		outside = fs.Bool("allow-outside", false, "let a scenario's spec.config name files outside the scenario's folder (by default only files under it are read)")
		fallthrough
	case "report":
		maxSize = fs.String("max-input-size", "16MiB", "read input files (and standard input) of at most this `SIZE`, such as 64MiB; the limits on YAML nodes and objects per file grow with it")
	}
	err := fs.Parse(args)
	limits := scenarios.DefaultReadLimits
	if err == nil && maxSize != nil && fs.Changed("max-input-size") {
		limits.MaxBytes, err = safe.ParseBytes(*maxSize)
		if err != nil {
			err = fmt.Errorf("--max-input-size: %v", err)
		}
	}
	if outside != nil {
		limits.AllowOutside = *outside
	}
	scenarios.SetReadLimits(limits)
	if err != nil {
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

// MinAlpha is the smallest significance level taken: below it 1-alpha rounds to 1 in floating
// point (at 1.1e-16), and intervals "at confidence 100%" would be reported.
const MinAlpha = 1e-15

// checkAlpha checks a significance level: from MinAlpha to below 1.
func checkAlpha(alpha float64) error {
	if !(alpha >= MinAlpha && alpha < 1) {
		return fmt.Errorf("--alpha must be between 0 and 1: at least %g and below 1, got %v", MinAlpha, alpha)
	}
	return nil
}

// checkRequests checks a request count: from 1 to sim.MaxRequests.
func checkRequests(n int64) error {
	if n < 1 || n > sim.MaxRequests {
		return fmt.Errorf("--requests must be from 1 to %s, got %s", format.Count(sim.MaxRequests), format.Count(n))
	}
	return nil
}

// checkCounts checks observed counts (flag names where they came from): none negative, and their
// sum, added with overflow checks, at most sim.MaxTotalRequests, so that totals and shares are exact.
func checkCounts(flag string, counts ...int64) error {
	var total uint64
	for _, c := range counts {
		if c < 0 {
			return fmt.Errorf("%s: a count of %s; counts are not negative", flag, format.Count(c))
		}
		var carry uint64
		if total, carry = bits.Add64(total, uint64(c), 0); carry != 0 || total > sim.MaxTotalRequests {
			return fmt.Errorf("%s: the counts add up to more than %s requests, more than splitsim takes", flag, format.Count(sim.MaxTotalRequests))
		}
	}
	return nil
}

// checkTolerance checks --tolerance: percentage points from 0 to below 100 (not NaN).
func checkTolerance(pp float64) error {
	if !(pp >= 0 && pp < 100) {
		return fmt.Errorf("--tolerance must be from 0 to below 100 percentage points, got %v", pp)
	}
	return nil
}

// MaxRPS is the largest --rps taken: far above any route's traffic, and small enough that rps x
// duration stays an exact count.
const MaxRPS = 1e9

// checkRPS checks --rps when it is given: a positive number of requests per second up to MaxRPS
// (not NaN, not infinite).
func checkRPS(fs *pflag.FlagSet, rps float64) error {
	if fs.Changed("rps") && !(rps > 0 && rps <= MaxRPS) {
		return fmt.Errorf("--rps must be a positive number of requests per second up to %g, got %v", MaxRPS, rps)
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
