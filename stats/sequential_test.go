package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// drawBatch draws a multinomial batch of n requests by conditional binomials.
func drawBatch(rng *rand.Rand, n int64, p []float64, out []int64) {
	rest := 1.0
	for i := range p {
		if i == len(p)-1 {
			out[i] = n
			break
		}
		q := math.Min(1, p[i]/rest)
		out[i] = binomialRand(rng, n, q)
		n -= out[i]
		rest -= p[i]
	}
}

// TestSequentialFalseAlarms runs seeded null streams with 100 looks each and
// checks that the sequential test's false-alarm rate over all looks stays at
// or below alpha (within 4 binomial sigma), while a fixed-N Pearson test
// repeated at every look is far above it.
func TestSequentialFalseAlarms(t *testing.T) {
	t.Parallel()
	const (
		alpha = 0.05
		looks = 100
	)
	for _, c := range []struct {
		name  string
		conc  float64
		batch int64
		runs  int
	}{
		{"c=100", 100, 100, 2000},
		{"default c", 0, 2000, 2000},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := []float64{0.5, 0.3, 0.2}
			rng := rand.New(rand.NewPCG(42, uint64(c.batch)))
			b := make([]int64, len(p))
			var seqAlarms, naiveAlarms int
			for r := 0; r < c.runs; r++ {
				s := NewSequential(p, c.conc)
				naive := false
				for l := 0; l < looks; l++ {
					drawBatch(rng, c.batch, p, b)
					s.Add(b)
					if !naive && Pearson(s.Counts(), p).PValue <= alpha {
						naive = true
					}
				}
				if s.Reject(alpha) {
					seqAlarms++
				}
				if naive {
					naiveAlarms++
				}
			}
			rate := float64(seqAlarms) / float64(c.runs)
			if bound := alpha + binomialBound(alpha, c.runs, 4); rate > bound {
				t.Errorf("sequential false-alarm rate %.4f over %d looks, want <= %.4f", rate, looks, bound)
			}
			if naive := float64(naiveAlarms) / float64(c.runs); naive < 2*alpha {
				t.Errorf("repeated fixed-N test false-alarm rate %.4f: expected inflation well above %.2f", naive, alpha)
			}
			t.Logf("false alarms over %d looks: sequential %.4f, repeated Pearson %.4f", looks, rate, float64(naiveAlarms)/float64(c.runs))
		})
	}
}

// TestSequentialDetects checks that a real deviation is eventually flagged.
func TestSequentialDetects(t *testing.T) {
	p := []float64{0.5, 0.5}
	truth := []float64{0.52, 0.48}
	rng := rand.New(rand.NewPCG(1, 1))
	b := make([]int64, 2)
	s := NewSequential(p, 0)
	for l := 0; l < 200 && !s.Reject(0.001); l++ {
		drawBatch(rng, 1000, truth, b)
		s.Add(b)
	}
	if !s.Reject(0.001) {
		t.Errorf("52/48 against 50/50 not detected after %d requests (p=%.3g)", s.N(), s.PValue())
	}
	// p-values never increase.
	s2 := NewSequential(p, 0)
	last := 1.0
	for l := 0; l < 50; l++ {
		drawBatch(rng, 1000, p, b)
		if pv := s2.Add(b); pv > last {
			t.Fatalf("p-value increased from %v to %v", last, pv)
		} else {
			last = pv
		}
	}
}
