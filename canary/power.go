package canary

import (
	"math"

	"github.com/splitsim/splitsim/stats"
)

// The power figures of a step, built on package stats (DetectableW, TwoProportionPower).

// detectableShift returns the smallest shift d of the canary's share (a fraction; 100 d percentage
// points), moved between the canary and the stable destination, that the level-alpha Pearson
// chi-square test over n requests detects with the given power. df is the number of destinations
// with a positive share minus one; pc and ps are the canary's and the stable's expected shares.
//
// Moving d from stable to canary gives Cohen's w^2 = d^2/pc + d^2/ps, so d = w* / sqrt(1/pc + 1/ps)
// with w* = stats.DetectableW(df, n, alpha, power) = sqrt(lambda*/n) from the noncentral
// chi-square distribution. It returns +Inf when nothing can be detected.
func detectableShift(n int64, df int, pc, ps, alpha, power float64) float64 {
	if n <= 0 || df < 1 || pc <= 0 || ps <= 0 {
		return math.Inf(1)
	}
	return stats.DetectableW(df, n, alpha, power) / math.Sqrt(1/pc+1/ps)
}

// errorRatePower is the power of the two-sided pooled two-proportion z-test at level alpha
// (stats.TwoProportionPower: normal approximation, Fleiss) to tell the canary's error rate pCanary
// from the stable's pStable, with the expected requests n x pc on the canary and n x ps on the
// stable, rounded to whole requests. A side without requests gives 0.
func errorRatePower(n, pc, ps, pCanary, pStable, alpha float64) float64 {
	n1, n2 := int64(math.Round(n*pc)), int64(math.Round(n*ps))
	if n1 <= 0 || n2 <= 0 {
		return 0
	}
	return stats.TwoProportionPower(n1, n2, pCanary, pStable, alpha)
}

// maxPowerSeconds bounds the search for a step duration (about 100 years).
const maxPowerSeconds = int64(100 * 365 * 24 * 3600)

// secondsForPower returns the shortest whole number of seconds at rps requests per second for which
// errorRatePower reaches the target power, and false when no duration up to 100 years does.
func secondsForPower(rps, pc, ps, pCanary, pStable, alpha, target float64) (int64, bool) {
	if pc <= 0 || ps <= 0 || pCanary == pStable || !(rps > 0) {
		return 0, false
	}
	pw := func(t int64) float64 { return errorRatePower(rps*float64(t), pc, ps, pCanary, pStable, alpha) }
	// Start from the sample size stats gives for the canary side.
	start := int64(1)
	if n1, _ := stats.TwoProportionRequiredN(pCanary, pStable, ps/pc, alpha, target); n1 > 0 {
		t := float64(n1) / (rps * pc)
		if t > float64(maxPowerSeconds) {
			return 0, false
		}
		start = max(1, int64(t))
	}
	return stats.SmallestReaching(pw, target, start, maxPowerSeconds)
}
