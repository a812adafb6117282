package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
)

// istioDir holds Istio's analyzer test data (istio/istio pkg/config/analysis/analyzers/testdata), see
// its README.md.
const istioDir = "testdata/istio-analyzers"

// istioCodes are the Istio codes whose semantics lint follows exactly; the tests below measure them.
var istioCodes = []string{"IST0101", "IST0106", "IST0109", "IST0112", "IST0130", "IST0131"}

// lintFiles runs lint over files of istioDir, each read with AddLenient as `splitsim lint` does.
func lintFiles(t *testing.T, files ...string) (*result.Lint, *mesh.Config) {
	t.Helper()
	c := &mesh.Config{}
	var problems []*mesh.Error
	var paths []string
	for _, f := range files {
		p := filepath.Join(istioDir, f)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := c.AddLenient(p, data)
		if err != nil {
			t.Fatal(err)
		}
		problems = append(problems, ps...)
		paths = append(paths, p)
	}
	out, err := Check(Input{Files: paths, Config: c, Problems: problems})
	if err != nil {
		t.Fatal(err)
	}
	return out, c
}

// istioMessage is one message of Istio's analyzers: the code and the resource as istioctl names it
// ("Kind namespace/name", or "Kind name" for a resource without namespace, which splitsim reads in
// namespace default), and the text when known.
type istioMessage struct {
	code, resource, text string
}

// key is the (code, resource) pair compared, with Istio's namespace-less resources in default.
func (m istioMessage) key() string {
	kind, name, _ := strings.Cut(m.resource, " ")
	if !strings.Contains(name, "/") {
		name = "default/" + name
	}
	return m.code + " " + kind + " " + name
}

// score counts, per code, the messages both sides have (as a multiset of code and resource), the
// ones only Istio has and the ones only lint has.
type score struct{ both, missed, extra map[string]int }

func newScore() *score {
	return &score{both: map[string]int{}, missed: map[string]int{}, extra: map[string]int{}}
}

// add compares one case, returning what Istio reports that lint does not and the reverse.
func (s *score) add(want, got []istioMessage) (missed, extra []string) {
	left := map[string]int{}
	for _, g := range got {
		left[g.key()]++
	}
	for _, w := range want {
		if left[w.key()] > 0 {
			left[w.key()]--
			s.both[w.code]++
			continue
		}
		s.missed[w.code]++
		missed = append(missed, w.key())
	}
	for _, g := range got {
		if left[g.key()] > 0 {
			left[g.key()]--
			s.extra[g.code]++
			extra = append(extra, g.key())
		}
	}
	return missed, extra
}

