package mesh

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	networking "istio.io/api/networking/v1"
	"istio.io/api/networking/v1alpha3"
)

// ServiceEntry validation as istiod and istioctl run it: istio pkg/config/validation/validation.go
// ValidateServiceEntry, with ValidateAlphaWorkloadSelector, validateWorkloadEntry, ValidatePortName,
// ValidateProtocol and validateExportTo (istio.io/istio v0.0.0-20260827124520-eed52ebb66ad): every
// problem in Istio's order with Istio's message, at the field it is about. Istio walks the ports and
// labels of an endpoint in Go's random map order; splitsim takes them in key order. Istio's warnings
// (partial wildcard hosts, a workload selector without labels, TCP ports without addresses, several
// hosts with an address and a TCP port) are not reported.

// useWaypointLabel is label.IoIstioUseWaypoint.
const useWaypointLabel = "istio.io/use-waypoint"

// validateServiceEntry is ValidateServiceEntry.
func validateServiceEntry(se *ServiceEntry) []*Error {
	v := &validator{doc: se.Document}
	s := se.Spec
	// A bad workload selector is all Istio reports.
	if sel := s.GetWorkloadSelector(); sel != nil {
		v.workloadSelector(sel.GetLabels())
		if len(v.errs) > 0 {
			return v.errs
		}
	}
	if s.GetWorkloadSelector() != nil && s.GetEndpoints() != nil {
		v.add("spec.endpoints", "only one of WorkloadSelector or Endpoints is allowed in Service Entry")
	}
	v.serviceEntryHosts(s.GetHosts())
	resolution := s.GetResolution()
	v.serviceEntryAddresses(s.GetAddresses(), resolution)
	v.serviceEntryPorts(s.GetPorts())
	portNames := servicePortNames(s.GetPorts())
	switch resolution {
	case networking.ServiceEntry_NONE:
		if len(s.GetEndpoints()) != 0 {
			v.add("spec.endpoints", "no endpoints should be provided for resolution type none")
		}
	case networking.ServiceEntry_STATIC:
		v.staticEndpoints(s.GetEndpoints(), portNames)
	case networking.ServiceEntry_DNS, networking.ServiceEntry_DNS_ROUND_ROBIN:
		v.dnsResolution(s, portNames)
	case networking.ServiceEntry_DYNAMIC_DNS:
		v.dynamicDNS(se)
	default:
		v.add("spec.resolution", "unsupported resolution type %s", v1alpha3.ServiceEntry_Resolution_name[int32(resolution)])
	}
	// Plain TCP cannot tell several hosts apart, unless they are ignored (resolution NONE).
	if resolution != networking.ServiceEntry_NONE && len(s.GetHosts()) > 1 {
		v.multipleHostPorts(s.GetPorts())
	}
	v.errs = append(v.errs, validateServiceEntryExportTo(se.Document, s.GetExportTo())...)
	return v.errs
}

// workloadSelector checks the labels of a ServiceEntry's workload selector, in key order: no
// empty key, no wildcard in a key or value.
func (v *validator) workloadSelector(labels map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		p, val := "spec.workloadSelector.labels."+k, labels[k]
		if k == "" {
			v.add(p, "empty key is not supported in selector: %q", k+"="+val)
		}
		if strings.Contains(k, "*") || strings.Contains(val, "*") {
			v.add(p, "wildcard is not supported in selector: %q", k+"="+val)
		}
	}
}

// serviceEntryHosts checks that a ServiceEntry has hosts, none of them "*", each a valid
// (possibly wildcard) domain.
func (v *validator) serviceEntryHosts(hosts []string) {
	if len(hosts) == 0 {
		v.add("spec.hosts", "service entry must have at least one host")
	}
	for i, h := range hosts {
		p := fmt.Sprintf("spec.hosts[%d]", i)
		if h == "*" {
			v.add(p, "invalid host %s", h)
			continue
		}
		v.check(p, validateWildcardDomain(h))
	}
}

