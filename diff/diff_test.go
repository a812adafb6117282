package diff

import (
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
