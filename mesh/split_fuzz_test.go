package mesh

import (
	"encoding/json"
	"strings"
	"testing"
)

// Splitting any YAML stream gives documents whose JSON is valid and whose kind and apiVersion are
// set, or an error that names the file; never a panic, and never a document holding a
// duplicate key or a NaN (strict YAML, TestSplitStrict).
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		goodVS,
		"apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Service, metadata: {name: a}}]\n",
		"a: 1\na: 2\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nx: .nan\n",
		"---\n---\na: &x [*x]\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbase: &b {x: 1}\ndata:\n  <<: *b\n",
		"\ufeffapiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: a}\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Split("fuzz.yaml", data)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "fuzz.yaml") {
				t.Fatalf("error %q", msg)
			}
			return
		}
		for _, d := range docs {
			if d.Kind == "" || d.APIVersion == "" || !json.Valid(d.JSON) {
				t.Fatalf("document %+v", d)
			}
		}
	})
}
