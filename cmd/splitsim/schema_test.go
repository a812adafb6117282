package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/splitsim/splitsim/result"
)

// schemaCases run every command on bundled inputs with -o json, including the variants that fill
// the optional parts of each result: checks and traffic classes, sequential and tolerance tests, Argo
// and Flagger plans, lint findings, diff moves and classes.
var schemaCases = []struct {
	name string
	kind result.Kind
	args []string
}{
	{"run/checks-and-classes", result.KindRun, []string{"run", "../../scenarios/header-jason.yaml", "-n", "2000"}},
	{"run/missing-subset", result.KindRun, []string{"run", "../../scenarios/missing-subset.yaml", "-n", "2000"}},
	{"run/three-way", result.KindRun, []string{"run", "../../scenarios/canary-70-20-10.yaml", "-n", "2000"}},
	{"run/gateway", result.KindRun, []string{"run", "../../scenarios/gateway-70-30-0.yaml", "-n", "2000"}},
	{"run/endpoints", result.KindRun, []string{"run", "../../scenarios/gateway-only-canary.yaml", "-n", "2000"}},
	{"run/failing-expectations", result.KindRun, []string{"run", "../../scenarios/testdata/failing/bookinfo-expects-90-10.yaml", "-n", "2000"}},
	{"run/config", result.KindRun, []string{"run", "../../examples/verify/reviews-70-30.yaml", "-n", "2000"}},
	{"run/fault-mirror", result.KindRun, []string{"run", "testdata/schema/fault-mirror.yaml", "-n", "2000"}},
	{"run/fault-delay", result.KindRun, []string{"run", "../../lint/testdata/istio-analyzers/virtualservice_dupmatches.yaml", "-n", "2000"}},
	{"explain/draws", result.KindExplain, []string{"explain", "testdata/schema/fault-mirror.yaml", "--random", "5"}},
	{"explain/random", result.KindExplain, []string{"explain", "../../scenarios/bookinfo-80-20.yaml", "--host", "reviews", "--random", "7"}},
	{"explain/header", result.KindExplain, []string{"explain", "../../scenarios/header-jason.yaml", "--header", "end-user=jason", "--query", "a=b", "--random", "3"}},
	{"explain/endpoints", result.KindExplain, []string{"explain", "../../scenarios/gateway-only-canary.yaml", "--host", "demo"}},
	{"explain/no-random", result.KindExplain, []string{"explain", "../../scenarios/canary-70-20-10.yaml"}},
	{"verify/counts", result.KindVerify, []string{"verify", "--weights", "70,30", "--counts", "700,300"}},
	{"verify/exact", result.KindVerify, []string{"verify", "--weights", "70,30,0", "--counts", "7,3,1"}},
	{"verify/tolerance", result.KindVerify, []string{"verify", "--weights", "v1=70,v2=30", "--counts", "v1=720,v2=280", "--tolerance", "1"}},
	{"verify/sequential", result.KindVerify, []string{"verify", "--weights", "v1=70,v2=30", "--observed", "../../examples/verify/per-minute.csv", "--sequential"}},
	{"verify/sequential-series", result.KindVerify, []string{"verify", "--weights", "v1=70,v2=30,v3=0", "--observed", "../../observe/testdata/series.json", "--sequential"}},
	{"verify/access-log", result.KindVerify, []string{"verify", "--config", "../../examples/verify/reviews-70-30.yaml", "--observed", "../../examples/verify/access.log"}},
	{"verify/prometheus", result.KindVerify, []string{"verify", "--config", "../../examples/verify/reviews-70-30.yaml", "--observed", "../../examples/verify/after.prom", "--before", "../../examples/verify/before.prom"}},
	{"power/required", result.KindPower, []string{"power", "--weights", "70,30", "--detect", "71,29"}},
	{"power/at-n", result.KindPower, []string{"power", "--weights", "70,30,0", "--detect", "70,29,1", "-n", "1000"}},
	{"plan/argo", result.KindPlan, []string{"plan", "../../scenarios/plans/argo-rollout.yaml", "--rps", "20"}},
	{"plan/argo-requirements", result.KindPlan, []string{"plan", "../../scenarios/plans/argo-rollout-requirements.yaml", "--rps", "5"}},
	{"plan/flagger", result.KindPlan, []string{"plan", "../../scenarios/plans/flagger-canary.yaml", "--rps", "1"}},
	{"plan/native", result.KindPlan, []string{"plan", "../../scenarios/plans/native-plan.yaml"}},
	{"test/library", result.KindTest, []string{"test", "../../scenarios", "-n", "2000"}},
	{"test/failing", result.KindTest, []string{"test", "../../scenarios/testdata/failing", "-n", "2000"}},
	{"lint/findings", result.KindLint, []string{"lint", "../../scenarios/missing-subset.yaml", "../../scenarios/testdata/failing/shadowed-header-route.yaml"}},
	{"lint/suppressed", result.KindLint, []string{"lint", "../../scenarios/missing-subset.yaml", "-S", "SPL012=VirtualService default/*", "--fail-threshold", "warning"}},
	{"lint/clean", result.KindLint, []string{"lint", "../../scenarios/bookinfo-80-20.yaml"}},
	{"diff/moves", result.KindDiff, []string{"diff", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/bookinfo-50-50.yaml", "-n", "2000", "--fail-on-change", "10"}},
	{"diff/added-rule", result.KindDiff, []string{"diff", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/header-jason.yaml", "-n", "2000"}},
	{"diff/classes", result.KindDiff, []string{"diff", "../../scenarios/header-jason.yaml", "../../scenarios/header-jason.yaml", "-n", "2000"}},
}

// Every command's -o json validates against the committed schema of its kind (docs/schema, generated
// from the result structs by go test ./result -update), checked by an independent JSON Schema
// validator (github.com/santhosh-tekuri/jsonschema/v6, draft 2020-12).
func TestJSONOutputsMatchTheirSchemas(t *testing.T) {
	c := jsonschema.NewCompiler()
	schemas := map[result.Kind]*jsonschema.Schema{}
	for _, k := range []result.Kind{result.KindRun, result.KindExplain, result.KindVerify, result.KindPower,
		result.KindPlan, result.KindTest, result.KindLint, result.KindDiff} {
		s, err := c.Compile(filepath.Join("..", "..", "docs", "schema", string(k)+".schema.json"))
		if err != nil {
			t.Fatalf("schema of %s: %v", k, err)
		}
		schemas[k] = s
	}
	for _, tc := range schemaCases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, append(tc.args, "-o", "json")...)
			if code == exitUsage {
				t.Fatalf("exit 2: %s", errOut)
			}
			validate(t, schemas[tc.kind], out)
		})
	}
}

