package istio

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/lint"
	"github.com/splitsim/splitsim/mesh"
	"istio.io/istio/pkg/config/analysis"
	"istio.io/istio/pkg/config/analysis/analyzers"
	schemaValidation "istio.io/istio/pkg/config/analysis/analyzers/schema"
	"istio.io/istio/pkg/config/analysis/analyzers/virtualservice"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/schema/collections"
)

// analyzerCodes are the Istio analyzer codes splitsim's lint reports.
var analyzerCodes = []string{"IST0101", "IST0106", "IST0109", "IST0130", "IST0131"}

// analyzerRun is one set of files analysed together: a case of istio
// pkg/config/analysis/analyzers/analyzers_test.go (testGrid), with the analyzer it runs and the
// messages of analyzerCodes it expects, or a file of the corpus (upstream "").
type analyzerRun struct {
	upstream string            // the testGrid case, "" for a corpus file
	analyzer analysis.Analyzer // the analyzer the case runs
	files    []string          // under testdata/analyzers/ for a case; paths for the corpus
	expected []string          // "CODE Kind ns/name"
}

// testGrid are the cases of analyzers_test.go on the VirtualService test data, with their analyzer and
// their expectations of analyzerCodes (the other codes they expect are out of scope).
var testGrid = []analyzerRun{
	{"virtualServiceConflictingMeshGatewayHosts", &virtualservice.ConflictingMeshGatewayHostsAnalyzer{}, []string{"virtualservice_conflictingmeshgatewayhosts.yaml"}, []string{
		"IST0109 VirtualService team3/ratings", "IST0109 VirtualService team4/ratings", "IST0109 VirtualService foo/ratings",
		"IST0109 VirtualService bar/ratings", "IST0109 VirtualService foo/productpage", "IST0109 VirtualService foo/bogus-productpage",
		"IST0109 VirtualService team2/ratings",
	}},
	{"virtualServiceConflictingMeshGatewayHostsWithExportTo", &virtualservice.ConflictingMeshGatewayHostsAnalyzer{}, []string{"virtualservice_conflictingmeshgatewayhosts_with_exportto.yaml"}, []string{
		"IST0109 VirtualService foo/productpage", "IST0109 VirtualService bar/productpage", "IST0109 VirtualService foo/productpage-c",
		"IST0109 VirtualService bar/productpage-c", "IST0109 VirtualService foo/productpage-d", "IST0109 VirtualService bar/productpage-d",
	}},
	{"virtualServiceDestinationHosts", &virtualservice.DestinationHostAnalyzer{}, []string{"virtualservice_destinationhosts.yaml"}, []string{
		"IST0101 VirtualService default/reviews-bogushost", "IST0101 VirtualService default/reviews-bookinfo-other",
		"IST0101 VirtualService default/reviews-mirror-bogushost", "IST0101 VirtualService default/reviews-bogusport",
		"IST0101 VirtualService istio-system/cross-namespace-details", "IST0101 VirtualService hello/hello-export-to-bogus",
	}},
	{"virtualServiceDestinationRules", &virtualservice.DestinationRuleAnalyzer{}, []string{"virtualservice_destinationrules.yaml"}, []string{
		"IST0101 VirtualService default/reviews-bogussubset", "IST0101 VirtualService default/reviews-mirror-bogussubset",
	}},
	{"virtualServiceGateways", &virtualservice.GatewayAnalyzer{}, []string{"virtualservice_gateways.yaml"}, []string{
		"IST0101 VirtualService default/httpbin-bogus",
	}},
	{"virtualServiceJWTClaimRoute", &virtualservice.JWTClaimRouteAnalyzer{}, []string{"virtualservice_jwtclaimroute.yaml"}, nil},
	{"virtualServiceInternalGatewayRef", &virtualservice.GatewayAnalyzer{}, []string{"virtualservice_internal_gateway_ref.yaml"}, nil},
	{"dupmatches", schemaValidation.CollectionValidationAnalyzer(collections.VirtualService), []string{"virtualservice_dupmatches.yaml", "virtualservice_overlappingmatches.yaml"}, []string{
		"IST0130 VirtualService default/duplicate-match", "IST0130 VirtualService foo/sample-foo-cluster01",
		"IST0131 VirtualService default/almost-duplicate-match", "IST0131 VirtualService default/duplicate-match",
		"IST0130 VirtualService default/duplicate-tcp-match", "IST0130 VirtualService default/duplicate-empty-tcp",
		"IST0131 VirtualService default/almost-duplicate-tcp-match", "IST0131 VirtualService default/duplicate-tcp-match",
		"IST0130 VirtualService none/tls-routing", "IST0131 VirtualService none/tls-routing-almostmatch",
		"IST0131 VirtualService none/tls-routing", "IST0131 VirtualService default/non-method-get",
		"IST0131 VirtualService default/overlapping-in-single-match", "IST0131 VirtualService default/overlapping-in-two-matches",
		"IST0131 VirtualService default/overlapping-mathes-with-different-methods",
	}},
	{"host defined in virtualservice not found in the gateway", &virtualservice.GatewayAnalyzer{}, []string{"virtualservice_host_not_found_gateway.yaml"}, nil},
	{"host defined in virtualservice not found in the gateway(beta version)", &virtualservice.GatewayAnalyzer{}, []string{"virtualservice_host_not_found_gateway_beta.yaml"}, nil},
	{"host defined in virtualservice not found in the gateway with ns", &virtualservice.GatewayAnalyzer{}, []string{"virtualservice_host_not_found_gateway_with_ns_prefix.yaml"}, nil},
	{"host defined in virtualservice not found in the gateway with ns(beta version)", &virtualservice.GatewayAnalyzer{}, []string{"virtualservice_host_not_found_gateway_with_ns_prefix_beta.yaml"}, nil},
	{"Route Rule no effect on Ingress", &virtualservice.DestinationHostAnalyzer{}, []string{"virtualservice_route_rule_no_effects_ingress.yaml"}, nil},
}

