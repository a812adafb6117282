package mesh

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	networking "istio.io/api/networking/v1"
)

// The checks of one http route of a VirtualService: istio pkg/config/validation/virtualservice.go
// validateHTTPRoute and what it calls in validation.go (istio.io/istio
// v0.0.0-20260827124520-eed52ebb66ad), in Istio's order and with Istio's messages. Where Istio walks a
// map (headers, labels), the keys are taken in sorted order.

// httpRoute is validateHTTPRoute for the route at p; delegate is true in a VirtualService without
// hosts.
func (v *validator) httpRoute(p string, r *networking.HTTPRoute, delegate bool) {
	v.httpRouteConflict(p, r, delegate)
	v.httpRouteMatchRequest(p, r)
	v.headerOperations(p+".headers", r.GetHeaders())
	v.corsPolicy(p+".corsPolicy", r.GetCorsPolicy())
	v.faultInjection(p+".fault", r.GetFault())
	if mp := mirrorPercent(r); mp != nil && mp.GetValue() > 100 {
		v.add(p+".mirrorPercent", "mirror_percent must have a max value of 100 (it has %d)", mp.GetValue())
	}
	if mp := r.GetMirrorPercentage(); mp != nil {
		if mp.GetValue() > 100 {
			v.add(p+".mirrorPercentage", "mirror_percentage must have a max value of 100 (it has %f)", mp.GetValue())
		}
		if mp.GetValue() < 0 {
			v.add(p+".mirrorPercentage", "mirror_percentage must have a min value of 0 (it has %f)", mp.GetValue())
		}
	}
	v.destination(p+".mirror", r.GetMirror())
	v.mirrors(p+".mirrors", r.GetMirrors())
	v.redirect(p+".redirect", r.GetRedirect(), r.GetMatch())
	v.directResponse(p+".directResponse", r.GetDirectResponse())
	v.retry(p+".retries", r.GetRetries())
	v.rewrite(p+".rewrite", r.GetRewrite())
	v.authorityRewrite(p, r)
	v.httpRouteDestinations(p, r.GetRoute())
	if r.GetTimeout() != nil {
		v.check(p+".timeout", validateDuration(r.GetTimeout()))
	}
}

// httpRouteConflict is validateHTTPRouteConflict: a root route (one that delegates) may have neither
// a route nor a redirect; a delegate's route may not delegate again; otherwise exactly one of route,
// redirect and direct response, a redirect or direct response without fault or rewrite, and not both
// mirror and mirrors.
func (v *validator) httpRouteConflict(p string, r *networking.HTTPRoute, delegate bool) {
	if !delegate && r.GetDelegate() != nil {
		if r.GetRedirect() != nil {
			v.add(p+".redirect", "root HTTP route %s must not specify redirect", r.GetName())
		}
		if r.Route != nil {
			v.add(p+".route", "root HTTP route %s must not specify route", r.GetName())
		}
		return
	}
	if delegate && r.GetDelegate() != nil {
		v.add(p+".delegate", "delegate HTTP route cannot contain delegate")
	}
	switch {
	case r.GetRedirect() != nil:
		if len(r.GetRoute()) > 0 {
			v.add(p+".route", "HTTP route cannot contain both route and redirect")
		}
		if r.GetFault() != nil {
			v.add(p+".fault", "HTTP route cannot contain both fault and redirect")
		}
		if r.GetRewrite() != nil {
			v.add(p+".rewrite", "HTTP route rule cannot contain both rewrite and redirect")
		}
		if r.GetDirectResponse() != nil {
			v.add(p+".directResponse", "HTTP route rule cannot contain both direct_response and redirect")
		}
	case r.GetDirectResponse() != nil:
		if len(r.GetRoute()) > 0 {
			v.add(p+".route", "HTTP route cannot contain both route and direct_response")
		}
		if r.GetFault() != nil {
			v.add(p+".fault", "HTTP route cannot contain both fault and direct_response")
		}
		if r.GetRewrite() != nil {
			v.add(p+".rewrite", "HTTP route rule cannot contain both rewrite and direct_response")
		}
	case len(r.GetRoute()) == 0:
		v.add(p, "HTTP route, redirect or direct_response is required")
	}
	if r.GetMirror() != nil && len(r.GetMirrors()) > 0 {
		v.add(p+".mirrors", "HTTP route cannot contain both mirror and mirrors")
	}
}

