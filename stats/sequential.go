package stats

import (
	"fmt"
	"math"
)

// DefaultConcentration is the prior concentration of the authors' reference
// implementation (Optimizely's ssrm_test, dirichlet_concentration=10000). The
// prior standard deviation of a share is about sqrt(p(1-p)/c), 0.005 at
// p = 0.5: tuned to deviations of a fraction of a point, it needs a few
// thousand requests before even a gross deviation can be flagged (power 0.003
// at 20 looks of 100 requests against 70/30 when the truth is 67/33, alpha
// 0.05). Sequential no longer uses it by default: see AutoConcentration.
const DefaultConcentration = 10000

// Bounds of AutoConcentration.
const (
	MinAutoConcentration = 100
	MaxAutoConcentration = 1e6
)

// AutoConcentration is the prior concentration Sequential uses by default,
// chosen from the size of the first look (its requests to positive-share
// destinations): c = 2 x firstLook, kept within [MinAutoConcentration,
// MaxAutoConcentration]. The prior then spreads a share by about
// sqrt(p(1-p)/c): the deviation a fixed test detects after about twenty looks
// of that size, which is where a rollout watched look by look needs its power.
// At 20 looks of 100 requests against 70/30 with the truth 67/33, alpha 0.05,
// the power is 0.55 (10,000: 0.003; a fixed test at the end: 0.82); at 20
// looks of 500 it stays above 0.99.
//
// The look sizes carry no information about the split under the null (the
// counts given each look's total are multinomial), and the first look's size
// is fixed once it is seen, so the Bayes factor with this c is a martingale
// and the type-I guarantee of Sequential holds unchanged.
func AutoConcentration(firstLook int64) float64 {
	return math.Min(math.Max(2*float64(firstLook), MinAutoConcentration), MaxAutoConcentration)
}

// Sequential is the anytime-valid sample-ratio-mismatch test of Lindon and
// Malek ("Anytime-Valid Inference for Multinomial Count Data", NeurIPS 2022,
// arXiv 2011.03567). The Bayes factor of a Dirichlet-multinomial alternative
// with prior a_i = c p_i against the multinomial null p,
//
//	ln BF_n = lnG(sum a) - lnG(sum a + n) + sum[lnG(a_i + x_i) - lnG(a_i)] - sum x_i ln p_i,
//
// is a nonnegative martingale under the null, so by Ville's inequality
// p_n = min(p_{n-1}, 1/BF_n) is a p-value valid at every look: the rollout may
// be checked after every batch, and stopped as soon as p_n <= alpha, with a
// false-alarm probability of at most alpha over all looks together.
//
// Because BF_n depends only on the cumulative counts, looking after batches
// rather than after every request is a subsequence of looks and stays valid.
// Destinations with share 0 are left out of the model; a request reaching one
// is a definite violation: the p-value drops to 0 (Log10P to ViolationLog10P)
// for good.
//
// The zero value is not usable; create one with NewSequential.
type Sequential struct {
	probs  []float64 // normalized null shares, all destinations
	prior  []float64 // a_i = c p_i
	counts []int64   // cumulative counts, all destinations
	c      float64
	n      int64
	looks  int
	logBF  float64
	log10P float64 // min over looks of -log10 BF, capped at 0
	viol   []int
}

// NewSequential returns a sequential test of the null shares probs
// (renormalized to sum to 1) with prior concentration c; c <= 0 (or +Inf, NaN)
// chooses it at the first look with requests to a positive-share destination,
// AutoConcentration(its requests). It panics on negative, NaN or all-zero
// shares.
func NewSequential(probs []float64, c float64) *Sequential {
	sum := checkShares(probs)
	if !(c > 0) || math.IsInf(c, 1) {
		c = 0
	}
	s := &Sequential{
		probs:  make([]float64, len(probs)),
		prior:  make([]float64, len(probs)),
		counts: make([]int64, len(probs)),
	}
	for i, p := range probs {
		s.probs[i] = p / sum
	}
	s.setConcentration(c)
	return s
}

