package sim

import (
	"fmt"
	"math"
	"reflect"
	"sync"
	"testing"
)

func splitTable(weights ...uint32) *Table {
	a := Action{Kind: Forward}
	for i, w := range weights {
		a.Destinations = append(a.Destinations, Destination{Host: "reviews", Subset: string(rune('a' + i)), Weight: int32(w), EnvoyWeight: w, Status: 200})
	}
	return &Table{Hosts: []*Host{{Name: "reviews", Rules: []*Rule{{Action: a}}, Routes: []Route{{Rule: 0, MatchIndex: -1}}}}}
}

func oneClass(host string, n int64) []Group {
	return []Group{{Name: "g", Requests: n, Classes: []Class{{Name: "c", Host: host, Request: Request{Method: "GET", Path: "/"}, Weight: 1}}}}
}

// sameForAllWorkers runs groups with series on 1, 2, 3 and 8 workers, fails unless the results are
// identical, and returns the result.
func sameForAllWorkers(t *testing.T, tbl *Table, groups []Group, seed uint64) *Result {
	t.Helper()
	var want *Result
	for _, w := range []int{1, 2, 3, 8} {
		got, err := Run(tbl, groups, Options{Seed: seed, Workers: w, Series: true})
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = got
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("workers=%d: result differs", w)
		}
	}
	return want
}

// The same seed gives identical counts whatever the number of workers.
func TestRunIndependentOfWorkers(t *testing.T) {
	tbl := splitTable(70, 20, 10)
	want := sameForAllWorkers(t, tbl, oneClass("reviews", 1_000_003), 42)
	c := want.Groups[0].Classes[0]
	if c.Requests != 1_000_003 || c.Counts[0]+c.Counts[1]+c.Counts[2] != 1_000_003 {
		t.Fatalf("counts do not add up: %+v", c)
	}
	s := want.Groups[0].Series
	if len(s) == 0 || s[len(s)-1].Requests != 1_000_003 {
		t.Fatalf("series does not end at the request count: %+v", s)
	}
	for i := 1; i < len(s); i++ {
		if s[i].Requests <= s[i-1].Requests {
			t.Fatalf("series not increasing at %d", i)
		}
	}
}

func TestRunDifferentSeedsDiffer(t *testing.T) {
	tbl := splitTable(50, 50)
	a, _ := Run(tbl, oneClass("reviews", 10000), Options{Seed: 1})
	b, _ := Run(tbl, oneClass("reviews", 10000), Options{Seed: 2})
	if reflect.DeepEqual(a.Groups[0].Classes[0].Counts, b.Groups[0].Classes[0].Counts) {
		t.Fatal("seeds 1 and 2 gave the same counts")
	}
}