// httpRouteMatchRequest is validateHTTPRouteMatchRequest: the header names and string matches of
// every match block (null blocks skipped), then the port, sourceLabels, gateways and sourceNamespace
// of every block. The uri may be an empty prefix (Envoy allows it); scheme, method, authority, headers
// and query parameters may not. A withoutHeaders regex "*" means "absent" and is not compiled.
func (v *validator) httpRouteMatchRequest(p string, r *networking.HTTPRoute) {
	for j, m := range r.GetMatch() {
		if m == nil {
			continue
		}
		q := fmt.Sprintf("%s.match[%d]", p, j)
		for _, name := range slices.Sorted(maps.Keys(m.GetHeaders())) {
			h := m.GetHeaders()[name]
			f := q + ".headers." + name
			if h == nil {
				v.add(f, "header match %v cannot be null", name)
			}
			v.check(f, validateHTTPHeaderNameOrJwtClaimRoute(name), validateStringMatch(h, "headers"))
		}
		for _, name := range slices.Sorted(maps.Keys(m.GetWithoutHeaders())) {
			h := m.GetWithoutHeaders()[name]
			f := q + ".withoutHeaders." + name
			v.check(f, validateHTTPHeaderNameOrJwtClaimRoute(name))
			if h != nil && h.GetRegex() != "*" {
				v.check(f, validateStringMatch(h, "withoutHeaders"))
			}
		}
		v.check(q+".uri", validateStringMatchRegexp(m.GetUri(), "uri"))
		v.check(q+".scheme", validateStringMatch(m.GetScheme(), "scheme"))
		v.check(q+".method", validateStringMatch(m.GetMethod(), "method"))
		v.check(q+".authority", validateStringMatch(m.GetAuthority(), "authority"))
		for _, name := range slices.Sorted(maps.Keys(m.GetQueryParams())) {
			v.check(q+".queryParams."+name, validateStringMatch(m.GetQueryParams()[name], "queryParams"))
		}
	}
	for j, m := range r.GetMatch() {
		if m == nil {
			continue
		}
		q := fmt.Sprintf("%s.match[%d]", p, j)
		if m.GetPort() != 0 {
			v.check(q+".port", validatePort(int(m.GetPort())))
		}
		v.labels(q+".sourceLabels", m.GetSourceLabels())
		v.gatewayNames(q+".gateways", m.GetGateways())
		if ns := m.GetSourceNamespace(); ns != "" && !isDNS1123Label(ns) {
			v.add(q+".sourceNamespace", "sourceNamespace match %s is invalid", ns)
		}
	}
}

// validateStringMatch is validation.go validateStringMatch: no empty prefix, and a regex that RE2
// compiles.
func validateStringMatch(sm *networking.StringMatch, where string) error {
	switch sm.GetMatchType().(type) {
	case *networking.StringMatch_Prefix:
		if sm.GetPrefix() == "" {
			return fmt.Errorf("%q: prefix string match should not be empty", where)
		}
	case *networking.StringMatch_Regex:
		return validateStringMatchRegexp(sm, where)
	}
	return nil
}

// validateStringMatchRegexp is validation.go validateStringMatchRegexp: a regex match must be a
// non-empty RE2 regex.
func validateStringMatchRegexp(sm *networking.StringMatch, where string) error {
	if _, ok := sm.GetMatchType().(*networking.StringMatch_Regex); !ok {
		return nil
	}
	if sm.GetRegex() == "" {
		return fmt.Errorf("%q: regex string match should not be empty", where)
	}
	return validateStringRegexp(sm.GetRegex(), where)
}

// validateStringRegexp is validation.go validateStringRegexp: at most 1024 characters (Envoy's program
// size limit, approximated) and RE2 syntax.
func validateStringRegexp(re, where string) error {
	if len(re) > 1024 {
		return fmt.Errorf("%q: regex is too large, max length allowed is 1024", where)
	}
	if _, err := regexp.Compile(re); err != nil {
		return fmt.Errorf("%q: %w; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)", where, err)
	}
	return nil
}

// headerOperations checks the header names and values a route or destination adds, sets and removes
// (validateHTTPRoute, validateHTTPRouteDestinations): a request header added or set may be
// :authority or host, no other name may be a pseudo-header or host.
func (v *validator) headerOperations(p string, h *networking.Headers) {
	req, resp := h.GetRequest(), h.GetResponse()
	for _, op := range []struct {
		field string
		kv    map[string]string
	}{{"add", req.GetAdd()}, {"set", req.GetSet()}} {
		for _, name := range slices.Sorted(maps.Keys(op.kv)) {
			q := p + ".request." + op.field + "." + name
			v.check(q, validateHTTPHeaderWithAuthorityOperationName(name), validateHTTPHeaderValue(op.kv[name]))
		}
	}
	for i, name := range req.GetRemove() {
		v.check(fmt.Sprintf("%s.request.remove[%d]", p, i), validateHTTPHeaderOperationName(name))
	}
	for _, op := range []struct {
		field string
		kv    map[string]string
	}{{"add", resp.GetAdd()}, {"set", resp.GetSet()}} {
		for _, name := range slices.Sorted(maps.Keys(op.kv)) {
			q := p + ".response." + op.field + "." + name
			v.check(q, validateHTTPHeaderOperationName(name), validateHTTPHeaderValue(op.kv[name]))
		}
	}
	for i, name := range resp.GetRemove() {
		v.check(fmt.Sprintf("%s.response.remove[%d]", p, i), validateHTTPHeaderOperationName(name))
	}
}

