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
// `$ go run ./cmd/splitsim ...` is run from the repository root, and each line it shows must appear in
// the real output, in order ("..." stands for lines left out). The README cannot drift from the tool.
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
			k := 0
			for _, w := range want {
				w = durations.ReplaceAllString(w, "Ts")
				if strings.TrimSpace(w) == "..." || w == "" {
					continue
				}
				for k < len(got) && got[k] != w {
					k++
				}
				if k == len(got) {
					t.Fatalf("README line not in the output (in order):\n%s\n--- output ---\n%s%s", w, out, errOut)
				}
				k++
			}
		})
	}
	if found < 8 {
		t.Fatalf("found %d transcripts in README.md, expected at least 8", found)
	}
}
