package sim

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
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

// Cut(e) counts the 64-bit values r with r mod total < e: for small totals it is checked against the
// sum over remainders v < e of the number of r = v + k*total below 2^64, ceil((2^64 - v) / total),
// in big integers; for totals up to 2^32-1, against (2^64 div total)*e + min(2^64 mod total, e).
// These counts are what Envoy's pick (pickWeightedCluster: random_value % total_weight) gives each
// interval, so they are the targets Draw must hit.
func TestCutCountsRemainders(t *testing.T) {
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	for total := uint64(1); total <= 130; total++ {
		p, err := NewPicker([]uint32{uint32(total)})
		if err != nil {
			t.Fatal(err)
		}
		sum := new(big.Int)
		for e := uint64(0); e < total; e++ {
			if got := p.Cut(e); new(big.Int).SetUint64(got).Cmp(sum) != 0 {
				t.Fatalf("total %d: Cut(%d) = %d, want %s", total, e, got, sum)
			}
			n := new(big.Int).Sub(two64, new(big.Int).SetUint64(e))
			n.Add(n, new(big.Int).SetUint64(total-1))
			sum.Add(sum, n.Div(n, new(big.Int).SetUint64(total)))
		}
		if sum.Cmp(two64) != 0 {
			t.Fatalf("total %d: remainders count %s values, want 2^64", total, sum)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	totals := []uint64{1 << 31, 1<<32 - 1, 4294967291, 3, 1000, 1 << 16}
	for range 200 {
		totals = append(totals, rng.Uint64N(1<<32-1)+1)
	}
	for _, total := range totals {
		p, err := NewPicker([]uint32{uint32(total)})
		if err != nil {
			t.Fatal(err)
		}
		q, s := new(big.Int).DivMod(two64, new(big.Int).SetUint64(total), new(big.Int))
		for _, e := range []uint64{0, 1, total - 1, total / 2, s.Uint64(), s.Uint64() + 1, rng.Uint64N(total)} {
			if e >= total {
				continue
			}
			want := new(big.Int).Mul(q, new(big.Int).SetUint64(e))
			want.Add(want, new(big.Int).SetUint64(min(e, s.Uint64())))
			if got := p.Cut(e); new(big.Int).SetUint64(got).Cmp(want) != 0 {
				t.Fatalf("total %d: Cut(%d) = %d, want %s", total, e, got, want)
			}
		}
	}
}

// Draw chooses entry i for exactly the values u in [Cut(begin_i), Cut(end_i)): the same number of
// values as Envoy's rule gives it (TestCutCountsRemainders), so a uniform u chooses each entry with
// Envoy's probability to the last bit. Checked at both ends of every range (the first value, the
// last, and the neighbours outside), at the bin edges, and against the plain walk over the cuts for
// random values, for weights with zeros, duplicates, tiny entries inside one bin and huge totals.
func TestDrawChoosesEnvoysRanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for k, w := range drawCases(rng) {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			p, err := NewPicker(w)
			if errors.Is(err, ErrZeroTotal) {
				t.Skip("weights sum to 0")
			}
			if err != nil {
				t.Fatal(err)
			}
			d := drawCheck{t: t, p: p, w: w}
			d.rangeEnds()
			d.binEdges()
			for range 200 {
				u := rng.Uint64()
				d.check(u, d.ref(u))
			}
		})
	}
}

// drawCases are the weights TestDrawChoosesEnvoysRanges checks: fixed edge cases, then 500 random
// lists with zeros, of up to 120 entries, drawn from rng.
func drawCases(rng *rand.Rand) [][]uint32 {
	cases := [][]uint32{{80, 20}, {50, 50}, {30, 30, 40}, {0, 50, 0, 50, 0}, {1, 99999}, {99999, 1},
		{1, 1, 1, 4294967292}, {7}, {0, 0, 3}, {1, 0, 0}, {1<<32 - 1}}
	for range 500 {
		n := 1 + rng.IntN(120)
		w := make([]uint32, n)
		limit := []uint64{3, 101, 1 << 16, (1<<32 - 1) / uint64(n)}[rng.IntN(4)]
		for i := range w {
			if rng.IntN(4) > 0 {
				w[i] = uint32(rng.Uint64N(limit))
			}
		}
		cases = append(cases, w)
	}
	return cases
}

// drawCheck compares Picker.Draw with a reference computed from the weights.
type drawCheck struct {
	t *testing.T
	p *Picker
	w []uint32
}

// ref is the first entry whose range [Cut(begin), Cut(end)) holds u, computed from the weights; the
// last range ends at 2^64.
func (d drawCheck) ref(u uint64) int {
	last := 0
	for i := range d.w {
		if d.w[i] == 0 {
			continue
		}
		last = i
		_, end := d.p.Interval(i)
		if end == d.p.Total() || u < d.p.Cut(end) {
			return i
		}
	}
	return last
}

// check fails the test unless Draw(u) is want.
func (d drawCheck) check(u uint64, want int) {
	d.t.Helper()
	if got := d.p.Draw(u); got != want {
		d.t.Fatalf("weights %v: Draw(%d) = %d, want %d", d.w, u, got, want)
	}
}

