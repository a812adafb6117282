package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
	"github.com/splitsim/splitsim/scenarios"
)

// junitFile is what CI systems read from a JUnit XML file.
type junitFile struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func readJUnit(t *testing.T, path string) junitFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var j junitFile
	if err := xml.Unmarshal(b, &j); err != nil {
		t.Fatalf("JUnit file does not parse: %v\n%s", err, b)
	}
	return j
}

var timeRE = regexp.MustCompile(`\d+\.\d\ds\b`)

// stable replaces the run times, the only part of the output that changes from run to run.
func stable(out string) string {
	return timeRE.ReplaceAllString(out, "0.00s")
}

// expectationCount is the number of expectations of a scenario file.
func expectationCount(t *testing.T, file string) int {
	t.Helper()
	in, err := scenarios.Load([]string{file})
	if err != nil {
		t.Fatal(err)
	}
	return in.Scenario().Spec.Expect.Count()
}

// The library scenarios that carry expectations (others may be added without; the run verdict then
// decides them).
var libraryWithExpectations = []string{"argo-100-0", "argo-rollout-plan", "bookinfo-80-20", "canary-70-20-10", "header-jason", "missing-subset",
	"reviews-canary", "weights-1-2-3"}

// The project's CI runs `splitsim test scenarios/`: every library scenario passes, in path order,
// the summary line is printed, the failing examples under testdata are not run, and the JUnit file
// has one test case per expectation.
func TestTestScenarioLibrary(t *testing.T) {
	found, err := scenarios.Find([]string{"../../scenarios"})
	if err != nil {
		t.Fatal(err)
	}
	junit := filepath.Join(t.TempDir(), "junit.xml")
	out, errOut, code := runCLI(t, "test", "../../scenarios", "--junit", junit)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if want := fmt.Sprintf("%d passed, 0 failed", len(found)); lines[len(lines)-1] != want {
		t.Errorf("summary %q, want %q", lines[len(lines)-1], want)
	}
	if len(lines) != len(found)+1 || len(found) < len(libraryWithExpectations) {
		t.Fatalf("%d lines for %d scenarios:\n%s", len(lines), len(found), out)
	}
	wantCases := 0
	expectations := map[string]int{}
	for i, f := range found {
		if !strings.HasPrefix(lines[i], "ok    "+f.Name+" ") {
			t.Errorf("line %d %q, want ok for %s (in path order)", i, lines[i], f.Name)
		}
		if strings.Contains(f.Path, "testdata") {
			t.Errorf("%s was run", f.Path)
		}
		n := expectationCount(t, f.Path)
		expectations[f.Name] = n
		wantCases += max(1, n)
	}
	for _, name := range libraryWithExpectations {
		if expectations[name] == 0 {
			t.Errorf("library scenario %s has no expectations (or was not found)", name)
		}
	}
	if strings.Contains(out, "FAIL") || strings.Contains(out, "expects-90-10") {
		t.Errorf("failing examples were run:\n%s", out)
	}
	j := readJUnit(t, junit)
	got := 0
	for _, s := range j.Suites {
		got += len(s.Cases)
		if s.Tests != len(s.Cases) || s.Failures != 0 {
			t.Errorf("suite %s: tests %d failures %d for %d cases", s.Name, s.Tests, s.Failures, len(s.Cases))
		}
	}
	if len(j.Suites) != len(found) || got != wantCases || j.Tests != wantCases || j.Failures != 0 {
		t.Errorf("JUnit: %d suites, %d cases (tests=%d, failures=%d), want %d suites and %d cases",
			len(j.Suites), got, j.Tests, j.Failures, len(found), wantCases)
	}
}

