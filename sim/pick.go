package sim

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// MaxTotalWeight is the largest sum of weights Envoy accepts for weighted_clusters (uint32).
const MaxTotalWeight = math.MaxUint32

// Picker chooses one entry of a weighted list the way Envoy chooses among weighted_clusters
// (envoy source/common/router/weighted_cluster_specifier.cc, pickWeightedCluster): v = r mod total,
// then the first entry, in configuration order, whose half-open interval [begin, begin+w) holds v.
// Zero-weight entries have empty intervals and are never chosen; duplicates keep their own intervals.
//
// Pick gives the same answer as that linear walk but in time that does not grow with the number of
// entries: the modulo is computed by multiplication, and a lookup table indexed by the high bits of v
// gives the entry to start from (the entry itself when the table has one slot per value).
type Picker struct {
	total uint64
	ends  []uint64 // ends[i] = sum of weights[0..i]; interval i is [ends[i-1], ends[i])
	shift uint     // table index = v >> shift
	table []uint32 // table[j] = first entry i with ends[i] > j<<shift
	magic uint64   // floor((2^64-1) / total), for the remainder by multiplication
}

// ErrZeroTotal is returned when the weights sum to zero.
var ErrZeroTotal = errors.New("total weight is 0")

// tableBits bounds the lookup table at 2^tableBits entries.
const tableBits = 12

// NewPicker builds a picker over weights. The total must be in 1..MaxTotalWeight, as Envoy requires.
func NewPicker(weights []uint32) (*Picker, error) {
	p := &Picker{ends: make([]uint64, len(weights))}
	for i, w := range weights {
		p.total += uint64(w)
		p.ends[i] = p.total
	}
	if p.total == 0 {
		return nil, ErrZeroTotal
	}
	if p.total > MaxTotalWeight {
		return nil, fmt.Errorf("total weight %d exceeds %d", p.total, uint64(MaxTotalWeight))
	}
	p.magic = math.MaxUint64 / p.total
	top := uint(bits.Len64(p.total - 1))
	if top > tableBits {
		p.shift = top - tableBits
	}
	size := int((p.total-1)>>p.shift) + 1
	p.table = make([]uint32, size)
	i := 0
	for j := range p.table {
		begin := uint64(j) << p.shift
		for p.ends[i] <= begin {
			i++
		}
		p.table[j] = uint32(i)
	}
	return p, nil
}

// Total is the sum of the weights.
func (p *Picker) Total() uint64 { return p.total }

// Len is the number of entries.
func (p *Picker) Len() int { return len(p.ends) }

// Interval returns entry i's half-open interval [begin, end) in 0..Total().
func (p *Picker) Interval(i int) (begin, end uint64) {
	if i > 0 {
		begin = p.ends[i-1]
	}
	return begin, p.ends[i]
}

// Mod returns r mod Total() without a division: with m = floor((2^64-1)/d), the estimate
// q = floor(r*m / 2^64) is floor(r/d) or one less (the error r*(2^64/d - m)/2^64 is below 1 + 1/d), so
// r - q*d lies in [0, 2d) and one conditional subtraction finishes it. (2^64 - m*d is at most d, so
// the error r*(2^64 - m*d)/(d*2^64) is below r/2^64 < 1.) A test checks it against %.
func (p *Picker) Mod(r uint64) uint64 {
	q, _ := bits.Mul64(r, p.magic)
	v := r - q*p.total
	// Branch-free "if v >= total { v -= total }": v < 2*total <= 2^33, so v-total is negative exactly
	// when v < total, and its sign bit spread over a word masks the subtraction. (A branch here is
	// mispredicted about half the time, which doubles the cost of a pick.)
	keep := uint64(int64(v-p.total) >> 63)
	return v - p.total&^keep
}

// Pick returns the index of the entry that Envoy selects for the random value r.
func (p *Picker) Pick(r uint64) int {
	v := p.Mod(r)
	i := p.table[v>>p.shift]
	for p.ends[i] <= v {
		i++
	}
	return int(i)
}

// PickLinear is Envoy's rule written literally: v = r % total, then a walk in configuration order.
// It is the reference that Pick is tested against.
func PickLinear(weights []uint32, r uint64) int {
	var total uint64
	for _, w := range weights {
		total += uint64(w)
	}
	v := r % total
	var begin uint64
	for i, w := range weights {
		if v >= begin && v < begin+uint64(w) {
			return i
		}
		begin += uint64(w)
	}
	return -1
}

// byValueLimit is the largest total whose picks are counted per value (a histogram of 2*total
// uint32 counters, 16 KiB at most, which stays in the L1 cache) and folded into entries afterwards.
const byValueLimit = 2048

// byValue reports whether Count tallies values rather than entries.
func (p *Picker) byValue() bool { return p.total <= byValueLimit }

// histSize is the length of the scratch histogram Count needs.
func (p *Picker) histSize() int { return 2 * int(p.total) }

// Count draws n random values, from a and b in turn (a first), and adds Envoy's pick for each to
// counts (one counter per entry). For totals up to byValueLimit it tallies the remainder before its final correction,
// u = r - floor(r*m/2^64)*total in [0, 2*total) (see Mod), in hist (scratch space of histSize()
// zeroed counters, n < 2^32), and then adds u and u+total to value u's entry: the same counts as
// picking one by one, with neither the correction nor the table lookup per request. A test checks
// that the two agree exactly.
func (p *Picker) Count(a, b *rand.PCG, n int, counts []int64, hist []uint32) {
	if p.byValue() && len(hist) >= p.histSize() {
		h := hist[:p.histSize()]
		m, d := p.magic, p.total
		for range n / 2 {
			r0, r1 := a.Uint64(), b.Uint64()
			q0, _ := bits.Mul64(r0, m)
			q1, _ := bits.Mul64(r1, m)
			h[r0-q0*d]++
			h[r1-q1*d]++
		}
		if n%2 == 1 {
			r := a.Uint64()
			q, _ := bits.Mul64(r, m)
			h[r-q*d]++
		}
		p.fold(h, counts)
		return
	}
	for range n / 2 {
		counts[p.Pick(a.Uint64())]++
		counts[p.Pick(b.Uint64())]++
	}
	if n%2 == 1 {
		counts[p.Pick(a.Uint64())]++
	}
}

// fold adds each entry's values of the tally hist (values v and v+total, see Count) to counts, and
// zeroes hist.
func (p *Picker) fold(hist []uint32, counts []int64) {
	var begin uint64
	for i, end := range p.ends {
		var s int64
		for v := begin; v < end; v++ {
			s += int64(hist[v]) + int64(hist[v+p.total])
		}
		counts[i] += s
		begin = end
	}
	clear(hist[:p.histSize()])
}
