package canary

import (
	"encoding/json"
	"testing"

	"github.com/splitsim/splitsim/mesh"
)

// fuzzOptions keep evaluations of arbitrary plans cheap: at most a few thousand requests a step.
func fuzzOptions() Options {
	return Options{RPS: 1e-6, Users: 3, UserModel: UserModelEven, BaselineErrorRate: 0.01, DetectErrorRate: 0.02, Alpha: 0.05, Seed: 1}
}

func fuzzPlans(f *testing.F, seeds []string, read func(d *mesh.Document, cfg *mesh.Config) (*Plan, error), is func(*mesh.Document) bool) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := &mesh.Config{}
		if err := cfg.Add("fuzz.yaml", data); err != nil {
			return
		}
		for _, d := range cfg.Others {
			if !is(d) {
				continue
			}
			p, err := read(d, cfg)
			if err != nil {
				if _, ok := err.(*mesh.Error); !ok {
					t.Fatalf("error of type %T: %v", err, err)
				}
				continue
			}
			if len(p.Steps) > 2000 {
				t.Fatalf("%d steps", len(p.Steps))
			}
			if _, err := Evaluate(p, fuzzOptions()); err != nil {
				t.Logf("evaluate: %v", err)
			}
		}
	})
}

func FuzzFromRollout(f *testing.F) {
	fuzzPlans(f, []string{
		readFile(f, "../scenarios/plans/argo-rollout.yaml"),
		rollout("      - setWeight: 20\n      - experiment: {duration: 1m, templates: [{name: b, weight: 90}]}\n      - pause: {}"),
		rollout("      - setHeaderRoute: {name: h}\n      - setWeight: 5\n      - analysis: {}"),
		rollout("      - setHeaderRoute: {name: hdr, match: [{headerName: a, headerValue: {exact: b}}]}\n      - setMirrorRoute: {name: mirror, percentage: 20, match: [{method: {exact: GET}}]}\n      - setWeight: 5\n      - pause: {duration: 1m}\n      - setMirrorRoute: {name: mirror}"),
	}, func(d *mesh.Document, cfg *mesh.Config) (*Plan, error) {
		return FromRollout(d, cfg, DefaultAssumptions)
	}, IsRollout)
}

func FuzzFromCanary(f *testing.F) {
	fuzzPlans(f, []string{
		readFile(f, "../scenarios/plans/flagger-canary.yaml"),
		flagger("    stepWeights: [1, 5, 3]\n"),
		flagger("    iterations: 3\n    match: [{headers: {a: {exact: b}}}]\n"),
		flagger("    interval: 1x\n    maxWeight: 70\n    stepWeight: 30\n    stepWeightPromotion: 7\n    mirror: true\n"),
	}, func(d *mesh.Document, cfg *mesh.Config) (*Plan, error) { return FromCanary(d, cfg, DefaultAssumptions) }, IsCanary)
}

func FuzzFromNative(f *testing.F) {
	fuzzPlans(f, []string{
		readFile(f, "../scenarios/plans/native-plan.yaml"),
		native("      - {weight: 0.5, duration: 1h, rps: 3}\n      - {weight: 0, stableWeight: 0, ends: none}"),
		native("      - {weight: 120, duration: \"90\"}\n      - {weight: 10, ends: manual}"),
	}, func(d *mesh.Document, cfg *mesh.Config) (*Plan, error) {
		np, err := decodeNative(d)
		if err != nil {
			return nil, d.Errorf("spec", "%v", err)
		}
		if np == nil {
			return nil, d.Errorf("spec.plan", "missing")
		}
		return FromNative(d, np, cfg, DefaultAssumptions)
	}, func(d *mesh.Document) bool { return d.Kind == "Scenario" })
}

// FuzzDurations checks the two duration readers: no panic, never negative, and a value that is
// accepted prints and reads back the same.
func FuzzDurations(f *testing.F) {
	for _, s := range []string{`600`, `"600"`, `"10m"`, `"1500ms"`, `-5`, `1.5`, `"1h30m"`, `null`, `"x"`, `1e309`, `"9223372036s"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if d, err := argoPauseDuration(b); err == nil && d < 0 {
			t.Fatalf("argo %q: negative %v", b, d)
		}
		var d Duration
		if err := d.UnmarshalJSON(b); err != nil {
			t.Fatalf("UnmarshalJSON returned an error: %v", err)
		}
		if d.Err == "" && d.Set {
			if d.D < 0 || d.D > maxDuration {
				t.Fatalf("%q: out of range %v", b, d.D)
			}
			out, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			var back Duration
			_ = back.UnmarshalJSON(out)
			if back.D != d.D || back.Err != "" {
				t.Fatalf("%q -> %s -> %v (%s)", b, out, back.D, back.Err)
			}
		}
	})
}
