package stats

import (
	"fmt"
	"math"
)

// CohenW returns Cohen's effect size w = sqrt(sum (p1-p0)^2/p0) of the
// alternative shares p1 against the null shares p0 (both are renormalized to
// sum to 1). Destinations with p0 == 0 are skipped when p1 is also 0; if p1
// puts mass on a destination with p0 == 0, w is +Inf (any traffic there is a
// definite violation). It panics if the lengths differ or a share is negative
// or NaN.
func CohenW(p0, p1 []float64) float64 {
	if len(p0) != len(p1) {
		panic(fmt.Sprintf("stats: CohenW: %d null shares but %d alternative shares", len(p0), len(p1)))
	}
	s0, s1 := checkShares(p0), checkShares(p1)
	var w2 float64
	for i := range p0 {
		a, b := p0[i]/s0, p1[i]/s1
		if a == 0 {
			if b > 0 {
				return math.Inf(1)
			}
			continue
		}
		d := b - a
		w2 += d * d / a
	}
	return math.Sqrt(w2)
}

// checkShares panics on negative, NaN or infinite shares or a zero sum and
// returns the sum.
func checkShares(p []float64) float64 {
	var s float64
	for i, v := range p {
		if !(v >= 0) || math.IsInf(v, 1) {
			panic(fmt.Sprintf("stats: share %d is %v", i, v))
		}
		s += v
	}
	if !(s > 0) {
		panic("stats: shares sum to 0")
	}
	return s
}
