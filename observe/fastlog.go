package observe

import (
	"bytes"
	"strings"
)

// The fast paths read the three fields that access logs are counted by (upstream cluster, response
// code, response flags) from lines of the common shape, without allocating. They accept a line
// only when the full parsers (parseTextLogLine, parseJSONLogLine) would read it as an entry with
// the same three values; for any other line they return ok false and the full parser decides.

var dash = []byte("-")

// fastTextLogLine reads a line of Istio's text access-log format (see splitAccessLine): no tab,
// no kubectl timestamp, no leading white space, at most a trailing '\r'.
func fastTextLogLine(t []byte) (cluster, flags []byte, code int, ok bool) {
	var f textFields
	ok = f.read(t)
	return f.cluster, f.flags, f.code, ok
}

// textFields are the fields of a text access-log line that are counted or matched.
type textFields struct {
	cluster, flags, codeText         []byte
	code                             int
	start, request                   []byte // the start time and the request line
	authority, upstreamHost, lastTwo []byte // the last two quoted fields; lastTwo is the one before
}

// get gives matchers the fields by the names of Istio's JSON access-log format, as
// textLogGetter does.
func (f *textFields) get(name string) string {
	switch name {
	case "start_time":
		return string(f.start)
	case "method", "path", "protocol":
		req := strings.Fields(string(f.request))
		for len(req) < 3 {
			req = append(req, "-")
		}
		switch name {
		case "method":
			return req[0]
		case "path":
			return req[1]
		}
		return req[len(req)-1]
	case "response_code":
		return string(f.codeText)
	case "response_flags":
		return string(f.flags)
	case "authority":
		return string(f.authority)
	case "upstream_host":
		return string(f.upstreamHost)
	case "upstream_cluster":
		return string(f.cluster)
	}
	return "-"
}

// read reads the fields of line t, or returns false (see fastTextLogLine).
func (f *textFields) read(t []byte) bool {
	if n := len(t); n > 0 && t[n-1] == '\r' {
		t = t[:n-1]
	}
	n := len(t)
	if n < 3 || t[0] != '[' || t[n-1] <= ' ' || t[n-1] >= 0x80 || bytes.IndexByte(t, '\t') >= 0 {
		return false
	}
	end := bytes.IndexByte(t, ']')
	if end <= 1 || end+1 >= n || t[end+1] != ' ' {
		return false
	}
	f.start = t[1:end]
	// The request line, quoted, then the response code and flags, bare.
	i := skipSpaces(t, end+1)
	if i >= n || t[i] != '"' {
		return false
	}
	var next int
	if f.request, _, next = accessField(t, i); next < 0 {
		return false
	}
	f.lastTwo, f.upstreamHost = nil, f.request
	for _, dst := range []*[]byte{&f.codeText, &f.flags} {
		if i = skipSpaces(t, next); i >= n || t[i] == '"' {
			return false
		}
		*dst, _, next = accessField(t, i)
	}
	// The other quoted fields: a quote that starts a field (after a space) opens one; quotes
	// inside bare fields do not. Bare fields are jumped over.
	nq, lastEnd := 1, -1
	for pos := next; ; {
		j := bytes.IndexByte(t[pos:], '"')
		if j < 0 {
			break
		}
		q := pos + j
		if t[q-1] != ' ' {
			pos = q + 1
			continue
		}
		field, _, e := accessField(t, q)
		if e < 0 {
			return false // unterminated: the full parser says so
		}
		nq++
		f.lastTwo, f.upstreamHost = f.upstreamHost, field
		pos, lastEnd = e, e
	}
	// The cluster is the field after the last quoted one.
	if nq < 6 {
		return false
	}
	if i = skipSpaces(t, lastEnd); i >= n {
		return false
	}
	f.cluster, _, _ = accessField(t, i)
	f.authority = f.lastTwo
	var ok bool
	f.code, ok = smallCode(f.codeText)
	return ok
}

func skipSpaces(t []byte, i int) int {
	for i < len(t) && t[i] == ' ' {
		i++
	}
	return i
}

// accessField returns the field that starts at t[i] (not a blank), unquoted, whether it was
// quoted, and the index after it; -1 for a quoted field that does not end. A quoted field ends at a
// quote followed by a space or the end of the line.
func accessField(t []byte, i int) ([]byte, bool, int) {
	n := len(t)
	if t[i] != '"' {
		j := bytes.IndexByte(t[i:], ' ')
		if j < 0 {
			j = n - i
		}
		return t[i : i+j], false, i + j
	}
	k := i + 1
	for {
		j := bytes.IndexByte(t[k:], '"')
		if j < 0 {
			return nil, true, -1
		}
		k += j
		if k+1 == n || t[k+1] == ' ' {
			return t[i+1 : k], true, k + 1
		}
		k++
	}
}

// smallCode parses a response code of one to three digits, or "-" (no response: 0).
func smallCode(b []byte) (int, bool) {
	if len(b) == 1 && b[0] == '-' {
		return 0, true
	}
	if len(b) == 0 || len(b) > 3 {
		return 0, false
	}
	c := 0
	for _, d := range b {
		if d < '0' || d > '9' {
			return 0, false
		}
		c = 10*c + int(d-'0')
	}
	return c, true
}

