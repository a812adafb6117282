package observe

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

func readDeltaTestdata(t *testing.T, opts Options) (*Observation, error) {
	t.Helper()
	before, err := os.Open("testdata/scrape_before.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()
	after, err := os.Open("testdata/scrape.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	return ReadDelta(before, "scrape_before.txt", after, "scrape.txt", opts)
}

func TestReadDelta(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		names    []string
		counts   map[string]int64
		warnings []string
	}{
		{
			// reviews v1: 7012-5012 + 8-8; v2: 2960-2260 + 20 (a new series); ratings v1 went from
			// 5000 to 4100, a reset, so its 4100 count.
			name: "default", names: []string{"v1", "v2"},
			counts: map[string]int64{"v1": 2000 + 4100, "v2": 700 + 20},
			warnings: []string{"the input also has", "1 series of istio_requests_total decreased from scrape_before.txt to scrape.txt",
				`counting reporter="destination" only`, "counts of 2 destination services"},
		},
		{
			name: "reviews", opts: Options{Match: mustMatchers(t, "destination_service_name=reviews")},
			names: []string{"v1", "v2"}, counts: map[string]int64{"v1": 2000, "v2": 720},
			warnings: []string{"the input also has", "1 series of istio_requests_total decreased", `counting reporter="destination" only`},
		},
		{
			name: "source reporter", opts: Options{Match: mustMatchers(t, "destination_service_name=reviews", "reporter=source")},
			names: []string{"v1", "v2"}, counts: map[string]int64{"v1": 2000, "v2": 700},
			warnings: []string{"the input also has", "1 series of istio_requests_total decreased"},
		},
		{
			name: "envoy", opts: Options{Metric: MetricEnvoyUpstreamRq},
			names:  []string{reviewsV1, reviewsV2, reviews, ratings},
			counts: map[string]int64{reviewsV1: 2000, reviewsV2: 700, reviews: 0, ratings: 0},
			warnings: []string{"1 series of envoy_cluster_upstream_rq_total decreased",
				"counting outbound clusters only"},
		},
		{
			name: "metric missing before", opts: Options{Metric: MetricEnvoyUpstreamRqDone},
			names:  []string{reviewsV1, reviewsV2, reviews, ratings},
			counts: map[string]int64{reviewsV1: 7015, reviewsV2: 2983, reviews: 0, ratings: 0},
			warnings: []string{"scrape_before.txt has no envoy_cluster_upstream_rq_completed: counting every series of scrape.txt from zero",
				"counting outbound clusters only"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, err := readDeltaTestdata(t, tt.opts)
			checkReadOK(t, obs, err)
			if !reflect.DeepEqual(obs.Names, tt.names) {
				t.Errorf("names %q, want %q", obs.Names, tt.names)
			}
			if !reflect.DeepEqual(obs.Counts, tt.counts) {
				t.Errorf("counts %v, want %v", obs.Counts, tt.counts)
			}
			checkWarnings(t, obs.Warnings, tt.warnings)
		})
	}
}

func TestReadDeltaMissingSeries(t *testing.T) {
	before := "# TYPE istio_requests_total counter\n" +
		`istio_requests_total{destination_version="v1",pod="a"} 10` + "\n" +
		`istio_requests_total{destination_version="v1",pod="b"} 10` + "\n"
	after := "# TYPE istio_requests_total counter\n" +
		`istio_requests_total{destination_version="v1",pod="a"} 25` + "\n" +
		`istio_requests_total{destination_version="v2",pod="c"} 4` + "\n"
	obs, err := ReadDelta(strings.NewReader(before), "b.txt", strings.NewReader(after), "a.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"v1": 15, "v2": 4}; !reflect.DeepEqual(obs.Counts, want) {
		t.Errorf("counts %v, want %v", obs.Counts, want)
	}
	checkWarnings(t, obs.Warnings, []string{"1 series of istio_requests_total in b.txt are missing from a.txt"})
}

func TestReadDeltaErrors(t *testing.T) {
	scrape := "# TYPE istio_requests_total counter\nistio_requests_total{destination_version=\"v1\"} 5\n"
	for _, tt := range []struct {
		name          string
		before, after string
		opts          Options
		want          string
	}{
		{"csv before", "v1,5\n", scrape, Options{}, "b.csv: the difference of two inputs needs Prometheus text format; this looks like csv"},
		{"empty after", scrape, "", Options{}, "a.txt: empty input: no counts"},
		{"forced json", scrape, scrape, Options{Format: FormatJSON}, "the difference of two inputs needs the prometheus format, not json"},
		{"bad after", scrape, scrape + "istio_requests_total{destination_version=\"v2\"} x\n", Options{},
			`a.txt: line 3: expected float as value, got "x"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDelta(strings.NewReader(tt.before), "b.csv", strings.NewReader(tt.after), "a.txt", tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v, want %s", err, tt.want)
			}
		})
	}
}

// TestConcatenatedScrapes reads two proxies' scrapes written one after the other into a file: the
// repeated HELP and TYPE lines are accepted and identical series are summed.
func TestConcatenatedScrapes(t *testing.T) {
	one, err := os.ReadFile("testdata/scrape.txt")
	if err != nil {
		t.Fatal(err)
	}
	obs, err := Read(strings.NewReader(string(one)+string(one)), "both.txt", Options{Match: mustMatchers(t, "destination_service_name=reviews")})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"v1": 2 * 7020, "v2": 2 * 2980}; !reflect.DeepEqual(obs.Counts, want) {
		t.Errorf("counts %v, want %v", obs.Counts, want)
	}

	// Line numbers stay those of the file.
	bad := string(one) + strings.Replace(string(one), "istio_build{", "istio_build{{", 1)
	_, err = Read(strings.NewReader(bad), "both.txt", Options{})
	lines := strings.Count(string(one), "\n")
	wantLine := lines + strings.Count(string(one)[:strings.Index(string(one), "istio_build{")], "\n") + 1
	if e, ok := err.(*Error); !ok || e.Line != wantLine {
		t.Errorf("error %v, want one at line %d", err, wantLine)
	}
}

func TestScrapeShapes(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		counts map[string]int64
		warn   []string
	}{
		{"no final newline", `istio_requests_total{destination_version="v1"} 5`, map[string]int64{"v1": 5}, nil},
		{"federation with timestamps", "# TYPE istio_requests_total untyped\n" +
			`istio_requests_total{destination_version="v1",instance="10.244.1.12:15020",job="envoy-stats"} 70 1714557600000` + "\n" +
			`istio_requests_total{destination_version="v2",instance="10.244.2.31:15020",job="envoy-stats"} 30 1714557600000` + "\n",
			map[string]int64{"v1": 70, "v2": 30}, nil},
		{"float values", "istio_requests_total{destination_version=\"v1\"} 7.0e+02\nistio_requests_total{destination_version=\"v2\"} 299.5\n",
			map[string]int64{"v1": 700, "v2": 300}, []string{"not whole numbers; counts are rounded"}},
		{"series without the label", "istio_requests_total{destination_version=\"v1\"} 5\nistio_requests_total{destination_app=\"x\"} 3\n",
			map[string]int64{"v1": 5}, []string{"ignored 1 series of istio_requests_total without the label destination_version"}},
		{"one reporter only", "istio_requests_total{reporter=\"source\",destination_version=\"v1\"} 5\n",
			map[string]int64{"v1": 5}, nil},
		{"non-istio envoy", "# TYPE envoy_cluster_upstream_rq_total counter\n" +
			"envoy_cluster_upstream_rq_total{cluster_name=\"service_v1\"} 40\nenvoy_cluster_upstream_rq_total{cluster_name=\"service_v2\"} 60\n",
			map[string]int64{"service_v1": 40, "service_v2": 60}, nil},
		{"utf8 names", "# TYPE istio_requests_total counter\n" + `{"istio_requests_total","destination.version"="v1"} 5` + "\n",
			nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, err := Read(strings.NewReader(tt.input), "s.txt", Options{Format: FormatPrometheus})
			if tt.counts == nil {
				if err == nil {
					t.Fatalf("read %v, want the missing-label error", obs.Counts)
				}
				if !strings.Contains(err.Error(), "labels present: destination.version") {
					t.Errorf("error %v", err)
				}
				return
			}
			checkReadOK(t, obs, err)
			if !reflect.DeepEqual(obs.Counts, tt.counts) {
				t.Errorf("counts %v, want %v", obs.Counts, tt.counts)
			}
			checkWarnings(t, obs.Warnings, tt.warn)
		})
	}
}

// Replicas of one workload report series with identical labels. Concatenated, their scrapes keep
// every replica's histogram (and summary): the request counts of a histogram's _count add up, as
// counters do, instead of the last scrape's replacing the first's.
func TestConcatenatedHistogramScrapes(t *testing.T) {
	scrape := func(v1, v2 int) string {
		return "# HELP istio_request_duration_milliseconds request duration\n" +
			"# TYPE istio_request_duration_milliseconds histogram\n" +
			fmt.Sprintf(`istio_request_duration_milliseconds_bucket{destination_version="v1",le="+Inf"} %d`+"\n", v1) +
			fmt.Sprintf(`istio_request_duration_milliseconds_sum{destination_version="v1"} %d`+"\n", 3*v1) +
			fmt.Sprintf(`istio_request_duration_milliseconds_count{destination_version="v1"} %d`+"\n", v1) +
			fmt.Sprintf(`istio_request_duration_milliseconds_bucket{destination_version="v2",le="+Inf"} %d`+"\n", v2) +
			fmt.Sprintf(`istio_request_duration_milliseconds_sum{destination_version="v2"} %d`+"\n", 3*v2) +
			fmt.Sprintf(`istio_request_duration_milliseconds_count{destination_version="v2"} %d`+"\n", v2) +
			"# TYPE rpc_latency summary\n" +
			fmt.Sprintf(`rpc_latency_sum{destination_version="v1"} %d`+"\n", v1) +
			fmt.Sprintf(`rpc_latency_count{destination_version="v1"} %d`+"\n", v1)
	}
	in := scrape(70, 30) + scrape(700, 300) + scrape(7, 3)
	for metric, want := range map[string]map[string]int64{
		"istio_request_duration_milliseconds_count": {"v1": 777, "v2": 333},
		"istio_request_duration_milliseconds":       {"v1": 777, "v2": 333},
		"rpc_latency_count":                         {"v1": 777},
	} {
		obs, err := Read(strings.NewReader(in), "replicas.txt", Options{Metric: metric})
		if err != nil {
			t.Fatalf("%s: %v", metric, err)
		}
		if !reflect.DeepEqual(obs.Counts, want) {
			t.Errorf("%s: counts %v, want %v", metric, obs.Counts, want)
		}
	}

	// An error in the third scrape names its line in the file.
	bad := scrape(70, 30) + scrape(700, 300) + strings.Replace(scrape(7, 3), "_sum{", "_sum{{", 1)
	_, err := Read(strings.NewReader(bad), "replicas.txt", Options{Metric: "istio_request_duration_milliseconds_count"})
	if e, ok := err.(*Error); !ok || e.Line != 2*11+4 {
		t.Errorf("error %v, want one at line %d", err, 2*11+4)
	}
}
