package mesh

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	networking "istio.io/api/networking/v1"
)

// validateVirtualService applies the checks of istio pkg/config/validation/validation.go
// (ValidateVirtualService, validateHTTPRoute, validateHTTPRouteDestinations, validateWeight) that
// bear on routing, and returns every problem found in document order, as Istio's validation does
// (it collects a multierror; istioctl analyze reports each one as IST0106). The messages are Istio's
// own where it has one.
func validateVirtualService(vs *VirtualService) []*Error {
	var errs []*Error
	add := func(path, format string, args ...any) {
		errs = append(errs, vs.Errorf(path, format, args...))
	}
	s := vs.Spec
	if len(s.GetHosts()) == 0 {
		add("spec.hosts", "virtual service must have at least one host")
	}
	seen := map[string]bool{}
	for i, h := range s.GetHosts() {
		p := fmt.Sprintf("spec.hosts[%d]", i)
		if h == "" {
			add(p, "empty domain name not allowed")
			continue
		}
		if seen[h] {
			add(p, "duplicate hosts in virtual service: %s", h)
		}
		seen[h] = true
	}
	if len(s.GetHttp()) == 0 && len(s.GetTcp()) == 0 && len(s.GetTls()) == 0 {
		add("spec", "http, tcp or tls must be provided in virtual service")
	}
	for i, r := range s.GetHttp() {
		p := fmt.Sprintf("spec.http[%d]", i)
		if r == nil {
			add(p, "http route may not be null")
			continue
		}
		hasRoute := len(r.GetRoute()) > 0
		switch {
		case r.GetDelegate() != nil:
			if hasRoute || r.GetRedirect() != nil || r.GetDirectResponse() != nil {
				add(p, "http delegate must not be set together with route, redirect or directResponse")
			}
		case hasRoute && r.GetRedirect() != nil:
			add(p, "HTTP route cannot contain both route and redirect")
		case hasRoute && r.GetDirectResponse() != nil:
			add(p, "HTTP route cannot contain both route and directResponse")
		case r.GetRedirect() != nil && r.GetDirectResponse() != nil:
			add(p, "HTTP route cannot contain both redirect and directResponse")
		case !hasRoute && r.GetRedirect() == nil && r.GetDirectResponse() == nil:
			add(p, "HTTP route, redirect or direct response is required")
		}
		var total int32
		overflow := false
		for j, d := range r.GetRoute() {
			q := fmt.Sprintf("%s.route[%d]", p, j)
			if d == nil {
				add(q, "weight may not be nil")
				continue
			}
			switch {
			case d.GetDestination() == nil:
				add(q+".destination", "destination is required")
			case d.GetDestination().GetHost() == "":
				add(q+".destination.host", "empty domain name not allowed")
			case d.GetDestination().GetHost() == "*":
				add(q+".destination.host", "invalid destination host *")
			}
			if d.GetWeight() < 0 {
				add(q+".weight", "weight %d < 0", d.GetWeight())
				continue
			}
			total += d.GetWeight()
			if total < 0 && !overflow {
				add(q+".weight", "total destination weight overflows int32")
				overflow = true
			}
		}
		if len(r.GetRoute()) > 1 && total == 0 {
			add(p+".route", "total destination weight = 0")
		}
		if mp := r.GetMirrorPercentage(); mp != nil && (mp.GetValue() < 0 || mp.GetValue() > 100) {
			add(p+".mirrorPercentage", "percentage %v is not in range 0..100", mp.GetValue())
		}
		for j, m := range r.GetMatch() {
			q := fmt.Sprintf("%s.match[%d]", p, j)
			if m == nil {
				continue
			}
			if u := m.GetUri(); u != nil {
				if u.GetRegex() != "" && len(u.GetRegex()) > 1024 {
					add(q+".uri.regex", "regex is too large, max length allowed is 1024")
				}
			}
		}
	}
	return errs
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
	return errs
}
