package istio

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/mesh"
	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pkg/config/schema/collections"
	"istio.io/istio/pkg/config/schema/resource"
	"sigs.k8s.io/yaml"
)

// verdict is one side's answer on one document.
type verdict struct {
	OK   bool
	Msgs []string
}

func (v verdict) String() string {
	if v.OK {
		return "accept"
	}
	return "reject: " + strings.Join(v.Msgs, " | ")
}

// istioValidate decodes a document as istiod reads a CRD (pilot/pkg/config/kube/crd ConvertObject) and
// runs the validation function registered for its kind (pkg/config/validation ValidateVirtualService,
// ValidateDestinationRule through schema.ValidateConfig), as the validating webhook does.
func istioValidate(d document) verdict {
	var obj crd.IstioKind
	if err := yaml.Unmarshal(d.Body, &obj); err != nil {
		return verdict{Msgs: []string{"decode: " + err.Error()}}
	}
	gvk := obj.GroupVersionKind()
	s, ok := collections.PilotGatewayAPI().FindByGroupVersionAliasesKind(resource.FromKubernetesGVK(&gvk))
	if !ok {
		return verdict{Msgs: []string{"unknown kind " + gvk.String()}}
	}
	cfg, err := crd.ConvertObject(s, &obj, "")
	if err != nil {
		return verdict{Msgs: []string{"decode: " + err.Error()}}
	}
	if _, err := s.ValidateConfig(*cfg); err != nil {
		return verdict{Msgs: []string{err.Error()}}
	}
	return verdict{OK: true}
}

// splitsimValidate runs splitsim's decoding and validation (mesh.Config.AddLenient, what `splitsim lint`
// uses): the document is rejected when it is left out with problems.
func splitsimValidate(d document) verdict {
	var c mesh.Config
	problems, err := c.AddLenient(filepath.Base(d.File), d.Body)
	if err != nil {
		return verdict{Msgs: []string{err.Error()}}
	}
	if len(problems) == 0 {
		return verdict{OK: true}
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.Msg)
	}
	return verdict{Msgs: msgs}
}

// textAgrees is true when one of splitsim's messages appears in Istio's error text (Istio joins several
// errors with "; " or a multierror list).
func textAgrees(istio, splitsim verdict) bool {
	all := strings.Join(istio.Msgs, "\n")
	for _, m := range splitsim.Msgs {
		if m != "" && strings.Contains(all, m) {
			return true
		}
	}
	return false
}

// TestValidationParity runs Istio's validation and splitsim's on the VirtualService and DestinationRule
// cases of istio pkg/config/validation/validation_test.go (TestValidateVirtualService,
// TestValidateHTTPRoute, TestValidateRouteDestination, TestValidateDestination,
// TestValidateDestinationRule) and virtualservice_test.go (TestValidateChainingVirtualService), ported to
// YAML in testdata/validation/, and reports accept/reject agreement and, where both reject, message
// agreement.
func TestValidationParity(t *testing.T) {
	p := validationParity{byKind: map[string]*validationTally{}, total: &validationTally{}}
	for _, r := range validationRows(t) {
		p.add(r)
	}

	verdictPct := pct(p.total.verdict, p.total.cases)
	textPct := pct(p.total.text, p.total.bothReject)
	summary := p.summary()
	report("1-validation", summary)
	t.Log("\n" + summary)

	checkFloor(t, "validation accept/reject", verdictPct, floorValidationVerdict)
	checkFloor(t, "validation message text", textPct, floorValidationText)
}

// validationRow is one ported case: where it is, the upstream test case it comes from and whether
// the upstream test expects it valid, and the verdicts of Istio and splitsim on it.
type validationRow struct {
	file, kind, name, upstream string
	upstreamValid              bool
	istio, splitsim            verdict
}

// validationRows reads the cases of testdata/validation/*.yaml, each document with its '# case:' and
// '# upstream-valid:' comments, and validates each with Istio and with splitsim.
func validationRows(t *testing.T) []validationRow {
	var rows []validationRow
	for _, f := range globFiles(t, "testdata/validation/*.yaml") {
		for _, d := range readDocuments(t, f) {
			r := validationRow{file: filepath.Base(f), kind: d.Kind, name: d.Name}
			for _, c := range d.Comments {
				if v, ok := strings.CutPrefix(c, "case: "); ok {
					r.upstream = v
				}
				if v, ok := strings.CutPrefix(c, "upstream-valid: "); ok {
					r.upstreamValid = v == "true"
				}
			}
			if r.upstream == "" {
				t.Fatalf("%s document %d: no '# case:' comment", f, d.Index)
			}
			r.istio = istioValidate(d)
			r.splitsim = splitsimValidate(d)
			rows = append(rows, r)
		}
	}
	return rows
}

