package report

import (
	"encoding/json"
	"io"
)

// JSON writes v as indented JSON with a trailing newline. Output is deterministic: struct fields in
// declaration order, map keys sorted.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
