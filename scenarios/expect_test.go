package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/splitsim/splitsim/mesh"
)

func decode(spec string) (*Scenario, error) {
	text := "apiVersion: splitsim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\nspec:\n" + spec
	docs, err := mesh.Split("s.yaml", []byte(text))
	if err != nil {
		return nil, err
	}
	return Decode(docs[0])
}

func TestExpectDecodes(t *testing.T) {
	sc, err := decode(`  traffic:
  - {name: jason, host: reviews, weight: 1}
  expect:
    alpha: 0.01
    splits:
    - {host: reviews, rule: 1, shares: {v1: 80, v2: 20}, tolerance: 1}
    - {rule: "#0"}
    - {rule: default}
    - rule: #2
      tolerance: 1
    responses:
    - {status: 503, max: 0}
    - {host: reviews, rule: x, status: 404, share: 10, tolerance: 1, alpha: 0.05}
    classes:
    - {class: jason, reaches: v2}
    - {class: jason, reaches: [v2, v3], rule: jason}
`)
	if err != nil {
		t.Fatal(err)
	}
	e := sc.Spec.Expect
	if e.Count() != 8 || e.Splits[3].Tolerance == nil || e.Alpha != 0.01 {
		t.Fatalf("count %d alpha %v", e.Count(), e.Alpha)
	}
	var rules []string
	for _, s := range e.Splits {
		rules = append(rules, string(s.Rule))
	}
	if got := strings.Join(rules, "|"); got != "#1|#0|default|" {
		t.Errorf("rules %q", got)
	}
	if *e.Splits[0].Tolerance != 1 || e.Splits[0].Shares["v2"] != 20 || e.Splits[1].Tolerance != nil {
		t.Errorf("split 0 %+v", e.Splits[0])
	}
	if *e.Responses[0].Max != 0 || e.Responses[1].Alpha != 0.05 || *e.Responses[1].Share != 10 {
		t.Errorf("responses %+v", e.Responses)
	}
	if got := strings.Join(e.Classes[1].Reaches, ","); got != "v2,v3" || strings.Join(e.Classes[0].Reaches, ",") != "v2" {
		t.Errorf("reaches %q", got)
	}
	if e.Classes[1].Path != "spec.expect.classes[1]" || e.Splits[2].Path != "spec.expect.splits[2]" {
		t.Errorf("paths %q %q", e.Classes[1].Path, e.Splits[2].Path)
	}
	if err := e.Errorf(e.Splits[0].Path+".host", "boom"); !strings.HasPrefix(err.Error(), "s.yaml:11: document 1 (Scenario s): spec.expect.splits[0].host: boom") {
		t.Errorf("Errorf: %v", err)
	}
	if sc, err := decode("  description: x\n"); err != nil || sc.Spec.Expect.Count() != 0 {
		t.Errorf("no expectations: %v", err)
	}
}

