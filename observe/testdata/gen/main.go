// Command gen writes the access-log test files of package observe: access.log (Istio's default text
// format), access.json.log (the same requests in Istio's JSON encoding) and access.want.json (the
// counts the generator wrote, which the tests compare with what the parser reads).
//
// Run from the repository root:
//
//	go run ./observe/testdata/gen -out observe/testdata
//
// The output depends only on the seed, so running it again reproduces the committed files.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// entry holds the fields of one request, named as in Istio's JSON access-log format. "" means the
// value is absent: "-" in the text format, null in JSON.
type entry struct {
	StartTime     string
	Method        string
	Path          string
	Protocol      string
	Code          int
	Flags         string
	Details       string
	ConnTerm      string
	UTFR          string
	BytesReceived int
	BytesSent     int
	Duration      int
	UpstreamTime  string
	XFF           string
	UserAgent     string
	RequestID     string
	Authority     string
	UpstreamHost  string
	Cluster       string
	UpstreamLocal string
	DownLocal     string
	DownRemote    string
	SNI           string
	Route         string
}

const (
	reviewsV1 = "outbound|9080|v1|reviews.default.svc.cluster.local"
	reviewsV2 = "outbound|9080|v2|reviews.default.svc.cluster.local"
	ratingsV1 = "outbound|9080|v1|ratings.default.svc.cluster.local"
)

var userAgents = []string{
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
	"curl/8.5.0",
	"python-requests/2.31.0",
	"Go-http-client/1.1",
	`Mozilla/5.0 "probe" (compatible)`, // a quote inside a field: Envoy does not escape it
}

func main() {
	out := flag.String("out", "observe/testdata", "directory to write to")
	n := flag.Int("n", 400, "number of requests")
	flag.Parse()
	if err := run(*out, *n); err != nil {
		log.Fatal(err)
	}
}

