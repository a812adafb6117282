package mesh

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	networking "istio.io/api/networking/v1"
)

// Gateway validation as istiod and istioctl run it: istio pkg/config/validation/validation.go
// ValidateGateway, validateServer, validateServerPort, validateServerBind and validateTLSOptions, with
// agent/validation.go ValidateNamespaceSlashWildcardHostname (istio.io/istio
// v0.0.0-20260827124520-eed52ebb66ad): every problem in Istio's order with Istio's message, at the field
// it is about. Istio's warnings (cipher suites, httpsRedirect on a non-HTTP server, certificates in a
// passthrough server, more than two certificates, TLS versions below 1.2) are not reported.

// unixAddressPrefix is validation.go UnixAddressPrefix.
const unixAddressPrefix = "unix://"

// gatewaySemanticsAnnotation marks a Gateway converted from a Gateway API Gateway (constants
// InternalGatewaySemantics, value GatewaySemanticsGateway): its name need not be a DNS label and its
// server hosts may use the namespace "~".
const gatewaySemanticsAnnotation = "internal.istio.io/gateway-semantics"

// validateGateway is ValidateGateway.
func validateGateway(g *IstioGateway) []*Error {
	v := &validator{doc: g.Document}
	semantics := metadataStrings(g.Document, "annotations")[gatewaySemanticsAnnotation] == "gateway"
	if !isDNS1123Label(g.Name) && !semantics {
		v.add("metadata.name", "invalid gateway name: %q", g.Name)
	}
	servers := g.Spec.GetServers()
	if len(servers) == 0 {
		v.add("spec.servers", "gateway must have at least one server")
	}
	for i, s := range servers {
		v.server(fmt.Sprintf("spec.servers[%d]", i), s, semantics)
	}
	names := map[string]bool{}
	for i, s := range servers {
		p := fmt.Sprintf("spec.servers[%d]", i)
		if s == nil {
			v.add(p, "server may not be nil")
			continue
		}
		if port := s.GetPort(); port != nil {
			if names[port.GetName()] {
				v.add(p+".port.name", "port names in servers must be unique: duplicate name %s", port.GetName())
			}
			names[port.GetName()] = true
		}
	}
	return v.errs
}

// server is validateServer: hosts, port, bind and TLS settings, and TLS settings that fit the
// protocol.
func (v *validator) server(p string, s *networking.Server, semantics bool) {
	if s == nil {
		v.add(p, "cannot have nil server")
		return
	}
	if len(s.GetHosts()) == 0 {
		v.add(p+".hosts", "server config must contain at least one host")
	}
	for j, h := range s.GetHosts() {
		v.check(fmt.Sprintf("%s.hosts[%d]", p, j), namespaceSlashWildcardHostname(h, true, semantics)...)
	}
	portOK := v.serverPort(p+".port", s.GetPort(), s.GetBind())
	v.serverBind(p, s.GetPort(), s.GetBind())
	v.tlsOptions(p+".tls", s.GetTls())
	if !portOK {
		return
	}
	proto, tls := parseProtocol(s.GetPort().GetProtocol()), s.GetTls()
	switch {
	case proto.isTLS() && tls == nil:
		v.add(p+".tls", "server must have TLS settings for HTTPS/TLS protocols")
	case !proto.isTLS() && tls != nil && proto.isHTTP():
		// Only an HTTPS redirect is allowed on a plain text HTTP server.
		passThrough := tls.GetMode() == networking.ServerTLSSettings_PASSTHROUGH || tls.GetMode() == networking.ServerTLSSettings_AUTO_PASSTHROUGH
		if !passThrough || tls.GetCaCertificates() != "" || tls.GetPrivateKey() != "" || tls.GetServerCertificate() != "" {
			v.add(p+".tls", "server cannot have TLS settings for plain text HTTP ports")
		}
	case !proto.isTLS() && tls != nil:
		v.add(p+".tls", "server cannot have TLS settings for non HTTPS/TLS ports")
	}
}

