package mesh

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	networking "istio.io/api/networking/v1"
)

// validationCase is one case of Istio's Gateway or ServiceEntry validation tests (istio
// pkg/config/validation/validation_test.go at istio.io/istio v0.0.0-20260827124520-eed52ebb66ad), or one
// of splitsim's own (fn "splitsim"). Where the upstream test checks one part (a server, a port, TLS
// settings, an endpoint), the part is wrapped into a whole resource as the comment before the function's
// cases says. want lists the problems, each "PATH: MESSAGE": MESSAGE is what Istio's ValidateGateway or
// ValidateServiceEntry returns for the same document, decoded as istiod decodes it (every error of its
// multierror, in Istio's order; Istio walks the keys of a map in random order, splitsim in key order),
// and PATH the field splitsim names.
type validationCase struct {
	fn, name string
	ns       string // "" for bar
	resource string // the name, "" for foo
	meta     string // more metadata, one YAML line
	spec     string
	want     []string
}

// document is the case as a YAML document of the given kind.
func (tc validationCase) document(kind string) string {
	ns, name := tc.ns, tc.resource
	if ns == "" {
		ns = "bar"
	}
	if name == "" {
		name = "foo"
	}
	meta := ""
	if tc.meta != "" {
		meta = "  " + tc.meta + "\n"
	}
	return "apiVersion: networking.istio.io/v1\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n  namespace: " + ns + "\n" + meta +
		"spec:\n  " + strings.ReplaceAll(strings.TrimSuffix(tc.spec, "\n"), "\n", "\n  ") + "\n"
}

// runValidationCases reads each case through AddLenient (what `splitsim lint` reports) and checks its
// problems, their paths and Istio's messages, in Istio's order; the resource is left out with them, or
// kept without any. Add (`splitsim run`) stops at the first.
func runValidationCases(t *testing.T, kind string, cases []validationCase) {
	for _, tc := range cases {
		t.Run(tc.fn+"/"+tc.name, func(t *testing.T) {
			doc := tc.document(kind)
			c := &Config{}
			problems, err := c.AddLenient("istio.yaml", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.Path+": "+p.Msg)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
			kept := len(c.IstioGateways) + len(c.ServiceEntries)
			if (kept == 1) != (len(tc.want) == 0) {
				t.Errorf("%d resources kept with %d problems", kept, len(tc.want))
			}
			err = (&Config{}).Add("istio.yaml", []byte(doc))
			switch {
			case len(tc.want) == 0 && err != nil:
				t.Errorf("Add: %v", err)
			case len(tc.want) > 0 && (err == nil || !strings.HasSuffix(err.Error(), ": "+tc.want[0])):
				t.Errorf("Add: %v, want the first problem %q", err, tc.want[0])
			}
		})
	}
}

// Istio's Gateway validation cases (validation_test.go TestValidateGateway, TestValidateK8sGateway,
// TestValidateServer, TestValidateServerPort, TestValidateTlsOptions) and splitsim's own give Istio's
// ValidateGateway messages at splitsim's field paths.
func TestIstioGatewayValidationCases(t *testing.T) {
	runValidationCases(t, "Gateway", gatewayValidationCases)
}

