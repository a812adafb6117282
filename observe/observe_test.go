package observe

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	reviewsV1 = "outbound|9080|v1|reviews.default.svc.cluster.local"
	reviewsV2 = "outbound|9080|v2|reviews.default.svc.cluster.local"
	reviews   = "outbound|9080||reviews.default.svc.cluster.local"
	ratings   = "outbound|9080||ratings.default.svc.cluster.local"
)

func readTestdata(t *testing.T, file string, opts Options) (*Observation, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(f, file, opts)
}

func mustMatchers(t *testing.T, specs ...string) []Matcher {
	t.Helper()
	var ms []Matcher
	for _, s := range specs {
		m, err := ParseMatcher(s)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	return ms
}

// checkInvariants checks what every successful Read promises.
func checkInvariants(t testing.TB, obs *Observation) {
	t.Helper()
	if len(obs.Names) == 0 {
		t.Fatalf("no names in %+v", obs)
	}
	seen := map[string]bool{}
	for _, n := range obs.Names {
		if seen[n] {
			t.Fatalf("name %q listed twice in %q", n, obs.Names)
		}
		seen[n] = true
		c, ok := obs.Counts[n]
		if !ok || c < 0 {
			t.Fatalf("name %q: count %d (present %v)", n, c, ok)
		}
	}
	if len(obs.Counts) != len(obs.Names) {
		t.Fatalf("%d counts for %d names", len(obs.Counts), len(obs.Names))
	}
	if obs.Series != nil {
		checkSeries(t, obs)
	}
	checkCodes(t, obs)
}

// checkSeries checks that every interval has every name and that each name's intervals sum to
// its count.
func checkSeries(t testing.TB, obs *Observation) {
	t.Helper()
	if len(obs.Intervals) != len(obs.Series) {
		t.Fatalf("%d interval labels for %d intervals", len(obs.Intervals), len(obs.Series))
	}
	for _, n := range obs.Names {
		var sum int64
		for _, row := range obs.Series {
			v, ok := row[n]
			if !ok || v < 0 {
				t.Fatalf("series: name %q: %d (present %v)", n, v, ok)
			}
			sum += v
		}
		if sum != obs.Counts[n] {
			t.Fatalf("series of %q sums to %d, count is %d", n, sum, obs.Counts[n])
		}
	}
}

// checkCodes checks that each name's response codes sum to its count, except for Prometheus
// inputs (not every series has a response_code label).
func checkCodes(t testing.TB, obs *Observation) {
	t.Helper()
	for n, byCode := range obs.Codes {
		var sum int64
		for _, v := range byCode {
			sum += v
		}
		if obs.Format != FormatPrometheus && sum != obs.Counts[n] {
			t.Fatalf("codes of %q sum to %d, count is %d", n, sum, obs.Counts[n])
		}
	}
}

// checkReadOK fails the test when a read failed, and otherwise checks the invariants of what it read.
func checkReadOK(t testing.TB, obs *Observation, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, obs)
}

