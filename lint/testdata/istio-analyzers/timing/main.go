// Command timing measures what `istioctl analyze --use-kube=false -A FILE...` runs, for comparing
// splitsim lint's wall time with Istio's on the same file (issue 17: lint of 5,000 VirtualServices
// with their DestinationRules at most 0.5x Istio's analyzers):
//
//	timing -gen 5000 > vs5000.yaml   writes 5,000 VirtualServices with their DestinationRules
//	                                 (lint/bench_test.go manyVirtualServices, the same text)
//	timing vs5000.yaml               runs every analyzer (analyzers.AllCombined) through
//	                                 local.IstiodAnalyzer over the file, as istioctl analyze does
//	                                 (istio istioctl/pkg/analyze/analyze.go), and prints the messages
//	                                 per code and the wall time, reading included
//
// It needs istio.io/istio, which splitsim's module does not require: build it as gen is built (see
// ../README.md).
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/resource"
	istiolog "istio.io/istio/pkg/log"
)

func main() {
	gen := flag.Int("gen", 0, "write this many VirtualServices with their DestinationRules to stdout and exit")
	flag.Parse()
	if *gen > 0 {
		write(*gen)
		return
	}
	for _, s := range istiolog.Scopes() {
		s.SetOutputLevel(istiolog.ErrorLevel)
	}
	start := time.Now()
	// Every namespace (-A), istio-system as Istio's namespace, the defaults istioctl adds without a
	// cluster (AddDefaultResources), the files as one source.
	sa := local.NewIstiodAnalyzer(analyzers.AllCombined(), resource.Namespace(""), resource.Namespace("istio-system"), nil)
	if err := sa.AddDefaultResources(); err != nil {
		panic(err)
	}
	var readers []local.ReaderSource
	for _, f := range flag.Args() {
		r, err := os.Open(f)
		if err != nil {
			panic(err)
		}
		defer r.Close()
		readers = append(readers, local.ReaderSource{Name: f, Reader: r})
	}
	if err := sa.AddReaderKubeSource(readers); err != nil {
		fmt.Fprintln(os.Stderr, "adding files:", err)
	}
	res, err := sa.Analyze(make(chan struct{}))
	if err != nil {
		panic(err)
	}
	elapsed := time.Since(start)
	counts := map[string]int{}
	for _, m := range res.Messages {
		counts[m.Type.Code()]++
	}
	var codes []string
	for c := range counts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		fmt.Printf("%s\t%d\n", c, counts[c])
	}
	fmt.Printf("istio analyzers: %d messages in %.3f s\n", len(res.Messages), elapsed.Seconds())
}

// write prints n VirtualServices (a header rule to v2, then 80/20 between subsets v1 and v2) with
// their DestinationRules, over 50 namespaces.
func write(n int) {
	w := os.Stdout
	for i := range n {
		fmt.Fprintf(w, `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: svc-%[1]d
  namespace: ns-%[2]d
spec:
  hosts:
  - svc-%[1]d
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    route:
    - destination:
        host: svc-%[1]d
        subset: v2
  - route:
    - destination:
        host: svc-%[1]d
        subset: v1
      weight: 80
    - destination:
        host: svc-%[1]d
        subset: v2
      weight: 20
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: svc-%[1]d
  namespace: ns-%[2]d
spec:
  host: svc-%[1]d
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
---
`, i, i%50)
	}
}