// check reports precision and recall per code and fails below min.
func (s *score) check(t *testing.T, min float64) {
	t.Helper()
	for _, code := range istioCodes {
		both, missed, extra := s.both[code], s.missed[code], s.extra[code]
		if both+missed+extra == 0 {
			continue
		}
		recall, precision := ratio(both, both+missed), ratio(both, both+extra)
		t.Logf("%s: recall %d/%d = %.2f, precision %d/%d = %.2f", code, both, both+missed, recall, both, both+extra, precision)
		if recall < min || precision < min {
			t.Errorf("%s: recall %.2f, precision %.2f; want both at least %.2f", code, recall, precision, min)
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// lintMessages are the findings of lint with the given codes, as istioMessages.
func lintMessages(r *result.Lint, keep func(result.Finding) bool) []istioMessage {
	var out []istioMessage
	for _, f := range r.Findings {
		if keep(f) {
			out = append(out, istioMessage{f.Code, f.Resource, f.Message})
		}
	}
	return out
}

// analyzer tells which Istio analyzer reports a finding of lint, so that a case of Istio's test, which
// runs one analyzer, is compared with that analyzer's part of lint only.
func analyzer(f result.Finding) string {
	switch {
	case f.Code == "IST0109":
		return "ConflictingMeshGatewayHostsAnalyzer"
	case f.Code == "IST0106" || f.Code == "IST0130" || f.Code == "IST0131":
		return "ValidationAnalyzer"
	case f.Code == "IST0112":
		return "DestinationHostAnalyzer"
	case f.Code == "IST0101" && strings.Contains(f.Message, "+subset in destinationrule not found"):
		return "DestinationRuleAnalyzer"
	case f.Code == "IST0101":
		return "DestinationHostAnalyzer"
	}
	return ""
}

// The cases of Istio's analyzer test that run the analyzers lint follows (istio/istio
// pkg/config/analysis/analyzers/analyzers_test.go, testGrid: virtualServiceConflictingMeshGatewayHosts,
// virtualServiceConflictingMeshGatewayHostsWithExportTo, virtualServiceDestinationHosts,
// virtualServiceDestinationRules, dupmatches, "Route Rule no effect on Ingress"), with their expected
// messages as written there (IST0140 IngressRouteRulesNotAffected, which lint does not report, left
// out). Each case runs one analyzer, so lint's findings are compared with that analyzer's part.
// Recall and precision per code must be at least 0.95.
func TestIstioAnalyzerCases(t *testing.T) {
	s := newScore()
	for _, tc := range []struct {
		name     string
		files    []string
		analyzer string
		want     []istioMessage
	}{
		{"virtualServiceConflictingMeshGatewayHosts", []string{"virtualservice_conflictingmeshgatewayhosts.yaml"}, "ConflictingMeshGatewayHostsAnalyzer", []istioMessage{
			{code: "IST0109", resource: "VirtualService team3/ratings"},
			{code: "IST0109", resource: "VirtualService team4/ratings"},
			{code: "IST0109", resource: "VirtualService foo/ratings"},
			{code: "IST0109", resource: "VirtualService bar/ratings"},
			{code: "IST0109", resource: "VirtualService foo/productpage"},
			{code: "IST0109", resource: "VirtualService foo/bogus-productpage"},
			{code: "IST0109", resource: "VirtualService team2/ratings"},
		}},
		{"virtualServiceConflictingMeshGatewayHostsWithExportTo", []string{"virtualservice_conflictingmeshgatewayhosts_with_exportto.yaml"}, "ConflictingMeshGatewayHostsAnalyzer", []istioMessage{
			{code: "IST0109", resource: "VirtualService foo/productpage"},
			{code: "IST0109", resource: "VirtualService bar/productpage"},
			{code: "IST0109", resource: "VirtualService foo/productpage-c"},
			{code: "IST0109", resource: "VirtualService bar/productpage-c"},
			{code: "IST0109", resource: "VirtualService foo/productpage-d"},
			{code: "IST0109", resource: "VirtualService bar/productpage-d"},
		}},
		{"virtualServiceDestinationHosts", []string{"virtualservice_destinationhosts.yaml"}, "DestinationHostAnalyzer", []istioMessage{
			{code: "IST0101", resource: "VirtualService default/reviews-bogushost"},
			{code: "IST0101", resource: "VirtualService default/reviews-bogushost"},
			{code: "IST0101", resource: "VirtualService default/reviews-bookinfo-other"},
			{code: "IST0101", resource: "VirtualService default/reviews-mirror-bogushost"},
			{code: "IST0101", resource: "VirtualService default/reviews-bogusport"},
			{code: "IST0112", resource: "VirtualService default/reviews-2port-missing"},
			{code: "IST0101", resource: "VirtualService istio-system/cross-namespace-details"},
			{code: "IST0101", resource: "VirtualService hello/hello-export-to-bogus"},
		}},
		{"virtualServiceDestinationRules", []string{"virtualservice_destinationrules.yaml"}, "DestinationRuleAnalyzer", []istioMessage{
			{code: "IST0101", resource: "VirtualService default/reviews-bogussubset"},
			{code: "IST0101", resource: "VirtualService default/reviews-mirror-bogussubset"},
		}},
		{"dupmatches", []string{"virtualservice_dupmatches.yaml", "virtualservice_overlappingmatches.yaml"}, "ValidationAnalyzer", []istioMessage{
			{code: "IST0130", resource: "VirtualService duplicate-match"},
			{code: "IST0130", resource: "VirtualService foo/sample-foo-cluster01"},
			{code: "IST0131", resource: "VirtualService almost-duplicate-match"},
			{code: "IST0131", resource: "VirtualService duplicate-match"},
			{code: "IST0130", resource: "VirtualService duplicate-tcp-match"},
			{code: "IST0130", resource: "VirtualService duplicate-empty-tcp"},
			{code: "IST0131", resource: "VirtualService almost-duplicate-tcp-match"},
			{code: "IST0131", resource: "VirtualService duplicate-tcp-match"},
			{code: "IST0130", resource: "VirtualService none/tls-routing"},
			{code: "IST0131", resource: "VirtualService none/tls-routing-almostmatch"},
			{code: "IST0131", resource: "VirtualService none/tls-routing"},
			{code: "IST0131", resource: "VirtualService non-method-get"},
			{code: "IST0131", resource: "VirtualService overlapping-in-single-match"},
			{code: "IST0131", resource: "VirtualService overlapping-in-two-matches"},
			{code: "IST0131", resource: "VirtualService overlapping-mathes-with-different-methods"},
		}},
		{"Route Rule no effect on Ingress", []string{"virtualservice_route_rule_no_effects_ingress.yaml"}, "DestinationHostAnalyzer", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := lintFiles(t, tc.files...)
			got := lintMessages(r, func(f result.Finding) bool { return analyzer(f) == tc.analyzer })
			if missed, extra := s.add(tc.want, got); len(missed)+len(extra) > 0 {
				t.Errorf("lint misses %q and adds %q", missed, extra)
			}
		})
	}
	s.check(t, 0.95)
}

// expectedMessage is one line of testdata/istio-analyzers/expected.tsv.
type expectedMessage struct {
	istioMessage
	file string
	line int
}

func readExpected(t *testing.T) []expectedMessage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(istioDir, "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []expectedMessage
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 5 {
			t.Fatalf("expected.tsv: bad line %q", l)
		}
		var line int
		fmt.Sscan(f[3], &line)
		out = append(out, expectedMessage{istioMessage{f[1], f[2], f[4]}, f[0], line})
	}
	return out
}

// holdsIstioGateway says whether a test data file holds a networking.istio.io Gateway (valid or not).
func holdsIstioGateway(t *testing.T, file string) bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(istioDir, file))
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range strings.Split(string(data), "\n---") {
		if strings.Contains(doc, "networking.istio.io/") && strings.Contains(doc, "kind: Gateway\n") {
			return true
		}
	}
	return false
}

