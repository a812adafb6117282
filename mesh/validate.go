package mesh

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	networking "istio.io/api/networking/v1"
)

// vsValidator collects the problems of one VirtualService in document order.
type vsValidator struct {
	doc  *Document
	errs []*Error
}

// add records a problem at path.
func (v *vsValidator) add(path, format string, args ...any) {
	v.errs = append(v.errs, v.doc.Errorf(path, format, args...))
}

// validateVirtualService applies the checks of istio pkg/config/validation/validation.go
// (ValidateVirtualService, validateHTTPRoute, validateHTTPRouteDestinations, validateWeight) that
// bear on routing, and returns every problem found in document order, as Istio's validation does
// (it collects a multierror; istioctl analyze reports each one as IST0106). The messages are Istio's
// own where it has one.
func validateVirtualService(vs *VirtualService) []*Error {
	v := &vsValidator{doc: vs.Document}
	s := vs.Spec
	v.hosts(s.GetHosts())
	if len(s.GetHosts()) == 0 {
		v.delegate(s)
	}
	v.errs = append(v.errs, validateExportTo(vs.Document, s.GetExportTo())...)
	if len(s.GetHttp()) == 0 && len(s.GetTcp()) == 0 && len(s.GetTls()) == 0 {
		v.add("spec", "http, tcp or tls must be provided in virtual service")
	}
	for i, r := range s.GetHttp() {
		p := fmt.Sprintf("spec.http[%d]", i)
		if r == nil {
			v.add(p, "http route may not be null")
			continue
		}
		v.httpRoute(p, r)
	}
	return v.errs
}

// delegate checks a VirtualService without hosts, which Istio takes as a delegate (ValidateVirtualService
// with PILOT_ENABLE_VIRTUAL_SERVICE_DELEGATE, on by default): it may not name gateways nor have tcp or
// tls routes, and a route of a delegate may not delegate again.
func (v *vsValidator) delegate(s *networking.VirtualService) {
	if len(s.GetGateways()) != 0 {
		v.add("spec.gateways", "delegate virtual service must have no gateways specified")
	}
	if len(s.GetTls()) != 0 {
		v.add("spec.tls", "delegate virtual service must have no tls route specified")
	}
	if len(s.GetTcp()) != 0 {
		v.add("spec.tcp", "delegate virtual service must have no tcp route specified")
	}
	for i, r := range s.GetHttp() {
		if r.GetDelegate() != nil {
			v.add(fmt.Sprintf("spec.http[%d].delegate", i), "http delegate only applies to root virtual service")
		}
	}
}

// hosts checks spec.hosts: none empty, no duplicates (no hosts at all makes a delegate).
func (v *vsValidator) hosts(hosts []string) {
	seen := map[string]bool{}
	for i, h := range hosts {
		p := fmt.Sprintf("spec.hosts[%d]", i)
		if h == "" {
			v.add(p, "empty domain name not allowed")
			continue
		}
		if seen[h] {
			v.add(p, "duplicate hosts in virtual service: %s", h)
		}
		seen[h] = true
	}
}

// httpRoute checks one http rule at path p: its action, destinations, mirror percentage and URI
// regex lengths.
func (v *vsValidator) httpRoute(p string, r *networking.HTTPRoute) {
	v.action(p, r)
	v.destinations(p, r.GetRoute())
	if mp := r.GetMirrorPercentage(); mp != nil && (mp.GetValue() < 0 || mp.GetValue() > 100) {
		v.add(p+".mirrorPercentage", "percentage %v is not in range 0..100", mp.GetValue())
	}
	for j, m := range r.GetMatch() {
		if u := m.GetUri(); u != nil && len(u.GetRegex()) > 1024 {
			v.add(fmt.Sprintf("%s.match[%d].uri.regex", p, j), "regex is too large, max length allowed is 1024")
		}
	}
}

// action checks that the rule has exactly one of route, redirect and direct response, or a delegate
// alone.
func (v *vsValidator) action(p string, r *networking.HTTPRoute) {
	hasRoute := len(r.GetRoute()) > 0
	switch {
	case r.GetDelegate() != nil:
		if hasRoute || r.GetRedirect() != nil || r.GetDirectResponse() != nil {
			v.add(p, "http delegate must not be set together with route, redirect or directResponse")
		}
	case hasRoute && r.GetRedirect() != nil:
		v.add(p, "HTTP route cannot contain both route and redirect")
	case hasRoute && r.GetDirectResponse() != nil:
		v.add(p, "HTTP route cannot contain both route and directResponse")
	case r.GetRedirect() != nil && r.GetDirectResponse() != nil:
		v.add(p, "HTTP route cannot contain both redirect and directResponse")
	case !hasRoute && r.GetRedirect() == nil && r.GetDirectResponse() == nil:
		v.add(p, "HTTP route, redirect or direct response is required")
	}
}

// destinations checks the weighted destinations of the rule at p: each one, then their total
// (validateHTTPRouteDestinations: the int32 sum must not overflow, and must not be 0 when there are
// several).
func (v *vsValidator) destinations(p string, routes []*networking.HTTPRouteDestination) {
	var total int32
	overflow := false
	for j, d := range routes {
		q := fmt.Sprintf("%s.route[%d]", p, j)
		if !v.destination(q, d) {
			continue
		}
		total += d.GetWeight()
		if total < 0 && !overflow {
			v.add(q+".weight", "total destination weight overflows int32")
			overflow = true
		}
	}
	if len(routes) > 1 && total == 0 {
		v.add(p+".route", "total destination weight = 0")
	}
}

