package observe

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedSize bounds the seeds taken from test files. The fuzzing engine minimizes every input that
// finds new coverage, and minimizing inputs of 100 KB takes all of a 20-second run; the first
// lines of each file carry all its structure.
const seedSize = 4 << 10

// seedFiles adds the beginning of every test file, and short inputs of each format, to a fuzzer's
// corpus.
func seedFiles(f *testing.F, add func([]byte)) {
	f.Helper()
	files, err := filepath.Glob("testdata/*.*")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > seedSize {
			b = b[:bytes.LastIndexByte(b[:seedSize], '\n')+1]
		}
		add(b)
	}
	for _, s := range []string{
		`{"v1": 712, "v2": 288}`, `[{"v1": 1}, {"v1": 2}]`, "name,count\nv1,1\n", "1,v1,5\n2,v1,7\n",
		"# TYPE istio_requests_total counter\nistio_requests_total{destination_version=\"v1\"} 5\n",
		`envoy_cluster_upstream_rq_total{cluster_name="outbound|9080|v1|reviews"} 1`,
		`[2024-05-01T10:00:00.191Z] "GET / HTTP/1.1" 200 - x - "-" 0 0 0 - "-" "a" "b" "c" "d" outbound|1|v1|r - - - - -`,
		`{"upstream_cluster":null,"response_code":404,"response_flags":"NR"}`,
		"", "[", "{", "#", "\xef\xbb\xbf", "[x] \"", "{\"upstream_cluster\":\"", "a{\"", `{"a":1e999}`,
	} {
		add([]byte(s))
	}
}

// checkRead runs Read and checks what holds for any input: no panic, an error is one line naming
// the file, and a result satisfies the invariants.
func checkRead(t *testing.T, data []byte, opts Options) {
	obs, err := Read(bytes.NewReader(data), "fuzz.in", opts)
	checkResult(t, obs, err)
}

func checkResult(t *testing.T, obs *Observation, err error) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %T is not an *Error: %v", err, err)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, e.File+": ") || strings.ContainsAny(msg, "\n") {
			t.Fatalf("error is not one line naming the file: %q", msg)
		}
		if strings.Contains(msg, "parser failed") {
			t.Fatalf("the Prometheus parser panicked: %v", err)
		}
		return
	}
	checkInvariants(t, obs)
}

// FuzzRead reads any input with format detection.
func FuzzRead(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, data []byte) {
		format := Detect(data)
		obs, err := Read(bytes.NewReader(data), "fuzz.in", Options{})
		checkResult(t, obs, err)
		if err == nil && len(data) < peekSize && format != "" && obs.Format != format {
			t.Fatalf("Detect said %s, Read read %s", format, obs.Format)
		}
	})
}

func FuzzJSON(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b, false); f.Add(b, true) })
	f.Fuzz(func(t *testing.T, data []byte, cumulative bool) {
		checkRead(t, data, Options{Format: FormatJSON, Cumulative: cumulative})
	})
}

func FuzzCSV(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b, false); f.Add(b, true) })
	f.Fuzz(func(t *testing.T, data []byte, cumulative bool) {
		checkRead(t, data, Options{Format: FormatCSV, Cumulative: cumulative})
	})
}

func FuzzPrometheus(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b, "", "") })
	f.Add([]byte("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n"), "h_count", "le")
	f.Add([]byte("# TYPE s summary\ns{quantile=\"0.5\",a=\"x\"} 1\ns_count{a=\"x\"} 3\n"), "s", "a")
	f.Fuzz(func(t *testing.T, data []byte, metric, groupBy string) {
		checkRead(t, data, Options{Format: FormatPrometheus, Metric: metric, GroupBy: groupBy})
	})
}

// FuzzReadDelta splits the input at a NUL byte (or in the middle) into the two scrapes.
func FuzzReadDelta(f *testing.F) {
	before, _ := os.ReadFile("testdata/scrape_before.txt")
	after, _ := os.ReadFile("testdata/scrape.txt")
	after = after[:bytes.LastIndexByte(after[:min(len(after), seedSize)], '\n')+1]
	f.Add(append(append(before, 0), after...))
	seedFiles(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, data []byte) {
		a, b, ok := bytes.Cut(data, []byte{0})
		if !ok {
			a, b = data[:len(data)/2], data[len(data)/2:]
		}
		obs, err := ReadDelta(bytes.NewReader(a), "before.in", bytes.NewReader(b), "after.in", Options{})
		checkResult(t, obs, err)
	})
}

func FuzzAccessLog(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data, Options{Format: FormatAccessLog, Match: []Matcher{{Label: "authority", Op: "!=", Value: "x"}}})
	})
}

func FuzzAccessLogJSON(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data, Options{Format: FormatAccessLogJSON, Match: []Matcher{{Label: "upstream_host", Op: "=~", Value: ".*"}}})
	})
}

// FuzzParseMatcher checks that a parsed matcher prints as text that parses back to it.
func FuzzParseMatcher(f *testing.F) {
	for _, s := range []string{"reporter=destination", `a!~"5.."`, `cluster_name=~"outbound\|.*"`, `a="x\"y"`, "a=", "=", "a=~("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMatcher(s)
		if err != nil {
			return
		}
		again, err := ParseMatcher(m.String())
		if err != nil || again != m {
			t.Fatalf("ParseMatcher(%q) = %+v; its String %q parses to %+v, %v", s, m, m.String(), again, err)
		}
	})
}

// FuzzMatch checks that Match maps every observed name it accepts to a valid index.
func FuzzMatch(f *testing.F) {
	f.Add("v1\nv2\n-", "v1|outbound|9080|v1|reviews.default.svc.cluster.local|reviews\nv2||reviews", "canary=v2")
	f.Add("outbound|9080|v1|reviews.default.svc.cluster.local", "v1||reviews\nv1||ratings", "")
	f.Fuzz(func(t *testing.T, observed, dests, explicit string) {
		var ds []DestRef
		for _, line := range strings.Split(dests, "\n") {
			p := strings.SplitN(line, "|", 3)
			for len(p) < 3 {
				p = append(p, "")
			}
			// The cluster itself holds '|': take subset|cluster...|host from both ends.
			sub, host := p[0], ""
			rest := strings.Join(p[1:], "|")
			if i := strings.LastIndexByte(rest, '|'); i >= 0 {
				rest, host = rest[:i], rest[i+1:]
			}
			ds = append(ds, DestRef{Subset: sub, Cluster: rest, Host: host})
		}
		ex := map[string]string{}
		for _, kv := range strings.Split(explicit, "\n") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				ex[k] = v
			}
		}
		names := strings.Split(observed, "\n")
		m, err := Match(names, ds, ex)
		if err != nil {
			if strings.Contains(err.Error(), "\n") && !strings.ContainsAny(observed+dests+explicit, "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		for _, n := range names {
			i, ok := m[n]
			if n == NoUpstream {
				if ok {
					t.Fatalf("%q mapped to %d", NoUpstream, i)
				}
				continue
			}
			if !ok || i < 0 || i >= len(ds) {
				t.Fatalf("%q mapped to %d (present %v) among %d destinations", n, i, ok, len(ds))
			}
		}
	})
}
