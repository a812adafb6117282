package observe

import (
	"os"
	"strings"
	"testing"
)

// Options.Services keeps the traffic of the named services only: istio_requests_total by
// destination_service, Envoy clusters by the host in outbound|PORT|SUBSET|HOST.
func TestServicesOption(t *testing.T) {
	reviews := []string{"reviews.default.svc.cluster.local"}
	for _, tc := range []struct {
		name     string
		opts     Options
		want     map[string]int64
		warnings string
	}{
		{"istio metric, every service", Options{}, map[string]int64{"v1": 7020 + 4100}, "summed by destination_version"},
		{"istio metric, reviews only", Options{Services: reviews}, map[string]int64{"v1": 7020, "v2": 2980}, ""},
		{"istio metric, an explicit service matcher wins", Options{Services: reviews,
			Match: []Matcher{{Label: "destination_service_name", Op: "=", Value: "ratings"}}}, map[string]int64{"v1": 4100}, ""},
		{"envoy clusters, reviews only", Options{Services: reviews, Metric: MetricEnvoyUpstreamRq},
			map[string]int64{"outbound|9080|v1|reviews.default.svc.cluster.local": 7015}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := os.Open("testdata/scrape.txt")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			obs, err := Read(f, "scrape.txt", tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if obs.Counts[k] != v {
					t.Errorf("%s: %d, want %d (counts %v)", k, obs.Counts[k], v, obs.Counts)
				}
			}
			for _, n := range obs.Names {
				if parts := strings.Split(n, "|"); len(tc.opts.Services) > 0 && len(parts) == 4 && parts[3] != reviews[0] {
					t.Errorf("cluster %s of another service kept", n)
				}
			}
			if tc.warnings != "" && !strings.Contains(strings.Join(obs.Warnings, "\n"), tc.warnings) {
				t.Errorf("warnings %q lack %q", obs.Warnings, tc.warnings)
			}
		})
	}
}
