package lint

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"
	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/mesh"
)

// unreachable is Istio's analyzeUnreachableHTTPRules, analyzeUnreachableTCPRules and
// analyzeUnreachableTLSRules (istio pkg/config/validation/validation.go, run by
// ValidateVirtualService and reported by istioctl analyze as IST0130 and IST0131), rule for rule:
//
//   - a rule without match after another rule without match: "only the last rule can have no matches";
//   - each match block of a rule after a rule without match: "route without matches defined before";
//   - a match block equal to one of an earlier rule (names aside, asJSON): IST0131, and IST0130 "all
//     matches used by prior rules" when that holds for every block of the rule;
//   - (http only) a prefix match block covered by an earlier one (coveredValidation): IST0131.
//
// istioctl analyze drops messages whose text is the same for one resource (diag.Messages
// SortedDedupedCopy; the schema analyzer gives them no line), so "route without matches defined
// before" shows once per rule: lint reports each distinct message of a resource once.
func (c *checker) unreachable(vs *mesh.VirtualService) {
	seen := map[string]bool{}
	once := func(code, path, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if seen[code+msg] {
			return
		}
		seen[code+msg] = true
		c.report(code, vs.Document, path, "%s", msg)
	}
	unused := func(kind string, i int, name, reason string) {
		p := fmt.Sprintf("spec.%s[%d]", kind, i)
		c.reported[vs.File+"|"+vs.Doc+"|"+p] = true
		once("IST0130", p, "VirtualService rule %s not used (%s).", name, reason)
	}
	ineffective := func(kind string, i, j int, name, match, dup string) {
		once("IST0131", fmt.Sprintf("spec.%s[%d].match[%d]", kind, i, j), "VirtualService rule %s match %s is not used (duplicate/overlapping match in rule %s).", name, match, dup)
	}
	c.unreachableHTTP(vs.Spec.GetHttp(), unused, ineffective)
	unreachableL4(c, "tcp", vs.Spec.GetTcp(), func(r *networking.TCPRoute) []*networking.L4MatchAttributes { return r.GetMatch() }, unused, ineffective)
	unreachableL4(c, "tls", vs.Spec.GetTls(), func(r *networking.TLSRoute) []*networking.TLSMatchAttributes { return r.GetMatch() }, unused, ineffective)
}

type (
	unusedFunc      func(kind string, i int, name, reason string)
	ineffectiveFunc func(kind string, i, j int, name, match, dup string)
)

// unreachableHTTP is analyzeUnreachableHTTPRules.
func (c *checker) unreachableHTTP(routes []*networking.HTTPRoute, unused unusedFunc, ineffective ineffectiveFunc) {
	var encountered []seenMatch
	emptyMatch := -1
	var prefixed []*overlapping
	for i, r := range routes {
		if r == nil {
			continue
		}
		if len(r.GetMatch()) == 0 {
			if emptyMatch >= 0 {
				unused("http", i, routeName(r, i), "only the last rule can have no matches")
			}
			emptyMatch = i
			continue
		}
		duplicates := 0
		for j, m := range r.GetMatch() {
			if emptyMatch >= 0 {
				unused("http", i, routeName(r, i), "route without matches defined before")
				continue
			}
			if dup := firstDuplicate(encountered, m); dup >= 0 {
				ineffective("http", i, j, routeName(r, i), requestName(m, j), routeName(routes[dup], dup))
				duplicates++
				continue
			}
			encountered = append(encountered, seenMatch{m, i})
			if o := genOverlapping(r, m, i, j); o != nil {
				prefixed = append(prefixed, o)
			}
		}
		if duplicates == len(r.GetMatch()) {
			unused("http", i, routeName(r, i), "all matches used by prior rules")
		}
	}
	coveredMatches(prefixed, ineffective)
}

// unreachableL4 is analyzeUnreachableTCPRules and analyzeUnreachableTLSRules: the same as for http
// without names (rules and match blocks are "#index") and without the prefix check.
func unreachableL4[R comparable, M proto.Message](c *checker, kind string, routes []R, matches func(R) []M, unused unusedFunc, ineffective ineffectiveFunc) {
	type seen struct {
		m    M
		rule int
	}
	var encountered []seen
	emptyMatch := -1
	var zero R
	for i, r := range routes {
		if r == zero {
			continue
		}
		ms := matches(r)
		name := fmt.Sprintf("#%d", i)
		if len(ms) == 0 {
			if emptyMatch >= 0 {
				unused(kind, i, name, "only the last rule can have no matches")
			}
			emptyMatch = i
			continue
		}
		duplicates := 0
		for j, m := range ms {
			if emptyMatch >= 0 {
				unused(kind, i, name, "route without matches defined before")
				continue
			}
			dup := -1
			for _, e := range encountered {
				if proto.Equal(e.m, m) {
					dup = e.rule
					break
				}
			}
			if dup >= 0 {
				ineffective(kind, i, j, name, fmt.Sprintf("#%d", j), fmt.Sprintf("#%d", dup))
				duplicates++
				continue
			}
			encountered = append(encountered, seen{m, i})
		}
		if duplicates == len(ms) {
			unused(kind, i, name, "all matches used by prior rules")
		}
	}
}

