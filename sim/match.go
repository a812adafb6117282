package sim

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// MatchKind is the kind of a string match.
type MatchKind int

// Kinds of string match (istio.io/api networking StringMatch, plus "present").
const (
	Exact MatchKind = iota
	Prefix
	Regex
	Present // the header or parameter exists, whatever its value
	// PathSeparatedPrefix is Gateway API's PathPrefix (apis/v1/httproute_types.go, PathMatchPathPrefix),
	// which Istio programs as Envoy's path_separated_prefix: the prefix matches whole path elements, so
	// "/a" matches "/a", "/a/" and "/a/b" but not "/ab". A trailing "/" of the value is ignored; "/"
	// matches every path.
	PathSeparatedPrefix
)

// StringMatch is one string condition.
type StringMatch struct {
	Kind  MatchKind
	Value string
	re    *regexp.Regexp
}

// NewStringMatch builds a string match; a regex is compiled as RE2 and must match the whole value, as
// Envoy's safe_regex does (envoy source/common/common/regex.h, full match).
func NewStringMatch(kind MatchKind, value string) (StringMatch, error) {
	m := StringMatch{Kind: kind, Value: value}
	if kind == Regex {
		re, err := regexp.Compile(`^(?:` + value + `)$`)
		if err != nil {
			return m, fmt.Errorf("invalid regex %q: %v", value, err)
		}
		m.re = re
	}
	return m, nil
}

// MustStringMatch is NewStringMatch for values known to be valid (tests and examples).
func MustStringMatch(kind MatchKind, value string) StringMatch {
	m, err := NewStringMatch(kind, value)
	if err != nil {
		panic(err)
	}
	return m
}

// Test reports whether v satisfies the match; present says whether the value exists at all.
func (m *StringMatch) Test(v string, present bool, ignoreCase bool) bool {
	if !present {
		return false
	}
	switch m.Kind {
	case Exact:
		if ignoreCase {
			return strings.EqualFold(v, m.Value)
		}
		return v == m.Value
	case Prefix:
		if ignoreCase {
			return len(v) >= len(m.Value) && strings.EqualFold(v[:len(m.Value)], m.Value)
		}
		return strings.HasPrefix(v, m.Value)
	case Regex:
		return m.re.MatchString(v)
	case PathSeparatedPrefix:
		p := pathPrefixValue(m.Value)
		if p == "/" {
			return strings.HasPrefix(v, "/")
		}
		return v == p || strings.HasPrefix(v, p+"/")
	}
	return true
}

// pathPrefixValue drops the trailing "/" that Gateway API's PathPrefix ignores (but keeps "/").
func pathPrefixValue(v string) string {
	if t := strings.TrimRight(v, "/"); t != "" {
		return t
	}
	return "/"
}

// String renders the match for traces: exact "x", prefix "x", regex "x", present.
func (m StringMatch) String() string {
	switch m.Kind {
	case Exact:
		return fmt.Sprintf("exact %q", m.Value)
	case Prefix:
		return fmt.Sprintf("prefix %q", m.Value)
	case Regex:
		return fmt.Sprintf("regex %q", m.Value)
	case PathSeparatedPrefix:
		return fmt.Sprintf("path prefix %q", m.Value)
	}
	return "present"
}

// HeaderMatch is a condition on one header (or, with Invert, a withoutHeaders condition).
type HeaderMatch struct {
	Name   string // lower case
	Match  StringMatch
	Invert bool // withoutHeaders: a missing header counts as ""
}

// ParamMatch is a condition on one query parameter.
type ParamMatch struct {
	Name  string
	Match StringMatch
}

// Match is one match block: every condition must hold (AND). A zero Match matches every request.
type Match struct {
	URI           *StringMatch
	IgnoreURICase bool
	Scheme        *StringMatch
	Method        *StringMatch
	Authority     *StringMatch
	Headers       []HeaderMatch
	Query         []ParamMatch
}

// String lists the block's conditions ("uri prefix /a, header x exact 1"); "" for a zero Match.
func (m *Match) String() string {
	var parts []string
	add := func(name string, sm *StringMatch) {
		if sm != nil {
			parts = append(parts, name+" "+sm.String())
		}
	}
	add("uri", m.URI)
	if m.IgnoreURICase {
		parts = append(parts, "ignoreUriCase")
	}
	add("scheme", m.Scheme)
	add("method", m.Method)
	add("authority", m.Authority)
	for _, h := range m.Headers {
		if h.Invert {
			parts = append(parts, "withoutHeaders "+h.Name+" "+h.Match.String())
		} else {
			parts = append(parts, "header "+h.Name+" "+h.Match.String())
		}
	}
	for _, q := range m.Query {
		parts = append(parts, "query "+q.Name+" "+q.Match.String())
	}
	return strings.Join(parts, ", ")
}

// CatchAll reports whether the block matches every request: no conditions, or only a URI prefix "/"
// or regex ".*" (istio pilot/pkg/networking/core/route/route.go, isCatchAllRoute).
func (m *Match) CatchAll() bool {
	if m.Scheme != nil || m.Method != nil || m.Authority != nil || len(m.Headers) > 0 || len(m.Query) > 0 {
		return false
	}
	if m.URI == nil {
		return true
	}
	switch m.URI.Kind {
	case Prefix:
		return m.URI.Value == "/"
	case PathSeparatedPrefix:
		return pathPrefixValue(m.URI.Value) == "/"
	case Regex:
		return m.URI.Value == "*" || m.URI.Value == ".*"
	}
	return false
}