// destination checks one weighted destination at q, and reports whether its weight counts towards
// the total (it is there and not negative).
func (v *vsValidator) destination(q string, d *networking.HTTPRouteDestination) bool {
	if d == nil {
		v.add(q, "weight may not be nil")
		return false
	}
	switch {
	case d.GetDestination() == nil:
		v.add(q+".destination", "destination is required")
	case d.GetDestination().GetHost() == "":
		v.add(q+".destination.host", "empty domain name not allowed")
	case d.GetDestination().GetHost() == "*":
		v.add(q+".destination.host", "invalid destination host *")
	}
	if d.GetWeight() < 0 {
		v.add(q+".weight", "weight %d < 0", d.GetWeight())
		return false
	}
	return true
}

// validateVirtualServiceMatches applies Istio's regex checks on match blocks
// (pkg/config/validation/virtualservice.go validateHTTPRouteMatchRequest, validation.go
// validateStringMatchRegexp and validateStringRegexp) with Istio's messages. Add leaves these to
// Translate, whose messages predate them; AddLenient (lint) reports them as Istio does.
func validateVirtualServiceMatches(vs *VirtualService) []*Error {
	var errs []*Error
	for i, r := range vs.Spec.GetHttp() {
		for j, m := range r.GetMatch() {
			if m == nil {
				continue
			}
			q := fmt.Sprintf("spec.http[%d].match[%d]", i, j)
			one := func(sm *networking.StringMatch, field, where string) {
				if err := validateStringMatchRegexp(sm, where); err != "" {
					errs = append(errs, vs.Errorf(q+"."+field, "%s", err))
				}
			}
			for _, name := range slices.Sorted(maps.Keys(m.GetHeaders())) {
				one(m.GetHeaders()[name], "headers."+name, "headers")
			}
			one(m.GetUri(), "uri", "uri")
			one(m.GetScheme(), "scheme", "scheme")
			one(m.GetMethod(), "method", "method")
			one(m.GetAuthority(), "authority", "authority")
			for _, name := range slices.Sorted(maps.Keys(m.GetQueryParams())) {
				one(m.GetQueryParams()[name], "queryParams."+name, "queryParams")
			}
			for _, name := range slices.Sorted(maps.Keys(m.GetWithoutHeaders())) {
				one(m.GetWithoutHeaders()[name], "withoutHeaders."+name, "withoutHeaders")
			}
		}
	}
	return errs
}

// validateStringMatchRegexp is Istio's check of a regex StringMatch; "" when it is fine.
func validateStringMatchRegexp(sm *networking.StringMatch, where string) string {
	rm, ok := sm.GetMatchType().(*networking.StringMatch_Regex)
	if !ok {
		return ""
	}
	if rm.Regex == "" {
		return fmt.Sprintf("%q: regex string match should not be empty", where)
	}
	if len(rm.Regex) > 1024 {
		return "" // reported by validateVirtualService for uri; Istio's length check otherwise
	}
	if _, err := regexp.Compile(rm.Regex); err != nil {
		return fmt.Sprintf("%q: %v; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)", where, err)
	}
	return ""
}

// validateDestinationRule checks what routing relies on: a host and uniquely named subsets.
func validateDestinationRule(dr *DestinationRule) []*Error {
	var errs []*Error
	if dr.Spec.GetHost() == "" {
		errs = append(errs, dr.Errorf("spec.host", "empty domain name not allowed"))
	}
	seen := map[string]bool{}
	for i, s := range dr.Spec.GetSubsets() {
		p := fmt.Sprintf("spec.subsets[%d].name", i)
		if s.GetName() == "" {
			errs = append(errs, dr.Errorf(p, "subset name is invalid: \"\""))
			continue
		}
		if seen[s.GetName()] {
			errs = append(errs, dr.Errorf(p, "duplicate subset names: %s", s.GetName()))
		}
		seen[s.GetName()] = true
	}
	return append(errs, validateExportTo(dr.Document, dr.Spec.GetExportTo())...)
}

// validateExportTo is validation.go validateExportTo (with pkg/config/visibility Instance.Validate)
// for a VirtualService or DestinationRule: no entry twice ("." counts as the resource's namespace),
// each "*", "." or a namespace name ("~", which only a ServiceEntry may use, is rejected), and "*"
// alone.
func validateExportTo(d *Document, exportTo []string) []*Error {
	var errs []*Error
	seen := map[string]bool{}
	for i, e := range exportTo {
		p := fmt.Sprintf("spec.exportTo[%d]", i)
		key := e
		if e == exportPrivate {
			key = d.Namespace
		}
		switch {
		case seen[key] && key != e:
			errs = append(errs, d.Errorf(p, "duplicate entries in exportTo: . and current namespace %s", d.Namespace))
			continue
		case seen[key]:
			errs = append(errs, d.Errorf(p, "duplicate entries in exportTo for entry %s", e))
			continue
		}
		switch {
		case key == exportNone:
			errs = append(errs, d.Errorf(p, "exportTo ~ (none) is not allowed for Istio configuration objects"))
			continue
		case key != exportPublic && checkDNSLabel(key) != nil:
			errs = append(errs, d.Errorf(p, "only .,*,~, or a valid DNS 1123 label is allowed as exportTo entry"))
			continue
		}
		seen[key] = true
	}
	if seen[exportPublic] && len(exportTo) > 1 {
		errs = append(errs, d.Errorf("spec.exportTo", "cannot have both public (*) and non-public exportTo values for a resource"))
	}
	return errs
}
