package mesh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// decodeSpec decodes the document's spec into msg. Each field is first checked against the protobuf
// descriptor, so that an unknown field or a value of the wrong type is reported with its path and
// line; protojson (which rejects unknown fields) then does the decoding.
func decodeSpec(d *Document, msg proto.Message) *Error {
	raw, v, err := specOf(d, "missing")
	if err != nil {
		return err
	}
	if path, msg := checkMessage(v, msg.ProtoReflect().Descriptor(), "spec"); msg != "" {
		return d.Errorf(path, "%s", msg)
	}
	nulls := fillNullMessages(v, msg.ProtoReflect().Descriptor())
	if path, bad := normalizeDurations(v, msg.ProtoReflect().Descriptor(), "spec"); bad != "" {
		return d.Errorf(path, "%s", bad)
	} else if path != "" || nulls {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return d.Errorf("spec", "%v", err)
		}
	}
	if err := (protojson.UnmarshalOptions{}).Unmarshal(raw, msg); err != nil {
		return d.Errorf("spec", "%s", strings.TrimPrefix(err.Error(), "proto: "))
	}
	return nil
}

// specOf returns the document's spec as raw JSON and decoded with numbers kept as json.Number, for
// the shape checks; missing is the message when there is no spec.
func specOf(d *Document, missing string) (json.RawMessage, any, *Error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(d.JSON, &obj); err != nil {
		return nil, nil, d.Errorf("", "%v", err)
	}
	raw, ok := obj["spec"]
	if !ok || string(raw) == "null" {
		return nil, nil, d.Errorf("spec", "%s", missing)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, nil, d.Errorf("spec", "%v", err)
	}
	return raw, v, nil
}

// fillNullMessages replaces, in place, every null entry of a list of messages and every null value of
// a map of messages with an empty message, as istiod's decoder (golang/protobuf jsonpb) reads them:
// `route: [null]` is a route without destination, which validation then names. It reports whether
// it replaced any.
func fillNullMessages(v any, md protoreflect.MessageDescriptor) bool {
	obj, ok := v.(map[string]any)
	if !ok || strings.HasPrefix(string(md.FullName()), "google.protobuf.") {
		return false
	}
	changed := false
	for k, val := range obj {
		fd := md.Fields().ByJSONName(k)
		if fd == nil {
			fd = md.Fields().ByTextName(k)
		}
		if fd == nil {
			continue
		}
		switch {
		case fd.IsMap() && fd.MapValue().Kind() == protoreflect.MessageKind:
			m, _ := val.(map[string]any)
			for mk, mv := range m {
				if mv == nil {
					m[mk], changed = map[string]any{}, true
				} else if fillNullMessages(mv, fd.MapValue().Message()) {
					changed = true
				}
			}
		case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
			list, _ := val.([]any)
			for i, e := range list {
				if e == nil {
					list[i], changed = map[string]any{}, true
				} else if fillNullMessages(e, fd.Message()) {
					changed = true
				}
			}
		case fd.Kind() == protoreflect.MessageKind && !fd.IsMap() && !fd.IsList():
			if fillNullMessages(val, fd.Message()) {
				changed = true
			}
		}
	}
	return changed
}

// normalizeDurations rewrites, in place, every google.protobuf.Duration of v written as a Go duration
// ("1m", "1h30m", "8ms"), which the Kubernetes API server and Istio accept (the CRDs' duration
// fields), into protojson's form ("60s"). It returns the path of the first rewritten field, or of a
// duration that is neither form with a message.
func normalizeDurations(v any, md protoreflect.MessageDescriptor, path string) (changed, bad string) {
	obj, ok := v.(map[string]any)
	if !ok || strings.HasPrefix(string(md.FullName()), "google.protobuf.") {
		return "", ""
	}
	note := func(c, b string) bool {
		if b != "" {
			changed, bad = c, b
			return true
		}
		if changed == "" {
			changed = c
		}
		return false
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		fd := md.Fields().ByJSONName(k)
		if fd == nil {
			fd = md.Fields().ByTextName(k)
		}
		if fd == nil || fd.Kind() != protoreflect.MessageKind || fd.IsMap() {
			continue
		}
		p := path + "." + k
		items := []any{obj[k]}
		if fd.IsList() {
			items, _ = obj[k].([]any)
		}
		for i, item := range items {
			q := p
			if fd.IsList() {
				q = fmt.Sprintf("%s[%d]", p, i)
			}
			if fd.Message().FullName() != "google.protobuf.Duration" {
				if note(normalizeDurations(item, fd.Message(), q)) {
					return
				}
				continue
			}
			str, isString := item.(string)
			if !isString || strings.HasSuffix(str, "s") && isProtoDuration(str) {
				continue
			}
			dur, err := time.ParseDuration(str)
			if err != nil {
				note(q, fmt.Sprintf("invalid duration %q: want a duration such as 10s, 1.5s, 500ms or 1m", str))
				return
			}
			js := strconv.FormatFloat(dur.Seconds(), 'f', -1, 64) + "s"
			if fd.IsList() {
				items[i] = js
			} else {
				obj[k] = js
			}
			note(q, "")
		}
	}
	return changed, bad
}

