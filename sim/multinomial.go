package sim

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/splitsim/splitsim/internal/binomial"
)

// Simulation methods.
const (
	PerRequest  = "per-request"
	Multinomial = "multinomial"
	Auto        = "auto"
)

// AutoLimit is the largest group that the auto method simulates request by request; larger groups
// draw their counts directly. Nothing in a run depends on the individual request (no users, no time
// series), so the two methods give counts with the same distribution (tested), and the multinomial one
// costs the same for 10^12 requests as for 10^3.
const AutoLimit = 100_000_000

// checkpoints are the request counts at which a group's series records cumulative counts: powers of
// two from 16 inside the first block, then the ends of blocks 2^e - 1 (the per-request runner's epochs),
// and finally the group's size.
func checkpoints(n int64) []int64 {
	var out []int64
	for e := int64(16); e < min(n, BlockSize); e *= 2 {
		out = append(out, e)
	}
	for e := 0; e < 62; e++ {
		// (2^(e+1) - 1) x BlockSize, stopping where it would pass n or overflow.
		hi, end := bits.Mul64((uint64(1)<<(e+1))-1, BlockSize)
		if hi != 0 || end >= uint64(n) {
			break
		}
		out = append(out, int64(end))
	}
	return append(out, n)
}

// runMultinomial draws the group's counts directly: the requests between consecutive checkpoints are
// split over the classes by a multinomial draw (conditional binomials with an exact sampler), and each
// class's share over its destinations likewise with Envoy's weights.
func (p *plan) runMultinomial(opts Options) []Checkpoint {
	rng := rand.New(Stream(p.seed, math.MaxUint64))
	acc := make([]int64, p.width)
	classBase := p.width - len(p.classes)
	classDelta := make([]int64, len(p.classes))
	destW := make([][]uint64, len(p.classes))
	destDelta := make([][]int64, len(p.classes))
	for c, pk := range p.pickers {
		if pk != nil {
			destW[c] = pk.weights()
			destDelta[c] = make([]int64, pk.Len())
		}
	}
	var series []Checkpoint
	var prev int64
	for _, cp := range checkpoints(p.requests) {
		delta := cp - prev
		prev = cp
		binomial.Multinomial(rng, delta, p.classW, classDelta)
		for c := range p.classes {
			acc[classBase+c] += classDelta[c]
			if destW[c] == nil {
				continue
			}
			binomial.Multinomial(rng, classDelta[c], destW[c], destDelta[c])
			for i, v := range destDelta[c] {
				acc[p.offsets[c]+i] += v
			}
		}
		if opts.Series {
			series = append(series, p.checkpoint(cp, acc))
		}
		if opts.Done != nil {
			opts.Done.Add(delta)
		}
	}
	p.fill(acc)
	return series
}

// weights returns the entries' weights.
func (p *Picker) weights() []uint64 {
	w := make([]uint64, len(p.ends))
	var prev uint64
	for i, e := range p.ends {
		w[i] = e - prev
		prev = e
	}
	return w
}
