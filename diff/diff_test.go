package diff

import (
	"fmt"
	"slices"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// Diff of the bookinfo 80/20 and 50/50 splits: v1 80% -> 50%, v2 20% -> 50%.
func TestCompare(t *testing.T) {
	run := func(w1, w2 int32, c1, c2 int64) *result.Run {
		n := c1 + c2
		return &result.Run{Files: []string{"f"}, Hosts: []result.Host{{Host: "reviews", Rules: []result.Rule{{Rule: "#0", Action: "forward", Requests: n,
			Destinations: []result.Destination{
				{Host: "reviews", Subset: "v1", Weight: w1, ExpectedShare: float64(w1) / float64(w1+w2), Count: c1, Status: 200},
				{Host: "reviews", Subset: "v2", Weight: w2, ExpectedShare: float64(w2) / float64(w1+w2), Count: c2, Status: 200},
			}}}}}}
	}
	limit := 25.0
	d := Compare(run(80, 20, 7990, 2010), run(50, 50, 5020, 4980), Options{FailOnChangePP: &limit})
	if len(d.Moves) != 2 || d.MaxChangePP != 30 || d.Verdict != result.Fail || !d.Changed {
		t.Fatalf("diff %+v", d)
	}
	dd := d.Hosts[0].Rules[0].Destinations
	if dd[0].Name != "v1" || dd[0].OldExact != 0.8 || dd[0].NewExact != 0.5 || dd[0].ChangePP != -30 || dd[0].Change != result.ChangeMoved {
		t.Errorf("v1 %+v", dd[0])
	}
	if dd[1].Name != "v2" || dd[1].ChangePP != 30 || dd[1].OldSimulated != 0.201 || dd[1].NewSimulated != 0.498 {
		t.Errorf("v2 %+v", dd[1])
	}
	same := Compare(run(80, 20, 8000, 2000), run(80, 20, 7900, 2100), Options{})
	if same.Changed || len(same.Moves) != 0 || same.Verdict != result.Pass {
		t.Errorf("equal weights: %+v", same)
	}
}

// Rules pair by name, else by identical match blocks, else they were removed and added: a header
// rule added above an unchanged 70/30 catch-all leaves the catch-all unchanged though it moved from
// #0 to #1. Without the match blocks, unnamed rules pair by position.
func TestComparePairsRules(t *testing.T) {
	dest := func(subset string, w int32, total int32) result.Destination {
		return result.Destination{Host: "reviews", Subset: subset, Weight: w, ExpectedShare: float64(w) / float64(total), Count: int64(w) * 100, Status: 200}
	}
	catchAll := func(index int, name string) result.Rule {
		label := name
		if label == "" {
			label = fmt.Sprintf("#%d", index)
		}
		return result.Rule{Rule: label, Index: index, Name: name, Action: "forward", Requests: 10000,
			Destinations: []result.Destination{dest("v1", 70, 100), dest("v2", 30, 100)}}
	}
	header := func(index int, name string) result.Rule {
		r := catchAll(index, name)
		r.Destinations = []result.Destination{dest("v3", 100, 100)}
		return r
	}
	run := func(rules ...result.Rule) *result.Run {
		return &result.Run{Files: []string{"f"}, Hosts: []result.Host{{Host: "reviews", Rules: rules}}}
	}
	matches := func(blocks ...string) Matches {
		m := map[int]string{}
		for i, b := range blocks {
			m[i] = b
		}
		return Matches{"reviews": m}
	}
	const all, jason, json2 = "{}", "{header end-user exact jason}", "{header end-user exact json}"
	type rule struct{ label, change string }
	for _, tc := range []struct {
		name     string
		old, new *result.Run
		om, nm   Matches
		want     []rule
		moves    int
	}{
		{"header rule added above an unchanged catch-all",
			run(catchAll(0, "")), run(header(0, ""), catchAll(1, "")), matches(all), matches(jason, all),
			[]rule{{"#1 (was #0)", ""}, {"#0", result.ChangeAdded}}, 1},
		{"without match blocks, by position",
			run(catchAll(0, "")), run(header(0, ""), catchAll(1, "")), nil, nil,
			[]rule{{"#0", ""}, {"#1", result.ChangeAdded}}, 5},
		{"named rules by name, whatever their matches",
			run(header(0, "jason"), catchAll(1, "rest")), run(catchAll(0, "rest"), header(1, "jason")), matches(jason, all), matches(all, jason),
			[]rule{{"jason", ""}, {"rest", ""}}, 0},
		{"a rule whose match changed was removed and added",
			run(header(0, ""), catchAll(1, "")), run(header(0, ""), catchAll(1, "")), matches(jason, all), matches(json2, all),
			[]rule{{"#0", result.ChangeRemoved}, {"#1", ""}, {"#0", result.ChangeAdded}}, 2},
		{"a rule without routes pairs by name only",
			run(catchAll(0, ""), header(1, "")), run(catchAll(0, ""), header(1, "")), Matches{"reviews": {0: all}}, Matches{"reviews": {0: all}},
			[]rule{{"#0", ""}, {"#1", result.ChangeRemoved}, {"#1", result.ChangeAdded}}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Compare(tc.old, tc.new, Options{OldMatches: tc.om, NewMatches: tc.nm})
			var got []rule
			for _, rd := range d.Hosts[0].Rules {
				got = append(got, rule{rd.Rule, rd.Change})
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("rules %v, want %v", got, tc.want)
			}
			if len(d.Moves) != tc.moves {
				t.Errorf("%d moves, want %d: %+v", len(d.Moves), tc.moves, d.Moves)
			}
			for _, rd := range d.Hosts[0].Rules {
				if rd.Change != "" {
					continue
				}
				for _, dd := range rd.Destinations {
					if dd.Change != "" && tc.name != "without match blocks, by position" {
						t.Errorf("rule %s, paired, has destination %s %s", rd.Rule, dd.Name, dd.Change)
					}
				}
			}
		})
	}
}

