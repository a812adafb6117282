package sim

import (
	"math"
	"testing"
)

// Fault injection and mirroring as Envoy applies them (envoy source/extensions/filters/http/fault
// fault_filter.cc: independent runtime draws for delay and abort against a FractionalPercent; router
// RequestMirrorPolicy runtime_fraction for each mirror): with a 50% abort on an 80/20 split, about
// half the requests are aborted and the rest split 80/20; the delay and mirror draws are independent
// of both. Both simulation methods agree in distribution. Fixed seeds; bounds at 5 standard errors.
func TestFaultAndMirrorShares(t *testing.T) {
	a := Action{Kind: Forward, Destinations: []Destination{{Host: "r", Subset: "v1", EnvoyWeight: 80, Status: 200}, {Host: "r", Subset: "v2", EnvoyWeight: 20, Status: 200}},
		Fault:   &Fault{Abort: &Fraction{Numerator: 500_000, Denominator: 1_000_000}, AbortStatus: 503, Delay: &Fraction{Numerator: 5699, Denominator: 1_000_000}, FixedDelay: "5s"},
		Mirrors: []Mirror{{Host: "r", Subset: "v3", Fraction: Fraction{Numerator: 333_333, Denominator: 1_000_000}}}}
	table := &Table{Hosts: []*Host{{Name: "r", Rules: []*Rule{{Action: a}}, Routes: []Route{{Rule: 0, MatchIndex: -1}}}}}
	within := func(name string, got, n int64, p float64) {
		t.Helper()
		mean, sd := float64(n)*p, math.Sqrt(float64(n)*p*(1-p))
		if math.Abs(float64(got)-mean) > 5*sd {
			t.Errorf("%s: %d of %d, want %.0f ± %.0f", name, got, n, mean, 5*sd)
		}
	}
	for _, method := range []string{PerRequest, Multinomial} {
		t.Run(method, func(t *testing.T) {
			const n = 1_000_000
			res, err := Run(table, []Group{{Name: "g", Requests: n, Classes: []Class{{Name: "c", Host: "r", Weight: 1}}}}, Options{Seed: 7, Method: method})
			if err != nil {
				t.Fatal(err)
			}
			c := res.Groups[0].Classes[0]
			within("aborted", c.Aborted, n, 0.5)
			within("delayed", c.Delayed, n, 0.005699)
			forwarded := c.Counts[0] + c.Counts[1]
			if forwarded+c.Aborted != n {
				t.Fatalf("forwarded %d + aborted %d != %d", forwarded, c.Aborted, n)
			}
			within("v1 of the forwarded", c.Counts[0], forwarded, 0.8)
			within("mirrored", c.Mirrored[0], forwarded, 0.333333)
		})
	}
}
