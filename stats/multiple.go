package stats

import (
	"math"
	"sort"
)

// Holm returns Holm's step-down adjusted p-values, in the order of p: with
// p sorted ascending, adj_(j) = max over i <= j of min(1, (m-i+1) p_(i)).
// Rejecting the hypotheses with adjusted p <= alpha controls the family-wise
// error rate at alpha. The result is monotone in p and capped at 1. NaN
// inputs are passed through as NaN and do not count towards m.
func Holm(p []float64) []float64 {
	out := make([]float64, len(p))
	ord := make([]int, 0, len(p))
	for i, v := range p {
		if math.IsNaN(v) {
			out[i] = math.NaN()
			continue
		}
		ord = append(ord, i)
	}
	sort.SliceStable(ord, func(a, b int) bool { return p[ord[a]] < p[ord[b]] })
	m := len(ord)
	running := 0.0
	for j, i := range ord {
		v := math.Min(1, float64(m-j)*p[i])
		running = math.Max(running, v)
		out[i] = running
	}
	return out
}