// fastJSONLogLine reads a line of Istio's JSON access-log encoding: one object, no white space
// before it or after it (but a '\r'), whose upstream_cluster and response_flags are strings or
// null without escapes or non-ASCII bytes and whose response_code is a number or string of up to
// three digits, or null. The whole line is checked to be valid JSON.
func fastJSONLogLine(t []byte) (cluster, flags []byte, code int, ok bool) {
	if n := len(t); n > 0 && t[n-1] == '\r' {
		t = t[:n-1]
	}
	if len(t) < 2 || t[0] != '{' || t[len(t)-1] != '}' {
		return nil, nil, 0, false
	}
	s := jsonScan{b: t, i: 1}
	haveCluster := false
	cluster, flags = dash, dash
	for {
		s.space()
		if !s.is('"') {
			return nil, nil, 0, false
		}
		key, plain := s.str()
		if key == nil || !plain {
			return nil, nil, 0, false // escaped keys could spell a key read here
		}
		s.space()
		if !s.is(':') {
			return nil, nil, 0, false
		}
		s.i++
		s.space()
		start := s.i
		kind := s.value(0)
		if kind == jsonBad {
			return nil, nil, 0, false
		}
		raw := t[start:s.i]
		switch string(key) {
		case "upstream_cluster":
			if cluster, ok = plainText(raw, kind); !ok {
				return nil, nil, 0, false
			}
			haveCluster = true
		case "response_flags":
			if flags, ok = plainText(raw, kind); !ok {
				return nil, nil, 0, false
			}
		case "response_code":
			switch kind {
			case jsonNumber:
				code, ok = smallCode(raw)
			case jsonNull:
				code, ok = 0, true
			case jsonPlainString:
				if len(raw) == 2 {
					code, ok = 0, true
				} else {
					code, ok = smallCode(raw[1 : len(raw)-1])
				}
			default:
				ok = false
			}
			if !ok {
				return nil, nil, 0, false
			}
		}
		s.space()
		switch {
		case s.is(','):
			s.i++
			continue
		case s.is('}') && s.i == len(t)-1:
			if !haveCluster {
				return nil, nil, 0, false
			}
			return cluster, flags, code, true
		}
		return nil, nil, 0, false
	}
}

// plainText is a string value without escapes or non-ASCII bytes as Envoy's text format writes
// it ("" and null as "-"); ok is false for any other value.
func plainText(raw []byte, kind jsonKind) ([]byte, bool) {
	switch {
	case kind == jsonNull:
		return dash, true
	case kind != jsonPlainString:
		return nil, false
	case len(raw) == 2:
		return dash, true
	}
	return raw[1 : len(raw)-1], true
}

// jsonKind is the kind of a JSON value that jsonScan read.
type jsonKind int

const (
	jsonBad         jsonKind = iota // not valid JSON, or more than the scanner reads
	jsonPlainString                 // a string of printable ASCII without escapes
	jsonEscString                   // any other string
	jsonNumber
	jsonNull
	jsonOther // true, false, an object or an array
)

// jsonScan checks JSON text as encoding/json's scanner does (RFC 8259), reading values without
// decoding them.
type jsonScan struct {
	b []byte
	i int
}

func (s *jsonScan) is(c byte) bool { return s.i < len(s.b) && s.b[s.i] == c }

func (s *jsonScan) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// str reads a string at s.i (a '"'): its contents between the quotes, nil when it is not valid,
// and whether it is plain (printable ASCII, no escapes).
func (s *jsonScan) str() ([]byte, bool) {
	start := s.i + 1
	plain := true
	for i := start; i < len(s.b); i++ {
		switch c := s.b[i]; {
		case c == '"':
			s.i = i + 1
			return s.b[start:i], plain
		case c < 0x20:
			return nil, false
		case c >= 0x80:
			plain = false
		case c == '\\':
			plain = false
			i++
			if i >= len(s.b) {
				return nil, false
			}
			switch s.b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(s.b) {
					return nil, false
				}
				for _, h := range s.b[i+1 : i+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return nil, false
					}
				}
				i += 4
			default:
				return nil, false
			}
		}
	}
	return nil, false
}

// value reads the value at s.i; depth bounds the nesting of objects and arrays.
func (s *jsonScan) value(depth int) jsonKind {
	if s.i >= len(s.b) || depth > 64 {
		return jsonBad
	}
	switch c := s.b[s.i]; {
	case c == '"':
		v, plain := s.str()
		switch {
		case v == nil:
			return jsonBad
		case plain:
			return jsonPlainString
		}
		return jsonEscString
	case c == '-' || c >= '0' && c <= '9':
		if !s.number() {
			return jsonBad
		}
		return jsonNumber
	case c == 'n':
		return s.literal("null", jsonNull)
	case c == 't':
		return s.literal("true", jsonOther)
	case c == 'f':
		return s.literal("false", jsonOther)
	case c == '{':
		return s.compound(depth, '}', true)
	case c == '[':
		return s.compound(depth, ']', false)
	}
	return jsonBad
}

func (s *jsonScan) literal(word string, kind jsonKind) jsonKind {
	if !bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		return jsonBad
	}
	s.i += len(word)
	return kind
}

// compound reads an object (keyed) or an array up to its closing byte.
func (s *jsonScan) compound(depth int, closing byte, keyed bool) jsonKind {
	s.i++
	s.space()
	if s.is(closing) {
		s.i++
		return jsonOther
	}
	for {
		if keyed {
			if !s.is('"') {
				return jsonBad
			}
			if k, _ := s.str(); k == nil {
				return jsonBad
			}
			s.space()
			if !s.is(':') {
				return jsonBad
			}
			s.i++
			s.space()
		}
		if s.value(depth+1) == jsonBad {
			return jsonBad
		}
		s.space()
		switch {
		case s.is(','):
			s.i++
			s.space()
		case s.is(closing):
			s.i++
			return jsonOther
		default:
			return jsonBad
		}
	}
}

// number reads a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *jsonScan) number() bool {
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	s.i = i
	return true
}
