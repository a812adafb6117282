package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/splitsim/splitsim/internal/buildinfo"
	"github.com/splitsim/splitsim/result"
)

func versionCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", help("version"), stdout, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, versionLine(result.Version, bi))
	return nil
}

// versionLine is buildinfo.Line.
var versionLine = buildinfo.Line
