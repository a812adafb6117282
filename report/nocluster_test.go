package report

import (
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// A host's 503 no-cluster count covers destinations whose subset no DestinationRule defines and
// destination hosts that no Service or ServiceEntry of the inputs defines (Envoy has no cluster for
// either, flag NC; issue 14), so the host line names both.
func TestNoClusterLineNamesSubsetsAndHosts(t *testing.T) {
	r := &result.Run{Requests: 1000, Alpha: 0.001, Verdict: result.Fail, Hosts: []result.Host{{Host: "reviews", Requests: 1000, NoCluster: 181,
		Rules: []result.Rule{{Rule: "#0", Action: result.ActionForward, Requests: 1000, Forwarded: 1000, Destinations: []result.Destination{
			{Host: "reviews", Count: 819, Status: 200}, {Host: "reviewz", Count: 181, Status: 503, Flag: "NC"}}}}}}}
	var b strings.Builder
	if err := RunText(&b, r); err != nil {
		t.Fatal(err)
	}
	if want := "host reviews: 1,000 requests, 181 to undefined subsets or hosts (503 no cluster, 18.100%)"; !strings.Contains(b.String(), want) {
		t.Errorf("no %q in\n%s", want, b.String())
	}
}
