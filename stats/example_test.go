package stats_test

import (
	"fmt"

	"github.com/splitsim/splitsim/stats"
)

func ExamplePearson() {
	// 1,000 requests against a 70/30 split.
	t := stats.Pearson([]int64{720, 280}, []float64{70, 30})
	fmt.Printf("%s X2=%.4f df=%d p=%.4f w=%.4f\n", t.Method, t.Statistic, t.DF, t.PValue, t.W)

	// One million requests against 50/50: p underflows, log10(p) does not.
	t = stats.Pearson([]int64{519000, 481000}, []float64{0.5, 0.5})
	fmt.Printf("X2=%.0f p=%.3g log10(p)=%.4f\n", t.Statistic, t.PValue, t.Log10P)

	// A destination with weight 0 received traffic: a definite violation.
	t = stats.Pearson([]int64{500, 490, 10}, []float64{50, 50, 0})
	fmt.Println(t.Violated(), t.PValue, t.Warnings[0])
	// Output:
	// pearson X2=1.9048 df=1 p=0.1675 w=0.0436
	// X2=1444 p=5.77e-316 log10(p)=-315.2388
	// true 0 destination 2 has share 0 but received 10 requests
}

func ExampleRequiredN() {
	alpha, power := 0.05, 0.8
	fmt.Println(stats.RequiredN([]float64{0.7, 0.3}, []float64{0.71, 0.29}, alpha, power))
	fmt.Println(stats.RequiredN([]float64{0.7, 0.3}, []float64{0.701, 0.299}, alpha, power))
	fmt.Println(stats.RequiredN([]float64{0.5, 0.5}, []float64{0.51, 0.49}, alpha, power))
	// The smallest effect 10,000 requests detect over 4 destinations.
	fmt.Printf("%.4f\n", stats.DetectableW(3, 10000, 0.001, 0.8))
	// Output:
	// 16483
	// 1648261
	// 19623
	// 0.0464
}

func ExampleSequential() {
	s := stats.NewSequential([]float64{0.5, 0.5}, stats.DefaultConcentration)
	for _, batch := range [][]int64{{5100, 4900}, {5150, 4850}, {5200, 4800}} {
		p := s.Add(batch)
		fmt.Printf("n=%d p=%.3g reject=%v\n", s.N(), p, s.Reject(0.001))
	}
	// Output:
	// n=10000 p=0.52 reject=false
	// n=20000 p=0.0268 reject=false
	// n=30000 p=8e-05 reject=true
}
