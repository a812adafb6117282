package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Envoy's route tests pick among 30/30/40 weighted clusters with random values 115, 445 and 560,
// which select the first, second and third cluster (15, 45, 60 mod 100). Follows envoy
// source/common/router/weighted_cluster_specifier.cc, WeightedClusterSpecifierPlugin::pickWeightedCluster.
func TestPickEnvoyRouteValues(t *testing.T) {
	p, err := NewPicker([]uint32{30, 30, 40})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r    uint64
		want int
	}{{115, 0}, {445, 1}, {560, 2}, {0, 0}, {29, 0}, {30, 1}, {59, 1}, {60, 2}, {99, 2}, {math.MaxUint64, 0}} {
		if got := p.Pick(tc.r); got != tc.want {
			t.Errorf("Pick(%d) = %d, want %d", tc.r, got, tc.want)
		}
		if got := PickLinear([]uint32{30, 30, 40}, tc.r); got != tc.want {
			t.Errorf("PickLinear(%d) = %d, want %d", tc.r, got, tc.want)
		}
	}
}

// Zero-weight entries have empty intervals and are never chosen; duplicates keep their own interval
// (pickWeightedCluster walks [begin, end) per entry, it does not merge names).
func TestPickZeroAndDuplicateEntries(t *testing.T) {
	w := []uint32{0, 50, 0, 50, 0}
	p, err := NewPicker(w)
	if err != nil {
		t.Fatal(err)
	}
	for r := uint64(0); r < 1000; r++ {
		i := p.Pick(r)
		if w[i] == 0 {
			t.Fatalf("Pick(%d) chose zero-weight entry %d", r, i)
		}
		if i != PickLinear(w, r) {
			t.Fatalf("Pick(%d) = %d, linear walk = %d", r, i, PickLinear(w, r))
		}
	}
}

// Envoy rejects a total of 0 or above 2^32-1 (the sum is a uint32 in pickWeightedCluster).
func TestPickerRejectsBadTotals(t *testing.T) {
	if _, err := NewPicker([]uint32{0, 0}); err == nil {
		t.Error("all-zero weights accepted")
	}
	if _, err := NewPicker([]uint32{math.MaxUint32, 1}); err == nil {
		t.Error("total above 2^32-1 accepted")
	}
	if _, err := NewPicker([]uint32{math.MaxUint32 - 1, 1}); err != nil {
		t.Errorf("total 2^32-1 rejected: %v", err)
	}
}

func TestModEqualsRemainder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	divisors := []uint64{1, 2, 3, 7, 100, 1000, 1 << 16, 1<<32 - 1, 1<<32 - 5, 1 << 31, 4294967291}
	for range 200 {
		divisors = append(divisors, rng.Uint64N(1<<32-1)+1)
	}
	for _, d := range divisors {
		p, err := NewPicker([]uint32{uint32(d)})
		if err != nil {
			t.Fatal(err)
		}
		edge := []uint64{0, 1, d - 1, d, d + 1, math.MaxUint64, math.MaxUint64 - 1, math.MaxUint64 / d * d, math.MaxUint64/d*d - 1}
		for _, r := range edge {
			if got, want := p.Mod(r), r%d; got != want {
				t.Fatalf("Mod(%d) with total %d = %d, want %d", r, d, got, want)
			}
		}
		for range 2000 {
			r := rng.Uint64()
			if got, want := p.Mod(r), r%d; got != want {
				t.Fatalf("Mod(%d) with total %d = %d, want %d", r, d, got, want)
			}
		}
	}
}

// The lookup-table pick must equal the literal linear walk for any weights: zeros, duplicates, a
// single huge weight among tiny ones, totals up to 2^32-1.
func TestPickEqualsLinearWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 3000 {
		n := 1 + rng.IntN(120)
		w := make([]uint32, n)
		var limit uint64
		switch trial % 4 {
		case 0:
			limit = 101
		case 1:
			limit = 1 << 16
		case 2:
			limit = (1<<32 - 1) / uint64(n)
		default:
			limit = 3
		}
		var total uint64
		for i := range w {
			if rng.IntN(4) == 0 {
				continue // zero weight
			}
			w[i] = uint32(rng.Uint64N(limit))
			total += uint64(w[i])
		}
		if trial%7 == 0 && n > 1 {
			w[rng.IntN(n)] = uint32(1<<32 - 1 - (total - 0)) // one huge entry up to the limit
			total = 0
			for _, x := range w {
				total += uint64(x)
			}
		}
		if total == 0 || total > MaxTotalWeight {
			continue
		}
		p, err := NewPicker(w)
		if err != nil {
			t.Fatal(err)
		}
		check := func(r uint64) {
			if got, want := p.Pick(r), PickLinear(w, r); got != want {
				t.Fatalf("weights %v: Pick(%d) = %d, linear = %d", w, r, got, want)
			}
		}
		for range 300 {
			check(rng.Uint64())
		}
		// every interval boundary, and its neighbours
		for i := range w {
			b, e := p.Interval(i)
			for _, v := range []uint64{b, e - 1, e, b + 1} {
				if v < total {
					check(v)
					check(v + total*uint64(rng.IntN(1000)))
				}
			}
		}
	}
}

// Counting by value gives exactly the counts of picking one by one with the same random values.
func TestCountEqualsPickOneByOne(t *testing.T) {
	for _, w := range [][]uint32{{80, 20}, {0, 50, 0, 50}, {1, 2, 3}, {4096}, {1000, 3000, 96}, {1, 1 << 20}, {7}} {
		p, err := NewPicker(w)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]int64, len(w))
		p.Count(rand.NewPCG(9, 9), rand.NewPCG(8, 8), 100003, got, make([]uint32, p.histSize()))
		want := make([]int64, len(w))
		a, b := rand.NewPCG(9, 9), rand.NewPCG(8, 8)
		for i := range 100003 {
			src := a
			if i%2 == 1 && i < 100002 {
				src = b
			}
			want[PickLinear(w, src.Uint64())]++
		}
		for i := range w {
			if got[i] != want[i] {
				t.Fatalf("weights %v: Count %v, one by one %v", w, got, want)
			}
		}
	}
}