// corsMethods are the methods a CORS policy may allow (validation.go supportedCORSMethods).
var corsMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace, "*"}

// corsPolicy is validation.go validateCORSPolicy.
func (v *validator) corsPolicy(p string, c *networking.CorsPolicy) {
	if c == nil {
		return
	}
	for i, o := range c.GetAllowOrigins() {
		q := fmt.Sprintf("%s.allowOrigins[%d]", p, i)
		var match string
		switch o.GetMatchType().(type) {
		case *networking.StringMatch_Exact:
			match = o.GetExact()
		case *networking.StringMatch_Prefix:
			match = o.GetPrefix()
		case *networking.StringMatch_Regex:
			match = o.GetRegex()
		}
		if match == "" {
			v.add(q, "'%v' is not a valid match type for CORS allow origins", match)
			continue
		}
		v.check(q, validateStringMatchRegexp(o, "corsPolicy.allowOrigins"))
	}
	for i, m := range c.GetAllowMethods() {
		if !slices.Contains(corsMethods, m) {
			v.add(fmt.Sprintf("%s.allowMethods[%d]", p, i), "%q is not a supported HTTP method", m)
		}
	}
	for i, name := range c.GetAllowHeaders() {
		v.check(fmt.Sprintf("%s.allowHeaders[%d]", p, i), validateCORSHTTPHeaderName(name))
	}
	for i, name := range c.GetExposeHeaders() {
		v.check(fmt.Sprintf("%s.exposeHeaders[%d]", p, i), validateCORSHTTPHeaderName(name))
	}
	if c.GetMaxAge() != nil {
		v.check(p+".maxAge", validateDuration(c.GetMaxAge()))
		if c.GetMaxAge().GetNanos() > 0 {
			v.add(p+".maxAge", "max_age duration is accurate only to seconds precision")
		}
	}
}

// grpcStatuses are the gRPC status names an abort may use (pkg/util/grpc SupportedGRPCStatus).
var grpcStatuses = []string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
	"ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
	"UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"}

// faultInjection is validation.go validateHTTPFaultInjection with its abort and delay checks.
func (v *validator) faultInjection(p string, f *networking.HTTPFaultInjection) {
	if f == nil {
		return
	}
	if f.GetAbort() == nil && f.GetDelay() == nil {
		v.add(p, "HTTP fault injection must have an abort and/or a delay")
	}
	if a := f.GetAbort(); a != nil {
		q := p + ".abort"
		v.percentage(q+".percentage", a.GetPercentage())
		switch a.GetErrorType().(type) {
		case *networking.HTTPFaultInjection_Abort_GrpcStatus:
			if !slices.Contains(grpcStatuses, a.GetGrpcStatus()) {
				v.add(q+".grpcStatus", "gRPC status %q is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md "+
					"for a list of supported codes, for example 'NOT_FOUND'", a.GetGrpcStatus())
			}
		case *networking.HTTPFaultInjection_Abort_Http2Error:
			v.add(q+".http2Error", "HTTP/2 abort fault injection not supported yet")
		case *networking.HTTPFaultInjection_Abort_HttpStatus:
			v.check(q+".httpStatus", validateHTTPStatus(a.GetHttpStatus()))
		}
		// No error type draws Istio's warning "abort configured, but error type not set".
	}
	if d := f.GetDelay(); d != nil {
		q := p + ".delay"
		v.percentage(q+".percentage", d.GetPercentage())
		switch d.GetHttpDelayType().(type) {
		case *networking.HTTPFaultInjection_Delay_FixedDelay:
			v.check(q+".fixedDelay", validateDuration(d.GetFixedDelay()))
		case *networking.HTTPFaultInjection_Delay_ExponentialDelay:
			v.check(q+".exponentialDelay", validateDuration(d.GetExponentialDelay()))
			v.add(q+".exponentialDelay", "exponentialDelay not supported yet")
		}
	}
}