func TestExpectInvalid(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"  expect:\n    plan: {steps: [5, 10]}\n", "s.yaml:7: document 1 (Scenario s): spec.expect.plan.steps: unknown field \"steps\"; plan requirements are rps, users"},
		{"  expect:\n    plan:\n      rps: 20\n      requirePwer: 0.8\n", "s.yaml:9: document 1 (Scenario s): spec.expect.plan.requirePwer: unknown field \"requirePwer\" (did you mean \"requirePower\"?)"},
		{"  expect:\n    plan:\n      rps: fast\n", "s.yaml:8: document 1 (Scenario s): spec.expect.plan.rps: expected a number, got string"},
		{"  expect:\n    plan: 5\n", "spec.expect.plan: expected a mapping of requirements, got number"},
		{"  expect:\n    plan: {rps: -1}\n", "spec.expect.plan.rps: must be a positive number, got -1"},
		{"  expect:\n    plan: {users: 2000000}\n", "spec.expect.plan.users: must be from 1 to 1000000"},
		{"  expect:\n    plan: {userModel: sticky}\n", "spec.expect.plan.userModel: \"sticky\" is not one of even, uniform, zipf"},
		{"  expect:\n    plan: {zipfExponent: 11}\n", "spec.expect.plan.zipfExponent: must be from 0 to 10"},
		{"  expect:\n    plan: {baselineErrorRate: 1.5}\n", "spec.expect.plan.baselineErrorRate: an error rate between 0 and 1"},
		{"  expect:\n    plan: {detectErrorRate: 2}\n", "spec.expect.plan.detectErrorRate: an error rate between 0 and 1"},
		{"  expect:\n    plan: {baselineErrorRate: 0.02, detectErrorRate: 0.02}\n", "spec.expect.plan.detectErrorRate: must differ from baselineErrorRate"},
		{"  expect:\n    plan: {alpha: 1}\n", "spec.expect.plan.alpha: must be between 0 and 1"},
		{"  expect:\n    plan: {requirePower: 1}\n", "spec.expect.plan.requirePower: a power between 0 and 1"},
		{"  expect:\n    plan: {requirePower: 0}\n", "spec.expect.plan.requirePower: a power between 0 and 1"},
		{"  expect:\n    plan: {detectBy: -1}\n", "spec.expect.plan.detectBy: a step index must not be negative"},
		{"  expect:\n    plan: {detectBy: soon}\n", "spec.expect.plan.detectBy: \"soon\" is neither a step index"},
		{"  expect:\n    plan: {detectBy: \"600\"}\n", "spec.expect.plan.detectBy: \"600\" is neither a step index (2 or \"#2\") nor a duration with a unit"},
		{"  expect:\n    plan: {detectBy: \"#x\"}\n", "spec.expect.plan.detectBy: \"#x\" is not a step index"},
		{"  expect:\n    plan: {detectBy: 0s}\n", "spec.expect.plan.detectBy: \"0s\": the duration must be positive"},
		{"  expect:\n    plan: {detectBy: [1]}\n", "spec.expect.plan.detectBy: a step index (2 or \"#2\") or a duration (20m), got [1]"},
		{"  expect:\n    plan: {maxDuration: forever}\n", "spec.expect.plan.maxDuration: \"forever\" is not a duration"},
		{"  expect:\n    plan: {maxDuration: 0}\n", "spec.expect.plan.maxDuration: must be positive"},
		{"  expect:\n    plan: {manualPause: -5}\n", "spec.expect.plan.manualPause: -5 seconds: duration must not be negative"},
		{"  expect:\n    plan: {maxFailedBeforeDetection: -1}\n", "spec.expect.plan.maxFailedBeforeDetection: must be a positive number"},
		{"  expect:\n    plan: {maxUsersBothVersions: 101}\n", "spec.expect.plan.maxUsersBothVersions: a percentage between 0 and 100"},
		{"  expect:\n    plan: {noErrors: maybe}\n", "spec.expect.plan.noErrors: expected true or false, got string"},
		{"  expect:\n    plan: {rps: 20, noErrors: false}\n", "spec.expect.plan.noErrors: nothing to check"},
		{"  expect:\n    alpha: 2\n", "spec.expect.alpha: must be between 0 and 1"},
		{"  expect:\n    splits:\n    - {shares: {v1: 80, v2: 30}}\n", "spec.expect.splits[0].shares: shares add up to 110%, more than 100%"},
		{"  expect:\n    splits:\n    - {shares: {v1: -5}}\n", "spec.expect.splits[0].shares.v1: a share is a percentage between 0 and 100, got -5"},
		{"  expect:\n    splits:\n    - {shares: {v1: 0}}\n", "shares add up to 0%"},
		{"  expect:\n    splits:\n    - {tolerance: -1}\n", "spec.expect.splits[0].tolerance: percentage points between 0 and 100"},
		{"  expect:\n    splits:\n    - {alpha: 1}\n", "spec.expect.splits[0].alpha: must be between 0 and 1"},
		{"  expect:\n    splits:\n    - {rule: 1.5}\n", "a rule is a name"},
		{"  expect:\n    splits:\n    - {wieght: 1}\n", "unknown field \"wieght\""},
		{"  expect:\n    responses:\n    - {status: 503}\n", "spec.expect.responses[0]: give max"},
		{"  expect:\n    responses:\n    - {status: 503, max: 0, share: 1}\n", "give max or share, not both"},
		{"  expect:\n    responses:\n    - {status: 5030, max: 0}\n", "spec.expect.responses[0].status: an HTTP status"},
		{"  expect:\n    responses:\n    - {status: 503, max: 120}\n", "spec.expect.responses[0].max: a share is a percentage"},
		{"  expect:\n    responses:\n    - {status: 503, max: 1, tolerance: 1}\n", "a tolerance goes with share"},
		{"  expect:\n    responses:\n    - {rule: x, status: 503, max: 1}\n", "spec.expect.responses[0].rule: a rule needs its host"},
		{"  expect:\n    classes:\n    - {class: jason, reaches: v2}\n", "no class \"jason\": the scenario has no traffic section"},
		{"  traffic:\n  - {name: a, host: h, weight: 1}\n  expect:\n    classes:\n    - {class: jason, reaches: v2}\n", "no class \"jason\" in spec.traffic (classes: a)"},
		{"  traffic:\n  - {name: a, host: h, weight: 1}\n  expect:\n    classes:\n    - {class: a}\n", "spec.expect.classes[0]: give reaches"},
		{"  traffic:\n  - {name: a, host: h, weight: 1}\n  expect:\n    classes:\n    - {reaches: v1}\n", "spec.expect.classes[0].class: required"},
		{"  traffic:\n  - {name: a, host: h, weight: 1}\n  expect:\n    classes:\n    - {class: a, reaches: {v1: 1}}\n", "want a name or a list of names"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			_, err := decode(tc.spec)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: error %v, want %q", tc.spec, err, tc.want)
			}
		})
	}
}

