package mesh

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"
)

// slowJSON is the JSON newDocument made of a node before nodeJSON: the YAML yaml.v3 writes for it,
// read by sigs.k8s.io/yaml's YAMLToJSON (go.yaml.in/yaml/v2, YAML 1.1).
func slowJSON(root *yaml3.Node) ([]byte, error) {
	raw, err := yaml3.Marshal(root)
	if err != nil {
		return nil, err
	}
	return yaml.YAMLToJSON(raw)
}

// checkNodeJSON decodes every document of data and, where nodeJSON takes its short way, checks that
// it gives the bytes of the long way; it returns how many documents took each.
func checkNodeJSON(t *testing.T, name string, data []byte) (fast, slow int) {
	t.Helper()
	dec := yaml3.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml3.Node
		if err := dec.Decode(&doc); err != nil {
			if err != io.EOF {
				t.Logf("%s: %v (not YAML, skipped)", name, err)
			}
			return fast, slow
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		want, err := slowJSON(root)
		got, ok := nodeJSON(root)
		if !ok {
			slow++
			continue
		}
		fast++
		if err != nil {
			t.Errorf("%s line %d: nodeJSON gave %s where YAMLToJSON fails: %v", name, root.Line, got, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s line %d:\nnodeJSON   %s\nYAMLToJSON %s", name, root.Line, got, want)
		}
	}
}

// nodeJSON gives the bytes of yaml3.Marshal followed by sigs.k8s.io/yaml's YAMLToJSON (what
// newDocument did before, and what Istio and kubectl read YAML with: go.yaml.in/yaml/v2's YAML 1.1
// resolution, sigs.k8s.io/yaml yaml.go yamlToJSONTarget) on every YAML document of the repository
// and on scalars whose type YAML 1.1 and YAML 1.2 resolve differently, or else declines.
func TestNodeJSON(t *testing.T) {
	t.Run("scalars", func(t *testing.T) {
		for _, v := range []string{
			"yes", "Yes", "no", "on", "OFF", "y", "n", "Y", "N", "true", "True", "false", "FALSE", "null", "Null", "~", "",
			"0", "-0", "7", "-7", "007", "+7", "0x1F", "0o17", "0b101", "1_000", "123456789012345678", "1234567890123456789",
			"99999999999999999999", "1.5", "1e3", ".5", "-.5", ".inf", "-.Inf", ".nan", "2001-12-14", "2001-12-14T21:59:43.10-05:00",
			"1:20", "<<", "reviews", "reviews.default.svc.cluster.local", "/api/v1", "a b", "x: y", "é", "<script>", "a&b",
			`"yes"`, `'on'`, `"007"`, `"1.5"`, `""`, `"\u2028"`, `"\t"`, "!!str 7", "!!int 7", "!!bool yes", "|\n  block\n", ">\n  folded\n",
			"&a reviews", "[a, 1, yes]", "{a: 1, b: on}", "- a\n- 2", "@at", "`tick",
		} {
			for _, doc := range []string{"k: " + v + "\n", "k:\n  " + strings.ReplaceAll(v, "\n", "\n  ") + "\n", "? " + v + "\n: v\n", "l: [" + v + "]\n"} {
				checkNodeJSON(t, doc, []byte(doc))
			}
		}
		checkNodeJSON(t, "alias", []byte("a: &x {b: 1}\nc: *x\n"))
		checkNodeJSON(t, "merge", []byte("a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n"))
		checkNodeJSON(t, "int key", []byte("80: http\n"))
		checkNodeJSON(t, "bool key", []byte("yes: 1\non: 2\n"))
	})
	t.Run("repository", func(t *testing.T) {
		fast, slow := 0, 0
		err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return nil
			}
			if info, err := d.Info(); err != nil || info.Size() > 4<<20 {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f, s := checkNodeJSON(t, path, data)
			fast, slow = fast+f, slow+s
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d documents the short way, %d the long way", fast, slow)
		if fast < 10*slow {
			t.Errorf("only %d of %d documents took the short way", fast, fast+slow)
		}
	})
}

// FuzzNodeJSON: wherever nodeJSON takes its short way, it gives YAMLToJSON's bytes.
func FuzzNodeJSON(f *testing.F) {
	for _, s := range []string{"k: yes\n", "k: 'on'\n", "a: [1, -2, 0, 007]\n", "m: {x: ~, y: null, z: true}\n", "s: 2001-12-14\n", "k: 1e3\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		checkNodeJSON(t, "fuzz", data)
	})
}
