package observe

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

// exporter serves istio_requests_total as an Istio proxy's /stats/prometheus does: counters that
// the test advances, per destination version and pod, reported by both proxies (reporter source
// and destination), as istio/istio's telemetry v2 defines them.
type exporter struct {
	mu     sync.Mutex
	counts map[[2]string]int64 // version, pod
	served map[string]int64    // requests per version, whatever resets
}

func (e *exporter) add(version, pod string, n int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.counts[[2]string{version, pod}] += n
	e.served[version] += n
}

// restart resets a pod's counter to zero, as a restarted proxy does.
func (e *exporter) restart(version, pod string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.counts[[2]string{version, pod}] = 0
}

func (e *exporter) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var b bytes.Buffer
	b.WriteString("# TYPE istio_requests_total counter\n")
	for k, v := range e.counts {
		for _, reporter := range []string{"source", "destination"} {
			fmt.Fprintf(&b, "istio_requests_total{reporter=%q,destination_service=\"reviews.default.svc.cluster.local\","+
				"destination_service_name=\"reviews\",destination_version=%q,pod=%q,response_code=\"200\"} %d\n", reporter, k[0], k[1], v)
		}
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	w.Write(b.Bytes())
}

// startPrometheus runs Debian's prometheus on a free loopback port, scraping target every second
// into a temporary data folder, and returns its URL. It skips the test where the binary is missing,
// unless CI is set.
func startPrometheus(t *testing.T, target string) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("prometheus is not installed (apt-get install prometheus): %v", err)
		}
		t.Skip("prometheus is not installed (apt-get install prometheus)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "prometheus.yml")
	yml := fmt.Sprintf("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n- job_name: proxy\n  static_configs:\n  - targets: [%q]\n", target)
	if err := os.WriteFile(conf, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config.file="+conf, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus output:\n%s", logs.String())
		}
	})
	url := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(url + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready after 60s: %v\n%s", err, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitScraped waits until Prometheus holds the exporter's current values.
func waitScraped(t *testing.T, url string, e *exporter) {
	t.Helper()
	e.mu.Lock()
	want := map[string]int64{}
	for k, v := range e.counts {
		want[k[0]+"/"+k[1]] = v
	}
	e.mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for {
		client, _ := Server{URL: url}.client()
		v, _, err := query(context.Background(), client, url, `istio_requests_total{reporter="destination"}`, time.Now())
		got := map[string]int64{}
		if vec, ok := v.(model.Vector); ok && err == nil {
			for _, s := range vec {
				got[string(s.Metric["destination_version"])+"/"+string(s.Metric["pod"])] = int64(s.Value)
			}
		}
		if reflect.DeepEqual(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus has %v, the exporter %v (error %v)", got, want, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestReadServer reads counts from a real Prometheus server that scrapes a test exporter, across a
// counter reset, and compares them with what the exporter served. The increases follow the
// --before semantics (ReadDelta), which Prometheus's own increase() does not give exactly: it
// extrapolates to the ends of the window.
func TestReadServer(t *testing.T) {
	e := &exporter{counts: map[[2]string]int64{}, served: map[string]int64{}}
	e.add("v1", "reviews-v1-a", 0)
	e.add("v1", "reviews-v1-b", 0)
	e.add("v2", "reviews-v2-a", 0)
	srv := httptest.NewServer(e)
	defer srv.Close()
	url := startPrometheus(t, strings.TrimPrefix(srv.URL, "http://"))
	start := time.Now()
	waitScraped(t, url, e)

	e.add("v1", "reviews-v1-a", 700)
	e.add("v1", "reviews-v1-b", 3)
	e.add("v2", "reviews-v2-a", 290)
	waitScraped(t, url, e)
	e.restart("v1", "reviews-v1-a") // served 700, then restarted: the counter starts again at 0 (both reporters' series)
	e.add("v1", "reviews-v1-a", 41)
	waitScraped(t, url, e)
	e.add("v2", "reviews-v2-a", 17)
	e.add("v1", "reviews-v1-b", 1)
	waitScraped(t, url, e)
	end := time.Now()

	want := map[string]int64{"v1": e.served["v1"], "v2": e.served["v2"]}
	if want["v1"] != 745 || want["v2"] != 307 {
		t.Fatalf("exporter served %v", want)
	}
	obs, err := ReadServer(context.Background(), Server{URL: url, Start: start, End: end, Timeout: 10 * time.Second}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(obs.Counts, want) || obs.Format != FormatPrometheusAPI {
		t.Errorf("counts %v (%s), the exporter served %v", obs.Counts, obs.Format, want)
	}
	checkWarnings(t, obs.Warnings, []string{"2 series of istio_requests_total were reset in the window", `counting reporter="destination" only`})

	// A matcher, the services of a configuration and a custom query of the raw counters agree.
	obs, err = ReadServer(context.Background(), Server{URL: url, Start: start, End: end}, Options{
		Match: mustMatchers(t, "pod=~reviews-v1-.*"), Services: []string{"reviews.default.svc.cluster.local"}})
	if err != nil || !reflect.DeepEqual(obs.Counts, map[string]int64{"v1": 745}) {
		t.Errorf("pod=~reviews-v1-.*: %v, error %v", obs, err)
	}
	window := end.Sub(start) + 5*time.Minute
	obs, err = ReadServer(context.Background(), Server{URL: url, Start: start, End: end,
		Query: fmt.Sprintf(`istio_requests_total{reporter="destination"}[%s]`, promDuration(window))}, Options{})
	if err != nil || !reflect.DeepEqual(obs.Counts, want) {
		t.Errorf("range query: %v, error %v", obs, err)
	}
	// increase() extrapolates: its values are not counts, and the note says how to get them.
	obs, err = ReadServer(context.Background(), Server{URL: url, Start: start, End: end,
		Query: fmt.Sprintf(`sum by (destination_version) (increase(istio_requests_total{reporter="destination"}[%s]))`, promDuration(end.Sub(start)))}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkWarnings(t, obs.Warnings, []string{"not whole numbers: increase() and rate() extrapolate", "counts are rounded"})

	// Errors: a wrong query, a server that is not there, an empty window.
	if _, err := ReadServer(context.Background(), Server{URL: url, Start: start, End: end, Query: "sum("}, Options{}); err == nil ||
		!strings.Contains(err.Error(), "query sum(:") {
		t.Errorf("bad query: %v", err)
	}
	if _, err := ReadServer(context.Background(), Server{URL: url, Start: start, End: end}, Options{Match: mustMatchers(t, "pod=none")}); err == nil ||
		!strings.Contains(err.Error(), `samples matching pod="none" from `) {
		t.Errorf("nothing matches: %v", err)
	}
	if _, err := ReadServer(context.Background(), Server{URL: url, Start: end, End: start}, Options{}); err == nil ||
		!strings.Contains(err.Error(), "the window is empty") {
		t.Errorf("empty window: %v", err)
	}
}

// TestAPIAnswerFiles reads saved answers of /api/v1/query (a vector: values as counts) and
// /api/v1/query_range (a matrix: counter samples, whose increases count, resets included), in the
// JSON that Prometheus's HTTP API writes (prometheus/prometheus web/api/v1/api.go, queryData).
func TestAPIAnswerFiles(t *testing.T) {
	vector := `{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"destination_version":"v1"},"value":[1714557600,"712"]},` +
		`{"metric":{"destination_version":"v2"},"value":[1714557600,"288"]}]}}`
	matrix := `{
  "status": "success",
  "data": {"resultType": "matrix", "result": [
    {"metric": {"__name__": "istio_requests_total", "destination_version": "v1", "reporter": "destination"},
     "values": [[1714557600, "100"], [1714557660, "160"], [1714557720, "20"], [1714557780, "50"]]},
    {"metric": {"__name__": "istio_requests_total", "destination_version": "v2", "reporter": "destination"},
     "values": [[1714557600, "10"], [1714557660, "40"]]}
  ]},
  "warnings": ["some warning"]
}`
	for _, tt := range []struct {
		name, input string
		counts      map[string]int64
		warnings    []string
	}{
		{"vector", vector, map[string]int64{"v1": 712, "v2": 288}, nil},
		{"matrix", matrix, map[string]int64{"v1": 60 + 20 + 30, "v2": 30},
			[]string{"1 series of istio_requests_total were reset", "Prometheus: some warning"}},
		{"fractional", strings.ReplaceAll(vector, `"712"`, `"711.6"`), map[string]int64{"v1": 712, "v2": 288},
			[]string{"increase() and rate() extrapolate", "counts are rounded"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.input)); got != FormatPrometheusAPI {
				t.Errorf("Detect = %q", got)
			}
			obs, err := Read(strings.NewReader(tt.input), "api.json", Options{})
			checkReadOK(t, obs, err)
			if !reflect.DeepEqual(obs.Counts, tt.counts) {
				t.Errorf("counts %v, want %v", obs.Counts, tt.counts)
			}
			checkWarnings(t, obs.Warnings, tt.warnings)
			if tt.name == "matrix" {
				// A query_range answer is also a series, one interval per sample time after the first.
				want := []map[string]int64{{"v1": 60, "v2": 30}, {"v1": 20, "v2": 0}, {"v1": 30, "v2": 0}}
				if !reflect.DeepEqual(obs.Series, want) || obs.Intervals[0] != "2024-05-01T10:01:00Z" {
					t.Errorf("series %v %v, want %v", obs.Series, obs.Intervals, want)
				}
			}
		})
	}
	for input, want := range map[string]string{
		`{"status":"error","errorType":"bad_data","error":"parse error"}`:      `api.json: Prometheus API answer has status "error": bad_data parse error`,
		`{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}`: `api.json: Prometheus API result of type "scalar": want a vector or a matrix`,
	} {
		if _, err := Read(strings.NewReader(input), "api.json", Options{}); err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %s", input, err, want)
		}
	}
}

// TestServerCredentials checks that the bearer token, or else basic auth, reaches the server.
func TestServerCredentials(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"istio_requests_total","destination_version":"v1"},"values":[[1,"3"]]}]}}`)
	}))
	defer srv.Close()
	end := time.Now()
	for _, s := range []Server{{BearerToken: "t0k"}, {Username: "u", Password: "p"}} {
		s.URL, s.Start, s.End = srv.URL, end.Add(-time.Minute), end
		if _, err := ReadServer(context.Background(), s, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"Bearer t0k", "Basic dTpw"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Authorization %q, want %q", got, want)
	}
	t.Setenv("PROMETHEUS_BEARER_TOKEN", "env")
	if s := ServerFromEnv(Server{}); s.BearerToken != "env" {
		t.Errorf("token from the environment: %+v", s)
	}
	if _, err := ReadServer(context.Background(), Server{URL: srv.URL, Start: end.Add(-time.Minute), End: end, CAFile: "/nonexistent"}, Options{}); err == nil {
		t.Error("a missing CA file is no error")
	}

	// TLS: the server's certificate verifies with the CA file, and not without it.
	tlsSrv := httptest.NewUnstartedServer(srv.Config.Handler)
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	cert := tlsSrv.Certificate()
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	s := Server{URL: tlsSrv.URL, Start: end.Add(-time.Minute), End: end, CAFile: ca}
	if obs, err := ReadServer(context.Background(), s, Options{}); err != nil || obs.Counts["v1"] != 0 {
		t.Errorf("TLS with the CA file: %v, error %v", obs, err)
	}
	s.CAFile = ""
	if _, err := ReadServer(context.Background(), s, Options{}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("TLS without the CA file: error %v, want one about the certificate", err)
	}
}