func TestPlanExpectDecodes(t *testing.T) {
	sc, err := decode(`  expect:
    plan:
      rps: 200
      users: 5000
      userModel: zipf
      zipfExponent: 1.2
      baselineErrorRate: 0.005
      detectErrorRate: 0.01
      alpha: 0.01
      manualPause: 30m
      analysisDuration: 600
      requirePower: 0.9
      detectBy: 20m
      maxDuration: 1h30m
      maxFailedBeforeDetection: 150
      maxUsersBothVersions: 50
`)
	if err != nil {
		t.Fatal(err)
	}
	p := sc.Spec.Expect.Plan
	if p.RPS != 200 || p.Users != 5000 || p.UserModel != "zipf" || p.ZipfExponent != 1.2 || p.BaselineErrorRate != 0.005 ||
		p.DetectErrorRate != 0.01 || p.Alpha != 0.01 || p.ManualPause.D != 30*time.Minute || p.AnalysisDuration.D != 10*time.Minute {
		t.Errorf("assumptions %+v", p)
	}
	if *p.RequirePower != 0.9 || p.DetectBy.IsStep || p.DetectBy.Duration != 20*time.Minute || p.MaxDuration.D != 90*time.Minute ||
		*p.MaxFailedBeforeDetection != 150 || *p.MaxUsersBothVersions != 50 || !p.CheckNoErrors() || p.Path != "spec.expect.plan" {
		t.Errorf("requirements %+v", p)
	}
	// Six checks: five requirements and noErrors (on by default); none of splits, responses, classes.
	if e := sc.Spec.Expect; e.Count() != 6 || e.RouteCount() != 0 || p.Count() != 6 {
		t.Errorf("count %d, route count %d", e.Count(), e.RouteCount())
	}
	for _, tc := range []struct {
		name, spec string
		count      int
		by         string
	}{
		{"noErrors by default", "  expect:\n    plan: {}\n", 1, ""},
		{"detectBy a step index", "  expect:\n    plan: {rps: 20, noErrors: false, detectBy: 2}\n", 1, "step 2"},
		{"detectBy a #index", "  expect:\n    plan: {detectBy: \"#3\"}\n", 2, "step 3"},
		{"detectBy a duration", "  expect:\n    plan: {detectBy: 1h30m}\n", 2, "1h30m"},
		{"null plan", "  expect:\n    plan: null\n", 0, ""},
		{"plan beside splits", "  expect:\n    splits: [{rule: 1}]\n    plan: {noErrors: true}\n", 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := decode(tc.spec)
			if err != nil {
				t.Fatalf("%q: %v", tc.spec, err)
			}
			e := sc.Spec.Expect
			if e.Plan.Count() != tc.count || e.Count() != tc.count+e.RouteCount() {
				t.Errorf("%q: count %d, want %d", tc.spec, e.Plan.Count(), tc.count)
			}
			if tc.by != "" && e.Plan.DetectBy.String() != tc.by {
				t.Errorf("%q: detectBy %q, want %q", tc.spec, e.Plan.DetectBy.String(), tc.by)
			}
		})
	}
}

