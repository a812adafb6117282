package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// The Argo example with setHeaderRoute and setMirrorRoute steps (examples/argo-header-mirror, after
// argo-rollouts docs/features/traffic-management/istio.md) plans end to end: each step lists the
// managed routes in place as argo-rollouts rollout/trafficrouting/istio/istio.go writes them
// (SetHeaderRoute, SetMirrorRoute, orderRoutes; RemoveManagedRoutes at promotion), the mirror route
// follows each setWeight (generateVirtualServicePatches), and its copies are counted apart.
func TestPlanArgoHeaderMirrorExample(t *testing.T) {
	const file = "../../examples/argo-header-mirror/rollout.yaml"
	out, errOut, code := runCLI(t, "plan", file, "--rps", "50", "-o", "json")
	if code != exitPass {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	var r struct {
		Steps []struct {
			Weight   float64 `json:"weight"`
			Requests int64   `json:"requests"`
			Mirrored int64   `json:"mirrored_requests"`
			Routes   []struct {
				Name     string `json:"name"`
				Kind     string `json:"kind"`
				Position int    `json:"position"`
				Match    string `json:"match"`
				TakenBy  string `json:"taken_by"`
				Weights  []struct {
					Name   string `json:"name"`
					Weight int32  `json:"weight"`
				} `json:"weights"`
				Mirrors []struct {
					Name          string  `json:"name"`
					ExpectedShare float64 `json:"expected_share"`
				} `json:"mirrors"`
			} `json:"managed_routes"`
		} `json:"steps"`
		Findings []struct {
			Code string `json:"code"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		weight float64
		routes string // name/kind@position, in order
		canary int32  // the mirror route's canary weight, 0 when none
	}{
		{10, "set-header/header@0", 0},
		{10, "set-header/header@0 mirror-route/mirror@1", 10},
		{30, "set-header/header@0 mirror-route/mirror@1", 30},
		{60, "", 0},
		{100, "", 0},
	}
	if len(r.Steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(r.Steps), len(want))
	}
	for i, w := range want {
		s := r.Steps[i]
		var got []string
		for _, rt := range s.Routes {
			got = append(got, rt.Name+"/"+rt.Kind+"@"+strconv.Itoa(rt.Position))
			if rt.TakenBy != "" {
				t.Errorf("step %d: route %s taken by %s", i, rt.Name, rt.TakenBy)
			}
			if rt.Kind == "mirror" {
				if len(rt.Weights) != 2 || rt.Weights[1].Name != "canary" || rt.Weights[1].Weight != w.canary {
					t.Errorf("step %d: mirror route weights %+v, want canary %d", i, rt.Weights, w.canary)
				}
				if len(rt.Mirrors) != 1 || rt.Mirrors[0].Name != "canary" || rt.Mirrors[0].ExpectedShare != 0.35 {
					t.Errorf("step %d: mirrors %+v", i, rt.Mirrors)
				}
				if rt.Match != `uri prefix "/", method exact "GET"` {
					t.Errorf("step %d: mirror match %q", i, rt.Match)
				}
			}
		}
		if s.Weight != w.weight || strings.Join(got, " ") != w.routes {
			t.Errorf("step %d: weight %v, routes %q; want %v, %q", i, s.Weight, strings.Join(got, " "), w.weight, w.routes)
		}
		if mirrored := w.canary != 0; mirrored != (s.Mirrored > 0) {
			t.Errorf("step %d: %d mirrored copies of %d requests", i, s.Mirrored, s.Requests)
		}
	}
	for _, f := range r.Findings {
		if f.Code == "not-simulated" || f.Code == "request-misrouted" {
			t.Errorf("finding %s", f.Code)
		}
	}
	text, _, code := runCLI(t, "plan", file, "--rps", "50")
	for _, line := range []string{
		"managed routes (setHeaderRoute, setMirrorRoute), before the other routes:",
		`  step 2: set-header (header, http[0]) header x-canary exact "true" -> canary 100%`,
		`  step 6: mirror-route (mirror, http[1]) uri prefix "/", method exact "GET" -> stable 70%, canary 30%; mirror canary 35%`,
	} {
		if code != exitPass || !strings.Contains(text, line+"\n") {
			t.Errorf("exit %d; text lacks %q:\n%s", code, line, text)
		}
	}
}