// setConcentration sets c and the prior a_i = c p_i (c == 0: not chosen yet).
func (s *Sequential) setConcentration(c float64) {
	s.c = c
	for i, p := range s.probs {
		s.prior[i] = c * p
	}
}

// Add adds a batch of counts (one per destination, in the order of the shares)
// to the cumulative counts, takes a look, and returns the sequential p-value
// p_n = min(p_{n-1}, 1/BF_n). It panics if len(batch) differs from the number
// of destinations or a count is negative.
func (s *Sequential) Add(batch []int64) float64 {
	if len(batch) != len(s.counts) {
		panic(fmt.Sprintf("stats: Sequential.Add: %d counts for %d destinations", len(batch), len(s.counts)))
	}
	var look int64 // requests of this look to positive-share destinations
	for i, c := range batch {
		if c < 0 {
			panic(fmt.Sprintf("stats: Sequential.Add: count %d is negative (%d)", i, c))
		}
		if s.probs[i] > 0 {
			look += c
		}
	}
	if total, ok := SumCounts(append(append([]int64(nil), batch...), s.n)); !ok || total < 0 {
		panic("stats: Sequential.Add: the cumulative count passes 2^63-1")
	}
	if s.c == 0 && look > 0 {
		s.setConcentration(AutoConcentration(look))
	}
	for i, c := range batch {
		s.counts[i] += c
		s.n += c
		if c > 0 && s.probs[i] == 0 && !s.violated(i) {
			s.viol = append(s.viol, i)
		}
	}
	s.looks++
	s.logBF = s.computeLogBF()
	if l := -s.logBF / math.Ln10; l < s.log10P {
		s.log10P = l
	}
	return s.PValue()
}

func (s *Sequential) violated(i int) bool {
	for _, j := range s.viol {
		if j == i {
			return true
		}
	}
	return false
}

// computeLogBF evaluates ln BF_n over the positive-share destinations (0
// before the concentration is chosen, when no request has reached one).
func (s *Sequential) computeLogBF() float64 {
	if s.c == 0 {
		return 0
	}
	var sumA, npos float64
	var l float64
	for i, a := range s.prior {
		if a == 0 {
			continue
		}
		x := float64(s.counts[i])
		sumA += a
		npos += x
		if x == 0 {
			continue
		}
		g1, _ := math.Lgamma(a + x)
		g0, _ := math.Lgamma(a)
		l += g1 - g0 - x*math.Log(s.probs[i])
	}
	g1, _ := math.Lgamma(sumA)
	g0, _ := math.Lgamma(sumA + npos)
	return l + g1 - g0
}

// PValue returns the current sequential p-value (1 before any look, 0 after a
// violation). It may underflow to 0; Log10P does not.
func (s *Sequential) PValue() float64 {
	if len(s.viol) > 0 {
		return 0
	}
	return math.Pow(10, s.log10P)
}

// Log10P returns log10 of the current sequential p-value: 0 before any look,
// ViolationLog10P after a violation.
func (s *Sequential) Log10P() float64 {
	if len(s.viol) > 0 {
		return ViolationLog10P
	}
	return s.log10P
}

// LogBayesFactor returns ln BF_n at the last look (not the running minimum of
// 1/BF that the p-value keeps). It ignores zero-share destinations.
func (s *Sequential) LogBayesFactor() float64 { return s.logBF }

// Reject reports whether the null can be rejected at level alpha now:
// PValue() <= alpha, or a violation.
func (s *Sequential) Reject(alpha float64) bool {
	return len(s.viol) > 0 || s.log10P <= math.Log10(alpha)
}

// N returns the cumulative number of requests.
func (s *Sequential) N() int64 { return s.n }

// Looks returns the number of calls to Add so far.
func (s *Sequential) Looks() int { return s.looks }

// Counts returns a copy of the cumulative counts.
func (s *Sequential) Counts() []int64 { return append([]int64(nil), s.counts...) }

// Violations returns the destinations with share 0 that received requests.
func (s *Sequential) Violations() []int { return append([]int(nil), s.viol...) }

// Concentration returns the prior concentration c in use (0 while it is still
// to be chosen from the first look with requests).
func (s *Sequential) Concentration() float64 { return s.c }