// The failing examples fail, and the messages name what was expected and what happened: (a) an
// 80/20 VirtualService expected at 90/10, with host, rule, destination and both shares; (b) a header
// route shadowed by an earlier catch-all, caught by "class jason reaches v2"; (c) the Argo Rollout
// at 20 rps required to reach power 0.8 in every step, with the step, its power and the limit.
func TestTestCatchesFailures(t *testing.T) {
	junit := filepath.Join(t.TempDir(), "junit.xml")
	out, errOut, code := runCLI(t, "test", "../../scenarios/testdata/failing", "--junit", junit)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (stderr %q)\n%s", code, errOut, out)
	}
	for _, want := range []string{
		"FAIL  argo-rollout-20rps",
		"    FAIL plan: every step reaches power 0.8\n",
		"step 1 (canary 5% for 10m, 605 of 12,000 requests to the canary): power 0.24 to detect an error-rate rise from 1% to 2% (alpha 0.001), below 0.8; the step would need 35m49s",
		"step 3 (canary 20% for 10m, 2,402 of 12,000 requests to the canary): power 0.73 to detect an error-rate rise from 1% to 2% (alpha 0.001), below 0.8; the step would need 11m31s",
		"FAIL  bookinfo-expects-90-10",
		"host reviews rule #0 destination v1: expected 90% ±1pp, observed 79.936% (79,936 of 100,000, 99.9% CI [79.516%, 80.349%])",
		"host reviews rule #0 destination v2: expected 10% ±1pp, observed 20.064%",
		"FAIL  shadowed-header-route",
		"class jason (host reviews) rule default destination v1: expected 0% of the class, observed 100.000%",
		"class jason (host reviews) rule default destination v2: expected some of the class, observed 0%",
		"\n0 passed, 3 failed\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}
	golden.CheckString(t, "test/failing.txt", stable(out))
	// The step 2 power passes, so only steps 0 and 1 are named; noErrors passes (step-too-short is
	// requirePower's to report).
	if strings.Contains(out, "step 2 (canary 50%") || strings.Contains(out, "FAIL plan: no error findings") {
		t.Errorf("passing step or noErrors reported as failures:\n%s", out)
	}
	j := readJUnit(t, junit)
	// argo-rollout-20rps: requirePower (fails) and noErrors (passes); one case for each other scenario.
	if j.Tests != 4 || j.Failures != 3 || len(j.Suites) != 3 {
		t.Fatalf("JUnit tests %d failures %d suites %d, want 4, 3, 3", j.Tests, j.Failures, len(j.Suites))
	}
	argo := j.Suites[0]
	if argo.Name != "argo-rollout-20rps" || len(argo.Cases) != 2 || argo.Cases[0].Failure == nil || argo.Cases[1].Failure != nil ||
		argo.Cases[1].Name != "plan: no error findings" || !strings.HasPrefix(argo.Cases[0].Failure.Message, "step 1 (canary 5% for 10m") {
		t.Errorf("JUnit suite %+v", argo)
	}
	f := j.Suites[1].Cases[0].Failure
	if f == nil || f.Type != "ExpectationFailed" || !strings.Contains(f.Message, "host reviews rule #0 destination v1: expected 90% ±1pp, observed 79.936%") ||
		!strings.Contains(f.Text, "destination v2: expected 10% ±1pp") {
		t.Errorf("JUnit failure %+v", f)
	}
}

func TestTestRunFilterAndVerbose(t *testing.T) {
	out, _, code := runCLI(t, "test", "../../scenarios", "--run", "^header", "-v")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{"ok    header-jason  ", "    ok   class jason reaches v2 only, routed by rule jason\n",
		"         observed: rule jason: v2 100.000%", "\n1 passed, 0 failed\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "bookinfo") {
		t.Errorf("--run did not filter:\n%s", out)
	}
}

// The same output whatever the number of cores: scenarios run in parallel, lines come in path order.
func TestTestOutputOnAnyCores(t *testing.T) {
	sameOnAnyCores(t, func() string {
		out, _, _ := runCLI(t, "test", "../../scenarios", "../../scenarios/testdata/failing", "-n", "20000", "-v")
		return stable(out)
	})
}

