package result_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
	"github.com/splitsim/splitsim/result"
)

// schemaDir holds the committed schemas, one per kind: docs/schema/KIND.schema.json.
const schemaDir = "../docs/schema"

// kinds are the result structs, one per kind of result (result.Header's kinds).
var kinds = []struct {
	kind result.Kind
	v    any
}{
	{result.KindRun, result.Run{}},
	{result.KindExplain, result.Explain{}},
	{result.KindVerify, result.Verify{}},
	{result.KindPower, result.Power{}},
	{result.KindPlan, result.Plan{}},
	{result.KindTest, result.TestRun{}},
	{result.KindLint, result.Lint{}},
	{result.KindDiff, result.Diff{}},
}

// enums are the types of result with a fixed vocabulary (result/enums.go): their schema is an enum.
// A field tagged schema:"empty" also takes "".
var enums = map[reflect.Type][]any{
	reflect.TypeFor[result.Verdict]():  {result.Pass, result.Fail},
	reflect.TypeFor[result.Outcome]():  {result.Pass, result.Fail},
	reflect.TypeFor[result.Severity](): {result.SeverityError, result.SeverityWarning, result.SeverityInfo},
	reflect.TypeFor[result.Action](): {result.ActionForward, result.ActionEndpoints, result.ActionRedirect,
		result.ActionDirectResponse, result.ActionUnsupported},
	reflect.TypeFor[result.Ends](): {result.EndsTime, result.EndsAnalysis, result.EndsManual,
		result.EndsPromotion, result.EndsNone, result.EndsStalled},
}

// The committed schemas under docs/schema are those the result structs generate; run the test with
// -update to rewrite them after changing a struct.
func TestSchemasAreGenerated(t *testing.T) {
	for _, k := range kinds {
		t.Run(string(k.kind), func(t *testing.T) {
			got, err := Schema(k.kind, reflect.TypeOf(k.v))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(schemaDir, string(k.kind)+".schema.json")
			if *golden.Update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./result -run TestSchemasAreGenerated -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is not the schema the result structs generate (-want +got); run go test ./result -run TestSchemasAreGenerated -update and review the diff:\n%s",
					path, golden.Diff(string(want), string(got)))
			}
		})
	}
}

// The generator's vocabulary, on a small struct: required keys are those without omitempty, a
// pointer without omitempty may be null (report.JSON writes a nil slice as [] and a nil map as {}),
// enums list their values, embedded structs are flattened.
func TestSchemaOfStruct(t *testing.T) {
	type inner struct {
		A int `json:"a"`
	}
	type outer struct {
		result.Header
		S  string            `json:"s"`
		O  string            `json:"o,omitempty"`
		PO *inner            `json:"po,omitempty"`
		P  *inner            `json:"p"`
		Q  *float64          `json:"q"`
		L  []inner           `json:"l"`
		M  map[string]string `json:"m"`
		V  result.Verdict    `json:"v"`
		E  result.Verdict    `json:"e" schema:"empty"`
		U  uint32            `json:"u"`
		No string            `json:"-"`
	}
	g := newGenerator(result.KindLint)
	got := g.object(reflect.TypeFor[outer]())
	b, _ := json.Marshal(got)
	for _, want := range []string{
		`"required":["tool","kind","version","schema_version","s","p","q","l","m","v","e","u"]`,
		`"kind":{"const":"lint"}`,
		`"p":{"anyOf":[{"$ref":"#/$defs/inner"},{"type":"null"}]}`,
		`"q":{"type":["number","null"]}`,
		`"v":{"enum":["pass","fail"],"type":"string"}`,
		`"e":{"enum":["pass","fail",""],"type":"string"}`,
		`"u":{"minimum":0,"type":"integer"}`,
		`"m":{"additionalProperties":{"type":"string"},"type":"object"}`,
		`"l":{"items":{"$ref":"#/$defs/inner"},"type":"array"}`,
		`"po":{"$ref":"#/$defs/inner"}`,
		`"o":{"type":"string"}`,
		`"additionalProperties":false`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("schema lacks %s:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), `"No"`) {
		t.Errorf("a field tagged json:\"-\" is in the schema:\n%s", b)
	}
}

// Schema is the JSON Schema (draft 2020-12) of the result of kind k, whose Go type is t.
func Schema(k result.Kind, t reflect.Type) ([]byte, error) {
	g := newGenerator(k)
	root := g.object(t)
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://github.com/splitsim/splitsim/docs/schema/" + string(k) + ".schema.json"
	root["title"] = "splitsim " + string(k) + " result"
	root["description"] = fmt.Sprintf("The JSON that `splitsim %s -o json` writes (schema_version %d). Generated from the Go type result.%s by go test ./result -update; do not edit.", k, result.SchemaVersion, t.Name())
	if len(g.defs) > 0 {
		root["$defs"] = g.defs
	}
	if g.err != nil {
		return nil, g.err
	}
	b, err := json.MarshalIndent(root, "", "  ")
	return append(b, '\n'), err
}

type generator struct {
	kind result.Kind
	defs map[string]any
	err  error
}

func newGenerator(k result.Kind) *generator {
	return &generator{kind: k, defs: map[string]any{}}
}

// object is the schema of a struct type: its keys, every key without omitempty required, no other
// key allowed.
func (g *generator) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	g.fields(t, props, &required)
	return map[string]any{
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}
}

