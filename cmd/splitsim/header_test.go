package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// Every JSON output starts with the header {tool, kind, version, schema_version}, and `splitsim
// report` gives back a saved result with its header unchanged.
func TestEveryJSONOutputHasTheHeader(t *testing.T) {
	dir := t.TempDir()
	saved := func(name string) string { return filepath.Join(dir, name) }
	for _, tc := range []struct {
		kind result.Kind
		args []string
	}{
		{result.KindRun, []string{"run", "../../scenarios/bookinfo-80-20.yaml", "-n", "1000", "--json", saved("run.json")}},
		{result.KindExplain, []string{"explain", "../../scenarios/bookinfo-80-20.yaml", "--host", "reviews", "--random", "7"}},
		{result.KindVerify, []string{"verify", "--weights", "70,30", "--counts", "700,300", "--json", saved("verify.json")}},
		{result.KindPower, []string{"power", "--weights", "70,30", "--detect", "71,29"}},
		{result.KindPlan, []string{"plan", "../../scenarios/plans/argo-rollout.yaml", "--rps", "20", "--json", saved("plan.json")}},
		{result.KindTest, []string{"test", "../../scenarios/bookinfo-80-20.yaml", "-n", "1000"}},
		{result.KindLint, []string{"lint", "../../scenarios/bookinfo-80-20.yaml"}},
		{result.KindDiff, []string{"diff", "../../scenarios/bookinfo-80-20.yaml", "../../scenarios/bookinfo-50-50.yaml", "-n", "1000"}},
		{result.KindRun, []string{"report", saved("run.json")}},
		{result.KindVerify, []string{"report", saved("verify.json")}},
		{result.KindPlan, []string{"report", saved("plan.json")}},
	} {
		t.Run(tc.args[0]+"/"+string(tc.kind), func(t *testing.T) {
			out, errOut, code := runCLI(t, append(tc.args, "-o", "json")...)
			if code == exitUsage {
				t.Fatalf("exit 2: %s", errOut)
			}
			var h result.Header
			if err := json.Unmarshal([]byte(out), &h); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			want := result.NewHeader(tc.kind)
			if h != want {
				t.Errorf("header %+v, want %+v", h, want)
			}
		})
	}
}