// A request for a host no VirtualService names, and one that matches no route, go nowhere (404 NR).
func TestRunUnroutedRequests(t *testing.T) {
	tbl := splitTable(1)
	tbl.Hosts[0].Routes[0].Match = Match{URI: ptr(MustStringMatch(Prefix, "/api"))}
	res, err := Run(tbl, []Group{{Requests: 100, Classes: []Class{
		{Name: "other-host", Host: "ratings", Weight: 1},
		{Name: "no-route", Host: "reviews", Request: Request{Path: "/web"}, Weight: 1},
		{Name: "api", Host: "reviews", Request: Request{Path: "/api/x"}, Weight: 2},
	}}}, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	cs := res.Groups[0].Classes
	if cs[0].HostFound || cs[1].Route != -1 || cs[2].Rule != 0 {
		t.Fatalf("resolution wrong: %+v", cs)
	}
	if cs[0].Requests+cs[1].Requests+cs[2].Requests != 100 || cs[2].Counts[0] != cs[2].Requests {
		t.Fatalf("counts wrong: %+v", cs)
	}
}

func ptr[T any](v T) *T { return &v }

// A group of several classes gives identical counts and series whatever the number of workers, with
// a request count that is not a multiple of the four requests each draw decides.
func TestRunSeveralClassesIndependentOfWorkers(t *testing.T) {
	tbl := headerTable()
	groups := []Group{{Requests: 3*BlockSize + 7, Classes: []Class{
		{Name: "canary", Host: "web", Request: Request{Path: "/", Headers: map[string]string{"x-canary": "yes"}}, Weight: 1},
		{Name: "api", Host: "web", Request: Request{Path: "/api/v1"}, Weight: 4},
		{Name: "nowhere", Host: "other", Weight: 2},
	}}}
	want := sameForAllWorkers(t, tbl, groups, 7)
	var sum int64
	for _, c := range want.Groups[0].Classes {
		sum += c.Requests
		var dests int64
		for _, n := range c.Counts {
			dests += n
		}
		if c.Counts != nil && dests != c.Requests {
			t.Fatalf("class %s: destinations add up to %d of %d", c.Class, dests, c.Requests)
		}
	}
	if sum != 3*BlockSize+7 {
		t.Fatalf("classes add up to %d", sum)
	}
}

// Each (class, destination) cell of a group gets its share: class weights 1:999 and 3:997 put a class
// and a destination far inside one of the 2^coarseBits bins that settle most requests, where the
// remaining bits must place them. Pearson's X2 summed over 20 seeds of 10^6 requests stays within 6
// standard deviations of its chi-square mean.
func TestRunSeveralClassesShares(t *testing.T) {
	tbl := splitTable(3, 997)
	tbl2 := splitTable(500, 1, 499)
	tbl2.Hosts[0].Name = "ratings"
	tbl.Hosts = append(tbl.Hosts, tbl2.Hosts[0])
	for _, cw := range [][2]float64{{1, 999}, {999, 1}, {1, 1}} {
		groups := []Group{{Requests: 1_000_000, Classes: []Class{
			{Name: "a", Host: "reviews", Weight: cw[0]},
			{Name: "b", Host: "ratings", Weight: cw[1]},
		}}}
		probs := [][]float64{{0.003, 0.997}, {0.5, 0.001, 0.499}}
		var x2, df float64
		for seed := range uint64(20) {
			res, err := Run(tbl, groups, Options{Seed: seed, Method: PerRequest})
			if err != nil {
				t.Fatal(err)
			}
			for c, cr := range res.Groups[0].Classes {
				share := cw[c] / (cw[0] + cw[1])
				for d, n := range cr.Counts {
					e := 1e6 * share * probs[c][d]
					x2 += (float64(n) - e) * (float64(n) - e) / e
				}
			}
			df += 4
		}
		if x2 > df+6*math.Sqrt(2*df) {
			t.Errorf("class weights %v: X2 %.1f over %v degrees of freedom", cw, x2, df)
		}
	}
}

// Class weights are relative: any positive finite numbers, even ones whose sum overflows a float64,
// give integer weights in the same proportions that add up to 2^31.
func TestClassWeightsProportions(t *testing.T) {
	for _, ws := range [][]float64{{1, 3}, {1e308, 1e308}, {1e308, 3e307, 1e-300}, {0.1, 0.2, 0.7}, {5e-324, 5e-324}} {
		cs := make([]Class, len(ws))
		for i, w := range ws {
			cs[i] = Class{Name: fmt.Sprint(i), Weight: w}
		}
		got, err := classWeights(cs)
		if err != nil {
			t.Fatalf("%v: %v", ws, err)
		}
		var total uint64
		for _, g := range got {
			total += uint64(g)
		}
		if total != 1<<31 {
			t.Fatalf("%v: integer weights %v add up to %d", ws, got, total)
		}
		var sum float64
		for _, w := range ws {
			sum += w / ws[0]
		}
		for i, w := range ws {
			if share := float64(got[i]) / (1 << 31); math.Abs(share-w/ws[0]/sum) > 1e-9 {
				t.Errorf("%v: class %d share %v, want %v", ws, i, share, w/ws[0]/sum)
			}
		}
	}
}

// One table shared by several goroutines that run it at once, with both methods, gives each of them
// the result a lone run gives. Under -race this catches any state the runner caches in the table.
func TestRunSharedTableConcurrently(t *testing.T) {
	tbl := headerTable()
	groups := []Group{{Requests: BlockSize + 3, Classes: []Class{
		{Name: "canary", Host: "web", Request: Request{Path: "/", Headers: map[string]string{"x-canary": "yes"}}, Weight: 1},
		{Name: "api", Host: "web", Request: Request{Path: "/api/v1"}, Weight: 4},
		{Name: "rest", Host: "web", Request: Request{Path: "/"}, Weight: 3},
	}}}
	for _, method := range []string{PerRequest, Multinomial} {
		t.Run(method, func(t *testing.T) {
			opts := Options{Seed: 5, Workers: 2, Method: method}
			want, err := Run(headerTable(), groups, opts)
			if err != nil {
				t.Fatal(err)
			}
			const goroutines = 4
			got := make([]*Result, goroutines)
			errs := make([]error, goroutines)
			var wg sync.WaitGroup
			for i := range goroutines {
				wg.Go(func() { got[i], errs[i] = Run(tbl, groups, opts) })
			}
			wg.Wait()
			for i := range goroutines {
				if errs[i] != nil {
					t.Fatalf("goroutine %d: %v", i, errs[i])
				}
				if !reflect.DeepEqual(got[i], want) {
					t.Errorf("goroutine %d: result differs from a lone run", i)
				}
			}
		})
	}
}
