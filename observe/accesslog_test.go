package observe

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// generated is what testdata/gen wrote into access.want.json.
type generated struct {
	Names   []string                  `json:"names"`
	Counts  map[string]int64          `json:"counts"`
	Codes   map[string]map[string]int `json:"codes"`
	Flags   map[string]map[string]int `json:"flags"`
	Entries int64                     `json:"entries"`
	Skipped int                       `json:"skipped"`
}

// TestAccessLogsAgreeWithGenerator reads the generated text log and its JSON twin and compares
// every count with what the generator counted while writing them.
func TestAccessLogsAgreeWithGenerator(t *testing.T) {
	b, err := os.ReadFile("testdata/access.want.json")
	if err != nil {
		t.Fatal(err)
	}
	var want generated
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	wantCodes := map[string]map[int]int64{}
	for name, m := range want.Codes {
		wantCodes[name] = map[int]int64{}
		for code, n := range m {
			c, err := strconv.Atoi(code)
			if err != nil {
				t.Fatal(err)
			}
			wantCodes[name][c] = int64(n)
		}
	}
	wantFlags := map[string]map[string]int64{}
	for name, m := range want.Flags {
		wantFlags[name] = map[string]int64{}
		for f, n := range m {
			wantFlags[name][f] = int64(n)
		}
	}
	for file, format := range map[string]string{"access.log": FormatAccessLog, "access.json.log": FormatAccessLogJSON} {
		t.Run(file, func(t *testing.T) {
			obs, err := readTestdata(t, file, Options{})
			checkReadOK(t, obs, err)
			if obs.Format != format {
				t.Errorf("format %q, want %q", obs.Format, format)
			}
			if !reflect.DeepEqual(obs.Names, want.Names) {
				t.Errorf("names %q, want %q", obs.Names, want.Names)
			}
			if !reflect.DeepEqual(obs.Counts, want.Counts) {
				t.Errorf("counts %v, want %v", obs.Counts, want.Counts)
			}
			if obs.Total() != want.Entries {
				t.Errorf("total %d, want %d", obs.Total(), want.Entries)
			}
			if !reflect.DeepEqual(obs.Codes, wantCodes) {
				t.Errorf("codes %v, want %v", obs.Codes, wantCodes)
			}
			if !reflect.DeepEqual(obs.Flags, wantFlags) {
				t.Errorf("flags %v, want %v", obs.Flags, wantFlags)
			}
			noUp := want.Counts[NoUpstream]
			checkWarnings(t, obs.Warnings, []string{
				"skipped " + strconv.Itoa(want.Skipped) + " lines",
				strconv.FormatInt(noUp, 10) + " of 400 requests had no upstream cluster (response flags NR " +
					strconv.Itoa(want.Flags[NoUpstream]["NR"]) + ", NC " + strconv.Itoa(want.Flags[NoUpstream]["NC"]) + ")",
			})
		})
	}
}

func TestAccessLogMatchers(t *testing.T) {
	for _, file := range []string{"access.log", "access.json.log"} {
		t.Run(file, func(t *testing.T) {
			all, err := readTestdata(t, file, Options{})
			if err != nil {
				t.Fatal(err)
			}
			obs, err := readTestdata(t, file, Options{Match: mustMatchers(t, "authority=reviews:9080")})
			checkReadOK(t, obs, err)
			wantNames := []string{reviewsV1, reviewsV2, NoUpstream}
			if !reflect.DeepEqual(obs.Names, wantNames) {
				t.Errorf("names %q, want %q", obs.Names, wantNames)
			}
			for _, n := range wantNames {
				if obs.Counts[n] != all.Counts[n] {
					t.Errorf("%s: %d, want %d", n, obs.Counts[n], all.Counts[n])
				}
			}

			errs, err := readTestdata(t, file, Options{Match: mustMatchers(t, `response_code=~"5.."`, "upstream_cluster!=-")})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int64{reviewsV2: all.Codes[reviewsV2][503]}
			if !reflect.DeepEqual(errs.Counts, want) {
				t.Errorf("5xx with a cluster: %v, want %v", errs.Counts, want)
			}

			posts, err := readTestdata(t, file, Options{Match: mustMatchers(t, "method=POST", "path=~/reviews/.*", "upstream_host=10.244.2.31:9080")})
			if err != nil {
				t.Fatal(err)
			}
			if len(posts.Names) != 1 || posts.Names[0] != reviewsV2 || posts.Counts[reviewsV2] == 0 {
				t.Errorf("POSTs to the v2 pod: %v", posts.Counts)
			}
		})
	}
}

