package lint

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"
	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/mesh"
)

// unreachable is Istio's analyzeUnreachableHTTPRules (istio pkg/config/validation/validation.go, run
// by ValidateVirtualService, reported by istioctl analyze as IST0130 and IST0131), rule for rule:
//
//   - a rule without match after another rule without match: "only the last rule can have no matches";
//   - every match block of a rule after a rule without match: "route without matches defined before";
//   - a match block equal to one of an earlier rule (names aside): IST0131, and IST0130 "all matches
//     used by prior rules" when that holds for every block of the rule;
//   - a prefix match block covered by an earlier one (coveredValidation): IST0131.
//
// Istio reports "route without matches defined before" once per match block; splitsim reports it
// once per rule.
func (c *checker) unreachable(vs *mesh.VirtualService) {
	if c.reported == nil {
		c.reported = map[string]bool{}
	}
	routes := vs.Spec.GetHttp()
	var encountered []seenMatch
	emptyMatch := -1
	var prefixed []*overlapping
	unused := func(i int, reason string) {
		p := fmt.Sprintf("spec.http[%d]", i)
		key := vs.File + "|" + p
		if c.reported[key+"|"+reason] {
			return
		}
		c.reported[key+"|"+reason] = true
		c.reported[key] = true
		c.report("IST0130", vs.Document, p, "VirtualService rule %s not used (%s).", routeName(routes[i], i), reason)
	}
	for i, r := range routes {
		if r == nil {
			continue
		}
		if len(r.GetMatch()) == 0 {
			if emptyMatch >= 0 {
				unused(i, "only the last rule can have no matches")
			}
			emptyMatch = i
			continue
		}
		duplicates := 0
		for j, m := range r.GetMatch() {
			if emptyMatch >= 0 {
				unused(i, "route without matches defined before")
				continue
			}
			if dup := firstDuplicate(encountered, m); dup >= 0 {
				c.report("IST0131", vs.Document, fmt.Sprintf("spec.http[%d].match[%d]", i, j),
					"VirtualService rule %s match %s is not used (duplicate/overlapping match in rule %s).",
					routeName(r, i), requestName(m, j), routeName(routes[dup], dup))
				duplicates++
				continue
			}
			encountered = append(encountered, seenMatch{m, i})
			if o := genOverlapping(r, m, i, j); o != nil {
				prefixed = append(prefixed, o)
			}
		}
		if duplicates == len(r.GetMatch()) {
			unused(i, "all matches used by prior rules")
		}
	}
	c.coveredMatches(vs, prefixed)
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
func (c *checker) coveredMatches(vs *mesh.VirtualService, prefixed []*overlapping) {
	for a := 0; a < len(prefixed); a++ {
		for b := a + 1; b < len(prefixed); b++ {
			va, vb := prefixed[a], prefixed[b]
			if vb.prefix == va.prefix || !covered(va, vb) {
				continue
			}
			c.report("IST0131", vs.Document, fmt.Sprintf("spec.http[%d].match[%d]", vb.rule, vb.match),
				"VirtualService rule %s match %s is not used (duplicate/overlapping match in rule %s).",
				vb.routeStr, vb.matchStr+" of prefix "+vb.prefix, va.matchStr+" of prefix "+va.prefix+" on "+va.routeStr)
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