// percentage is validation.go validatePercentage: 0, or from 0.0001 to 100.
func (v *validator) percentage(p string, pc *networking.Percent) {
	if pc == nil {
		return
	}
	if x := pc.GetValue(); x < 0 || x > 100 || x > 0 && x < 0.0001 {
		v.add(p, "percentage %v is neither 0.0, nor in range [0.0001, 100.0]", x)
	}
}

// validateHTTPStatus is validation.go validateHTTPStatus (600 passes, as in Istio).
func validateHTTPStatus(status int32) error {
	if status < 200 || status > 600 {
		return fmt.Errorf("HTTP status %d is not in range 200-599", status)
	}
	return nil
}

// destination is validation.go validateDestination: a host that is a domain name (not "*"), a subset
// that is a DNS label, a port from 1 to 65535.
func (v *validator) destination(p string, d *networking.Destination) {
	if d == nil {
		return
	}
	if d.GetHost() == "*" {
		v.add(p+".host", "invalid destination host %s", d.GetHost())
	} else {
		v.check(p+".host", validateWildcardDomain(d.GetHost()))
	}
	if d.GetSubset() != "" {
		v.check(p+".subset", validateSubsetName(d.GetSubset()))
	}
	if d.GetPort() != nil {
		v.check(p+".port.number", validatePort(int(d.GetPort().GetNumber())))
	}
}

// mirrors is validation.go validateHTTPMirrors.
func (v *validator) mirrors(p string, mirrors []*networking.HTTPMirrorPolicy) {
	for i, m := range mirrors {
		q := fmt.Sprintf("%s[%d]", p, i)
		if m == nil {
			v.add(q, "mirror cannot be null")
			continue
		}
		if m.GetDestination() == nil {
			v.add(q+".destination", "destination is required for mirrors")
			continue
		}
		v.destination(q+".destination", m.GetDestination())
		if pc := m.GetPercentage(); pc != nil {
			if pc.GetValue() > 100 {
				v.add(q+".percentage", "mirror percentage must have a max value of 100 (it has %f)", pc.GetValue())
			}
			if pc.GetValue() < 0 {
				v.add(q+".percentage", "mirror percentage must have a min value of 0 (it has %f)", pc.GetValue())
			}
		}
	}
}

// redirect is validation.go validateHTTPRedirect, which reports its first problem only.
func (v *validator) redirect(p string, r *networking.HTTPRedirect, matches []*networking.HTTPMatchRequest) {
	if r == nil {
		return
	}
	if r.GetUri() != "" && r.GetPrefixRewrite() != "" {
		v.add(p+".prefixRewrite", "redirect may only specify one of uri or prefix_rewrite")
		return
	}
	if r.GetPrefixRewrite() != "" {
		for _, m := range matches {
			if _, isPrefix := m.GetUri().GetMatchType().(*networking.StringMatch_Prefix); m.GetUri() != nil && !isPrefix {
				v.add(p+".prefixRewrite", "redirect prefix_rewrite requires all URI matches to use prefix match type")
				return
			}
		}
	}
	if r.GetUri() == "" && r.GetPrefixRewrite() == "" && r.GetAuthority() == "" && r.GetRedirectPort() == nil && r.GetScheme() == "" {
		v.add(p, "redirect must specify URI, authority, scheme, or port")
		return
	}
	if c := r.GetRedirectCode(); c != 0 && (c < 300 || c > 399) {
		v.add(p+".redirectCode", "%d is not a valid redirect code, must be 3xx", c)
		return
	}
	if s := r.GetScheme(); s != "" && s != "http" && s != "https" {
		v.add(p+".scheme", `invalid redirect scheme, must be "http" or "https"`)
		return
	}
	if r.GetPort() > 0 {
		v.check(p+".port", validatePort(int(r.GetPort())))
	}
}

// directResponse is validation.go validateHTTPDirectResponse: a body under 1MB (over 100kB draws
// Istio's warning only) and a status from 200 to 600.
func (v *validator) directResponse(p string, d *networking.HTTPDirectResponse) {
	if d == nil {
		return
	}
	if b := d.GetBody(); b != nil {
		size := len(b.GetString_())
		if _, ok := b.GetSpecifier().(*networking.HTTPBody_Bytes); ok {
			size = len(b.GetBytes())
		}
		if size > 1024*1024 {
			v.add(p+".body", "large direct_responses may impact control plane performance, must be less than 1MB")
		}
	}
	v.check(p+".status", validateHTTPStatus(int32(d.GetStatus())))
}

