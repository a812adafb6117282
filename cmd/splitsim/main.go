// Command splitsim simulates, verifies and plans weighted traffic splits of Istio and Gateway API
// routes. See README.md for the commands.
//
// This package only parses flags and wires packages: each command is one function that reads its
// flags, calls the packages that do the work, and hands the result to package report.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/splitsim/splitsim/scenarios"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: it returns nil, errFailed (exit 1) or a usage or input error (exit 2).
type command func(args []string, stdout, stderr io.Writer) error

var commands = map[string]command{
	"run":        runCmd,
	"explain":    explainCmd,
	"plan":       planCmd,
	"lint":       lintCmd,
	"diff":       diffCmd,
	"test":       testCmd,
	"report":     reportCmd,
	"verify":     verifyCmd,
	"power":      powerCmd,
	"version":    versionCmd,
	"completion": completionCmd,
}

// stdin is standard input as an input file ("-"), read at most once per run.
var stdin = &scenarios.Stdin{R: os.Stdin}

// run is the whole program: it parses args, runs one command and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return runIn(args, os.Stdin, stdout, stderr)
}

// runIn is run with in as standard input.
func runIn(args []string, in io.Reader, stdout, stderr io.Writer) int {
	stdin = &scenarios.Stdin{R: in}
	if len(args) == 0 {
		fmt.Fprint(stderr, help("splitsim"))
		return exitUsage
	}
	name := args[0]
	switch {
	case name == "help" && len(args) > 1:
		return runIn([]string{args[1], "--help"}, in, stdout, stderr)
	case name == "help" || name == "-h" || name == "--help":
		fmt.Fprint(stdout, help("splitsim"))
		return exitPass
	case name == "--version":
		return runIn([]string{"version"}, in, stdout, stderr)
	case name == completeCmd:
		return runComplete(args[1:], stdout)
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "splitsim: unknown command %q\n\n%s", name, help("splitsim"))
		return exitUsage
	}
	return exitCode(name, c(args[1:], stdout, stderr), stderr)
}
