package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
)

// splitsim lint on the missing-subset scenario: IST0101 on the line of subset v4, exit 1, the text and
// JSON forms (README.md, JSON output).
func TestLintMissingSubset(t *testing.T) {
	out, errOut, code := runCLI(t, "lint", "../../scenarios/missing-subset.yaml")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (an error finding); stderr %s", code, errOut)
	}
	golden.CheckString(t, "lint/missing-subset.txt", out)
	if !strings.Contains(out, "../../scenarios/missing-subset.yaml:31: Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: \"reviews+v4\"") {
		t.Errorf("output:\n%s", out)
	}
	out, _, code = runCLI(t, "lint", "../../scenarios/missing-subset.yaml", "-o", "json")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"verdict", "errors", "warnings", "infos", "findings", "files"} {
		if _, ok := r[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	f := r["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"severity", "code", "name", "file", "line", "resource", "path", "message"} {
		if _, ok := f[k]; !ok {
			t.Errorf("missing finding key %q", k)
		}
	}
	if f["code"] != "IST0101" || f["line"] != 31.0 || f["severity"] != "error" || r["verdict"] != "fail" {
		t.Errorf("finding %v, verdict %v", f, r["verdict"])
	}
}

// Exit codes: 0 without error findings (warnings and infos allowed), 1 with one, 2 for input errors.
func TestLintExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Validation errors are findings (IST0106), not input errors, and lint goes on with the rest.
	bad := write("bad.yaml", `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: -5}
    - {destination: {host: reviews, subset: v2}, weight: 105}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - match: [{uri: {prefix: /a}}]
    route: [{destination: {host: ratings}}]
`)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"clean", []string{"lint", "../../scenarios/bookinfo-80-20.yaml"}, 0, []string{"no findings in 1 file"}},
		{"warnings only", []string{"lint", "../../scenarios/argo-100-0.yaml"}, 0, []string{"Warning [SPL001]", "Info [SPL012]", "0 errors, 1 warning, 1 info"}},
		{"validation errors are findings", []string{"lint", bad}, 1, []string{"bad.yaml:8: Error [IST0106] (VirtualService default/reviews) Schema validation error: weight -5 < 0",
			"bad.yaml:17: Warning [SPL005] (VirtualService default/ratings) host ratings has no catch-all rule"}},
		{"HTTPRoute", []string{"lint", "../../scenarios/gateway-70-30-0.yaml"}, 0, []string{"Warning [SPL001] (HTTPRoute gateway-conformance-infra/weighted-backends) backend infra-backend-v3:8080 has weight 0"}},
		{"missing file", []string{"lint", filepath.Join(dir, "nope.yaml")}, 2, nil},
		{"yaml syntax", []string{"lint", write("syntax.yaml", "kind: VirtualService\nspec: [\n")}, 2, nil},
		{"no files", []string{"lint"}, 2, nil},
		{"bad format", []string{"lint", "-o", "xml", bad}, 2, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %s stderr %s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not contain %q:\n%s", w, out)
				}
			}
			if tc.code == 2 && (out != "" || strings.Count(strings.TrimSpace(errOut), "\n") > 0 && tc.name != "bad format") {
				t.Errorf("input error: stdout %q stderr %q", out, errOut)
			}
		})
	}
}

