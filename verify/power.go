package verify

import (
	"fmt"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/stats"
)

// PowerRequest is what `splitsim power` computes: the requests the verdict's test needs to detect
// Detect when Weights are configured, with power Power at level Alpha; or, when N > 0, the power
// at N requests.
type PowerRequest struct {
	Weights, Detect []float64
	Alpha, Power    float64
	N               int64
	// Method is the verdict's test as verify --method names it: auto (the exact multinomial test
	// while an expected count is below 5, else Pearson), pearson or exact.
	Method string
	// Seed seeds the simulation, where the power is simulated.
	Seed uint64
}

// Power is `splitsim power`: the power of the test verify's verdict actually uses (stats.VerdictPower),
// exact where the outcomes can be summed, else a Gaussian quadratic-form approximation or a seeded
// simulation (the result says which), and required_n, the smallest N at which it reaches the target
// (stats.VerdictRequiredN). A destination of weight 0 that --detect sends traffic to is a definite
// violation for any request that reaches it.
func Power(rq PowerRequest) (*result.Power, error) {
	if len(rq.Weights) != len(rq.Detect) {
		return nil, fmt.Errorf("--weights has %d entries and --detect %d", len(rq.Weights), len(rq.Detect))
	}
	method := rq.Method
	switch method {
	case "":
		method = "auto"
	case "auto", "pearson", "exact":
	default:
		return nil, fmt.Errorf("unknown method %q (want auto, pearson or exact)", method)
	}
	p0, p1 := normalize(rq.Weights), normalize(rq.Detect)
	if p0 == nil || p1 == nil {
		return nil, fmt.Errorf("weights must not all be 0")
	}
	// Cohen's w over the destinations of positive weight (--detect renormalized over them), and the
	// share --detect sends to the others.
	var pos0, pos1 []float64
	var q float64
	for i := range p0 {
		if p0[i] == 0 {
			q += p1[i]
			continue
		}
		pos0 = append(pos0, p0[i])
		pos1 = append(pos1, p1[i])
	}
	df := len(pos0) - 1
	out := &result.Power{Header: result.NewHeader(result.KindPower), Alpha: rq.Alpha, Power: rq.Power, DF: df,
		Method: method, Expected: p0, Detect: p1, ZeroWeightShare: q}
	if q < 1 {
		out.EffectSizeW = stats.CohenW(pos0, pos1)
	}
	if df < 1 && q == 0 {
		return nil, fmt.Errorf("--weights has one positive destination: there is no split to test")
	}
	if out.EffectSizeW == 0 && q == 0 {
		return nil, fmt.Errorf("--detect equals --weights: there is nothing to detect")
	}
	opts := stats.PowerOptions{Alpha: rq.Alpha, Test: method, Seed: rq.Seed}
	var r stats.VerdictPowerResult
	if rq.N > 0 {
		r = stats.VerdictPower(p0, p1, rq.N, opts)
		out.N = rq.N
		out.Power = r.Power
	} else {
		var ok bool
		if r, ok = stats.VerdictRequiredN(p0, p1, rq.Power, opts); !ok {
			return nil, fmt.Errorf("no number of requests up to 2^53 (%s, the most verify tests) reaches power %v: the deviation is too small to detect", format.Count(stats.MaxRequiredN), rq.Power)
		}
		n := r.N
		out.RequiredN, out.N = &n, n
	}
	out.AchievedPower, out.Test, out.PowerMethod, out.PowerStdErr = r.Power, r.Test, r.Method, r.StdErr
	if r.Method == stats.PowerSimulated {
		out.Replicates = stats.PowerReplicates
	}
	return out, nil
}

// normalize scales w to sum 1, or returns nil when it sums to 0.
func normalize(w []float64) []float64 {
	var s float64
	for _, x := range w {
		s += x
	}
	if !(s > 0) {
		return nil
	}
	out := make([]float64, len(w))
	for i, x := range w {
		out[i] = x / s
	}
	return out
}