// seenMatch is a match block of an earlier rule.
type seenMatch struct {
	m    *networking.HTTPMatchRequest
	rule int
}

// firstDuplicate returns the rule of the first earlier match block equal to m, or -1.
func firstDuplicate(encountered []seenMatch, m *networking.HTTPMatchRequest) int {
	for _, e := range encountered {
		if sameMatch(e.m, m) {
			return e.rule
		}
	}
	return -1
}

// coveredMatches reports IST0131 for each prefix match block covered by an earlier one with a
// different prefix (Istio's loop over OverlappingMatchValidationForHTTPRoute pairs).
func coveredMatches(prefixed []*overlapping, ineffective ineffectiveFunc) {
	for a := 0; a < len(prefixed); a++ {
		for b := a + 1; b < len(prefixed); b++ {
			va, vb := prefixed[a], prefixed[b]
			if vb.prefix == va.prefix || !covered(va, vb) {
				continue
			}
			ineffective("http", vb.rule, vb.match, vb.routeStr, vb.matchStr+" of prefix "+vb.prefix, va.matchStr+" of prefix "+va.prefix+" on "+va.routeStr)
		}
	}
}

// sameMatch is Istio's asJSON comparison: two match blocks are duplicates when they are equal once
// their names are removed.
func sameMatch(a, b *networking.HTTPMatchRequest) bool {
	ca, cb := proto.Clone(a).(*networking.HTTPMatchRequest), proto.Clone(b).(*networking.HTTPMatchRequest)
	if ca == nil || cb == nil {
		return ca == nil && cb == nil
	}
	ca.Name, cb.Name = "", ""
	return proto.Equal(ca, cb)
}

// routeName and requestName are Istio's: the quoted name, or "#index".
func routeName(r *networking.HTTPRoute, i int) string {
	if r.GetName() != "" {
		return fmt.Sprintf("%q", r.GetName())
	}
	return fmt.Sprintf("#%d", i)
}

func requestName(m *networking.HTTPMatchRequest, j int) string {
	if m.GetName() != "" {
		return fmt.Sprintf("%q", m.GetName())
	}
	return fmt.Sprintf("#%d", j)
}

// overlapping is Istio's OverlappingMatchValidationForHTTPRoute.
type overlapping struct {
	routeStr, matchStr, prefix string
	rule, match                int
	port                       uint32
	method, authority          string
	headers, query, noHeaders  map[string]string
}

const (
	matchExact  = "exact:"
	matchPrefix = "prefix:"
)

func exactOrPrefix(sm *networking.StringMatch) string {
	if e := sm.GetExact(); e != "" {
		return matchExact + e
	}
	if p := sm.GetPrefix(); p != "" {
		return matchPrefix + p
	}
	return ""
}

// genOverlapping is Istio's genMatchHTTPRoutes: only match blocks with a non-empty URI prefix take
// part; a block without method counts as "exact:GET".
func genOverlapping(r *networking.HTTPRoute, m *networking.HTTPMatchRequest, i, j int) *overlapping {
	if m == nil || m.GetUri() == nil || m.GetUri().GetPrefix() == "" {
		return nil
	}
	o := &overlapping{routeStr: routeName(r, i), matchStr: requestName(m, j), prefix: m.GetUri().GetPrefix(),
		rule: i, match: j, port: m.GetPort(), method: exactOrPrefix(m.GetMethod()), authority: exactOrPrefix(m.GetAuthority()),
		headers: map[string]string{}, query: map[string]string{}, noHeaders: map[string]string{}}
	if o.method == "" {
		o.method = matchExact + "GET"
	}
	for k, v := range m.GetHeaders() {
		o.headers[k] = exactOrPrefix(v)
	}
	for k, v := range m.GetQueryParams() {
		o.query[k] = exactOrPrefix(v)
	}
	for k, v := range m.GetWithoutHeaders() {
		o.noHeaders[k] = exactOrPrefix(v)
	}
	return o
}

// covered is Istio's coveredValidation(vA, vB): whether the earlier block vA covers the later vB.
func covered(a, b *overlapping) bool {
	if !strings.HasPrefix(b.prefix, a.prefix) {
		return false
	}
	if b.port != a.port {
		return false
	}
	if a.method != b.method && !strings.HasPrefix(a.method, b.method) {
		return false
	}
	if a.authority != b.authority && !strings.HasPrefix(a.authority, b.authority) {
		return false
	}
	for _, pair := range [][2]map[string]string{{a.headers, b.headers}, {a.query, b.query}, {a.noHeaders, b.noHeaders}} {
		ma, mb := pair[0], pair[1]
		if len(ma) != len(mb) {
			return false
		}
		for k, va := range ma {
			vb, ok := mb[k]
			if !ok {
				return false
			}
			if va != vb && !strings.HasPrefix(va, vb) {
				return false
			}
		}
	}
	return true
}