func TestReadFiles(t *testing.T) {
	tests := []struct {
		file      string
		opts      Options
		format    string
		names     []string
		counts    map[string]int64
		series    []map[string]int64
		intervals []string
		warnings  []string // substrings, one per warning, in order
	}{
		{file: "counts.json", format: FormatJSON, names: []string{"v1", "v2"},
			counts: map[string]int64{"v1": 712, "v2": 288}},
		{file: "series.json", format: FormatJSON, names: []string{"v1", "v2", "v3"},
			counts:    map[string]int64{"v1": 212, "v2": 88, "v3": 0},
			series:    []map[string]int64{{"v1": 70, "v2": 30, "v3": 0}, {"v1": 68, "v2": 32, "v3": 0}, {"v1": 74, "v2": 26, "v3": 0}},
			intervals: []string{"1", "2", "3"}},
		{file: "counts.csv", format: FormatCSV, names: []string{"v1", "v2"},
			counts: map[string]int64{"v1": 712, "v2": 288}},
		{file: "series.csv", format: FormatCSV, names: []string{"v1", "v2"},
			counts:    map[string]int64{"v1": 212, "v2": 88},
			series:    []map[string]int64{{"v1": 70, "v2": 30}, {"v1": 68, "v2": 32}, {"v1": 74, "v2": 26}},
			intervals: []string{"2024-05-01T10:00Z", "2024-05-01T10:05Z", "2024-05-01T10:10Z"}},
		{file: "cumulative.csv", opts: Options{Cumulative: true}, format: FormatCSV, names: []string{"v1", "v2"},
			counts:    map[string]int64{"v1": 212, "v2": 88},
			series:    []map[string]int64{{"v1": 70, "v2": 30}, {"v1": 68, "v2": 32}, {"v1": 74, "v2": 26}},
			intervals: []string{"1", "2", "3"}},
		{file: "cumulative.csv", format: FormatCSV, names: []string{"v1", "v2"},
			counts:    map[string]int64{"v1": 420, "v2": 180},
			series:    []map[string]int64{{"v1": 70, "v2": 30}, {"v1": 138, "v2": 62}, {"v1": 212, "v2": 88}},
			intervals: []string{"1", "2", "3"},
			warnings:  []string{"read them as cumulative"}},

		// Prometheus: istio_requests_total by destination_version. The scrape holds reviews (v1, v2)
		// and ratings (v1), each reported by the source and the destination proxy.
		{file: "scrape.txt", format: FormatPrometheus, names: []string{"v1", "v2"},
			counts: map[string]int64{"v1": 7020 + 4100, "v2": 2980},
			warnings: []string{"the input also has envoy_cluster_upstream_rq_total, envoy_cluster_upstream_rq_completed",
				`counting reporter="destination" only`, "counts of 2 destination services (reviews, ratings) are summed"}},
		{file: "scrape.txt", opts: Options{Match: mustMatchers(t, "destination_service_name=reviews")},
			format: FormatPrometheus, names: []string{"v1", "v2"}, counts: map[string]int64{"v1": 7020, "v2": 2980},
			warnings: []string{"the input also has", `counting reporter="destination" only`}},
		{file: "scrape.txt", opts: Options{Match: mustMatchers(t, `destination_service="reviews.default.svc.cluster.local"`, "reporter=source")},
			format: FormatPrometheus, names: []string{"v1", "v2"}, counts: map[string]int64{"v1": 7015, "v2": 2983},
			warnings: []string{"the input also has"}},
		{file: "scrape.txt", opts: Options{GroupBy: "destination_service_name", Match: mustMatchers(t, "reporter=source")},
			format: FormatPrometheus, names: []string{"reviews", "unknown", "ratings"},
			counts:   map[string]int64{"reviews": 9998, "unknown": 112, "ratings": 4098},
			warnings: []string{"the input also has"}},
		{file: "scrape.txt", opts: Options{Match: mustMatchers(t, "reporter!=source", "response_code!~5..", "destination_service_name=~rev.*")},
			format: FormatPrometheus, names: []string{"v1", "v2"}, counts: map[string]int64{"v1": 7012, "v2": 2960},
			warnings: []string{"the input also has"}},
		{file: "scrape.txt", opts: Options{Metric: MetricEnvoyUpstreamRq}, format: FormatPrometheus,
			names:    []string{reviewsV1, reviewsV2, reviews, ratings},
			counts:   map[string]int64{reviewsV1: 7015, reviewsV2: 2983, reviews: 0, ratings: 0},
			warnings: []string{"counting outbound clusters only; ignored inbound|9080||, xds-grpc, sds-grpc, prometheus_stats, agent and 2 more"}},
		{file: "scrape.txt", opts: Options{Metric: MetricEnvoyUpstreamRqDone, Match: mustMatchers(t, `cluster_name=~".*\|reviews\..*"`)},
			format: FormatPrometheus, names: []string{reviewsV1, reviewsV2, reviews},
			counts: map[string]int64{reviewsV1: 7015, reviewsV2: 2983, reviews: 0}},
		{file: "scrape.txt", opts: Options{Metric: MetricEnvoyUpstreamRq, Match: mustMatchers(t, `cluster_name!~"outbound.*"`)},
			format: FormatPrometheus, names: []string{"inbound|9080||", "xds-grpc", "sds-grpc", "prometheus_stats", "agent", "BlackHoleCluster", "PassthroughCluster"},
			counts: map[string]int64{"inbound|9080||": 9001, "xds-grpc": 3, "sds-grpc": 2, "prometheus_stats": 1440, "agent": 2880,
				"BlackHoleCluster": 0, "PassthroughCluster": 14}},
		{file: "scrape.txt", opts: Options{Metric: "istio_request_duration_milliseconds_count"}, format: FormatPrometheus,
			names: []string{"v1", "v2"}, counts: map[string]int64{"v1": 7012, "v2": 2960}},
		{file: "scrape.txt", opts: Options{Metric: "istio_request_duration_milliseconds", GroupBy: "destination_workload"},
			format: FormatPrometheus, names: []string{"reviews-v1", "reviews-v2"},
			counts: map[string]int64{"reviews-v1": 7012, "reviews-v2": 2960}},
		{file: "scrape.txt", opts: Options{Format: FormatPrometheus, Metric: "istio_build", GroupBy: "tag"},
			format: FormatPrometheus, names: []string{"1.22.1"}, counts: map[string]int64{"1.22.1": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+describeOptions(tt.opts), func(t *testing.T) {
			obs, err := readTestdata(t, tt.file, tt.opts)
			checkReadOK(t, obs, err)
			if obs.Format != tt.format {
				t.Errorf("format %q, want %q", obs.Format, tt.format)
			}
			if !reflect.DeepEqual(obs.Names, tt.names) {
				t.Errorf("names %q, want %q", obs.Names, tt.names)
			}
			if !reflect.DeepEqual(obs.Counts, tt.counts) {
				t.Errorf("counts %v, want %v", obs.Counts, tt.counts)
			}
			if !reflect.DeepEqual(obs.Series, tt.series) {
				t.Errorf("series %v, want %v", obs.Series, tt.series)
			}
			if !reflect.DeepEqual(obs.Intervals, tt.intervals) {
				t.Errorf("intervals %q, want %q", obs.Intervals, tt.intervals)
			}
			checkWarnings(t, obs.Warnings, tt.warnings)
		})
	}
}

func describeOptions(o Options) string {
	var parts []string
	if o.Format != "" {
		parts = append(parts, o.Format)
	}
	if o.Metric != "" {
		parts = append(parts, o.Metric)
	}
	if o.GroupBy != "" {
		parts = append(parts, "by_"+o.GroupBy)
	}
	for _, m := range o.Match {
		parts = append(parts, m.String())
	}
	if o.Cumulative {
		parts = append(parts, "cumulative")
	}
	if len(parts) == 0 {
		return "default"
	}
	return strings.Join(parts, ",")
}

func checkWarnings(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("warnings %q, want %d containing %q", got, len(want), want)
		return
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("warning %d = %q, want it to contain %q", i, got[i], want[i])
		}
	}
}

