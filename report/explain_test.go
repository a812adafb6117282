package report

import (
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// With --random, a fault abort that happens for the value is said to come before the weighted
// pick: Envoy's fault filter runs before the router (envoy source/extensions/filters/http/fault/
// fault_filter.cc FaultFilter::decodeHeaders aborts with sendLocalReply), so the request reaches
// no cluster. An abort that does not happen leaves the pick as it is.
func TestExplainTextAbortBeforeThePick(t *testing.T) {
	ex := func(happens bool) *result.Explain {
		random, value, draw := uint64(5), uint64(5), uint64(5)
		return &result.Explain{
			Host: "reviews", Random: &random, Total: 100, Value: &value, Action: "forward",
			Rule: &result.ExplainRule{Index: 0, Source: "vs.yaml:8"},
			Clusters: []result.ExplainCluster{{Cluster: "outbound||v1|reviews", Weight: 80, Begin: 0, End: 80, Status: 200},
				{Cluster: "outbound||v2|reviews", Weight: 20, Begin: 80, End: 100, Status: 200}},
			Chosen: &result.ExplainChosen{Cluster: "outbound||v1|reviews", Status: 200},
			Draws: []result.ExplainDraw{{What: "fault abort 503", Numerator: 500000, Denominator: 1000000, Share: 0.5,
				Value: &draw, Happens: &happens}},
		}
	}
	for _, tc := range []struct {
		happens bool
		want    string
	}{
		{true, "random 5 mod 100 = 5: outbound||v1|reviews (status 200); but the fault abort 503 happens first for this value: Envoy's fault filter answers before the router picks, so the request reaches no cluster\n"},
		{false, "random 5 mod 100 = 5: outbound||v1|reviews (status 200)\n"},
	} {
		var b strings.Builder
		if err := ExplainText(&b, ex(tc.happens)); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(b.String(), tc.want) {
			t.Errorf("abort happens %v: output ends\n%s\nwant\n%s", tc.happens, b.String(), tc.want)
		}
	}
}
