package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
)

// Acceptance: the diff of the bookinfo 80/20 and 50/50 files reports v1 80% -> 50% and v2 20% -> 50%.
func TestDiffBookinfo(t *testing.T) {
	args := []string{"diff", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/bookinfo-50-50.yaml", "-n", "100000"}
	out, errOut, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.CheckString(t, "diff/bookinfo-80-20-50-50.txt", out)
	for _, w := range []string{"reviews #0 v1: 80% -> 50% (-30 pp)", "reviews #0 v2: 20% -> 50% (+30 pp)"} {
		if !strings.Contains(out, w) {
			t.Errorf("output does not contain %q:\n%s", w, out)
		}
	}
	out, _, code = runCLI(t, append(args, "-o", "json")...)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var d struct {
		Verdict     string
		MaxChangePP float64 `json:"max_change_pp"`
		Moves       []struct {
			Destination string
			OldExact    float64 `json:"old_exact"`
			NewExact    float64 `json:"new_exact"`
			ChangePP    float64 `json:"change_pp"`
		}
		Hosts []struct {
			Rules []struct {
				Destinations []struct {
					Name         string
					OldSimulated float64 `json:"old_simulated"`
					NewSimulated float64 `json:"new_simulated"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Verdict != "pass" || d.MaxChangePP != 30 || len(d.Moves) != 2 {
		t.Fatalf("diff %+v", d)
	}
	got := map[string][2]float64{}
	for _, m := range d.Moves {
		got[m.Destination] = [2]float64{m.OldExact, m.NewExact}
	}
	if got["v1"] != [2]float64{0.8, 0.5} || got["v2"] != [2]float64{0.2, 0.5} {
		t.Errorf("moves %v", got)
	}
	for _, dd := range d.Hosts[0].Rules[0].Destinations {
		old, nw := map[string]float64{"v1": 0.8, "v2": 0.2}[dd.Name], 0.5
		if dd.OldSimulated < old-0.01 || dd.OldSimulated > old+0.01 || dd.NewSimulated < nw-0.01 || dd.NewSimulated > nw+0.01 {
			t.Errorf("%s simulated %v -> %v", dd.Name, dd.OldSimulated, dd.NewSimulated)
		}
	}
}

// --fail-on-change PP: exit 1 when an exact share moves by more than PP points.
func TestDiffFailOnChange(t *testing.T) {
	base := []string{"diff", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/bookinfo-50-50.yaml", "-n", "1000"}
	for _, tc := range []struct {
		pp   string
		code int
	}{{"10", 1}, {"29.9", 1}, {"30", 0}, {"50", 0}} {
		out, errOut, code := runCLI(t, append(base, "--fail-on-change", tc.pp)...)
		if code != tc.code {
			t.Errorf("--fail-on-change %s: exit %d, want %d (%s)", tc.pp, code, tc.code, errOut)
		}
		if !strings.Contains(out, "verdict: ") {
			t.Errorf("no verdict line:\n%s", out)
		}
	}
	if _, _, code := runCLI(t, "diff", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/bookinfo-80-20.yaml", "-n", "1000", "--fail-on-change", "0"); code != 0 {
		t.Errorf("identical files: exit %d", code)
	}
	for _, args := range [][]string{
		{"diff", "../../scenarios/bookinfo-80-20.yaml"},
		{"diff", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/bookinfo-50-50.yaml", "--fail-on-change", "-1"},
		{"diff", "../../scenarios/bookinfo-80-20.yaml", filepath.Join(t.TempDir(), "nope.yaml")},
	} {
		if out, _, code := runCLI(t, args...); code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %q", args, code, out)
		}
	}
}

// With scenario traffic on both sides, each request class is compared too.
func TestDiffClasses(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../scenarios/header-jason.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "traffic:") {
		t.Skip("header-jason has no traffic section")
	}
	changed := strings.Replace(string(src), "subset: v2", "subset: v3", 1)
	newFile := filepath.Join(dir, "new.yaml")
	if err := os.WriteFile(newFile, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "diff", "../../scenarios/header-jason.yaml", newFile, "-n", "10000", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d struct {
		Classes []struct {
			Class        string
			Destinations []struct{ Name, Change string }
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Classes) == 0 {
		t.Fatalf("no classes compared:\n%s", out)
	}
	moved := false
	for _, c := range d.Classes {
		for _, dd := range c.Destinations {
			if dd.Name == "v3" && dd.Change == "added" {
				moved = true
			}
		}
	}
	if !moved {
		t.Errorf("no class moved to v3:\n%s", out)
	}
}
