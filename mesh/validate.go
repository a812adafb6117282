package mesh

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	networking "istio.io/api/networking/v1"
)

// validator collects the problems of one VirtualService or DestinationRule in Istio's check order,
// each at the most precise field path splitsim can name.
type validator struct {
	doc  *Document
	errs []*Error
}

// add records a problem at path.
func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, v.doc.Errorf(path, format, args...))
}

// check records each non-nil error at path, with Istio's text.
func (v *validator) check(path string, errs ...error) {
	for _, err := range errs {
		if err != nil {
			v.errs = append(v.errs, v.doc.Errorf(path, "%s", err.Error()))
		}
	}
}

// validateVirtualService is istio pkg/config/validation/validation.go ValidateVirtualService
// (istio.io/istio v0.0.0-20260827124520-eed52ebb66ad) with PILOT_ENABLE_VIRTUAL_SERVICE_DELEGATE on,
// as istiod and istioctl run it: every problem, in Istio's order, with Istio's message (Istio collects
// a multierror; istioctl analyze reports each one as IST0106), at the field it is about. Istio's warnings (deprecated mirrorPercent, legacy
// gateway names, unreachable rules) are not reported here.
func validateVirtualService(vs *VirtualService) []*Error {
	v := &validator{doc: vs.Document}
	s := vs.Spec
	if len(s.GetHosts()) == 0 {
		// A delegate: meaningless with gateways, and there are no tls or tcp delegates.
		if len(s.GetGateways()) != 0 {
			v.add("spec.gateways", "delegate virtual service must have no gateways specified")
		}
		if len(s.GetTls()) != 0 {
			v.add("spec.tls", "delegate virtual service must have no tls route specified")
		}
		if len(s.GetTcp()) != 0 {
			v.add("spec.tcp", "delegate virtual service must have no tcp route specified")
		}
	}
	appliesToMesh, appliesToGateway := true, false
	if len(s.GetGateways()) != 0 {
		v.gatewayNames("spec.gateways", s.GetGateways())
		appliesToGateway = !slices.Contains(s.GetGateways(), meshGateway)
		appliesToMesh = !appliesToGateway
	}
	if !appliesToGateway {
		v.jwtClaimRoutes(s)
	}
	v.hosts(s, appliesToMesh, appliesToGateway)
	if len(s.GetHttp()) == 0 && len(s.GetTcp()) == 0 && len(s.GetTls()) == 0 {
		v.add("spec", "http, tcp or tls must be provided in virtual service")
	}
	for i, r := range s.GetHttp() {
		p := fmt.Sprintf("spec.http[%d]", i)
		if r == nil {
			v.add(p, "http route may not be null")
			continue
		}
		v.httpRoute(p, r, len(s.GetHosts()) == 0)
	}
	for i, r := range s.GetTls() {
		v.tlsRoute(fmt.Sprintf("spec.tls[%d]", i), r, s)
	}
	for i, r := range s.GetTcp() {
		v.tcpRoute(fmt.Sprintf("spec.tcp[%d]", i), r)
	}
	v.errs = append(v.errs, validateExportTo(vs.Document, s.GetExportTo(), false)...)
	return v.errs
}

// jwtClaimRoutes rejects header matches on JWT claims (@request.auth.claims...) in a VirtualService
// that applies to sidecars: Istio supports them on gateways only.
func (v *validator) jwtClaimRoutes(s *networking.VirtualService) {
	for i, r := range s.GetHttp() {
		for j, m := range r.GetMatch() {
			for _, field := range []string{"headers", "withoutHeaders"} {
				headers := m.GetHeaders()
				if field == "withoutHeaders" {
					headers = m.GetWithoutHeaders()
				}
				for _, key := range slices.Sorted(maps.Keys(headers)) {
					if isJWTClaimRoute(key) {
						v.add(fmt.Sprintf("spec.http[%d].match[%d].%s.%s", i, j, field, key),
							"JWT claim based routing (key: %s) is only supported for gateway, found no gateways: %v", key, s.GetGateways())
					}
				}
			}
		}
	}
}

