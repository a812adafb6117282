package mesh

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	yaml3 "go.yaml.in/yaml/v3"
)

// nodeJSON is the JSON that sigs.k8s.io/yaml's YAMLToJSON makes of the YAML yaml.v3 writes for root
// (yaml3.Marshal), which is how newDocument makes a document's JSON, built straight from the node
// tree where that gives the same bytes: when every scalar has the same type under yaml.v3's reading
// (the node's tag) and under the YAML 1.1 reading of yaml.v2 that YAMLToJSON applies to the text
// yaml.v3 writes. Those are quoted strings, plain strings that start with none of "+-.0123456789"
// and are not one of yaml.v2's words for booleans, null, infinities and merge keys, decimal
// integers, true, false, null and ~; keys are strings. ok is false for anything else (floats,
// timestamps, explicit tags, aliases, YAML 1.1 booleans such as yes and on, block scalars), and the
// caller takes the long way. The map is then encoded by encoding/json as YAMLToJSON encodes its own
// (keys sorted, the same escapes), so the bytes are the same (TestNodeJSON, FuzzNodeJSON).
func nodeJSON(root *yaml3.Node) ([]byte, bool) {
	v, ok := nodeValue(root)
	if !ok {
		return nil, false
	}
	js, err := json.Marshal(v)
	return js, err == nil
}

func nodeValue(n *yaml3.Node) (any, bool) {
	switch n.Kind {
	case yaml3.MappingNode:
		if n.Style&yaml3.TaggedStyle != 0 || n.Tag != "!!map" {
			return nil, false
		}
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key, ok := scalarValue(k)
			s, isString := key.(string)
			if !ok || !isString {
				return nil, false
			}
			val, ok := nodeValue(v)
			if !ok {
				return nil, false
			}
			m[s] = val
		}
		return m, true
	case yaml3.SequenceNode:
		if n.Style&yaml3.TaggedStyle != 0 || n.Tag != "!!seq" {
			return nil, false
		}
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, ok := nodeValue(c)
			if !ok {
				return nil, false
			}
			s[i] = v
		}
		return s, true
	case yaml3.ScalarNode:
		return scalarValue(n)
	}
	return nil, false
}

// yaml2Words are the plain scalars yaml.v2 resolves to something other than a string although they
// start with a letter or "~" or "<" (go.yaml.in/yaml/v2 resolve.go, resolveMapList).
var yaml2Words = map[string]bool{}

func init() {
	for _, w := range strings.Fields("y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF ~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<") {
		yaml2Words[w] = true
	}
}

func scalarValue(n *yaml3.Node) (any, bool) {
	const quoted = yaml3.DoubleQuotedStyle | yaml3.SingleQuotedStyle
	if n.Kind != yaml3.ScalarNode || n.Style&^quoted != 0 || !utf8.ValidString(n.Value) {
		return nil, false
	}
	v := n.Value
	if n.Style&quoted != 0 {
		return v, n.Tag == "!!str"
	}
	switch n.Tag {
	case "!!str":
		if v == "" || strings.ContainsAny(v[:1], "+-.0123456789") || yaml2Words[v] || strings.ContainsAny(v, "\n\r\t") {
			return nil, false
		}
		return v, true
	case "!!bool":
		switch v {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	case "!!null":
		// An empty null is written "" in flow collections (read back as a string), so it is left to
		// the long way.
		if v == "~" || v == "null" {
			return nil, true
		}
	case "!!int":
		if isDecimal(v) {
			return json.Number(v), true
		}
	}
	return nil, false
}

// isDecimal says whether s is 0 or a decimal integer without leading zeros or plus sign, of at most
// 18 digits (so that it fits in an int64, as yaml.v2 reads it, and is written back as given).
func isDecimal(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 18 || digits[0] == '0' && s != "0" {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}
