package main

import (
	"math"
	"strings"
	"testing"
)

// The issue 19 examples of verify, in text and JSON: each gives the right answer now.
func TestVerifyIssue19Examples(t *testing.T) {
	ones := strings.TrimSuffix(strings.Repeat("1,", 19), ",")
	zeros := strings.TrimSuffix(strings.Repeat("0,", 18), ",")
	for _, c := range []struct {
		name     string
		args     []string
		code     int
		method   string
		decided  string // the check the verdict rests on (JSON decided_by, issue 16)
		reason   string // in the JSON reason and the text verdict line
		checkDst func(t *testing.T, ds []any)
	}{
		{
			// A correct 99/1 split sends 1 or more of 6 requests to the 1% destination 5.9% of the time:
			// Wilson bounds failed it at alpha 0.001; the exact tolerance test's p is 6.4% (at 1.1%).
			name: "tolerance: 5,1 against 99,1 within 0.1 points passes",
			args: []string{"--weights", "99,1", "--counts", "5,1", "--tolerance", "0.1"},
			code: exitPass, method: "exact", decided: "tolerance",
			reason: "no share is shown to be off by more than 0.1 percentage points (exact tolerance test",
			checkDst: func(t *testing.T, ds []any) {
				tol := ds[1].(map[string]any)["tolerance"].(map[string]any)
				if p := tol["p_value"].(float64); math.Abs(p-(1-math.Pow(0.989, 6))) > 1e-12 {
					t.Errorf("tolerance p %v, want 1 - 0.989^6", p)
				}
			},
		},
		{
			name: "tolerance: 2 points off at 10^7 requests fails",
			args: []string{"--weights", "50,50", "--counts", "5200000,4800000", "--tolerance", "0.5"},
			code: exitFail, method: "pearson", decided: "tolerance",
			reason: "off by more than 0.5 percentage points (exact tolerance test",
		},
		{
			// 20 destinations, 1000,0,...,0,1000 against 1,...,1,1000: the Monte Carlo estimate could not
			// go below about 1e-5 and passed at alpha 1e-6; the counting bound rejects.
			name: "exact test at alpha 1e-6 rejects",
			args: []string{"--weights", ones + ",1000", "--counts", "1000," + zeros + ",1000", "--alpha", "1e-6"},
			code: exitFail, method: "exact-bound", decided: "exact-bound",
			reason: "exact-bound test rejects the configured split",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, code := verifyJSON(t, c.args...)
			if code != c.code || v["method"] != c.method || v["decided_by"] != c.decided || !strings.Contains(v["reason"].(string), c.reason) {
				t.Errorf("exit %d method %v decided by %v reason %q; want exit %d, method %s, decided by %s, reason with %q", code, v["method"], v["decided_by"], v["reason"], c.code, c.method, c.decided, c.reason)
			}
			if c.checkDst != nil {
				c.checkDst(t, v["destinations"].([]any))
			}
			text, _, code := runCLI(t, append([]string{"verify"}, c.args...)...)
			if code != c.code || !strings.Contains(text, c.reason) {
				t.Errorf("text exit %d, want %d with %q:\n%s", code, c.code, c.reason, text)
			}
		})
	}
}

// Counts whose sum passes 2^63 are refused (exit 2), never wrapped to a negative total that passes;
// so are totals past 2^53, where a float64 no longer holds every count (the binomial p-value of
// 10^16,1 against 50/50 was NaN: 10^NaN in text, "json: unsupported value: -Inf" in JSON).
func TestVerifyCountOverflow(t *testing.T) {
	for _, counts := range []string{"9223372036854775807,1", "4611686018427387904,4611686018427387904",
		"10000000000000000,1", "9007199254740992,1"} {
		t.Run(counts, func(t *testing.T) {
			_, errOut, code := runCLI(t, "verify", "--weights", "70,30", "--counts", counts)
			if code != exitUsage || errOut == "" {
				t.Errorf("exit %d, stderr %q; want exit %d with an error", code, errOut, exitUsage)
			}
		})
	}
}

// At the largest total taken, 2^53, every p-value is a number and the verdict is right, in JSON.
func TestVerifyLargestTotal(t *testing.T) {
	for _, c := range []struct {
		counts string
		code   int
	}{
		{"9007199254740991,1", exitFail},
		{"4503599627370496,4503599627370496", exitPass},
	} {
		t.Run(c.counts, func(t *testing.T) {
			v, code := verifyJSON(t, "--weights", "50,50", "--counts", c.counts)
			if code != c.code {
				t.Fatalf("exit %d, want %d", code, c.code)
			}
			for _, d := range v["destinations"].([]any) {
				d := d.(map[string]any)
				for _, k := range []string{"p_value", "log10_p", "p_adjusted"} {
					if _, ok := d[k].(float64); !ok {
						t.Errorf("%s %s = %v, want a number", d["name"], k, d[k])
					}
				}
			}
		})
	}
}
