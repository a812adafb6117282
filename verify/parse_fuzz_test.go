package verify

import (
	"math"
	"testing"
)

// Parsing any --weights, --counts and --map gives an error or values that keep what the parsers
// promise (finite non-negative weights, non-negative counts, one per destination); never a panic.
func FuzzParseFlags(f *testing.F) {
	f.Add("70,30", "700,300", "a=v1")
	f.Add("v1=80,v2=20", "v1=7,v2=3", "x=y=z")
	f.Add("1e15,1", "9223372036854775807,9223372036854775807", "")
	f.Add("NaN,1", "-1,2", "=")
	f.Fuzz(func(t *testing.T, weights, counts, m string) {
		e, err := ParseWeights(weights)
		if err == nil {
			for _, w := range e.Weights {
				if !(w >= 0) || math.IsInf(w, 0) {
					t.Fatalf("weights %q: %v", weights, e.Weights)
				}
			}
			if c, err := ParseCounts(counts, e); err == nil {
				if len(c) != len(e.Weights) {
					t.Fatalf("counts %q: %v for %d destinations", counts, c, len(e.Weights))
				}
				for _, n := range c {
					if n < 0 {
						t.Fatalf("counts %q: %v", counts, c)
					}
				}
			}
		}
		_, _ = ParseMap([]string{m})
	})
}
