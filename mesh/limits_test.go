package mesh

import (
	"fmt"
	"strings"
	"testing"

	yaml3 "go.yaml.in/yaml/v3"
)

// Split reads YAML strictly, as kubectl's strict field validation does (k8s.io/apimachinery
// pkg/util/yaml and sigs.k8s.io/yaml UnmarshalStrict reject a mapping key given twice, as YAML 1.2
// section 3.2.1.1 requires): a duplicate key names both lines and its field, and NaN or infinity,
// which JSON cannot hold, names the field instead of "json: unsupported value: NaN".
func TestSplitStrict(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       string // the whole error; "" for no error
	}{
		{"duplicate weight", strings.Replace(goodVS, "      weight: 80\n", "      weight: 80\n      weight: 70\n", 1),
			`bad.yaml:10: document 1 (VirtualService reviews): spec.http[0].route[0].weight: duplicate key "weight" (lines 9 and 10): YAML forbids a key twice in one mapping, and the later value would silently replace the earlier`},
		{"duplicate top-level key", "apiVersion: v1\nkind: Service\nkind: Service\nmetadata: {name: a}\n",
			`bad.yaml:3: document 1 (Service a): kind: duplicate key "kind" (lines 2 and 3): YAML forbids a key twice in one mapping, and the later value would silently replace the earlier`},
		{"duplicate key in a flow mapping", strings.Replace(goodVS, "{host: reviews, subset: v1}", "{host: reviews, subset: v1, host: ratings}", 1),
			`bad.yaml:8: document 1 (VirtualService reviews): spec.http[0].route[0].destination.host: duplicate key "host" (lines 8 and 8)`},
		{"duplicate key spelt with quotes", strings.Replace(goodVS, "      weight: 80\n", "      weight: 80\n      \"weight\": 70\n", 1),
			`spec.http[0].route[0].weight: duplicate key "weight" (lines 9 and 10)`},
		{"the same key in two mappings", goodVS, ""},
		{"merge keys", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbase: &b {x: 1}\ndata:\n  <<: *b\n  y: \"2\"\n", ""},
		{".nan", strings.Replace(goodVS, "weight: 20", "weight: .nan", 1),
			`bad.yaml:11: document 1 (VirtualService reviews): spec.http[0].route[1].weight: .nan is not a number JSON can hold (NaN and infinity are not allowed)`},
		{".inf", strings.Replace(goodVS, "weight: 20", "weight: .Inf", 1), `spec.http[0].route[1].weight: .Inf is not a number JSON can hold`},
		{"-.inf in a list", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nx: [1, -.INF]\n", `bad.yaml:4: document 1 (ConfigMap a): x[1]: -.INF is not a number JSON can hold`},
		{"+.inf", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nx: +.inf\n", `x: +.inf is not a number JSON can hold`},
		{"quoted .nan is a string", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: \".nan\"}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Split("bad.yaml", []byte(tc.yaml))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want == "":
			case err == nil:
				t.Fatalf("no error, want %q", tc.want)
			case !strings.Contains(err.Error(), tc.want):
				t.Errorf("error\n%s\nwant\n%s", err, tc.want)
			}
		})
	}
}

// Split refuses a file above its limits before the costly steps: too many YAML nodes (counted before
// parsing), too many objects (documents or List items), an object of too many nodes or bytes. The
// limits scale with --max-input-size.
func TestSplitLimits(t *testing.T) {
	small := Limits{Documents: 3, Nodes: 200, DocumentNodes: 40, DocumentBytes: 400}
	SetLimits(small)
	defer SetLimits(DefaultLimits)
	cm := func(name string) string {
		return fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n", name)
	}
	for _, tc := range []struct {
		name, yaml string
		want       string
	}{
		{"three objects", cm("a") + "---\n" + cm("b") + "---\n" + cm("c"), ""},
		{"four objects", cm("a") + "---\n" + cm("b") + "---\n" + cm("c") + "---\n" + cm("d"),
			"bad.yaml:12: document 4: more than 3 objects in one file; raise the limits with --max-input-size"},
		{"three objects and a final separator", cm("a") + "---\n" + cm("b") + "---\n" + cm("c") + "---\n", ""},
		{"three objects, one empty document between", cm("a") + "---\n---\n" + cm("b") + "---\n" + cm("c"), ""},
		{"four objects, one empty document between", cm("a") + "---\n---\n" + cm("b") + "---\n" + cm("c") + "---\n" + cm("d"),
			"bad.yaml: more than 3 objects in one file"},
		{"empty documents count", strings.Repeat("---\n", 5), "more than 3 objects in one file"},
		{"documents counted before parsing", strings.Repeat(cm("a")+"---\n", 10), "bad.yaml: more than 3 objects in one file"},
		{"a List of four", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: d}}\n",
			"bad.yaml:4: document 1: items: more than 3 objects in one file"},
		{"too many nodes in the file", cm("a") + "data: [" + strings.Repeat("1,", 200) + "1]\n",
			"bad.yaml: more than 200 YAML nodes (keys, values, list items) in one file; raise the limits with --max-input-size"},
		{"too many nodes in one object", cm("a") + "data: [" + strings.Repeat("1,", 50) + "1]\n",
			"bad.yaml:1: document 1: more than 40 YAML nodes (keys, values, list items) in one object"},
		{"too many bytes in one object", cm("a") + "data: {x: " + strings.Repeat("a", 500) + "}\n",
			"bad.yaml:1: document 1: more than 400 bytes of keys and values in one object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Split("bad.yaml", []byte(tc.yaml))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want == "":
			case err == nil:
				t.Fatalf("no error, want %q", tc.want)
			case !strings.Contains(err.Error(), tc.want):
				t.Errorf("error\n%s\nwant\n%s", err, tc.want)
			}
		})
	}
	if got := small.Scale(2.5); got != (Limits{Documents: 7, Nodes: 500, DocumentNodes: 100, DocumentBytes: 1000}) {
		t.Errorf("Scale(2.5) = %+v", got)
	}
}

// countNodes never counts fewer nodes than the YAML parser makes (it bounds the parser's memory).
func TestCountNodesIsAnUpperBound(t *testing.T) {
	for _, y := range []string{
		goodVS,
		"a: [1,2,3]\nb: {x: 1, y: [a, b]}\n",
		"- - - - 1\n",
		"[[[[1]]]]",
		"{\"a\":1,\"b\":[1,2]}",
		"a: &x [1, 2]\nb: *x\nc: [*x, *x]\n",
		"? complex\n: value\n",
		"text: |\n  line one\n  line two\n",
	} {
		nodes := parsedNodes(t, y)
		if got := countNodes([]byte(y), 1<<30); got < nodes {
			t.Errorf("%q: countNodes %d, the parser makes %d nodes", y, got, nodes)
		}
	}
}

// parsedNodes counts the nodes the YAML parser makes of y (the document nodes left out).
func parsedNodes(t *testing.T, y string) int {
	t.Helper()
	dec := yaml3.NewDecoder(strings.NewReader(y))
	n := 0
	var count func(*yaml3.Node)
	count = func(x *yaml3.Node) {
		n++
		for _, c := range x.Content {
			count(c)
		}
	}
	for {
		var doc yaml3.Node
		if err := dec.Decode(&doc); err != nil {
			return n
		}
		for _, c := range doc.Content {
			count(c)
		}
	}
}