// Searching a folder: scenario files are found recursively in path order; other YAML is skipped;
// folders named testdata or starting with . or _ are not searched; a broken scenario fails rather
// than vanishing; a scenario without expectations is decided by the run verdict.
func TestTestDiscovery(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile("../../scenarios/bookinfo-80-20.yaml")
	failing, _ := os.ReadFile("../../scenarios/testdata/failing/bookinfo-expects-90-10.yaml")
	plain := strings.NewReplacer("  expect:", "  unused:", "name: bookinfo-80-20", "name: plain").Replace(string(good))
	plain = plain[:strings.Index(plain, "  unused:")] + plain[strings.Index(plain, "---"):]
	vsOnly := string(good[strings.Index(string(good), "---")+4:])
	for name, content := range map[string]string{
		"b/one.yaml":              string(good),
		"a/plain.yml":             plain,
		"a/vs-only.yaml":          vsOnly,
		"a/notes.txt":             "kind: Scenario",
		"c/broken.yaml":           "apiVersion: splitsim.dev/v1alpha1\nkind: Scenario\nspec: [\n",
		"testdata/fails.yaml":     string(failing),
		".hidden/fails.yaml":      string(failing),
		"_skip/fails.yaml":        string(failing),
		"b/testdata/x/fails.yaml": string(failing),
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := runCLI(t, "test", dir, "-n", "10000")
	if code != 2 {
		t.Fatalf("exit %d, want 2 for the broken scenario (stderr %q)\n%s", code, errOut, out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^ok    plain           \d+\.\d\ds  \(no expectations\)$`),
		regexp.MustCompile(`^ok    bookinfo-80-20  \d+\.\d\ds$`),
		regexp.MustCompile(`^FAIL  broken          \d+\.\d\ds  .*c/broken.yaml: input error$`),
		regexp.MustCompile(`^      .*c/broken.yaml: document 1: `),
		regexp.MustCompile(`^2 passed, 1 failed$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d %q does not match %s", i, lines[i], re)
		}
	}
	// A skipped folder runs when named.
	if _, _, code := runCLI(t, "test", filepath.Join(dir, "testdata")); code != 1 {
		t.Errorf("naming a testdata folder: exit %d, want 1", code)
	}
	// The scenario without expectations gives one JUnit test case, the run verdict.
	junit := filepath.Join(dir, "junit.xml")
	if _, errOut, code := runCLI(t, "test", filepath.Join(dir, "a"), "--junit", junit); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if j := readJUnit(t, junit); j.Tests != 1 || j.Suites[0].Cases[0].Name != "run verdict" {
		t.Errorf("JUnit %+v", j)
	}
}

// Usage and input errors exit 2: an expectation naming something that does not exist fails the
// scenario with the file, line and field, never a silent pass.
func TestTestInputErrors(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile("../../scenarios/bookinfo-80-20.yaml")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	typo := write("typo.yaml", strings.Replace(string(good), "- host: reviews", "- host: reveiws", 1))
	dest := write("dest.yaml", strings.Replace(string(good), "{v1: 80, v2: 20}", "{v1: 80, v4: 20}", 1))
	plan := write("plan.yaml", strings.Replace(string(good), "    splits:", "    plan: {steps: [10, 50]}\n    splits:", 1))
	noPlan := write("noplan.yaml", strings.Replace(string(good), "    splits:", "    plan: {rps: 20}\n    splits:", 1))
	// The Rollout beside the scenarios: spec.config names only files under the scenario's folder.
	rollout, _ := os.ReadFile("../../scenarios/plans/argo-rollout.yaml")
	argo := filepath.Base(write("argo-rollout.yaml", string(rollout)))
	argoScenario := func(name, body string) string {
		return write(name, "apiVersion: splitsim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: "+strings.TrimSuffix(name, ".yaml")+"}\nspec:\n  config: ["+argo+"]\n"+body)
	}
	noRPS := argoScenario("norps.yaml", "  expect:\n    plan:\n      requirePower: 0.8\n")
	noStep := argoScenario("nostep.yaml", "  expect:\n    plan:\n      rps: 20\n      detectBy: 9\n")
	twoPlans := argoScenario("twoplans.yaml", "  plan:\n    stable: {subset: stable}\n    canary: {subset: canary}\n    steps: [{weight: 5, duration: 10m}]\n  expect:\n    plan: {rps: 20}\n")
	sameRates := argoScenario("rates.yaml", "  expect:\n    plan: {rps: 20, baselineErrorRate: 0.02}\n")
	copyOfGood := write("good.yaml", string(good))
	vs := write("vs.yaml", string(good[strings.Index(string(good), "---")+4:]))
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	for _, tc := range []struct {
		name   string
		args   []string
		stdout []string
		stderr []string
	}{
		{"unknown host", []string{"test", typo}, []string{"FAIL  bookinfo-80-20", "typo.yaml: input error",
			"typo.yaml:11: document 1 (Scenario bookinfo-80-20): spec.expect.splits[0].host: no host \"reveiws\" in the run (hosts: reviews)",
			"0 passed, 1 failed"}, nil},
		{"unknown destination", []string{"test", dest}, []string{"spec.expect.splits[0].shares.v4: host reviews has no destination \"v4\""}, nil},
		{"plan unknown field", []string{"test", plan}, []string{"plan.yaml:10: document 1 (Scenario bookinfo-80-20): spec.expect.plan.steps: unknown field \"steps\""}, nil},
		{"plan without a plan", []string{"test", noPlan}, []string{"noplan.yaml:10: document 1 (Scenario bookinfo-80-20): spec.expect.plan: the scenario has no canary plan to check: give a native spec.plan, or name a file with an Argo Rollouts Rollout or a Flagger Canary in spec.config"}, nil},
		{"plan without rps", []string{"test", noRPS}, []string{"norps.yaml:7: document 1 (Scenario norps): spec.expect.plan.rps: required: the plan does not give the requests per second"}, nil},
		{"plan step out of range", []string{"test", noStep}, []string{"nostep.yaml:9: document 1 (Scenario nostep): spec.expect.plan.detectBy: the plan has no step 9 (steps 1 to 6)"}, nil},
		{"two plans", []string{"test", twoPlans}, []string{"twoplans.yaml:11: document 1 (Scenario twoplans): spec.expect.plan: the scenario's inputs hold more than one canary plan (Scenario twoplans (", "Rollout rollouts-demo ("}, nil},
		{"plan error rates equal after defaults", []string{"test", sameRates}, []string{"rates.yaml:7: document 1 (Scenario rates): spec.expect.plan: detect error rate must differ from the baseline error rate (both 0.02)"}, nil},
		{"missing path", []string{"test", filepath.Join(dir, "nope")}, nil, []string{"nope: no such file"}},
		{"no scenarios", []string{"test", empty}, nil, []string{"no scenario files"}},
		{"not a scenario", []string{"test", vs}, nil, []string{"vs.yaml: no scenario in this file"}},
		{"run matches nothing", []string{"test", "../../scenarios", "--run", "^nothing$"}, nil, []string{"--run \"^nothing$\" matches none of the "}},
		{"bad regex", []string{"test", "../../scenarios", "--run", "("}, nil, []string{"--run: error parsing regexp"}},
		{"bad alpha", []string{"test", "../../scenarios", "--alpha", "0"}, nil, []string{"--alpha must be between 0 and 1"}},
		{"junit over an input", []string{"test", copyOfGood, "--junit", copyOfGood}, nil, []string{"refusing to write over an input file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)\n%s", code, errOut, out)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout does not contain %q:\n%s", w, out)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine") {
				t.Errorf("stack trace: %s", errOut)
			}
		})
	}
	if b, _ := os.ReadFile(copyOfGood); string(b) != string(good) {
		t.Error("input file changed")
	}
}

