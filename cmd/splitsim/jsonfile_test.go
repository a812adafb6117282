package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command that prints a result also saves it with --json FILE, as -o json prints it (issue
// 16: "the JSON result is saved with --json FILE beside --html, --png, --junit"), and never over
// one of its inputs.
func TestJSONFileOnEveryCommand(t *testing.T) {
	const scen = "../../scenarios/missing-subset.yaml"
	for _, args := range [][]string{
		{"run", scen, "-n", "1000"},
		{"explain", scen},
		{"lint", scen},
		{"test", scen},
		{"diff", scen, "../../scenarios/bookinfo-80-20.yaml", "-n", "1000"},
		{"plan", "../../scenarios/plans/argo-rollout.yaml", "--rps", "200"},
		{"verify", "--weights", "70,30", "--counts", "700,300"},
		{"power", "--weights", "70,30", "--detect", "75,25"},
	} {
		t.Run(args[0], func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "out.json")
			want, _, _ := runCLI(t, append(append([]string{}, args...), "-o", "json")...)
			_, errOut, code := runCLI(t, append(append([]string{}, args...), "--json", file)...)
			if code == exitUsage {
				t.Fatalf("exit 2: %s", errOut)
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if stripElapsed(string(got)) != stripElapsed(want) {
				t.Errorf("--json FILE differs from -o json:\n%s\n---\n%s", got, want)
			}
		})
	}
	t.Run("never over an input", func(t *testing.T) {
		dir := t.TempDir()
		in := filepath.Join(dir, "vs.yaml")
		data, err := os.ReadFile(scen)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(in, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []string{"explain", "lint", "test", "run"} {
			_, errOut, code := runCLI(t, cmd, in, "--json", in)
			if code != exitUsage || !strings.Contains(errOut, "refusing to write over an input file") {
				t.Errorf("%s --json over its input: exit %d, %q", cmd, code, errOut)
			}
		}
		if after, _ := os.ReadFile(in); string(after) != string(data) {
			t.Error("the input was changed")
		}
	})
}

// stripElapsed leaves out the lines that carry elapsed times, which differ between two runs.
func stripElapsed(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.Contains(l, `"seconds"`) && !strings.Contains(l, `"elapsed`) && !strings.Contains(l, `"duration_s"`) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
