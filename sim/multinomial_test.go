package sim

import (
	"math"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// Both methods record their series at the same request counts.
func TestCheckpointsMatchPerRequestSeries(t *testing.T) {
	tbl := splitTable(70, 30)
	for _, n := range []int64{1, 10, 16, 17, 1000, BlockSize, BlockSize + 1, 3 * BlockSize, 1_000_003} {
		res, err := Run(tbl, oneClass("reviews", n), Options{Seed: 1, Series: true, Method: PerRequest})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, cp := range res.Groups[0].Series {
			got = append(got, cp.Requests)
		}
		if want := checkpoints(n); !reflect.DeepEqual(got, want) {
			t.Errorf("n=%d: per-request series at %v, multinomial at %v", n, got, want)
		}
	}
}

// The multinomial method and the per-request method give counts with the same distribution: over 2,000
// seeds each, the counts of a destination are binned and the two histograms compared by a chi-square
// test of homogeneity, for a one-class group and for a two-class group. Fixed seeds: no flakes.
func TestMultinomialSameDistributionAsPerRequest(t *testing.T) {
	const seeds = 2000
	tbl := splitTable(70, 20, 10)
	tbl2 := splitTable(50, 50)
	tbl2.Hosts[0].Name = "ratings"
	tbl.Hosts = append(tbl.Hosts, tbl2.Hosts[0])
	groups := []Group{{Requests: 1000, Classes: []Class{
		{Name: "a", Host: "reviews", Weight: 3},
		{Name: "b", Host: "ratings", Weight: 7},
	}}}
	stat := func(r *Result) []int64 {
		c := r.Groups[0].Classes
		return []int64{c[0].Counts[0], c[0].Counts[2], c[1].Counts[0], c[0].Requests}
	}
	var samples [2][][]int64
	for m, method := range []string{PerRequest, Multinomial} {
		for s := uint64(1); s <= seeds; s++ {
			res, err := Run(tbl, groups, Options{Seed: s, Method: method})
			if err != nil {
				t.Fatal(err)
			}
			samples[m] = append(samples[m], stat(res))
		}
	}
	for j, name := range []string{"class a, destination 0", "class a, destination 2", "class b, destination 0", "class a requests"} {
		x2, df := homogeneity(column(samples[0], j), column(samples[1], j))
		crit := distuv.ChiSquared{K: float64(df)}.Quantile(0.999)
		if x2 > crit {
			t.Errorf("%s: X2 = %.1f > %.1f (df %d): the methods differ", name, x2, crit, df)
		}
	}
}

func column(rows [][]int64, j int) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r[j]
	}
	return out
}

// homogeneity bins two samples on common quantile-like edges (at least 30 expected per cell) and
// returns the chi-square statistic of the 2 x bins table and its degrees of freedom.
func homogeneity(a, b []int64) (float64, int) {
	lo, hi := a[0], a[0]
	for _, v := range append(append([]int64{}, a...), b...) {
		lo, hi = min(lo, v), max(hi, v)
	}
	hist := func(xs []int64) []float64 {
		h := make([]float64, hi-lo+1)
		for _, v := range xs {
			h[v-lo]++
		}
		return h
	}
	ha, hb := hist(a), hist(b)
	var cells [][2]float64
	var acc [2]float64
	for i := range ha {
		acc[0] += ha[i]
		acc[1] += hb[i]
		if acc[0]+acc[1] >= 60 {
			cells = append(cells, acc)
			acc = [2]float64{}
		}
	}
	if len(cells) > 0 {
		cells[len(cells)-1][0] += acc[0]
		cells[len(cells)-1][1] += acc[1]
	}
	na, nb := float64(len(a)), float64(len(b))
	var x2 float64
	for _, c := range cells {
		tot := c[0] + c[1]
		ea, eb := tot*na/(na+nb), tot*nb/(na+nb)
		x2 += (c[0]-ea)*(c[0]-ea)/ea + (c[1]-eb)*(c[1]-eb)/eb
	}
	return x2, len(cells) - 1
}

// 10^12 requests take the multinomial method and add up exactly.
func TestMultinomialTrillion(t *testing.T) {
	const n = 1_000_000_000_000
	res, err := Run(splitTable(70, 20, 10), oneClass("reviews", n), Options{Seed: 3, Series: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != Multinomial {
		t.Fatalf("method %s, want multinomial", res.Method)
	}
	c := res.Groups[0].Classes[0]
	if c.Counts[0]+c.Counts[1]+c.Counts[2] != n || c.Requests != n {
		t.Fatalf("counts %v do not add up to %d", c.Counts, int64(n))
	}
	for i, w := range []float64{0.7, 0.2, 0.1} {
		sd := math.Sqrt(n * w * (1 - w))
		if z := (float64(c.Counts[i]) - n*w) / sd; math.Abs(z) > 5 {
			t.Errorf("destination %d: z = %.1f", i, z)
		}
	}
}

func BenchmarkRunMultinomialTrillion(b *testing.B) {
	tbl := splitTable(70, 20, 10)
	groups := oneClass("reviews", 1_000_000_000_000)
	for b.Loop() {
		if _, err := Run(tbl, groups, Options{Seed: 1, Series: true}); err != nil {
			b.Fatal(err)
		}
	}
}
