package observe

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Matcher keeps the Prometheus series, or access-log entries, whose label (field) satisfies Op
// against Value, as in a PromQL selector. A label that is absent has the value "" for Prometheus
// and "-" for access logs (what Envoy writes for a missing value).
type Matcher struct {
	Label string // label or access-log field name
	Op    string // "=", "!=", "=~" or "!~"; regular expressions are RE2, anchored at both ends
	Value string
}

// String formats m in PromQL syntax: label="value".
func (m Matcher) String() string {
	return printable(m.Label) + m.Op + strconv.Quote(m.Value)
}

// ParseMatcher parses a matcher written as in PromQL, with optional quotes:
// `reporter=destination`, `destination_service_name="reviews"`, `response_code!~"5.."`,
// `cluster_name=~"outbound\|.*\|reviews\..*"`. A quoted value that is not a valid quoted string,
// such as "outbound\|.*", is taken as written between the quotes.
//
// For access logs the names are those of Istio's JSON access-log format. Text logs support
// upstream_cluster, response_code, response_flags, authority, upstream_host, method, path,
// protocol and start_time; JSON logs support any key.
func ParseMatcher(s string) (Matcher, error) {
	i := 0
	for i < len(s) && (isNameByte(s[i], i == 0) && s[i] != ':') {
		i++
	}
	if i == 0 {
		return Matcher{}, fmt.Errorf("matcher %q: want LABEL=VALUE, LABEL!=VALUE, LABEL=~REGEX or LABEL!~REGEX", s)
	}
	m := Matcher{Label: s[:i]}
	rest := s[i:]
	for _, op := range []string{"!=", "=~", "!~", "="} {
		if strings.HasPrefix(rest, op) {
			m.Op = op
			rest = rest[len(op):]
			break
		}
	}
	if m.Op == "" {
		return Matcher{}, fmt.Errorf("matcher %q: want LABEL=VALUE, LABEL!=VALUE, LABEL=~REGEX or LABEL!~REGEX", s)
	}
	if strings.HasPrefix(rest, `"`) {
		v, err := strconv.Unquote(rest)
		switch {
		case err == nil:
			rest = v
		case len(rest) >= 2 && strings.HasSuffix(rest, `"`):
			// Not a valid Go/PromQL string, such as "outbound\|.*": take what is between the
			// quotes as written, which is what a shell user means.
			rest = rest[1 : len(rest)-1]
		default:
			return Matcher{}, fmt.Errorf("matcher %q: bad quoted value: %v", s, err)
		}
	}
	m.Value = rest
	if _, err := compileMatcher(m); err != nil {
		return Matcher{}, err
	}
	return m, nil
}

// matcher is a Matcher ready for use.
type matcher struct {
	Matcher
	re *regexp.Regexp
}

func (m matcher) matches(v string) bool {
	switch m.Op {
	case "=":
		return v == m.Value
	case "!=":
		return v != m.Value
	case "=~":
		return m.re.MatchString(v)
	default: // "!~"
		return !m.re.MatchString(v)
	}
}

func compileMatcher(m Matcher) (matcher, error) {
	c := matcher{Matcher: m}
	switch m.Op {
	case "=", "!=":
	case "=~", "!~":
		re, err := regexp.Compile("^(?:" + m.Value + ")$")
		if err != nil {
			return c, fmt.Errorf("matcher %s: %v", m, err)
		}
		c.re = re
	default:
		return c, fmt.Errorf("matcher %s: unknown operator %q (want =, !=, =~ or !~)", m, m.Op)
	}
	if m.Label == "" {
		return c, fmt.Errorf("matcher %s: empty label name", m)
	}
	return c, nil
}

func compileMatchers(ms []Matcher) ([]matcher, error) {
	out := make([]matcher, 0, len(ms))
	for _, m := range ms {
		c, err := compileMatcher(m)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// hasMatcherOn reports whether one of ms constrains label.
func hasMatcherOn(ms []matcher, label string) bool {
	for _, m := range ms {
		if m.Label == label {
			return true
		}
	}
	return false
}

// matchAll reports whether every matcher accepts the value get returns for its label.
func matchAll(ms []matcher, get func(string) string) bool {
	for _, m := range ms {
		if !m.matches(get(m.Label)) {
			return false
		}
	}
	return true
}

func matcherList(ms []matcher) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.String()
	}
	return strings.Join(s, ", ")
}

// ParseMatchers parses each of specs with ParseMatcher; the error names the one at fault as
// the --match flag that gave it.
func ParseMatchers(specs []string) ([]Matcher, error) {
	var out []Matcher
	for _, s := range specs {
		m, err := ParseMatcher(s)
		if err != nil {
			return nil, fmt.Errorf("--match %q: %v", s, err)
		}
		out = append(out, m)
	}
	return out, nil
}