// TestAccessLogShapes reads entries of other shapes: an older Istio format (mixer status field,
// %UPSTREAM_CLUSTER%), TCP entries, CRLF line ends, no final newline, JSON with "-" strings.
func TestAccessLogShapes(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		counts map[string]int64
		codes  map[string]map[int]int64
	}{
		{
			name: "istio 1.5 format",
			input: `[2020-03-26T11:38:17.123Z] "GET /productpage HTTP/1.1" 200 - "-" "-" 0 4294 36 35 "10.0.0.1" "curl/7.58.0" "2c5d2f5b-3f8c-9a4e-8e6e-0a9a2a9c2d4e" "bookinfo.example.com" "10.8.0.14:9080" outbound|9080||productpage.default.svc.cluster.local - 10.8.0.9:80 10.0.0.1:0 - -` + "\n" +
				`[2020-03-26T11:38:18.123Z] "GET /nope HTTP/1.1" 404 NR "-" "-" 0 0 0 - "10.0.0.1" "curl/7.58.0" "3c5d2f5b-3f8c-9a4e-8e6e-0a9a2a9c2d4e" "bookinfo.example.com" "-" - - 10.8.0.9:80 10.0.0.1:0 - -` + "\n",
			counts: map[string]int64{"outbound|9080||productpage.default.svc.cluster.local": 1, NoUpstream: 1},
			codes:  map[string]map[int]int64{"outbound|9080||productpage.default.svc.cluster.local": {200: 1}, NoUpstream: {404: 1}},
		},
		{
			name:   "tcp",
			input:  `[2024-05-01T10:00:00.000Z] "- - -" 0 - - - "-" 1234 5678 100 - "-" "-" "-" "-" "10.244.3.5:5432" outbound|5432||postgres.db.svc.cluster.local 10.244.0.7:40000 10.96.0.50:5432 10.244.0.7:39000 - -`,
			counts: map[string]int64{"outbound|5432||postgres.db.svc.cluster.local": 1},
			codes:  map[string]map[int]int64{"outbound|5432||postgres.db.svc.cluster.local": {0: 1}},
		},
		{
			name: "crlf",
			input: `[2024-05-01T10:00:00.191Z] "GET /reviews/4 HTTP/1.1" 200 - via_upstream - "-" 0 312 10 9 "-" "curl/8.5.0" "id-1" "reviews:9080" "10.244.1.12:9080" ` + reviewsV1 + " 10.244.0.7:33491 10.96.47.22:9080 10.244.0.7:58573 - default\r\n" +
				`[2024-05-01T10:00:00.291Z] "GET /reviews/4 HTTP/1.1" 200 - via_upstream - "-" 0 312 10 9 "-" "curl/8.5.0" "id-2" "reviews:9080" "10.244.2.31:9080" ` + reviewsV2 + " 10.244.0.7:33492 10.96.47.22:9080 10.244.0.7:58574 - default\r\n",
			counts: map[string]int64{reviewsV1: 1, reviewsV2: 1},
			codes:  map[string]map[int]int64{reviewsV1: {200: 1}, reviewsV2: {200: 1}},
		},
		{
			name: "json with dashes and strings",
			input: `{"upstream_cluster":"-","response_code":"404","response_flags":"NR"}` + "\n" +
				`{"upstream_cluster":"","response_code":503,"response_flags":"NC"}` + "\n" +
				`{"response_code":200,"upstream_cluster":"` + reviewsV1 + `"}`,
			counts: map[string]int64{NoUpstream: 2, reviewsV1: 1},
			codes:  map[string]map[int]int64{NoUpstream: {404: 1, 503: 1}, reviewsV1: {200: 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, err := Read(strings.NewReader(tt.input), "access.log", Options{})
			checkReadOK(t, obs, err)
			if !reflect.DeepEqual(obs.Counts, tt.counts) {
				t.Errorf("counts %v, want %v", obs.Counts, tt.counts)
			}
			if !reflect.DeepEqual(obs.Codes, tt.codes) {
				t.Errorf("codes %v, want %v", obs.Codes, tt.codes)
			}
		})
	}
}

