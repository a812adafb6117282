package mesh

import (
	"encoding/json"
	"strings"
	"testing"
)

// Decoding errors name the field by its path with list indices and map keys, as kubectl's field
// validation names fields (k8s.io/apimachinery pkg/util/managedfields and the API server's strict
// decoding: "spec.traffic[1].weight"), never by encoding/json's Go names ("Go struct field
// Spec.requests", "json: invalid number literal").
func TestDecodeErrorPaths(t *testing.T) {
	type class struct {
		Host    string            `json:"host"`
		Weight  float64           `json:"weight"`
		Headers map[string]string `json:"headers,omitempty"`
	}
	type spec struct {
		Requests int64   `json:"requests,omitempty"`
		Seed     *uint64 `json:"seed,omitempty"`
		Traffic  []class `json:"traffic,omitempty"`
	}
	head := "apiVersion: splitsim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n"
	two := "  traffic:\n  - {host: a, weight: 1}\n  - host: b\n"
	for _, tc := range []struct {
		name, spec string
		strict     bool
		want       string
	}{
		{"second item's weight", two + "    weight: heavy\n", false,
			`s.yaml:8: document 1 (Scenario s): spec.traffic[1].weight: expected a number, got string`},
		{"headers as a list", "  traffic:\n  - host: a\n    weight: 1\n    headers: [x]\n", false,
			`s.yaml:8: document 1 (Scenario s): spec.traffic[0].headers: expected a mapping, got array`},
		{"a header value as a number", "  traffic:\n  - host: a\n    weight: 1\n    headers: {x: 1}\n", false,
			`spec.traffic[0].headers.x: expected a string, got number 1`},
		{"requests too large", "  requests: 1e30\n", false, `s.yaml:5: document 1 (Scenario s): spec.requests: expected an integer, got number 1e+30`},
		{"requests not whole", "  requests: 1.5\n", false, `spec.requests: expected an integer, got number 1.5`},
		{"negative seed", "  seed: -1\n", false, `spec.seed: expected a non-negative integer, got number -1`},
		{"unknown field in the second item", two + "    weight: 1\n    wieght: 2\n", true,
			`s.yaml:9: document 1 (Scenario s): spec.traffic[1].wieght: unknown field "wieght" (did you mean "weight"?)`},
		{"unknown field ignored when lenient", two + "    weight: 1\n    wieght: 2\n", false, ""},
		{"spec a list", "  - 1\n", false, `spec: expected a mapping, got array`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := Split("s.yaml", []byte(head+tc.spec))
			if err != nil {
				t.Fatal(err)
			}
			d := docs[0]
			var obj struct {
				Spec json.RawMessage `json:"spec"`
			}
			_ = DecodeLenient(d, d.JSON, "", &obj)
			var s spec
			decode := DecodeLenient
			if tc.strict {
				decode = DecodeStrict
			}
			err = decode(d, obj.Spec, "spec", &s)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want == "":
			case err == nil:
				t.Fatalf("no error, want %q", tc.want)
			case !strings.Contains(err.Error(), tc.want):
				t.Errorf("error\n%s\nwant\n%s", err, tc.want)
			}
			if err != nil && (strings.Contains(err.Error(), "Go struct") || strings.Contains(err.Error(), "json:")) {
				t.Errorf("error %q holds a Go decoder text", err)
			}
		})
	}
}

// The objects mesh reads itself (Services, Namespaces, workloads) name the field of a wrong value.
func TestDecodeObjectErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"Service selector as a list", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 80}]\n  selector: [a]\n",
			`bad.yaml:6: document 1 (Service a): spec.selector: expected a mapping, got array`},
		{"Deployment replicas as a word", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: x\n",
			`bad.yaml:5: document 1 (Deployment a): spec.replicas: expected a number, got string`},
		{"Namespace labels as a list", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: [x]\n",
			`bad.yaml:5: document 1 (Namespace a): metadata.labels: expected a mapping, got array`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := (&Config{}).Add("bad.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}
