package mesh

import (
	"fmt"
	"math"
	"strings"
	"sync/atomic"

	yaml3 "go.yaml.in/yaml/v3"
)

// Limits bound what Split reads from one file, so that any input is read within seconds and a few
// hundred megabytes: the YAML parser needs about 200 bytes per node, and a document's JSON, field
// index and decoded values several times its size.
type Limits struct {
	// Documents is the number of objects in one file (each item of a List counts, as do empty
	// documents).
	Documents int
	// Nodes is the number of YAML nodes (keys, values, list items) in one file, counted before the
	// file is parsed (an estimate that never counts fewer nodes than there are).
	Nodes int
	// DocumentNodes and DocumentBytes bound one object: its nodes, and the bytes of its keys and
	// values. The API server refuses objects above 1.5 MiB (etcd's request limit), so every object a
	// cluster holds fits.
	DocumentNodes int
	DocumentBytes int
}

// DefaultLimits are the limits of a file of at most 16 MiB, the default of --max-input-size.
var DefaultLimits = Limits{Documents: 10_000, Nodes: 500_000, DocumentNodes: 100_000, DocumentBytes: 4 << 20}

var limits atomic.Pointer[Limits]

// SetLimits sets the limits Split applies (DefaultLimits until then).
func SetLimits(l Limits) { limits.Store(&l) }

// CurrentLimits returns the limits Split applies.
func CurrentLimits() Limits {
	if l := limits.Load(); l != nil {
		return *l
	}
	return DefaultLimits
}

// Scale returns the limits multiplied by f (at least 1), for inputs f times the default size.
func (l Limits) Scale(f float64) Limits {
	f = max(f, 1)
	s := func(n int) int { return int(math.Min(float64(n)*f, math.MaxInt32)) }
	return Limits{Documents: s(l.Documents), Nodes: s(l.Nodes), DocumentNodes: s(l.DocumentNodes), DocumentBytes: s(l.DocumentBytes)}
}

// raiseHint says how to read a larger input.
const raiseHint = "raise the limits with --max-input-size"

// countNodes counts, without parsing, at least as many YAML nodes as data holds: one for each line,
// each ',', '[', '{', '?' and '*', each '-' that starts a list item and each ':' that ends a key.
// It stops counting past max.
func countNodes(data []byte, max int) int {
	n := 1
	for i, c := range data {
		switch c {
		case '\n', ',', '[', '{', '?', '*':
			n++
		case '-', ':':
			if i+1 == len(data) || data[i+1] == ' ' || data[i+1] == '\n' || data[i+1] == '\r' || data[i+1] == '\t' ||
				c == ':' && i > 0 && (data[i-1] == '"' || data[i-1] == '\'') {
				n++
			}
		default:
			continue
		}
		if n > max {
			return n
		}
	}
	return n
}

// countDocuments counts the document separators ("---" at the start of a line) of data, plus one,
// stopping past max: at least as many documents as the parser finds, but for separators inside
// block scalars.
func countDocuments(data []byte, max int) int {
	n := 1
	for i := 0; i+3 <= len(data); i++ {
		if (i == 0 || data[i-1] == '\n') && data[i] == '-' && data[i+1] == '-' && data[i+2] == '-' &&
			(i+3 == len(data) || data[i+3] == ' ' || data[i+3] == '\n' || data[i+3] == '\r' || data[i+3] == '\t') {
			if n++; n > max {
				return n
			}
		}
	}
	return n
}

// checkSize refuses a document above the per-object limits, before its JSON is made.
func checkSize(file, docName string, root *yaml3.Node, l Limits) *Error {
	nodes, bytes := 0, 0
	var walk func(n *yaml3.Node) bool
	walk = func(n *yaml3.Node) bool {
		nodes++
		bytes += len(n.Value) + len(n.Anchor)
		if nodes > l.DocumentNodes || bytes > l.DocumentBytes {
			return false
		}
		for _, c := range n.Content {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	if walk(root) {
		return nil
	}
	if nodes > l.DocumentNodes {
		return &Error{File: file, Doc: docName, Line: root.Line, Msg: fmt.Sprintf("more than %d YAML nodes (keys, values, list items) in one object; %s", l.DocumentNodes, raiseHint)}
	}
	return &Error{File: file, Doc: docName, Line: root.Line, Msg: fmt.Sprintf("more than %d bytes of keys and values in one object (the API server takes at most 1.5 MiB); %s", l.DocumentBytes, raiseHint)}
}

// checkValue refuses what JSON cannot hold or would silently lose: a key given twice in a mapping
// (YAML 1.2 forbids it, kubectl's strict decoding rejects it; JSON would keep the last), and NaN or
// infinity (.nan, .inf, -.inf). path is the node's field path.
func checkValue(d *Document, n *yaml3.Node, path string) *Error {
	switch n.Kind {
	case yaml3.MappingNode:
		var seen map[string]*yaml3.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml3.ScalarNode || k.Tag == "!!merge" {
				continue
			}
			if seen == nil {
				seen = make(map[string]*yaml3.Node, len(n.Content)/2)
			}
			if first, ok := seen[k.Value]; ok {
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				e := d.Errorf(p, "duplicate key %q (lines %d and %d): YAML forbids a key twice in one mapping, and the later value would silently replace the earlier", k.Value, first.Line, k.Line)
				e.Line = k.Line
				return e
			}
			seen[k.Value] = k
		}
	case yaml3.ScalarNode:
		if n.ShortTag() == "!!float" {
			switch strings.ToLower(strings.TrimPrefix(n.Value, "+")) {
			case ".nan", ".inf", "-.inf":
				e := d.Errorf(path, "%s is not a number JSON can hold (NaN and infinity are not allowed)", n.Value)
				e.Line = n.Line
				return e
			}
		}
	}
	return nil
}
