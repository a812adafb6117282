package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/result"
)

// Load reads a result that a splitsim command saved (--json, or -o json on stdout), by the kind its
// header names: run, verify, plan, test, lint, diff, explain or power. Results saved before the
// header existed are told apart by their keys: "hosts" (run), "steps" (plan), "destinations" and
// "n" (verify). A result of schema_version 1 or 2 (or without a header) is read in today's keys (see
// upgrade). It reads only a regular file of at most safe.MaxInput bytes.
func Load(path string) (Document, error) {
	data, err := safe.ReadFile(path, safe.MaxInput()) // a regular file, of bounded size
	if err != nil {
		return nil, err
	}
	var probe struct {
		Tool         *string          `json:"tool"`
		Kind         result.Kind      `json:"kind"`
		Hosts        *json.RawMessage `json:"hosts"`
		Steps        *json.RawMessage `json:"steps"`
		Destinations *json.RawMessage `json:"destinations"`
		N            *json.RawMessage `json:"n"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %v", path, err)
	}
	kind := probe.Kind
	switch {
	case probe.Tool == nil || *probe.Tool != "splitsim":
		kind = ""
	case emptyResult(kind) != nil:
	case probe.Hosts != nil:
		kind = result.KindRun
	case probe.Steps != nil:
		kind = result.KindPlan
	case probe.Destinations != nil && probe.N != nil:
		kind = result.KindVerify
	default:
		kind = ""
	}
	target := emptyResult(kind)
	if target == nil {
		return nil, fmt.Errorf("%s: not a result of splitsim run, verify or plan, nor of test, lint, diff, explain or power (want the JSON that a command writes with --json or -o json, with \"tool\": \"splitsim\" and its \"kind\")", path)
	}
	if data, err = upgrade(kind, data); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %v", path, err)
	}
	if err := json.Unmarshal(data, target); err != nil {
		return nil, fmt.Errorf("%s: %v", path, fieldError(err))
	}
	if err := checkFractions(data); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return For(target), nil
}

// fieldError names the field of a decoding error by its JSON path ("steps.power: expected a
// number, got string"), without encoding/json's Go names ("Go struct field Plan.Header.seed").
func fieldError(err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err
	}
	var path []string
	for _, p := range strings.Split(te.Field, ".") {
		if p != "" && !unicode.IsUpper(rune(p[0])) { // Go names of embedded structs are not in the JSON
			path = append(path, p)
		}
	}
	want := "a " + te.Type.Kind().String()
	switch te.Type.Kind() {
	case reflect.Bool:
		if te.Type == reflect.TypeFor[result.Outcome]() {
			want = `"pass" or "fail"`
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		want = "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		want = "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		want = "a number"
	case reflect.Slice, reflect.Array:
		want = "a list"
	case reflect.Map, reflect.Struct:
		want = "an object"
	}
	return fmt.Errorf("%s: expected %s, got %s", strings.Join(path, "."), want, te.Value)
}

// emptyResult is an empty result of a kind, to decode a saved one into.
func emptyResult(kind result.Kind) any {
	switch kind {
	case result.KindRun:
		return &result.Run{}
	case result.KindVerify:
		return &result.Verify{}
	case result.KindPlan:
		return &result.Plan{}
	case result.KindTest:
		return &result.TestRun{}
	case result.KindLint:
		return &result.Lint{}
	case result.KindDiff:
		return &result.Diff{}
	case result.KindExplain:
		return &result.Explain{}
	case result.KindPower:
		return &result.Power{}
	}
	return nil
}