// `splitsim run` on the Gateway API conformance case (HTTPRoute 70/30/0): the weight-0 backend gets
// nothing and the split passes a real goodness-of-fit test.
func TestRunHTTPRoute703000(t *testing.T) {
	out, errOut, code := runCLI(t, "run", "../../scenarios/gateway-70-30-0.yaml", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Verdict string
		Hosts   []struct {
			Host  string
			Rules []struct {
				Test         *struct{ Verdict string }
				Destinations []struct {
					Host          string
					Weight        int32
					ExpectedShare float64 `json:"expected_share"`
					Count         int64
					Share         float64
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	rule := r.Hosts[0].Rules[0]
	if r.Verdict != "pass" || rule.Test == nil || rule.Test.Verdict != "pass" || r.Hosts[0].Host != "*@gateway-conformance-infra/same-namespace" {
		t.Fatalf("verdict %s, host %s, test %+v", r.Verdict, r.Hosts[0].Host, rule.Test)
	}
	want := []float64{0.7, 0.3, 0}
	for i, d := range rule.Destinations {
		if d.ExpectedShare != want[i] || d.Share < want[i]-0.003 || d.Share > want[i]+0.003 {
			t.Errorf("%s: expected %v share %v, want %v", d.Host, d.ExpectedShare, d.Share, want[i])
		}
	}
	if d := rule.Destinations[2]; d.Count != 0 || d.Share != 0 {
		t.Errorf("the weight-0 backend got %d requests", d.Count)
	}
}

// Acceptance: two VirtualServices for reviews give IST0109 (on each, exit 1) and `splitsim run`
// simulates the one Istio uses, the oldest by creationTimestamp (mesh.OrderVirtualServices, after
// istio pilot/pkg/model/config.go sortConfigByCreationTime), whatever the input order.
func TestTwoVirtualServicesForReviews(t *testing.T) {
	dir := t.TempDir()
	vs := func(name, created, subset string) string {
		p := filepath.Join(dir, name+".yaml")
		doc := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ` + name + `
  creationTimestamp: "` + created + `"
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews, subset: ` + subset + `}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ` + name + `}
spec:
  host: reviews
  subsets: [{name: ` + subset + `}]
`
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newer := vs("reviews-canary", "2024-05-01T10:00:00Z", "v2")
	older := vs("reviews", "2023-01-01T00:00:00Z", "v1")
	out, _, code := runCLI(t, "lint", newer, older)
	if code != 1 || strings.Count(out, "Error [IST0109]") != 2 || !strings.Contains(out, "splitsim simulates VirtualService default/reviews:") {
		t.Fatalf("lint: exit %d\n%s", code, out)
	}
	out, errOut, code := runCLI(t, "run", newer, older, "-n", "10000", "-o", "json")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	var r struct {
		Warnings []string
		Hosts    []struct {
			Host  string
			Rules []struct {
				Destinations []struct {
					Subset string
					Count  int64
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Hosts) != 1 || r.Hosts[0].Rules[0].Destinations[0].Subset != "v1" || r.Hosts[0].Rules[0].Destinations[0].Count != 10000 {
		t.Fatalf("simulated %+v, want all requests on v1 (the older VirtualService)", r.Hosts)
	}
	if !strings.Contains(strings.Join(r.Warnings, "\n"), "IST0109") {
		t.Errorf("warnings %q", r.Warnings)
	}
}

// Issue 16 acceptance: lint on the bundled Argo Rollout with its VirtualService reports no SPL001
// for the canary at weight 0 but an SPL014 info naming the Rollout; --suppress (istioctl analyze
// --suppress CODE=RESOURCE, istio istioctl/pkg/analyze/analyze.go) removes a chosen finding, which
// text counts and -o json lists; --fail-threshold is istioctl's --failure-threshold.
func TestLintRolloutsSuppressAndThreshold(t *testing.T) {
	const argo = "../../scenarios/plans/argo-rollout.yaml"
	const zero = "../../scenarios/argo-100-0.yaml" // stable 100 / canary 0 without a Rollout: SPL001
	for _, tc := range []struct {
		name      string
		args      []string
		code      int
		want, not []string
		stderr    string
	}{
		{"argo rollout manages the canary", []string{"lint", argo}, 0,
			[]string{"Info [SPL014] (VirtualService default/rollouts-demo-vsvc) destination rollouts-demo/canary has weight 0, and its weight is managed by Rollout default/rollouts-demo (Argo Rollouts, ../../scenarios/plans/argo-rollout.yaml:36)"},
			[]string{"SPL001"}, ""},
		{"without a Rollout: SPL001", []string{"lint", zero}, 0, []string{"Warning [SPL001]"}, nil, ""},
		{"suppress by code and resource", []string{"lint", zero, "--suppress", "SPL001=VirtualService default/rollouts-demo"}, 0,
			[]string{"0 errors, 0 warnings, 1 info in 1 file\n1 finding suppressed (-o json lists them)\n"}, []string{"SPL001"}, ""},
		{"suppress with globs, -S", []string{"lint", zero, "-S", "SPL*=*"}, 0,
			[]string{"no findings in 1 file\n2 findings suppressed"}, []string{"SPL001", "SPL012"}, ""},
		{"suppress another resource", []string{"lint", zero, "-S", "SPL001=VirtualService other/*"}, 0, []string{"Warning [SPL001]"}, []string{"suppressed"}, ""},
		{"unknown code warned about", []string{"lint", zero, "-S", "IST9999=*"}, 0, []string{"Warning [SPL001]"}, nil,
			"Warning: Supplied message code 'IST9999' is an unknown message code and will not have any effect."},
		{"suppress without =", []string{"lint", zero, "-S", "SPL001"}, 2, nil, nil, "not a valid suppression value"},
		{"fail threshold warning", []string{"lint", zero, "--fail-threshold", "warning"}, 1, []string{"Warning [SPL001]"}, nil, ""},
		{"fail threshold info", []string{"lint", argo, "--fail-threshold", "info"}, 1, []string{"Info [SPL014]"}, nil, ""},
		{"fail threshold warning, warning suppressed", []string{"lint", zero, "--fail-threshold", "warning", "-S", "SPL001=*"}, 0, nil, []string{"SPL001"}, ""},
		{"fail threshold unknown", []string{"lint", zero, "--fail-threshold", "fatal"}, 2, nil, nil, "--fail-threshold: invalid level \"fatal\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %s stderr %s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not contain %q:\n%s", w, out)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("output contains %q:\n%s", n, out)
				}
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut, tc.stderr)
			}
		})
	}
}

// -o json lists suppressed findings apart, each with what suppressed it, and gives the threshold;
// the annotation galley.istio.io/analyze-suppress suppresses as istioctl analyze reads it (istio
// pkg/config/analysis/local/istiod_analyze.go filterMessages).
func TestLintSuppressedJSON(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "vs.yaml")
	doc := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  annotations:
    galley.istio.io/analyze-suppress: SPL001,SPL012
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 100}
    - {destination: {host: reviews, subset: v2}, weight: 0}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec: {host: reviews, subsets: [{name: v1}, {name: v2}]}
`
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "lint", p, "-o", "json", "--fail-threshold", "warning")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	var r struct {
		FailThreshold      string `json:"fail_threshold"`
		Verdict            string
		Warnings, Infos    int
		Findings           []map[string]any
		Suppressed         int
		SuppressedFindings []map[string]any `json:"suppressed_findings"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.FailThreshold != "warning" || r.Verdict != "pass" || r.Warnings != 0 || r.Infos != 0 || len(r.Findings) != 0 || r.Suppressed != 2 || len(r.SuppressedFindings) != 2 {
		t.Fatalf("result %+v", r)
	}
	for i, code := range []string{"SPL001", "SPL012"} {
		f := r.SuppressedFindings[i]
		if f["code"] != code || f["suppressed_by"] != "annotation galley.istio.io/analyze-suppress: SPL001,SPL012" || f["line"] == nil || f["message"] == "" {
			t.Errorf("suppressed finding %d: %v", i, f)
		}
	}
}
