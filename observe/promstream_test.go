package observe

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// sameRead compares the streaming reader with the expfmt-based one it replaced (the oracle, in
// prometheus_oracle_test.go) on one input: the same counts, codes, flags and warnings, or an
// error at the same line. The streaming reader checks a line on its own where the expfmt parser
// checks it within its metric family, so the two may disagree on what makes a histogram's or
// summary's lines malformed; the oracle's errors in those cases are not compared.
func sameRead(t *testing.T, data []byte, opts Options) {
	t.Helper()
	ms, err := compileMatchers(opts.Match)
	if err != nil {
		t.Fatal(err)
	}
	opts.Format = FormatPrometheus
	got, gerr := Read(bytes.NewReader(data), "s.prom", opts)
	br, _, _ := open(bytes.NewReader(data), "s.prom")
	want, werr := oracleReadPrometheus(br, "s.prom", opts, ms)
	if werr == nil {
		want.keepServices(opts.Services)
	}
	compareObservations(t, data, got, gerr, want, werr)
}

func compareObservations(t *testing.T, data []byte, got *Observation, gerr error, want *Observation, werr error) {
	t.Helper()
	if histogramLike(data) && (gerr == nil) != (werr == nil) {
		return
	}
	switch {
	case gerr != nil && werr != nil:
		ge, _ := gerr.(*Error)
		we, _ := werr.(*Error)
		if ge == nil || we == nil || ge.Line != we.Line {
			t.Fatalf("input %q:\nstreaming error %v\n   oracle error %v", data, gerr, werr)
		}
	case gerr != nil || werr != nil:
		t.Fatalf("input %q:\nstreaming %v, error %v\n   oracle %v, error %v", data, got, gerr, want, werr)
	default:
		if !reflect.DeepEqual(got.Names, want.Names) || !reflect.DeepEqual(got.Counts, want.Counts) ||
			!reflect.DeepEqual(got.Codes, want.Codes) || !reflect.DeepEqual(got.Flags, want.Flags) ||
			!reflect.DeepEqual(got.Warnings, want.Warnings) {
			t.Fatalf("input %q:\nstreaming %q %v %v %v %q\n   oracle %q %v %v %v %q", data,
				got.Names, got.Counts, got.Codes, got.Flags, got.Warnings, want.Names, want.Counts, want.Codes, want.Flags, want.Warnings)
		}
	}
}

// histogramLike reports whether an input declares a histogram or summary, whose lines the two
// readers check differently (see sameRead).
func histogramLike(data []byte) bool {
	l := bytes.ToLower(data)
	return bytes.Contains(l, []byte("histogram")) || bytes.Contains(l, []byte("summary"))
}

// TestPrometheusStreamingAgrees reads the test scrapes, and scrapes cut into pieces, concatenated
// and spread over many blocks, with both readers.
func TestPrometheusStreamingAgrees(t *testing.T) {
	scrape, err := os.ReadFile("testdata/scrape.txt")
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile("testdata/scrape_before.txt")
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{"scrape": scrape, "before": before, "both": append(append([]byte{}, scrape...), scrape...),
		"crlf": bytes.ReplaceAll(scrape, []byte("\n"), []byte("\r\n")),
		"quoted names": []byte("# TYPE istio_requests_total counter\n" + `{"istio_requests_total",destination_version="v1"} 5` + "\n" +
			`istio_requests_total{destination_version="v\"2\\n"} 7 1714557600000` + "\n" + `istio_requests_total {  destination_version = "v3" , } 1e2` + "\n"),
	}
	for i := range 40 {
		// Lines cut at random places, or duplicated, give errors and other scrapes.
		rng := rand.New(rand.NewPCG(uint64(i), 9))
		lines := strings.SplitAfter(string(scrape), "\n")
		k := rng.IntN(len(lines))
		switch i % 4 {
		case 0:
			lines[k] = lines[k][:rng.IntN(len(lines[k])+1)]
		case 1:
			lines = append(lines[:k], append([]string{lines[rng.IntN(len(lines))]}, lines[k:]...)...)
		case 2:
			lines[k] = strings.Replace(lines[k], " ", "  ", 1)
		case 3:
			lines[k] = strings.Replace(lines[k], `="`, `= "`, 1)
		}
		inputs[fmt.Sprintf("variant %d", i)] = []byte(strings.Join(lines, ""))
	}
	optionSets := []Options{{}, {Metric: MetricEnvoyUpstreamRq}, {Match: mustMatchers(t, "destination_service_name=reviews")},
		{GroupBy: "response_code"}, {Services: []string{"reviews.default.svc.cluster.local"}},
		{Metric: MetricEnvoyUpstreamRqDone, Services: []string{"reviews.default.svc.cluster.local"}}}
	for name, data := range inputs {
		for _, opts := range optionSets {
			t.Run(name+" "+describeOptions(opts), func(t *testing.T) {
				sameRead(t, data, opts)
				// ReadDelta of the test scrape before this input.
				got, gerr := ReadDelta(bytes.NewReader(before), "b", bytes.NewReader(data), "a", opts)
				want, werr := oracleReadDelta(bytes.NewReader(before), "b", bytes.NewReader(data), "a", opts)
				compareObservations(t, data, got, gerr, want, werr)
			})
		}
	}
}

// TestPrometheusBlocks reads a scrape of many blocks, so that every core parses some, and checks
// the counts and an error's line against a single-core read.
func TestPrometheusBlocks(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("# TYPE istio_requests_total counter\n")
	want := map[string]int64{}
	for i := range 60000 {
		v := fmt.Sprintf("v%d", i%7)
		fmt.Fprintf(&b, "istio_requests_total{destination_version=%q,pod=\"p%06d\",response_code=\"200\"} %d\n", v, i, i%13)
		want[v] += int64(i % 13)
	}
	if b.Len() < 3*blockSize {
		t.Fatalf("input of %d bytes is too small", b.Len())
	}
	obs, err := Read(bytes.NewReader(b.Bytes()), "big.prom", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(obs.Counts, want) || obs.Names[0] != "v0" || obs.Names[6] != "v6" {
		t.Errorf("counts %v names %v, want %v", obs.Counts, obs.Names, want)
	}
	bad := bytes.Replace(b.Bytes(), []byte(`pod="p050000"`), []byte(`pod=p050000`), 1)
	_, err = Read(bytes.NewReader(bad), "big.prom", Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "big.prom: line 50002: ") {
		t.Errorf("error %v, want one at line 50002 (GOMAXPROCS %d)", err, runtime.GOMAXPROCS(0))
	}
}

// FuzzPrometheusStreaming compares the streaming reader with the expfmt-based one on any input.
func FuzzPrometheusStreaming(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b, "", "") })
	f.Add([]byte("# TYPE istio_requests_total counter\nistio_requests_total{destination_version=\"v1\",reporter=\"source\"} 5\nistio_requests_total{destination_version=\"v1\",reporter=\"destination\"} 4\n"), "", "")
	f.Fuzz(func(t *testing.T, data []byte, metric, groupBy string) {
		sameRead(t, data, Options{Metric: metric, GroupBy: groupBy})
	})
}
