package sim

import (
	"math/rand/v2"

	"github.com/splitsim/splitsim/internal/binomial"
)

// applyFaults draws, for each class whose rule injects faults or mirrors requests, the requests its
// fault injection aborts and delays and the copies its mirror policies send, from a stream of their
// own (seed, derived from the group's). Envoy draws a fresh random value for each decision, so each is
// independent of the destination picked: the aborted requests of each destination are a binomial
// thinning of its count (exact in distribution: a multinomial thinned alike is the multinomial of the
// forwarded requests plus the aborted ones), the delayed requests a binomial draw over all the rule's
// requests, and each mirror's copies a binomial draw over the forwarded ones. The series of a group
// (convergence charts) count requests as routed, before the abort.
func applyFaults(t *Table, g Group, classes []ClassResult, seed uint64) {
	for ci := range classes {
		cr := &classes[ci]
		if cr.Rule < 0 || cr.Counts == nil {
			continue
		}
		a := &t.Lookup(g.Classes[ci].Host).Rules[cr.Rule].Action
		if a.Fault == nil && len(a.Mirrors) == 0 {
			continue
		}
		rng := rand.New(Stream(splitmix64(seed^0xfa017fa017), uint64(ci)))
		if f := a.Fault; f != nil {
			if f.Delay != nil {
				cr.Delayed = binomial.Rand(rng, cr.Requests, f.Delay.P())
			}
			if f.Abort != nil {
				for i, c := range cr.Counts {
					ab := binomial.Rand(rng, c, f.Abort.P())
					cr.Counts[i] -= ab
					cr.Aborted += ab
				}
			}
		}
		forwarded := cr.Requests - cr.Aborted
		for _, m := range a.Mirrors {
			cr.Mirrored = append(cr.Mirrored, binomial.Rand(rng, forwarded, m.Fraction.P()))
		}
	}
}