// serverPort is validateServerPort; it reports whether the port has no problem.
func (v *validator) serverPort(p string, port *networking.Port, bind string) bool {
	n := len(v.errs)
	if port == nil {
		v.add(p, "port is required")
		return false
	}
	if parseProtocol(port.GetProtocol()) == protocolUnsupported {
		v.add(p+".protocol", "invalid protocol %q, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP", port.GetProtocol())
	}
	if port.GetNumber() > 0 || !strings.HasPrefix(bind, unixAddressPrefix) {
		v.check(p+".number", validatePort(int(port.GetNumber())))
	}
	//lint:ignore SA1019 targetPort is deprecated, and Istio still rejects it on a Gateway.
	if port.GetTargetPort() > 0 {
		v.add(p+".targetPort", "targetPort has no impact on Gateways")
	}
	if port.GetName() == "" {
		v.add(p+".name", "port name must be set: %s", portText(port))
	}
	return len(v.errs) == n
}

// serverBind is validateServerBind: a unix domain socket path (with port number 0) or an IP address.
func (v *validator) serverBind(p string, port *networking.Port, bind string) {
	if after, ok := strings.CutPrefix(bind, unixAddressPrefix); ok {
		v.check(p+".bind", validateUnixAddress(after))
		if port != nil && port.GetNumber() != 0 {
			v.add(p+".port.number", "port number must be 0 for unix domain socket: %s", portText(port))
		}
	} else if bind != "" {
		v.check(p+".bind", validateIPAddress(bind))
	}
}

// tlsOptions is validateTLSOptions (its errors).
func (v *validator) tlsOptions(p string, tls *networking.ServerTLSSettings) {
	if tls == nil {
		return
	}
	mode := tls.GetMode()
	if mode == networking.ServerTLSSettings_ISTIO_MUTUAL {
		// ISTIO_MUTUAL uses SDS or the default certificate paths: no other source may be given.
		for _, f := range []struct {
			set        bool
			field, msg string
		}{
			{tls.GetServerCertificate() != "", "serverCertificate", "server certificate"},
			{tls.GetPrivateKey() != "", "privateKey", "private key"},
			{tls.GetCaCertificates() != "", "caCertificates", "CA bundle"},
			{len(tls.GetTlsCertificates()) > 0, "tlsCertificates", "tlsCertificates"},
			{tls.GetCredentialName() != "", "credentialName", "credentialName"},
			{len(tls.GetCredentialNames()) > 0, "credentialNames", "credentialNames"},
		} {
			if f.set {
				v.add(p+"."+f.field, "ISTIO_MUTUAL TLS cannot have associated %s", f.msg)
			}
		}
		return
	}
	sources := 0
	for _, set := range []bool{tls.GetServerCertificate() != "" && tls.GetPrivateKey() != "", tls.GetCredentialName() != "",
		len(tls.GetCredentialNames()) > 0, len(tls.GetTlsCertificates()) > 0} {
		if set {
			sources++
		}
	}
	if sources > 1 {
		v.add(p, "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified")
	}
	terminating := mode == networking.ServerTLSSettings_SIMPLE || mode == networking.ServerTLSSettings_MUTUAL ||
		mode == networking.ServerTLSSettings_OPTIONAL_MUTUAL
	if terminating && (tls.GetCredentialName() != "" || len(tls.GetCredentialNames()) > 0) {
		// The credentials are fetched remotely: no certificate files are needed.
		return
	}
	if terminating {
		prefix := "SIMPLE TLS"
		if mode != networking.ServerTLSSettings_SIMPLE {
			prefix = "MUTUAL TLS"
			if tls.GetCaCertificates() == "" {
				v.add(p+".caCertificates", "%s requires a client CA bundle", prefix)
			}
		}
		type cert struct{ path, serverCertificate, privateKey string }
		certs := []cert{{p, tls.GetServerCertificate(), tls.GetPrivateKey()}}
		if len(tls.GetTlsCertificates()) > 0 {
			certs = nil
			for k, c := range tls.GetTlsCertificates() {
				certs = append(certs, cert{fmt.Sprintf("%s.tlsCertificates[%d]", p, k), c.GetServerCertificate(), c.GetPrivateKey()})
			}
		}
		for _, c := range certs {
			if c.serverCertificate == "" {
				v.add(c.path+".serverCertificate", "%s requires a server certificate", prefix)
			}
			if c.privateKey == "" {
				v.add(c.path+".privateKey", "%s requires a private key", prefix)
			}
		}
	}
	if tls.GetCaCrl() != "" {
		if tls.GetCredentialName() != "" {
			v.add(p+".caCrl", "CRL is not supported with credentialName. CRL has to be specified in the credential")
		}
		if mode == networking.ServerTLSSettings_SIMPLE {
			v.add(p+".caCrl", "CRL is not supported with SIMPLE TLS")
		}
	}
}