func TestPrometheusCodesAndFlags(t *testing.T) {
	obs, err := readTestdata(t, "scrape.txt", Options{Match: mustMatchers(t, "reporter=source", "destination_service_name=reviews")})
	if err != nil {
		t.Fatal(err)
	}
	wantCodes := map[string]map[int]int64{"v1": {200: 7015}, "v2": {200: 2958, 503: 25}}
	if !reflect.DeepEqual(obs.Codes, wantCodes) {
		t.Errorf("codes %v, want %v", obs.Codes, wantCodes)
	}
	wantFlags := map[string]map[string]int64{"v1": {"-": 7015}, "v2": {"-": 2958, "UF,URX": 25}}
	if !reflect.DeepEqual(obs.Flags, wantFlags) {
		t.Errorf("flags %v, want %v", obs.Flags, wantFlags)
	}
}

// TestReadErrors feeds malformed input in every format and checks the whole one-line message:
// the file, the line (and column where known) and what is wrong.
func TestReadErrors(t *testing.T) {
	accessLine, err := os.ReadFile("testdata/access.log")
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Split(string(accessLine), "\n")[3] // first entry after the proxy's own messages
	jsonGood := `{"upstream_cluster":"outbound|9080|v1|reviews.default.svc.cluster.local","response_code":200,"response_flags":null}`

	tests := []struct {
		name   string
		file   string
		input  string
		opts   Options
		want   string
		format string // detected format, when it matters that detection chose it
	}{
		// JSON
		{name: "json negative", file: "c.json", input: `{"v1": 712, "v2": -3}`,
			want: `c.json: line 1, column 19: "v2": negative count -3`},
		{name: "json fraction", file: "c.json", input: "{\n  \"v1\": 71.5\n}",
			want: `c.json: line 2, column 9: "v1": count 71.5 is not a whole number`},
		{name: "json string count", file: "c.json", input: `{"v1": "712"}`,
			want: `c.json: line 1, column 8: count for "v1" must be a number, got the string "712"`},
		{name: "json nested", file: "c.json", input: `{"v1": {"count": 3}}`,
			want: `c.json: line 1, column 8: count for "v1" must be a number, got an object`},
		{name: "json duplicate", file: "c.json", input: "{\"v1\": 1,\n \"v1\": 2}",
			want: `c.json: line 2, column 2: duplicate name "v1" (first at line 1)`},
		{name: "json trailing comma", file: "c.json", input: "{\"v1\": 1,\n \"v2\": 2,\n}",
			want: `c.json: line 3, column 1: invalid JSON: invalid character '}' looking for beginning of object key string`},
		{name: "json trailing data", file: "c.json", input: `{"v1": 1} {"v2": 2}`,
			want: `c.json: line 1, column 11: unexpected data after the JSON value`},
		{name: "json series element", file: "s.json", input: "[{\"v1\": 1},\n 5]",
			want: `s.json: line 2, column 2: series element 2 must be an object of name to count, got the number 5`},
		{name: "json empty", file: "c.json", input: `{}`, want: `c.json: line 1, column 1: empty object: no counts`},
		{name: "json empty series", file: "s.json", input: `[]`, want: `s.json: line 1, column 1: empty series: no counts`},
		{name: "json truncated", file: "c.json", input: "{\"v1\": 1,\n\"v2\"", want: `c.json: line 2, column 5: unexpected end of JSON input`},
		{name: "json huge", file: "c.json", input: `{"v1": 99999999999999999999}`,
			want: `c.json: line 1, column 8: "v1": count 99999999999999999999 is too large`},
		{name: "json empty name", file: "c.json", input: `{"": 1}`, want: `c.json: line 1, column 2: empty name`},
		{name: "json array of numbers", file: "c.json", input: `[1, 2]`,
			want: `c.json: line 1, column 2: series element 1 must be an object of name to count, got the number 1`},
		{name: "json cumulative decrease", file: "s.json", input: "[{\"v1\": 5},\n {\"v1\": 3}]", opts: Options{Cumulative: true},
			want: `s.json: line 2: cumulative count for "v1" decreases from 5 to 3 in interval 2`},

		// CSV
		{name: "csv count", file: "c.csv", input: "name,count\nv1,712\nv2,abc\n", format: FormatCSV,
			want: `c.csv: line 3: count "abc" is not a number`},
		{name: "csv ragged", file: "c.csv", input: "v1,1\nv2,2,3\n", want: `c.csv: line 2: expected 2 fields like the first row, got 3`},
		{name: "csv width", file: "c.csv", input: "a,b,c,d\n",
			want: `c.csv: line 1: expected 2 fields (name,count) or 3 (interval,name,count), got 4`},
		{name: "csv one column", file: "c.csv", input: "v1\n",
			want: `c.csv: line 1: expected 2 fields (name,count) or 3 (interval,name,count), got 1`},
		{name: "csv duplicate", file: "c.csv", input: "v1,1\n\nv1,2\n", want: `c.csv: line 3: duplicate name "v1" (first at line 1)`},
		{name: "csv quote", file: "c.csv", input: "v1,1\n\"v2,2\n", want: `c.csv: line 2, column 7: extraneous or missing " in quoted-field`},
		{name: "csv header only", file: "c.csv", input: "name,count\n", want: `c.csv: line 1: no counts`},
		{name: "csv negative", file: "c.csv", input: "v1,-4\n", want: `c.csv: line 1: negative count -4`},
		{name: "csv nan", file: "c.csv", input: "v1,1\nv2,NaN\n", want: `c.csv: line 2: count NaN is not a finite number`},
		{name: "csv empty name", file: "c.csv", input: "v1,1\n,2\n", want: `c.csv: line 2: empty name`},
		{name: "csv series duplicate", file: "s.csv", input: "1,v1,5\n1,v1,6\n",
			want: `s.csv: line 2: duplicate name "v1" in interval "1" (first at line 1)`},
		{name: "csv cumulative decrease", file: "s.csv", input: "i,n,c\n1,v1,5\n1,v2,5\n2,v1,3\n2,v2,6\n", opts: Options{Cumulative: true},
			want: `s.csv: line 4: cumulative count for "v1" decreases from 5 to 3 in interval 2`},
		{name: "csv cumulative missing", file: "s.csv", input: "1,v1,5\n1,v2,5\n2,v2,6\n", opts: Options{Cumulative: true},
			want: `s.csv: line 3: cumulative count for "v1" decreases from 5 to 0 in interval 2`},
		{name: "only comments", file: "c.csv", input: "# nothing yet\n", want: `c.csv: no counts`},
		{name: "empty", file: "c.txt", input: " \n\n", want: `c.txt: empty input: no counts`},

		// Prometheus
		{name: "prom value", file: "scrape.txt", format: FormatPrometheus,
			input: "# TYPE istio_requests_total counter\nistio_requests_total{destination_version=\"v1\"} 5\nistio_requests_total{destination_version=\"v2\"} abc\n",
			want:  `scrape.txt: line 3: expected float as value, got "abc"`},
		{name: "prom label", file: "scrape.txt", format: FormatPrometheus,
			input: "# HELP istio_requests_total Total requests.\n# TYPE istio_requests_total counter\nistio_requests_total{destination_version=v1} 5\n",
			want:  `scrape.txt: line 3: expected '"' at start of label value, found 'v'`},
		{name: "prom type", file: "scrape.txt", input: "# TYPE istio_requests_total countr\n",
			want: `scrape.txt: line 1: unknown metric type "countr"`},
		{name: "prom conflicting type", file: "scrape.txt",
			input: "# TYPE istio_requests_total counter\nistio_requests_total{destination_version=\"v1\"} 5\n# TYPE istio_requests_total gauge\n",
			want:  `scrape.txt: line 3: TYPE gauge for metric istio_requests_total, declared counter at line 1`},
		{name: "prom no metric", file: "scrape.txt", input: "# TYPE process_open_fds gauge\nprocess_open_fds 12\n",
			want: `scrape.txt: no istio_requests_total, envoy_cluster_upstream_rq_total or envoy_cluster_upstream_rq_completed samples (metrics present: process_open_fds); name the metric to count`},
		{name: "prom named metric missing", file: "scrape.txt", input: "# TYPE process_open_fds gauge\nprocess_open_fds 12\n",
			opts: Options{Metric: "envoy_cluster_upstream_rq_total"},
			want: `scrape.txt: no metric envoy_cluster_upstream_rq_total (metrics present: process_open_fds)`},
		{name: "prom group label", file: "scrape.txt", input: "# TYPE istio_requests_total counter\nistio_requests_total{reporter=\"source\",destination_app=\"reviews\"} 5\n",
			want: `scrape.txt: no series of istio_requests_total has the label destination_version (labels present: destination_app, reporter)`},
		{name: "prom nothing matches", file: "scrape.txt", input: "# TYPE istio_requests_total counter\nistio_requests_total{destination_service_name=\"ratings\",destination_version=\"v1\"} 5\n",
			opts: Options{Match: mustMatchers(t, "destination_service_name=reviews")},
			want: `scrape.txt: none of the 1 series of istio_requests_total match destination_service_name="reviews"`},
		{name: "prom negative", file: "scrape.txt", input: "# TYPE istio_requests_total counter\nistio_requests_total{destination_version=\"v1\"} -5\n",
			want: `scrape.txt: istio_requests_total{destination_version="v1"} sums to -5, which is not a count`},
		{name: "prom nan", file: "scrape.txt", input: "istio_requests_total{destination_version=\"v1\"} NaN\n",
			want: `scrape.txt: istio_requests_total{destination_version="v1"} sums to NaN, which is not a count`},

		// Access logs
		{name: "log request line", file: "access.log", input: good + "\n[2024-05-01T10:00:00.000Z] GET /reviews/1 HTTP/1.1 200\n",
			want: `access.log: line 2, column 28: expected the quoted request line ("METHOD PATH PROTOCOL") after the start time`},
		{name: "log response code", file: "access.log",
			input: good + "\n" + strings.Replace(good, `HTTP/1.1" 200 `, `HTTP/1.1" abc `, 1) + "\n",
			want:  `access.log: line 2, column 54: response code "abc" is not a number from 0 to 999`},
		{name: "log unterminated quote", file: "access.log", input: good + "\n" + `[2024-05-01T10:00:00.000Z] "GET /reviews/1 HTTP/1.1 200 -` + "\n",
			want: `access.log: line 2, column 28: unterminated quoted field`},
		{name: "log envoy default format", file: "access.log", input: `[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80"` + "\n",
			want: `access.log: line 1, column 174: expected the upstream cluster after the quoted upstream host (Istio's format; Envoy's own default format has none)`},
		{name: "log custom format", file: "access.log", input: `[2024-05-01T10:00:00.000Z] "GET /reviews/1 HTTP/1.1" 200 - 0 312 "reviews:9080" "10.244.1.12:9080" outbound|9080|v1|reviews.default.svc.cluster.local` + "\n",
			want: `access.log: line 1, column 1: not Istio's access-log format: 3 quoted fields, want at least 6 (request line ... "authority" "upstream host")`},
		{name: "log no cluster", file: "access.log", input: good[:strings.Index(good, ` outbound|`)] + "\n",
			want: `access.log: line 1, column 187: expected the upstream cluster after the quoted upstream host (Istio's format; Envoy's own default format has none)`},
		{name: "log only noise", file: "access.log", opts: Options{Format: FormatAccessLog},
			input: "2024-05-01T09:59:58.101234Z\tinfo\txdsproxy\tconnected\n[2024-05-01 10:00:00.000][12][info][main] starting\n",
			want:  `access.log: no envoy-access-log entries (2 lines skipped, the first at line 1)`},
		{name: "log nothing matches", file: "access.log", input: good + "\n", opts: Options{Match: mustMatchers(t, "authority=ratings:9080")},
			want: `access.log: none of the 1 access-log entries match authority="ratings:9080"`},
		{name: "json log cluster type", file: "access.json.log", opts: Options{Format: FormatAccessLogJSON},
			input: jsonGood + "\n" + `{"upstream_cluster": 5, "response_code": 200}` + "\n",
			want:  `access.json.log: line 2: upstream_cluster must be a string or null, got 5`},
		{name: "json log invalid", file: "access.json.log", input: jsonGood + "\n" + `{"upstream_cluster": "x", "response_code": 200` + "\n",
			want: `access.json.log: line 2, column 46: invalid JSON: unexpected end of JSON input`},
		{name: "json log code", file: "access.json.log", input: jsonGood + "\n" + `{"upstream_cluster": "x", "response_code": "OK"}` + "\n",
			want: `access.json.log: line 2: response code "OK" is not a number from 0 to 999`},
		{name: "json log flags", file: "access.json.log", input: jsonGood + "\n" + `{"upstream_cluster": "x", "response_flags": 7}` + "\n",
			want: `access.json.log: line 2: response_flags must be a string or null, got 7`},
		{name: "json log without cluster", file: "access.json.log", opts: Options{Format: FormatAccessLogJSON},
			input: `{"level": "info", "msg": "ready"}` + "\n",
			want:  `access.json.log: no envoy-access-log-json entries (1 lines skipped, the first at line 1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.format != "" {
				if got := Detect([]byte(tt.input)); got != tt.format {
					t.Errorf("Detect = %q, want %q", got, tt.format)
				}
			}
			obs, err := Read(strings.NewReader(tt.input), tt.file, tt.opts)
			if err == nil {
				t.Fatalf("no error; read %+v", obs)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %T is not an *Error", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error has several lines: %q", err)
			}
		})
	}
}

func TestOptionErrors(t *testing.T) {
	if _, err := Read(strings.NewReader("v1,1\n"), "c.csv", Options{Format: "yaml"}); err == nil ||
		!strings.Contains(err.Error(), `unknown observed format "yaml"`) {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := Read(strings.NewReader("v1,1\n"), "c.csv", Options{Match: []Matcher{{Label: "a", Op: "=~", Value: "("}}}); err == nil ||
		!strings.Contains(err.Error(), "missing closing )") {
		t.Errorf("bad regexp: %v", err)
	}
	if _, err := Read(strings.NewReader("x"), "a.log", Options{Format: FormatAccessLog, Match: mustMatchers(t, "route_name=default")}); err == nil ||
		!strings.Contains(err.Error(), "text access logs have the fields") {
		t.Errorf("unknown text log field: %v", err)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"empty", "", ""},
		{"blank", " \n\t\n", ""},
		{"json object", `{"v1": 712, "v2": 288}`, FormatJSON},
		{"json pretty", "{\n  \"v1\": 712\n}\n", FormatJSON},
		{"json series", `[{"v1": 1}]`, FormatJSON},
		{"json series pretty", "[\n  {\"v1\": 1}\n]", FormatJSON},
		{"json empty array", "[]", FormatJSON},
		{"json array of numbers", "[1, 2]", FormatJSON},
		{"bom", "\xef\xbb\xbf{\"v1\": 1}", FormatJSON},
		{"csv", "v1,712\nv2,288\n", FormatCSV},
		{"csv header", "name,count\nv1,712\n", FormatCSV},
		{"csv comment", "# exported by hand\nname,count\nv1,712\n", FormatCSV},
		{"csv spaces", "v1 712\nv2 288\n", FormatCSV}, // "name value" alone is not enough for Prometheus
		{"prom help", "# HELP istio_requests_total Total requests.\n", FormatPrometheus},
		{"prom type after comment", "# scraped at 10:00\n# TYPE x counter\nx 1\n", FormatPrometheus},
		{"prom labels", `istio_requests_total{destination_version="v1"} 5` + "\n", FormatPrometheus},
		{"prom labels with timestamp", `x{a="b"} 5 1714557600000` + "\n", FormatPrometheus},
		{"prom braces in label", `x{a="}{"} 5` + "\n", FormatPrometheus},
		{"prom utf8 name", `{"my.metric", a="b"} 1` + "\n", FormatPrometheus},
		{"prom unlabelled then labelled", "up 1\nx{a=\"b\"} 5\n", FormatPrometheus},
		{"access log", `[2024-05-01T10:00:00.191Z] "GET /reviews/4 HTTP/1.1" 200 - via_upstream - "-" 0 312 10 9 "-" "curl" "id" "reviews:9080" "10.244.1.12:9080" outbound|9080|v1|reviews.default.svc.cluster.local - - - - default`, FormatAccessLog},
		{"access log after proxy messages", "2024-05-01T09:59:58.101234Z\tinfo\txdsproxy\tconnected\n[2024-05-01T10:00:00.191Z] \"GET / HTTP/1.1\" 200 -\n", FormatAccessLog},
		{"access log after envoy messages", "[2024-05-01 10:00:00.000][12][info][main] starting\n[2024-05-01T10:00:00.191Z] \"GET / HTTP/1.1\" 200 -\n", FormatAccessLog},
		{"access log json", `{"start_time":"2024-05-01T10:00:00.191Z","upstream_cluster":"outbound|9080|v1|reviews.default.svc.cluster.local"}`, FormatAccessLogJSON},
		{"access log json null cluster", `{"upstream_cluster":null,"response_code":404}`, FormatAccessLogJSON},
		{"access log json after agent json", "{\"level\":\"info\",\"msg\":\"ready\"}\n{\"upstream_cluster\":\"x\"}\n", FormatAccessLogJSON},
		{"access log json after text", "2024-05-01T09:59:58Z\tinfo\tready\n{\"upstream_cluster\":\"x\"}\n", FormatAccessLogJSON},
		{"counts named upstream_cluster", `{"upstream_cluster": 5}`, FormatJSON},
		{"garbage", "hello world\n", FormatCSV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.input)); got != tt.want {
				t.Errorf("Detect(%q) = %q, want %q", tt.input, got, tt.want)
			}
		})
	}
}

func TestDetectTestdata(t *testing.T) {
	for file, want := range map[string]string{
		"counts.json": FormatJSON, "series.json": FormatJSON, "counts.csv": FormatCSV, "series.csv": FormatCSV,
		"cumulative.csv": FormatCSV, "scrape.txt": FormatPrometheus, "scrape_before.txt": FormatPrometheus,
		"access.log": FormatAccessLog, "access.json.log": FormatAccessLogJSON,
	} {
		b, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		if got := Detect(b); got != want {
			t.Errorf("Detect(%s) = %q, want %q", file, got, want)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	for _, tt := range []struct {
		e    Error
		want string
	}{
		{Error{File: "a", Msg: "m"}, "a: m"},
		{Error{File: "a", Line: 3, Msg: "m"}, "a: line 3: m"},
		{Error{File: "a", Line: 3, Column: 7, Msg: "m"}, "a: line 3, column 7: m"},
		{Error{File: "a", Line: 1, Msg: "invalid escape sequence '\\\n'"}, `a: line 1: invalid escape sequence '\\n'`},
		{Error{File: "a", Msg: "got \x00\xff\t, é"}, `a: got \x00\xff\t, é`},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestParseCount(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		err  string
	}{
		{"0", 0, ""}, {"712", 712, ""}, {"+5", 5, ""}, {"712.0", 712, ""}, {"7.12e2", 712, ""},
		{"9223372036854775807", 9223372036854775807, ""},
		{"9223372036854775808", 0, "too large"}, {"1e300", 0, "too large"}, {"1e400", 0, "not a finite number"},
		{"-1", 0, "negative"}, {"-0.0", 0, ""}, {"0.5", 0, "not a whole number"}, {"Inf", 0, "not a finite number"},
		{"0x10", 0, "not a number"}, {"1_000", 0, "not a number"}, {"", 0, "not a number"}, {"12abc", 0, "not a number"},
	} {
		got, err := parseCount(tt.in)
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("parseCount(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("parseCount(%q) = %d, %v; want error containing %q", tt.in, got, err, tt.err)
		}
	}
}

func TestParseMatcher(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Matcher
		err  bool
	}{
		{in: "reporter=destination", want: Matcher{"reporter", "=", "destination"}},
		{in: `destination_service_name="reviews"`, want: Matcher{"destination_service_name", "=", "reviews"}},
		{in: `response_code!~"5.."`, want: Matcher{"response_code", "!~", "5.."}},
		{in: `cluster_name=~outbound\|.*`, want: Matcher{"cluster_name", "=~", `outbound\|.*`}},
		{in: `a!=`, want: Matcher{"a", "!=", ""}},
		{in: `a="x\"y"`, want: Matcher{"a", "=", `x"y`}},
		{in: "=x", err: true},
		{in: "a", err: true},
		{in: "a<5", err: true},
		{in: `a="x`, err: true},
		{in: "a=~(", err: true},
	} {
		got, err := ParseMatcher(tt.in)
		if tt.err {
			if err == nil {
				t.Errorf("ParseMatcher(%q) = %+v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseMatcher(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if again, err := ParseMatcher(got.String()); err != nil || again != got {
			t.Errorf("ParseMatcher(%q.String()) = %+v, %v", tt.in, again, err)
		}
	}
}
