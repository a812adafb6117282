package istio

import (
	"bytes"
	"os"
	"testing"

	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/resource"
	istiolog "istio.io/istio/pkg/log"
)

// BenchmarkIstioAnalyzers times what `istioctl analyze --use-kube=false -A FILE` runs on the file
// that ISTIO_ANALYZE_FILE names, reading included, for bench/lint.sh's comparison of splitsim lint
// with Istio's analyzers on the same file (issue 17): every analyzer (analyzers.AllCombined) through
// local.NewIstiodAnalyzer on all namespaces with istio-system as Istio's namespace, the defaults
// istioctl adds without a cluster (AddDefaultResources), then the file as one reader source
// (AddReaderKubeSource), as istio istioctl/pkg/analyze/analyze.go does. It reports the messages per
// run (messages/op). Skipped when ISTIO_ANALYZE_FILE is not set:
//
//	go run ./bench/gen -kind virtualservices -n 5000 -o /tmp/vs5000.yaml
//	cd conformance/istio && ISTIO_ANALYZE_FILE=/tmp/vs5000.yaml go test -mod=mod -run '^$' -bench IstioAnalyzers .
func BenchmarkIstioAnalyzers(b *testing.B) {
	file := os.Getenv("ISTIO_ANALYZE_FILE")
	if file == "" {
		b.Skip("ISTIO_ANALYZE_FILE is not set")
	}
	for _, s := range istiolog.Scopes() {
		s.SetOutputLevel(istiolog.ErrorLevel)
	}
	messages := 0
	for b.Loop() {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		sa := local.NewIstiodAnalyzer(analyzers.AllCombined(), resource.Namespace(""), resource.Namespace("istio-system"), nil)
		if err := sa.AddDefaultResources(); err != nil {
			b.Fatal(err)
		}
		if err := sa.AddReaderKubeSource([]local.ReaderSource{{Name: file, Reader: bytes.NewReader(data)}}); err != nil {
			b.Fatalf("adding %s: %v", file, err)
		}
		res, err := sa.Analyze(make(chan struct{}))
		if err != nil {
			b.Fatal(err)
		}
		messages = len(res.Messages)
	}
	b.ReportMetric(float64(messages), "messages/op")
}