// fields adds the keys of struct t to props, flattening embedded structs as encoding/json does.
func (g *generator) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			g.fields(f.Type, props, required)
			continue
		}
		if name == "" {
			name = f.Name
		}
		omit := strings.Contains(opts, "omitempty")
		props[name] = g.field(t, f, omit)
		if !omit {
			*required = append(*required, name)
		}
	}
}

// field is the schema of one key. A nil pointer is null unless omitempty leaves it out; a nil slice
// or map is never null, since report.JSON writes it as [] or {}.
func (g *generator) field(parent reflect.Type, f reflect.StructField, omit bool) map[string]any {
	if parent == reflect.TypeFor[result.Header]() {
		switch f.Name {
		case "Tool":
			return map[string]any{"const": "splitsim"}
		case "Kind":
			return map[string]any{"const": string(g.kind)}
		case "SchemaVersion":
			return map[string]any{"const": result.SchemaVersion}
		}
	}
	s := g.of(f.Type)
	if vals, ok := s["enum"].([]any); ok && f.Tag.Get("schema") == "empty" {
		s["enum"] = append(append([]any{}, vals...), "")
	}
	if f.Type.Kind() == reflect.Pointer && !omit {
		return nullable(s)
	}
	return s
}

// nullable lets s also be null.
func nullable(s map[string]any) map[string]any {
	if t, ok := s["type"].(string); ok {
		c := map[string]any{}
		for k, v := range s {
			c[k] = v
		}
		c["type"] = []string{t, "null"}
		return c
	}
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

// of is the schema of a value of type t, never null.
func (g *generator) of(t reflect.Type) map[string]any {
	if vals, ok := enums[t]; ok {
		return map[string]any{"type": "string", "enum": vals}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Pointer:
		return g.of(t.Elem())
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.of(t.Elem())}
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem())}
		}
	case reflect.Struct:
		return g.ref(t)
	}
	g.err = fmt.Errorf("no schema for Go type %s", t)
	return map[string]any{}
}

// ref is a reference to the definition of struct t, added to $defs on first use.
func (g *generator) ref(t reflect.Type) map[string]any {
	if _, ok := g.defs[t.Name()]; !ok {
		g.defs[t.Name()] = nil // mark, for recursive types
		g.defs[t.Name()] = g.object(t)
	}
	return map[string]any{"$ref": "#/$defs/" + t.Name()}
}