// TestQuoteInsideField reads a line whose user agent holds a quote followed by a space, which
// Envoy writes unescaped. Such a field is split in two, but the fields this package reads are
// found from the last quoted field (the upstream host), so they come out right.
func TestQuoteInsideField(t *testing.T) {
	line := `[2024-05-01T10:00:00.242Z] "GET /reviews/0 HTTP/1.1" 200 - via_upstream - "-" 0 329 9 8 "-" "Mozilla/5.0 "probe" (compatible)" "7eead4c1" "reviews:9080" "10.244.2.17:9080" ` + reviewsV1 + ` 10.244.0.7:43422 10.96.47.22:9080 10.244.0.7:34654 - default`
	e, ok, err := parseTextLogLine(line)
	if err != nil || !ok {
		t.Fatalf("parseTextLogLine: ok %v, error %v", ok, err)
	}
	for field, want := range map[string]string{
		"start_time": "2024-05-01T10:00:00.242Z", "method": "GET", "path": "/reviews/0", "protocol": "HTTP/1.1",
		"response_code": "200", "response_flags": "-", "authority": "reviews:9080", "upstream_host": "10.244.2.17:9080",
		"upstream_cluster": reviewsV1, "no_such_field": "-",
	} {
		if got := e.get(field); got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	if e.cluster != reviewsV1 || e.code != 200 || e.flags != "-" {
		t.Errorf("entry %+v", e)
	}

	fields, err := splitAccessLine(strings.Replace(line, `"probe" `, `probe `, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) != 22 {
		t.Errorf("%d fields, Istio's format has 22", len(fields))
	}
}

// `kubectl logs --timestamps` puts an RFC 3339 timestamp and a space before every line, the proxy's
// own messages included. Both access-log formats read the same with that prefix as without it,
// and an error's column still points into the original line.
func TestKubectlTimestamps(t *testing.T) {
	for _, file := range []string{"access.log", "access.json.log"} {
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + file)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := Read(strings.NewReader(string(b)), file, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var stamped strings.Builder
			for i, line := range strings.SplitAfter(string(b), "\n") {
				if line != "" {
					fmt.Fprintf(&stamped, "2024-05-01T10:00:%02d.%09dZ %s", i%60, i*7919, line)
				}
			}
			got, err := Read(strings.NewReader(stamped.String()), file, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != plain.Format || !reflect.DeepEqual(got.Counts, plain.Counts) || !reflect.DeepEqual(got.Codes, plain.Codes) ||
				!reflect.DeepEqual(got.Flags, plain.Flags) || !reflect.DeepEqual(got.Warnings, plain.Warnings) {
				t.Errorf("with timestamps: %s %v %v\nwithout: %s %v %v", got.Format, got.Counts, got.Warnings, plain.Format, plain.Counts, plain.Warnings)
			}
		})
	}
	bad := "2024-05-01T10:00:00.000000001Z [2024-05-01T10:00:00.000Z] \"GET / HTTP/1.1\" abc - \"-\" \"-\" 0 0 0 - \"-\" \"-\" \"-\" \"h\" \"-\" c\n"
	_, err := Read(strings.NewReader(bad), "kubectl.log", Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "kubectl.log: line 1, column ") || !strings.Contains(err.Error(), `response code "abc"`) {
		t.Fatalf("error %v", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Column != strings.Index(bad, "abc")+1 {
		t.Errorf("column %d, want %d (the response code in the stamped line)", e.Column, strings.Index(bad, "abc")+1)
	}
	for _, notStamp := range []string{"2024-05-01 [x] \"GET", "12345678901234567890123 [x]", "2024-05-01T10:00:00Z,v1,10"} {
		if got, off := cutKubectlTimestamp(notStamp); got != notStamp || off != 0 {
			t.Errorf("cutKubectlTimestamp(%q) = %q, %d", notStamp, got, off)
		}
	}
}
