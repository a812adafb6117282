package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
	"github.com/splitsim/splitsim/result"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

// Every scenario of the library runs and prints what its golden file holds, in text and JSON. Each
// passes but missing-subset, whose 503 share fails the verdict (exit 1) and is named under it.
func TestRunScenarioLibrary(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/*.yaml")
	if len(files) < 6 {
		t.Fatalf("scenario library has %d files, want at least 6", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			for _, format := range []string{"text", "json"} {
				out, errOut, code := runCLI(t, "run", f, "-n", "100000", "-o", format)
				want := exitPass
				if name == "missing-subset" {
					want = exitFail
					if format == "text" && !strings.Contains(out, "problem: host reviews rule #0: 9,934 of its 100,000 requests (9.934%) to v4 get 503 (no cluster, flag NC)") {
						t.Errorf("the 503 share is not named under the verdict:\n%s", out)
					}
				}
				if code != want {
					t.Fatalf("exit %d, want %d, stderr %s\n%s", code, want, errOut, out)
				}
				golden.CheckString(t, "run/"+name+"."+format, out)
			}
		})
	}
}

// The bookinfo 80/20 scenario at the default 10^6 requests: v1 near 80%, v2 near 20%, a passing test,
// and the keys README.md documents under JSON output.
func TestRunBookinfoJSONKeys(t *testing.T) {
	out, _, code := runCLI(t, "run", "../../scenarios/bookinfo-80-20.yaml", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"seed", "requests", "alpha", "verdict", "warnings", "hosts"} {
		if _, ok := r[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	host := r["hosts"].([]any)[0].(map[string]any)
	for _, k := range []string{"host", "unmatched", "rules"} {
		if _, ok := host[k]; !ok {
			t.Errorf("missing host key %q", k)
		}
	}
	rule := host["rules"].([]any)[0].(map[string]any)
	for _, k := range []string{"rule", "index", "source", "requests", "destinations", "test"} {
		if _, ok := rule[k]; !ok {
			t.Errorf("missing rule key %q", k)
		}
	}
	test := rule["test"].(map[string]any)
	for _, k := range []string{"method", "statistic", "df", "p_value", "log10_p", "verdict"} {
		if _, ok := test[k]; !ok {
			t.Errorf("missing test key %q", k)
		}
	}
	if test["verdict"] != "pass" || r["verdict"] != "pass" {
		t.Errorf("verdict %v, test verdict %v", r["verdict"], test["verdict"])
	}
	want := map[string]float64{"v1": 0.8, "v2": 0.2}
	for _, d := range rule["destinations"].([]any) {
		d := d.(map[string]any)
		for _, k := range []string{"host", "subset", "port", "cluster", "weight", "expected_share", "count", "share", "ci_low", "ci_high", "status"} {
			if _, ok := d[k]; !ok {
				t.Errorf("missing destination key %q", k)
			}
		}
		share := d["share"].(float64)
		if w := want[d["subset"].(string)]; share < w-0.003 || share > w+0.003 {
			t.Errorf("%s share %v, want near %v", d["subset"], share, w)
		}
		if d["ci_low"].(float64) > share || d["ci_high"].(float64) < share {
			t.Errorf("interval does not contain the share: %v", d)
		}
	}
	if c := rule["destinations"].([]any)[0].(map[string]any)["cluster"]; c != "outbound|9080|v1|reviews.default.svc.cluster.local" {
		t.Errorf("cluster %v", c)
	}
}

// The same seed gives byte-identical JSON with GOMAXPROCS 1 and 2 (and 8).
func TestRunSameOutputOnAnyCores(t *testing.T) {
	sameOnAnyCores(t, func() string {
		out, _, code := runCLI(t, "run", "../../scenarios/header-jason.yaml", "-n", "3000000", "--seed", "7", "-o", "json")
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
		return out
	})
}

// sameOnAnyCores runs f with GOMAXPROCS 1, 2 and 8 and fails unless it returns the same output.
func sameOnAnyCores(t *testing.T, f func() string) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first string
	for _, procs := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(procs)
		if out := f(); first == "" {
			first = out
		} else if out != first {
			t.Fatalf("GOMAXPROCS=%d: output differs:\n%s\nfrom GOMAXPROCS=1:\n%s", procs, out, first)
		}
	}
}

// splitsim explain on weights 30/30/40 with random 115, 445 and 560 picks the first, second and third
// destination (15, 45, 60 modulo 100), as Envoy's route tests expect (envoy
// source/common/router/weighted_cluster_specifier.cc, pickWeightedCluster).
func TestExplainRandom(t *testing.T) {
	cfg := "testdata/weights-30-30-40.yaml"
	for _, tc := range []struct {
		random, value string
		host          string
	}{{"115", "15", "web-a"}, {"445", "45", "web-b"}, {"560", "60", "web-c"}} {
		out, errOut, code := runCLI(t, "explain", cfg, "--host", "web", "--random", tc.random, "-o", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var ex result.Explain
		if err := json.Unmarshal([]byte(out), &ex); err != nil {
			t.Fatal(err)
		}
		if ex.Total != 100 || ex.Value == nil || ex.Chosen == nil || ex.Chosen.Host != tc.host {
			t.Errorf("random %s: total %d value %v chosen %+v, want %s", tc.random, ex.Total, ex.Value, ex.Chosen, tc.host)
		}
		if ex.Value != nil && json.Number(tc.value).String() != strings.TrimSpace(func() string { b, _ := json.Marshal(*ex.Value); return string(b) }()) {
			t.Errorf("value %d, want %s", *ex.Value, tc.value)
		}
	}
	out, _, _ := runCLI(t, "explain", cfg, "--host", "web", "--random", "445")
	golden.CheckString(t, "explain/random-445.txt", out)
}

func TestExplainHeaderTrace(t *testing.T) {
	out, _, code := runCLI(t, "explain", "../../scenarios/header-jason.yaml", "--host", "reviews")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	golden.CheckString(t, "explain/header-others.txt", out)
	out, _, _ = runCLI(t, "explain", "../../scenarios/header-jason.yaml", "--host", "reviews", "--header", "end-user=jason")
	golden.CheckString(t, "explain/header-jason.txt", out)
}

// Bad input: exit code 2, one line naming file, document and field, no stack trace, nothing on stdout.
func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile("../../scenarios/bookinfo-80-20.yaml")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"missing file", []string{"run", filepath.Join(dir, "nope.yaml")}, []string{"nope.yaml", "no such file"}},
		{"yaml syntax error", []string{"run", write("syntax.yaml", "kind: VirtualService\nspec: [\n")}, []string{"syntax.yaml", "document 1"}},
		{"unknown field", []string{"run", write("typo.yaml", strings.Replace(string(good), "weight: 20", "wieght: 20", 1))},
			[]string{"typo.yaml", "document 3 (VirtualService reviews)", "spec.http[0].route[1].wieght", "unknown field"}},
		{"negative weight", []string{"run", write("neg.yaml", strings.Replace(string(good), "weight: 20", "weight: -5", 1))},
			[]string{"neg.yaml", "document 3", "spec.http[0].route[1].weight", "weight -5 < 0"}},
		{"all-zero weights", []string{"run", write("zero.yaml", strings.NewReplacer("weight: 80", "weight: 0", "weight: 20", "weight: 0").Replace(string(good)))},
			[]string{"zero.yaml", "document 3", "spec.http[0].route", "total destination weight = 0"}},
		{"string for a number", []string{"run", write("str.yaml", strings.Replace(string(good), "weight: 20", "weight: twenty", 1))},
			[]string{"str.yaml", "document 3", "spec.http[0].route[1].weight", "expected an integer"}},
		{"document without kind", []string{"run", write("nokind.yaml", strings.Replace(string(good), "kind: VirtualService\n", "", 1))},
			[]string{"nokind.yaml", "document 3", "kind"}},
		{"bad flag", []string{"run", "--requests", "many", "x.yaml"}, []string{"--requests"}},
		{"bad format", []string{"run", "-o", "xml", "x.yaml"}, []string{"-o/--output must be text, json or yaml"}},
		{"bad format by its older flag", []string{"run", "--format", "xml", "x.yaml"}, []string{"--format must be text, json or yaml"}},
		{"-o FILE as before -o meant the format", []string{"run", "-o", "result.json", "x.yaml"}, []string{`got "result.json"`, "--json FILE"}},
		{"no files", []string{"run"}, []string{"no input files"}},
		{"unknown host", []string{"run", "../../scenarios/bookinfo-80-20.yaml", "--host", "ratings"}, []string{"--host ratings", "reviews"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", code, errOut)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
			lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			if len(lines) != 1 && !strings.Contains(tc.name, "flag") {
				t.Errorf("stderr has %d lines: %q", len(lines), errOut)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace in stderr: %q", errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
		})
	}
}

func TestRunWritesJSONFileAtomicallyNotOverInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.yaml")
	data, _ := os.ReadFile("../../scenarios/bookinfo-80-20.yaml")
	os.WriteFile(in, data, 0o644)
	_, errOut, code := runCLI(t, "run", in, "-n", "1000", "--json", in)
	if code != 2 || !strings.Contains(errOut, "input") {
		t.Fatalf("writing over the input: exit %d, %q", code, errOut)
	}
	if got, _ := os.ReadFile(in); !bytes.Equal(got, data) {
		t.Fatal("input file changed")
	}
	outFile := filepath.Join(dir, "out.json")
	if _, errOut, code := runCLI(t, "run", in, "-n", "1000", "--json", outFile); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v map[string]any
	b, _ := os.ReadFile(outFile)
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
}
