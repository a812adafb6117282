package verify

import (
	"fmt"

	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/stats"
)

// Power is `splitsim power`: the requests a Pearson test at alpha needs to detect detect when weights
// are configured, with the given power; or, when n > 0, the power at n requests.
func Power(weights, detect []float64, alpha, power float64, n int64) (*result.Power, error) {
	if len(weights) != len(detect) {
		return nil, fmt.Errorf("--weights has %d entries and --detect %d", len(weights), len(detect))
	}
	p0, p1 := normalize(weights), normalize(detect)
	if p0 == nil || p1 == nil {
		return nil, fmt.Errorf("weights must not all be 0")
	}
	df := -1
	for _, p := range p0 {
		if p > 0 {
			df++
		}
	}
	if df < 1 {
		return nil, fmt.Errorf("--weights has one positive destination: there is no split to test")
	}
	out := &result.Power{Header: result.NewHeader(result.KindPower), Alpha: alpha, Power: power, DF: df, EffectSizeW: stats.CohenW(p0, p1), Expected: p0, Detect: p1}
	if out.EffectSizeW == 0 {
		return nil, fmt.Errorf("--detect equals --weights: there is nothing to detect")
	}
	if n > 0 {
		out.N = n
		out.Power = stats.Power(df, float64(n)*out.EffectSizeW*out.EffectSizeW, alpha)
		return out, nil
	}
	out.RequiredN = stats.RequiredN(p0, p1, alpha, power)
	if out.RequiredN < 0 {
		return nil, fmt.Errorf("no finite number of requests reaches power %v", power)
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
