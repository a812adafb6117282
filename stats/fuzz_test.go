package stats

import (
	"math"
	"testing"
)

// FuzzGOF checks invariants of the global tests on arbitrary small inputs:
// p-values in [0, 1], finite Log10P consistent with PValue, no panic.
func FuzzGOF(f *testing.F) {
	f.Add(uint8(3), uint8(1), uint8(0), uint8(1), uint8(1), uint8(1))
	f.Add(uint8(200), uint8(0), uint8(7), uint8(9), uint8(0), uint8(1))
	f.Add(uint8(0), uint8(0), uint8(0), uint8(1), uint8(2), uint8(3))
	f.Fuzz(func(t *testing.T, c0, c1, c2, w0, w1, w2 uint8) {
		counts := []int64{int64(c0), int64(c1), int64(c2)}
		probs := []float64{float64(w0), float64(w1), float64(w2)}
		if w0 == 0 && w1 == 0 && w2 == 0 {
			return
		}
		for _, r := range []Test{Pearson(counts, probs), GTest(counts, probs), Exact(counts, probs, 1), Auto(counts, probs, 1)} {
			if !(r.PValue >= 0 && r.PValue <= 1) || math.IsNaN(r.Log10P) || math.IsInf(r.Log10P, 0) || r.Log10P > 0 {
				t.Fatalf("%v %v: %+v", counts, probs, r)
			}
			if r.PValue > 1e-300 && math.Abs(math.Log10(r.PValue)-r.Log10P) > 1e-9*math.Max(1, -r.Log10P) {
				t.Fatalf("%v %v %s: p %v inconsistent with log10p %v", counts, probs, r.Method, r.PValue, r.Log10P)
			}
		}
	})
}
