package report

import (
	"bytes"
	"encoding/json"
	"io"

	"sigs.k8s.io/yaml"
)

// JSON writes v as indented JSON with a trailing newline. Output is deterministic: struct fields in
// declaration order, map keys sorted.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// YAML writes v as YAML: its JSON converted, as kubectl -o yaml does.
func YAML(w io.Writer, v any) error {
	var buf bytes.Buffer
	if err := JSON(&buf, v); err != nil {
		return err
	}
	y, err := yaml.JSONToYAML(buf.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(y)
	return err
}