var gatewayValidationCases = []validationCase{
	// validation_test.go TestValidateGateway: whole Gateways (named foo in namespace bar, as upstream).
	{fn: "TestValidateGateway", name: "empty", spec: `{}`, want: []string{"spec.servers: gateway must have at least one server"}},
	{fn: "TestValidateGateway", name: "happy domain", spec: `servers:
- hosts: [foo.bar.com]
  port: {name: name1, number: 7, protocol: http}
`, want: nil},
	{fn: "TestValidateGateway", name: "happy multiple servers", spec: `servers:
- hosts: [foo.bar.com]
  port: {name: name1, number: 7, protocol: http}
`, want: nil},
	{fn: "TestValidateGateway", name: "happy k8s gateway-api server with no attached routes", spec: `servers:
- hosts: [~/foo.bar.com]
  port: {name: name1, number: 7, protocol: http}
`, want: []string{"spec.servers[0].hosts[0]: invalid namespace value \"~\" in gateway"}},
	{fn: "TestValidateGateway", name: "invalid port", spec: `servers:
- hosts: [foo.bar.com]
  port: {name: name1, number: 66000, protocol: http}
`, want: []string{"spec.servers[0].port.number: port number 66000 must be in the range 1..65535"}},
	{fn: "TestValidateGateway", name: "duplicate port names", spec: `servers:
- hosts: [foo.bar.com]
  port: {name: foo, number: 80, protocol: http}
- hosts: [scooby.doo.com]
  port: {name: foo, number: 8080, protocol: http}
`, want: []string{"spec.servers[1].port.name: port names in servers must be unique: duplicate name foo"}},
	{fn: "TestValidateGateway", name: "invalid domain", spec: `servers:
- hosts: [foo.*.bar.com]
  port: {number: 7, protocol: http}
`, want: []string{"spec.servers[0].hosts[0]: domain name \"*.bar.com\" invalid (label \"*\" invalid)", "spec.servers[0].hosts[0]: partial wildcard \"foo.*.bar.com\" not allowed", "spec.servers[0].port.name: port name must be set: number:7 protocol:\"http\""}},
	{fn: "TestValidateGateway", name: "valid httpsRedirect", spec: `servers:
- hosts: [bar.com]
  port: {name: http, number: 80, protocol: http}
  tls: {httpsRedirect: true}
`, want: nil},
	{fn: "TestValidateGateway", name: "invalid https httpsRedirect", spec: `servers:
- hosts: [bar.com]
  port: {name: https, number: 80, protocol: https}
  tls: {httpsRedirect: true}
`, want: nil},
	{fn: "TestValidateGateway", name: "invalid partial wildcard", spec: `servers:
- hosts: ['*bar.com']
  port: {name: tls, number: 443, protocol: tls}
  tls: {mode: ISTIO_MUTUAL}
`, want: []string{"spec.servers[0].hosts[0]: partial wildcard \"*bar.com\" not allowed"}},
	// TestValidateK8sGateway: a Gateway converted from the Gateway API (its internal annotation set).
	{fn: "TestValidateK8sGateway", name: "happy k8s gateway-api server with no attached routes", meta: "annotations: {internal.istio.io/gateway-semantics: gateway}", spec: `servers:
- hosts: [~/foo.bar.com]
  port: {name: name1, number: 7, protocol: http}
`, want: nil},
	// TestValidateServer (validateServer): each server alone in a Gateway.
	{fn: "TestValidateServer", name: "empty", spec: `servers:
- {}
`, want: []string{"spec.servers[0].hosts: server config must contain at least one host", "spec.servers[0].port: port is required"}},
	{fn: "TestValidateServer", name: "happy", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 7, name: http, protocol: http}
`, want: nil},
	{fn: "TestValidateServer", name: "happy ip", spec: `servers:
- hosts: [1.1.1.1]
  port: {number: 7, name: http, protocol: http}
`, want: nil},
	{fn: "TestValidateServer", name: "happy ns/name", spec: `servers:
- hosts: [ns1/foo.bar.com]
  port: {number: 7, name: http, protocol: http}
`, want: nil},
	{fn: "TestValidateServer", name: "happy */name", spec: `servers:
- hosts: ['*/foo.bar.com']
  port: {number: 7, name: http, protocol: http}
`, want: nil},
	{fn: "TestValidateServer", name: "happy ./name", spec: `servers:
- hosts: [./foo.bar.com]
  port: {number: 7, name: http, protocol: http}
`, want: nil},
	{fn: "TestValidateServer", name: "invalid ~/name", spec: `servers:
- hosts: [~/foo.bar.com]
  port: {number: 7, name: http, protocol: http}
`, want: []string{"spec.servers[0].hosts[0]: invalid namespace value \"~\" in gateway"}},
	{fn: "TestValidateServer", name: "invalid domain ns/name format", spec: `servers:
- hosts: [ns1/foo.*.bar.com]
  port: {number: 7, name: http, protocol: http}
`, want: []string{"spec.servers[0].hosts[0]: domain name \"*.bar.com\" invalid (label \"*\" invalid)", "spec.servers[0].hosts[0]: partial wildcard \"foo.*.bar.com\" not allowed"}},
	{fn: "TestValidateServer", name: "invalid domain", spec: `servers:
- hosts: [foo.*.bar.com]
  port: {number: 7, name: http, protocol: http}
`, want: []string{"spec.servers[0].hosts[0]: domain name \"*.bar.com\" invalid (label \"*\" invalid)", "spec.servers[0].hosts[0]: partial wildcard \"foo.*.bar.com\" not allowed"}},
	{fn: "TestValidateServer", name: "invalid short name host", spec: `servers:
- hosts: [foo]
  port: {number: 7, name: http, protocol: http}
`, want: []string{"spec.servers[0].hosts[0]: short names (non FQDN) are not allowed"}},
	{fn: "TestValidateServer", name: "invalid port", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 66000, name: http, protocol: http}
`, want: []string{"spec.servers[0].port.number: port number 66000 must be in the range 1..65535"}},
	{fn: "TestValidateServer", name: "invalid tls options", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 1, name: http, protocol: http}
  tls: {mode: SIMPLE}