// serviceEntryAddresses checks that each address is an IP or a subnet, and that the first CIDR
// address comes only with resolution NONE or STATIC.
func (v *validator) serviceEntryAddresses(addresses []string, resolution networking.ServiceEntry_Resolution) {
	cidr := -1
	for i, a := range addresses {
		if cidr < 0 && strings.Contains(a, "/") {
			cidr = i
		}
		v.check(fmt.Sprintf("spec.addresses[%d]", i), validateIPSubnet(a))
	}
	if cidr >= 0 && resolution != networking.ServiceEntry_NONE && resolution != networking.ServiceEntry_STATIC {
		v.add(fmt.Sprintf("spec.addresses[%d]", cidr), "CIDR addresses are allowed only for NONE/STATIC resolution types")
	}
}

// servicePortNames is the set of the names of the non-nil ports.
func servicePortNames(ports []*networking.ServicePort) map[string]bool {
	names := map[string]bool{}
	for _, port := range ports {
		if port != nil {
			names[port.GetName()] = true
		}
	}
	return names
}

// staticEndpoints checks the endpoints of a ServiceEntry with resolution STATIC: none nil, each a
// valid workload entry.
func (v *validator) staticEndpoints(endpoints []*networking.WorkloadEntry, portNames map[string]bool) {
	for i, e := range endpoints {
		p := fmt.Sprintf("spec.endpoints[%d]", i)
		if e == nil {
			v.add(p, "endpoint cannot be nil")
			continue
		}
		v.workloadEntry(p, e, portNames)
	}
}

// dnsResolution checks what resolution DNS and DNS_ROUND_ROBIN need: FQDN hosts when there are no
// endpoints, at most one endpoint for DNS_ROUND_ROBIN, endpoints with an FQDN or IP address, and
// no nil port when there are addresses.
func (v *validator) dnsResolution(s *networking.ServiceEntry, portNames map[string]bool) {
	resolution := s.GetResolution()
	if len(s.GetEndpoints()) == 0 {
		for i, h := range s.GetHosts() {
			if err := validateFQDN(h); err != nil {
				v.add(fmt.Sprintf("spec.hosts[%d]", i), "hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode %s, %v", resolution, err)
				break
			}
		}
	}
	if resolution == networking.ServiceEntry_DNS_ROUND_ROBIN && len(s.GetEndpoints()) > 1 {
		v.add("spec.endpoints", "there must only be 0 or 1 endpoint for resolution mode %s", resolution)
	}
	v.dnsEndpoints(s.GetEndpoints(), portNames)
	if len(s.GetAddresses()) > 0 {
		for i, port := range s.GetPorts() {
			if port == nil {
				v.add(fmt.Sprintf("spec.ports[%d]", i), "ports cannot be nil")
				continue
			}
			if parseProtocol(port.GetProtocol()).isTCP() {
				break // Istio only warns about several hosts here.
			}
		}
	}
}

// dnsEndpoints checks the endpoints of a ServiceEntry with a DNS resolution: none nil, each with
// an FQDN or IP address, valid labels and ports the ServiceEntry defines.
func (v *validator) dnsEndpoints(endpoints []*networking.WorkloadEntry, portNames map[string]bool) {
	for i, e := range endpoints {
		p := fmt.Sprintf("spec.endpoints[%d]", i)
		if e == nil {
			v.add(p, "endpoint cannot be nil")
			continue
		}
		if !isValidIPAddress(e.GetAddress()) && validateFQDN(e.GetAddress()) != nil {
			v.add(p+".address", "endpoint address %q is not a valid FQDN or an IP address", e.GetAddress())
		}
		v.labels(p+".labels", e.GetLabels())
		v.endpointPorts(p+".ports", e.GetPorts(), portNames)
	}
}

