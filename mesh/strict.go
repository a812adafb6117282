package mesh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// DecodeLenient decodes JSON into v, ignoring unknown fields, and turns a type error into an error
// naming the field path below prefix.
func DecodeLenient(d *Document, data []byte, prefix string, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return JSONError(d, prefix, err, v)
	}
	return nil
}

// DecodeStrict decodes JSON into v and rejects unknown fields (kubectl's default field validation is
// strict), naming the field path below prefix and the closest known field. It is the one strict
// decoder of the module for documents decoded through encoding/json.
func DecodeStrict(d *Document, data []byte, prefix string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return JSONError(d, prefix, err, v)
	}
	return nil
}

// JSONError turns an encoding/json error into an *Error with the field's path below prefix.
func JSONError(d *Document, prefix string, err error, v any) error {
	join := func(field string) string {
		switch {
		case prefix == "":
			return field
		case field == "":
			return prefix
		}
		return prefix + "." + field
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return d.Errorf(join(te.Field), "expected %s, got %s", KindName(te.Type), te.Value)
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		hint := ""
		if best := Closest(name, structFields(v)); best != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", best)
		}
		return d.Errorf(join(name), "unknown field %q%s", name, hint)
	}
	return d.Errorf(prefix, "%s", strings.TrimPrefix(msg, "json: "))
}

// KindName names the JSON value a Go type wants, for "expected ..., got ..." messages.
func KindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	}
	return t.String()
}

// structFields lists the JSON field names of the struct v points to.
func structFields(v any) []string {
	t := reflect.TypeOf(v)
	for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice) {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
