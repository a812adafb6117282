package mesh

import (
	"strings"
	"testing"
)

const goodVS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 80
    - destination: {host: reviews, subset: v2}
      weight: 20
`

// Bad input gives one line naming the file, the document and the field. The validation messages are
// Istio's (pkg/config/validation/validation.go: validateWeight "weight %d < 0",
// validateHTTPRouteDestinations "total destination weight = 0").
func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		want []string
	}{
		{"yaml syntax error", "apiVersion: v1\nkind: [unclosed\n",
			[]string{"bad.yaml", "document 1"}},
		{"unknown field", strings.Replace(goodVS, "weight: 20", "wieght: 20", 1),
			[]string{"bad.yaml:11", "document 1 (VirtualService reviews)", "spec.http[0].route[1].wieght", `unknown field "wieght"`, `did you mean "weight"`}},
		{"negative weight", "---\n" + goodVS + "---\n" + strings.Replace(goodVS, "weight: 20", "weight: -5", 1),
			[]string{"bad.yaml:24", "document 2 (VirtualService reviews)", "spec.http[0].route[1].weight", "weight -5 < 0"}},
		{"all-zero weights", strings.NewReplacer("weight: 80", "weight: 0", "weight: 20", "weight: 0").Replace(goodVS),
			[]string{"document 1", "spec.http[0].route", "total destination weight = 0"}},
		{"string where a number belongs", strings.Replace(goodVS, "weight: 20", `weight: "20"`, 1),
			[]string{"document 1", "spec.http[0].route[1].weight", `expected an integer, got string "20"`}},
		{"word where a number belongs", strings.Replace(goodVS, "weight: 20", `weight: twenty`, 1),
			[]string{"spec.http[0].route[1].weight", "expected an integer"}},
		{"document without kind", strings.Replace(goodVS, "kind: VirtualService\n", "", 1),
			[]string{"bad.yaml", "document 1", "kind: missing"}},
		{"missing destination host", strings.Replace(goodVS, "{host: reviews, subset: v2}", "{subset: v2}", 1),
			[]string{"spec.http[0].route[1].destination.host", "empty domain name not allowed"}},
		{"missing destination", strings.Replace(goodVS, "    - destination: {host: reviews, subset: v2}\n      weight: 20", "    - weight: 20", 1),
			[]string{"spec.http[0].route[1].destination", "destination is required"}},
		{"invalid regex", strings.Replace(goodVS, "  - route:", "  - match: [{uri: {regex: \"(\"}}]\n    route:", 1),
			// Istio's text (validation.go validateStringMatchRegexp), as lint reports it.
			[]string{"spec.http[0].match[0].uri", "error parsing regexp: missing closing ): `(`; Istio uses RE2 style regex-based match"}},
		{"unserved version", strings.Replace(goodVS, "networking.istio.io/v1", "networking.istio.io/v2", 1),
			[]string{"apiVersion", "not a served version"}},
		{"list without items", "apiVersion: v1\nkind: List\n", []string{"items", "sequence"}},
		{"scalar document", "just text\n", []string{"document 1", "not a Kubernetes object"}},
		{"weight out of int32 range", strings.Replace(goodVS, "weight: 20", "weight: 99999999999", 1),
			[]string{"spec.http[0].route[1].weight", "out of range"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{}
			err := c.Add("bad.yaml", []byte(tc.yaml))
			if err == nil {
				_, err = Translate(c)
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

// Native fuzzing of the loader: any input gives a value or an error, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(goodVS))
	f.Add([]byte("apiVersion: v1\nkind: List\nitems: [{kind: VirtualService, apiVersion: networking.istio.io/v1, metadata: {name: x}, spec: {hosts: [x]}}]"))
	f.Add([]byte("---\n---\na: &x [*x]\n"))
	f.Add([]byte(strings.Replace(goodVS, "  - route:", "  - match: [{uri: {regex: \"a.*\"}, headers: {x: {}}}]\n    route:", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &Config{}
		if err := c.Add("fuzz.yaml", data); err != nil {
			return
		}
		tr, err := Translate(c)
		if err != nil {
			return
		}
		for _, h := range tr.Table.Hosts {
			for _, r := range h.Rules {
				if r.Action.Destinations != nil {
					if _, err := r.Action.Picker(); err != nil && len(r.Action.Destinations) > 0 {
						t.Fatalf("validated rule has no picker: %v", err)
					}
				}
			}
		}
	})
}