// isProtoDuration says whether s is protojson's duration form: a decimal number of seconds and "s".
func isProtoDuration(s string) bool {
	_, err := strconv.ParseFloat(strings.TrimSuffix(s, "s"), 64)
	return err == nil && !strings.ContainsAny(s, "eE")
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
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		fd := md.Fields().ByJSONName(k)
		if fd == nil {
			fd = md.Fields().ByTextName(k)
		}
		p := path + "." + k
		if fd == nil {
			return p, unknownField(k, md) + builtWith("istio.io/api")
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

// builtWith says which version of an API module splitsim was built with, so that a field newer than
// it is recognisable: " (not in istio.io/api v1.32.0, which splitsim was built with)". Strict decoding
// stays, as kubectl's default field validation is strict.
func builtWith(module string) string {
	version := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == module {
				version = " " + d.Version
			}
		}
	}
	return fmt.Sprintf(" (not in %s%s, which splitsim was built with)", module, version)
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
		return checkMapping(v, path, func(e any, p string) (string, string) { return checkSingular(e, fd.MapValue(), p) })
	case fd.IsList():
		return checkList(v, path, func(e any, p string) (string, string) { return checkSingular(e, fd, p) })
	}
	return checkSingular(v, fd, path)
}

// checkMapping checks a JSON object whose values are all checked by check, in key order.
func checkMapping(v any, path string, check func(v any, path string) (string, string)) (string, string) {
	obj, ok := v.(map[string]any)
	if !ok {
		return path, fmt.Sprintf("expected a mapping, got %s", jsonKind(v))
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if q, m := check(obj[k], path+"."+k); m != "" {
			return q, m
		}
	}
	return "", ""
}

// checkList checks a JSON array whose items are all checked by check.
func checkList(v any, path string, check func(v any, path string) (string, string)) (string, string) {
	arr, ok := v.([]any)
	if !ok {
		return path, fmt.Sprintf("expected a list, got %s", jsonKind(v))
	}
	for i, e := range arr {
		if q, m := check(e, path+"["+strconv.Itoa(i)+"]"); m != "" {
			return q, m
		}
	}
	return "", ""
}

// expectType checks that a JSON value decoded to a T; want names the expected kind of value.
func expectType[T any](v any, path, want string) (string, string) {
	if _, ok := v.(T); !ok {
		return path, fmt.Sprintf("expected %s, got %s", want, jsonKind(v))
	}
	return "", ""
}

func checkSingular(v any, fd protoreflect.FieldDescriptor, path string) (string, string) {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return checkMessage(v, fd.Message(), path)
	case protoreflect.BoolKind:
		return expectType[bool](v, path, "true or false")
	case protoreflect.StringKind, protoreflect.BytesKind:
		return expectType[string](v, path, "a string")
	case protoreflect.EnumKind:
		return checkEnum(v, fd.Enum(), path)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return expectType[json.Number](v, path, "a number")
	}
	return checkInteger(v, fd.Kind(), path)
}

// checkEnum checks an enum value: one of the value names, or a number.
func checkEnum(v any, ed protoreflect.EnumDescriptor, path string) (string, string) {
	switch x := v.(type) {
	case string:
		if ed.Values().ByName(protoreflect.Name(x)) == nil {
			return path, fmt.Sprintf("unknown value %q (allowed: %s)", x, enumNames(ed))
		}
	case json.Number:
	default:
		return path, fmt.Sprintf("expected one of %s, got %s", enumNames(ed), jsonKind(v))
	}
	return "", ""
}

// checkInteger checks an integer field of kind k: a whole number (written as an integer, or as a
// float with no fraction) within the kind's range; a uint64 may use its full range.
func checkInteger(v any, k protoreflect.Kind, path string) (string, string) {
	n, ok := v.(json.Number)
	if !ok {
		return path, fmt.Sprintf("expected an integer, got %s", jsonKind(v))
	}
	lo, hi := intRange(k)
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		f, ferr := n.Float64()
		if ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			i = int64(f)
		} else if _, uerr := strconv.ParseUint(n.String(), 10, 64); uerr == nil && hi == math.MaxUint64 {
			return "", ""
		} else {
			return path, fmt.Sprintf("expected an integer, got %s", n)
		}
	}
	if float64(i) < lo || float64(i) > hi {
		return path, fmt.Sprintf("%d is out of range for %s (%.0f to %.0f)", i, k, lo, hi)
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
