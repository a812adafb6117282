package sim

import (
	"reflect"
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

// The same seed gives identical counts whatever the number of workers.
func TestRunIndependentOfWorkers(t *testing.T) {
	tbl := splitTable(70, 20, 10)
	var want *Result
	for _, w := range []int{1, 2, 3, 8} {
		got, err := Run(tbl, oneClass("reviews", 1_000_003), Options{Seed: 42, Workers: w, Series: true})
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
