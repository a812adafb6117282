package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
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