// validate checks the JSON text out against schema s.
func validate(t *testing.T, s *jsonschema.Schema, out string) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("output does not match its schema: %#v\n%s", err, out)
	}
}

// The schemas reject what they should: an unknown key, a missing key, a value outside an enum, another
// kind's header. (A schema that accepts everything would pass the test above.)
func TestSchemasRejectWrongJSON(t *testing.T) {
	c := jsonschema.NewCompiler()
	s, err := c.Compile(filepath.Join("..", "..", "docs", "schema", "lint.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ := runCLI(t, "lint", "../../scenarios/missing-subset.yaml", "-o", "json")
	for _, tc := range []struct{ name, from, to string }{
		{"unknown key", `"files":`, `"extra": 1, "files":`},
		{"missing key", `"errors":`, `"errs":`},
		{"enum", `"verdict": "`, `"verdict": "maybe`},
		{"kind", `"kind": "lint"`, `"kind": "run"`},
		{"type", `"files": [`, `"files": [1, `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(out, tc.from, tc.to, 1)
			if bad == out {
				t.Fatalf("%q not in the output:\n%s", tc.from, out)
			}
			v, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
			if err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if s.Validate(v) == nil {
				t.Errorf("the schema accepts %s", bad)
			}
		})
	}
}

// Saved results that `splitsim report` reads back validate too: report -o json writes the result it
// read, of the current schema.
func TestReportOutputsMatchTheirSchemas(t *testing.T) {
	dir := t.TempDir()
	c := jsonschema.NewCompiler()
	for _, tc := range []struct {
		kind result.Kind
		args []string
	}{
		{result.KindRun, []string{"run", "../../scenarios/header-jason.yaml", "-n", "1000"}},
		{result.KindVerify, []string{"verify", "--weights", "70,30", "--counts", "700,300", "--tolerance", "2"}},
		{result.KindPlan, []string{"plan", "../../scenarios/plans/flagger-canary.yaml", "--rps", "1"}},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			file := filepath.Join(dir, string(tc.kind)+".json")
			if _, errOut, code := runCLI(t, append(tc.args, "--json", file)...); code == exitUsage {
				t.Fatalf("exit 2: %s", errOut)
			}
			saved, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			out, errOut, code := runCLI(t, "report", file, "-o", "json")
			if code == exitUsage {
				t.Fatalf("report: exit 2: %s", errOut)
			}
			if !bytes.Equal(bytes.TrimSpace(saved), bytes.TrimSpace([]byte(out))) {
				t.Errorf("report -o json differs from the saved result")
			}
			s, err := c.Compile(filepath.Join("..", "..", "docs", "schema", string(tc.kind)+".schema.json"))
			if err != nil {
				t.Fatal(err)
			}
			validate(t, s, out)
			var h result.Header
			if err := json.Unmarshal([]byte(out), &h); err != nil || h != result.NewHeader(tc.kind) {
				t.Errorf("header %+v (%v)", h, err)
			}
		})
	}
}