// Plan requirements (spec.expect.plan) are checked on the plan the scenario's inputs hold, evaluated
// as splitsim plan evaluates it: a Flagger Canary that generates its VirtualService needs no route
// simulation; route expectations and plan requirements of one scenario are both checked, routes
// first; the Rollout a scenario checks is not reported as a skipped document; --alpha reaches the
// plan's tests.
func TestTestPlanRequirements(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A copy of a bundled plan beside the scenarios, named as their spec.config names it (only files
	// under the scenario's folder are read).
	beside := func(p string) string {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Base(write(filepath.Base(p), string(data)))
	}
	head := func(name string) string {
		return "apiVersion: splitsim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: " + name + "}\nspec:\n"
	}
	flagger := write("flagger.yaml", head("flagger")+"  config: ["+beside("../../scenarios/plans/flagger-canary.yaml")+"]\n"+
		"  expect:\n    plan: {rps: 50, maxDuration: 10m, detectBy: 5m}\n")
	native, err := os.ReadFile("../../scenarios/plans/native-plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mixed := write("mixed.yaml", strings.Replace(string(native), "  expect:\n    plan:\n",
		"  expect:\n    splits: [{host: reviews, rule: primary, shares: {v1: 100}}]\n    plan:\n", 1))
	argoMixed := write("argo-mixed.yaml", head("argo-mixed")+"  config: ["+beside("../../scenarios/plans/argo-rollout.yaml")+"]\n"+
		"  expect:\n    splits: [{host: rollouts-demo, shares: {stable: 100}}]\n    plan: {rps: 200, requirePower: 0.8}\n")

	out, errOut, code := runCLI(t, "test", flagger, "-v", "-o", "text")
	if code != 1 {
		t.Fatalf("flagger: exit %d (stderr %q)\n%s", code, errOut, out)
	}
	for _, want := range []string{
		"    ok   plan: rollout within 10m\n         expected: the rollout takes at most 10m, assumed durations included\n         observed: 6m over 6 steps\n",
		"    FAIL plan: detection by 5m\n",
		"no step that ends by 5m reaches power 0.8 to detect an error-rate rise from 1% to 2% (alpha 0.001): step 0 (ends at 1m) 0.10, step 1 (ends at 2m) 0.15, step 2 (ends at 3m) 0.17, step 3 (ends at 4m) 0.17, step 4 (ends at 5m) 0.15; no step of the plan reaches power 0.8",
		// No step of the plan can detect a broken canary before promotion: never-detects.
		"    FAIL plan: no error findings\n         expected: no error finding\n         observed: 1 error, 5 warnings\n",
		"0 passed, 1 failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("flagger: output does not contain %q:\n%s", want, out)
		}
	}

	junit := filepath.Join(dir, "junit.xml")
	out, errOut, code = runCLI(t, "test", mixed, argoMixed, "-v", "--junit", junit)
	if code != 0 {
		t.Fatalf("mixed: exit %d (stderr %q)\n%s", code, errOut, out)
	}
	j := readJUnit(t, junit)
	var names []string
	for _, s := range j.Suites {
		for _, c := range s.Cases {
			names = append(names, s.Name+": "+c.Name)
		}
	}
	want := []string{
		"argo-mixed: split host rollouts-demo rule primary", "argo-mixed: plan: every step reaches power 0.8", "argo-mixed: plan: no error findings",
		"reviews-canary: split host reviews rule primary", "reviews-canary: plan: detection by 45m", "reviews-canary: plan: rollout within 3h",
		"reviews-canary: plan: at most 200 failed requests before detection", "reviews-canary: plan: no error findings",
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") || j.Failures != 0 {
		t.Errorf("JUnit cases (failures %d):\n%s\nwant:\n%s", j.Failures, strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(out, "kind not used") || strings.Contains(out, "warning:") && strings.Contains(out, "Rollout") {
		t.Errorf("the checked Rollout is reported as skipped:\n%s", out)
	}

	// --alpha reaches the plan's tests unless spec.expect.plan.alpha is given; -o json carries
	// the plan checks.
	out, _, _ = runCLI(t, "test", "../../scenarios/plans/argo-rollout-requirements.yaml", "--alpha", "0.05", "-o", "json")
	var res struct {
		Scenarios []struct {
			Name     string
			Requests int64
			Alpha    float64
			Checks   []struct {
				Name, Kind, Host, Rule, Expected string
				Verdict                          string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	sc := res.Scenarios[0]
	if sc.Name != "argo-rollout-plan" || sc.Alpha != 0.05 || sc.Requests != 360000 || len(sc.Checks) != 5 {
		t.Fatalf("json %+v", sc)
	}
	for _, c := range sc.Checks {
		if c.Kind != "plan" || c.Host != "rollouts-demo" || c.Rule != "primary" || c.Verdict != "pass" {
			t.Errorf("check %+v", c)
		}
	}
	if !strings.Contains(sc.Checks[0].Expected, "(alpha 0.05) at 200 rps") {
		t.Errorf("expected %q", sc.Checks[0].Expected)
	}
}
