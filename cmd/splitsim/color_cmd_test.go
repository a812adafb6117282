package main

import (
	"strings"
	"testing"

	"github.com/splitsim/splitsim/report"
)

// TestColorFlag: --color always colours the text output's FAIL (bold red) even on a pipe and with
// NO_COLOR set, as git's --color=always does; --color never and the default on what is not a
// terminal leave it plain; a value other than auto, always and never is a one-line usage error
// (exit 2) with nothing on stdout. Every command that prints text takes the flag, and completion
// offers its values.
func TestColorFlag(t *testing.T) {
	t.Cleanup(func() { _ = report.SetColor(report.ColorAuto) })
	failing := []string{"verify", "--weights", "50,50", "--counts", "900,100"}
	const red = "\x1b[1;31mFAIL\x1b[0m"
	for _, tc := range []struct {
		name    string
		flags   []string
		noColor bool
		colored bool
	}{
		{"always", []string{"--color", "always"}, false, true},
		{"always despite NO_COLOR", []string{"--color=always"}, true, true},
		{"never", []string{"--color", "never"}, false, false},
		{"auto on a pipe", []string{"--color", "auto"}, false, false},
		{"default on a pipe", nil, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.noColor {
				t.Setenv("NO_COLOR", "1")
			}
			out, errOut, code := runCLI(t, append(append([]string{}, failing...), tc.flags...)...)
			if code != exitFail || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if got := strings.Contains(out, red); got != tc.colored {
				t.Errorf("FAIL coloured: %v, want %v:\n%q", got, tc.colored, out)
			}
			if !tc.colored && strings.Contains(out, "\x1b[") {
				t.Errorf("escape sequences in plain output:\n%q", out)
			}
		})
	}
	out, errOut, code := runCLI(t, append(failing, "--color", "sometimes")...)
	if code != exitUsage || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 ||
		!strings.Contains(errOut, `--color must be auto, always or never, got "sometimes"`) {
		t.Errorf("--color sometimes: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, name := range []string{"run", "explain", "verify", "power", "plan", "test", "lint", "diff", "report"} {
		if help, _, _ := runCLI(t, name, "--help"); !strings.Contains(help, "--color WHEN") {
			t.Errorf("%s --help lists no --color", name)
		}
		if got, _, _ := runCLI(t, completeCmd, name, "--color", "cur="); strings.Join(strings.Fields(got), " ") != "always auto never" {
			t.Errorf("completion of %s --color: %q", name, got)
		}
	}
}
