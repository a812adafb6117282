package mesh

import (
	"fmt"
	"regexp"
	"strings"

	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

var gatewayHostnameRE = regexp.MustCompile(`^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// routeValidator collects the problems of one HTTPRoute in the order the API server reports them.
type routeValidator struct {
	doc  *Document
	errs []*Error
}

// add records a problem at path.
func (v *routeValidator) add(path, format string, args ...any) {
	v.errs = append(v.errs, v.doc.Errorf(path, format, args...))
}

// tooMany is the +kubebuilder:validation:MaxItems marker of the list at path.
func (v *routeValidator) tooMany(path string, n, max int) {
	if n > max {
		v.add(path, "Too many: %d: must have at most %d items", n, max)
	}
}

// validateHTTPRoute applies the validation of the HTTPRoute CRD that the API server would apply
// (the +kubebuilder:validation markers and CEL rules of sigs.k8s.io/gateway-api apis/v1
// httproute_types.go, shared_types.go and object_reference_types.go), with the API server's wording,
// plus the RE2 syntax of RegularExpression matches (Istio programs Envoy's RE2 safe_regex).
func validateHTTPRoute(r *HTTPRoute) []*Error {
	v := &routeValidator{doc: r.Document}
	s := &r.Route.Spec
	v.tooMany("spec.parentRefs", len(s.ParentRefs), 32)
	v.hostnames(s.Hostnames)
	v.tooMany("spec.rules", len(s.Rules), 16)
	total := 0
	for i := range s.Rules {
		total += len(s.Rules[i].Matches)
		v.rule(fmt.Sprintf("spec.rules[%d]", i), &s.Rules[i])
	}
	if total > 128 {
		v.add("spec.rules", "Invalid value: \"array\": While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128")
	}
	return v.errs
}

// hostnames checks spec.hostnames: at most 16, each a DNS name with an optional leading wildcard label.
func (v *routeValidator) hostnames(hs []gatewayv1.Hostname) {
	v.tooMany("spec.hostnames", len(hs), 16)
	for i, h := range hs {
		if len(h) > 253 || !gatewayHostnameRE.MatchString(string(h)) {
			v.add(fmt.Sprintf("spec.hostnames[%d]", i), "Invalid value: %q: should match '%s'", h, gatewayHostnameRE)
		}
	}
}

// rule checks one HTTPRouteRule at path p: its matches, then its backendRefs.
func (v *routeValidator) rule(p string, rule *gatewayv1.HTTPRouteRule) {
	v.tooMany(p+".matches", len(rule.Matches), 64)
	for j := range rule.Matches {
		v.match(fmt.Sprintf("%s.matches[%d]", p, j), &rule.Matches[j])
	}
	v.tooMany(p+".backendRefs", len(rule.BackendRefs), 16)
	if HasRequestRedirect(rule) && len(rule.BackendRefs) > 0 {
		v.add(p, "Invalid value: \"object\": RequestRedirect filter must not be used together with backendRefs")
	}
	for k := range rule.BackendRefs {
		v.backendRef(fmt.Sprintf("%s.backendRefs[%d]", p, k), &rule.BackendRefs[k])
	}
}

// HasRequestRedirect reports whether the rule has a RequestRedirect filter (which answers every
// request itself, so that the rule sends no traffic to backends).
func HasRequestRedirect(rule *gatewayv1.HTTPRouteRule) bool {
	for _, f := range rule.Filters {
		if f.Type == gatewayv1.HTTPRouteFilterRequestRedirect {
			return true
		}
	}
	return false
}

// match checks one HTTPRouteMatch at path q: path, headers, query parameters and method.
func (v *routeValidator) match(q string, m *gatewayv1.HTTPRouteMatch) {
	if m.Path != nil {
		v.pathMatch(q, m.Path)
	}
	v.valueMatches(q+".headers", headerValueMatches(m.Headers), 4096)
	v.valueMatches(q+".queryParams", queryValueMatches(m.QueryParams), 1024)
	if m.Method != nil {
		switch *m.Method {
		case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH":
		default:
			v.add(q+".method", "Unsupported value: %q: supported values: \"GET\", \"HEAD\", \"POST\", \"PUT\", \"DELETE\", \"CONNECT\", \"OPTIONS\", \"TRACE\", \"PATCH\"", *m.Method)
		}
	}
}

// pathMatch checks the path match of the match block at q, with the defaults type PathPrefix and
// value "/".
func (v *routeValidator) pathMatch(q string, pm *gatewayv1.HTTPPathMatch) {
	typ := ptrOr(pm.Type, gatewayv1.PathMatchPathPrefix)
	val := ptrOr(pm.Value, "/")
	switch typ {
	case gatewayv1.PathMatchExact, gatewayv1.PathMatchPathPrefix:
		for _, bad := range []struct {
			cond bool
			msg  string
		}{
			{!strings.HasPrefix(val, "/"), "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"},
			{strings.Contains(val, "//"), "must not contain '//' when type one of ['Exact', 'PathPrefix']"},
			{strings.Contains(val, "/./"), "must not contain '/./' when type one of ['Exact', 'PathPrefix']"},
			{strings.Contains(val, "/../"), "must not contain '/../' when type one of ['Exact', 'PathPrefix']"},
			{strings.Contains(val, "#"), "must not contain '#' when type one of ['Exact', 'PathPrefix']"},
		} {
			if bad.cond {
				v.add(q+".path", "Invalid value: \"object\": %s", bad.msg)
			}
		}
	case gatewayv1.PathMatchRegularExpression:
		if _, err := regexp.Compile(val); err != nil {
			v.add(q+".path.value", "Invalid value: %q: not an RE2 regular expression (%v)", val, err)
		}
	default:
		v.add(q+".path.type", "Unsupported value: %q: supported values: \"Exact\", \"PathPrefix\", \"RegularExpression\"", typ)
	}
	if len(val) > 1024 {
		v.add(q+".path.value", "Too long: may not be longer than 1024")
	}
}

// valueMatch is a header or query parameter match with its type defaulted (HTTPHeaderMatch,
// HTTPQueryParamMatch).
type valueMatch struct {
	name, typ, value string
}

func headerValueMatches(hs []gatewayv1.HTTPHeaderMatch) []valueMatch {
	out := make([]valueMatch, len(hs))
	for i, h := range hs {
		out[i] = valueMatch{string(h.Name), string(ptrOr(h.Type, gatewayv1.HeaderMatchExact)), h.Value}
	}
	return out
}

func queryValueMatches(qs []gatewayv1.HTTPQueryParamMatch) []valueMatch {
	out := make([]valueMatch, len(qs))
	for i, q := range qs {
		out[i] = valueMatch{string(q.Name), string(ptrOr(q.Type, gatewayv1.QueryParamMatchExact)), q.Value}
	}
	return out
}

// valueMatches checks the header or query parameter matches of the list at path: at most 16, names
// unique (the listMapKey), and each value valid for its type and no longer than maxLen.
func (v *routeValidator) valueMatches(path string, ms []valueMatch, maxLen int) {
	v.tooMany(path, len(ms), 16)
	seen := map[string]bool{}
	for k, m := range ms {
		p := fmt.Sprintf("%s[%d]", path, k)
		if seen[m.name] {
			v.add(p+".name", "Duplicate value: %q", m.name)
		}
		seen[m.name] = true
		v.valueMatch(p, m, maxLen)
	}
}

// valueMatch checks the type and value of one header or query parameter match at path.
func (v *routeValidator) valueMatch(path string, m valueMatch, maxLen int) {
	switch m.typ {
	case "Exact":
	case "RegularExpression":
		if _, err := regexp.Compile(m.value); err != nil {
			v.add(path+".value", "Invalid value: %q: not an RE2 regular expression (%v)", m.value, err)
		}
	default:
		v.add(path+".type", "Unsupported value: %q: supported values: \"Exact\", \"RegularExpression\"", m.typ)
	}
	if m.value == "" {
		v.add(path+".value", "Invalid value: \"\": should be at least 1 chars long")
	}
	if len(m.value) > maxLen {
		v.add(path+".value", "Too long: may not be longer than %d", maxLen)
	}
}

// backendRef checks one HTTPBackendRef at path bp: weight range, name, port range, and a port for
// a Service.
func (v *routeValidator) backendRef(bp string, b *gatewayv1.HTTPBackendRef) {
	if b.Weight != nil && *b.Weight < 0 {
		v.add(bp+".weight", "Invalid value: %d: should be greater than or equal to 0", *b.Weight)
	}
	if b.Weight != nil && *b.Weight > 1000000 {
		v.add(bp+".weight", "Invalid value: %d: should be less than or equal to 1000000", *b.Weight)
	}
	if b.Name == "" {
		v.add(bp+".name", "Required value")
	}
	if b.Port != nil && (*b.Port < 1 || *b.Port > 65535) {
		v.add(bp+".port", "Invalid value: %d: should be between 1 and 65535", *b.Port)
	}
	if ptrOr(b.Group, "") == "" && ptrOr(b.Kind, "Service") == "Service" && b.Port == nil {
		v.add(bp, "Invalid value: \"object\": Must have port for Service reference")
	}
}
