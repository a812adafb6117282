package main

import (
	"testing"

	"github.com/splitsim/splitsim/scenarios"
)

// BenchmarkRunScenario is `splitsim run` end to end on a bundled scenario (load, translate, simulate
// every request, test, build the result), per request: two request classes, a header route and a 50/50
// split, 2^22 requests, on every core.
func BenchmarkRunScenario(b *testing.B) {
	const n = 1 << 22
	for b.Loop() {
		in, err := scenarios.Load([]string{"../../scenarios/header-jason.yaml"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := scenarios.Simulate(in, scenarios.SimOptions{Requests: n, RequestsSet: true, Seed: 1, Alpha: 0.001, Method: "per-request"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(b.N)*n), "ns/request")
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "requests/s")
}
