package report

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/splitsim/splitsim/result"
)

// Load reads a result that splitsim run, verify or plan saved with -o, by the kind its header
// names. Results saved before the header existed are told apart by their keys: "hosts" (run),
// "steps" (plan), "destinations" and "n" (verify).
func Load(path string) (Document, error) {
	data, err := os.ReadFile(path)
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
	case kind == result.KindRun || kind == result.KindVerify || kind == result.KindPlan:
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
		return nil, fmt.Errorf("%s: not a result of splitsim run, verify or plan (want the JSON that their -o writes, with \"tool\": \"splitsim\" and \"kind\": \"run\", \"verify\" or \"plan\")", path)
	}
	if err := json.Unmarshal(data, target); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return For(target), nil
}

// emptyResult is an empty result of a kind that report renders in full, to decode a saved one into.
func emptyResult(kind result.Kind) any {
	switch kind {
	case result.KindRun:
		return &result.Run{}
	case result.KindVerify:
		return &result.Verify{}
	case result.KindPlan:
		return &result.Plan{}
	}
	return nil
}
