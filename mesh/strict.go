package mesh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// DecodeLenient decodes JSON into v, ignoring unknown fields, and turns a type error into an error
// naming the field path below prefix.
func DecodeLenient(d *Document, data []byte, prefix string, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return decodeError(d, prefix, data, err, v, false)
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
		return decodeError(d, prefix, data, err, v, true)
	}
	return nil
}

// decodeDocument decodes the whole document into v, ignoring unknown fields; the error names the
// field (decodeError).
func decodeDocument(d *Document, v any) *Error {
	err := DecodeLenient(d, d.JSON, "", v)
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return d.Errorf("", "%v", err)
}

// decodeError is the error of decoding data into v: the first problem in the document's order
// (locate), named by its field path with list indices below prefix, as kubectl names fields
// ("spec.traffic[1].weight: expected a number, got string"), never by encoding/json's Go names
// ("Go struct field Spec.requests"). strict says that unknown fields were rejected.
func decodeError(d *Document, prefix string, data []byte, err error, v any, strict bool) error {
	ps := locate(data, reflect.TypeOf(v), strict)
	if len(ps) == 0 {
		return JSONError(d, prefix, err, v)
	}
	full := func(p string) string {
		switch {
		case prefix == "":
			return p
		case p == "":
			return prefix
		case strings.HasPrefix(p, "["):
			return prefix + p
		}
		return prefix + "." + p
	}
	best := ps[0]
	for _, p := range ps[1:] {
		if d.LineOf(full(p.path)) < d.LineOf(full(best.path)) {
			best = p
		}
	}
	return d.Errorf(full(best.path), "%s", best.msg)
}

// problem is a value that does not fit its Go type: where, and what is wrong.
type problem struct{ path, msg string }

// maxProblems bounds the problems locate collects.
const maxProblems = 64

// locate lists the values of data (JSON) that do not fit type t as encoding/json decodes it, each by
// its field path ("traffic[1].weight"): a value of the wrong kind, a number out of range or not
// whole, a value a custom decoder refuses and, when strict, a field t does not have.
func locate(data []byte, t reflect.Type, strict bool) []problem {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || t == nil {
		return nil
	}
	var ps []problem
	walkType(v, t, "", strict, &ps)
	return ps
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	numberType      = reflect.TypeFor[json.Number]()
)

// walkType checks JSON value v against type t at path, adding what does not fit to ps.
func walkType(v any, t reflect.Type, path string, strict bool, ps *[]problem) {
	if len(*ps) >= maxProblems || v == nil {
		return // null leaves any Go value as it is
	}
	add := func(msg string) { *ps = append(*ps, problem{path, msg}) }
	wrong := func() { add(wrongKind(t, v)) }
	if t == numberType {
		if !isJSONNumber(v) {
			wrong()
		}
		return
	}
	if t.Kind() != reflect.Interface && (t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType)) {
		if msg := unmarshalProblem(v, t); msg != "" {
			add(msg)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		walkType(v, t.Elem(), path, strict, ps)
	case reflect.Interface:
	case reflect.Struct:
		if obj, ok := v.(map[string]any); ok {
			walkStruct(obj, t, path, strict, ps)
		} else {
			wrong()
		}
	case reflect.Map:
		if obj, ok := v.(map[string]any); ok {
			for _, k := range objectKeys(obj) {
				walkType(obj[k], t.Elem(), joinPath(path, k), strict, ps)
			}
		} else {
			wrong()
		}
	case reflect.Slice, reflect.Array:
		walkSlice(v, t, path, strict, ps, wrong)
	default:
		if msg := scalarProblem(v, t); msg != "" {
			add(msg)
		}
	}
}

// wrongKind is the problem of a JSON value v of the wrong kind for type t.
func wrongKind(t reflect.Type, v any) string {
	return fmt.Sprintf("expected %s, got %s", KindName(t), decodedKind(v))
}

// isJSONNumber reports whether v fits a json.Number: a number, or a string holding one.
func isJSONNumber(v any) bool {
	if _, ok := v.(json.Number); ok {
		return true
	}
	if s, ok := v.(string); ok && json.Valid([]byte(s)) {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return true
		}
	}
	return false
}

