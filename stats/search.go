package stats

// SmallestReaching returns the smallest n >= 1 with f(n) >= target, for f non-decreasing in n: it
// doubles from start (at least 1) until f reaches the target, then bisects. It returns false when n
// would exceed limit. Sample sizes and step durations are found this way.
func SmallestReaching(f func(n int64) float64, target float64, start, limit int64) (int64, bool) {
	lo, hi := int64(0), max(start, 1) // f(lo) < target <= f(hi); f(0) is taken as < target
	for f(hi) < target {
		if hi > limit/2 { // doubling would pass limit (and, near 2^62, overflow)
			return 0, false
		}
		lo, hi = hi, 2*hi
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if f(mid) >= target {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, true
}
