package verify

import (
	"math"
	"strings"
	"testing"
)

// Counts and series whose total passes 2^63 are errors, not a wrapped negative total that passes.
func TestCountOverflow(t *testing.T) {
	_, err := Test(Input{Names: []string{"a", "b"}, Weights: []float64{70, 30}, Counts: []int64{math.MaxInt64, 1}, Alpha: 0.001})
	if err == nil || !strings.Contains(err.Error(), "2^63-1") {
		t.Errorf("Test: err %v", err)
	}
	for _, c := range []struct {
		name    string
		batches [][]int64
		ok      bool
	}{
		{"small", [][]int64{{1, 2}, {3, 4}}, true},
		{"one batch at the limit", [][]int64{{math.MaxInt64 - 1, 1}}, true},
		{"the total passes it", [][]int64{{math.MaxInt64 - 1, 0}, {1, 1}}, false},
		{"negative", [][]int64{{1, -1}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := CheckBatches(c.batches); (err == nil) != c.ok {
				t.Errorf("CheckBatches(%v) = %v", c.batches, err)
			}
		})
	}
}

// --tolerance decides with the exact tolerance test, Holm-adjusted: with three destinations a share
// shown to be off is flagged, one within the band is not, and each destination carries its test.
func TestToleranceVerdict(t *testing.T) {
	out, err := Test(Input{Names: []string{"a", "b", "c"}, Weights: []float64{50, 30, 20}, Counts: []int64{5000, 3500, 1500},
		Alpha: 0.001, TolerancePP: 1})
	if err != nil {
		t.Fatal(err)
	}
	if out.Verdict != "fail" || out.Destinations[0].Off || !out.Destinations[1].Off || !out.Destinations[2].Off {
		t.Errorf("verdict %s, off %v %v %v: %s", out.Verdict, out.Destinations[0].Off, out.Destinations[1].Off, out.Destinations[2].Off, out.Reason)
	}
	for _, d := range out.Destinations {
		if d.Tolerance == nil || d.Tolerance.PAdjusted < d.Tolerance.PValue {
			t.Errorf("%s: tolerance test %+v", d.Name, d.Tolerance)
		}
	}
	if !strings.Contains(out.Reason, "Holm-adjusted across the destinations") {
		t.Errorf("reason %q", out.Reason)
	}
}
