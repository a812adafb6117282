package stats

import "testing"

func TestDriftVectors(t *testing.T) {
	type res struct {
		Stat   float64 `json:"stat"`
		DF     int     `json:"df"`
		P      float64 `json:"p"`
		Log10P float64 `json:"log10p"`
	}
	var v struct {
		Cases []struct {
			Probs       []float64 `json:"probs"`
			Bins        [][]int64 `json:"bins"`
			PerBin      res       `json:"per_bin"`
			Homogeneity res       `json:"homogeneity"`
		} `json:"cases"`
	}
	loadVectors(t, "drift.json", &v)
	for _, c := range v.Cases {
		r := Drift(c.Bins, c.Probs)
		for _, x := range []struct {
			name string
			got  Test
			want res
		}{{"per-bin", r.PerBin, c.PerBin}, {"homogeneity", r.Homogeneity, c.Homogeneity}} {
			if x.got.DF != x.want.DF {
				t.Errorf("%s df %d, want %d", x.name, x.got.DF, x.want.DF)
			}
			checkRel(t, x.name+" statistic", x.got.Statistic, x.want.Stat, 1e-11)
			checkP(t, x.name, x.got.PValue, x.got.Log10P, x.want.P, x.want.Log10P)
		}
		pooled := make([]int64, len(c.Probs))
		for _, b := range c.Bins {
			for i, x := range b {
				pooled[i] += x
			}
		}
		if p := Pearson(pooled, c.Probs); p.Statistic != r.Pooled.Statistic {
			t.Errorf("pooled %v, want %v", r.Pooled.Statistic, p.Statistic)
		}
	}
}

func TestDriftEdges(t *testing.T) {
	r := Drift([][]int64{{10, 0}, {0, 0}}, []float64{1, 0})
	if r.PerBin.DF != 0 || r.PerBin.PValue != 1 || r.Homogeneity.PValue != 1 {
		t.Errorf("single destination: %+v", r)
	}
	r = Drift([][]int64{{100, 100, 0}, {100, 90, 5}}, []float64{1, 1, 0})
	if !r.PerBin.Violated() || !r.Pooled.Violated() || r.Homogeneity.DF != 2 {
		t.Errorf("violation: %+v", r)
	}
	r = Drift(nil, []float64{1, 1})
	if r.PerBin.PValue != 1 || r.Homogeneity.PValue != 1 {
		t.Errorf("no bins: %+v", r)
	}
}
