// Package format writes the numbers that reports and messages show: counts with thousands separators,
// percentages, and p-values that stay meaningful below 1e-300.
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

// Percent formats a share as a percentage with the given decimals: Percent(0.8, 3) is "80.000%".
func Percent(x float64, decimals int) string {
	return strconv.FormatFloat(100*x, 'f', decimals, 64) + "%"
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