`, want: []string{"spec.servers[0].tls.serverCertificate: SIMPLE TLS requires a server certificate", "spec.servers[0].tls.privateKey: SIMPLE TLS requires a private key", "spec.servers[0].tls: server cannot have TLS settings for plain text HTTP ports"}},
	{fn: "TestValidateServer", name: "no tls on HTTPS", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 10000, name: https, protocol: https}
`, want: []string{"spec.servers[0].tls: server must have TLS settings for HTTPS/TLS protocols"}},
	{fn: "TestValidateServer", name: "tls on HTTP", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 10000, name: http, protocol: http}
  tls: {mode: SIMPLE}
`, want: []string{"spec.servers[0].tls.serverCertificate: SIMPLE TLS requires a server certificate", "spec.servers[0].tls.privateKey: SIMPLE TLS requires a private key", "spec.servers[0].tls: server cannot have TLS settings for plain text HTTP ports"}},
	{fn: "TestValidateServer", name: "tls redirect on HTTP", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 10000, name: http, protocol: http}
  tls: {httpsRedirect: true}
`, want: nil},
	{fn: "TestValidateServer", name: "bind ip", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 7, name: http, protocol: http}
  bind: 127.0.0.1
`, want: nil},
	{fn: "TestValidateServer", name: "bind unix path with invalid port", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 7, name: http, protocol: http}
  bind: unix://@foobar
`, want: []string{"spec.servers[0].port.number: port number must be 0 for unix domain socket: number:7 protocol:\"http\" name:\"http\""}},
	{fn: "TestValidateServer", name: "bind unix path", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 0, name: http, protocol: http}
  bind: unix://@foobar
