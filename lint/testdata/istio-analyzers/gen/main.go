// Command gen writes expected.tsv: what Istio's analyzers report on each YAML file given, one line
// per message: file, code, resource (Origin.FriendlyName), line, message. The analyzers are the ones
// splitsim lint mirrors: virtualservice.DestinationHostAnalyzer, DestinationRuleAnalyzer,
// ConflictingMeshGatewayHostsAnalyzer, and the schema ValidationAnalyzer of VirtualService and
// DestinationRule. Each file is analysed alone, as Istio's analyzers_test.go does (local.IstiodAnalyzer
// without a namespace, so every namespace is analysed and resources without one keep none; messages
// sorted and deduplicated).
//
// It needs istio.io/istio, which splitsim's module does not require: build it in a module that does
// (see README.md). Usage: gen OUT.tsv FILE...
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"istio.io/istio/pkg/config/analysis"
	schemaValidation "istio.io/istio/pkg/config/analysis/analyzers/schema"
	"istio.io/istio/pkg/config/analysis/analyzers/virtualservice"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/schema/collections"
)

func main() {
	var b strings.Builder
	for _, f := range os.Args[2:] {
		analyze(&b, f)
	}
	if err := os.WriteFile(os.Args[1], []byte(b.String()), 0o644); err != nil {
		panic(err)
	}
}

func analyze(b *strings.Builder, file string) {
	as := analysis.Combine("splitsim",
		&virtualservice.DestinationHostAnalyzer{},
		&virtualservice.DestinationRuleAnalyzer{},
		&virtualservice.ConflictingMeshGatewayHostsAnalyzer{},
		&virtualservice.GatewayAnalyzer{},
		schemaValidation.CollectionValidationAnalyzer(collections.VirtualService),
		schemaValidation.CollectionValidationAnalyzer(collections.DestinationRule),
		schemaValidation.CollectionValidationAnalyzer(collections.Gateway),
		schemaValidation.CollectionValidationAnalyzer(collections.ServiceEntry))
	sa := local.NewSourceAnalyzer(as, "", "istio-system", nil)
	r, err := os.Open(file)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	if err := sa.AddTestReaderKubeSource([]local.ReaderSource{{Name: file, Reader: r}}); err != nil {
		panic(err)
	}
	if err := sa.AddDefaultResources(); err != nil {
		panic(err)
	}
	res, err := sa.Analyze(make(chan struct{}))
	if err != nil {
		panic(err)
	}
	for _, m := range res.Messages {
		if m.Type.Code() == "IST0132" {
			continue // GatewayAnalyzer's host check, which splitsim does not have
		}
		origin := ""
		if m.Resource != nil {
			origin = m.Resource.Origin.FriendlyName()
		}
		fmt.Fprintf(b, "%s\t%s\t%s\t%d\t%s\n", filepath.Base(file), m.Type.Code(), origin, m.Line,
			fmt.Sprintf(m.Type.Template(), m.Parameters...))
	}
}