// hosts checks spec.hosts: each a domain name (with a wildcard first label) or an IP address, "*" not
// on the mesh, and, when they are all valid, no two that match a common name (host.Name.Matches:
// *.foo.bar and *.bar are duplicates).
func (v *validator) hosts(s *networking.VirtualService, appliesToMesh, appliesToGateway bool) {
	allValid := true
	sni := isSniHost(s)
	for i, h := range s.GetHosts() {
		var err error
		if appliesToGateway {
			err = validateWildcardDomainForGateway(sni, h)
		} else {
			err = validateWildcardDomain(h)
		}
		p := fmt.Sprintf("spec.hosts[%d]", i)
		if err != nil {
			if !isValidIPAddress(h) {
				v.check(p, err)
				allValid = false
			}
		} else if appliesToMesh && h == "*" {
			v.add(p, "wildcard host * is not allowed for virtual services bound to the mesh gateway")
			allValid = false
		}
	}
	if !allValid {
		return
	}
	hosts := s.GetHosts()
	for i := range hosts {
		for j := i + 1; j < len(hosts); j++ {
			if hostMatches(hosts[i], hosts[j]) {
				v.add(fmt.Sprintf("spec.hosts[%d]", j), "duplicate hosts in virtual service: %s & %s", hosts[i], hosts[j])
			}
		}
	}
}

// isSniHost is validation.go isSniHost: some tls match names SNI hosts.
func isSniHost(s *networking.VirtualService) bool {
	for _, tls := range s.GetTls() {
		for _, m := range tls.GetMatch() {
			if len(m.GetSniHosts()) > 0 {
				return true
			}
		}
	}
	return false
}

// gatewayNames is validation.go validateGatewayNames (without Gateway API route semantics): each name
// is namespace/name with both DNS labels, or a name that must be an FQDN. Like Istio, it stops at the
// first name without a slash.
func (v *validator) gatewayNames(p string, names []string) {
	for i, name := range names {
		q := fmt.Sprintf("%s[%d]", p, i)
		ns, gw, ok := strings.Cut(name, "/")
		if !ok {
			v.check(q, validateFQDN(name))
			return
		}
		if ns == "" || gw == "" {
			v.add(q, "config namespace and gateway name cannot be empty")
		}
		if !isDNS1123Label(ns) {
			v.add(q, "invalid value for namespace: %q", ns)
		}
		if !isDNS1123Label(gw) {
			v.add(q, "invalid value for gateway name: %q", gw)
		}
	}
}

// tlsRoute is validation.go validateTLSRoute.
func (v *validator) tlsRoute(p string, r *networking.TLSRoute, s *networking.VirtualService) {
	if r == nil {
		return
	}
	if len(r.GetMatch()) == 0 {
		v.add(p+".match", "TLS route must have at least one match condition")
	}
	for j, m := range r.GetMatch() {
		q := fmt.Sprintf("%s.match[%d]", p, j)
		if m == nil {
			v.add(q, "TLS match may not be null")
			continue
		}
		if len(m.GetSniHosts()) == 0 {
			v.add(q+".sniHosts", "TLS match must have at least one SNI host")
		}
		for k, h := range m.GetSniHosts() {
			v.sniHost(fmt.Sprintf("%s.sniHosts[%d]", q, k), h, s)
		}
		for k, subnet := range m.GetDestinationSubnets() {
			v.check(fmt.Sprintf("%s.destinationSubnets[%d]", q, k), validateIPSubnet(subnet))
		}
		v.l4Match(q, m.GetPort(), m.GetSourceLabels(), m.GetGateways())
	}
	if len(r.GetRoute()) == 0 {
		v.add(p+".route", "TLS route is required")
	}
	v.routeDestinations(p, r.GetRoute())
}

// sniHost is validation.go validateSniHost: a domain name (an IP address only draws Istio's warning)
// within one of the VirtualService's hosts.
func (v *validator) sniHost(p, h string, s *networking.VirtualService) {
	var err error
	if !slices.Contains(s.GetGateways(), meshGateway) {
		err = validateWildcardDomainForGateway(true, h)
	} else {
		err = validateWildcardDomain(h)
	}
	if err != nil {
		if !isValidIPAddress(h) {
			v.check(p, err)
		}
		return
	}
	for _, host := range s.GetHosts() {
		if hostSubsetOf(h, host) {
			return
		}
	}
	v.add(p, "SNI host %q is not a compatible subset of any of the virtual service hosts: [%s]", h, strings.Join(s.GetHosts(), ", "))
}

// tcpRoute is validation.go validateTCPRoute.
func (v *validator) tcpRoute(p string, r *networking.TCPRoute) {
	if r == nil {
		return
	}
	for j, m := range r.GetMatch() {
		q := fmt.Sprintf("%s.match[%d]", p, j)
		if m == nil {
			v.add(q, "tcp match may not be nil")
			continue
		}
		for k, subnet := range m.GetDestinationSubnets() {
			v.check(fmt.Sprintf("%s.destinationSubnets[%d]", q, k), validateIPSubnet(subnet))
		}
		v.l4Match(q, m.GetPort(), m.GetSourceLabels(), m.GetGateways())
	}
	if len(r.GetRoute()) == 0 {
		v.add(p+".route", "TCP route is required")
	}
	v.routeDestinations(p, r.GetRoute())
}