`, want: nil},
	{fn: "TestValidateServer", name: "bind bad ip", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 0, name: http, protocol: http}
  bind: foo.bar
`, want: []string{"spec.servers[0].port.number: port number 0 must be in the range 1..65535", "spec.servers[0].bind: foo.bar is not a valid IP"}},
	// TestValidateServerPort (validateServerPort): each port, with the case's bind, in a server for foo.bar.com.
	{fn: "TestValidateServerPort", name: "empty", spec: `servers:
- hosts: [foo.bar.com]
  port: {}
`, want: []string{"spec.servers[0].port.protocol: invalid protocol \"\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP", "spec.servers[0].port.number: port number 0 must be in the range 1..65535", "spec.servers[0].port.name: port name must be set: "}},
	{fn: "TestValidateServerPort", name: "happy", spec: `servers:
- hosts: [foo.bar.com]
  port: {protocol: http, number: 1, name: Henry}
`, want: nil},
	{fn: "TestValidateServerPort", name: "invalid protocol", spec: `servers:
- hosts: [foo.bar.com]
  port: {protocol: kafka, number: 1, name: Henry}
`, want: []string{"spec.servers[0].port.protocol: invalid protocol \"kafka\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP"}},
	{fn: "TestValidateServerPort", name: "invalid number", spec: `servers:
- hosts: [foo.bar.com]
  port: {protocol: http, number: 1073741824, name: http}
`, want: []string{"spec.servers[0].port.number: port number 1073741824 must be in the range 1..65535"}},
	{fn: "TestValidateServerPort", name: "name, no number", spec: `servers:
- hosts: [foo.bar.com]
  port: {protocol: http, number: 0, name: Henry}
`, want: []string{"spec.servers[0].port.number: port number 0 must be in the range 1..65535"}},
	{fn: "TestValidateServerPort", name: "name, no number, uds", spec: `servers:
- hosts: [foo.bar.com]
  port: {protocol: http, number: 0, name: Henry}
  bind: uds:///tmp
`, want: []string{"spec.servers[0].port.number: port number 0 must be in the range 1..65535", "spec.servers[0].bind: uds:///tmp is not a valid IP"}},
	// TestValidateTlsOptions (validateTLSOptions): each TLS setting on an HTTPS server for foo.bar.com. Upstream
	// repeats a case to check each of its messages; it is here once, with all of them.
	{fn: "TestValidateTlsOptions", name: "empty", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "simple", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "simple with client bundle", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh, caCertificates: Commander William T. Riker}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "simple sds with client bundle", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, credentialName: sds-name}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "simple sds with client bundle but with server cert", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh, credentialName: sds-name}
`, want: []string{"spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified"}},
	{fn: "TestValidateTlsOptions", name: "simple no server cert", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, serverCertificate: '', privateKey: Khan Noonien Singh}
`, want: []string{"spec.servers[0].tls.serverCertificate: SIMPLE TLS requires a server certificate"}},
	{fn: "TestValidateTlsOptions", name: "simple no private key", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, serverCertificate: Captain Jean-Luc Picard, privateKey: ''}
`, want: []string{"spec.servers[0].tls.privateKey: SIMPLE TLS requires a private key"}},
	{fn: "TestValidateTlsOptions", name: "simple more than 2 certs", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, tlsCertificates: [{serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh}, {serverCertificate: Commander William T. Riker, privateKey: Commander William T. Riker}, {serverCertificate: Lieutenant Commander Data, privateKey: Lieutenant Commander Data}]}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "simple with both server cert and tls certs", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh, tlsCertificates: [{serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh}, {serverCertificate: Lieutenant Commander Data, privateKey: Lieutenant Commander Data}]}
`, want: []string{"spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified"}},
	{fn: "TestValidateTlsOptions", name: "simple 2 certs with missing certificate", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, tlsCertificates: [{privateKey: Commander William T. Riker}, {serverCertificate: Commander William T. Riker, privateKey: Commander William T. Riker}]}
`, want: []string{"spec.servers[0].tls.tlsCertificates[0].serverCertificate: SIMPLE TLS requires a server certificate"}},
	{fn: "TestValidateTlsOptions", name: "simple 2 certs with missing private key", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, tlsCertificates: [{serverCertificate: Captain Jean-Luc Picard}, {serverCertificate: Commander William T. Riker, privateKey: Commander William T. Riker}]}
`, want: []string{"spec.servers[0].tls.tlsCertificates[0].privateKey: SIMPLE TLS requires a private key"}},
	{fn: "TestValidateTlsOptions", name: "simple sds no server cert", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, serverCertificate: '', privateKey: Khan Noonien Singh, credentialName: sds-name}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "simple sds no private key", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, serverCertificate: Captain Jean-Luc Picard, privateKey: '', credentialName: sds-name}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "mutual", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh, caCertificates: Commander William T. Riker}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "mutual sds", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, caCertificates: Commander William T. Riker, credentialName: sds-name}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "mutual sds with credential name and server cert", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh, caCertificates: Commander William T. Riker, credentialName: sds-name}
