package main

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/splitsim/splitsim/internal/completion"
	"github.com/splitsim/splitsim/observe"
	"github.com/splitsim/splitsim/report"
)

// completeCmd is the hidden command the completion scripts call at every Tab:
//
//	splitsim __complete WORD... cur=CURRENT
//
// WORD... are the words after "splitsim" before the cursor, CURRENT the word being completed (maybe
// empty; the cur= prefix keeps it a non-empty argument, which every shell passes). It prints the
// candidates, one a line; none means "complete file names" (package completion).
const completeCmd = "__complete"

func completionCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("completion", help("completion"), stdout, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want one shell: %s; got %d arguments", strings.Join(completion.Shells, ", "), fs.NArg())
	}
	script, ok := completion.Scripts[fs.Arg(0)]
	if !ok {
		return fmt.Errorf("unknown shell %q: want %s", fs.Arg(0), strings.Join(completion.Shells, ", "))
	}
	_, err := io.WriteString(stdout, script)
	return err
}

// commandNames lists the commands, sorted.
func commandNames() []string {
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// completer is what completion knows of splitsim: its commands, their --help and the values of
// flags that take one of a few.
func completer() completion.Commands {
	return completion.Commands{
		Names: commandNames(),
		Help: func(name string) string {
			var out bytes.Buffer
			_ = commands[name]([]string{"--help"}, &out, io.Discard)
			return out.String()
		},
		Values: map[string][]string{
			"--output":                 {formatText, formatJSON, formatYAML},
			"--format":                 {formatText, formatJSON, formatYAML},
			"--color":                  {report.ColorAuto, report.ColorAlways, report.ColorNever},
			"--user-model":             {"even", "uniform", "zipf"},
			"run --method":             {"auto", "per-request", "multinomial"},
			"verify --method":          {"auto", "pearson", "g", "exact"},
			"verify --observed-format": append([]string{"auto"}, observe.Formats()...),
		},
	}
}

// runComplete answers the completion scripts (see completeCmd).
func runComplete(args []string, stdout io.Writer) int {
	cur := ""
	if n := len(args); n > 0 {
		if c, ok := strings.CutPrefix(args[n-1], "cur="); ok {
			cur, args = c, args[:n-1]
		}
	}
	for _, c := range completer().Complete(args, cur) {
		fmt.Fprintln(stdout, c)
	}
	return exitPass
}