// l4Match checks the port, sourceLabels and gateways of a tls or tcp match at q.
func (v *validator) l4Match(q string, port uint32, sourceLabels map[string]string, gateways []string) {
	if port != 0 {
		v.check(q+".port", validatePort(int(port)))
	}
	v.labels(q+".sourceLabels", sourceLabels)
	v.gatewayNames(q+".gateways", gateways)
}

// routeDestinations is validation.go validateRouteDestinations, for tls and tcp routes.
func (v *validator) routeDestinations(p string, routes []*networking.RouteDestination) {
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

// validateDestinationRule is istio pkg/config/validation/validation.go ValidateDestinationRule
// (istio.io/istio v0.0.0-20260827124520-eed52ebb66ad): the host, the traffic policy, the subsets
// (named once each, as DNS labels, with valid labels and traffic policies), exportTo and the workload
// selector, every problem in Istio's order with Istio's message. Istio's warnings are not reported.
func validateDestinationRule(dr *DestinationRule) []*Error {
	v := &validator{doc: dr.Document}
	s := dr.Spec
	v.check("spec.host", validateWildcardDomain(s.GetHost()))
	v.trafficPolicy("spec.trafficPolicy", s.GetTrafficPolicy())
	seen := map[string]bool{}
	for i, sub := range s.GetSubsets() {
		p := fmt.Sprintf("spec.subsets[%d]", i)
		if sub == nil {
			v.add(p, "subset may not be null")
			continue
		}
		if seen[sub.GetName()] {
			v.add(p+".name", "duplicate subset names: %s", sub.GetName())
		}
		seen[sub.GetName()] = true
		v.check(p+".name", validateSubsetName(sub.GetName()))
		v.labels(p+".labels", sub.GetLabels())
		v.trafficPolicy(p+".trafficPolicy", sub.GetTrafficPolicy())
	}
	v.errs = append(v.errs, validateExportTo(dr.Document, s.GetExportTo(), s.GetWorkloadSelector() != nil)...)
	if sel := s.GetWorkloadSelector(); sel != nil {
		for _, k := range slices.Sorted(maps.Keys(sel.GetMatchLabels())) {
			p, val := "spec.workloadSelector.matchLabels."+k, sel.GetMatchLabels()[k]
			if k == "" {
				v.add(p, "empty key is not supported in selector: %q", k+"="+val)
			}
			if strings.Contains(k, "*") || strings.Contains(val, "*") {
				v.add(p, "wildcard is not supported in selector: %q", k+"="+val)
			}
		}
	}
	return v.errs
}

// validateSubsetName is validation.go validateSubsetName.
func validateSubsetName(name string) error {
	if len(name) == 0 {
		return errors.New("subset name cannot be empty")
	}
	if !isDNS1123Label(name) {
		return fmt.Errorf("subset name is invalid: %s", name)
	}
	return nil
}

// validateExportTo is validation.go validateExportTo (with pkg/config/visibility Instance.Validate)
// for a VirtualService or DestinationRule: no entry twice ("." counts as the resource's namespace),
// each "*", "." or a namespace name ("~", which only a ServiceEntry may use, is rejected), "*" alone,
// and, for a DestinationRule with a workload selector, the resource's namespace alone.
func validateExportTo(d *Document, exportTo []string, drWithSelector bool) []*Error {
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
		case key != exportPublic && !isDNS1123Label(key):
			errs = append(errs, d.Errorf(p, "only .,*, or a valid DNS 1123 label is allowed as exportTo entry"))
			continue
		}
		seen[key] = true
	}
	if drWithSelector && len(seen) > 0 {
		switch {
		case !seen[d.Namespace]:
			errs = append(errs, d.Errorf("spec.exportTo", "destination rule with workload selector cannot have exportTo beyond current namespace"))
		case len(seen) > 1:
			errs = append(errs, d.Errorf("spec.exportTo", "destination rule with workload selector cannot have multiple entries in exportTo"))
		}
	}
	if seen[exportPublic] && len(exportTo) > 1 {
		errs = append(errs, d.Errorf("spec.exportTo", "cannot have both public (*) and non-public exportTo values for a resource"))
	}
	return errs
}
