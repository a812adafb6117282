package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyWalkthroughInputs runs the README walkthrough's observations against its
// configuration, whose destinations name no port (Envoy's clusters outbound|9080|v1|reviews...
// match by subset and host): Envoy's counters, the access log, and the access log
// gzip-compressed. Each passes (exit 0) with the counts the inputs hold.
func TestVerifyWalkthroughInputs(t *testing.T) {
	const config = "../../examples/verify/reviews-70-30.yaml"
	log, err := os.ReadFile("../../examples/verify/access.log")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(log)
	zw.Close()
	gzFile := filepath.Join(t.TempDir(), "access.log.gz")
	if err := os.WriteFile(gzFile, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		args   []string
		v1, v2 float64
	}{
		{"envoy counters", []string{"--observed", "../../examples/verify/after.prom", "--metric", "envoy_cluster_upstream_rq_total"}, 7015, 2983},
		{"envoy counters, window", []string{"--observed", "../../examples/verify/after.prom", "--before", "../../examples/verify/before.prom",
			"--metric", "envoy_cluster_upstream_rq_completed"}, 7015, 2983},
		{"access log", []string{"--observed", "../../examples/verify/access.log"}, 643, 260},
		{"access log, gzip", []string{"--observed", gzFile}, 643, 260},
		{"access log, matched", []string{"--observed", "../../examples/verify/access.log", "--match", "method=GET", "--match", `response_code=~"2.."`}, 643, 260},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, code := verifyJSON(t, append([]string{"--config", config}, tt.args...)...)
			if code != 0 {
				t.Errorf("exit %d, want 0", code)
			}
			d := v["destinations"].([]any)
			if c1, c2 := d[0].(map[string]any)["count"], d[1].(map[string]any)["count"]; c1 != tt.v1 || c2 != tt.v2 {
				t.Errorf("counts %v %v, want %v %v", c1, c2, tt.v1, tt.v2)
			}
		})
	}
}

// TestVerifySequentialQueryRange reads a saved /api/v1/query_range answer of the counters (the
// JSON of prometheus/prometheus web/api/v1/api.go, one [time, "value"] pair per step) as a series:
// one look per step, each the counters' increase since the step before.
func TestVerifySequentialQueryRange(t *testing.T) {
	var v1, v2 strings.Builder
	for i := range 11 {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&v1, `%s[%d,"%d"]`, sep, 1714557600+60*i, 7000*i)
		fmt.Fprintf(&v2, `%s[%d,"%d"]`, sep, 1714557600+60*i, 3000*i+i%2)
	}
	answer := `{"status":"success","data":{"resultType":"matrix","result":[` +
		`{"metric":{"__name__":"istio_requests_total","destination_version":"v1"},"values":[` + v1.String() + `]},` +
		`{"metric":{"__name__":"istio_requests_total","destination_version":"v2"},"values":[` + v2.String() + `]}]}}`
	file := filepath.Join(t.TempDir(), "range.json")
	if err := os.WriteFile(file, []byte(answer), 0o644); err != nil {
		t.Fatal(err)
	}
	v, code := verifyJSON(t, "--weights", "v1=70,v2=30", "--observed", file, "--sequential")
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	seq, _ := v["sequential"].(map[string]any)
	if looks, _ := seq["looks"].([]any); len(looks) != 10 {
		t.Errorf("%d looks, want one per step after the first (10): %v", len(looks), seq)
	}
}
