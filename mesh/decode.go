package mesh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// decodeSpec decodes the document's spec into msg. Each field is first checked against the protobuf
// descriptor, so that an unknown field or a value of the wrong type is reported with its path and
// line; protojson (which rejects unknown fields) then does the decoding.
func decodeSpec(d *Document, msg proto.Message) *Error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(d.JSON, &obj); err != nil {
		return d.Errorf("", "%v", err)
	}
	raw, ok := obj["spec"]
	if !ok || string(raw) == "null" {
		return d.Errorf("spec", "missing")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return d.Errorf("spec", "%v", err)
	}
	if path, msg := checkMessage(v, msg.ProtoReflect().Descriptor(), "spec"); msg != "" {
		return d.Errorf(path, "%s", msg)
	}
	if err := (protojson.UnmarshalOptions{}).Unmarshal(raw, msg); err != nil {
		return d.Errorf("spec", "%s", strings.TrimPrefix(err.Error(), "proto: "))
	}
	return nil
}

// checkMessage walks a JSON value against a message descriptor and returns the path of the first
// problem and a message, or "" when the value has the right shape.
func checkMessage(v any, md protoreflect.MessageDescriptor, path string) (string, string) {
	if strings.HasPrefix(string(md.FullName()), "google.protobuf.") {
		return "", "" // well-known types have their own JSON forms; protojson checks them
	}
	if v == nil {
		return "", ""
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return path, fmt.Sprintf("expected a mapping, got %s", jsonKind(v))
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fd := md.Fields().ByJSONName(k)
		if fd == nil {
			fd = md.Fields().ByTextName(k)
		}
		p := path + "." + k
		if fd == nil {
			return p, unknownField(k, md)
		}
		if q, m := checkField(obj[k], fd, p); m != "" {
			return q, m
		}
	}
	return "", ""
}

func unknownField(k string, md protoreflect.MessageDescriptor) string {
	names := make([]string, md.Fields().Len())
	for i := range names {
		names[i] = md.Fields().Get(i).JSONName()
	}
	return UnknownField(k, names)
}

// UnknownField is the message for an unknown field k of an object whose fields are names, with a
// "did you mean" hint when one of them is close.
func UnknownField(k string, names []string) string {
	if best := Closest(k, names); best != "" {
		return fmt.Sprintf("unknown field %q (did you mean %q?)", k, best)
	}
	return fmt.Sprintf("unknown field %q", k)
}

// Closest returns the candidate within edit distance 2 of name (ignoring case), the first of the
// closest ones, or "".
func Closest(name string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := distance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func checkField(v any, fd protoreflect.FieldDescriptor, path string) (string, string) {
	if v == nil {
		return "", ""
	}
	switch {
	case fd.IsMap():
		obj, ok := v.(map[string]any)
		if !ok {
			return path, fmt.Sprintf("expected a mapping, got %s", jsonKind(v))
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if q, m := checkSingular(obj[k], fd.MapValue(), path+"."+k); m != "" {
				return q, m
			}
		}
		return "", ""
	case fd.IsList():
		arr, ok := v.([]any)
		if !ok {
			return path, fmt.Sprintf("expected a list, got %s", jsonKind(v))
		}
		for i, e := range arr {
			if q, m := checkSingular(e, fd, path+"["+strconv.Itoa(i)+"]"); m != "" {
				return q, m
			}
		}
		return "", ""
	}
	return checkSingular(v, fd, path)
}

func checkSingular(v any, fd protoreflect.FieldDescriptor, path string) (string, string) {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return checkMessage(v, fd.Message(), path)
	case protoreflect.BoolKind:
		if _, ok := v.(bool); !ok {
			return path, fmt.Sprintf("expected true or false, got %s", jsonKind(v))
		}
	case protoreflect.StringKind, protoreflect.BytesKind:
		if _, ok := v.(string); !ok {
			return path, fmt.Sprintf("expected a string, got %s", jsonKind(v))
		}
	case protoreflect.EnumKind:
		switch x := v.(type) {
		case string:
			if fd.Enum().Values().ByName(protoreflect.Name(x)) == nil {
				return path, fmt.Sprintf("unknown value %q (allowed: %s)", x, enumNames(fd.Enum()))
			}
		case json.Number:
		default:
			return path, fmt.Sprintf("expected one of %s, got %s", enumNames(fd.Enum()), jsonKind(v))
		}
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		if _, ok := v.(json.Number); !ok {
			return path, fmt.Sprintf("expected a number, got %s", jsonKind(v))
		}
	default: // integers
		n, ok := v.(json.Number)
		if !ok {
			return path, fmt.Sprintf("expected an integer, got %s", jsonKind(v))
		}
		lo, hi := intRange(fd.Kind())
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil {
			f, ferr := n.Float64()
			if ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				i = int64(f)
			} else if u, uerr := strconv.ParseUint(n.String(), 10, 64); uerr == nil && hi == math.MaxUint64 {
				_ = u
				return "", ""
			} else {
				return path, fmt.Sprintf("expected an integer, got %s", n)
			}
		}
		if float64(i) < lo || float64(i) > hi {
			return path, fmt.Sprintf("%d is out of range for %s (%.0f to %.0f)", i, fd.Kind(), lo, hi)
		}
	}
	return "", ""
}

func intRange(k protoreflect.Kind) (float64, float64) {
	switch k {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return math.MinInt32, math.MaxInt32
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return 0, math.MaxUint32
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return 0, math.MaxUint64
	}
	return math.MinInt64, math.MaxInt64
}

func enumNames(ed protoreflect.EnumDescriptor) string {
	var names []string
	for i := 0; i < ed.Values().Len(); i++ {
		names = append(names, string(ed.Values().Get(i).Name()))
	}
	return strings.Join(names, ", ")
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case json.Number:
		return "number " + x.String()
	case string:
		return fmt.Sprintf("string %q", x)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}

// distance is the Levenshtein edit distance, for "did you mean" hints.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
