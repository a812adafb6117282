package istio

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/lint"
	"github.com/splitsim/splitsim/mesh"
	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/local"
)

// analyzerCodes are the Istio analyzer codes splitsim's lint reports.
var analyzerCodes = []string{"IST0101", "IST0106", "IST0109", "IST0130", "IST0131"}

// analyzerRun is one set of files analysed together, with the messages of analyzerCodes that istio
// pkg/config/analysis/analyzers/analyzers_test.go (testGrid) expects from its analyzer on them.
type analyzerRun struct {
	upstream string // the testGrid case, "" when the file has no case of analyzerCodes
	files    []string
	expected []string // "CODE Kind ns/name"
}

var analyzerRuns = []analyzerRun{
	{"virtualServiceConflictingMeshGatewayHosts", []string{"virtualservice_conflictingmeshgatewayhosts.yaml"}, []string{
		"IST0109 VirtualService team3/ratings", "IST0109 VirtualService team4/ratings", "IST0109 VirtualService foo/ratings",
		"IST0109 VirtualService bar/ratings", "IST0109 VirtualService foo/productpage", "IST0109 VirtualService foo/bogus-productpage",
		"IST0109 VirtualService team2/ratings",
	}},
	{"virtualServiceConflictingMeshGatewayHostsWithExportTo", []string{"virtualservice_conflictingmeshgatewayhosts_with_exportto.yaml"}, []string{
		"IST0109 VirtualService foo/productpage", "IST0109 VirtualService bar/productpage", "IST0109 VirtualService foo/productpage-c",
		"IST0109 VirtualService bar/productpage-c", "IST0109 VirtualService foo/productpage-d", "IST0109 VirtualService bar/productpage-d",
	}},
	{"virtualServiceDestinationHosts", []string{"virtualservice_destinationhosts.yaml"}, []string{
		"IST0101 VirtualService default/reviews-bogushost", "IST0101 VirtualService default/reviews-bookinfo-other",
		"IST0101 VirtualService default/reviews-mirror-bogushost", "IST0101 VirtualService default/reviews-bogusport",
		"IST0101 VirtualService istio-system/cross-namespace-details", "IST0101 VirtualService hello/hello-export-to-bogus",
	}},
	{"virtualServiceDestinationRules", []string{"virtualservice_destinationrules.yaml"}, []string{
		"IST0101 VirtualService default/reviews-bogussubset", "IST0101 VirtualService default/reviews-mirror-bogussubset",
	}},
	{"virtualServiceGateways", []string{"virtualservice_gateways.yaml"}, []string{
		"IST0101 VirtualService default/httpbin-bogus",
	}},
	{"dupmatches", []string{"virtualservice_dupmatches.yaml", "virtualservice_overlappingmatches.yaml"}, []string{
		"IST0130 VirtualService default/duplicate-match", "IST0130 VirtualService foo/sample-foo-cluster01",
		"IST0131 VirtualService default/almost-duplicate-match", "IST0131 VirtualService default/duplicate-match",
		"IST0130 VirtualService default/duplicate-tcp-match", "IST0130 VirtualService default/duplicate-empty-tcp",
		"IST0131 VirtualService default/almost-duplicate-tcp-match", "IST0131 VirtualService default/duplicate-tcp-match",
		"IST0130 VirtualService none/tls-routing", "IST0131 VirtualService none/tls-routing-almostmatch",
		"IST0131 VirtualService none/tls-routing", "IST0131 VirtualService default/non-method-get",
		"IST0131 VirtualService default/overlapping-in-single-match", "IST0131 VirtualService default/overlapping-in-two-matches",
		"IST0131 VirtualService default/overlapping-mathes-with-different-methods",
	}},
	{"", []string{"virtualservice_host_not_found_gateway.yaml"}, nil},
	{"", []string{"virtualservice_host_not_found_gateway_beta.yaml"}, nil},
	{"", []string{"virtualservice_host_not_found_gateway_with_ns_prefix.yaml"}, nil},
	{"", []string{"virtualservice_host_not_found_gateway_with_ns_prefix_beta.yaml"}, nil},
	{"", []string{"virtualservice_internal_gateway_ref.yaml"}, nil},
	{"", []string{"virtualservice_jwtclaimroute.yaml"}, nil},
	{"", []string{"virtualservice_route_rule_no_effects_ingress.yaml"}, nil},
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

// findings maps "CODE Kind ns/name" to the messages reported for it.
type findings map[string][]string

func (f findings) add(code, resource, message string) {
	k := code + " " + normResource(resource)
	f[k] = append(f[k], message)
}

func inScope(code string) bool {
	for _, c := range analyzerCodes {
		if c == code {
			return true
		}
	}
	return false
}

// istioAnalyze runs every analyzer of istioctl analyze (analyzers.AllCombined) on the files, offline, as
// `istioctl analyze -A FILES` does (istioctl/pkg/analyze/analyze.go): default resources, then the files
// as a reader source, all namespaces. Two differences, both as analyzers_test.go's setupAnalyzerForCase: the files are added with AddTestReaderKubeSource,
// as analyzers_test.go does, which keeps their Services, Namespaces and Pods; istioctl's
// AddReaderKubeSource drops those kinds from files (they come from the cluster), and splitsim reads them.
func istioAnalyze(t *testing.T, paths []string) findings {
	t.Helper()
	sa := local.NewSourceAnalyzer(analyzers.AllCombined(), "", "istio-system", nil)
	var readers []local.ReaderSource
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		readers = append(readers, local.ReaderSource{Name: p, Reader: f})
	}
	if err := sa.AddTestReaderKubeSource(readers); err != nil {
		t.Fatalf("istio: adding %v: %v", paths, err)
	}
	// After the files, as analyzers_test.go's setupAnalyzerForCase does: with the defaults added first
	// (istioctl's order) the destination-host analyzer misses hosts the testGrid expects.
	if err := sa.AddDefaultResources(); err != nil {
		t.Fatal(err)
	}
	res, err := sa.Analyze(make(chan struct{}))
	if err != nil {
		t.Fatalf("istio: analyze %v: %v", paths, err)
	}
	out := findings{}
	for _, m := range res.Messages {
		if !inScope(m.Type.Code()) || m.Resource == nil {
			continue
		}
		out.add(m.Type.Code(), m.Resource.Origin.FriendlyName(), fmt.Sprintf(m.Type.Template(), m.Parameters...))
	}
	return out
}