// hostCheck says whether an IST0101 text is one of the host existence checks that lint skips when the
// inputs hold no Service and no ServiceEntry (it says so once, SPL012).
func hostCheck(text string) bool {
	return strings.HasPrefix(text, "Referenced host not found: ") || strings.HasPrefix(text, "Referenced mirror host not found: ") ||
		strings.HasPrefix(text, "Referenced host:port not found: ")
}

// Every file of Istio's analyzer test data that holds a VirtualService or DestinationRule, linted alone
// and compared with what Istio's analyzers report on it (expected.tsv, written by gen/main.go:
// DestinationHostAnalyzer, DestinationRuleAnalyzer, ConflictingMeshGatewayHostsAnalyzer,
// GatewayAnalyzer (its gateway references) and the schema ValidationAnalyzer of VirtualService and
// DestinationRule, istio/istio
// pkg/config/analysis/analyzers). Where the file holds no Service and no ServiceEntry, lint skips the
// host checks by design and says so once (SPL012) instead of Istio's "Referenced host not found" per
// destination. The (code, resource) pairs must agree with recall and precision at least 0.95 per code,
// and lint's message must be Istio's text, possibly followed by splitsim's explanation in parentheses.
func TestIstioAnalyzersOnTheirTestData(t *testing.T) {
	expected := readExpected(t)
	var files []string
	for _, e := range expected {
		if !slices.Contains(files, e.file) {
			files = append(files, e.file)
		}
	}
	all, err := filepath.Glob(filepath.Join(istioDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if f := filepath.Base(p); !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	s := newScore()
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			r, c := lintFiles(t, file)
			skipped := len(c.Services) == 0 && len(c.ServiceEntries) == 0
			var want []istioMessage
			hostChecks := 0
			for _, e := range expected {
				if e.file != file || !slices.Contains(istioCodes, e.code) {
					continue
				}
				if skipped && e.code == "IST0101" && hostCheck(e.text) {
					hostChecks++
					continue
				}
				if !holdsIstioGateway(t, file) && e.code == "IST0101" && strings.HasPrefix(e.text, "Referenced gateway not found: ") {
					// Without any Gateway in the inputs, lint does not check gateway references
					// (lint/gatewayrefs.go), as it skips host checks without Services.
					continue
				}
				want = append(want, e.istioMessage)
			}
			if n := len(findings(r, "SPL012")); n != min(hostChecks, 1) {
				t.Errorf("%d SPL012 findings; want one exactly when the file holds no Service and no ServiceEntry but destinations (Istio reports %d hosts)", n, hostChecks)
			}
			got := lintMessages(r, func(f result.Finding) bool { return slices.Contains(istioCodes, f.Code) })
			missed, extra := s.add(want, got)
			if len(missed)+len(extra) > 0 {
				t.Errorf("lint misses %q and adds %q", missed, extra)
			}
			texts(t, want, got)
		})
	}
	s.check(t, 0.95)
}

