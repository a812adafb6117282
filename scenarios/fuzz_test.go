package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/mesh"
)

// Decoding any scenario document gives an error that names the file and is one line, or a scenario
// that keeps what Decode promises: requests within the simulator's bounds, positive finite class
// weights with unique names, endpoints with names and labels. It never panics.
func FuzzScenarioDecode(f *testing.F) {
	for _, s := range []string{
		"  requests: 1000\n  seed: 7\n  traffic:\n  - {name: a, host: reviews, weight: 1, headers: {end-user: jason}}\n  - {host: reviews, weight: 2, path: /x?y=1}\n",
		"  config: [vs.yaml, ../x.yaml]\n  endpoints:\n  - {name: v1, labels: {app: a}, pods: 3}\n",
		"  traffic:\n  - {host: h, weight: .nan}\n",
		"  traffic:\n  - host: h\n    weight: 1\n    weight: 2\n",
		"  requests: 9223372036854775807\n",
		"  traffic:\n  - {host: h, weight: 1, from: {gateway: ns/gw, port: 80}}\n",
		"  plan:\n    stable: {subset: v1}\n    canary: {subset: v2}\n    rps: 20\n    steps: [{weight: 10, duration: 1m}, {weight: 100, ends: promotion}]\n",
		"  - 1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		sc, err := decode(spec)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "s.yaml") || strings.Contains(msg, "Go struct") {
				t.Fatalf("error %q", msg)
			}
			return
		}
		if sc.Spec.Requests < 0 || sc.Spec.Requests > 1e15 {
			t.Fatalf("requests %d", sc.Spec.Requests)
		}
		names := map[string]bool{}
		for _, c := range sc.Spec.Traffic {
			if !(c.Weight > 0) || math.IsInf(c.Weight, 0) || c.Host == "" || names[c.Name] {
				t.Fatalf("class %+v", c)
			}
			names[c.Name] = true
		}
		for _, e := range sc.Spec.Endpoints {
			if e.Name == "" || len(e.Labels) == 0 || e.Pods < 0 {
				t.Fatalf("endpoints %+v", e)
			}
		}
	})
}

// Finding the plans of any input (Rollouts, Canaries, scenarios with a plan section, as splitsim plan
// reads them) gives plans or an error, never a panic.
func FuzzFindPlans(f *testing.F) {
	for _, s := range []string{
		"apiVersion: splitsim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  plan:\n    stable: {subset: v1}\n    canary: {subset: v2}\n    steps: [{weight: 5, duration: 10m}]\n",
		"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  strategy:\n    canary:\n      steps: [{setWeight: 5}, {pause: {duration: 10m}}]\n",
		"apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: c}\nspec:\n  targetRef: {name: x}\n  analysis: {iterations: 3}\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		cfg := &mesh.Config{}
		if err := cfg.Add("p.yaml", []byte(data)); err != nil {
			return
		}
		in, err := FindPlans(cfg, []string{"p.yaml"})
		if err != nil {
			return
		}
		for _, s := range in.Sources {
			if s.Doc == nil {
				t.Fatal("a plan without its document")
			}
		}
	})
}

// Standard input is read within the size limit whatever it holds: the same bytes every time, or an
// error naming <stdin>.
func FuzzStdin(f *testing.F) {
	f.Add([]byte("kind: x\n"), int64(100))
	f.Add([]byte(strings.Repeat("x", 200)), int64(100))
	f.Fuzz(func(t *testing.T, data []byte, limit int64) {
		if limit < 1 || limit > 1<<20 {
			return
		}
		SetReadLimits(ReadLimits{MaxBytes: limit})
		defer SetReadLimits(DefaultReadLimits)
		s := &Stdin{R: strings.NewReader(string(data))}
		name, err := s.File()
		if int64(len(data)) > limit {
			if err == nil || !strings.HasPrefix(err.Error(), StdinName+": more than the limit") {
				t.Fatalf("%d bytes over %d: %v", len(data), limit, err)
			}
			return
		}
		got, err2 := ReadFile(name)
		if err != nil || err2 != nil || string(got) != string(data) {
			t.Fatalf("read %q (%v, %v), want %q", got, err, err2, data)
		}
	})
}
