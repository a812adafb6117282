package stats

import (
	"fmt"
	"math"
)

// DriftResult is the outcome of Drift.
type DriftResult struct {
	// PerBin sums the per-bin Pearson statistics against the null shares:
	// X2 = sum_t X2_t with df = T(k-1) over the T non-empty bins. It asks
	// "does every bin follow the configured split?".
	PerBin Test
	// Homogeneity is the chi-square test of homogeneity of the T x k table
	// (bins x destinations), df = (T-1)(k-1) over non-empty bins and
	// destinations. It ignores the configured shares and asks "is the split
	// the same in every bin?": a split that is off but stable passes it.
	Homogeneity Test
	// Pooled is Pearson on the counts summed over the bins, df = k-1.
	Pooled Test
}

// Drift tests whether the split changes across time bins. bins[t][i] is the
// number of requests destination i received in bin t; probs are the null
// shares (as in Pearson). Bins without requests are skipped. Zero-share
// destinations are handled as in Pearson for PerBin and Pooled (a request to
// one is a violation); Homogeneity includes every destination that received
// traffic. Warnings name expected counts below 5. It panics if a bin's length
// differs from len(probs) or on invalid counts or shares.
func Drift(bins [][]int64, probs []float64) DriftResult {
	k := len(probs)
	pooled := make([]int64, k)
	var nonEmpty [][]int64
	for t, b := range bins {
		if len(b) != k {
			panic(fmt.Sprintf("stats: Drift: bin %d has %d counts for %d destinations", t, len(b), k))
		}
		var n int64
		for i, c := range b {
			if c < 0 {
				panic(fmt.Sprintf("stats: Drift: bin %d count %d is negative", t, i))
			}
			n += c
			pooled[i] += c
		}
		if n > 0 {
			nonEmpty = append(nonEmpty, b)
		}
	}
	var r DriftResult
	r.Pooled = Pearson(pooled, probs)

	// Per-bin sum.
	g := newGOF(pooled, probs)
	per := Test{Method: "pearson-bins", N: g.n, Violations: g.violations}
	per.Warnings = append(per.Warnings, g.warnings...)
	small := 0
	for _, b := range nonEmpty {
		tb := Pearson(b, probs)
		per.Statistic += tb.Statistic
		if tb.DF > 0 {
			per.DF += tb.DF
		}
		bg := newGOF(b, probs)
		for _, e := range bg.exp {
			if e < minExpected {
				small++
			}
		}
	}
	if np := g.npos(); np > 0 {
		per.W = math.Sqrt(per.Statistic / float64(np))
	}
	switch {
	case len(per.Violations) > 0:
		per.PValue, per.Log10P = 0, ViolationLog10P
	case per.DF == 0:
		per.PValue, per.Log10P = 1, 0
		per.Warnings = append(per.Warnings, "nothing to test: single destination or no requests")
	default:
		if small > 0 {
			per.Warnings = append(per.Warnings, fmt.Sprintf(
				"%d per-bin expected counts below 5: the chi-square approximation may be inaccurate; use fewer, larger bins", small))
		}
		per.PValue, per.Log10P = ChiSquareSurvival(per.Statistic, per.DF)
	}
	r.PerBin = per

	r.Homogeneity = homogeneity(nonEmpty, pooled)
	return r
}

// homogeneity is the Pearson chi-square test of homogeneity of a table whose
// rows all have positive totals; columns with zero total are dropped.
func homogeneity(rows [][]int64, colTot []int64) Test {
	t := Test{Method: "homogeneity"}
	var cols []int
	for i, c := range colTot {
		t.N += c
		if c > 0 {
			cols = append(cols, i)
		}
	}
	if len(rows) < 2 || len(cols) < 2 {
		t.PValue, t.Log10P = 1, 0
		t.Warnings = append(t.Warnings, "nothing to test: fewer than two non-empty bins or destinations")
		return t
	}
	n := float64(t.N)
	small := 0
	minE := math.Inf(1)
	for _, r := range rows {
		var rt float64
		for _, c := range r {
			rt += float64(c)
		}
		for _, j := range cols {
			e := rt * float64(colTot[j]) / n
			d := float64(r[j]) - e
			t.Statistic += d * d / e
			if e < minExpected {
				small++
				minE = math.Min(minE, e)
			}
		}
	}
	t.DF = (len(rows) - 1) * (len(cols) - 1)
	t.W = math.Sqrt(t.Statistic / n)
	if small > 0 {
		t.Warnings = append(t.Warnings, fmt.Sprintf(
			"%d expected counts below 5 (smallest %.3g): the chi-square approximation may be inaccurate; use fewer, larger bins",
			small, minE))
	}
	t.PValue, t.Log10P = ChiSquareSurvival(t.Statistic, t.DF)
	return t
}