// namespaceSlashWildcardHostname is agent.ValidateNamespaceSlashWildcardHostname: a host of a
// Gateway server (gateway) or a Sidecar egress listener, "namespace/dnsName" or, on a Gateway, a
// plain dnsName.
func namespaceSlashWildcardHostname(hostname string, gateway, semantics bool) []error {
	ns, name, ok := strings.Cut(hostname, "/")
	if !ok {
		if gateway {
			return sidecarOrGatewayHostnamePart(hostname, true)
		}
		return []error{errors.New("host must be of form namespace/dnsName")}
	}
	var errs []error
	if ns == "" || name == "" {
		errs = append(errs, errors.New("config namespace and dnsName in host entry cannot be empty"))
	}
	if !gateway {
		// The namespace is *, ., or a DNS label, optionally ~-prefixed to exclude it.
		if n := strings.TrimPrefix(ns, "~"); n != "" && n != "*" && n != "." && !isDNS1123Label(n) {
			errs = append(errs, fmt.Errorf("invalid namespace value %q in sidecar", ns))
		}
	} else if ns != "*" && ns != "." && (ns != "~" || !semantics) && !isDNS1123Label(ns) {
		// ~ is the namespace of a Gateway API listener no route attaches to.
		errs = append(errs, fmt.Errorf("invalid namespace value %q in gateway", ns))
	}
	return append(errs, sidecarOrGatewayHostnamePart(name, gateway)...)
}

