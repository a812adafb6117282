package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// abs is a path of the repository made absolute, for tests that run in a temporary folder.
func abs(t *testing.T, rel string) string {
	t.Helper()
	a, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// seconds are the timings in splitsim test's JSON and YAML, which vary from run to run (durations
// those of its text).
var seconds = regexp.MustCompile(`("?duration_s"?: )[0-9.e-]+`)

// -o/--output is the format on stdout, as with kubectl and istioctl: text, json or yaml, the YAML being
// the JSON converted (kubectl's printers.YAMLPrinter, k8s.io/cli-runtime pkg/printers/yaml.go,
// converts the JSON form with sigs.k8s.io/yaml likewise). --format is its older name and gives the
// same. No format writes a file: the JSON result file is --json FILE.
func TestOutputFormats(t *testing.T) {
	bookinfo := abs(t, "../../scenarios/bookinfo-80-20.yaml")
	fifty := abs(t, "../../scenarios/bookinfo-50-50.yaml")
	plan := abs(t, "../../scenarios/plans/argo-rollout.yaml")
	weights := abs(t, "testdata/weights-30-30-40.yaml")
	saved := filepath.Join(t.TempDir(), "saved.json")
	if _, errOut, code := runCLI(t, "run", bookinfo, "-n", "1000", "--json", saved); code != exitPass {
		t.Fatalf("saving a result: exit %d: %s", code, errOut)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"run", []string{"run", bookinfo, "-n", "1000"}, exitPass},
		{"explain", []string{"explain", weights, "--host", "web", "--random", "445"}, exitPass},
		{"plan", []string{"plan", plan, "--rps", "20"}, exitPass},
		{"lint", []string{"lint", bookinfo}, exitPass},
		{"diff", []string{"diff", bookinfo, fifty, "-n", "1000"}, exitPass},
		{"test", []string{"test", bookinfo, "-n", "10000"}, exitPass},
		{"report", []string{"report", saved}, exitPass},
		{"verify", []string{"verify", "--weights", "70,30", "--counts", "700,300"}, exitPass},
		{"power", []string{"power", "--weights", "70,30", "--detect", "71,29"}, exitPass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			outputs := map[string]string{}
			for _, flags := range [][]string{{"-o", "json"}, {"--output", "json"}, {"--output=json"}, {"--format", "json"}, {"-o", "yaml"}, {"-o", "text"}, {}} {
				out, errOut, code := runCLI(t, append(append([]string{}, tc.args...), flags...)...)
				if code != tc.code {
					t.Fatalf("%v: exit %d, want %d: %s", flags, code, tc.code, errOut)
				}
				outputs[strings.Join(flags, " ")] = durations.ReplaceAllString(seconds.ReplaceAllString(out, "${1}0"), "Ts")
			}
			js := outputs["-o json"]
			var v map[string]any
			if err := json.Unmarshal([]byte(js), &v); err != nil || v["tool"] != "splitsim" {
				t.Fatalf("-o json: %v, tool %v:\n%s", err, v["tool"], js)
			}
			for _, same := range []string{"--output json", "--output=json", "--format json"} {
				if outputs[same] != js {
					t.Errorf("%s differs from -o json", same)
				}
			}
			want, err := yaml.JSONToYAML([]byte(js))
			if err != nil {
				t.Fatal(err)
			}
			if outputs["-o yaml"] != string(want) {
				t.Errorf("-o yaml is not the JSON converted:\n%s", outputs["-o yaml"])
			}
			if outputs["-o text"] != outputs[""] || outputs[""] == js {
				t.Errorf("-o text differs from the default output, or is JSON")
			}
			if files, _ := os.ReadDir("."); len(files) > 0 {
				t.Errorf("stdout formats wrote files: %v", files)
			}
		})
	}
}