func run(dir string, n int) error {
	rng := rand.New(rand.NewPCG(2024, 5))
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	var text, js bytes.Buffer
	names := []string{}
	counts := map[string]int{}
	codes := map[string]map[string]int{}
	flags := map[string]map[string]int{}
	skipped := 0

	noise := []string{
		"2024-05-01T09:59:58.101234Z\tinfo\txdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012",
		"2024-05-01T09:59:58.322211Z\tinfo\tads\tADS: new connection for node:reviews-v1-5b9c7d6f4-x2kqz.default-1",
		"2024-05-01T09:59:59.000017Z\tinfo\tReadiness succeeded in 1.02s",
	}
	for _, l := range noise {
		text.WriteString(l + "\n")
		js.WriteString(l + "\n")
		skipped++
	}

	t := t0
	for i := range n {
		t = t.Add(time.Duration(5+rng.IntN(200)) * time.Millisecond)
		e := request(rng, t)
		text.WriteString(e.text() + "\n")
		b, err := e.json()
		if err != nil {
			return err
		}
		js.Write(b)
		js.WriteByte('\n')
		if i == n/2 {
			l := "2024-05-01T10:00:21.554102Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193\tStreamAggregatedResources gRPC config stream to xds-grpc closed since 1799s ago: 13, \tthread=14"
			text.WriteString(l + "\n")
			js.WriteString(l + "\n")
			skipped++
		}
		name := e.Cluster
		if name == "" {
			name = "-"
		}
		if _, ok := counts[name]; !ok {
			names = append(names, name)
			codes[name] = map[string]int{}
			flags[name] = map[string]int{}
		}
		counts[name]++
		codes[name][strconv.Itoa(e.Code)]++
		f := e.Flags
		if f == "" {
			f = "-"
		}
		flags[name][f]++
	}

	want, err := json.MarshalIndent(map[string]any{
		"names": names, "counts": counts, "codes": codes, "flags": flags, "entries": n, "skipped": skipped,
	}, "", "  ")
	if err != nil {
		return err
	}
	for file, b := range map[string][]byte{
		"access.log":       text.Bytes(),
		"access.json.log":  js.Bytes(),
		"access.want.json": append(want, '\n'),
	} {
		if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// request draws one request: mostly reviews split 80/20 between v1 and v2, some ratings calls,
// 404s without a route (NR), 503s for a subset without a cluster (NC) and connection failures to
// v2 (UF,URX).
func request(rng *rand.Rand, t time.Time) entry {
	e := entry{
		StartTime: t.Format("2006-01-02T15:04:05.000Z"),
		Method:    "GET",
		Path:      fmt.Sprintf("/reviews/%d", rng.IntN(10)),
		Protocol:  "HTTP/1.1",
		UserAgent: userAgents[rng.IntN(len(userAgents))],
		RequestID: fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, 0x4000|rng.Uint32()&0x0fff,
			0x8000|rng.Uint32()&0x3fff, rng.Uint64()&0xffffffffffff),
		Authority:  "reviews:9080",
		DownLocal:  "10.96.47.22:9080",
		DownRemote: fmt.Sprintf("10.244.0.7:%d", 32768+rng.IntN(28000)),
		Route:      "default",
	}
	ok := func(cluster, host string) {
		e.Code = 200
		e.Details = "via_upstream"
		e.BytesSent = 295 + rng.IntN(200)
		e.Duration = 2 + rng.IntN(40)
		e.UpstreamTime = strconv.Itoa(max(1, e.Duration-1))
		e.UpstreamHost = host
		e.Cluster = cluster
		e.UpstreamLocal = fmt.Sprintf("10.244.0.7:%d", 32768+rng.IntN(28000))
	}
	switch r := rng.IntN(100); {
	case r < 8: // no route: 404 NR
		e.Path = "/reviews-legacy/" + strconv.Itoa(rng.IntN(10))
		e.Code, e.Flags, e.Details = 404, "NR", "route_not_found"
		e.Route = ""
	case r < 12: // route to a subset that has no cluster: 503 NC
		e.Code, e.Flags, e.Details = 503, "NC", "cluster_not_found"
	case r < 16: // v2 pod refuses connections: 503 UF,URX
		e.Code, e.Flags = 503, "UF,URX"
		e.Details = "upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}"
		e.UTFR = "delayed_connect_error:_111"
		e.BytesSent = 145
		e.Duration = 1 + rng.IntN(3)
		e.UpstreamHost = "10.244.2.31:9080"
		e.Cluster = reviewsV2
	case r < 24: // calls to ratings through the same proxy
		e.Authority = "ratings:9080"
		e.Path = "/ratings/" + strconv.Itoa(rng.IntN(10))
		ok(ratingsV1, "10.244.1.40:9080")
	case r < 24+61: // about 80% of the remaining reviews traffic
		ok(reviewsV1, []string{"10.244.1.12:9080", "10.244.2.17:9080"}[rng.IntN(2)])
	default:
		ok(reviewsV2, "10.244.2.31:9080")
	}
	if rng.IntN(10) == 0 {
		e.Method = "POST"
		e.BytesReceived = 120 + rng.IntN(100)
	}
	return e
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// text formats e as Istio's EnvoyTextLogFormat (istio/istio pilot/pkg/model/telemetry_logging.go).
func (e entry) text() string {
	return fmt.Sprintf(`[%s] "%s %s %s" %d %s %s %s "%s" %d %d %d %s "%s" "%s" "%s" "%s" "%s" %s %s %s %s %s %s`,
		e.StartTime, e.Method, e.Path, e.Protocol, e.Code, dash(e.Flags), dash(e.Details), dash(e.ConnTerm),
		dash(e.UTFR), e.BytesReceived, e.BytesSent, e.Duration, dash(e.UpstreamTime), dash(e.XFF), dash(e.UserAgent),
		dash(e.RequestID), dash(e.Authority), dash(e.UpstreamHost), dash(e.Cluster), dash(e.UpstreamLocal),
		dash(e.DownLocal), dash(e.DownRemote), dash(e.SNI), dash(e.Route))
}

// json formats e as Istio's JSON encoding (EnvoyJSONLogFormatIstio): numbers for the numeric
// operators, null for absent values, keys in the order Istio lists them.
func (e entry) json() ([]byte, error) {
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	kv := []struct {
		k string
		v any
	}{
		{"start_time", e.StartTime}, {"route_name", str(e.Route)}, {"method", e.Method}, {"path", e.Path},
		{"protocol", e.Protocol}, {"response_code", e.Code}, {"response_flags", str(e.Flags)},
		{"response_code_details", str(e.Details)}, {"connection_termination_details", str(e.ConnTerm)},
		{"bytes_received", e.BytesReceived}, {"bytes_sent", e.BytesSent}, {"duration", e.Duration},
		{"upstream_service_time", str(e.UpstreamTime)}, {"x_forwarded_for", str(e.XFF)},
		{"user_agent", str(e.UserAgent)}, {"request_id", str(e.RequestID)}, {"authority", str(e.Authority)},
		{"upstream_host", str(e.UpstreamHost)}, {"upstream_cluster", str(e.Cluster)},
		{"upstream_local_address", str(e.UpstreamLocal)}, {"downstream_local_address", str(e.DownLocal)},
		{"downstream_remote_address", str(e.DownRemote)}, {"requested_server_name", str(e.SNI)},
		{"upstream_transport_failure_reason", str(e.UTFR)},
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range kv {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.k)
		v, err := json.Marshal(p.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
