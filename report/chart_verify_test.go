package report

import (
	"math"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// sequentialVerify is a verify result of twelve looks whose p-value falls below alpha at look 8.
func sequentialVerify() *result.Verify {
	v := &result.Verify{Header: result.NewHeader(result.KindVerify), N: 12000, Alpha: 0.001, Method: "pearson", Verdict: result.Fail,
		Source: &result.VerifySource{Host: "reviews", Rule: "#0"},
		Destinations: []result.VerifyDestination{
			{Name: "v1", Weight: 80, ExpectedShare: 0.8, Count: 9300, Share: 0.775, CILow: 0.7625, CIHigh: 0.787},
			{Name: "v2", Weight: 20, ExpectedShare: 0.2, Count: 2700, Share: 0.225, CILow: 0.213, CIHigh: 0.2375},
		}}
	seq := &result.Sequential{Concentration: 100}
	for i := 0; i < 12; i++ {
		lp := math.Min(0, 0.5-0.6*float64(i))
		l := result.Look{Number: i + 1, N: int64(1000 * (i + 1)), PValue: math.Pow(10, lp), Log10P: lp, Reject: lp < -3}
		if l.Reject && seq.FirstReject == 0 {
			seq.FirstReject = l.Number
		}
		seq.Looks = append(seq.Looks, l)
	}
	v.Sequential = seq
	return v
}

func TestVerifyCharts(t *testing.T) {
	v := sequentialVerify()
	cs, err := VerifyCharts(v)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(chartNames(cs), " "); got != "verify_shares verify_sequential" {
		t.Fatalf("charts %s", got)
	}
	seq := cs[1]
	if !strings.Contains(seq.Alt, "first fell below alpha at look 7 (7,000 requests)") {
		t.Errorf("alt text %q does not name the first rejection", seq.Alt)
	}
	for _, c := range cs {
		b, err := c.PNG()
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if ink, _ := inkFraction(t, b); ink < 0.04 {
			t.Errorf("%s: nearly blank (%.1f%% ink)", c.Name, 100*ink)
		}
	}
	// Without a sequential test, or with p-values below the float64 range, charts still render.
	v.Sequential.Looks[11].PValue, v.Sequential.Looks[11].Log10P = 0, math.Inf(-1)
	if cs, err := VerifyCharts(v); err != nil {
		t.Fatal(err)
	} else if _, err := cs[1].PNG(); err != nil {
		t.Fatal(err)
	}
	v.Sequential = nil
	if cs, err := VerifyCharts(v); err != nil || len(cs) != 1 {
		t.Fatalf("without --sequential: %d charts, %v; want the shares chart only", len(cs), err)
	}
}

func TestLog10TickLabels(t *testing.T) {
	var labels []string
	for _, tk := range (log10Ticks{}).Ticks(-6.5, 0) {
		labels = append(labels, tk.Label)
	}
	// One notation for every power of ten, as p-values below 1e-300 are written (10^-315.24).
	if got := strings.Join(labels, " "); got != "10^0 10^-1 10^-2 10^-3 10^-4 10^-5 10^-6" {
		t.Errorf("labels %s", got)
	}
}

// TestSharesOverTime: with the looks' own shares, verify draws each destination's share per look
// (verify_shares_over_time, the name --png writes), its axis labelled with the series' time labels
// and thinned so that they do not collide; a result without them (saved before looks recorded
// their shares) has no such chart.
func TestSharesOverTime(t *testing.T) {
	v := loadVerify(t, "verify-csv-sequential.json")
	cs, err := VerifyCharts(v)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(chartNames(cs), " "); got != "verify_shares verify_shares_over_time verify_sequential" {
		t.Fatalf("charts %s", got)
	}
	c := cs[1]
	if c.Kind != KindSharesOverTime || !strings.Contains(c.Alt, "12 looks from 10:00 to 10:11") {
		t.Errorf("alt text %q does not give the looks' time labels", c.Alt)
	}
	for _, tc := range []struct {
		name   string
		labels []string
		want   string
	}{
		{"short labels, all shown", []string{"10:00", "10:01", "10:02"}, "10:00 10:01 10:02"},
		{"twelve short labels, every other", lookLabels(v.Sequential), "10:00 10:02 10:04 10:06 10:08 10:10"},
		{"long labels, fewer", []string{"2025-06-01T10:00", "2025-06-01T10:01", "2025-06-01T10:02", "2025-06-01T10:03", "2025-06-01T10:04"},
			"2025-06-01T10:00 2025-06-01T10:02 2025-06-01T10:04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			ticks := lookTicks(tc.labels).Ticks(0.5, float64(len(tc.labels))+0.5)
			for _, tk := range ticks {
				if tk.Label != "" {
					got = append(got, tk.Label)
				}
			}
			if strings.Join(got, " ") != tc.want || len(ticks) != len(tc.labels) {
				t.Errorf("labels %q of %d ticks, want %q and a tick per look", got, len(ticks), tc.want)
			}
		})
	}
	png, err := c.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if ink, _ := inkFraction(t, png); ink < 0.04 {
		t.Errorf("nearly blank (%.1f%% ink)", 100*ink)
	}
	for i := range v.Sequential.Looks {
		v.Sequential.Looks[i].Shares = nil
	}
	if cs, _ := VerifyCharts(v); len(cs) != 2 {
		t.Errorf("without the looks' shares: %s, want no shares over time", strings.Join(chartNames(cs), " "))
	}
}