// Results saved with schema_version 1 (testdata/v1, written by splitsim before the keys were renamed)
// are read by `splitsim report`, which writes them in today's keys: report -o json validates against
// the current schema, and each renamed key holds the value the old key held.
func TestReportReadsSchemaVersion1(t *testing.T) {
	c := jsonschema.NewCompiler()
	for _, tc := range []struct {
		file string
		kind result.Kind
		// renamed pairs a version 1 path with its version 2 path ("a.0.b": key b of a's first item).
		renamed [][2]string
		// verdicts pairs a version 1 boolean "passed" path with its version 2 "verdict" path.
		verdicts [][2]string
	}{
		{"run.json", result.KindRun, [][2]string{{"hosts.0.rules.0.destinations.0.subset", "hosts.0.rules.0.destinations.0.name"},
			{"checks.0.destinations.0.destination", "checks.0.destinations.0.name"}},
			[][2]string{{"checks.0.passed", "checks.0.verdict"}, {"checks.0.destinations.0.passed", "checks.0.destinations.0.verdict"},
				{"hosts.0.rules.1.test.passed", "hosts.0.rules.1.test.verdict"}}},
		{"verify.json", result.KindVerify, [][2]string{{"n", "requests"}, {"sequential.looks.2.n", "sequential.looks.2.requests"}}, nil},
		{"power.json", result.KindPower, [][2]string{{"required_n", "required_requests"}, {"required_n", "requests"}}, nil},
		{"power-n.json", result.KindPower, [][2]string{{"n", "requests"}}, nil},
		{"plan.json", result.KindPlan, [][2]string{{"total_requests", "requests"}}, nil},
		{"test.json", result.KindTest, [][2]string{{"scenarios.0.checks.0.destinations.0.destination", "scenarios.0.checks.0.destinations.0.name"},
			{"scenarios.1.seconds", "scenarios.1.duration_s"}},
			[][2]string{{"scenarios.0.passed", "scenarios.0.verdict"}, {"scenarios.1.passed", "scenarios.1.verdict"},
				{"scenarios.0.checks.0.passed", "scenarios.0.checks.0.verdict"}}},
		{"diff.json", result.KindDiff, [][2]string{{"moves.0.destination", "moves.0.name"}}, nil},
		{"explain.json", result.KindExplain, [][2]string{{"clusters.1.subset", "clusters.1.name"}, {"chosen.subset", "chosen.name"}}, nil},
		{"run-mirror.json", result.KindRun, [][2]string{{"hosts.0.rules.0.mirrors.0.subset", "hosts.0.rules.0.mirrors.0.name"},
			{"hosts.0.rules.0.fault.abort.status", "hosts.0.rules.0.fault.abort.status"}}, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "v1", tc.file)
			old := decode(t, mustRead(t, path))
			if old["schema_version"] != 1.0 {
				t.Fatalf("%s is not a version 1 result", path)
			}
			out, errOut, code := runCLI(t, "report", path, "-o", "json")
			if code == exitUsage {
				t.Fatalf("exit 2: %s", errOut)
			}
			s, err := c.Compile(filepath.Join("..", "..", "docs", "schema", string(tc.kind)+".schema.json"))
			if err != nil {
				t.Fatal(err)
			}
			validate(t, s, out)
			now := decode(t, out)
			if now["schema_version"] != float64(result.SchemaVersion) {
				t.Errorf("schema_version %v, want %d", now["schema_version"], result.SchemaVersion)
			}
			for _, r := range tc.renamed {
				if v1, v2 := at(old, r[0]), at(now, r[1]); v1 == nil || v1 != v2 {
					t.Errorf("%s = %v, want %s's %v", r[1], v2, r[0], v1)
				}
			}
			for _, r := range tc.verdicts {
				want := map[any]string{true: "pass", false: "fail"}[at(old, r[0])]
				if got := at(now, r[1]); want == "" || got != want {
					t.Errorf("%s = %v, want %q (%s was %v)", r[1], got, want, r[0], at(old, r[0]))
				}
			}
		})
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return m
}

// at is the value at a dotted path of keys and list indexes, nil when there is none.
func at(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