// sidecarOrGatewayHostnamePart is agent.validateSidecarOrGatewayHostnamePart: an FQDN whose first
// label may be a wildcard (no partial wildcards), or, on a Gateway, an IP address. Istio reports a
// bad name twice for a Sidecar, as it does.
func sidecarOrGatewayHostnamePart(hostname string, gateway bool) []error {
	var errs []error
	if hostname != "*" && !strings.Contains(hostname, ".") {
		errs = append(errs, errors.New("short names (non FQDN) are not allowed"))
	}
	if err := validateWildcardDomain(hostname); err != nil {
		if !gateway {
			errs = append(errs, err)
		}
		if !isValidIPAddress(hostname) {
			errs = append(errs, err)
		}
	}
	if err := validatePartialWildcard(hostname); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// validatePartialWildcard is agent.ValidatePartialWildCard: a wildcard only as a whole first label.
func validatePartialWildcard(host string) error {
	if strings.Contains(host, "*") && len(host) != 1 && !strings.HasPrefix(host, "*.") {
		return fmt.Errorf("partial wildcard %q not allowed", host)
	}
	return nil
}

// validateUnixAddress is validation.go ValidateUnixAddress: an abstract socket (@name) or an
// absolute path to a file.
func validateUnixAddress(addr string) error {
	if addr == "" {
		return errors.New("unix address must not be empty")
	}
	if strings.HasPrefix(addr, "@") {
		return nil
	}
	if !path.IsAbs(addr) || strings.HasSuffix(addr, "/") {
		return fmt.Errorf("%s is not an absolute path to a file", addr)
	}
	return nil
}

// portText is a Port as Istio's messages print it (%v of the message: its text format, set fields
// only, with proto field names). The protobuf runtime randomly doubles some of those spaces per
// binary; splitsim writes single spaces.
func portText(p *networking.Port) string {
	var parts []string
	if p.GetNumber() != 0 {
		parts = append(parts, "number:"+strconv.FormatUint(uint64(p.GetNumber()), 10))
	}
	if p.GetProtocol() != "" {
		parts = append(parts, "protocol:"+strconv.Quote(p.GetProtocol()))
	}
	if p.GetName() != "" {
		parts = append(parts, "name:"+strconv.Quote(p.GetName()))
	}
	//lint:ignore SA1019 targetPort is deprecated, and Istio still prints it.
	if tp := p.GetTargetPort(); tp != 0 {
		parts = append(parts, "target_port:"+strconv.FormatUint(uint64(tp), 10))
	}
	return strings.Join(parts, " ")
}

// protocol is pkg/config/protocol Instance.
type protocol string

const (
	protocolHTTP        protocol = "HTTP"
	protocolHTTP2       protocol = "HTTP2"
	protocolHTTPS       protocol = "HTTPS"
	protocolHTTPProxy   protocol = "HTTP_PROXY"
	protocolGRPC        protocol = "GRPC"
	protocolGRPCWeb     protocol = "GRPC-Web"
	protocolTCP         protocol = "TCP"
	protocolTLS         protocol = "TLS"
	protocolUDP         protocol = "UDP"
	protocolMongo       protocol = "Mongo"
	protocolRedis       protocol = "Redis"
	protocolMySQL       protocol = "MySQL"
	protocolUnsupported protocol = "UnsupportedProtocol"
)

// parseProtocol is protocol.Parse: the name in any case.
func parseProtocol(s string) protocol {
	for _, p := range []protocol{protocolTCP, protocolUDP, protocolGRPC, protocolGRPCWeb, protocolHTTP, protocolHTTPProxy,
		protocolHTTP2, protocolHTTPS, protocolTLS, protocolMongo, protocolRedis, protocolMySQL} {
		if strings.EqualFold(s, string(p)) {
			return p
		}
	}
	return protocolUnsupported
}

func (p protocol) isHTTP() bool {
	switch p {
	case protocolHTTP, protocolHTTP2, protocolHTTPProxy, protocolGRPC, protocolGRPCWeb:
		return true
	}
	return false
}

func (p protocol) isTCP() bool {
	switch p {
	case protocolTCP, protocolHTTPS, protocolTLS, protocolMongo, protocolRedis, protocolMySQL:
		return true
	}
	return false
}

func (p protocol) isTLS() bool {
	return p == protocolHTTPS || p == protocolTLS
}

// metadataStrings returns metadata.labels or metadata.annotations (field) of a document; nil when it
// has none or they are not strings.
func metadataStrings(d *Document, field string) map[string]string {
	var obj struct {
		Metadata map[string]json.RawMessage `json:"metadata"`
	}
	if json.Unmarshal(d.JSON, &obj) != nil {
		return nil
	}
	var m map[string]string
	if json.Unmarshal(obj.Metadata[field], &m) != nil {
		return nil
	}
	return m
}

// ReadGatewayAsIstio reads a networking.istio.io Gateway document as Istio's analyzers do (see
// ReadVirtualServiceAsIstio): g is nil when Istio cannot read it either.
func ReadGatewayAsIstio(d *Document) (g *IstioGateway, decodeErr *Error, validation []*Error) {
	g = &IstioGateway{Document: d, Spec: &networking.Gateway{}}
	decodeErr, ok := readAsIstio(d, g.Spec)
	if !ok {
		return nil, decodeErr, nil
	}
	return g, decodeErr, validateGateway(g)
}
