// Package format is where the module's numbers become text: counts with thousands separators,
// percentages (fixed or trimmed), confidence levels, p-values that stay meaningful below 1e-300,
// durations, and the short forms chart axes use (1.5M, 1e-4).
package format

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Count formats an integer with thousands separators: 1,000,000.
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Number formats a quantity that is usually whole (requests per second, expected failures):
// whole numbers with thousands separators ("1,500"), others with 4 significant digits ("151.2").
func Number(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return Count(int64(x))
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// Percent formats a share as a percentage with the given decimals: Percent(0.8, 3) is "80.000%".
func Percent(x float64, decimals int) string {
	return strconv.FormatFloat(100*x, 'f', decimals, 64) + "%"
}

// ShortPercent formats a share as a percentage with at most the given decimals, without trailing
// zeros: ShortPercent(0.8, 2) is "80%", ShortPercent(1.0/6, 2) is "16.67%".
func ShortPercent(x float64, decimals int) string {
	return trimZeros(strconv.FormatFloat(100*x, 'f', decimals, 64)) + "%"
}

// Confidence is the confidence level 1-alpha as a short percentage, to four decimals: alpha 0.001
// is "99.9%", alpha 0.05 is "95%".
func Confidence(alpha float64) string {
	return ShortPercent(1-alpha, 4)
}

// PValue formats a p-value; below 1e-300 it is written from its log10 ("10^-315.24"), never as 0. A
// log10 of -Inf or below -1e300 marks a definite violation (a share of 0 that received requests).
func PValue(p, log10p float64) string {
	if p > 0 && p >= 1e-300 {
		return strconv.FormatFloat(p, 'g', 4, 64)
	}
	if math.IsInf(log10p, -1) || log10p < -1e300 {
		return "0 (definite violation)"
	}
	return fmt.Sprintf("10^%.2f", log10p)
}

// AdjustedP formats an adjusted p-value (Holm), for which no log10 is kept: below 1e-300 it is
// "<1e-300", above as PValue.
func AdjustedP(p float64) string {
	if p < 1e-300 {
		return "<1e-300"
	}
	return PValue(p, math.Log10(p))
}

// Duration formats a duration as Go does, rounded to the second and without trailing zero units:
// "10m", "1h", "2h47m53s".
func Duration(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Seconds formats a number of seconds as Duration does: 600 is "10m", 10073 is "2h47m53s".
func Seconds(s float64) string {
	return Duration(time.Duration(s * float64(time.Second)))
}

// Compact formats a count for an axis label with a k, M or G suffix and no rounding: 1000 is "1k",
// 2500000 is "2.5M", 999 is "999".
func Compact(v float64) string {
	switch {
	case v >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', -1, 64) + "G"
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Compact3 formats a count with three significant digits and a k, M or G suffix: 899123 is
// "899k", 1523000 is "1.52M", 20000 is "20k"; below 1000 it is the count rounded to a whole number.
func Compact3(v float64) string {
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if x := v / u.div; x >= 1 {
			decimals := 0
			if x < 10 {
				decimals = 2
			} else if x < 100 {
				decimals = 1
			}
			return trimZeros(strconv.FormatFloat(x, 'f', decimals, 64)) + u.suffix
		}
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// PowerOfTen writes 10^e as a log-axis label: "1", "0.1", "0.01", "0.001", then "1e-4", "1e-5"...;
// positive powers are written out: "10", "100".
func PowerOfTen(e int) string {
	switch {
	case e == 0:
		return "1"
	case e >= -3:
		// A negative precision (e > 0) is the shortest form.
		return strconv.FormatFloat(math.Pow(10, float64(e)), 'f', -e, 64)
	}
	return "1e" + strconv.Itoa(e)
}

// trimZeros drops the trailing zeros of a decimal fraction, and its point when nothing follows it:
// "80.000" is "80", "16.670" is "16.67"; a number without a point is left alone.
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}

// Plural is one when n is 1, else many: "1 look", "2 looks".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// PercentagePoints writes a difference of shares given in percentage points: "1 percentage point",
// "2.5 percentage points".
func PercentagePoints(pp float64) string {
	if pp == 1 {
		return "1 percentage point"
	}
	return strconv.FormatFloat(pp, 'g', -1, 64) + " percentage points"
}

// Counted writes n and a regular noun: "1 file", "3 files", "0 errors".
func Counted(n int, noun string) string {
	return strconv.Itoa(n) + " " + Plural(n, noun, noun+"s")
}
