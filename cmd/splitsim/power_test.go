package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
)

// powerJSON runs splitsim power -o json with args and decodes the result.
func powerJSON(t *testing.T, args ...string) (map[string]any, int) {
	t.Helper()
	out, errOut, code := runCLI(t, append(append([]string{"power"}, args...), "-o", "json")...)
	var p map[string]any
	if code == exitPass {
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatalf("not JSON (%v): %s%s", err, out, errOut)
		}
	}
	return p, code
}

// TestPowerGoldens pins the text of splitsim power: the requests needed, the power there and how it
// was computed, the verdict's test, Cohen's w, and weight-0 destinations.
func TestPowerGoldens(t *testing.T) {
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"70-30-to-71-29.txt", []string{"--weights", "70,30", "--detect", "71,29"}},
		{"70-30-to-71-29-alpha-0.05.txt", []string{"--weights", "70,30", "--detect", "71,29", "--alpha", "0.05"}},
		{"90-10-to-80-20-n-100.txt", []string{"--weights", "90,10", "--detect", "80,20", "-n", "100"}},
		{"97-1-1-1-to-94-2-2-2.txt", []string{"--weights", "97,1,1,1", "--detect", "94,2,2,2"}},
		{"weight-0.txt", []string{"--weights", "70,30,0", "--detect", "70,29,1"}},
		{"weight-0.json", []string{"--weights", "70,30,0", "--detect", "70,29,1", "-o", "json"}},
		{"exact-test.txt", []string{"--weights", "98,1,1", "--detect", "94,4,2", "--alpha", "0.01"}},
	} {
		t.Run(c.golden, func(t *testing.T) {
			out, errOut, code := runCLI(t, append([]string{"power"}, c.args...)...)
			if code != exitPass {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden.CheckString(t, "power/"+c.golden, out)
		})
	}
}

// TestPowerReferenceFigures: the required N of the verdict's test, found by computing its exact power
// at every N (stats/testdata/gen_power.py checks the same figures with scipy): 35,622 requests at the
// default alpha 0.001 to tell 71/29 from 70/30, 16,299 at alpha 0.05, where the noncentral
// chi-square said 16,483 (stats.RequiredN keeps that figure).
func TestPowerReferenceFigures(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		wantN float64
		alpha float64
	}{
		{"default alpha 0.001 (issue 16)", []string{"--weights", "70,30", "--detect", "71,29"}, 35622, 0.001},
		{"alpha 0.05", []string{"--weights", "70,30", "--detect", "71,29", "--alpha", "0.05", "--power", "0.8"}, 16299, 0.05},
		{"90/10 to 80/20", []string{"--weights", "90,10", "--detect", "80,20"}, 170, 0.001},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, code := powerJSON(t, c.args...)
			if code != exitPass {
				t.Fatalf("exit %d", code)
			}
			if p["required_requests"].(float64) != c.wantN || p["alpha"].(float64) != c.alpha || p["power_method"] != "exact" || p["test"] != "pearson" {
				t.Errorf("required_requests %v alpha %v power_method %v test %v; want %v, %v, exact, pearson", p["required_requests"], p["alpha"], p["power_method"], p["test"], c.wantN, c.alpha)
			}
			if a := p["achieved_power"].(float64); a < 0.8 || a > 0.81 {
				t.Errorf("achieved power %v", a)
			}
		})
	}
}

// TestPowerWeightZeroDestination is the issue 19 example: --detect sends 1% to a destination of weight
// 0. Before, the text said w = +Inf, -o json failed with "unsupported value: +Inf", and -n never
// returned. Now any request there is a definite violation, the power counts it, and every number is
// finite.
func TestPowerWeightZeroDestination(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want func(p map[string]any) bool
	}{
		{"required N", []string{"--weights", "70,30,0", "--detect", "70,29,1"}, func(p map[string]any) bool {
			return p["required_requests"].(float64) == 161 && p["zero_weight_share"].(float64) == 0.01 && p["power_method"] == "exact"
		}},
		{"power at 100 requests", []string{"--weights", "70,30,0", "--detect", "70,29,1", "-n", "100"}, func(p map[string]any) bool {
			pw := p["power"].(float64)
			return pw >= 1-math.Pow(0.99, 100) && pw < 0.7 && p["requests"].(float64) == 100
		}},
		{"power at 10^9 requests", []string{"--weights", "70,30,0", "--detect", "70,29,1", "-n", "1000000000"}, func(p map[string]any) bool {
			return p["power"].(float64) == 1
		}},
		{"only a weight-0 destination to detect", []string{"--weights", "100,0", "--detect", "99,1"}, func(p map[string]any) bool {
			return p["required_requests"].(float64) == 161 && p["test"] == "violation"
		}},
		{"every request to a weight-0 destination", []string{"--weights", "1,1,0", "--detect", "0,0,1"}, func(p map[string]any) bool {
			return p["required_requests"].(float64) == 1 && p["achieved_power"].(float64) == 1
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, code := powerJSON(t, c.args...)
			if code != exitPass {
				t.Fatalf("exit %d", code)
			}
			if !c.want(p) {
				t.Errorf("unexpected result %v", p)
			}
			for k, v := range p {
				if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
					t.Errorf("%s = %v", k, f)
				}
			}
		})
	}
	text, _, _ := runCLI(t, "power", "--weights", "70,30,0", "--detect", "70,29,1")
	if !strings.Contains(text, "any request there fails the verdict for certain (a definite violation)") || strings.Contains(text, "Inf") {
		t.Errorf("text %q", text)
	}
}

// TestPowerErrors: nothing to detect, a split of one destination, a deviation too small for 2^53 requests (the most verify tests)
// requests, mismatched lengths and an unknown method are errors (exit 2), never a hang.
func TestPowerErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"nothing to detect", []string{"--weights", "70,30", "--detect", "70,30"}, "nothing to detect"},
		{"one destination", []string{"--weights", "1", "--detect", "1"}, "no split to test"},
		{"too small", []string{"--weights", "50,50", "--detect", "50.00000005,49.99999995"}, "no number of requests up to 2^53 (9,007,199,254,740,992, the most verify tests) reaches power 0.8"},
		{"lengths", []string{"--weights", "50,50", "--detect", "50,40,10"}, "--weights has 2 entries and --detect 3"},
		{"method", []string{"--weights", "50,50", "--detect", "60,40", "--method", "g"}, "unknown method"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, append([]string{"power"}, c.args...)...)
			if code != exitUsage || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d with %q", code, errOut, exitUsage, c.want)
			}
		})
	}
}
