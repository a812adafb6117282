package observe_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/splitsim/splitsim/observe"
)

// Read a Prometheus scrape of Istio's request counter and relate the versions it reports to the
// destinations of a VirtualService.
func Example() {
	scrape := `# TYPE istio_requests_total counter
istio_requests_total{reporter="source",destination_service_name="reviews",destination_version="v1",response_code="200"} 712
istio_requests_total{reporter="source",destination_service_name="reviews",destination_version="v2",response_code="200"} 286
istio_requests_total{reporter="source",destination_service_name="reviews",destination_version="v2",response_code="503"} 2
istio_requests_total{reporter="destination",destination_service_name="reviews",destination_version="v1",response_code="200"} 712
istio_requests_total{reporter="destination",destination_service_name="reviews",destination_version="v2",response_code="200"} 286
`
	obs, err := observe.Read(strings.NewReader(scrape), "scrape.txt", observe.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(obs.Format)
	for _, name := range obs.Names {
		fmt.Println(name, obs.Counts[name])
	}
	for _, w := range obs.Warnings {
		fmt.Println("warning:", w)
	}

	dests := []observe.DestRef{
		{Subset: "v1", Host: "reviews", Cluster: "outbound|9080|v1|reviews.default.svc.cluster.local"},
		{Subset: "v2", Host: "reviews", Cluster: "outbound|9080|v2|reviews.default.svc.cluster.local"},
	}
	m, err := observe.Match(obs.Names, dests, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m)
	// Output:
	// prometheus
	// v1 712
	// v2 286
	// warning: each request is reported twice, by the client's proxy (reporter="source") and by the server's (reporter="destination"); counting reporter="destination" only (add a reporter matcher to choose)
	// map[v1:0 v2:1]
}

// Count an Istio access log per upstream cluster; requests that found no cluster are counted
// under observe.NoUpstream with their response codes.
func ExampleRead_accessLog() {
	log1 := `[2024-05-01T10:00:00.191Z] "GET /reviews/4 HTTP/1.1" 200 - via_upstream - "-" 0 312 10 9 "-" "curl/8.5.0" "8be84f55" "reviews:9080" "10.244.1.12:9080" outbound|9080|v1|reviews.default.svc.cluster.local 10.244.0.7:33491 10.96.47.22:9080 10.244.0.7:58573 - default
[2024-05-01T10:00:00.897Z] "GET /reviews-legacy/6 HTTP/1.1" 404 NR route_not_found - "-" 0 0 0 - "-" "curl/8.5.0" "e923a10b" "reviews:9080" "-" - - 10.96.47.22:9080 10.244.0.7:39150 - -
[2024-05-01T10:00:01.021Z] "GET /reviews/1 HTTP/1.1" 200 - via_upstream - "-" 0 295 8 7 "-" "curl/8.5.0" "0b7c3e11" "reviews:9080" "10.244.2.31:9080" outbound|9080|v2|reviews.default.svc.cluster.local 10.244.0.7:33500 10.96.47.22:9080 10.244.0.7:58601 - default
`
	obs, err := observe.Read(strings.NewReader(log1), "istio-proxy.log", observe.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(obs.Format)
	for _, name := range obs.Names {
		fmt.Println(name, obs.Counts[name], obs.Codes[name])
	}
	// Output:
	// envoy-access-log
	// outbound|9080|v1|reviews.default.svc.cluster.local 1 map[200:1]
	// - 1 map[404:1]
	// outbound|9080|v2|reviews.default.svc.cluster.local 1 map[200:1]
}

// Counts of a window: the difference of two scrapes of the same proxies.
func ExampleReadDelta() {
	before := `envoy_cluster_upstream_rq_total{cluster_name="outbound|9080|v1|reviews.default.svc.cluster.local"} 5000
envoy_cluster_upstream_rq_total{cluster_name="outbound|9080|v2|reviews.default.svc.cluster.local"} 2000
`
	after := `envoy_cluster_upstream_rq_total{cluster_name="outbound|9080|v1|reviews.default.svc.cluster.local"} 5712
envoy_cluster_upstream_rq_total{cluster_name="outbound|9080|v2|reviews.default.svc.cluster.local"} 2288
`
	obs, err := observe.ReadDelta(strings.NewReader(before), "before.txt", strings.NewReader(after), "after.txt", observe.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range obs.Names {
		fmt.Println(name, obs.Counts[name])
	}
	// Output:
	// outbound|9080|v1|reviews.default.svc.cluster.local 712
	// outbound|9080|v2|reviews.default.svc.cluster.local 288
}

func ExampleMatch() {
	observed := []string{"outbound|9080|v1|reviews.default.svc.cluster.local", "canary", "-"}
	dests := []observe.DestRef{{Subset: "v1", Host: "reviews"}, {Subset: "v2", Host: "reviews"}}
	m, err := observe.Match(observed, dests, map[string]string{"canary": "v2"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m["outbound|9080|v1|reviews.default.svc.cluster.local"], m["canary"])

	_, err = observe.Match([]string{"v3"}, dests, nil)
	fmt.Println(err)
	// Output:
	// 0 1
	// observed "v3" matches no destination; observed: "v3"; destinations: subset v1 of reviews, subset v2 of reviews; map the names explicitly
}
