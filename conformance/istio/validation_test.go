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
	type row struct {
		file, kind, name, upstream string
		upstreamValid              bool
		istio, splitsim            verdict
	}
	var rows []row
	for _, f := range globFiles(t, "testdata/validation/*.yaml") {
		for _, d := range readDocuments(t, f) {
			r := row{file: filepath.Base(f), kind: d.Kind, name: d.Name}
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

	type tally struct{ cases, verdict, bothReject, text int }
	byKind := map[string]*tally{}
	total := &tally{}
	var verdictDiffs, textDiffs, artefacts []string
	for _, r := range rows {
		k := byKind[r.kind]
		if k == nil {
			k = &tally{}
			byKind[r.kind] = k
		}
		for _, x := range []*tally{k, total} {
			x.cases++
		}
		if r.istio.OK != r.upstreamValid {
			artefacts = append(artefacts, fmt.Sprintf("%s %s (%s): upstream test expects valid=%v, Istio on the YAML: %s",
				r.file, r.name, r.upstream, r.upstreamValid, oneLine(r.istio.String())))
		}
		if r.istio.OK != r.splitsim.OK {
			verdictDiffs = append(verdictDiffs, fmt.Sprintf("%s %s (%s): Istio %s; splitsim %s",
				r.file, r.name, r.upstream, oneLine(r.istio.String()), oneLine(r.splitsim.String())))
			continue
		}
		for _, x := range []*tally{k, total} {
			x.verdict++
		}
		if !r.istio.OK {
			for _, x := range []*tally{k, total} {
				x.bothReject++
			}
			if textAgrees(r.istio, r.splitsim) {
				for _, x := range []*tally{k, total} {
					x.text++
				}
			} else {
				textDiffs = append(textDiffs, fmt.Sprintf("%s %s (%s): Istio %q; splitsim %q",
					r.file, r.name, r.upstream, oneLine(strings.Join(r.istio.Msgs, "; ")), oneLine(strings.Join(r.splitsim.Msgs, "; "))))
			}
		}
	}

	verdictPct := pct(total.verdict, total.cases)
	textPct := pct(total.text, total.bothReject)
	var b strings.Builder
	fmt.Fprintf(&b, "## 1. Validation (TestValidationParity)\n\n")
	fmt.Fprintf(&b, "%d cases ported from istio pkg/config/validation tests (testdata/validation/).\n\n", total.cases)
	fmt.Fprintf(&b, "| kind | cases | accept/reject agree | both reject | message agrees |\n| --- | --- | --- | --- | --- |\n")
	for _, kind := range []string{"VirtualService", "DestinationRule"} {
		if k := byKind[kind]; k != nil {
			fmt.Fprintf(&b, "| %s | %d | %d (%.1f%%) | %d | %d (%.1f%%) |\n", kind, k.cases, k.verdict, pct(k.verdict, k.cases),
				k.bothReject, k.text, pct(k.text, k.bothReject))
		}
	}
	fmt.Fprintf(&b, "| all | %d | %d (%.1f%%) | %d | %d (%.1f%%) |\n", total.cases, total.verdict, verdictPct, total.bothReject, total.text, textPct)
	section := func(title string, lines []string) {
		fmt.Fprintf(&b, "\n### %s (%d)\n\n", title, len(lines))
		for _, l := range lines {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	section("Accept/reject disagreements", verdictDiffs)
	section("Both reject, different message", textDiffs)
	section("Ported YAML where Istio's verdict differs from the upstream Go test (conversion artefacts)", artefacts)
	report("1-validation", b.String())
	t.Log("\n" + b.String())

	checkFloor(t, "validation accept/reject", verdictPct, floorValidationVerdict)
	checkFloor(t, "validation message text", textPct, floorValidationText)
}