// retryOnPolicies are the retryOn values Envoy supports besides HTTP status codes
// (validation.go supportedRetryOnPolicies).
var retryOnPolicies = []string{"5xx", "gateway-error", "reset", "reset-before-request", "connect-failure",
	"retriable-4xx", "refused-stream", "retriable-status-codes", "retriable-headers", "envoy-ratelimited",
	"http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable"}

// retry is validation.go validateHTTPRetry.
func (v *validator) retry(p string, r *networking.HTTPRetry) {
	if r == nil {
		return
	}
	if r.GetAttempts() < 0 {
		v.add(p+".attempts", "attempts cannot be negative")
	}
	if r.GetAttempts() == 0 && (r.GetPerTryTimeout() != nil || r.GetRetryOn() != "" || r.GetRetryRemoteLocalities() != nil) {
		v.add(p+".attempts", "http retry policy configured when attempts are set to 0 (disabled)")
	}
	if r.GetPerTryTimeout() != nil {
		v.check(p+".perTryTimeout", validateDuration(r.GetPerTryTimeout()))
	}
	if r.GetRetryOn() != "" {
		for _, policy := range strings.Split(r.GetRetryOn(), ",") {
			code, _ := strconv.Atoi(policy)
			if http.StatusText(code) == "" && !slices.Contains(retryOnPolicies, policy) {
				v.add(p+".retryOn", "%q is not a valid retryOn policy", policy)
			}
		}
	}
	if r.GetBackoff() != nil {
		v.check(p+".backoff", validateDuration(r.GetBackoff()))
	}
}

// rewrite is validation.go validateHTTPRewrite with validateURIRegexRewrite. Istio joins a regex
// rewrite's problem to "UriRegexRewrite has errors" on a second line; here they are two problems.
func (v *validator) rewrite(p string, r *networking.HTTPRewrite) {
	if r == nil {
		return
	}
	if r.GetUri() != "" && r.GetUriRegexRewrite() != nil {
		v.add(p+".uriRegexRewrite", "rewrite may only contain one of URI or UriRegexRewrite")
		return
	}
	if r.GetUri() == "" && r.GetUriRegexRewrite() == nil && r.GetAuthority() == "" {
		v.add(p, "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified")
		return
	}
	rr := r.GetUriRegexRewrite()
	if rr == nil {
		return
	}
	var err error
	if rr.GetMatch() == "" || rr.GetRewrite() == "" {
		err = fmt.Errorf("UriRegexRewrite requires both Rewrite and Match fields to be specified")
	} else {
		err = validateStringRegexp(rr.GetMatch(), "HTTPRewrite.UriRegexRewrite.Match")
	}
	if err != nil {
		v.add(p+".uriRegexRewrite", "UriRegexRewrite has errors")
		v.check(p+".uriRegexRewrite", err)
	}
}

// authorityRewrite is virtualservice.go validateAuthorityRewrite: the authority is rewritten in one
// place only (rewrite.authority, or a :authority or host header set or added).
func (v *validator) authorityRewrite(p string, r *networking.HTTPRoute) {
	current := r.GetRewrite().GetAuthority()
	for _, op := range []struct {
		field string
		kv    map[string]string
	}{{"set", r.GetHeaders().GetRequest().GetSet()}, {"add", r.GetHeaders().GetRequest().GetAdd()}} {
		for _, k := range slices.Sorted(maps.Keys(op.kv)) {
			if !isAuthorityHeader(k) {
				continue
			}
			if current != "" {
				v.add(p+".headers.request."+op.field+"."+k, "authority header cannot be set multiple times: have %q, attempting to set %q", current, op.kv[k])
				return
			}
			current = op.kv[k]
		}
	}
}

// httpRouteDestinations is validation.go validateHTTPRouteDestinations: each destination given and
// valid, with valid header operations and a weight not below 0. The weights add up as Istio's int32
// sum does (wrapping around), and only a total of 0 over several destinations is rejected.
func (v *validator) httpRouteDestinations(p string, routes []*networking.HTTPRouteDestination) {
	var total int32
	for j, d := range routes {
		q := fmt.Sprintf("%s.route[%d]", p, j)
		if d == nil {
			v.add(q, "weight may not be nil")
			continue
		}
		if d.GetDestination() == nil {
			v.add(q+".destination", "destination is required")
		}
		v.headerOperations(q+".headers", d.GetHeaders())
		v.destination(q+".destination", d.GetDestination())
		if d.GetWeight() < 0 {
			v.add(q+".weight", "weight %d < 0", d.GetWeight())
		}
		total += d.GetWeight()
	}
	if len(routes) > 1 && total == 0 {
		v.add(p+".route", "total destination weight = 0")
	}
}
