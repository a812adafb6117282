package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// Help goes to stdout, as with git, kubectl and go (so that splitsim run --help | head shows the
// usage), with an Examples section for every command; splitsim help CMD and CMD -h print the same.
func TestHelpOnStdout(t *testing.T) {
	for _, name := range commandNames() {
		if name == "help" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			out, errOut, code := runCLI(t, name, "--help")
			if code != exitPass || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if !strings.HasPrefix(out, "Usage: splitsim "+name) {
				t.Errorf("stdout does not start with the usage:\n%s", out)
			}
			for _, section := range []string{"\nExamples:\n  ", "\nFlags:\n"} {
				if !strings.Contains(out, section) {
					t.Errorf("no %q section:\n%s", strings.TrimSpace(section), out)
				}
			}
			for _, args := range [][]string{{"help", name}, {name, "-h"}} {
				if o, e, c := runCLI(t, args...); o != out || e != "" || c != exitPass {
					t.Errorf("%v: exit %d, stderr %q, stdout differs from %s --help", args, c, e, name)
				}
			}
		})
	}
	out, errOut, code := runCLI(t, "--help")
	if code != exitPass || errOut != "" || !strings.Contains(out, "\nExamples:\n") {
		t.Fatalf("--help: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	for _, name := range commandNames() {
		if !strings.Contains(out, "  splitsim "+name+" ") {
			t.Errorf("the usage text does not list splitsim %s:\n%s", name, out)
		}
	}
	if o, _, _ := runCLI(t, "help"); o != out {
		t.Error("splitsim help differs from splitsim --help")
	}
	// Without a command the usage is an error: it goes to stderr, exit 2.
	if o, e, c := runCLI(t); c != exitUsage || o != "" || !strings.Contains(e, "Usage:") {
		t.Errorf("no arguments: exit %d, stdout %q, stderr %q", c, o, e)
	}
}

// splitsim version and --version print the tool version results carry and what the Go toolchain
// recorded in the binary (runtime/debug.BuildInfo: the module version and the vcs.revision,
// vcs.time and vcs.modified settings that cmd/go stamps, as go version -m shows them).
func TestVersion(t *testing.T) {
	out, errOut, code := runCLI(t, "version")
	if code != exitPass || errOut != "" || !strings.HasPrefix(out, "splitsim "+result.Version+" (module ") {
		t.Fatalf("version: exit %d, stderr %q, stdout %q", code, errOut, out)
	}
	if o, _, c := runCLI(t, "--version"); o != out || c != exitPass {
		t.Errorf("--version %q differs from version %q", o, out)
	}
	if _, _, c := runCLI(t, "version", "extra"); c != exitUsage {
		t.Errorf("version extra: exit %d, want 2", c)
	}
	setting := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build information", nil, "splitsim 0.1.0 (module version unknown)"},
		{"go run, no VCS", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "splitsim 0.1.0 (module (devel))"},
		{"go build in a clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261203080000-1a2b3c4d5e6f"},
			Settings: setting("vcs", "git", "vcs.revision", "1a2b3c4d5e6f7a8b9c0d", "vcs.time", "2026-12-03T08:00:00Z", "vcs.modified", "false")},
			"splitsim 0.1.0 (module v0.0.0-20261203080000-1a2b3c4d5e6f, commit 1a2b3c4d5e6f, 2026-12-03T08:00:00Z)"},
		{"local changes", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261203080000-1a2b3c4d5e6f+dirty"},
			Settings: setting("vcs.revision", "1a2b3c4d5e6f7a8b9c0d", "vcs.time", "2026-12-03T08:00:00Z", "vcs.modified", "true")},
			"splitsim 0.1.0 (module v0.0.0-20261203080000-1a2b3c4d5e6f+dirty, commit 1a2b3c4d5e6f, 2026-12-03T08:00:00Z, modified)"},
		{"go install of a release", &debug.BuildInfo{Main: debug.Module{Version: "v0.1.0"}}, "splitsim 0.1.0 (module v0.1.0)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionLine("0.1.0", tc.bi); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
