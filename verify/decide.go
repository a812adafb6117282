package verify

import (
	"fmt"

	"github.com/splitsim/splitsim/result"
)

// Request is one verification as `splitsim verify` makes it.
type Request struct {
	Expected Expected
	// Counts are the observed counts per destination; Observed, when set, holds them with their
	// source, warnings and per-look batches.
	Counts   []int64
	Observed *Observed
	// Config are the files the weights come from (--config), if any.
	Config      []string
	Alpha       float64
	Method      string  // pearson, g, exact or auto
	TolerancePP float64 // see Input
	Seed        uint64
	// Sequential makes the anytime-valid test over Observed.Batches decide the verdict.
	Sequential bool
}

// Decide tests the request's counts against its weights and says which test decides: the
// sequential test when asked for (a fixed-N test is not valid after repeated looks), else the
// tolerance check or the fixed-N test (see Test). Warnings from the configuration and the
// observations come first.
func Decide(rq Request) (*result.Verify, error) {
	e, counts := rq.Expected, rq.Counts
	var warnings []string
	var unrouted int64
	var src result.VerifySource
	if o := rq.Observed; o != nil {
		counts, warnings, unrouted, src = o.Counts, o.Warnings, o.Unrouted, o.Source
	}
	out, err := Test(Input{Names: e.Names, Clusters: e.Clusters, Weights: e.Weights, Counts: counts,
		Alpha: rq.Alpha, Method: rq.Method, TolerancePP: rq.TolerancePP, Seed: rq.Seed})
	if err != nil {
		return nil, err
	}
	out.Unrouted = unrouted
	out.Warnings = append(append(append([]string{}, e.Warnings...), warnings...), out.Warnings...)
	if unrouted > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%d observed requests had no upstream cluster (404 no route or 503 no cluster); they are not part of the split", unrouted))
	}
	if len(rq.Config) > 0 {
		src.Config, src.Host, src.Rule = rq.Config, e.Host, e.Rule
	}
	if src.Observed != "" || src.Config != nil {
		out.Source = &src
	}
	if rq.Sequential && rq.Observed != nil {
		if err := CheckBatches(rq.Observed.Batches); err != nil {
			return nil, err
		}
		seq := SequentialLooks(e.Weights, rq.Observed.Batches, rq.Alpha)
		for i := range seq.Looks {
			if i < len(rq.Observed.Labels) {
				seq.Looks[i].Label = rq.Observed.Labels[i]
			}
		}
		decideSequential(out, seq, rq.TolerancePP)
	}
	return out, nil
}

// What a verify verdict rests on besides the fixed-N test's method (result.Verify.DecidedBy).
const (
	DecidedBySequential = "sequential"
	DecidedByTolerance  = "tolerance"
	DecidedByWeight0    = "weight-0"
)

// decideSequential lets the sequential test decide the verdict: it fails at its first rejection;
// without a tolerance it passes otherwise, since a fixed-N test is not valid after repeated looks.
func decideSequential(out *result.Verify, seq *result.Sequential, tolerancePP float64) {
	out.Sequential = seq
	switch {
	case seq.FirstReject > 0:
		out.Verdict, out.DecidedBy = result.Fail, DecidedBySequential
		out.Reason = fmt.Sprintf("the sequential test rejects the configured split at look %d", seq.FirstReject)
	case tolerancePP == 0:
		out.Verdict, out.DecidedBy = result.Pass, DecidedBySequential
		out.Reason = "the sequential test does not reject the configured split at any look"
		for i := range out.Destinations {
			out.Destinations[i].Off = false
		}
	}
}
