package canary

import (
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// Acceptance: the real-shaped Argo Rollout of the scenario library (steps 5, pause 10m, 20, pause
// 10m, 50, pause 10m, 100) at 20 requests per second, baseline error rate 1%, detecting 2%.
func TestArgoRolloutExample(t *testing.T) {
	p := mustPlan(t, readFile(t, "../scenarios/plans/argo-rollout.yaml"))
	if len(p.Findings) != 0 {
		t.Fatalf("findings while reading: %+v", p.Findings)
	}
	o := opts()
	o.Users = 1000
	r := evaluate(t, p, o)
	if len(r.Steps) != 4 || r.TotalDuration != 1800 {
		t.Fatalf("%d steps, %v s; want 4 steps, 1800 s", len(r.Steps), r.TotalDuration)
	}
	vectors := map[float64]vectorCase{}
	for _, c := range loadVectors(t) {
		if c.RPS == 20 && c.Duration == 600 && c.Alpha == 0.001 {
			vectors[c.Weight] = c
		}
	}
	for i, w := range []float64{5, 20, 50} {
		checkExampleStep(t, i, r.Steps[i], w, vectors[w])
	}
	last := r.Steps[3]
	if last.Weight != 100 || last.Ends != "promotion" || last.Requests != 0 || last.ErrorRatePower != nil {
		t.Errorf("last step %+v", last)
	}
	// Which steps cannot reach 80% power: 0 (0.24) and 1 (0.73).
	var short []int
	for _, f := range r.Findings {
		if f.Code == CodeStepTooShort {
			short = append(short, *f.Step)
		}
	}
	if !reflect.DeepEqual(short, []int{0, 1}) || r.Verdict != "pass" {
		t.Errorf("short steps %v, verdict %s; findings:\n%s", short, r.Verdict, codes(r))
	}
	if r.DetectingStep == nil || *r.DetectingStep != 2 {
		t.Errorf("detecting step %v, want 2", r.DetectingStep)
	}
	// A broken canary serves 0.02 x (600 + 2400 + 6000) failed requests before step 2 ends.
	if relErr(r.FailedBeforeDetection, 180) > 1e-12 || relErr(r.ExcessFailed, 90) > 1e-12 {
		t.Errorf("failed %v (excess %v), want 180 (90)", r.FailedBeforeDetection, r.ExcessFailed)
	}
	if r.CanaryRequests != r.Steps[2].CumulativeCanaryRequests {
		t.Errorf("canary requests %d, cumulative %d", r.CanaryRequests, r.Steps[2].CumulativeCanaryRequests)
	}
	o.RequirePower = 0.8
	if r := evaluate(t, p, o); r.Verdict != "fail" {
		t.Errorf("--require-power 0.8: verdict %s", r.Verdict)
	}
}

// checkExampleStep checks step i of the acceptance example, at canary weight w (600 s at 20
// requests per second, 1000 users), against the binomial counts and the scipy vector v.
func checkExampleStep(t *testing.T, i int, s result.PlanStep, w float64, v vectorCase) {
	t.Helper()
	// Canary requests close to rps x duration x weight (binomial, 5 standard deviations).
	want := 20 * 600 * w / 100
	sd := math.Sqrt(12000 * w / 100 * (1 - w/100))
	if s.Requests != 12000 || math.Abs(float64(s.CanaryRequests)-want) > 5*sd || s.CanaryRequests+s.StableRequests != 12000 {
		t.Errorf("step %d: %d requests, %d canary, %d stable; want 12000 and about %v canary", i, s.Requests, s.CanaryRequests, s.StableRequests, want)
	}
	if !(s.CanaryCILow <= w/100 && w/100 <= s.CanaryCIHigh) {
		t.Errorf("step %d: interval [%v, %v] misses %v", i, s.CanaryCILow, s.CanaryCIHigh, w/100)
	}
	// Power figures match scipy.
	if s.ErrorRatePower == nil || relErr(*s.ErrorRatePower, v.ErrorRatePower) > 1e-9 {
		t.Errorf("step %d: error-rate power %v, scipy %v", i, s.ErrorRatePower, v.ErrorRatePower)
	}
	if s.DetectableDeviation == nil || relErr(*s.DetectableDeviation, v.Deviation) > 1e-9 {
		t.Errorf("step %d: deviation %v, scipy %v", i, s.DetectableDeviation, v.Deviation)
	}
	if s.DurationForPower == nil || *s.DurationForPower != float64(v.DurationForPowerS) {
		t.Errorf("step %d: duration for power %v, scipy %v", i, s.DurationForPower, v.DurationForPowerS)
	}
	// Users: 1000 users, 12 requests each per step.
	both := 1 - math.Pow(w/100, 12) - math.Pow(1-w/100, 12)
	if math.Abs(s.UsersBothVersions-both) > 4.5*math.Sqrt(both*(1-both)/1000)+1e-9 {
		t.Errorf("step %d: users both %v, closed form %v", i, s.UsersBothVersions, both)
	}
}

// Results depend only on the inputs and the seed: not on GOMAXPROCS or repetition.
func TestEvaluateDeterministic(t *testing.T) {
	p := mustPlan(t, readFile(t, "../scenarios/plans/argo-rollout.yaml"))
	o := opts()
	o.UserModel = UserModelZipf
	a := evaluate(t, p, o)
	prev := runtime.GOMAXPROCS(1)
	b := evaluate(t, p, o)
	runtime.GOMAXPROCS(prev)
	if !reflect.DeepEqual(a, b) {
		t.Error("results differ between runs")
	}
	o.Seed = 2
	if c := evaluate(t, p, o); reflect.DeepEqual(a.Steps, c.Steps) {
		t.Error("another seed gives the same simulation")
	}
}

// The Flagger and native examples of the scenario library run.
func TestLibraryExamples(t *testing.T) {
	f := evaluate(t, mustPlan(t, readFile(t, "../scenarios/plans/flagger-canary.yaml")), opts())
	if f.Kind != KindFlagger || len(f.Steps) != 6 || f.TotalDuration != 360 || f.Host != "podinfo" {
		t.Errorf("flagger: kind %s, %d steps, %v s, host %s", f.Kind, len(f.Steps), f.TotalDuration, f.Host)
	}
	n := mustPlan(t, readFile(t, "../scenarios/plans/native-plan.yaml"))
	if n.Traffic.RPS != 40 || n.Traffic.Users != 2000 || n.Route != "primary" {
		t.Errorf("native: traffic %+v route %s", n.Traffic, n.Route)
	}
	o := opts()
	o.RPS, o.Users = n.Traffic.RPS, n.Traffic.Users
	r := evaluate(t, n, o)
	if r.Kind != KindNative || len(r.Steps) != 5 || r.Steps[3].RPS != 60 || r.Steps[3].Requests != 216000 {
		t.Errorf("native: kind %s, %d steps, step 3 %+v", r.Kind, len(r.Steps), r.Steps[3])
	}
	if !r.Steps[2].DurationAssumed || !hasCode(r, CodeManualPause) {
		t.Errorf("native: manual gate not assumed; findings:\n%s", codes(r))
	}
	// Requests for route "primary" are not taken by the header-matched rule before it.
	if hasCode(r, CodeRequestMisrouted) {
		t.Errorf("native: misrouted; findings:\n%s", codes(r))
	}
}

// Fractional weights become Istio weights out of 10000.
func TestFractionalWeights(t *testing.T) {
	r := evaluate(t, mustPlan(t, native("      - {weight: 0.5, duration: 1h}")), opts())
	w := r.Steps[0].Weights
	if w[0].Weight != 9950 || w[1].Weight != 50 || w[1].ExpectedShare != 0.005 {
		t.Errorf("weights %+v", w)
	}
	if !strings.Contains(strings.Join(r.Assumptions, "\n"), "multiplied by 100") {
		t.Errorf("assumptions %q", r.Assumptions)
	}
}

func TestOptionsErrors(t *testing.T) {
	p := mustPlan(t, native("      - {weight: 5, duration: 1m}"))
	for _, tc := range []struct {
		name string
		mod  func(*Options)
	}{
		{"no rps", func(o *Options) { o.RPS = 0 }},
		{"alpha 1", func(o *Options) { o.Alpha = 1 }},
		{"baseline 0", func(o *Options) { o.BaselineErrorRate = 0 }},
		{"detect 1", func(o *Options) { o.DetectErrorRate = 1 }},
		{"detect = baseline", func(o *Options) { o.DetectErrorRate = o.BaselineErrorRate }},
		{"power 1", func(o *Options) { o.RequirePower = 1 }},
		{"no users", func(o *Options) { o.Users = 0 }},
		{"user model", func(o *Options) { o.UserModel = "sticky" }},
		{"too many requests", func(o *Options) { o.RPS = 1e9 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := opts()
			tc.mod(&o)
			if _, err := Evaluate(p, o); err == nil {
				t.Errorf("options %+v accepted", o)
			}
		})
	}
}
