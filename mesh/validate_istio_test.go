package mesh

import (
	"slices"
	"strings"
	"testing"

	networking "istio.io/api/networking/v1"
)

// istioCase is one case of Istio's validation tests (istioValidationCases).
type istioCase struct {
	fn, name string
	kind     string // "" for VirtualService
	ns       string // "" for default
	// nullAsEmpty marks an upstream case with a nil entry in a list or map, written {} here: istiod
	// decodes a YAML null entry into an empty message (golang/protobuf jsonpb), so the nil Istio's
	// test builds in Go is not something a file can hold. TestIstioValidationNilEntries has the nils.
	nullAsEmpty bool
	spec        string
	want        []string
}

// splitsimText maps the Istio messages whose text splitsim does not give yet to splitsim's.
var splitsimText = map[string]string{}

// The cases of Istio's validation tests (istioValidationCases) give, through AddLenient (what
// `splitsim lint` reports as IST0106), Istio's messages in Istio's order: the resource is left out
// with exactly these problems, or kept without any. Add (`splitsim run`) stops at the first.
func TestIstioValidationCases(t *testing.T) {
	for _, tc := range istioValidationCases {
		t.Run(tc.fn+"/"+tc.name, func(t *testing.T) {
			kind, ns := tc.kind, tc.ns
			if kind == "" {
				kind = "VirtualService"
			}
			if ns == "" {
				ns = "default"
			}
			doc := "apiVersion: networking.istio.io/v1\nkind: " + kind + "\nmetadata: {name: c, namespace: " + ns + "}\nspec:\n  " +
				strings.ReplaceAll(strings.TrimSuffix(tc.spec, "\n"), "\n", "\n  ") + "\n"
			c := &Config{}
			problems, err := c.AddLenient("istio.yaml", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			first := ""
			if len(problems) > 0 {
				first = problems[0].Msg
			}
			for _, p := range problems {
				got = append(got, p.Msg)
			}
			var want []string
			for _, w := range tc.want {
				if s, ok := splitsimText[w]; ok {
					w = s
				}
				want = append(want, w)
			}
			if !slices.Equal(got, want) {
				t.Errorf("problems\n  %s\nwant Istio's\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			kept := len(c.VirtualServices) + len(c.DestinationRules)
			if (kept == 1) != (len(want) == 0) {
				t.Errorf("%d resources kept with %d problems", kept, len(want))
			}
			err = (&Config{}).Add("istio.yaml", []byte(doc))
			switch {
			case len(want) == 0 && err != nil:
				t.Errorf("Add: %v", err)
			case len(want) > 0 && (err == nil || !strings.HasSuffix(err.Error(), ": "+first)):
				t.Errorf("Add: %v, want the first problem %q", err, first)
			}
		})
	}
}

// The upstream cases whose routes hold a nil match block or a nil header match, built as Istio's
// tests build them (virtualservice_test.go TestValidateRootHTTPRoute and TestValidateDelegateHTTPRoute,
// validation_test.go TestValidateHTTPRoute, "null header match" and "match with nil element"): a nil
// match block is skipped, a nil header match is "header match %v cannot be null" (validateHTTPRouteMatchRequest).
func TestIstioValidationNilEntries(t *testing.T) {
	foo := []*networking.HTTPRouteDestination{{Destination: &networking.Destination{Host: "foo.bar"}}}
	nilHeader := []*networking.HTTPMatchRequest{{Headers: map[string]*networking.StringMatch{"header": nil}}}
	for _, tc := range []struct {
		name     string
		delegate bool // the route in a delegate VirtualService (no hosts)
		route    *networking.HTTPRoute
		want     []string
	}{
		{"TestValidateRootHTTPRoute/null header match", false,
			&networking.HTTPRoute{Delegate: &networking.Delegate{Name: "test", Namespace: "test"}, Match: nilHeader},
			[]string{"header match header cannot be null"}},
		{"TestValidateDelegateHTTPRoute/null header match", true, &networking.HTTPRoute{Route: foo, Match: nilHeader},
			[]string{"header match header cannot be null"}},
		{"TestValidateHTTPRoute/null header match", false, &networking.HTTPRoute{Route: foo, Match: nilHeader},
			[]string{"header match header cannot be null"}},
		{"TestValidateDelegateHTTPRoute/match with nil element", true,
			&networking.HTTPRoute{Route: foo, Match: []*networking.HTTPMatchRequest{nil}}, nil},
		{"TestValidateHTTPRoute/match with nil element", false,
			&networking.HTTPRoute{Route: foo, Match: []*networking.HTTPMatchRequest{nil}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := &networking.VirtualService{Hosts: []string{"foo.bar"}, Http: []*networking.HTTPRoute{tc.route}}
			if tc.delegate {
				spec.Hosts = nil
			}
			vs := &VirtualService{Document: &Document{File: "x.yaml", Kind: "VirtualService", Name: "c", Namespace: "default"}, Spec: spec}
			var got []string
			for _, p := range validateVirtualService(vs) {
				got = append(got, p.Msg)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems %q, want Istio's %q", got, tc.want)
			}
		})
	}
}