`, want: []string{"spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified"}},
	{fn: "TestValidateTlsOptions", name: "mutual sds with credential name and tls certs", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, caCertificates: Commander William T. Riker, tlsCertificates: [{serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh}], credentialName: sds-name}
`, want: []string{"spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified"}},
	{fn: "TestValidateTlsOptions", name: "mutual no server cert", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, serverCertificate: '', privateKey: Khan Noonien Singh, caCertificates: Commander William T. Riker}
`, want: []string{"spec.servers[0].tls.serverCertificate: MUTUAL TLS requires a server certificate"}},
	{fn: "TestValidateTlsOptions", name: "credential names and certificates", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, serverCertificate: /etc/istio/certs/server/cert, privateKey: /etc/istio/certs/server/key, credentialNames: [server-certs]}
`, want: []string{"spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified"}},
	{fn: "TestValidateTlsOptions", name: "credential names and tls certificates", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, tlsCertificates: [{serverCertificate: /etc/istio/certs/server/cert, privateKey: /etc/istio/certs/server/key, caCertificates: /etc/istio/certs/server/cacert2}], credentialNames: [server-certs]}
`, want: []string{"spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified"}},
	{fn: "TestValidateTlsOptions", name: "only tls certificates", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, tlsCertificates: [{serverCertificate: /etc/istio/certs/server/cert, privateKey: /etc/istio/certs/server/key}], caCertificates: /etc/istio/certs/server/cacert2}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "mutual sds no server cert", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, serverCertificate: '', privateKey: Khan Noonien Singh, caCertificates: Commander William T. Riker, credentialName: sds-name}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "mutual no client CA bundle", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh, caCertificates: ''}
`, want: []string{"spec.servers[0].tls.caCertificates: MUTUAL TLS requires a client CA bundle"}},
	{fn: "TestValidateTlsOptions", name: "mutual no certs", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, serverCertificate: '', privateKey: '', caCertificates: ''}
`, want: []string{"spec.servers[0].tls.caCertificates: MUTUAL TLS requires a client CA bundle", "spec.servers[0].tls.serverCertificate: MUTUAL TLS requires a server certificate", "spec.servers[0].tls.privateKey: MUTUAL TLS requires a private key"}},
	{fn: "TestValidateTlsOptions", name: "mutual more than 2 certs", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, caCertificates: Commander William T. Riker, tlsCertificates: [{serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh}, {serverCertificate: Commander William T. Riker, privateKey: Commander William T. Riker}, {serverCertificate: Lieutenant Commander Data, privateKey: Lieutenant Commander Data}]}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "mutual with both server cert and tls certs", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh, caCertificates: Commander William T. Riker, tlsCertificates: [{serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh}, {serverCertificate: Lieutenant Commander Data, privateKey: Lieutenant Commander Data}]}
`, want: []string{"spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified"}},
	{fn: "TestValidateTlsOptions", name: "mutual 2 certs with missing certificate", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, caCertificates: Lieutenant Commander Data, tlsCertificates: [{privateKey: Commander William T. Riker}, {serverCertificate: Commander William T. Riker, privateKey: Commander William T. Riker}]}
`, want: []string{"spec.servers[0].tls.tlsCertificates[0].serverCertificate: MUTUAL TLS requires a server certificate"}},
	{fn: "TestValidateTlsOptions", name: "mutual 2 certs with missing private key", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, caCertificates: Lieutenant Commander Data, tlsCertificates: [{serverCertificate: Captain Jean-Luc Picard}, {serverCertificate: Commander William T. Riker, privateKey: Commander William T. Riker}]}
`, want: []string{"spec.servers[0].tls.tlsCertificates[0].privateKey: MUTUAL TLS requires a private key"}},
	{fn: "TestValidateTlsOptions", name: "mutual 2 certs with missing CA certificate", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, tlsCertificates: [{serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh}, {serverCertificate: Commander William T. Riker, privateKey: Commander William T. Riker}]}