// multipleHostPorts reports the first port, up to which none is nil, that is neither HTTP nor
// TLS: plain TCP cannot tell several hosts apart.
func (v *validator) multipleHostPorts(ports []*networking.ServicePort) {
	for i, port := range ports {
		p := fmt.Sprintf("spec.ports[%d]", i)
		if port == nil {
			v.add(p, "ports cannot be nil")
			continue
		}
		if proto := parseProtocol(port.GetProtocol()); !proto.isHTTP() && !proto.isTLS() {
			v.add(p+".protocol", "multiple hosts provided with non-HTTP, non-TLS ports")
			break
		}
	}
}

// serviceEntryPorts checks the ports of a ServiceEntry: each named once as a DNS label, numbered
// once, with a known protocol (or none, for sniffing).
func (v *validator) serviceEntryPorts(ports []*networking.ServicePort) {
	names, numbers := map[string]bool{}, map[uint32]bool{}
	for i, port := range ports {
		p := fmt.Sprintf("spec.ports[%d]", i)
		if port == nil {
			v.add(p, "service entry port may not be null")
			continue
		}
		if names[port.GetName()] {
			v.add(p+".name", "service entry port name %q already defined", port.GetName())
		}
		names[port.GetName()] = true
		if numbers[port.GetNumber()] {
			v.add(p+".number", "service entry port %d already defined", port.GetNumber())
		}
		numbers[port.GetNumber()] = true
		if port.GetTargetPort() != 0 {
			v.check(p+".targetPort", validatePort(int(port.GetTargetPort())))
		}
		v.check(p+".name", validatePortName(port.GetName()))
		v.check(p+".protocol", validateProtocol(port.GetProtocol()))
		v.check(p+".number", validatePort(int(port.GetNumber())))
	}
}

// dynamicDNS checks what resolution DYNAMIC_DNS (Envoy's dynamic forward proxy) needs: wildcard
// hosts, no addresses or endpoints, HTTP, TLS, GRPC or HTTP2 ports, a known location, and no waypoint
// for MESH_INTERNAL.
func (v *validator) dynamicDNS(se *ServiceEntry) {
	s, r := se.Spec, se.Spec.GetResolution()
	if len(s.GetHosts()) == 0 {
		v.add("spec.hosts", "at least one wildcard host must be provided for resolution type %s", r)
	}
	for i, h := range s.GetHosts() {
		if !strings.HasPrefix(h, "*") {
			v.add(fmt.Sprintf("spec.hosts[%d]", i), "host must be wildcarded for resolution mode %s", r)
		}
	}
	if len(s.GetAddresses()) != 0 {
		v.add("spec.addresses", "addresses cannot be set for resolution type %s. HTTP route domains will only be generated"+
			"from the hosts field values", r)
	}
	if len(s.GetEndpoints()) != 0 {
		v.add("spec.endpoints", "endpoints cannot be set for resolution type %s. Destination IP address determined from hosts"+
			"field values", r)
	}
	for i, port := range s.GetPorts() {
		p := fmt.Sprintf("spec.ports[%d]", i)
		if port == nil {
			v.add(p, "port cannot be nil")
			continue
		}
		switch parseProtocol(port.GetProtocol()) {
		case protocolHTTP, protocolTLS, protocolGRPC, protocolHTTP2:
		default:
			v.add(p+".protocol", "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type %s", r)
		}
	}
	loc := s.GetLocation()
	if loc != networking.ServiceEntry_MESH_EXTERNAL && loc != networking.ServiceEntry_MESH_INTERNAL {
		v.add("spec.location", "location must be MESH_EXTERNAL or MESH_INTERNAL for resolution type %s", r)
	}
	if w := metadataStrings(se.Document, "labels")[useWaypointLabel]; loc == networking.ServiceEntry_MESH_INTERNAL && w != "" && !strings.EqualFold(w, "none") {
		v.add("spec.location", "location MESH_INTERNAL with resolution type %s is not supported when using waypoints", r)
	}
}

