package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// durations are the timings `splitsim test` prints, which vary from run to run.
var durations = regexp.MustCompile(`\b\d+\.\d\ds\b`)

// The README's transcripts are executable documentation: every block that starts with
// `$ go run ./cmd/splitsim ...` is run from the repository root, and the lines it shows must be the
// real output's, line after line, blank lines aside; "..." stands for lines left out, and is needed
// wherever lines are (issue 16: transcripts left lines out silently). The README cannot drift from
// the tool.
func TestREADMETranscripts(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	root, _ := filepath.Abs("../..")
	if err := os.Chdir(root); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	lines := strings.Split(string(data), "\n")
	found := 0
	for i := 0; i < len(lines); i++ {
		cmd, ok := strings.CutPrefix(lines[i], "$ go run ./cmd/splitsim ")
		if !ok {
			continue
		}
		for strings.HasSuffix(cmd, `\`) && i+1 < len(lines) {
			i++
			cmd = strings.TrimSuffix(cmd, `\`) + " " + strings.TrimSpace(lines[i])
		}
		var want []string
		for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "```") && !strings.HasPrefix(lines[i+1], "$ ") {
			i++
			want = append(want, strings.TrimRight(lines[i], " "))
		}
		found++
		t.Run(cmd, func(t *testing.T) {
			out, errOut, _ := runCLI(t, strings.Fields(cmd)...)
			got := strings.Split(out, "\n")
			for j := range got {
				got[j] = durations.ReplaceAllString(strings.TrimRight(got[j], " "), "Ts")
			}
			if err := checkTranscript(want, got); err != "" {
				t.Fatalf("%s\n--- output ---\n%s%s", err, out, errOut)
			}
		})
	}
	if found < 8 {
		t.Fatalf("found %d transcripts in README.md, expected at least 8", found)
	}
}

// checkTranscript compares a transcript's lines (want) with the output's (got), blank lines left
// out of both: each shown line must follow the one before it in the output, unless "..." stands
// between them; the output may go on after the last shown line only after a final "...". It
// returns what differs, or "".
func checkTranscript(want, got []string) string {
	got = nonBlank(got)
	k, skip := 0, false
	for _, w := range nonBlank(want) {
		w = durations.ReplaceAllString(w, "Ts")
		if strings.TrimSpace(w) == "..." {
			skip = true
			continue
		}
		if skip {
			for k < len(got) && got[k] != w {
				k++
			}
		}
		if k == len(got) {
			return "README line not in the output (in order):\n" + w
		}
		if got[k] != w {
			return "README line\n" + w + "\nwhere the output has\n" + got[k] + "\n(mark lines left out with ...)"
		}
		k, skip = k+1, false
	}
	if !skip && k < len(got) {
		return "the output goes on after the README's last line (end the transcript with ... to leave it out):\n" + got[k]
	}
	return ""
}

// nonBlank is lines without the blank ones.
func nonBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