`, want: []string{"spec.servers[0].tls.caCertificates: MUTUAL TLS requires a client CA bundle"}},
	{fn: "TestValidateTlsOptions", name: "optional mutual no certs", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: OPTIONAL_MUTUAL, serverCertificate: '', privateKey: '', caCertificates: ''}
`, want: []string{"spec.servers[0].tls.caCertificates: MUTUAL TLS requires a client CA bundle", "spec.servers[0].tls.serverCertificate: MUTUAL TLS requires a server certificate", "spec.servers[0].tls.privateKey: MUTUAL TLS requires a private key"}},
	{fn: "TestValidateTlsOptions", name: "pass through sds no certs", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: PASSTHROUGH, serverCertificate: '', caCertificates: '', credentialName: sds-name}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "pass through sds crl", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: PASSTHROUGH, serverCertificate: '', caCertificates: '', caCrl: scrl}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "istio_mutual no certs", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: ISTIO_MUTUAL, serverCertificate: '', privateKey: '', caCertificates: ''}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "istio_mutual with server cert", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: ISTIO_MUTUAL, serverCertificate: Captain Jean-Luc Picard}
`, want: []string{"spec.servers[0].tls.serverCertificate: ISTIO_MUTUAL TLS cannot have associated server certificate"}},
	{fn: "TestValidateTlsOptions", name: "istio_mutual with client bundle", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: ISTIO_MUTUAL, serverCertificate: Captain Jean-Luc Picard, privateKey: Khan Noonien Singh, caCertificates: Commander William T. Riker}
`, want: []string{"spec.servers[0].tls.serverCertificate: ISTIO_MUTUAL TLS cannot have associated server certificate", "spec.servers[0].tls.privateKey: ISTIO_MUTUAL TLS cannot have associated private key", "spec.servers[0].tls.caCertificates: ISTIO_MUTUAL TLS cannot have associated CA bundle"}},
	{fn: "TestValidateTlsOptions", name: "istio_mutual with private key", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: ISTIO_MUTUAL, privateKey: Khan Noonien Singh}
`, want: []string{"spec.servers[0].tls.privateKey: ISTIO_MUTUAL TLS cannot have associated private key"}},
	{fn: "TestValidateTlsOptions", name: "istio_mutual with credential name", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: ISTIO_MUTUAL, credentialName: some-cred}
`, want: []string{"spec.servers[0].tls.credentialName: ISTIO_MUTUAL TLS cannot have associated credentialName"}},
	{fn: "TestValidateTlsOptions", name: "invalid cipher suites", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, credentialName: sds-name, cipherSuites: [not-a-cipher-suite]}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "valid cipher suites", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, credentialName: sds-name, cipherSuites: [ECDHE-ECDSA-AES128-SHA]}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "cipher suites operations", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, credentialName: sds-name, cipherSuites: [-ECDHE-ECDSA-AES128-SHA]}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "duplicate cipher suites", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, credentialName: sds-name, cipherSuites: [ECDHE-ECDSA-AES128-SHA, ECDHE-ECDSA-AES128-SHA]}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "invalid cipher suites with invalid config", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, cipherSuites: [not-a-cipher-suite]}
`, want: []string{"spec.servers[0].tls.serverCertificate: SIMPLE TLS requires a server certificate", "spec.servers[0].tls.privateKey: SIMPLE TLS requires a private key"}},
	{fn: "TestValidateTlsOptions", name: "crl specified for SIMPLE TLS", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, caCrl: crl}
`, want: []string{"spec.servers[0].tls.serverCertificate: SIMPLE TLS requires a server certificate", "spec.servers[0].tls.privateKey: SIMPLE TLS requires a private key", "spec.servers[0].tls.caCrl: CRL is not supported with SIMPLE TLS"}},
	{fn: "TestValidateTlsOptions", name: "crl specified for CredentialName", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE, caCrl: crl, credentialName: credential}
