package canary

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/sim"
)

// load reads YAML documents and returns the configuration and the documents mesh does not decode.
func load(t testing.TB, yaml string) (*mesh.Config, []*mesh.Document) {
	t.Helper()
	cfg := &mesh.Config{}
	if err := cfg.Add("test.yaml", []byte(yaml)); err != nil {
		t.Fatal(err)
	}
	return cfg, cfg.Others
}

// readPlan reads the one plan among the documents of yaml.
func readPlan(t testing.TB, yaml string) (*Plan, error) {
	t.Helper()
	cfg, docs := load(t, yaml)
	for _, d := range docs {
		switch {
		case IsRollout(d):
			return FromRollout(d, cfg, DefaultAssumptions)
		case IsCanary(d):
			return FromCanary(d, cfg, DefaultAssumptions)
		case d.Kind == "Scenario":
			np, err := decodeNative(d)
			if err != nil {
				return nil, err
			}
			return FromNative(d, np, cfg, DefaultAssumptions)
		}
	}
	t.Fatal("no plan in the test input")
	return nil, nil
}

// decodeNative reads spec.plan of a scenario document strictly, as scenarios.Decode does (the
// scenarios package imports this one, so internal tests cannot use it).
func decodeNative(d *mesh.Document) (*NativePlan, error) {
	var obj struct {
		Spec json.RawMessage `json:"spec"`
	}
	if err := json.Unmarshal(d.JSON, &obj); err != nil {
		return nil, err
	}
	var spec struct {
		Description string          `json:"description"`
		Plan        *NativePlan     `json:"plan"`
		Expect      json.RawMessage `json:"expect"` // scenarios.Expect; not read here
	}
	dec := json.NewDecoder(bytes.NewReader(obj.Spec))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return nil, d.Errorf("spec", "%v", err)
	}
	return spec.Plan, nil
}

func mustPlan(t testing.TB, yaml string) *Plan {
	t.Helper()
	p, err := readPlan(t, yaml)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.FromSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// opts are the acceptance scenario's options: 20 rps, error rate 1% -> 2%, alpha 0.001 (with 200
// users, to keep tests fast; the acceptance test uses the command's default of 1000).
// opts are the options most tests evaluate plans with. They accept plans that never detect a broken
// canary (NoDetectionOK), so that each test sees the findings of its own subject; the default, which
// makes that an error (never-detects), is TestNeverDetects's.
func opts() Options {
	return Options{RPS: 20, Users: 200, UserModel: UserModelEven, BaselineErrorRate: 0.01, DetectErrorRate: 0.02, Alpha: 0.001, Seed: 1, NoDetectionOK: true}
}

func evaluate(t testing.TB, p *Plan, o Options) *result.Plan {
	t.Helper()
	r, err := Evaluate(p, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hasCode(r *result.Plan, code string) bool {
	for _, f := range r.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

func codes(r *result.Plan) string {
	var c []string
	for _, f := range r.Findings {
		c = append(c, f.Code+": "+f.Message)
	}
	return strings.Join(c, "\n")
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

// demoVS is the VirtualService demo-vs of the test plans, for host demo, up to its http routes.
const demoVS = `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demo-vs}
spec:
  hosts: [demo]
  http:
`

// vsDR are the VirtualService and DestinationRule of the test plans.
const vsDR = demoVS + `  - name: primary
    route:
    - destination: {host: demo, subset: stable}
      weight: 100
    - destination: {host: demo, subset: canary}
      weight: 0
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: demo-dr}
spec:
  host: demo
  subsets:
  - name: stable
    labels: {v: "1"}
  - name: canary
    labels: {v: "2"}
`

// rollout returns a Rollout driving demo-vs/primary with the given steps (YAML list items), with
// managed routes hdr and mirror.
func rollout(steps string) string {
	return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: demo}
spec:
  strategy:
    canary:
      trafficRouting:
        istio:
          virtualService: {name: demo-vs, routes: [primary]}
          destinationRule: {name: demo-dr, canarySubsetName: canary, stableSubsetName: stable}
        managedRoutes: [{name: hdr}, {name: mirror}]
      steps:
` + steps + vsDR
}

// native returns a scenario with a plan of the given steps driving demo-vs/primary.
func native(steps string) string {
	return `apiVersion: splitsim.dev/v1alpha1
kind: Scenario
metadata: {name: demo}
spec:
  plan:
    virtualService: demo-vs
    route: primary
    stable: {subset: stable}
    canary: {subset: canary}
    steps:
` + steps + vsDR
}

func reqGET() sim.Request { return sim.Request{Method: "GET", Path: "/"} }
