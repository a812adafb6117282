package main

import (
	"bytes"
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
			Name     string
			OldExact float64 `json:"old_exact"`
			NewExact float64 `json:"new_exact"`
			ChangePP float64 `json:"change_pp"`
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
		got[m.Name] = [2]float64{m.OldExact, m.NewExact}
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

// diffConfigs are a 70/30 catch-all, and the same with a header rule added above it.
const (
	diffDR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
`
	diffCatchAll = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 70}
    - {destination: {host: reviews, subset: v2}, weight: 30}
`
	diffWithHeader = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match:
    - headers: {end-user: {exact: jason}}
    route:
    - destination: {host: reviews, subset: v3}
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 70}
    - {destination: {host: reviews, subset: v2}, weight: 30}
`
)

// Acceptance (issue 16): a header rule added above an unchanged 70/30 catch-all reports the
// catch-all unchanged, though its index moved from #0 to #1, and the header rule added. Both sides
// take what run takes: files, folders and - for standard input, with diff OLD NEW or
// diff -f OLD... --against NEW....
func TestDiffPairsRulesByMatch(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	oldFile, newFile := write("old.yaml", diffDR+"---\n"+diffCatchAll), write("new.yaml", diffDR+"---\n"+diffWithHeader)
	write("olddir/dr.yaml", diffDR)
	write("olddir/vs/reviews.yaml", diffCatchAll)
	newDR, newVS := write("newdr.yaml", diffDR), write("newvs.yaml", diffWithHeader)
	write("empty/notes.txt", "no YAML here")
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
	}{
		{"OLD NEW", []string{oldFile, newFile}, ""},
		{"folders", []string{filepath.Join(dir, "olddir"), newFile}, ""},
		{"standard input as the new side", []string{oldFile, "-"}, diffDR + "---\n" + diffWithHeader},
		{"-f OLD --against NEW...", []string{"-f", oldFile, "--against", newDR, "--against", newVS}, ""},
		{"-f folder --against -", []string{"-f", filepath.Join(dir, "olddir") + "/", "--against", "-"}, diffDR + "---\n" + diffWithHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o, e bytes.Buffer
			code := runIn(append([]string{"diff", "-n", "10000", "-o", "json"}, tc.args...), strings.NewReader(tc.stdin), &o, &e)
			if code != exitPass {
				t.Fatalf("exit %d: %s", code, e.String())
			}
			var d struct {
				Hosts []struct {
					Host  string
					Rules []struct {
						Rule, Change string
						Destinations []struct{ Name, Change string }
					}
				}
			}
			if err := json.Unmarshal(o.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			if len(d.Hosts) != 1 || len(d.Hosts[0].Rules) != 2 {
				t.Fatalf("hosts %+v", d.Hosts)
			}
			catchAll, header := d.Hosts[0].Rules[0], d.Hosts[0].Rules[1]
			if catchAll.Rule != "#1 (was #0)" || catchAll.Change != "" {
				t.Errorf("catch-all %+v, want #1 (was #0) unchanged", catchAll)
			}
			for _, dd := range catchAll.Destinations {
				if dd.Change != "" {
					t.Errorf("catch-all destination %s %s, want unchanged", dd.Name, dd.Change)
				}
			}
			if header.Rule != "#0" || header.Change != "added" {
				t.Errorf("header rule %+v, want #0 added", header)
			}
		})
	}
	out, errOut, code := runCLI(t, "diff", oldFile, newFile, "-n", "10000")
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"rule #1 (was #0): forward", "rule #0 (added): forward", "reviews #0 v3: 0% -> 100% (+100 pp)"} {
		if !strings.Contains(out, w) {
			t.Errorf("text output lacks %q:\n%s", w, out)
		}
	}
	for _, args := range [][]string{
		{"diff", "-f", oldFile},
		{"diff", "--against", newFile},
		{"diff", "-f", oldFile, "--against", newFile, oldFile},
		{"diff", oldFile, newFile, oldFile},
		{"diff", "-f", filepath.Join(dir, "empty"), "--against", newFile},
	} {
		if out, errOut, code := runCLI(t, args...); code != exitUsage || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and a message", args, code, out, errOut)
		}
	}
}