`, want: nil},
	{fn: "TestValidateTlsOptions", name: "mutual no private key", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, serverCertificate: Khan Noonien Singh, privateKey: '', caCertificates: Commander William T. Riker}
`, want: []string{"spec.servers[0].tls.privateKey: MUTUAL TLS requires a private key"}},
	{fn: "TestValidateTlsOptions", name: "with CredentialNames", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: MUTUAL, credentialNames: [credential1, credential2]}
`, want: nil},
	// splitsim's own cases: the checks the upstream cases do not reach, each checked against Istio's
	// ValidateGateway at the same version.
	{fn: "splitsim", name: "gateway name with a dot", resource: "foo.bar", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 80, name: http, protocol: HTTP}
`, want: []string{"metadata.name: invalid gateway name: \"foo.bar\""}},
	{fn: "splitsim", name: "gateway name with a dot, converted from the Gateway API", resource: "foo.bar", meta: "annotations: {internal.istio.io/gateway-semantics: gateway}", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 80, name: http, protocol: HTTP}
`, want: nil},
	{fn: "splitsim", name: "null server", spec: `servers: [null]`, want: []string{"spec.servers[0].hosts: server config must contain at least one host", "spec.servers[0].port: port is required"}},
	{fn: "splitsim", name: "targetPort on a gateway", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 80, name: http, protocol: HTTP, targetPort: 8080}
`, want: []string{"spec.servers[0].port.targetPort: targetPort has no impact on Gateways"}},
	{fn: "splitsim", name: "TLS settings on a TCP server", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 31400, name: tcp, protocol: TCP}
  tls: {mode: PASSTHROUGH}
`, want: []string{"spec.servers[0].tls: server cannot have TLS settings for non HTTPS/TLS ports"}},
	{fn: "splitsim", name: "passthrough on an HTTP server", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 80, name: http, protocol: HTTP}
  tls: {mode: PASSTHROUGH}
`, want: nil},
	{fn: "splitsim", name: "passthrough with a certificate on an HTTP server", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 80, name: http, protocol: HTTP}
  tls: {mode: PASSTHROUGH, serverCertificate: /c}
`, want: []string{"spec.servers[0].tls: server cannot have TLS settings for plain text HTTP ports"}},
	{fn: "splitsim", name: "ISTIO_MUTUAL with tlsCertificates and credentialNames", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: ISTIO_MUTUAL, tlsCertificates: [{serverCertificate: /c, privateKey: /k}], credentialNames: [a]}
`, want: []string{"spec.servers[0].tls.tlsCertificates: ISTIO_MUTUAL TLS cannot have associated tlsCertificates", "spec.servers[0].tls.credentialNames: ISTIO_MUTUAL TLS cannot have associated credentialNames"}},
	{fn: "splitsim", name: "CRL with credentialName in passthrough", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: PASSTHROUGH, credentialName: c, caCrl: crl}
