package main

import (
	"testing"

	"github.com/spf13/pflag"
)

// Request counts take the forms people write large numbers in, and nothing that is not a whole number.
func TestCountFlag(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		want int64
		ok   bool
	}{
		{"1000000", 1_000_000, true},
		{"1_000_000", 1_000_000, true},
		{"1e6", 1_000_000, true},
		{"1E12", 1_000_000_000_000, true},
		{"2.5e9", 2_500_000_000, true},
		{"0", 0, true},
		{"-5", -5, true}, // range checks belong to the command, which names the field
		{"9223372036854775807", 9223372036854775807, true},
		{"1.5", 0, false},
		{"1.5e-3", 0, false},
		{"1e19", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"ten", 0, false},
		{"", 0, false},
	} {
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		n := countP(fs, "requests", "n", 7, "")
		err := fs.Parse([]string{"-n", tc.arg})
		if (err == nil) != tc.ok || tc.ok && *n != tc.want {
			t.Errorf("-n %q: %d, %v; want %d, ok %v", tc.arg, *n, err, tc.want, tc.ok)
		}
	}
}