// A host no route decides splits by pod count over groups named by the DestinationRule subset that
// selects them; when a route decides it on the other side (a gateway-only VirtualService now bound
// to the mesh too, argo-rollouts #3383), the group v1 is subset v1's destination: v1 75% -> 10%, not
// v1 removed and v1 added.
func TestComparePairsPodGroupsWithTheirSubsets(t *testing.T) {
	endpoints := &result.Run{Files: []string{"old"}, Hosts: []result.Host{{Host: "demo", Rules: []result.Rule{{Rule: "#0", Action: "endpoints", Requests: 4000,
		Destinations: []result.Destination{
			{Host: "demo", Port: 80, Endpoints: "v1", Weight: 3, ExpectedShare: 0.75, Count: 3000, Status: 200},
			{Host: "demo", Port: 80, Endpoints: "v2", Weight: 1, ExpectedShare: 0.25, Count: 1000, Status: 200},
		}}}}}}
	routed := &result.Run{Files: []string{"new"}, Hosts: []result.Host{{Host: "demo", Rules: []result.Rule{{Rule: "#0", Action: "forward", Requests: 4000,
		Destinations: []result.Destination{
			{Host: "demo", Subset: "v1", Weight: 10, ExpectedShare: 0.1, Count: 400, Status: 200},
			{Host: "demo", Subset: "v2", Weight: 90, ExpectedShare: 0.9, Count: 3600, Status: 200},
		}}}}}}
	d := Compare(endpoints, routed, Options{})
	var got []string
	for _, dd := range d.Hosts[0].Rules[0].Destinations {
		got = append(got, fmt.Sprintf("%s %s %g", dd.Name, dd.Change, dd.ChangePP))
	}
	if want := []string{"v1 moved -65", "v2 moved 65"}; !slices.Equal(got, want) {
		t.Errorf("destinations %q, want %q", got, want)
	}
}