`, want: []string{"spec.servers[0].tls.caCrl: CRL is not supported with credentialName. CRL has to be specified in the credential"}},
	{fn: "splitsim", name: "unix bind without a path", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 0, name: http, protocol: HTTP}
  bind: 'unix://'
`, want: []string{"spec.servers[0].bind: unix address must not be empty"}},
	{fn: "splitsim", name: "unix bind to a relative path", spec: `servers:
- hosts: [foo.bar.com]
  port: {number: 0, name: http, protocol: HTTP}
  bind: 'unix://sock'
`, want: []string{"spec.servers[0].bind: sock is not an absolute path to a file"}},
	{fn: "splitsim", name: "empty namespace and host", spec: `servers:
- hosts: ['/', 'ns/']
  port: {number: 80, name: http, protocol: HTTP}
`, want: []string{"spec.servers[0].hosts[0]: config namespace and dnsName in host entry cannot be empty", "spec.servers[0].hosts[0]: invalid namespace value \"\" in gateway", "spec.servers[0].hosts[0]: short names (non FQDN) are not allowed", "spec.servers[0].hosts[0]: empty domain name not allowed", "spec.servers[0].hosts[1]: config namespace and dnsName in host entry cannot be empty", "spec.servers[0].hosts[1]: short names (non FQDN) are not allowed", "spec.servers[0].hosts[1]: empty domain name not allowed"}},
	{fn: "splitsim", name: "bad namespace", spec: `servers:
- hosts: ['Bad_NS/foo.bar.com']
  port: {number: 80, name: http, protocol: HTTP}
`, want: []string{"spec.servers[0].hosts[0]: invalid namespace value \"Bad_NS\" in gateway"}},
	{fn: "splitsim", name: "IP host with namespace, wildcard hosts", spec: `servers:
- hosts: ['ns/10.0.0.1', '*', '*.foo.com', 'ns/*']
  port: {number: 80, name: http, protocol: HTTP}
`, want: nil},
	{fn: "splitsim", name: "HTTP_PROXY, GRPC-WEB and mongo servers", spec: `servers:
- hosts: [a.com]
  port: {number: 80, name: p, protocol: HTTP_PROXY}
- hosts: [a.com]
  port: {number: 81, name: g, protocol: grpc-web}
- hosts: [a.com]
  port: {number: 82, name: m, protocol: Mongo}
`, want: nil},
	{fn: "splitsim", name: "problems of two servers in order", spec: `servers:
- hosts: [foo]
  port: {number: 0, name: a, protocol: HTTPS}
- hosts: [foo.com]
  port: {number: 80, name: a, protocol: HTTP}
  tls: {mode: SIMPLE, credentialName: c}
`, want: []string{"spec.servers[0].hosts[0]: short names (non FQDN) are not allowed", "spec.servers[0].port.number: port number 0 must be in the range 1..65535", "spec.servers[1].tls: server cannot have TLS settings for plain text HTTP ports", "spec.servers[1].port.name: port names in servers must be unique: duplicate name a"}},
}

// A nil server, built as Istio's tests can build it (a YAML null is an empty server, above), is
// reported twice, as ValidateGateway does: by validateServer and by the port name check.
func TestGatewayValidationNilServer(t *testing.T) {
	g := &IstioGateway{Document: &Document{File: "x.yaml", Kind: "Gateway", Name: "foo", Namespace: "bar"},
		Spec: &networking.Gateway{Servers: []*networking.Server{nil}}}
	var got []string
	for _, p := range validateGateway(g) {
		got = append(got, p.Path+": "+p.Msg)
	}
	want := []string{"spec.servers[0]: cannot have nil server", "spec.servers[0]: server may not be nil"}
	if !slices.Equal(got, want) {
		t.Errorf("problems %q, want Istio's %q", got, want)
	}
}

// Each problem is at the line of its field, or of the nearest field the document gives.
func TestGatewayValidationLines(t *testing.T) {
	doc := `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ingress
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts:
    - "*bar.com"
  - port:
      number: 80
      name: https
      protocol: HTTP
    hosts:
    - shop/foo.com
    tls:
      mode: SIMPLE
      credentialName: shop-cert
`
	c := &Config{}
	problems, err := c.AddLenient("gw.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, fmt.Sprintf("%d %s: %s", p.Line, p.Path, p.Msg))
	}
	want := []string{
		`14 spec.servers[0].hosts[0]: partial wildcard "*bar.com" not allowed`,
		"9 spec.servers[0].tls: server must have TLS settings for HTTPS/TLS protocols",
		"21 spec.servers[1].tls: server cannot have TLS settings for plain text HTTP ports",
		"17 spec.servers[1].port.name: port names in servers must be unique: duplicate name https",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
