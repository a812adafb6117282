// Command gen writes the large inputs that bench/run.sh measures splitsim's readers on, and prints
// the counts it wrote as JSON on standard output, so that a run can check what it read:
//
//	go run ./bench/gen -kind access-log -n 5000000 -o /tmp/access.log        (about 1.5 GB)
//	go run ./bench/gen -kind access-log-json -n 1000000 -o /tmp/access.json.log
//	go run ./bench/gen -kind scrape -n 1000000 -o /tmp/scrape.prom           (about 300 MB)
//
//	go run ./bench/gen -kind virtualservices -n 5000 -o /tmp/vs5000.yaml     (lint's input)
//	go run ./bench/gen -kind one-host -n 10000 -o /tmp/vs10k.yaml
//	go run ./bench/gen -kind per-namespace -n 4000 -o /tmp/ns4000.yaml      (one namespace each)
//
// Access logs are in Istio's default text format (istio/istio pilot/pkg/model/telemetry_logging.go,
// EnvoyTextLogFormat) or its JSON encoding: reviews split 80/20 between v1 and v2 through one
// proxy, some ratings calls and requests without a route. The scrape holds istio_requests_total
// series of both reporters, one per source pod and response code, as a federated scrape of a large
// mesh does. The output depends only on -n and -seed. Never commit what it writes.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/splitsim/splitsim/internal/benchdata"
)

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
}

func main() {
	kind := flag.String("kind", "access-log", "access-log, access-log-json, scrape, virtualservices, per-namespace or one-host")
	n := flag.Int("n", 1000, "lines (access logs), series (scrape) or VirtualServices")
	out := flag.String("o", "", "file to write (default standard output; the counts then go to standard error)")
	seed := flag.Uint64("seed", 1, "seed")
	v2 := flag.Int("v2", 20, "access logs: the percentage of reviews requests that go to v2")
	flag.Parse()
	w, counts := os.Stdout, os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		w = f
	} else {
		counts = os.Stderr
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(*seed, 17))
	var got any
	switch *kind {
	case "access-log", "access-log-json":
		got = accessLog(bw, rng, *n, *kind == "access-log-json", *v2)
	case "scrape":
		got = scrape(bw, rng, *n)
	case "virtualservices":
		got = virtualServices(bw, *n)
	case "per-namespace":
		_ = benchdata.VirtualServicesPerNamespace(bw, *n) // a write error shows when bw is flushed
		got = map[string]int{"VirtualService": *n, "DestinationRule": *n}
	case "one-host":
		got = oneHost(bw, *n)
	default:
		log.Fatalf("unknown -kind %q", *kind)
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := json.NewEncoder(counts).Encode(got); err != nil {
		log.Fatal(err)
	}
}