// Request is a synthetic HTTP request.
type Request struct {
	Method    string
	Path      string // path without query string
	Scheme    string
	Authority string
	Headers   map[string]string // lower-case names; several values joined with ","
	Query     map[string]string
}

// Matches reports whether req satisfies every condition of the block.
func (m *Match) Matches(req *Request) bool {
	return m.Explain(req) == ""
}

// Explain returns "" when req matches, or the first condition that fails, in words.
func (m *Match) Explain(req *Request) string {
	if m.URI != nil && !m.URI.Test(req.Path, true, m.IgnoreURICase && m.URI.Kind != Regex) {
		return fmt.Sprintf("uri: want %s, got %q", m.URI, req.Path)
	}
	if m.Scheme != nil && !m.Scheme.Test(req.Scheme, req.Scheme != "", false) {
		return fmt.Sprintf("scheme: want %s, got %q", m.Scheme, req.Scheme)
	}
	if m.Method != nil && !m.Method.Test(req.Method, req.Method != "", false) {
		return fmt.Sprintf("method: want %s, got %q", m.Method, req.Method)
	}
	if m.Authority != nil && !m.Authority.Test(req.Authority, req.Authority != "", false) {
		return fmt.Sprintf("authority: want %s, got %q", m.Authority, req.Authority)
	}
	for i := range m.Headers {
		h := &m.Headers[i]
		v, ok := req.Headers[h.Name]
		if h.Invert {
			if h.Match.Test(v, true, false) {
				return fmt.Sprintf("withoutHeaders %s: must not be %s, got %q", h.Name, h.Match, v)
			}
			continue
		}
		if !h.Match.Test(v, ok, false) {
			return fmt.Sprintf("header %s: want %s, got %s", h.Name, h.Match, quoteOrNone(v, ok))
		}
	}
	for i := range m.Query {
		q := &m.Query[i]
		v, ok := req.Query[q.Name]
		if !q.Match.Test(v, ok, false) {
			return fmt.Sprintf("query %s: want %s, got %s", q.Name, q.Match, quoteOrNone(v, ok))
		}
	}
	return ""
}

func quoteOrNone(v string, ok bool) string {
	if !ok {
		return "none"
	}
	return fmt.Sprintf("%q", v)
}

// Synthesize returns a request that satisfies the block where it can: the path from an exact or
// prefix URI (a regex gets a sample string from the regex's literal prefix), the method, headers and
// query parameters with their exact or prefix values. A plain GET / satisfies a catch-all.
// ok is false when the synthesized request does not in fact match (e.g. a regex with no literal
// prefix), so that callers can report it.
func (m *Match) Synthesize(host string) (req Request, ok bool) {
	req = Request{Method: "GET", Path: "/", Scheme: "http", Authority: host,
		Headers: map[string]string{}, Query: map[string]string{}}
	if m.URI != nil {
		req.Path = sample(*m.URI, "/")
	}
	if m.Scheme != nil {
		req.Scheme = sample(*m.Scheme, "http")
	}
	if m.Method != nil {
		req.Method = sample(*m.Method, "GET")
	}
	if m.Authority != nil {
		req.Authority = sample(*m.Authority, host)
	}
	for _, h := range m.Headers {
		if h.Invert {
			continue
		}
		req.Headers[h.Name] = sample(h.Match, "x")
	}
	for _, q := range m.Query {
		req.Query[q.Name] = sample(q.Match, "x")
	}
	return req, m.Matches(&req)
}

func sample(m StringMatch, fallback string) string {
	switch m.Kind {
	case Exact, Prefix:
		return m.Value
	case PathSeparatedPrefix:
		return pathPrefixValue(m.Value)
	case Regex:
		if lit := literalPrefix(m.Value); lit != "" {
			// try the literal prefix alone, then common completions
			for _, s := range []string{lit, lit + "x", lit + "/", lit + "0"} {
				if m.re.MatchString(s) {
					return s
				}
			}
			return lit
		}
		for _, s := range []string{fallback, "/", "x", "", "0", "GET"} {
			if m.re.MatchString(s) {
				return s
			}
		}
		if s, ok := shortestMatch(m.Value); ok && m.re.MatchString(s) {
			return s
		}
	}
	return fallback
}

// shortestMatch builds a short string the regex matches, from its syntax tree: literals as they are,
// a character class by its first printable character, repetitions at their minimum count (at least
// once for +), alternations by their first branch.
func shortestMatch(expr string) (string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	ok := writeShortest(&b, re.Simplify(), 0)
	return b.String(), ok
}

func writeShortest(b *strings.Builder, re *syntax.Regexp, depth int) bool {
	if depth > 100 {
		return false
	}
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		if len(re.Rune) < 2 {
			return false
		}
		r := re.Rune[0]
		if r < 'a' && re.Rune[1] >= 'a' {
			r = 'a'
		}
		b.WriteRune(r)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('x')
	case syntax.OpCapture:
		return writeShortest(b, re.Sub[0], depth+1)
	case syntax.OpPlus:
		return writeShortest(b, re.Sub[0], depth+1)
	case syntax.OpRepeat:
		for range re.Min {
			if !writeShortest(b, re.Sub[0], depth+1) {
				return false
			}
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !writeShortest(b, sub, depth+1) {
				return false
			}
		}
	case syntax.OpAlternate:
		return writeShortest(b, re.Sub[0], depth+1)
	case syntax.OpStar, syntax.OpQuest, syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
	default:
		return false
	}
	return true
}

// literalPrefix is the literal text every match of the (unanchored) regex starts with.
func literalPrefix(expr string) string {
	re, err := regexp.Compile(expr)
	if err != nil {
		return ""
	}
	lit, _ := re.LiteralPrefix()
	return lit
}
