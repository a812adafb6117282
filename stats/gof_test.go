package stats

import (
	"math"
	"strings"
	"testing"
)

func hasWarning(t Test, sub string) bool {
	for _, w := range t.Warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

func TestGOFEdgeCases(t *testing.T) {
	for _, fn := range []struct {
		name string
		f    func([]int64, []float64) Test
	}{
		{"pearson", Pearson},
		{"g", GTest},
		{"exact", func(c []int64, p []float64) Test { return Exact(c, p, 1) }},
		{"auto", func(c []int64, p []float64) Test { return Auto(c, p, 1) }},
	} {
		t.Run(fn.name, func(t *testing.T) {
			// Zero share with traffic: definite violation.
			r := fn.f([]int64{10, 10, 3}, []float64{1, 1, 0})
			if !r.Violated() || r.PValue != 0 || r.Log10P != ViolationLog10P || r.Violations[0] != 2 {
				t.Errorf("violation: %+v", r)
			}
			if !hasWarning(r, "destination 2 has share 0 but received 3 requests") {
				t.Errorf("violation warning missing: %q", r.Warnings)
			}
			if math.IsInf(r.Statistic, 0) || math.IsNaN(r.Statistic) {
				t.Errorf("violation statistic %v", r.Statistic)
			}
			// Zero share without traffic: excluded from df.
			r = fn.f([]int64{10, 10, 0}, []float64{1, 1, 0})
			if r.Violated() || r.DF != 1 || r.PValue != 1 {
				t.Errorf("zero share, no traffic: %+v", r)
			}
			// Single destination.
			r = fn.f([]int64{42}, []float64{1})
			if r.DF != 0 || r.PValue != 1 || r.Log10P != 0 || !hasWarning(r, "single destination: nothing to test") {
				t.Errorf("single destination: %+v", r)
			}
			r = fn.f([]int64{42, 0}, []float64{1, 0})
			if r.DF != 0 || r.PValue != 1 || !hasWarning(r, "single destination") {
				t.Errorf("single positive share: %+v", r)
			}
			// No requests.
			r = fn.f([]int64{0, 0}, []float64{1, 1})
			if r.PValue != 1 || r.Log10P != 0 || !hasWarning(r, "no requests") {
				t.Errorf("no requests: %+v", r)
			}
		})
	}
}

func TestSmallExpectedWarning(t *testing.T) {
	r := Pearson([]int64{3, 1, 0}, []float64{1, 1, 1})
	if !hasWarning(r, "expected count below 5 for destination(s) 0, 1, 2") {
		t.Errorf("warnings %q", r.Warnings)
	}
	r = Pearson([]int64{300, 100, 100}, []float64{1, 1, 1})
	if len(r.Warnings) != 0 {
		t.Errorf("unexpected warnings %q", r.Warnings)
	}
}

func TestAutoChoice(t *testing.T) {
	if m := Auto([]int64{3, 1, 0}, []float64{1, 1, 1}, 1).Method; m != "exact" {
		t.Errorf("small counts: method %q, want exact", m)
	}
	if m := Auto([]int64{300, 100, 100}, []float64{1, 1, 1}, 1).Method; m != "pearson" {
		t.Errorf("large counts: method %q, want pearson", m)
	}
	// A tiny share at large N: exact is the right test and must stay fast
	// (Monte Carlo beyond the enumeration bound).
	r := Auto([]int64{400000, 300000, 299998, 2}, []float64{0.4, 0.3, 0.299996, 0.000004}, 7)
	if r.Method != "exact-montecarlo" || r.StdErr <= 0 {
		t.Errorf("tiny share: %+v", r)
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"length":   func() { Pearson([]int64{1, 2}, []float64{1}) },
		"negcount": func() { Pearson([]int64{-1, 2}, []float64{1, 1}) },
		"negshare": func() { Pearson([]int64{1, 2}, []float64{-1, 1}) },
		"nanshare": func() { Pearson([]int64{1, 2}, []float64{math.NaN(), 1}) },
		"zerosum":  func() { Pearson([]int64{1, 2}, []float64{0, 0}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestGStatSmallDeviations(t *testing.T) {
	// The stable form must agree with 2 sum O ln(O/E) evaluated carefully,
	// and with X2 to second order for small deviations.
	for _, d := range []float64{-0.09, -1e-3, -1e-9, 0, 1e-12, 1e-5, 0.05, 0.0999, 0.1, 0.5, 3} {
		got := xlogxTerm(d)
		want := (1+d)*math.Log1p(d) - d
		if math.Abs(d) < 1e-4 {
			want = d*d/2 - d*d*d/6 + d*d*d*d/12
		}
		if relErr(got, want) > 1e-13 && math.Abs(got-want) > 1e-300 {
			t.Errorf("xlogxTerm(%g) = %.17g, want %.17g", d, got, want)
		}
	}
	if xlogxTerm(-1) != 1 {
		t.Errorf("xlogxTerm(-1) = %v", xlogxTerm(-1))
	}
}

func TestHolm(t *testing.T) {
	p := []float64{0.01, 0.04, 0.03, 0.005, math.NaN(), 0.5}
	// m = 5 non-NaN: sorted 0.005 0.01 0.03 0.04 0.5
	// Holm: 5*.005=.025, 4*.01=.04, 3*.03=.09, 2*.04=.08->.09, 1*.5=.5
	wantHolm := []float64{0.04, 0.09, 0.09, 0.025, math.NaN(), 0.5}
	h := Holm(p)
	for i := range p {
		if !(math.IsNaN(wantHolm[i]) && math.IsNaN(h[i])) && math.Abs(h[i]-wantHolm[i]) > 1e-15 {
			t.Errorf("Holm[%d] = %v, want %v", i, h[i], wantHolm[i])
		}
	}
	if got := Holm([]float64{0.9, 0.8}); got[0] != 1 || got[1] != 1 {
		t.Errorf("Holm cap: %v", got)
	}
	if len(Holm(nil)) != 0 {
		t.Error("empty input")
	}
}

func TestCohenW(t *testing.T) {
	w := CohenW([]float64{0.7, 0.3}, []float64{0.71, 0.29})
	want := math.Sqrt(0.01*0.01/0.7 + 0.01*0.01/0.3)
	if relErr(w, want) > 1e-12 {
		t.Errorf("CohenW = %v, want %v", w, want)
	}
	if w := CohenW([]float64{70, 30, 0}, []float64{70, 30, 0}); w != 0 {
		t.Errorf("identical: %v", w)
	}
	if w := CohenW([]float64{1, 0}, []float64{0.9, 0.1}); !math.IsInf(w, 1) {
		t.Errorf("mass on zero share: %v", w)
	}
}

func TestIntervalEdges(t *testing.T) {
	f := Wilson
	if lo, hi := f(0, 100, 0.999); lo != 0 || !(hi > 0 && hi < 1) {
		t.Errorf("x=0: %v %v", lo, hi)
	}
	if lo, hi := f(100, 100, 0.999); hi != 1 || !(lo > 0 && lo < 1) {
		t.Errorf("x=n: %v %v", lo, hi)
	}
	if lo, hi := f(0, 0, 0.95); lo != 0 || hi != 1 {
		t.Errorf("n=0: %v %v", lo, hi)
	}
	if lo, _ := f(5, 3, 0.95); !math.IsNaN(lo) {
		t.Errorf("x>n: %v", lo)
	}
	// Nested: a higher confidence gives a wider interval containing x/n.
	l1, h1 := f(30, 100, 0.9)
	l2, h2 := f(30, 100, 0.999)
	if !(l2 < l1 && l1 < 0.3 && 0.3 < h1 && h1 < h2) {
		t.Errorf("nesting: %v %v %v %v", l2, l1, h1, h2)
	}
}
