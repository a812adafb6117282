// Package cliflag holds the flag values and the checks of splitsim's command-line flags that more
// than one command uses: request counts written as people write them (1_000_000, 1e6), and the
// bounds of significance levels, request counts, observed counts, tolerances and rates.
package cliflag

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/sim"
)

// MinAlpha is the smallest significance level taken: below it 1-alpha rounds to 1 in floating
// point (at 1.1e-16), and intervals "at confidence 100%" would be reported.
const MinAlpha = 1e-15

// CheckAlpha checks a significance level: from MinAlpha to below 1.
func CheckAlpha(alpha float64) error {
	if !(alpha >= MinAlpha && alpha < 1) {
		return fmt.Errorf("--alpha must be between 0 and 1: at least %g and below 1, got %v", MinAlpha, alpha)
	}
	return nil
}

// CheckRequests checks a request count: from 1 to sim.MaxRequests.
func CheckRequests(n int64) error {
	if n < 1 || n > sim.MaxRequests {
		return fmt.Errorf("--requests must be from 1 to %s, got %s", format.Count(sim.MaxRequests), format.Count(n))
	}
	return nil
}

// MaxObservedTotal is the largest total of observed counts taken: 2^53, up to which a float64 holds
// every integer. The tests compute with counts as float64 (ln Gamma, binomial tails): past 2^53,
// n+1 rounds to n and the exact binomial p-value became NaN (10^NaN, or json: unsupported value).
const MaxObservedTotal = 1 << 53

// CheckCounts checks observed counts (flag names where they came from): none negative, and their
// sum, added with overflow checks, at most MaxObservedTotal, so that totals and shares are exact.
func CheckCounts(flag string, counts ...int64) error {
	var total uint64
	for _, c := range counts {
		if c < 0 {
			return fmt.Errorf("%s: a count of %s; counts are not negative", flag, format.Count(c))
		}
		var carry uint64
		if total, carry = bits.Add64(total, uint64(c), 0); carry != 0 || total > MaxObservedTotal {
			return fmt.Errorf("%s: the counts add up to more than %s requests (2^53), more than splitsim takes", flag, format.Count(MaxObservedTotal))
		}
	}
	return nil
}

// CheckTolerance checks --tolerance: percentage points from 0 to below 100 (not NaN).
func CheckTolerance(pp float64) error {
	if !(pp >= 0 && pp < 100) {
		return fmt.Errorf("--tolerance must be from 0 to below 100 percentage points, got %v", pp)
	}
	return nil
}

// MaxRPS is the largest --rps taken: far above any route's traffic, and small enough that rps x
// duration stays an exact count.
const MaxRPS = 1e9

// CheckRPS checks --rps when it is given: a positive number of requests per second up to MaxRPS
// (not NaN, not infinite).
func CheckRPS(fs *pflag.FlagSet, rps float64) error {
	if fs.Changed("rps") && !(rps > 0 && rps <= MaxRPS) {
		return fmt.Errorf("--rps must be a positive number of requests per second up to %g, got %v", MaxRPS, rps)
	}
	return nil
}

// countValue is an int64 flag for request counts that also takes the forms people write large counts
// in: 1_000_000, 1e6, 2.5e9, as long as the number is whole.
type countValue int64

func (c *countValue) String() string { return strconv.FormatInt(int64(*c), 10) }

// Type names the flag's argument in help texts.
func (c *countValue) Type() string { return "int" }

// Set parses a whole number, in decimal or in exponent form.
func (c *countValue) Set(s string) error {
	t := strings.ReplaceAll(s, "_", "")
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		*c = countValue(n)
		return nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return errors.New("must be a whole number, like 1000000 or 1e6")
	}
	*c = countValue(f)
	return nil
}

// CountP defines a request-count flag (see countValue).
func CountP(fs *pflag.FlagSet, name, short string, value int64, usage string) *int64 {
	c := countValue(value)
	fs.VarP(&c, name, short, usage)
	return (*int64)(&c)
}

// CheckSeries checks a series read from flag: the totals (CheckCounts, with the unrouted count)
// and each look's counts.
func CheckSeries(flag string, counts []int64, unrouted int64, looks [][]int64) error {
	if err := CheckCounts(flag, append(append([]int64{}, counts...), unrouted)...); err != nil {
		return err
	}
	for _, b := range looks {
		if err := CheckCounts(flag, b...); err != nil {
			return err
		}
	}
	return nil
}