// validationTally counts cases, those where Istio and splitsim agree to accept or reject, those both
// reject, and of those the ones where the messages agree (textAgrees).
type validationTally struct{ cases, verdict, bothReject, text int }

// validationParity is what TestValidationParity counts and lists: tallies per kind and in total, and
// the lines of the summary's sections.
type validationParity struct {
	byKind                             map[string]*validationTally
	total                              *validationTally
	verdictDiffs, textDiffs, artefacts []string
}

// add counts one case in its kind's tally and the total, and lists it where Istio's verdict differs
// from the upstream test's expectation, where Istio and splitsim disagree to accept or reject, or
// where both reject with messages that do not agree.
func (p *validationParity) add(r validationRow) {
	k := p.byKind[r.kind]
	if k == nil {
		k = &validationTally{}
		p.byKind[r.kind] = k
	}
	tallies := []*validationTally{k, p.total}
	for _, x := range tallies {
		x.cases++
	}
	if r.istio.OK != r.upstreamValid {
		p.artefacts = append(p.artefacts, fmt.Sprintf("%s %s (%s): upstream test expects valid=%v, Istio on the YAML: %s",
			r.file, r.name, r.upstream, r.upstreamValid, oneLine(r.istio.String())))
	}
	if r.istio.OK != r.splitsim.OK {
		p.verdictDiffs = append(p.verdictDiffs, fmt.Sprintf("%s %s (%s): Istio %s; splitsim %s",
			r.file, r.name, r.upstream, oneLine(r.istio.String()), oneLine(r.splitsim.String())))
		return
	}
	for _, x := range tallies {
		x.verdict++
	}
	if r.istio.OK {
		return
	}
	for _, x := range tallies {
		x.bothReject++
	}
	if textAgrees(r.istio, r.splitsim) {
		for _, x := range tallies {
			x.text++
		}
	} else {
		p.textDiffs = append(p.textDiffs, fmt.Sprintf("%s %s (%s): Istio %q; splitsim %q",
			r.file, r.name, r.upstream, oneLine(strings.Join(r.istio.Msgs, "; ")), oneLine(strings.Join(r.splitsim.Msgs, "; "))))
	}
}

// summary renders section 1 of SUMMARY.md: the agreement table per kind and in total, and the lists
// of disagreements and conversion artefacts.
func (p *validationParity) summary() string {
	total := p.total
	var b strings.Builder
	fmt.Fprintf(&b, "## 1. Validation (TestValidationParity)\n\n")
	fmt.Fprintf(&b, "%d cases ported from istio pkg/config/validation tests (testdata/validation/).\n\n", total.cases)
	fmt.Fprintf(&b, "| kind | cases | accept/reject agree | both reject | message agrees |\n| --- | --- | --- | --- | --- |\n")
	for _, kind := range []string{"VirtualService", "DestinationRule"} {
		if k := p.byKind[kind]; k != nil {
			fmt.Fprintf(&b, "| %s | %d | %d (%.1f%%) | %d | %d (%.1f%%) |\n", kind, k.cases, k.verdict, pct(k.verdict, k.cases),
				k.bothReject, k.text, pct(k.text, k.bothReject))
		}
	}
	fmt.Fprintf(&b, "| all | %d | %d (%.1f%%) | %d | %d (%.1f%%) |\n", total.cases, total.verdict, pct(total.verdict, total.cases),
		total.bothReject, total.text, pct(total.text, total.bothReject))
	writeSection(&b, "Accept/reject disagreements", p.verdictDiffs)
	writeSection(&b, "Both reject, different message", p.textDiffs)
	writeSection(&b, "Ported YAML where Istio's verdict differs from the upstream Go test (conversion artefacts)", p.artefacts)
	return b.String()
}

// writeSection writes a summary section: a "### title (count)" heading and one list item per line.
func writeSection(b *strings.Builder, title string, lines []string) {
	fmt.Fprintf(b, "\n### %s (%d)\n\n", title, len(lines))
	for _, l := range lines {
		fmt.Fprintf(b, "- %s\n", l)
	}
}