// accessLog writes n requests, of which v2 percent of those to reviews go to v2, and returns the
// count per upstream cluster ("-" for none).
func accessLog(w *bufio.Writer, rng *rand.Rand, n int, jsonLines bool, v2 int) map[string]int {
	counts := map[string]int{}
	var b []byte
	ms := 0
	for i := range n {
		ms += 1 + rng.IntN(3)
		code, flags, details, cluster, host := 200, "-", "via_upstream", reviewsV1, "10.244.1.12:9080"
		authority, path := "reviews:9080", "/reviews/"+strconv.Itoa(rng.IntN(10))
		switch r := rng.IntN(1000); {
		case r < 30:
			code, flags, details, cluster, host, path = 404, "NR", "route_not_found", "-", "-", "/legacy/"+strconv.Itoa(i%10)
		case r < 100:
			cluster, host, authority, path = ratingsV1, "10.244.1.40:9080", "ratings:9080", "/ratings/"+strconv.Itoa(rng.IntN(10))
		case r < 100+9*v2:
			cluster, host = reviewsV2, "10.244.2.31:9080"
		}
		counts[cluster]++
		sec := ms / 1000
		start := fmt.Sprintf("2024-05-01T%02d:%02d:%02d.%03dZ", 10+sec/3600%14, sec/60%60, sec%60, ms%1000)
		id := fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xfff,
			0x8000|rng.Uint32()&0x3fff, rng.Uint64()&0xffffffffffff)
		agent := userAgents[rng.IntN(len(userAgents))]
		sent, dur := 295+rng.IntN(200), 2+rng.IntN(40)
		local := "10.244.0.7:" + strconv.Itoa(32768+rng.IntN(28000))
		remote := "10.244.0.7:" + strconv.Itoa(32768+rng.IntN(28000))
		b = b[:0]
		if jsonLines {
			b = fmt.Appendf(b, `{"start_time":%q,"method":"GET","path":%q,"protocol":"HTTP/1.1","response_code":%d,`+
				`"response_flags":%s,"response_code_details":%q,"bytes_received":0,"bytes_sent":%d,"duration":%d,`+
				`"user_agent":%q,"request_id":%q,"authority":%q,"upstream_host":%s,"upstream_cluster":%s,`+
				`"upstream_local_address":%q,"downstream_local_address":"10.96.47.22:9080","downstream_remote_address":%q,`+
				`"requested_server_name":null,"route_name":"default"}`+"\n",
				start, path, code, jsonOrNull(flags), details, sent, dur, agent, id, authority, jsonOrNull(host),
				jsonOrNull(cluster), local, remote)
		} else {
			b = fmt.Appendf(b, `[%s] "GET %s HTTP/1.1" %d %s %s - "-" 0 %d %d %d "-" "%s" "%s" "%s" "%s" %s %s 10.96.47.22:9080 %s - default`+"\n",
				start, path, code, flags, details, sent, dur, max(1, dur-1), agent, id, authority, host, cluster, local, remote)
		}
		w.Write(b)
	}
	return counts
}

func jsonOrNull(s string) string {
	if s == "-" {
		return "null"
	}
	return strconv.Quote(s)
}

// scrape writes n istio_requests_total series and returns, per destination_version, the sum of
// the reporter="destination" series (what splitsim counts by default).
func scrape(w *bufio.Writer, rng *rand.Rand, n int) map[string]int64 {
	sums := map[string]int64{}
	w.WriteString("# HELP istio_requests_total Total requests.\n# TYPE istio_requests_total counter\n")
	codes := []string{"200", "200", "200", "503", "404"}
	var b []byte
	for i := range n {
		reporter := "destination"
		if i%2 == 1 {
			reporter = "source"
		}
		version := "v1"
		if rng.IntN(10) < 2 {
			version = "v2"
		}
		v := int64(rng.IntN(5000))
		if reporter == "destination" {
			sums[version] += v
		}
		b = fmt.Appendf(b[:0], `istio_requests_total{reporter=%q,source_workload="productpage-v%d",source_workload_namespace="default",`+
			`destination_service="reviews.default.svc.cluster.local",destination_service_name="reviews",destination_version=%q,`+
			`request_protocol="http",response_code=%q,pod="productpage-%07d"} %d`+"\n",
			reporter, i%3+1, version, codes[i%len(codes)], i/2, v)
		w.Write(b)
	}
	return sums
}

// virtualServices writes benchdata.VirtualServices(n) (the input of issue 17's lint figures) and
// returns how many of each kind it wrote; a write error shows when w is flushed.
func virtualServices(w *bufio.Writer, n int) map[string]int {
	_ = benchdata.VirtualServices(w, n)
	return map[string]int{"VirtualService": n, "DestinationRule": n}
}

// oneHost writes benchdata.OneHost(n) (issue 18's lint case) and returns how many it wrote; a
// write error shows when w is flushed.
func oneHost(w *bufio.Writer, n int) map[string]int {
	_ = benchdata.OneHost(w, n)
	return map[string]int{"VirtualService": n}
}
