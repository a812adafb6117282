package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

var sink int

// BenchmarkFloor is the physical floor of a pick: one random draw and one table lookup, counted. Every
// other figure is read as a ratio to it, measured in the same run.
func BenchmarkFloor(b *testing.B) {
	src := rand.NewPCG(1, 2)
	var table [128]uint8
	for i := range table {
		table[i] = uint8(i & 1)
	}
	var counts [2]int64
	b.ReportAllocs()
	for b.Loop() {
		for range BlockSize {
			counts[table[src.Uint64()&127]]++
		}
	}
	sink = int(counts[0])
	b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*BlockSize), "ns/request")
	b.ReportMetric(float64(b.N)*BlockSize/b.Elapsed().Seconds(), "requests/s")
}

// benchWeights are n weights of about 100/n each.
func benchWeights(n int) []uint32 {
	w := make([]uint32, n)
	for i := range w {
		w[i] = uint32(100/n + i%3)
	}
	return w
}

// BenchmarkPick is the engine's pick over n destinations, counted, with the distribution of Envoy's
// rule (r mod total, then the interval), through Picker.Count as the runner uses it, in batches of a
// block. It beats the floor because one draw settles five requests (12 bits each) and only requests
// next to a cut draw more.
func BenchmarkPick(b *testing.B) {
	for _, n := range []int{2, 5, 16, 50, 100} {
		b.Run(fmt.Sprintf("dests=%d", n), func(b *testing.B) {
			w := benchWeights(n)
			p, err := NewPicker(w)
			if err != nil {
				b.Fatal(err)
			}
			src := rand.NewPCG(1, 2)
			counts := make([]int64, n)
			hist := new(Hist)
			b.ReportAllocs()
			for b.Loop() {
				p.Count(src, BlockSize, counts, hist)
			}
			sink = int(counts[0])
			b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*BlockSize), "ns/request")
			b.ReportMetric(float64(b.N)*BlockSize/b.Elapsed().Seconds(), "requests/s")
		})
	}
}

// BenchmarkPickOne is Picker.Pick, Envoy's rule on a given value (remainder and binary search), one
// value at a time, as explain uses it.
func BenchmarkPickOne(b *testing.B) {
	for _, n := range []int{2, 100} {
		b.Run(fmt.Sprintf("dests=%d", n), func(b *testing.B) {
			w := benchWeights(n)
			p, _ := NewPicker(w)
			src := rand.NewPCG(1, 2)
			counts := make([]int64, n)
			for b.Loop() {
				counts[p.Pick(src.Uint64())]++
			}
			sink = int(counts[0])
		})
	}
}

// BenchmarkPickLinear is the literal linear walk with a division, for comparison.
func BenchmarkPickLinear(b *testing.B) {
	for _, n := range []int{2, 50} {
		b.Run(fmt.Sprintf("dests=%d", n), func(b *testing.B) {
			w := benchWeights(n)
			src := rand.NewPCG(1, 2)
			counts := make([]int64, n)
			for b.Loop() {
				counts[PickLinear(w, src.Uint64())]++
			}
			sink = int(counts[0])
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
		})
	}
}

// BenchmarkRun is the runner end to end: one rule, 80/20, 2^20 requests per iteration.
func BenchmarkRun(b *testing.B) {
	a := Action{Kind: Forward, Destinations: []Destination{{EnvoyWeight: 80}, {EnvoyWeight: 20}}}
	tbl := &Table{Hosts: []*Host{{Name: "h", Rules: []*Rule{{Action: a}}, Routes: []Route{{MatchIndex: -1}}}}}
	const n = 1 << 20
	groups := []Group{{Requests: n, Classes: []Class{{Host: "h", Weight: 1}}}}
	b.ReportAllocs()
	benchRun(b, tbl, groups, Options{Seed: 1, Method: PerRequest})
}

// benchRun runs groups through tbl with opts in the benchmark loop and reports the time per request
// and the requests per second.
func benchRun(b *testing.B, tbl *Table, groups []Group, opts Options) {
	b.Helper()
	var n float64
	for _, g := range groups {
		n += float64(g.Requests)
	}
	for b.Loop() {
		if _, err := Run(tbl, groups, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*n), "ns/request")
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "requests/s")
}