// rangeEnds checks both ends of every non-empty entry's range and the values just outside them.
func (d drawCheck) rangeEnds() {
	d.t.Helper()
	for i := range d.w {
		if d.w[i] == 0 {
			continue
		}
		begin, end := d.p.Interval(i)
		lo := d.p.Cut(begin)
		d.check(lo, i)
		if lo > 0 {
			d.check(lo-1, d.ref(lo-1))
			if d.ref(lo-1) >= i {
				d.t.Fatalf("weights %v: value %d before entry %d's range chooses %d", d.w, lo-1, i, d.ref(lo-1))
			}
		}
		if end < d.p.Total() {
			hi := d.p.Cut(end)
			d.check(hi-1, i)
			d.check(hi, d.ref(hi))
		} else {
			d.check(math.MaxUint64, i)
		}
	}
}

// binEdges checks the first and last value of each of the 2^binBits bins.
func (d drawCheck) binEdges() {
	d.t.Helper()
	for j := range uint64(bins) {
		for _, u := range []uint64{j << (64 - binBits), j<<(64-binBits) | (1<<(64-binBits) - 1)} {
			d.check(u, d.ref(u))
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

// Count gives exactly the counts of placing each request by Draw: binBits bits from each draw in
// turn, perDraw requests a draw (the last draw's spare bits unused), then, bin by bin in order, for
// each request in a bin that holds a cut, the remaining bits from the next draw.
func TestCountEqualsDrawOneByOne(t *testing.T) {
	for _, w := range [][]uint32{{80, 20}, {0, 50, 0, 50}, {1, 2, 3}, {4096}, {1000, 3000, 96}, {1, 1 << 20}, {7}, {1, 99999}} {
		for _, n := range []int{0, 1, 4, 5, 6, 100003} {
			p, err := NewPicker(w)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]int64, len(w))
			hist := new(Hist)
			p.Count(rand.NewPCG(9, 9), n, got, hist)
			if *hist != (Hist{}) {
				t.Fatal("Count left its scratch tally dirty")
			}

			src := rand.NewPCG(9, 9)
			var reqBins []uint64
			for len(reqBins) < n {
				r := src.Uint64()
				for k := 0; k < perDraw && len(reqBins) < n; k++ {
					reqBins = append(reqBins, r>>(k*binBits)&binMask)
				}
			}
			sort.Slice(reqBins, func(a, b int) bool { return reqBins[a] < reqBins[b] })
			want := make([]int64, len(w))
			for _, j := range reqBins {
				lo := j << (64 - binBits)
				if p.Draw(lo) == p.Draw(lo|(1<<(64-binBits)-1)) {
					want[p.Draw(lo)]++
				} else {
					want[p.Draw(lo|src.Uint64()>>binBits)]++
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("weights %v, %d requests: Count %v, one by one %v", w, n, got, want)
			}
		}
	}
}

// An entry far smaller than a bin (weight 3 of 1000: 0.3%, inside bin 0 of 4096) is chosen with its
// share: the cut-holding bin's requests are placed with all 64 bits. Pearson's X2 summed over 20
// seeds of 10^6 requests each stays within 6 standard deviations of its chi-square mean.
func TestCountSmallEntryInsideOneBin(t *testing.T) {
	for _, w := range [][]uint32{{3, 997}, {997, 3}, {500, 1, 499}} {
		p, err := NewPicker(w)
		if err != nil {
			t.Fatal(err)
		}
		var x2 float64
		for seed := range uint64(20) {
			counts := make([]int64, len(w))
			const n = 1_000_000
			p.Count(rand.NewPCG(seed, 77), n, counts, new(Hist))
			for i, c := range counts {
				e := n * float64(w[i]) / 1000
				x2 += (float64(c) - e) * (float64(c) - e) / e
			}
		}
		df := 20 * float64(len(w)-1)
		if x2 > df+6*math.Sqrt(2*df) {
			t.Errorf("weights %v: X2 %.1f over %v degrees of freedom", w, x2, df)
		}
	}
}

// fold works the same on the coarse tally (the top coarseBits bits) that groups of several classes
// use: each bin between two cuts goes to its entry whole, and each request in a bin that holds a
// cut is placed by Draw with the remaining bits drawn in bin order.
func TestFoldCoarseEqualsDrawOneByOne(t *testing.T) {
	for _, w := range [][]uint32{{80, 20}, {0, 50, 0, 50}, {1, 2, 3}, {3, 997}, {500, 1, 499}, {0, 0, 7, 0}, {1, 1 << 20, 0}} {
		p, err := NewPicker(w)
		if err != nil {
			t.Fatal(err)
		}
		vals := rand.New(rand.NewPCG(1, uint64(len(w))))
		var h [coarseBins]uint32
		var reqBins []uint64
		for range 20000 {
			j := vals.Uint64N(coarseBins)
			h[j]++
			reqBins = append(reqBins, j)
		}
		got := make([]int64, len(w))
		if n := p.fold(rand.NewPCG(5, 5), h[:], got); n != 20000 {
			t.Fatalf("weights %v: fold counted %d requests", w, n)
		}
		if h != ([coarseBins]uint32{}) {
			t.Fatal("fold left the tally dirty")
		}
		sort.Slice(reqBins, func(a, b int) bool { return reqBins[a] < reqBins[b] })
		src := rand.NewPCG(5, 5)
		want := make([]int64, len(w))
		for _, j := range reqBins {
			lo := j << (64 - coarseBits)
			if a := p.Draw(lo); a == p.Draw(lo|(1<<(64-coarseBits)-1)) {
				want[a]++
			} else {
				want[p.Draw(lo|src.Uint64()>>coarseBits)]++
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("weights %v: fold %v, one by one %v", w, got, want)
		}
	}
}
