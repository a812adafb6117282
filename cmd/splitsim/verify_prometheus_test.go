package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// proxyExporter serves istio_requests_total for reviews v1 and v2 as the destination proxies
// report it (istio/istio telemetry v2: reporter="destination"), with counters the test sets.
type proxyExporter struct {
	mu     sync.Mutex
	v1, v2 int64
}

func (e *proxyExporter) set(v1, v2 int64) {
	e.mu.Lock()
	e.v1, e.v2 = v1, v2
	e.mu.Unlock()
}

func (e *proxyExporter) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fmt.Fprintln(w, "# TYPE istio_requests_total counter")
	for v, n := range map[string]int64{"v1": e.v1, "v2": e.v2} {
		fmt.Fprintf(w, "istio_requests_total{reporter=\"destination\",destination_service=\"reviews.default.svc.cluster.local\",destination_service_name=\"reviews\",destination_version=%q} %d\n", v, n)
	}
}

// prometheusServer starts Debian's prometheus scraping target every second; see observe's
// startPrometheus, which this repeats for the command's tests.
func prometheusServer(t *testing.T, target string) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("prometheus is not installed: %v", err)
		}
		t.Skip("prometheus is not installed (apt-get install prometheus)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "prometheus.yml")
	os.WriteFile(conf, []byte(fmt.Sprintf("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n- job_name: proxy\n  static_configs:\n  - targets: [%q]\n", target)), 0o644)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config.file="+conf, "--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr, "--log.level=warn")
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	url := "http://" + addr
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(url + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("prometheus not ready after 60s")
		}
	}
}

// scraped waits until Prometheus's latest sample of v1 is want.
func scraped(t *testing.T, url string, want int64) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		resp, err := http.Get(url + `/api/v1/query?query=istio_requests_total{destination_version="v1"}`)
		if err != nil {
			continue
		}
		var r struct {
			Data struct {
				Result []struct {
					Value [2]any `json:"value"`
				} `json:"result"`
			} `json:"data"`
		}
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if len(r.Data.Result) == 1 && r.Data.Result[0].Value[1] == strconv.FormatInt(want, 10) {
			return
		}
	}
	t.Fatalf("Prometheus never showed v1 = %d", want)
}

// TestVerifyPrometheus runs verify --prometheus against a real server: the window's counts are
// the exporter's, and --sequential --every watches the rollout look by look, on stderr, until
// --until.
func TestVerifyPrometheus(t *testing.T) {
	e := &proxyExporter{}
	srv := httptest.NewServer(e)
	defer srv.Close()
	url := prometheusServer(t, strings.TrimPrefix(srv.URL, "http://"))
	start := time.Now()
	scraped(t, url, 0)
	e.set(703, 297)
	scraped(t, url, 703)
	end := time.Now()

	v, code := verifyJSON(t, "--config", "../../examples/verify/reviews-70-30.yaml", "--prometheus", url,
		"--start", start.Format(time.RFC3339Nano), "--end", end.Format(time.RFC3339Nano))
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	dests := v["destinations"].([]any)
	if c1, c2 := dests[0].(map[string]any)["count"], dests[1].(map[string]any)["count"]; c1 != 703.0 || c2 != 297.0 {
		t.Errorf("counts %v %v, want 703 297", c1, c2)
	}

	// A live watch: looks every second for up to ten seconds, while v2 takes every request; the
	// sequential test rejects at the first look after Prometheus has scraped some of them.
	go func() {
		for i := int64(1); i <= 20; i++ {
			time.Sleep(500 * time.Millisecond)
			e.set(703, 297+400*i)
		}
	}()
	out, errOut, code := runCLI(t, "verify", "--config", "../../examples/verify/reviews-70-30.yaml", "--prometheus", url,
		"--sequential", "--every", "1s", "--until", "10s", "--alpha", "0.05")
	if !strings.Contains(errOut, "watching "+url+" every 1s") || !strings.Contains(errOut, "look 1 ") {
		t.Errorf("stderr shows no looks:\n%s", errOut)
	}
	if code != 1 || !strings.Contains(out, "the sequential test rejects the configured split at look") {
		t.Errorf("exit %d, want 1 with a rejection:\n%s\n%s", code, out, errOut)
	}

	for _, tt := range []struct{ args, want string }{
		{"--weights 70,30 --since 5m", "--since needs --prometheus"},
		{"--weights 70,30 --prometheus " + url + " --counts 1,2", "give one of --counts, --observed and --prometheus"},
		{"--weights 70,30 --prometheus " + url + " --every 1m", "--every watches a rollout live: it needs --prometheus and --sequential"},
		{"--weights 70,30 --prometheus " + url + " --start yesterday", `--start "yesterday": want a time in RFC 3339`},
		{"--weights 70,30 --prometheus " + url + " --sequential", "--sequential with --prometheus needs --every"},
	} {
		_, errOut, code := runCLI(t, append([]string{"verify"}, strings.Fields(tt.args)...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, %s; want exit 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}