// headerTable is a host whose first rule sends requests with header x-canary: yes to a 2-way split,
// its second rule sends /api prefixes to a 3-way split, its third matches a regex, and a catch-all
// takes the rest.
func headerTable() *Table {
	split := func(w ...uint32) Action {
		a := Action{Kind: Forward}
		for _, x := range w {
			a.Destinations = append(a.Destinations, Destination{EnvoyWeight: x, Status: 200})
		}
		return a
	}
	return &Table{Hosts: []*Host{{Name: "web",
		Rules: []*Rule{{Action: split(50, 50)}, {Action: split(70, 20, 10)}, {Action: split(1, 1)}, {Action: split(90, 10)}},
		Routes: []Route{
			{Rule: 0, Match: Match{Headers: []HeaderMatch{{Name: "x-canary", Match: MustStringMatch(Exact, "yes")}}}},
			{Rule: 1, Match: Match{URI: ptrTo(MustStringMatch(Prefix, "/api"))}},
			{Rule: 2, Match: Match{URI: ptrTo(MustStringMatch(Regex, "/items/[0-9]+"))}},
			{Rule: 3, MatchIndex: -1},
		}}}}
}

func ptrTo[T any](v T) *T { return &v }

// BenchmarkPerRequestHeader is the per-request path of a request class with one header match and a
// 2-way split, on one core: the class is matched once (matching is a pure function of the request),
// then every request draws its destination.
func BenchmarkPerRequestHeader(b *testing.B) {
	tbl := headerTable()
	req := Request{Method: "GET", Path: "/", Headers: map[string]string{"x-canary": "yes"}}
	const n = 1 << 20
	groups := []Group{{Requests: n, Classes: []Class{{Host: "web", Request: req, Weight: 1}}}}
	benchRun(b, tbl, groups, Options{Seed: 1, Workers: 1, Method: PerRequest})
}

// BenchmarkPerRequestMixed sends four request classes (header, prefix, regex, catch-all) through the
// host on one core: 8 bits settle each request's class and 8 more its destination's bin, four
// requests per draw.
func BenchmarkPerRequestMixed(b *testing.B) {
	tbl := headerTable()
	mk := func(path string, h map[string]string) Request {
		return Request{Method: "GET", Path: path, Headers: h}
	}
	const n = 1 << 20
	groups := []Group{{Requests: n, Classes: []Class{
		{Name: "canary", Host: "web", Request: mk("/", map[string]string{"x-canary": "yes"}), Weight: 1},
		{Name: "api", Host: "web", Request: mk("/api/v1", nil), Weight: 4},
		{Name: "items", Host: "web", Request: mk("/items/42", nil), Weight: 2},
		{Name: "rest", Host: "web", Request: mk("/", nil), Weight: 3},
	}}}
	benchRun(b, tbl, groups, Options{Seed: 1, Workers: 1, Method: PerRequest})
}

// BenchmarkMatch is the cost of matching one request against the host's routes, which the runner pays
// once per class instead of once per request.
func BenchmarkMatch(b *testing.B) {
	h := headerTable().Hosts[0]
	reqs := []Request{
		{Path: "/", Headers: map[string]string{"x-canary": "yes"}},
		{Path: "/api/v1", Headers: map[string]string{}},
		{Path: "/items/42", Headers: map[string]string{}},
		{Path: "/", Headers: map[string]string{}},
	}
	i := 0
	for b.Loop() {
		sink += h.Route(&reqs[i&3])
		i++
	}
}

// BenchmarkRunCores is the runner on 1 and on 2 cores, same seed, same output: the speed-up.
func BenchmarkRunCores(b *testing.B) {
	tbl := splitTable(80, 20)
	const n = 1 << 24
	groups := oneClass("reviews", n)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			benchRun(b, tbl, groups, Options{Seed: 1, Workers: w, Method: PerRequest})
		})
	}
}
