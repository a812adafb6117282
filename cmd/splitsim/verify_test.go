package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
)

func verifyJSON(t *testing.T, args ...string) (map[string]any, int) {
	t.Helper()
	out, errOut, code := runCLI(t, append([]string{"verify", "-o", "json"}, args...)...)
	if code == 2 {
		t.Fatalf("exit 2: %s", errOut)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return v, code
}

// Reference figures from scipy 1.10 (docs/statistics.md): [720, 280] vs 70/30 gives X2 =
// 1.9047619047619047, p = 0.16754627748861725.
func TestVerifyReferenceFigures(t *testing.T) {
	v, code := verifyJSON(t, "--weights", "70,30", "--counts", "720,280")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	p := v["pearson"].(map[string]any)
	if p["statistic"].(float64) != 1.9047619047619047 {
		t.Errorf("statistic %v", p["statistic"])
	}
	if got := p["p_value"].(float64); math.Abs(got-0.16754627748861725)/0.16754627748861725 > 1e-9 {
		t.Errorf("p %v", got)
	}
	for _, k := range []string{"requests", "alpha", "verdict", "warnings", "destinations", "pearson", "g_test", "exact", "cohen_w"} {
		if _, ok := v[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	for _, k := range []string{"name", "weight", "expected_share", "count", "share", "ci_low", "ci_high", "p_value", "p_adjusted"} {
		if _, ok := v["destinations"].([]any)[0].(map[string]any)[k]; !ok {
			t.Errorf("missing destination key %q", k)
		}
	}
	if _, code := verifyJSON(t, "--weights", "50,50", "--counts", "5500,4500"); code != 1 {
		t.Errorf("5500/4500 vs 50/50: exit %d, want 1", code)
	}
	v, _ = verifyJSON(t, "--weights", "50,50", "--counts", "519000,481000")
	l := v["pearson"].(map[string]any)["log10_p"].(float64)
	if math.Abs(l-(-315.2387597)) > 1e-6 {
		t.Errorf("log10 p %v, want -315.2387597", l)
	}
}

// A weight-0 destination that received requests is a definite violation, whatever the others show.
func TestVerifyZeroWeightViolation(t *testing.T) {
	v, code := verifyJSON(t, "--weights", "stable=100,canary=0", "--counts", "stable=999,canary=1")
	if code != 1 || !strings.Contains(v["reason"].(string), "definite violation") {
		t.Fatalf("exit %d, reason %v", code, v["reason"])
	}
}

// --tolerance: a huge sample with a negligible deviation passes; a real one fails.
func TestVerifyTolerance(t *testing.T) {
	if _, code := verifyJSON(t, "--weights", "50,50", "--counts", "5010000,4990000"); code != 1 {
		t.Fatalf("without tolerance, 50.1/49.9 at 10^7 should fail")
	}
	if _, code := verifyJSON(t, "--weights", "50,50", "--counts", "5010000,4990000", "--tolerance", "0.5"); code != 0 {
		t.Fatalf("0.1 point off is within 0.5 points")
	}
	if _, code := verifyJSON(t, "--weights", "50,50", "--counts", "5200000,4800000", "--tolerance", "0.5"); code != 1 {
		t.Fatalf("2 points off is outside 0.5 points")
	}
}

// Every observed format, through the CLI, against the bookinfo 80/20 rule or plain weights.
func TestVerifyObservedFormats(t *testing.T) {
	const cfg = "../../scenarios/bookinfo-80-20.yaml"
	for _, tc := range []struct {
		name string
		args []string
		n    float64
	}{
		{"json object", []string{"--weights", "v1=70,v2=30", "--observed", "../../observe/testdata/counts.json"}, 0},
		{"csv", []string{"--weights", "v1=70,v2=30", "--observed", "../../observe/testdata/counts.csv"}, 1000},
		{"prometheus istio_requests_total", []string{"--config", cfg, "--host", "reviews", "--observed", "../../observe/testdata/scrape.txt"}, 0},
		{"prometheus envoy clusters", []string{"--config", cfg, "--host", "reviews", "--observed", "../../observe/testdata/scrape.txt", "--metric", "envoy_cluster_upstream_rq_total"}, 9998},
		{"prometheus window", []string{"--config", cfg, "--observed", "../../observe/testdata/scrape.txt", "--before", "../../observe/testdata/scrape_before.txt"}, 0},
		{"envoy access log", []string{"--config", cfg, "--observed", "../../observe/testdata/access.log"}, 0},
		{"envoy json access log", []string{"--config", cfg, "--observed", "../../observe/testdata/access.json.log"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, _ := verifyJSON(t, tc.args...)
			if n := v["requests"].(float64); n <= 0 || tc.n > 0 && n != tc.n {
				t.Errorf("n = %v, want %v", n, tc.n)
			}
			if v["verdict"] != "pass" && v["verdict"] != "fail" {
				t.Errorf("verdict %v", v["verdict"])
			}
		})
	}
}

// Malformed observations: exit 2, one line saying where.
func TestVerifyMalformedObservations(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"json", "bad.json", "{\"v1\": 70,\n \"v2\": \"x\"}", "bad.json: line 2"},
		{"csv", "bad.csv", "v1,70\nv2,seventy\n", "bad.csv: line 2"},
		{"prometheus", "bad.prom", "# TYPE istio_requests_total counter\nistio_requests_total{destination_version=\"v1\"} abc\n", "bad.prom: line 2"},
		{"access log", "bad.log", "[2024-05-01T10:00:00.000Z] \"GET / HTTP/1.1\" 200\n", "bad.log: line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, "verify", "--weights", "v1=70,v2=30", "--observed", write(tc.file, tc.content))
			if code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, errOut)
			}
			if !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("stderr %q, want one line containing %q", errOut, tc.want)
			}
		})
	}
}

// An observed name that matches no destination is an error listing what was seen.
func TestVerifyUnmatchedName(t *testing.T) {
	_, errOut, code := runCLI(t, "verify", "--weights", "v1=70,v3=30", "--observed", "../../observe/testdata/counts.json")
	if code != 2 || !strings.Contains(errOut, "v2") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// The sequential test over a series: per look, cumulative counts and the sequential p-value.
func TestVerifySequential(t *testing.T) {
	v, _ := verifyJSON(t, "--weights", "v1=70,v2=30,v3=0", "--observed", "../../observe/testdata/series.json", "--sequential")
	seq := v["sequential"].(map[string]any)
	looks := seq["looks"].([]any)
	if len(looks) != 3 {
		t.Fatalf("%d looks", len(looks))
	}
	last := looks[2].(map[string]any)
	if last["requests"].(float64) != 300 {
		t.Errorf("cumulative requests at look 3 = %v, want 300", last["requests"])
	}
	out, _, _ := runCLI(t, "verify", "--weights", "v1=70,v2=30,v3=0", "--observed", "../../observe/testdata/series.json", "--sequential")
	golden.CheckString(t, "verify/sequential.txt", out)
}

func TestVerifyPrometheusGolden(t *testing.T) {
	out, _, _ := runCLI(t, "verify", "--config", "../../scenarios/bookinfo-80-20.yaml", "--host", "reviews", "--observed", "../../observe/testdata/scrape.txt")
	golden.CheckString(t, "verify/prometheus.txt", out)
}