// texts checks that each expected message of a namespaced resource (the names in Istio's texts of
// resources without namespace lack lint's "default/") has a finding of lint with Istio's text, alone
// or followed by " (" and splitsim's explanation. Istio reports a VirtualService with several host
// conflicts (IST0109) once, with the conflict its map iteration meets first: any of the file's IST0109
// texts that names the VirtualService will do.
func texts(t *testing.T, want, got []istioMessage) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		if w.text == "" || !strings.Contains(w.resource, "/") {
			continue
		}
		accept := []string{w.text}
		if w.code == "IST0109" {
			_, name, _ := strings.Cut(w.resource, " ")
			for _, o := range want {
				if o.code == "IST0109" && slices.Contains(strings.Split(strings.Fields(o.text)[2], ","), name) {
					accept = append(accept, o.text)
				}
			}
		}
		found := false
		for i, g := range got {
			if used[i] || g.key() != w.key() {
				continue
			}
			for _, a := range accept {
				if g.text == a || strings.HasPrefix(g.text, a+" (") {
					used[i], found = true, true
				}
			}
			if found {
				break
			}
		}
		if !found {
			t.Errorf("no finding of %s with Istio's text %q", w.key(), w.text)
		}
	}
}

// Istio's analyzers look at every resource istioctl analyze can read, also at one its validation
// rejects (istio pkg/config/analysis/local/istiod_analyze.go puts every decoded resource in the
// analysis context; analyzers/schema/validation.go is one analyzer among the others), and its file
// source drops unknown fields (an unknown field is SPL007 in lint, as the API server rejects it). A
// spec with a field of the wrong type is not read at all.
func TestAnalysersSeeWhatValidationRejects(t *testing.T) {
	vs := func(name, spec string) string {
		return "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: " + name + "}\nspec:\n" + spec
	}
	for _, tc := range []struct {
		name string
		docs string
		want []string // code: message prefix, in order
	}{
		{"invalid weight", vs("a", "  hosts: [reviews]\n  http:\n  - route: [{destination: {host: reviews, subset: v9}, weight: -5}]\n") + dr + svc, []string{
			`IST0101: Referenced host+subset in destinationrule not found: "reviews+v9"`,
			"IST0106: Schema validation error: weight -5 < 0",
		}},
		{"invalid VirtualService conflicts", vs("a", "  hosts: [reviews]\n  http:\n  - route: [{destination: {host: reviews}, weight: -5}]\n") + vs("b", "  hosts: [reviews]\n  http:\n  - route: [{destination: {host: reviews}}]\n") + svc, []string{
			"IST0109: The VirtualServices default/a,default/b associated with mesh gateway define the same host */reviews.default.svc.cluster.local",
			"IST0106: Schema validation error: weight -5 < 0",
			"IST0109: The VirtualServices default/a,default/b",
		}},
		{"unknown field", vs("a", "  hosts: [reviews]\n  htp: []\n  tcp:\n  - route: [{destination: {host: reviews, subset: v9}}]\n  - route: [{destination: {host: reviews}}]\n") + dr + svc, []string{
			`SPL007: unknown field "htp"`,
			`IST0101: Referenced host+subset in destinationrule not found: "reviews+v9"`,
			"IST0130: VirtualService rule #1 not used (only the last rule can have no matches).",
		}},
		{"wrong type", vs("a", "  hosts: [reviews]\n  http:\n  - route: [{destination: {host: reviews, subset: v9}, weight: heavy}]\n") + dr, []string{
			"SPL007: ",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lintYAML(t, tc.docs)
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Code+": "+f.Message)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("findings %q, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("finding %d is %q, want it to start with %q", i, got[i], w)
				}
			}
		})
	}
}
