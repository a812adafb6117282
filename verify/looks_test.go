package verify

import (
	"testing"

	"github.com/splitsim/splitsim/observe"
)

// TestSequentialLooksRecordSharesOverTime: every look of a series records its time label, the
// destinations' shares of that look's own requests with their intervals, and the source records
// every option that selected the observations, so that a report can draw the shares over time and
// be audited.
func TestSequentialLooksRecordSharesOverTime(t *testing.T) {
	e, err := ParseWeights("v1=70,v2=30")
	if err != nil {
		t.Fatal(err)
	}
	m, err := observe.ParseMatcher(`interval!="x"`)
	if err != nil {
		t.Fatal(err)
	}
	o, err := Observe(e, ObserveOptions{Path: "../examples/verify/per-minute.csv", Series: true,
		Read: observe.Options{Match: []observe.Matcher{m}}, Map: map[string]string{"v2": "v2", "v1": "v1"}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := Decide(Request{Expected: e, Observed: o, Alpha: 0.001, Method: "auto", Sequential: true})
	if err != nil {
		t.Fatal(err)
	}
	looks := v.Sequential.Looks
	if len(looks) < 2 {
		t.Fatalf("%d looks, want a series", len(looks))
	}
	for _, tc := range []struct {
		name  string
		look  int
		label string
	}{
		{"first look", 0, "10:00"},
		{"second look", 1, "10:01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := looks[tc.look]
			if l.Label != tc.label {
				t.Errorf("label %q, want %q", l.Label, tc.label)
			}
			if len(l.Shares) != 2 || len(l.CILow) != 2 || len(l.CIHigh) != 2 {
				t.Fatalf("shares %v [%v, %v], want two destinations", l.Shares, l.CILow, l.CIHigh)
			}
			batch := l.Counts[0] + l.Counts[1]
			if tc.look > 0 {
				prev := looks[tc.look-1]
				batch -= prev.Counts[0] + prev.Counts[1]
			}
			sum := 0.0
			for j, s := range l.Shares {
				sum += s
				if !(l.CILow[j] <= s && s <= l.CIHigh[j]) {
					t.Errorf("destination %d: share %v outside its interval [%v, %v]", j, s, l.CILow[j], l.CIHigh[j])
				}
			}
			if sum < 0.999999 || sum > 1.000001 || batch <= 0 {
				t.Errorf("shares of the look's own %d requests add up to %v", batch, sum)
			}
		})
	}
	src := v.Source
	if src == nil || len(src.Match) != 1 || src.Match[0] != `interval!="x"` || len(src.Map) != 2 || src.Map[0] != "v1=v1" {
		t.Errorf("source %+v does not record --match and --map", src)
	}
}