// splitsimLint runs `splitsim lint` (mesh.Config.AddLenient, then lint.Check) on the files.
func splitsimLint(t *testing.T, paths []string) findings {
	t.Helper()
	var cfg mesh.Config
	var problems []*mesh.Error
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		probs, err := cfg.AddLenient(p, data)
		if err != nil {
			t.Fatalf("splitsim: %s: %v", p, err)
		}
		problems = append(problems, probs...)
	}
	res, err := lint.Check(lint.Input{Files: paths, Config: &cfg, Problems: problems})
	if err != nil {
		t.Fatalf("splitsim lint %v: %v", paths, err)
	}
	out := findings{}
	for _, f := range res.Findings {
		if inScope(f.Code) {
			out.add(f.Code, f.Resource, f.Message)
		}
	}
	return out
}

type prTally struct{ tp, fp, fn int }

func (p prTally) precision() float64 { return pct(p.tp, p.tp+p.fp) }
func (p prTally) recall() float64    { return pct(p.tp, p.tp+p.fn) }

// TestAnalyzerParity runs Istio's analyzers (analyzers.AllCombined, as istioctl analyze does) and
// splitsim's lint on Istio's own analyzer test files (istio pkg/config/analysis/analyzers/testdata,
// copied to testdata/analyzers/) and compares the (code, resource) pairs of IST0101, IST0106, IST0109,
// IST0130 and IST0131: precision and recall of splitsim per code against Istio, the message texts of the
// pairs both report, and splitsim against the expectations of analyzers_test.go's testGrid.
func TestAnalyzerParity(t *testing.T) {
	byCode := map[string]*prTally{}
	vsUpstream := map[string]*prTally{}
	for _, c := range analyzerCodes {
		byCode[c], vsUpstream[c] = &prTally{}, &prTally{}
	}
	var missed, extra, textDiffs, istioVsUpstream []string
	var extended []string
	textSame, textPrefix, textBoth := 0, 0, 0
	for _, run := range analyzerRuns {
		var paths []string
		for _, f := range run.files {
			paths = append(paths, filepath.Join("testdata", "analyzers", f))
		}
		where := strings.Join(run.files, "+")
		is, ss := istioAnalyze(t, paths), splitsimLint(t, paths)
		for _, k := range sortedKeys(is, ss) {
			code := k[:7]
			im, sm := is[k], ss[k]
			switch {
			case im != nil && sm != nil:
				byCode[code].tp++
				textBoth++
				exact, added := sameText(im, sm)
				switch {
				case exact:
					textSame++
				case added != "":
					textPrefix++
					extended = append(extended, fmt.Sprintf("%s %s: splitsim adds %q", where, k, oneLine(added)))
				default:
					textDiffs = append(textDiffs, fmt.Sprintf("%s %s: %s", where, k, textDiff(im[0], sm[0])))
				}
			case im != nil:
				byCode[code].fn++
				missed = append(missed, fmt.Sprintf("%s %s: %s", where, k, oneLine(im[0])))
			default:
				byCode[code].fp++
				extra = append(extra, fmt.Sprintf("%s %s: %s", where, k, oneLine(sm[0])))
			}
		}
		if run.upstream == "" {
			continue
		}
		want := map[string]bool{}
		codes := map[string]bool{}
		for _, e := range run.expected {
			want[e] = true
			codes[e[:7]] = true
		}
		for k := range want {
			if is[k] == nil {
				istioVsUpstream = append(istioVsUpstream, fmt.Sprintf("%s: testGrid expects %s, the analyzers do not report it", run.upstream, k))
			}
			if ss[k] != nil {
				vsUpstream[k[:7]].tp++
			} else {
				vsUpstream[k[:7]].fn++
			}
		}
		for k := range ss {
			if codes[k[:7]] && !want[k] {
				vsUpstream[k[:7]].fp++
			}
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "## 2. Analyzers (TestAnalyzerParity)\n\n")
	fmt.Fprintf(&b, "%d runs over Istio's analyzer testdata (testdata/analyzers/); pairs (code, resource).\n\n", len(analyzerRuns))
	fmt.Fprintf(&b, "| code | both | Istio only | splitsim only | precision | recall | vs testGrid: precision | recall |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	var all prTally
	for _, c := range analyzerCodes {
		p, u := byCode[c], vsUpstream[c]
		all.tp, all.fp, all.fn = all.tp+p.tp, all.fp+p.fp, all.fn+p.fn
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n", c, p.tp, p.fn, p.fp, p.precision(), p.recall(), u.precision(), u.recall())
	}
	pairAgreement := pct(all.tp, all.tp+all.fp+all.fn)
	textPct := pct(textSame+textPrefix, textBoth)
	fmt.Fprintf(&b, "| all | %d | %d | %d | %.1f%% | %.1f%% | | |\n\n", all.tp, all.fn, all.fp, all.precision(), all.recall())
	fmt.Fprintf(&b, "Pair agreement (both / any): %.1f%%. Message text of the %d shared pairs: identical %d, Istio's text followed by splitsim's explanation %d, different %d; agreement (identical or extended) %.1f%%.\n",
		pairAgreement, textBoth, textSame, textPrefix, textBoth-textSame-textPrefix, textPct)
	section := func(title string, lines []string) {
		fmt.Fprintf(&b, "\n### %s (%d)\n\n", title, len(lines))
		for _, l := range lines {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range [][]string{missed, extra, textDiffs, extended, istioVsUpstream} {
		sort.Strings(l)
	}
	section("Istio reports, splitsim does not: by cause", byCause(missed))
	section("splitsim reports, Istio does not: by cause", byCause(extra))
	section("Istio reports, splitsim does not", missed)
	section("splitsim reports, Istio does not", extra)
	section("Both report, different message", textDiffs)
	section("Both report, splitsim's message is Istio's with an explanation added", extended)
	section("testGrid expectations the analyzers do not meet here (harness check)", istioVsUpstream)
	report("2-analyzers", b.String())
	t.Log("\n" + b.String())

	checkFloor(t, "analyzer pairs", pairAgreement, floorAnalyzerPairs)
	checkFloor(t, "analyzer message text", textPct, floorAnalyzerText)
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
