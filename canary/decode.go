package canary

import (
	"bytes"
	"encoding/json"
)

// present reports whether a raw JSON field was given with a non-null value.
func present(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && string(t) != "null"
}