func TestSharesComplete(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shares map[string]float64
		want   bool
	}{
		{"100", map[string]float64{"a": 80, "b": 20}, true},
		{"99.99 within the slack", map[string]float64{"a": 33.33, "b": 33.33, "c": 33.33}, true},
		{"20", map[string]float64{"a": 20}, false},
		{"none", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SharesComplete(tc.shares); got != tc.want {
				t.Errorf("%v: %v", tc.shares, got)
			}
		})
	}
}

// Decoding any expect section either fails with an error or gives expectations whose paths are set;
// it never panics.
func FuzzExpectDecode(f *testing.F) {
	for _, s := range []string{
		"  expect:\n    splits:\n    - {host: h, rule: 1, shares: {v1: 80, v2: 20}, tolerance: 1}\n",
		"  expect:\n    responses:\n    - {status: 503, max: 0}\n    - {status: 404, share: 1, tolerance: 0.5, alpha: 0.01}\n",
		"  traffic:\n  - {name: a, host: h, weight: 1}\n  expect:\n    classes:\n    - {class: a, reaches: [v1, v2], rule: '#0'}\n",
		"  expect:\n    plan: null\n    alpha: 0.5\n",
		"  expect: {splits: [{rule: null, shares: {}}]}\n",
		"  expect:\n    plan: {rps: 20, requirePower: 0.8, detectBy: 20m, maxDuration: 1h, noErrors: false}\n",
		"  expect:\n    plan: {detectBy: 2, maxUsersBothVersions: 50, manualPause: 10m}\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		sc, err := decode(spec)
		if err != nil || sc.Spec.Expect == nil {
			return
		}
		checkExpectForm(t, sc.Spec.Expect)
	})
}

// checkExpectForm fails t when decoded expectations break what validation promises: paths set,
// and every expectation well formed.
func checkExpectForm(t *testing.T, e *Expect) {
	t.Helper()
	for _, s := range e.Splits {
		if s.Path == "" || s.Tolerance != nil && !(*s.Tolerance >= 0) {
			t.Fatalf("split %+v", s)
		}
	}
	for _, r := range e.Responses {
		if r.Path == "" || (r.Max == nil) == (r.Share == nil) {
			t.Fatalf("response %+v", r)
		}
	}
	for _, c := range e.Classes {
		if c.Path == "" || c.Class == "" || len(c.Reaches) == 0 && c.Rule == "" {
			t.Fatalf("class %+v", c)
		}
	}
	if p := e.Plan; p != nil && !planFormOK(p) {
		t.Fatalf("plan %+v", p)
	}
}

// planFormOK reports whether decoded plan requirements are well formed: a path, something to
// check, a power strictly between 0 and 1, a deadline that is a step or a positive duration, a
// rate that is not negative and a positive maximum duration.
func planFormOK(p *PlanExpectation) bool {
	switch {
	case p.Path == "" || p.Count() == 0:
		return false
	case p.RequirePower != nil && !(*p.RequirePower > 0 && *p.RequirePower < 1):
		return false
	case p.DetectBy != nil && (p.DetectBy.IsStep && p.DetectBy.Step < 0 || !p.DetectBy.IsStep && p.DetectBy.Duration <= 0):
		return false
	}
	return p.RPS >= 0 && !(p.MaxDuration.Set && p.MaxDuration.D <= 0)
}
