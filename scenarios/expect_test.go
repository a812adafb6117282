package scenarios

import (
	"strings"
	"testing"

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
		{"  expect:\n    plan: {steps: [5, 10]}\n", "spec.expect.plan: plan requirements are not supported yet"},
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
		_, err := decode(tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.spec, err, tc.want)
		}
	}
}

func TestSharesComplete(t *testing.T) {
	for _, tc := range []struct {
		shares map[string]float64
		want   bool
	}{
		{map[string]float64{"a": 80, "b": 20}, true},
		{map[string]float64{"a": 33.33, "b": 33.33, "c": 33.33}, true},
		{map[string]float64{"a": 20}, false},
		{nil, false},
	} {
		if got := SharesComplete(tc.shares); got != tc.want {
			t.Errorf("%v: %v", tc.shares, got)
		}
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
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		sc, err := decode(spec)
		if err != nil || sc.Spec.Expect == nil {
			return
		}
		e := sc.Spec.Expect
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
	})
}
