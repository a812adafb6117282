package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runStdin runs the command with input as standard input.
func runStdin(t *testing.T, input string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = runIn(args, strings.NewReader(input), &o, &e)
	return o.String(), e.String(), code
}

// Inputs are what kubectl -f takes (k8s.io/cli-runtime pkg/resource/visitor.go,
// ExpandPathsToFileVisitors and FileVisitorForSTDIN): files, folders (walked for .yaml, .yml and
// .json files, in path order) and - for standard input, named <stdin>; -f/--filename takes the same,
// read before the arguments. Acceptance: cat FILE | splitsim run - and splitsim run DIR/ work.
func TestInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bookinfo, err := os.ReadFile("../../scenarios/bookinfo-80-20.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dr, vs := write("cfg/dr.yaml", diffDR), write("cfg/vs/reviews.yml", diffCatchAll)
	write("cfg/notes.txt", "not YAML")
	vsJSON := write("json/vs.json", `{"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "reviews"},
"spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 70},
{"destination": {"host": "reviews", "subset": "v2"}, "weight": 30}]}]}}`)
	write("empty/README.md", "nothing")
	two := write("two.yaml", diffDR+"---\n"+diffCatchAll+"---\n"+strings.ReplaceAll(diffCatchAll, "reviews", "ratings"))
	for _, tc := range []struct {
		name      string
		args      []string
		stdin     string
		wantFiles []string
	}{
		{"cat FILE | splitsim run -", []string{"run", "-"}, string(bookinfo), []string{"<stdin>"}},
		{"- named twice is read once", []string{"run", "-", "-"}, string(bookinfo), []string{"<stdin>"}},
		{"a folder", []string{"run", filepath.Join(dir, "cfg") + "/"}, "", []string{dr, vs}},
		{"a JSON file in a folder", []string{"run", filepath.Join(dir, "json"), dr}, "", []string{vsJSON, dr}},
		{"-f, repeated", []string{"run", "-f", vs, "--filename", dr}, "", []string{vs, dr}},
		{"-f before the arguments", []string{"run", vs, "-f", dr}, "", []string{dr, vs}},
		{"-f - with a file", []string{"run", "-f", "-", dr}, diffCatchAll, []string{"<stdin>", dr}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runStdin(t, tc.stdin, append(tc.args, "-n", "1000", "-o", "json")...)
			if code != exitPass {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var r struct {
				Files []string
				Hosts []struct{ Host string }
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Files, tc.wantFiles) {
				t.Errorf("files %v, want %v", r.Files, tc.wantFiles)
			}
			if len(r.Hosts) != 1 || r.Hosts[0].Host != "reviews" {
				t.Errorf("hosts %+v", r.Hosts)
			}
		})
	}
	// Every command that reads configuration takes the same inputs.
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"lint -", []string{"lint", "-"}, diffDR + "---\n" + diffCatchAll, exitPass, "0 errors"},
		{"lint a folder, -o json", []string{"lint", filepath.Join(dir, "cfg"), "-o", "json"}, "", exitPass, `"verdict": "pass"`},
		{"explain - without --host: the only host", []string{"explain", "-", "--random", "75"}, diffDR + "---\n" + diffCatchAll, exitPass, "random 75 mod 100 = 75"},
		{"explain -f folder", []string{"explain", "-f", filepath.Join(dir, "cfg"), "--random", "5"}, "", exitPass, "random 5 mod 100 = 5"},
		{"plan -", []string{"plan", "-", "--rps", "20"}, readFile(t, "../../scenarios/plans/argo-rollout.yaml"), exitPass, "STEP"},
		{"verify --config -", []string{"verify", "--config", "-", "--counts", "700,300"}, diffDR + "---\n" + diffCatchAll, exitPass, "verdict: PASS"},
		{"verify --config folder", []string{"verify", "--config", filepath.Join(dir, "cfg"), "--counts", "700,300"}, "", exitPass, "verdict: PASS"},
		{"a bundled scenario by name", []string{"run", "bookinfo-80-20", "-n", "1000"}, "", exitPass, "bundled:bookinfo-80-20.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runStdin(t, tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d (want %d), stderr %q; stdout lacks %q:\n%s", code, tc.code, errOut, tc.want, out)
			}
		})
	}
	// Errors name the input: <stdin>, the folder without inputs, the missing file.
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"bad YAML on standard input", []string{"run", "-"}, "kind: VirtualService\nspec: [\n", "<stdin>"},
		{"a folder without inputs", []string{"run", filepath.Join(dir, "empty")}, "", "empty: no .yaml, .yml, .json files in this folder"},
		{"a missing file", []string{"lint", filepath.Join(dir, "nope.yaml")}, "", "nope.yaml: no such file"},
		{"explain without --host, several hosts", []string{"explain", two}, "", "--host is needed"},
		{"--config - and --observed -", []string{"verify", "--config", "-", "--observed", "-"}, diffCatchAll, "cannot both read standard input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runStdin(t, tc.stdin, tc.args...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line with %q", code, out, errOut, tc.want)
			}
		})
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