// unmarshalProblem is what goes wrong when type t's own UnmarshalJSON reads v, or "".
func unmarshalProblem(v any, t reflect.Type) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	target := reflect.New(t)
	if err := json.Unmarshal(raw, target.Interface()); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Sprintf("expected %s, got %s", KindName(te.Type), te.Value)
		}
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return ""
}

// walkStruct checks the fields of JSON object obj against struct type t at path: an unknown
// field is a problem only when strict.
func walkStruct(obj map[string]any, t reflect.Type, path string, strict bool, ps *[]problem) {
	fields := structJSONFields(t)
	for _, k := range objectKeys(obj) {
		ft, ok := fields[k]
		if !ok {
			ft, ok = foldField(fields, k)
		}
		p := joinPath(path, k)
		if !ok {
			if strict {
				hint := ""
				if best := Closest(k, fieldNames(fields)); best != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", best)
				}
				*ps = append(*ps, problem{p, fmt.Sprintf("unknown field %q%s", k, hint)})
			}
			continue
		}
		walkType(obj[k], ft, p, strict, ps)
	}
}

// walkSlice checks JSON value v against slice or array type t at path: a []byte takes a
// (base64) string, anything else an array whose elements fit t's element type.
func walkSlice(v any, t reflect.Type, path string, strict bool, ps *[]problem, wrong func()) {
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		if _, ok := v.(string); !ok {
			wrong()
		}
		return
	}
	arr, ok := v.([]any)
	if !ok {
		wrong()
		return
	}
	for i, e := range arr {
		walkType(e, t.Elem(), path+"["+strconv.Itoa(i)+"]", strict, ps)
	}
}

// scalarProblem is what does not fit when JSON value v is read as string, bool or number type t,
// or "" (also for any other kind).
func scalarProblem(v any, t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			return wrongKind(t, v)
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrongKind(t, v)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return numberProblem(v, t, func(s string) error { _, err := strconv.ParseInt(s, 10, t.Bits()); return err })
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return numberProblem(v, t, func(s string) error { _, err := strconv.ParseUint(s, 10, t.Bits()); return err })
	case reflect.Float32, reflect.Float64:
		return numberProblem(v, t, func(s string) error { _, err := strconv.ParseFloat(s, t.Bits()); return err })
	}
	return ""
}

// numberProblem is what does not fit when JSON value v is read as number type t with parse, or "".
func numberProblem(v any, t reflect.Type, parse func(string) error) string {
	n, ok := v.(json.Number)
	if !ok {
		return wrongKind(t, v)
	}
	if parse(string(n)) != nil {
		return fmt.Sprintf("expected %s, got number %s", KindName(t), n)
	}
	return ""
}

// decodedKind names a decoded JSON value as encoding/json's type errors do: "string", "number 1.5",
// "array", "object", "bool".
func decodedKind(v any) string {
	switch x := v.(type) {
	case string:
		return "string"
	case json.Number:
		return "number " + string(x)
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case bool:
		return "bool"
	}
	return fmt.Sprintf("%T", v)
}

// joinPath appends a key to a field path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// objectKeys returns the keys of obj in order.
func objectKeys(obj map[string]any) []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// structJSONFields maps the JSON names of struct t's fields (those of embedded structs included, as
// encoding/json promotes them) to their types.
func structJSONFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for k, v := range structJSONFields(et) {
					if _, ok := out[k]; !ok {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// foldField finds a field by a case-insensitive match, as encoding/json does.
func foldField(fields map[string]reflect.Type, k string) (reflect.Type, bool) {
	for name, t := range fields {
		if strings.EqualFold(name, k) {
			return t, true
		}
	}
	return nil, false
}

// fieldNames lists the names of fields, sorted.
func fieldNames(fields map[string]reflect.Type) []string {
	out := make([]string, 0, len(fields))
	for k := range fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
	if t == numberType {
		return "a number"
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
