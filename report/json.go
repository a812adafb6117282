package report

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"

	"sigs.k8s.io/yaml"
)

// JSON writes v as indented JSON with a trailing newline. Output is deterministic: struct fields in
// declaration order, map keys sorted. Every key is present: a nil slice is written as [] and a nil map
// as {} (docs/json.md), so only a nil pointer is null.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if v != nil {
		v = filled(reflect.ValueOf(v)).Interface()
	}
	return enc.Encode(v)
}

// filled is a copy of v in which every nil slice and map reachable through structs, pointers,
// slices and maps is empty instead; v itself is not changed. Values that hold no slice or map are
// shared, not copied.
func filled(v reflect.Value) reflect.Value {
	t := v.Type()
	if !holdsEmpty(t, 0) {
		return v
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(filled(v.Elem()))
		return p
	case reflect.Struct:
		s := reflect.New(t).Elem()
		s.Set(v)
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				s.Field(i).Set(filled(v.Field(i)))
			}
		}
		return s
	case reflect.Slice:
		if !v.IsNil() && !holdsEmpty(t.Elem(), 0) {
			return v // its items have nothing to fill
		}
		s := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			s.Index(i).Set(filled(v.Index(i)))
		}
		return s
	case reflect.Map:
		if !v.IsNil() && !holdsEmpty(t.Elem(), 0) {
			return v
		}
		m := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			m.SetMapIndex(it.Key(), filled(it.Value()))
		}
		return m
	}
	return v
}

// holdsEmpty says whether a value of type t can hold a slice or a map (a nil one to fill), looking
// at most a few levels deep through named struct types to stop on recursive types.
func holdsEmpty(t reflect.Type, depth int) bool {
	if depth > 8 {
		return true
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Map:
		return true
	case reflect.Pointer, reflect.Array:
		return holdsEmpty(t.Elem(), depth+1)
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() && holdsEmpty(t.Field(i).Type, depth+1) {
				return true
			}
		}
	}
	return false
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
