package format

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ name, got, want string }{
		{"Count 0", Count(0), "0"},
		{"Count 999", Count(999), "999"},
		{"Count 1000", Count(1000), "1,000"},
		{"Count 1234567", Count(1234567), "1,234,567"},
		{"Count negative", Count(-1234), "-1,234"},
		{"Number whole", Number(1500), "1,500"},
		{"Number fraction", Number(151.20000000000002), "151.2"},
		{"Number negative", Number(-2000), "-2,000"},
		{"Number huge", Number(1e15), "1e+15"},
		{"Number NaN", Number(math.NaN()), "NaN"},
		{"Percent 3", Percent(0.8, 3), "80.000%"},
		{"Percent 2", Percent(0.79981, 2), "79.98%"},
		{"ShortPercent whole", ShortPercent(0.8, 2), "80%"},
		{"ShortPercent sixth", ShortPercent(1.0/6, 2), "16.67%"},
		{"ShortPercent rate", ShortPercent(0.0125, 4), "1.25%"},
		{"ShortPercent 0 decimals", ShortPercent(1, 0), "100%"},
		{"ShortPercent zero", ShortPercent(0, 4), "0%"},
		{"Confidence 0.001", Confidence(0.001), "99.9%"},
		{"Confidence 0.05", Confidence(0.05), "95%"},
		{"Confidence 1e-6", Confidence(1e-6), "99.9999%"},
		{"PValue plain", PValue(0.16754, -0.776), "0.1675"},
		{"PValue tiny", PValue(0, -315.2387597), "10^-315.24"},
		{"PValue -Inf", PValue(0, math.Inf(-1)), "0 (definite violation)"},
		{"PValue -MaxFloat", PValue(0, -math.MaxFloat64), "0 (definite violation)"},
		{"AdjustedP plain", AdjustedP(1.337e-38), "1.337e-38"},
		{"AdjustedP one", AdjustedP(1), "1"},
		{"AdjustedP tiny", AdjustedP(1e-301), "<1e-300"},
		{"Duration 10m", Duration(10 * time.Minute), "10m"},
		{"Duration 1h", Duration(time.Hour), "1h"},
		{"Duration 2h47m27s", Duration(10047 * time.Second), "2h47m27s"},
		{"Duration rounds", Duration(1500 * time.Millisecond), "2s"},
		{"Duration 1m30s", Duration(90 * time.Second), "1m30s"},
		{"Seconds 600", Seconds(600), "10m"},
		{"Seconds 0", Seconds(0), "0s"},
		{"Seconds 9900", Seconds(9900), "2h45m"},
		{"Compact 999", Compact(999), "999"},
		{"Compact 1k", Compact(1000), "1k"},
		{"Compact 2.5M", Compact(2.5e6), "2.5M"},
		{"Compact 3G", Compact(3e9), "3G"},
		{"Compact3 899k", Compact3(899123), "899k"},
		{"Compact3 1.52M", Compact3(1523000), "1.52M"},
		{"Compact3 20k", Compact3(20000), "20k"},
		{"Compact3 15.5k", Compact3(15500), "15.5k"},
		{"Compact3 small", Compact3(123.6), "124"},
		{"PowerOfTen 0", PowerOfTen(0), "1"},
		{"PowerOfTen -3", PowerOfTen(-3), "0.001"},
		{"PowerOfTen -4", PowerOfTen(-4), "1e-4"},
		{"PowerOfTen 2", PowerOfTen(2), "100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

func ExampleCount() {
	fmt.Println(Count(1234567))
	// Output: 1,234,567
}

func ExampleNumber() {
	fmt.Println(Number(40), Number(151.20000000000002))
	// Output: 40 151.2
}

func ExampleShortPercent() {
	fmt.Println(ShortPercent(0.8, 2), ShortPercent(1.0/3, 3))
	// Output: 80% 33.333%
}

func ExampleConfidence() {
	fmt.Println(Confidence(0.001))
	// Output: 99.9%
}

func ExamplePValue() {
	fmt.Println(PValue(6.687e-39, -38.17), PValue(0, -315.2387597))
	// Output: 6.687e-39 10^-315.24
}

func ExampleSeconds() {
	fmt.Println(Seconds(10073))
	// Output: 2h47m53s
}

func ExampleCompact3() {
	fmt.Println(Compact3(899123), Compact3(1523000))
	// Output: 899k 1.52M
}

func TestCountedAndPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 files"}, {1, "1 file"}, {2, "2 files"}} {
		t.Run(tc.want, func(t *testing.T) {
			if got := Counted(tc.n, "file"); got != tc.want {
				t.Errorf("Counted(%d, file) = %q", tc.n, got)
			}
		})
	}
	if Plural(1, "falls", "fall") != "falls" || Plural(2, "falls", "fall") != "fall" {
		t.Error("Plural picks the wrong form")
	}
}
