package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

var sink int

// BenchmarkFloor is the physical floor of a pick: one random draw and one table lookup, counted. Every
// other figure is read as a ratio to it, measured in the same run.
func BenchmarkFloor(b *testing.B) {
	src := rand.NewPCG(1, 2)
	var table [128]uint8
	for i := range table {
		table[i] = uint8(i & 1)
	}
	var counts [2]int64
	b.ReportAllocs()
	for b.Loop() {
		counts[table[src.Uint64()&127]]++
	}
	sink = int(counts[0])
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}

// BenchmarkPick is Envoy's pick (r mod total, then the interval) over n destinations, counted.
func BenchmarkPick(b *testing.B) {
	for _, n := range []int{2, 5, 16, 50, 100} {
		b.Run(fmt.Sprintf("dests=%d", n), func(b *testing.B) {
			w := make([]uint32, n)
			for i := range w {
				w[i] = uint32(100/n + i%3)
			}
			p, err := NewPicker(w)
			if err != nil {
				b.Fatal(err)
			}
			src := rand.NewPCG(1, 2)
			counts := make([]int64, n)
			b.ReportAllocs()
			for b.Loop() {
				counts[p.Pick(src.Uint64())]++
			}
			sink = int(counts[0])
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
		})
	}
}

// BenchmarkPickLinear is the literal linear walk with a division, for comparison.
func BenchmarkPickLinear(b *testing.B) {
	for _, n := range []int{2, 50} {
		b.Run(fmt.Sprintf("dests=%d", n), func(b *testing.B) {
			w := make([]uint32, n)
			for i := range w {
				w[i] = uint32(100/n + i%3)
			}
			src := rand.NewPCG(1, 2)
			counts := make([]int64, n)
			for b.Loop() {
				counts[PickLinear(w, src.Uint64())]++
			}
			sink = int(counts[0])
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
		})
	}
}

// BenchmarkRun is the runner end to end: one rule, 80/20, 2^20 requests per iteration.
func BenchmarkRun(b *testing.B) {
	a := Action{Kind: Forward, Destinations: []Destination{{EnvoyWeight: 80}, {EnvoyWeight: 20}}}
	tbl := &Table{Hosts: []*Host{{Name: "h", Rules: []*Rule{{Action: a}}, Routes: []Route{{MatchIndex: -1}}}}}
	const n = 1 << 20
	groups := []Group{{Requests: n, Classes: []Class{{Host: "h", Weight: 1}}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(tbl, groups, Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*n), "ns/request")
}
