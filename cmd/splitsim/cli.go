package main

import (
	"embed"
	"errors"
	"fmt"
	"io"

	"github.com/splitsim/splitsim/internal/cliflag"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/scenarios"
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

// The checks and flag values several commands share (package cliflag).
var (
	checkAlpha     = cliflag.CheckAlpha
	checkRequests  = cliflag.CheckRequests
	checkCounts    = cliflag.CheckCounts
	checkTolerance = cliflag.CheckTolerance
	checkRPS       = cliflag.CheckRPS
	countP         = cliflag.CountP
)

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