// analyzerCorpus are the corpus's other inputs, analysed as `splitsim lint` and `istioctl analyze` read
// them (the route suite's inputs without its registry: each file as it is, the Gateway API
// conformance manifests after their base.yaml).
func analyzerCorpus(t *testing.T) []analyzerRun {
	var out []analyzerRun
	for _, in := range routeInputs(t) {
		out = append(out, analyzerRun{files: in.files})
	}
	return out
}

// source is one input file's name and text.
type source struct {
	name string
	data []byte
}

// readSources reads the files of a run: testGrid files from testdata/analyzers/, corpus files with
// the Gateway API class placeholder substituted, as the route suite reads them.
func readSources(t *testing.T, run analyzerRun) []source {
	t.Helper()
	var out []source
	for _, f := range run.files {
		path := f
		if run.upstream != "" {
			path = filepath.Join("testdata", "analyzers", f)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(path, "../../")
		if run.upstream == "" {
			data = []byte(strings.ReplaceAll(string(data), gatewayClassPlaceholder, "istio"))
		}
		out = append(out, source{name, data})
	}
	return out
}

// inputKinds says what the inputs hold that decides which of splitsim's reference checks run: a
// Service or ServiceEntry (the destination host checks, else SPL012), a networking.istio.io Gateway (the
// gateway references), a Pod or workload (the Gateway selectors; lint/gatewayrefs.go
// gatewayReferences, mesh/workload.go workloadKinds).
type inputKinds struct{ services, istioGateways, workloads bool }

var workloadKinds = map[string]string{"Deployment": "apps", "StatefulSet": "apps", "ReplicaSet": "apps", "Pod": "", "Rollout": "argoproj.io"}

func kindsOf(t *testing.T, srcs []source) inputKinds {
	var k inputKinds
	for _, s := range srcs {
		for _, d := range parseDocuments(t, s.name, s.data) {
			switch {
			case d.APIGroup == "" && d.Kind == "Service", d.Kind == "ServiceEntry":
				k.services = true
			case d.APIGroup == "networking.istio.io" && d.Kind == "Gateway":
				k.istioGateways = true
			}
			if g, ok := workloadKinds[d.Kind]; ok && g == d.APIGroup {
				k.workloads = true
			}
		}
	}
	return k
}

// normResource writes "Kind name" (no namespace) as "Kind default/name": splitsim puts a resource
// without namespace in default, Istio's analyzer (run on all namespaces) leaves it empty.
func normResource(r string) string {
	kind, name, ok := strings.Cut(r, " ")
	if ok && !strings.Contains(name, "/") {
		return kind + " default/" + name
	}
	return r
}

// findings maps a finding's key and what ("CODE Kind ns/name [what]") to its messages.
type findings map[string][]string

var referenced = regexp.MustCompile(`^Referenced (.+?) not found: `)

func (f findings) add(code, resource, message string) {
	what := ""
	if m := referenced.FindStringSubmatch(message); code == "IST0101" && m != nil {
		what = m[1]
	}
	k := code + " " + normResource(resource)
	if what != "" {
		k += " [" + what + "]"
	}
	f[k] = append(f[k], message)
}

// pairOf is the "CODE Kind ns/name" of a findings key.
func pairOf(k string) string {
	p, _, _ := strings.Cut(k, " [")
	return p
}

// whatOf is the IST0101 kind of reference of a findings key ("" for other codes).
func whatOf(k string) string {
	_, w, _ := strings.Cut(k, " [")
	return strings.TrimSuffix(w, "]")
}

// analyzerOf names the Istio analyzer that reports a finding (the Metadata().Name of
// pkg/config/analysis/analyzers): IST0101 by what it did not find (virtualservice/destinationhosts.go
// "host", "mirror host", "host:port"; destinationrules.go "host+subset in destinationrule",
// "mirror+subset in destinationrule"; gateways.go "gateway"; a Gateway's "selector": gateway/gateway.go,
// secret.go and conflictinggateway.go), IST0109 conflictingmeshgatewayhosts.go, IST0106, IST0130 and
// IST0131 the schema validation analyzer of the resource's kind (schema/validation.go). The harness
// checks it against the analyzer Istio's result maps each message to (AnalysisResult.MappedMessages).
func analyzerOf(k string) string {
	code := k[:7]
	kind, _, _ := strings.Cut(k[8:], " ")
	switch code {
	case "IST0109":
		return "virtualservice.ConflictingMeshGatewayHostsAnalyzer"
	case "IST0106", "IST0130", "IST0131":
		return "schema.ValidationAnalyzer." + kind
	}
	switch w := whatOf(k); w {
	case "host", "mirror host", "host:port":
		return "virtualservice.DestinationHostAnalyzer"
	case "host+subset in destinationrule", "mirror+subset in destinationrule":
		return "virtualservice.DestinationRuleAnalyzer"
	case "gateway":
		return "virtualservice.GatewayAnalyzer"
	case "selector":
		return strings.ToLower(kind) + ".*"
	default:
		return "unknown (" + w + ")"
	}
}

// analyzerMatches says whether the classified analyzer a is name ("gateway.*" stands for the
// gateway analyzers that check selectors).
func analyzerMatches(a, name string) bool {
	if p, ok := strings.CutSuffix(a, "*"); ok {
		return strings.HasPrefix(name, p)
	}
	return a == name
}

// skipNotices are the checks splitsim's lint said it skipped: the destination hosts (SPL012), the
// gateway references and the Gateway selectors (SPL017).
type skipNotices struct{ hosts, gateways, selectors bool }

// skippedByDesign names the check splitsim leaves out by design for a finding of Istio, given what
// the inputs hold and what lint said it skipped, or "": the destination host checks when the inputs
// hold no Service and no ServiceEntry (SPL012 says so); the gateway references when they hold no
// networking.istio.io Gateway, and the Gateway selectors when they hold no Pod or workload
// (lint/gatewayrefs.go; SPL017 says so). A check skipped without its notice is counted as a miss.
func skippedByDesign(k string, in inputKinds, said skipNotices) string {
	switch w := whatOf(k); {
	case analyzerOf(k) == "virtualservice.DestinationHostAnalyzer" && !in.services && said.hosts:
		return "destination hosts (no Service or ServiceEntry in the inputs; SPL012)"
	case w == "gateway" && !in.istioGateways && said.gateways:
		return "gateway references (no networking.istio.io Gateway in the inputs; SPL017)"
	case w == "selector" && strings.HasPrefix(k[8:], "Gateway ") && !in.workloads && said.selectors:
		return "Gateway selectors (no Pod or workload in the inputs; SPL017)"
	}
	return ""
}

func inScope(code string) bool {
	for _, c := range analyzerCodes {
		if c == code {
			return true
		}
	}
	return false
}

// istioAnalyze runs analyzer on the sources offline, as analyzers_test.go's setupAnalyzerForCase does
// (local.NewSourceAnalyzer on all namespaces, the files with AddTestReaderKubeSource, then
// AddDefaultResources): AddTestReaderKubeSource keeps the Services, Namespaces and Pods of the files,
// which istioctl analyze's AddReaderKubeSource drops (they come from the cluster), and splitsim reads
// them; with the defaults added first (istioctl's order) the destination-host analyzer misses hosts the
// testGrid expects. It returns the findings and, for each, the analyzers that reported it.
func istioAnalyze(t *testing.T, analyzer analysis.Analyzer, srcs []source) (findings, map[string][]string) {
	t.Helper()
	combined, ok := analyzer.(analysis.CombinedAnalyzer)
	if !ok {
		combined = analysis.Combine("testCase", analyzer)
	}
	sa := local.NewSourceAnalyzer(combined, "", "istio-system", nil)
	var readers []local.ReaderSource
	for _, s := range srcs {
		readers = append(readers, local.ReaderSource{Name: s.name, Reader: bytes.NewReader(s.data)})
	}
	if err := sa.AddTestReaderKubeSource(readers); err != nil {
		t.Fatalf("istio: adding %v: %v", readers, err)
	}
	if err := sa.AddDefaultResources(); err != nil {
		t.Fatal(err)
	}
	res, err := sa.Analyze(make(chan struct{}))
	if err != nil {
		t.Fatalf("istio: analyze: %v", err)
	}
	out, by := findings{}, map[string][]string{}
	for _, name := range sortedMapKeys(res.MappedMessages) {
		for _, m := range res.MappedMessages[name] {
			if !inScope(m.Type.Code()) || m.Resource == nil {
				continue
			}
			f := findings{}
			msg := fmt.Sprintf(m.Type.Template(), m.Parameters...)
			f.add(m.Type.Code(), m.Resource.Origin.FriendlyName(), msg)
			for k := range f {
				if !slices.Contains(out[k], msg) {
					out[k] = append(out[k], msg)
				}
				if !slices.Contains(by[k], name) {
					by[k] = append(by[k], name)
				}
			}
		}
	}
	return out, by
}

// splitsimLint runs `splitsim lint` (mesh.Config.AddLenient per file, then lint.Check) on the
// sources; said is what it said it skipped (SPL012, SPL017).
func splitsimLint(t *testing.T, srcs []source) (out findings, said skipNotices) {
	t.Helper()
	var cfg mesh.Config
	var problems []*mesh.Error
	var names []string
	byName := map[string][]byte{}
	for _, s := range srcs {
		probs, err := cfg.AddLenient(s.name, s.data)
		if err != nil {
			t.Fatalf("splitsim: %s: %v", s.name, err)
		}
		problems = append(problems, probs...)
		names = append(names, s.name)
		byName[s.name] = s.data
	}
	read := func(name string) ([]byte, error) {
		if d, ok := byName[name]; ok {
			return d, nil
		}
		return nil, fmt.Errorf("%s: not an input", name)
	}
	res, err := lint.Check(lint.Input{Files: names, Config: &cfg, Problems: problems, ReadFile: read})
	if err != nil {
		t.Fatalf("splitsim lint %v: %v", names, err)
	}
	out = findings{}
	for _, f := range res.Findings {
		if inScope(f.Code) {
			out.add(f.Code, f.Resource, f.Message)
		}
		said.hosts = said.hosts || f.Code == "SPL012"
		said.gateways = said.gateways || f.Code == "SPL017" && strings.Contains(f.Message, "so the gateways the VirtualServices name")
		said.selectors = said.selectors || f.Code == "SPL017" && strings.Contains(f.Message, "so the selectors of the Gateways")
	}
	return out, said
}

// prTally counts findings as true positives (both report them), false positives (only splitsim)
// and false negatives (only Istio).
type prTally struct{ tp, fp, fn int }

func (p prTally) precision() float64 { return pct(p.tp, p.tp+p.fp) }
func (p prTally) recall() float64    { return pct(p.tp, p.tp+p.fn) }

// TestAnalyzerParity runs Istio's analyzers (analyzers.AllCombined, as istioctl analyze does) and
// splitsim's lint on Istio's own analyzer test files (istio pkg/config/analysis/analyzers/testdata,
// copied to testdata/analyzers/) and on the corpus (routeInputs), and compares the findings of
// IST0101, IST0106, IST0109, IST0130 and IST0131 by (code, resource, and for IST0101 what was not
// found): precision and recall of splitsim per code against Istio's full analysis, the message texts
// of the findings both report, and, per case of analyzers_test.go's testGrid, splitsim's findings of
// the analyzer the case runs against the case's expectations. Where the inputs hold no Service and no
// ServiceEntry, Istio's destination host findings are not compared: splitsim skips those checks by
// design and says so once (SPL012).
func TestAnalyzerParity(t *testing.T) {
	p := newAnalyzerParity()
	runs := append(append([]analyzerRun{}, testGrid...), analyzerCorpus(t)...)
	for _, run := range runs {
		p.addRun(t, run)
	}

	summary := p.summary(len(runs))
	report("2-analyzers", summary)
	t.Log("\n" + summary)

	checkFloor(t, "analyzer findings", p.pairAgreement(), floorAnalyzerPairs)
	checkFloor(t, "analyzer message text", p.textAgreement(), floorAnalyzerText)
	for _, c := range analyzerCodes {
		checkFloor(t, c+" precision (full analysis)", p.full[c].precision(), floorFull[c][0])
		checkFloor(t, c+" recall (full analysis)", p.full[c].recall(), floorFull[c][1])
		checkFloor(t, c+" precision (testGrid)", p.grid[c].precision(), floorGrid[c][0])
		checkFloor(t, c+" recall (testGrid)", p.grid[c].recall(), floorGrid[c][1])
	}
}

// analyzerParity is what TestAnalyzerParity counts and lists over its runs: precision and recall
// tallies per code (over the full analysis, over the runs that define Services, and over the testGrid
// cases' own analyzers), the message text comparison of the findings both report, and the lines of
// the summary's sections.
type analyzerParity struct {
	full, withSvc, grid map[string]*prTally

	missed, extra, textDiffs, textCauses, extended, gridMisses, harness []string
	skipped                                                             map[string][]string // why -> the run of each finding

	runsWithSvc                    int
	textSame, textPrefix, textBoth int
}

// newAnalyzerParity returns an analyzerParity with an empty tally for each of analyzerCodes.
func newAnalyzerParity() *analyzerParity {
	p := &analyzerParity{
		full:    map[string]*prTally{},
		withSvc: map[string]*prTally{},
		grid:    map[string]*prTally{},
		skipped: map[string][]string{},
	}
	for _, c := range analyzerCodes {
		p.full[c], p.withSvc[c], p.grid[c] = &prTally{}, &prTally{}, &prTally{}
	}
	return p
}

// addRun runs Istio's analyzers and splitsim's lint on one run's inputs and counts their findings:
// it checks that the harness attributes each of Istio's findings to the analyzer that reported it,
// compares the findings key by key (compareFinding), and for a testGrid case compares splitsim with
// the case's expectations (compareTestGrid).
func (p *analyzerParity) addRun(t *testing.T, run analyzerRun) {
	srcs := readSources(t, run)
	var names []string
	for _, s := range srcs {
		names = append(names, filepath.Base(s.name))
	}
	where := strings.Join(names, "+")
	is, by := istioAnalyze(t, analyzers.AllCombined(), srcs)
	ss, said := splitsimLint(t, srcs)
	conflicts := conflictMessages(is)
	// The text as istioctl analyze prints it: resources without a namespace in the files are in
	// the default namespace there (IstiodAnalyzer.addReaderKubeSourceInternal:
	// src.SetDefaultNamespace), as in splitsim; Istio's test setup, on all namespaces, leaves it
	// empty.
	asCLI := istioctlTexts(t, srcs)
	kinds := kindsOf(t, srcs)
	hasSvc := kinds.services
	if hasSvc {
		p.runsWithSvc++
	}
	for _, k := range sortedMapKeys(by) {
		for _, name := range by[k] {
			if !analyzerMatches(analyzerOf(k), name) {
				p.harness = append(p.harness, fmt.Sprintf("%s %s: reported by %s, the harness reads it as %s's", where, k, name, analyzerOf(k)))
			}
		}
	}
	for _, k := range sortedKeys(is, ss) {
		im, sm := is[k], ss[k]
		if why := skippedByDesign(k, kinds, said); im != nil && sm == nil && why != "" {
			p.skipped[why] = append(p.skipped[why], where)
			continue
		}
		p.compareFinding(where, k, im, sm, slices.Concat(im, conflicts[k], asCLI[k]), hasSvc)
	}
	if run.upstream != "" {
		p.gridMisses = append(p.gridMisses, compareTestGrid(t, run, srcs, ss, p.grid, &p.harness)...)
	}
}

// compareFinding counts one finding key k of the run where: Istio's messages im and splitsim's sm
// (either may be nil), istioTexts the texts Istio could give it (im, the IST0109 messages of
// conflictMessages and istioctl analyze's). A finding both report is a true positive whose message
// is compared (sameText); one only Istio reports a false negative, one only splitsim reports a false
// positive. The tallies counted are the full analysis' and, when the run defines Services (hasSvc),
// those of the runs with Services.
func (p *analyzerParity) compareFinding(where, k string, im, sm, istioTexts []string, hasSvc bool) {
	code := k[:7]
	tallies := []*prTally{p.full[code]}
	if hasSvc {
		tallies = append(tallies, p.withSvc[code])
	}
	switch {
	case im != nil && sm != nil:
		for _, x := range tallies {
			x.tp++
		}
		p.textBoth++
		exact, added := sameText(istioTexts, sm)
		switch {
		case exact:
			p.textSame++
		case added != "":
			p.textPrefix++
			p.extended = append(p.extended, fmt.Sprintf("%s %s: splitsim adds %q", where, k, oneLine(added)))
		default:
			p.textDiffs = append(p.textDiffs, fmt.Sprintf("%s %s: %s", where, k, textDiff(im[0], sm[0])))
			p.textCauses = append(p.textCauses, fmt.Sprintf("%s | %s %s", textCause(im[0], sm[0]), where, k))
		}
	case im != nil:
		for _, x := range tallies {
			x.fn++
		}
		p.missed = append(p.missed, fmt.Sprintf("%s %s: %s", where, k, oneLine(im[0])))
	default:
		for _, x := range tallies {
			x.fp++
		}
		p.extra = append(p.extra, fmt.Sprintf("%s %s: %s", where, k, oneLine(sm[0])))
	}
}

// all sums the full analysis' tallies over analyzerCodes.
func (p *analyzerParity) all() prTally {
	var all prTally
	for _, c := range analyzerCodes {
		f := p.full[c]
		all.tp, all.fp, all.fn = all.tp+f.tp, all.fp+f.fp, all.fn+f.fn
	}
	return all
}

// pairAgreement is the finding agreement over all codes: findings both report among those either
// reports.
func (p *analyzerParity) pairAgreement() float64 {
	all := p.all()
	return pct(all.tp, all.tp+all.fp+all.fn)
}

// textAgreement is the share of the findings both report whose message is Istio's, alone or with
// splitsim's explanation added.
func (p *analyzerParity) textAgreement() float64 {
	return pct(p.textSame+p.textPrefix, p.textBoth)
}

// summary renders section 2 of SUMMARY.md for nRuns runs (the testGrid cases first, then the
// corpus): the precision and recall table, the findings skipped by design, the agreement figures and
// the lists of differences. It sorts the lists it prints in place.
func (p *analyzerParity) summary(nRuns int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## 2. Analyzers (TestAnalyzerParity)\n\n")
	fmt.Fprintf(&b, "%d runs: the %d testGrid cases of analyzers_test.go on Istio's VirtualService analyzer testdata (testdata/analyzers/), and %d corpus inputs (the route suite's, without its registry); %d of the runs define Services or ServiceEntries. "+
		"Findings compared by (code, resource; for IST0101 also what was not found: host, gateway, subset, ...).\n\n", nRuns, len(testGrid), nRuns-len(testGrid), p.runsWithSvc)
	fmt.Fprintf(&b, "| code | both | Istio only | splitsim only | full analysis: precision | recall | runs defining Services: precision | recall | testGrid (case's analyzer): precision | recall |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, c := range analyzerCodes {
		f, w, u := p.full[c], p.withSvc[c], p.grid[c]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n", c, f.tp, f.fn, f.fp, f.precision(), f.recall(), w.precision(), w.recall(), u.precision(), u.recall())
	}
	all := p.all()
	fmt.Fprintf(&b, "| all | %d | %d | %d | %.1f%% | %.1f%% | | | | |\n\n", all.tp, all.fn, all.fp, all.precision(), all.recall())
	fmt.Fprintf(&b, "Skipped by design (IST0101 findings of Istio that splitsim's checks leave out when the inputs lack what they check against; not counted above):\n\n")
	writeSkipped(&b, p.skipped)
	b.WriteString("\n")
	fmt.Fprintf(&b, "Finding agreement (both / any): %.1f%%. Message text of the %d shared findings: identical %d, Istio's text followed by splitsim's explanation %d, different %d; agreement (identical or extended) %.1f%%. Istio's text is taken from either of two runs of its analyzers: as analyzers_test.go sets them up (all namespaces; a resource without a namespace keeps none), and as istioctl analyze reads files (such a resource in namespace default).\n",
		p.pairAgreement(), p.textBoth, p.textSame, p.textPrefix, p.textBoth-p.textSame-p.textPrefix, p.textAgreement())
	for _, l := range [][]string{p.missed, p.extra, p.textDiffs, p.extended, p.gridMisses, p.harness} {
		sort.Strings(l)
	}
	writeSection(&b, "Istio reports, splitsim does not: by cause", byCause(p.missed))
	writeSection(&b, "splitsim reports, Istio does not: by cause", byCause(p.extra))
	writeSection(&b, "testGrid: splitsim against the case's expectations, where they differ", p.gridMisses)
	writeSection(&b, "Both report, different message: by cause", countCauses(p.textCauses))
	writeSection(&b, "Istio reports, splitsim does not", p.missed)
	writeSection(&b, "splitsim reports, Istio does not", p.extra)
	writeSection(&b, "Both report, different message", p.textDiffs)
	writeSection(&b, "Both report, splitsim's message is Istio's with an explanation added", p.extended)
	writeSection(&b, "Harness checks (testGrid expectations Istio's analyzer does not meet here; findings the harness attributes to another analyzer than Istio does)", p.harness)
	return b.String()
}

// writeSkipped writes one line per reason a finding was skipped by design (why -> the run of each
// finding): how many, why, and how many in each run.
func writeSkipped(b *strings.Builder, skipped map[string][]string) {
	for _, why := range sortedMapKeys(skipped) {
		n := map[string]int{}
		for _, r := range skipped[why] {
			n[r]++
		}
		var by []string
		for _, r := range sortedMapKeys(n) {
			by = append(by, fmt.Sprintf("%s %d", r, n[r]))
		}
		fmt.Fprintf(b, "- %d × %s: %s\n", len(skipped[why]), why, strings.Join(by, ", "))
	}
}

// compareTestGrid compares, for one testGrid case, splitsim's findings that the case's analyzer would
// report (analyzerOf) with the case's expectations, as analyzers_test.go compares Istio's; it checks
// that Istio's analyzer alone, set up as setupAnalyzerForCase does, meets them here (harness).
func compareTestGrid(t *testing.T, run analyzerRun, srcs []source, ss findings, grid map[string]*prTally, harness *[]string) []string {
	name := run.analyzer.Metadata().Name
	want := map[string]bool{}
	for _, e := range run.expected {
		want[normResource(e)] = true
	}
	alone, _ := istioAnalyze(t, run.analyzer, srcs)
	istioGot := map[string]bool{}
	for k := range alone {
		istioGot[pairOf(k)] = true
	}
	for _, k := range sortedMapKeys(want) {
		if !istioGot[k] {
			*harness = append(*harness, fmt.Sprintf("%s: testGrid expects %s, %s does not report it", run.upstream, k, name))
		}
	}
	for _, k := range sortedMapKeys(istioGot) {
		if !want[k] {
			*harness = append(*harness, fmt.Sprintf("%s: %s reports %s, which the testGrid does not expect", run.upstream, name, k))
		}
	}
	got := map[string]bool{}
	for k := range ss {
		if analyzerMatches(analyzerOf(k), name) {
			got[pairOf(k)] = true
		}
	}
	var out []string
	for _, k := range sortedMapKeys(want) {
		if got[k] {
			grid[k[:7]].tp++
		} else {
			grid[k[:7]].fn++
			out = append(out, fmt.Sprintf("%s (%s): expected %s, splitsim does not report it", run.upstream, name, k))
		}
	}
	for _, k := range sortedMapKeys(got) {
		if !want[k] {
			grid[k[:7]].fp++
			out = append(out, fmt.Sprintf("%s (%s): splitsim reports %s, not expected", run.upstream, name, k))
		}
	}
	return out
}

// textCause says why two messages differ, where the harness knows the cause.
func textCause(istio, splitsim string) string {
	if s := strings.ReplaceAll(splitsim, "default/", ""); s == istio || strings.HasPrefix(s, istio+" (") {
		return "resources without a namespace in the file: Istio names them NAME, splitsim default/NAME (istioctl analyze's text was compared too and differs)"
	}
	return "other"
}

// countCauses counts "cause | example" lines by cause, with the first example.
func countCauses(lines []string) []string {
	n, ex := map[string]int{}, map[string]string{}
	for _, l := range lines {
		c, e, _ := strings.Cut(l, " | ")
		if n[c] == 0 {
			ex[c] = e
		}
		n[c]++
	}
	var out []string
	for _, c := range sortedMapKeys(n) {
		out = append(out, fmt.Sprintf("%d × %s — e.g. %s", n[c], c, ex[c]))
	}
	return out
}

// conflictMessages are, for each VirtualService, the IST0109 messages Istio could give it: its
// ConflictingMeshGatewayHostsAnalyzer reports one message per VirtualService, for the first of its
// conflicting hosts it meets while ranging over a map, so which one varies from run to run; any
// message of the run that names the VirtualService among the conflicting ones is one it could get.
func conflictMessages(is findings) map[string][]string {
	out := map[string][]string{}
	for k, msgs := range is {
		if k[:7] != "IST0109" {
			continue
		}
		for _, m := range msgs {
			list, ok := strings.CutPrefix(m, "The VirtualServices ")
			if !ok {
				continue
			}
			list, _, _ = strings.Cut(list, " ")
			for _, name := range strings.Split(list, ",") {
				key := "IST0109 " + normResource("VirtualService "+name)
				if !slices.Contains(out[key], m) {
					out[key] = append(out[key], m)
				}
			}
		}
	}
	return out
}

// sameText says whether one of splitsim's messages is one of Istio's (exact), or else returns what
// splitsim adds to one of Istio's messages when it starts with it, followed by " (" (added).
func sameText(istio, splitsim []string) (exact bool, added string) {
	for _, a := range istio {
		for _, b := range splitsim {
			if a == b {
				return true, ""
			}
			if rest, ok := strings.CutPrefix(b, a+" "); ok && strings.HasPrefix(rest, "(") && added == "" {
				added = rest
			}
		}
	}
	return false, added
}

var quoted = regexp.MustCompile(`"[^"]*"|#[0-9]+`)

// byCause groups "where key: message" lines by the message with its quoted values and numbers
// blanked, and gives one example of each.
func byCause(lines []string) []string {
	count := map[string]int{}
	example := map[string]string{}
	for _, l := range lines {
		_, msg, _ := strings.Cut(l, ": ")
		cause := quoted.ReplaceAllString(msg, "…")
		if len(cause) > 90 {
			cause = cause[:90] + "…"
		}
		if count[cause] == 0 {
			example[cause] = l
		}
		count[cause]++
	}
	var out []string
	for c, n := range count {
		out = append(out, fmt.Sprintf("%d × %s — e.g. %s", n, c, example[c]))
	}
	sort.Slice(out, func(i, j int) bool {
		return count[causeOf(out[i])] > count[causeOf(out[j])] || (count[causeOf(out[i])] == count[causeOf(out[j])] && out[i] < out[j])
	})
	return out
}

func causeOf(line string) string {
	_, rest, _ := strings.Cut(line, " × ")
	c, _, _ := strings.Cut(rest, " — e.g. ")
	return c
}

func sortedKeys(a, b findings) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []findings{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// textDiff shows where two messages part: the common prefix is cut to its last 30 characters.
func textDiff(istio, splitsim string) string {
	i := 0
	for i < len(istio) && i < len(splitsim) && istio[i] == splitsim[i] {
		i++
	}
	start := max(0, i-30)
	cut := func(s string) string {
		s = s[start:]
		if len(s) > 110 {
			s = s[:107] + "..."
		}
		if start > 0 {
			s = "..." + s
		}
		return oneLine(s)
	}
	return fmt.Sprintf("Istio %q; splitsim %q", cut(istio), cut(splitsim))
}

// istioctlTexts are Istio's messages for each finding when the files' resources without a namespace
// are put in "default", as istioctl analyze's file source does (IstiodAnalyzer.SetDefaultNamespace
// through addReaderKubeSourceInternal), with the IST0109 messages each VirtualService could get
// (conflictMessages).
func istioctlTexts(t *testing.T, srcs []source) map[string][]string {
	t.Helper()
	var defaulted []source
	for _, s := range srcs {
		defaulted = append(defaulted, source{s.name, withDefaultNamespace(t, s)})
	}
	is, _ := istioAnalyze(t, analyzers.AllCombined(), defaulted)
	out := map[string][]string{}
	for k, msgs := range is {
		out[k] = append(out[k], msgs...)
	}
	for k, msgs := range conflictMessages(is) {
		out[k] = append(out[k], msgs...)
	}
	return out
}

// withDefaultNamespace rewrites a file's documents so that each namespaced resource without
// metadata.namespace has namespace "default", as istioctl analyze reads them (withNamespace).
func withDefaultNamespace(t *testing.T, s source) []byte {
	t.Helper()
	docs := parseDocuments(t, s.name, s.data)
	for i, d := range docs {
		if d.Kind != "" {
			docs[i] = withNamespace(t, d)
		}
	}
	return []byte(joinDocuments(docs))
}
