package mesh

import (
	"fmt"
)

// validateVirtualService applies the checks of istio pkg/config/validation/validation.go
// (ValidateVirtualService, validateHTTPRoute, validateHTTPRouteDestinations, validateWeight) that
// bear on routing. The messages are Istio's own where it has one.
func validateVirtualService(vs *VirtualService) error {
	s := vs.Spec
	if len(s.GetHosts()) == 0 {
		return vs.Errorf("spec.hosts", "virtual service must have at least one host")
	}
	seen := map[string]bool{}
	for i, h := range s.GetHosts() {
		p := fmt.Sprintf("spec.hosts[%d]", i)
		if h == "" {
			return vs.Errorf(p, "empty domain name not allowed")
		}
		if seen[h] {
			return vs.Errorf(p, "duplicate hosts in virtual service: %s", h)
		}
		seen[h] = true
	}
	if len(s.GetHttp()) == 0 && len(s.GetTcp()) == 0 && len(s.GetTls()) == 0 {
		return vs.Errorf("spec", "http, tcp or tls must be provided in virtual service")
	}
	for i, r := range s.GetHttp() {
		p := fmt.Sprintf("spec.http[%d]", i)
		if r == nil {
			return vs.Errorf(p, "http route may not be null")
		}
		hasRoute := len(r.GetRoute()) > 0
		switch {
		case r.GetDelegate() != nil:
			if hasRoute || r.GetRedirect() != nil || r.GetDirectResponse() != nil {
				return vs.Errorf(p, "http delegate must not be set together with route, redirect or directResponse")
			}
		case hasRoute && r.GetRedirect() != nil:
			return vs.Errorf(p, "HTTP route cannot contain both route and redirect")
		case hasRoute && r.GetDirectResponse() != nil:
			return vs.Errorf(p, "HTTP route cannot contain both route and directResponse")
		case r.GetRedirect() != nil && r.GetDirectResponse() != nil:
			return vs.Errorf(p, "HTTP route cannot contain both redirect and directResponse")
		case !hasRoute && r.GetRedirect() == nil && r.GetDirectResponse() == nil:
			return vs.Errorf(p, "HTTP route, redirect or direct response is required")
		}
		var total int32
		for j, d := range r.GetRoute() {
			q := fmt.Sprintf("%s.route[%d]", p, j)
			if d == nil {
				return vs.Errorf(q, "weight may not be nil")
			}
			if d.GetDestination() == nil {
				return vs.Errorf(q+".destination", "destination is required")
			}
			if d.GetDestination().GetHost() == "" {
				return vs.Errorf(q+".destination.host", "empty domain name not allowed")
			}
			if d.GetDestination().GetHost() == "*" {
				return vs.Errorf(q+".destination.host", "invalid destination host *")
			}
			if d.GetWeight() < 0 {
				return vs.Errorf(q+".weight", "weight %d < 0", d.GetWeight())
			}
			total += d.GetWeight()
			if total < 0 {
				return vs.Errorf(q+".weight", "total destination weight overflows int32")
			}
		}
		if len(r.GetRoute()) > 1 && total == 0 {
			return vs.Errorf(p+".route", "total destination weight = 0")
		}
		if mp := r.GetMirrorPercentage(); mp != nil && (mp.GetValue() < 0 || mp.GetValue() > 100) {
			return vs.Errorf(p+".mirrorPercentage", "percentage %v is not in range 0..100", mp.GetValue())
		}
		for j, m := range r.GetMatch() {
			q := fmt.Sprintf("%s.match[%d]", p, j)
			if m == nil {
				continue
			}
			if u := m.GetUri(); u != nil {
				if u.GetRegex() != "" && len(u.GetRegex()) > 1024 {
					return vs.Errorf(q+".uri.regex", "regex is too large, max length allowed is 1024")
				}
			}
		}
	}
	return nil
}

// validateDestinationRule checks what routing relies on: a host and uniquely named subsets.
func validateDestinationRule(dr *DestinationRule) error {
	if dr.Spec.GetHost() == "" {
		return dr.Errorf("spec.host", "empty domain name not allowed")
	}
	seen := map[string]bool{}
	for i, s := range dr.Spec.GetSubsets() {
		p := fmt.Sprintf("spec.subsets[%d].name", i)
		if s.GetName() == "" {
			return dr.Errorf(p, "subset name is invalid: \"\"")
		}
		if seen[s.GetName()] {
			return dr.Errorf(p, "duplicate subset names: %s", s.GetName())
		}
		seen[s.GetName()] = true
	}
	return nil
}
