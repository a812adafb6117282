package stats

import "testing"

func BenchmarkGOF(b *testing.B) {
	counts := []int64{7010000, 2990000}
	probs := []float64{0.7, 0.3}
	b.Run("pearson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Pearson(counts, probs)
		}
	})
	b.Run("g", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			GTest(counts, probs)
		}
	})
	b.Run("exact-binomial-1e7", func(b *testing.B) {
		for b.Loop() {
			Exact(counts, probs, 1)
		}
	})
}

func BenchmarkExact(b *testing.B) {
	for _, c := range []struct {
		name   string
		counts []int64
		probs  []float64
	}{
		{"k3-N300", []int64{12, 200, 88}, []float64{1, 60, 39}},
		{"k4-N40", []int64{16, 12, 8, 4}, []float64{0.4, 0.3, 0.2, 0.1}},
		{"k5-montecarlo", []int64{1, 2, 3, 1, 50000}, []float64{1, 1, 1, 1, 49996}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Exact(c.counts, c.probs, 1)
			}
		})
	}
}

func BenchmarkRequiredN(b *testing.B) {
	p0, p1 := []float64{0.7, 0.3}, []float64{0.701, 0.299}
	for b.Loop() {
		RequiredN(p0, p1, 0.05, 0.8)
	}
}

func BenchmarkSequentialAdd(b *testing.B) {
	s := NewSequential([]float64{0.5, 0.3, 0.2}, 0)
	batch := []int64{500, 300, 200}
	b.ReportAllocs()
	for b.Loop() {
		s.Add(batch)
	}
}
