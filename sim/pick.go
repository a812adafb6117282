package sim

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"
)

// MaxTotalWeight is the largest sum of weights Envoy accepts for weighted_clusters (uint32).
const MaxTotalWeight = math.MaxUint32

// Picker chooses one entry of a weighted list the way Envoy chooses among weighted_clusters
// (envoy source/common/router/weighted_cluster_specifier.cc, pickWeightedCluster): for a uniform
// 64-bit random value r, v = r mod total, then the first entry, in configuration order, whose
// half-open interval [begin, begin+w) holds v. Zero-weight entries have empty intervals and are never
// chosen; duplicates keep their own intervals.
//
// Pick applies that rule to a given r. Draw and Count sample the same distribution, exactly, without
// the remainder: entry i, with interval [begin, end), is chosen by Envoy for exactly
// Cut(end) - Cut(begin) of the 2^64 values of r (Cut(e) = e*q + min(e, s) where 2^64 = q*total + s),
// so a uniform u falling in [Cut(begin), Cut(end)) chooses entry i with Envoy's probability to the
// last of its 64 bits. The top binBits of u settle which of those ranges holds u except in the few
// bins that hold a cut, which is what makes Count cheap.
type Picker struct {
	total uint64
	ends  []uint64 // ends[i] = sum of weights[0..i]; interval i is [ends[i-1], ends[i])
	// cuts[i] = Cut(ends[i]) for i < last: a uniform u chooses the first entry i with u < cuts[i],
	// or last.
	cuts []uint64
	last int // the last entry with a non-zero weight
	// coarse[j] is the entry chosen by u = j<<(64-coarseBits), with straddles set when values of u
	// in that bin choose later entries too (a cut falls inside the bin): the class lookup of groups
	// with several classes.
	coarse *[coarseBins]uint32
}

const (
	// binBits is the number of random bits that decide most picks (see Count).
	binBits = 12
	// bins is the number of distinct values of binBits bits.
	bins = 1 << binBits
	// binMask keeps binBits bits.
	binMask = bins - 1
	// perDraw is the number of requests one 64-bit draw decides in Count.
	perDraw = 64 / binBits
	// coarseBits is the number of bits that settle a request's class and tally its destination when
	// a group has several classes: their tallies must share the L1 cache.
	coarseBits = 8
	coarseBins = 1 << coarseBits
	coarseMask = coarseBins - 1
	// straddles marks a bin that holds a cut.
	straddles = 1 << 31
)

// ErrZeroTotal is returned when the weights sum to zero.
var ErrZeroTotal = errors.New("total weight is 0")

// NewPicker builds a picker over weights. The total must be in 1..MaxTotalWeight, as Envoy requires.
func NewPicker(weights []uint32) (*Picker, error) {
	p := &Picker{ends: make([]uint64, len(weights))}
	for i, w := range weights {
		p.total += uint64(w)
		p.ends[i] = p.total
		if w > 0 {
			p.last = i
		}
	}
	if p.total == 0 {
		return nil, ErrZeroTotal
	}
	if p.total > MaxTotalWeight {
		return nil, fmt.Errorf("total weight %d exceeds %d", p.total, uint64(MaxTotalWeight))
	}
	p.cuts = make([]uint64, p.last)
	for i := range p.cuts {
		p.cuts[i] = p.Cut(p.ends[i])
	}
	p.coarse = new([coarseBins]uint32)
	p.settle(p.coarse[:], coarseBits)
	return p, nil
}

// settle fills tab, one slot per value of the top b bits of u, with the entry chosen by the bin's
// lowest u, marked with straddles when the bin's highest u chooses another.
func (p *Picker) settle(tab []uint32, b uint) {
	i := 0
	for j := range tab {
		lo := uint64(j) << (64 - b)
		i = p.walk(i, lo)
		tab[j] = uint32(i)
		if p.walk(i, lo|(1<<(64-b)-1)) != i {
			tab[j] |= straddles
		}
	}
}