// workloadEntry is validateWorkloadEntry for an endpoint at p of a ServiceEntry with resolution
// STATIC, whose ports have the names in servicePorts: an IP address or a unix domain socket
// (without ports, for a ServiceEntry with one port), ports the ServiceEntry defines, valid labels.
func (v *validator) workloadEntry(p string, e *networking.WorkloadEntry, servicePorts map[string]bool) {
	addr := e.GetAddress()
	if addr == "" && e.GetNetwork() == "" {
		v.add(p+".address", "address is required")
		return
	}
	unix := strings.HasPrefix(addr, unixAddressPrefix)
	switch {
	case unix:
		v.check(p+".address", validateUnixAddress(strings.TrimPrefix(addr, unixAddressPrefix)))
		if len(e.GetPorts()) != 0 {
			v.add(p+".ports", "unix endpoint %s must not include ports", addr)
		}
	case addr != "" && !isValidIPAddress(addr):
		v.add(p+".address", "endpoint address %q is not a valid IP address", addr)
	}
	v.endpointPorts(p+".ports", e.GetPorts(), servicePorts)
	v.labels(p+".labels", e.GetLabels())
	if unix && len(servicePorts) != 1 {
		v.add(p, "exactly 1 service port required for unix endpoints")
	}
}

// endpointPorts checks the ports of an endpoint at p: each named as a port of the ServiceEntry, with a
// valid name and number.
func (v *validator) endpointPorts(p string, ports map[string]uint32, servicePorts map[string]bool) {
	for _, name := range slices.Sorted(maps.Keys(ports)) {
		q, port := p+"."+name, ports[name]
		if !servicePorts[name] {
			v.add(q, "endpoint port %v is not defined by the service entry", port)
		}
		v.check(q, validatePortName(name), validatePort(int(port)))
	}
}

// validatePortName is validation.go ValidatePortName.
func validatePortName(name string) error {
	if !isDNS1123Label(name) {
		return fmt.Errorf("invalid port name: %s", name)
	}
	return nil
}

// validateProtocol is validation.go ValidateProtocol: empty (sniffed) or a known protocol.
func validateProtocol(p string) error {
	if p != "" && parseProtocol(p) == protocolUnsupported {
		return fmt.Errorf("unsupported protocol: %s", p)
	}
	return nil
}

// validateServiceEntryExportTo is validation.go validateExportTo for a ServiceEntry, which, unlike
// other resources, may be exported to no namespace ("~"), though not to "~" and others.
func validateServiceEntryExportTo(d *Document, exportTo []string) []*Error {
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
		case seen[key]:
			errs = append(errs, d.Errorf(p, "duplicate entries in exportTo for entry %s", e))
		case e == exportNone || key == exportPublic || isDNS1123Label(key):
			seen[key] = true
		default:
			errs = append(errs, d.Errorf(p, "only .,*, or a valid DNS 1123 label is allowed as exportTo entry"))
		}
	}
	if seen[exportPublic] && len(exportTo) > 1 {
		errs = append(errs, d.Errorf("spec.exportTo", "cannot have both public (*) and non-public exportTo values for a resource"))
	}
	if seen[exportNone] && len(exportTo) > 1 {
		errs = append(errs, d.Errorf("spec.exportTo", "cannot export service entry to no one (~) and someone"))
	}
	return errs
}

// ReadServiceEntryAsIstio reads a ServiceEntry document as Istio's analyzers do (see
// ReadVirtualServiceAsIstio): se is nil when Istio cannot read it either.
func ReadServiceEntryAsIstio(d *Document) (se *ServiceEntry, decodeErr *Error, validation []*Error) {
	se = &ServiceEntry{Document: d, Spec: &networking.ServiceEntry{}}
	decodeErr, ok := readAsIstio(d, se.Spec)
	if !ok {
		return nil, decodeErr, nil
	}
	return se, decodeErr, validateServiceEntry(se)
}