// Cut returns the number of 64-bit values r with r mod Total() < e, for e < Total(): e*q + min(e, s)
// where 2^64 = q*Total() + s (each remainder below s occurs q+1 times, the others q times).
func (p *Picker) Cut(e uint64) uint64 {
	if p.total == 1 {
		return 0 // e is 0
	}
	q, s := bits.Div64(1, 0, p.total)
	return e*q + min(e, s)
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

// Pick returns the index of the entry that Envoy selects for the random value r: the first entry
// whose interval holds r mod Total().
func (p *Picker) Pick(r uint64) int {
	v := r % p.total
	return sort.Search(len(p.ends), func(i int) bool { return p.ends[i] > v })
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

// Draw returns the entry that a uniform 64-bit value u chooses: the entry i with
// Cut(begin_i) <= u < Cut(end_i). Over all u each entry is chosen exactly as often as Pick chooses it
// over all r.
func (p *Picker) Draw(u uint64) int {
	return sort.Search(p.last, func(i int) bool { return u < p.cuts[i] })
}

// walk returns the first entry from i on whose range holds u.
func (p *Picker) walk(i int, u uint64) int {
	for i < p.last && u >= p.cuts[i] {
		i++
	}
	return i
}

// Hist is a tally of requests by the top binBits bits of their random value (see Count).
type Hist [bins]uint32

// Count draws n random picks (n < 2^32) from src and adds each one's entry to counts (one counter
// per entry). hist is zeroed scratch space, and is zeroed again on return.
//
// A pick needs the whole 64-bit value u only when u's top binBits bits do not settle it: most cuts
// lie far from the 2^binBits bin edges. So Count takes binBits bits per request, perDraw requests
// from each draw, and tallies them in hist; then it sums the bins between consecutive cuts into
// their entry, and for the few bins that hold a cut it draws the remaining bits of each request
// there and places it exactly.
// The result has the distribution of n independent picks by Envoy, at a fifth of a draw per request.
func (p *Picker) Count(src *rand.PCG, n int, counts []int64, hist *Hist) {
	tally(src, n, hist)
	p.fold(src, hist[:], counts)
}

// tally takes n values of binBits random bits from src, perDraw from each draw, and counts them in h.
func tally(src *rand.PCG, n int, h *Hist) {
	// The generator runs on a local copy, drawBatch values at a time, apart from the counting: the
	// compiler then keeps its state in registers, and no load of it waits behind the counters' stores
	// (interleaved, the loop ran at 0.76 or at 1.77 ns a request depending on where the tally was
	// allocated; batched, at 0.81 wherever it is).
	g := *src
	var buf [drawBatch]uint64
	for ; n >= drawBatch*perDraw; n -= drawBatch * perDraw {
		for i := range buf {
			buf[i] = g.Uint64()
		}
		for _, r := range buf {
			h[r&binMask]++
			h[r>>binBits&binMask]++
			h[r>>(2*binBits)&binMask]++
			h[r>>(3*binBits)&binMask]++
			h[r>>(4*binBits)&binMask]++
		}
	}
	for ; n > 0; n -= perDraw {
		r := g.Uint64()
		for range min(n, perDraw) {
			h[r&binMask]++
			r >>= binBits
		}
	}
	*src = g
}

// drawBatch is the number of draws tally generates before counting them.
const drawBatch = 16

// fold adds the requests tallied in h (by the top log2(len(h)) bits of their value: binBits or
// coarseBits) to their entries' counts, drawing from src the remaining bits of the requests in bins
// that hold a cut; it zeroes h and returns the number of requests. It goes through the cuts in
// order: the bins between two cuts all belong to one entry and are summed, and a bin that holds a
// cut has its requests placed one by one.
func (p *Picker) fold(src *rand.PCG, h []uint32, counts []int64) int64 {
	b := uint(bits.Len(uint(len(h)))) - 1
	var n int64
	j := 0 // the first bin that starts at or after the previous cut
	for i, cut := range p.cuts {
		k := int(cut >> (64 - b)) // the bin that holds the cut
		if k < j {
			continue // an empty entry: its cut's bin was placed already
		}
		s := sum(h[j:k])
		counts[i] += s
		n += s
		j = k
		if cut<<b == 0 {
			continue // the cut is the start of bin k
		}
		lo := uint64(k) << (64 - b)
		for range h[k] {
			counts[p.walk(i, lo|src.Uint64()>>b)]++
		}
		n += int64(h[k])
		j = k + 1
	}
	s := sum(h[j:])
	counts[p.last] += s
	n += s
	clear(h)
	return n
}

// sum returns the number of requests tallied in bins.
func sum(bins []uint32) int64 {
	var s int64
	for _, c := range bins {
		s += int64(c)
	}
	return s
}
