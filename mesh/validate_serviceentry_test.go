package mesh

import (
	"slices"
	"testing"

	networking "istio.io/api/networking/v1"
)

// Istio's ServiceEntry validation cases (validation_test.go TestValidateServiceEntries, the ServiceEntry
// cases of Test_validateExportTo, TestValidateWorkloadEntry on endpoints) and splitsim's own give Istio's
// ValidateServiceEntry messages at splitsim's field paths (validationCase, runValidationCases).
func TestIstioServiceEntryValidationCases(t *testing.T) {
	runValidationCases(t, "ServiceEntry", serviceEntryValidationCases)
}

var serviceEntryValidationCases = []validationCase{
	// validation_test.go TestValidateServiceEntries: whole ServiceEntries (named foo in namespace bar). A nil
	// port is written null, which istiod reads as an empty port (TestServiceEntryValidationNilEntries has
	// the nils).
	{fn: "TestValidateServiceEntries", name: "discovery type DNS", spec: `hosts: ['*.google.com']
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: lon.google.com, ports: {http-valid1: 8080}}
- {address: in.google.com, ports: {http-valid2: 9080}}
resolution: DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS Round Robin", spec: `hosts: ['*.istio.io']
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: api-v1.istio.io, ports: {http-valid1: 8080}}
resolution: DNS_ROUND_ROBIN
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS, label tlsMode: istio", spec: `hosts: ['*.google.com']
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: lon.google.com, ports: {http-valid1: 8080}, labels: {security.istio.io/tlsMode: istio}}
- {address: in.google.com, ports: {http-valid2: 9080}, labels: {security.istio.io/tlsMode: istio}}
resolution: DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS, one host set with IP address and https port", spec: `hosts: [httpbin.org]
addresses: [10.10.10.10]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
- {number: 443, protocol: https, name: https}
resolution: DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS, multi hosts set with IP address and https port", spec: `hosts: [httpbin.org, wikipedia.org]
addresses: [10.10.10.10]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
- {number: 443, protocol: https, name: https}
resolution: DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS, IP address set", spec: `hosts: ['*.google.com']
addresses: [10.10.10.10]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: lon.google.com, ports: {http-valid1: 8080}}
- {address: in.google.com, ports: {http-valid2: 9080}}
resolution: DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS, IP in endpoints", spec: `hosts: ['*.google.com']
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: 1.1.1.1, ports: {http-valid1: 8080}}
- {address: in.google.com, ports: {http-valid2: 9080}}
resolution: DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS", spec: `hosts: ['*.google.com']
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
resolution: DYNAMIC_DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "empty hosts", spec: `ports:
- {number: 80, protocol: http, name: http-valid1}
endpoints:
- {address: in.google.com, ports: {http-valid2: 9080}}
resolution: DNS
`, want: []string{"spec.hosts: service entry must have at least one host", "spec.endpoints[0].ports.http-valid2: endpoint port 9080 is not defined by the service entry"}},
	{fn: "TestValidateServiceEntries", name: "bad hosts", spec: `hosts: ['-']
ports:
- {number: 80, protocol: http, name: http-valid1}
endpoints:
- {address: in.google.com, ports: {http-valid2: 9080}}
resolution: DNS
`, want: []string{"spec.hosts[0]: domain name \"-\" invalid (label \"-\" invalid)", "spec.endpoints[0].ports.http-valid2: endpoint port 9080 is not defined by the service entry"}},
	{fn: "TestValidateServiceEntries", name: "full wildcard host", spec: `hosts: [foo.com, '*']
ports:
- {number: 80, protocol: http, name: http-valid1}
endpoints:
- {address: in.google.com, ports: {http-valid2: 9080}}
resolution: DNS
`, want: []string{"spec.hosts[1]: invalid host *", "spec.endpoints[0].ports.http-valid2: endpoint port 9080 is not defined by the service entry"}},
	{fn: "TestValidateServiceEntries", name: "short name host", spec: `hosts: [foo, bar.com]
ports:
- {number: 80, protocol: http, name: http-valid1}
endpoints:
- {address: in.google.com, ports: {http-valid1: 9080}}
resolution: DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "undefined endpoint port", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 80, protocol: http, name: http-valid2}
endpoints:
- {address: lon.google.com, ports: {http-valid1: 8080}}
- {address: in.google.com, ports: {http-dne: 9080}}
resolution: DNS
`, want: []string{"spec.ports[1].number: service entry port 80 already defined", "spec.endpoints[1].ports.http-dne: endpoint port 9080 is not defined by the service entry"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS, non-FQDN endpoint", spec: `hosts: ['*.google.com']
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: '*.lon.google.com', ports: {http-valid1: 8080}}
- {address: in.google.com, ports: {http-dne: 9080}}
resolution: DNS
`, want: []string{"spec.endpoints[0].address: endpoint address \"*.lon.google.com\" is not a valid FQDN or an IP address", "spec.endpoints[1].ports.http-dne: endpoint port 9080 is not defined by the service entry"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS, non-FQDN host", spec: `hosts: ['*.google.com']
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
resolution: DNS
`, want: []string{"spec.hosts[0]: hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS, domain name \"*.google.com\" invalid (label \"*\" invalid)"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS, no endpoints", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
resolution: DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS, unix endpoint", spec: `hosts: ['*.google.com']
ports:
- {number: 80, protocol: http, name: http-valid1}
endpoints:
- {address: 'unix:///lon/google/com'}
resolution: DNS
`, want: []string{"spec.endpoints[0].address: endpoint address \"unix:///lon/google/com\" is not a valid FQDN or an IP address"}},
	{fn: "TestValidateServiceEntries", name: "discovery type none", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
resolution: NONE
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type none, endpoints provided", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: lon.google.com, ports: {http-valid1: 8080}}
resolution: NONE
`, want: []string{"spec.endpoints: no endpoints should be provided for resolution type none"}},
	{fn: "TestValidateServiceEntries", name: "discovery type none, cidr addresses", spec: `hosts: [google.com]
addresses: [172.1.2.16/16]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
resolution: NONE
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type static, cidr addresses with endpoints", spec: `hosts: [google.com]
addresses: [172.1.2.16/16]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: 1.1.1.1, ports: {http-valid1: 8080}}
- {address: 2.2.2.2, ports: {http-valid2: 9080}}
resolution: STATIC
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type static", spec: `hosts: [google.com]
addresses: [172.1.2.16]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: 1.1.1.1, ports: {http-valid1: 8080}}
- {address: 2.2.2.2, ports: {http-valid2: 9080}}
resolution: STATIC
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type static, FQDN in endpoints", spec: `hosts: [google.com]
addresses: [172.1.2.16]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: google.com, ports: {http-valid1: 8080}}
- {address: 2.2.2.2, ports: {http-valid2: 9080}}
resolution: STATIC
`, want: []string{"spec.endpoints[0].address: endpoint address \"google.com\" is not a valid IP address"}},
	{fn: "TestValidateServiceEntries", name: "discovery type static, missing endpoints", spec: `hosts: [google.com]
addresses: [172.1.2.16]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
resolution: STATIC
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type static, bad endpoint port name", spec: `hosts: [google.com]
addresses: [172.1.2.16]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
endpoints:
- {address: 1.1.1.1, ports: {http-valid1: 8080}}
- {address: 2.2.2.2, ports: {http-dne: 9080}}
resolution: STATIC
`, want: []string{"spec.endpoints[1].ports.http-dne: endpoint port 9080 is not defined by the service entry"}},
	{fn: "TestValidateServiceEntries", name: "discovery type none, conflicting port names", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-conflict}
- {number: 8080, protocol: http, name: http-conflict}
resolution: NONE
`, want: []string{"spec.ports[1].name: service entry port name \"http-conflict\" already defined"}},
	{fn: "TestValidateServiceEntries", name: "discovery type none, conflicting port numbers", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-conflict1}
- {number: 80, protocol: http, name: http-conflict2}
resolution: NONE
`, want: []string{"spec.ports[1].number: service entry port 80 already defined"}},
	{fn: "TestValidateServiceEntries", name: "unix socket", spec: `hosts: [uds.cluster.local]
ports:
- {number: 6553, protocol: grpc, name: grpc-service1}
resolution: STATIC
endpoints:
- {address: 'unix:///path/to/socket'}
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "unix socket, relative path", spec: `hosts: [uds.cluster.local]
ports:
- {number: 6553, protocol: grpc, name: grpc-service1}
resolution: STATIC
endpoints:
- {address: 'unix://./relative/path.sock'}
`, want: []string{"spec.endpoints[0].address: ./relative/path.sock is not an absolute path to a file"}},
	{fn: "TestValidateServiceEntries", name: "unix socket, endpoint ports", spec: `hosts: [uds.cluster.local]
ports:
- {number: 6553, protocol: grpc, name: grpc-service1}
resolution: STATIC
endpoints:
- {address: 'unix:///path/to/socket', ports: {grpc-service1: 6553}}
`, want: []string{"spec.endpoints[0].ports: unix endpoint unix:///path/to/socket must not include ports"}},
	{fn: "TestValidateServiceEntries", name: "unix socket, multiple service ports", spec: `hosts: [uds.cluster.local]
ports:
- {number: 6553, protocol: grpc, name: grpc-service1}
- {number: 80, protocol: http, name: http-service2}
resolution: STATIC
endpoints:
- {address: 'unix:///path/to/socket'}
`, want: []string{"spec.endpoints[0]: exactly 1 service port required for unix endpoints"}},
	{fn: "TestValidateServiceEntries", name: "empty protocol", spec: `hosts: [google.com]
addresses: [172.1.2.16/16]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, name: http-valid2}
resolution: NONE
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "selector", spec: `hosts: [google.com]
workloadSelector: {labels: {foo: bar}}
ports:
- {number: 80, protocol: http, name: http-valid1}
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "workload selector without labels", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
workloadSelector: {}
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "selector and endpoints", spec: `hosts: [google.com]
workloadSelector: {labels: {foo: bar}}
ports:
- {number: 80, protocol: http, name: http-valid1}
endpoints:
- {address: 1.1.1.1}
`, want: []string{"spec.endpoints: only one of WorkloadSelector or Endpoints is allowed in Service Entry", "spec.endpoints: no endpoints should be provided for resolution type none"}},
	{fn: "TestValidateServiceEntries", name: "selector and resolution NONE", spec: `hosts: [google.com]
workloadSelector: {labels: {foo: bar}}
ports:
- {number: 80, protocol: http, name: http-valid1}
resolution: NONE
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "selector and resolution DNS", spec: `hosts: [google.com]
workloadSelector: {labels: {foo: bar}}
ports:
- {number: 80, protocol: http, name: http-valid1}
resolution: DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "bad selector key", spec: `hosts: [google.com]
workloadSelector: {labels: {'': bar}}
ports:
- {number: 80, protocol: http, name: http-valid1}
`, want: []string{"spec.workloadSelector.labels.: empty key is not supported in selector: \"=bar\""}},
	{fn: "TestValidateServiceEntries", name: "repeat target port", spec: `hosts: [google.com]
resolution: DNS
ports:
- {number: 80, protocol: http, name: http-valid1, targetPort: 80}
- {number: 81, protocol: http, name: http-valid2, targetPort: 80}
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "valid target port", spec: `hosts: [google.com]
resolution: DNS
ports:
- {number: 80, protocol: http, name: http-valid1, targetPort: 81}
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "invalid target port", spec: `hosts: [google.com]
resolution: DNS
ports:
- {number: 80, protocol: http, name: http-valid1, targetPort: 65536}
`, want: []string{"spec.ports[0].targetPort: port number 65536 must be in the range 1..65535"}},
	{fn: "TestValidateServiceEntries", name: "warn target port", spec: `hosts: [google.com]
workloadSelector: {labels: {key: bar}}
ports:
- {number: 80, protocol: http, name: http-valid1, targetPort: 1234}
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "valid endpoint port", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1, targetPort: 81}
resolution: STATIC
endpoints:
- {address: 1.1.1.1, ports: {http-valid1: 8081}}
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "invalid endpoint port", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1, targetPort: 81}
resolution: STATIC
endpoints:
- {address: 1.1.1.1, ports: {http-valid1: 65536}}
`, want: []string{"spec.endpoints[0].ports.http-valid1: port number 65536 must be in the range 1..65535"}},
	{fn: "TestValidateServiceEntries", name: "protocol unset for addresses empty", spec: `hosts: [google.com]
addresses: []
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, name: http-valid2}
resolution: NONE
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "protocol is TCP for addresses empty", spec: `hosts: [google.com]
addresses: []
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 81, protocol: TCP, name: tcp-valid1}
resolution: NONE
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "dns round robin with more than one endpoint", spec: `hosts: [google.com]
addresses: []
ports:
- {number: 8081, protocol: http, name: http-valid1}
endpoints:
- {address: api-v1.istio.io, ports: {http-valid1: 8081}}
- {address: 1.1.1.2, ports: {http-valid1: 8081}}
resolution: DNS_ROUND_ROBIN
`, want: []string{"spec.endpoints: there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN"}},
	{fn: "TestValidateServiceEntries", name: "dns round robin with 0 endpoints", spec: `hosts: [google.com]
addresses: []
ports:
- {number: 8081, protocol: http, name: http-valid1}
endpoints: []
resolution: DNS_ROUND_ROBIN
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "partial wildcard hosts", spec: `hosts: ['*.nytimes.com', '*washingtonpost.com']
addresses: []
ports:
- {number: 443, protocol: HTTPS, name: https-nytimes}
endpoints: []
resolution: NONE
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "network set with no address on endpoint", spec: `hosts: [www.example.com]
addresses: []
ports:
- {number: 443, protocol: HTTPS, name: https-example}
endpoints:
- {network: cluster-1}
resolution: STATIC
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, unsupported TCP protocol", spec: `hosts: ['*.google.com']
addresses: []
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 81, protocol: TCP, name: tcp-valid1}
resolution: DYNAMIC_DNS
`, want: []string{"spec.ports[1].protocol: only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, GRPC protocol", spec: `hosts: ['*.svc.cluster.local']
addresses: []
ports:
- {number: 9090, protocol: GRPC, name: grpc}
resolution: DYNAMIC_DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, FQDN host", spec: `hosts: [google.com]
addresses: []
ports:
- {number: 80, protocol: http, name: http-valid}
resolution: DYNAMIC_DNS
`, want: []string{"spec.hosts[0]: host must be wildcarded for resolution mode DYNAMIC_DNS"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, endpoints set", spec: `hosts: ['*.google.com']
addresses: []
ports:
- {number: 80, protocol: http, name: http-valid1}
endpoints:
- {address: in.google.com, ports: {http-valid1: 9080}}
resolution: DYNAMIC_DNS
`, want: []string{"spec.endpoints: endpoints cannot be set for resolution type DYNAMIC_DNS. Destination IP address determined from hostsfield values"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, IP address set", spec: `hosts: ['*.google.com']
addresses: [10.10.10.10]
ports:
- {number: 80, protocol: http, name: http-valid1}
- {number: 8080, protocol: http, name: http-valid2}
resolution: DYNAMIC_DNS
`, want: []string{"spec.addresses: addresses cannot be set for resolution type DYNAMIC_DNS. HTTP route domains will only be generatedfrom the hosts field values"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, empty hosts", spec: `hosts: []
addresses: []
ports:
- {number: 80, protocol: http, name: http-valid1}
resolution: DYNAMIC_DNS
`, want: []string{"spec.hosts: service entry must have at least one host", "spec.hosts: at least one wildcard host must be provided for resolution type DYNAMIC_DNS"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, multiple wildcarded hosts", spec: `hosts: ['*.google.com', '*.amazon.com']
addresses: []
ports:
- {number: 80, protocol: http, name: http-valid1}
resolution: DYNAMIC_DNS
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, internal mesh location", spec: `hosts: ['*.google.com']
addresses: []
ports:
- {number: 80, protocol: http, name: http-valid1}
resolution: DYNAMIC_DNS
location: MESH_INTERNAL
`, want: nil},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, MESH_INTERNAL with waypoint (invalid)", meta: "labels: {istio.io/use-waypoint: my-waypoint}", spec: `hosts: ['*.google.com']
addresses: []
ports:
- {number: 80, protocol: http, name: http-valid1}
resolution: DYNAMIC_DNS
location: MESH_INTERNAL
`, want: []string{"spec.location: location MESH_INTERNAL with resolution type DYNAMIC_DNS is not supported when using waypoints"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DYNAMIC_DNS, nil port", spec: `hosts: ['*.google.com']
location: MESH_EXTERNAL
ports: [null]
resolution: DYNAMIC_DNS
`, want: []string{"spec.ports[0].name: invalid port name: ", "spec.ports[0].number: port number 0 must be in the range 1..65535", "spec.ports[0].protocol: only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS"}},
	{fn: "TestValidateServiceEntries", name: "nil port in ports array", spec: `hosts: [google.com]
ports: [null]
resolution: NONE
`, want: []string{"spec.ports[0].name: invalid port name: ", "spec.ports[0].number: port number 0 must be in the range 1..65535"}},
	{fn: "TestValidateServiceEntries", name: "discovery type DNS with addresses, nil port", spec: `hosts: [google.com]
addresses: [1.2.3.4]
ports: [null]
resolution: DNS
`, want: []string{"spec.ports[0].name: invalid port name: ", "spec.ports[0].number: port number 0 must be in the range 1..65535"}},
	// Test_validateExportTo, its ServiceEntry cases: each exportTo on a valid ServiceEntry in namespace ns5.
	{fn: "Test_validateExportTo", name: "~ is allowed for service entry configs", ns: "ns5", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1}
resolution: DNS
exportTo: ['~']
`, want: nil},
	{fn: "Test_validateExportTo", name: "duplicate none in service entry exportTo is not okay", ns: "ns5", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1}
resolution: DNS
exportTo: ['~', '~', ns1]
`, want: []string{"spec.exportTo[1]: duplicate entries in exportTo for entry ~", "spec.exportTo: cannot export service entry to no one (~) and someone"}},
	{fn: "Test_validateExportTo", name: "none and other namespaces cannot be combined in service entry exportTo", ns: "ns5", spec: `hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-valid1}
resolution: DNS
exportTo: ['~', ns1]
`, want: []string{"spec.exportTo: cannot export service entry to no one (~) and someone"}},
	// TestValidateWorkloadEntry (validateWorkloadEntry): each WorkloadEntry as the endpoint of a STATIC
	// ServiceEntry with one port named 7777, where validateWorkloadEntry checks endpoints without FQDNs.
	{fn: "TestValidateWorkloadEntry", name: "valid", spec: `hosts: [google.com]
ports:
- {number: 7777, protocol: TCP, name: '7777'}
resolution: STATIC
endpoints:
- {address: 1.2.3.4}
`, want: nil},
	{fn: "TestValidateWorkloadEntry", name: "missing address", spec: `hosts: [google.com]
ports:
- {number: 7777, protocol: TCP, name: '7777'}
resolution: STATIC
endpoints:
- {}
`, want: []string{"spec.endpoints[0].address: address is required"}},
	{fn: "TestValidateWorkloadEntry", name: "missing address with network", spec: `hosts: [google.com]
ports:
- {number: 7777, protocol: TCP, name: '7777'}
resolution: STATIC
endpoints:
- {network: network-2}
`, want: nil},
	{fn: "TestValidateWorkloadEntry", name: "valid unix endpoint", spec: `hosts: [google.com]
ports:
- {number: 7777, protocol: TCP, name: '7777'}
resolution: STATIC
endpoints:
- {address: 'unix:///lon/google/com'}
`, want: nil},
	{fn: "TestValidateWorkloadEntry", name: "invalid unix endpoint", spec: `hosts: [google.com]
ports:
- {number: 7777, protocol: TCP, name: '7777'}
resolution: STATIC
endpoints:
- {address: 'unix:///lon/google/com', ports: {'7777': 7777}}
`, want: []string{"spec.endpoints[0].ports: unix endpoint unix:///lon/google/com must not include ports"}},
	{fn: "TestValidateWorkloadEntry", name: "invalid FQDN", spec: `hosts: [google.com]
ports:
- {number: 7777, protocol: TCP, name: '7777'}
resolution: STATIC
endpoints:
- {address: 'invaliddns.com:9443', ports: {'7777': 7777}}
`, want: []string{"spec.endpoints[0].address: endpoint address \"invaliddns.com:9443\" is not a valid IP address"}},
	{fn: "TestValidateWorkloadEntry", name: "valid IP", spec: `hosts: [google.com]
ports:
- {number: 7777, protocol: TCP, name: '7777'}
resolution: STATIC
endpoints:
- {address: 172.16.1.1, ports: {'7777': 7777}}
`, want: nil},
	// splitsim's own cases: the checks the upstream cases do not reach, each checked against Istio's
	// ValidateServiceEntry at the same version.
	{fn: "splitsim", name: "bad addresses", spec: `hosts: [a.com]
addresses: [10.0.0.300, 10.0.0.0/33, 10.0.0.1]
ports:
- {number: 80, protocol: HTTP, name: http}
resolution: STATIC
`, want: []string{"spec.addresses[0]: 10.0.0.300 is not a valid IP", "spec.addresses[1]: 10.0.0.0/33 is not a valid CIDR block"}},
	{fn: "splitsim", name: "CIDR address with DNS resolution", spec: `hosts: [a.com]
addresses: [10.0.0.1, 10.0.0.0/24]
ports:
- {number: 80, protocol: HTTP, name: http}
resolution: DNS
`, want: []string{"spec.addresses[1]: CIDR addresses are allowed only for NONE/STATIC resolution types"}},
	{fn: "splitsim", name: "several hosts with a TCP port", spec: `hosts: [a.com, b.com]
ports:
- {number: 80, protocol: HTTP, name: http}
- {number: 5432, protocol: TCP, name: tcp}
- {number: 27017, protocol: MONGO, name: mongo}
resolution: DNS
`, want: []string{"spec.ports[1].protocol: multiple hosts provided with non-HTTP, non-TLS ports"}},
	{fn: "splitsim", name: "several hosts with a TCP port, resolution NONE", spec: `hosts: [a.com, b.com]
ports:
- {number: 5432, protocol: TCP, name: tcp}
resolution: NONE
`, want: nil},
	{fn: "splitsim", name: "unknown resolution number", spec: `hosts: [a.com]
ports:
- {number: 80, protocol: HTTP, name: http}
resolution: 9
`, want: []string{"spec.resolution: unsupported resolution type "}},
	{fn: "splitsim", name: "unknown location number with DYNAMIC_DNS", spec: `hosts: ['*.a.com']
ports:
- {number: 80, protocol: HTTP, name: http}
resolution: DYNAMIC_DNS
location: 7
`, want: []string{"spec.location: location must be MESH_EXTERNAL or MESH_INTERNAL for resolution type DYNAMIC_DNS"}},
	{fn: "splitsim", name: "waypoint none with MESH_INTERNAL", meta: "labels: {istio.io/use-waypoint: none}", spec: `hosts: ['*.a.com']
ports:
- {number: 80, protocol: HTTP, name: http}
resolution: DYNAMIC_DNS
location: MESH_INTERNAL
`, want: nil},
	{fn: "splitsim", name: "bad port name and protocol", spec: `hosts: [a.com]
ports:
- {number: 80, protocol: kafka, name: Bad_Name}
resolution: DNS
`, want: []string{"spec.ports[0].name: invalid port name: Bad_Name", "spec.ports[0].protocol: unsupported protocol: kafka"}},
	{fn: "splitsim", name: "wildcard in selector", spec: `hosts: [a.com]
workloadSelector: {labels: {app: '*', 'b*': x}}
ports:
- {number: 80, protocol: HTTP, name: http}
endpoints: [{address: 1.1.1.1}]
resolution: STATIC
`, want: []string{"spec.workloadSelector.labels.app: wildcard is not supported in selector: \"app=*\"", "spec.workloadSelector.labels.b*: wildcard is not supported in selector: \"b*=x\""}},
	{fn: "splitsim", name: "endpoint labels and port names", spec: `hosts: [a.com]
ports:
- {number: 80, protocol: HTTP, name: http}
endpoints:
- {address: b.com, labels: {'bad key!': v, app: 'bad value!'}, ports: {Bad_Port: 0, http: 8080}}
resolution: DNS
`, want: []string{"spec.endpoints[0].labels.app: invalid tag value: \"bad value!\"", "spec.endpoints[0].labels.bad key!: invalid tag key: \"bad key!\"", "spec.endpoints[0].ports.Bad_Port: endpoint port 0 is not defined by the service entry", "spec.endpoints[0].ports.Bad_Port: invalid port name: Bad_Port", "spec.endpoints[0].ports.Bad_Port: port number 0 must be in the range 1..65535"}},
	{fn: "splitsim", name: "static endpoint labels and port names", spec: `hosts: [a.com]
ports:
- {number: 80, protocol: HTTP, name: http}
endpoints:
- {address: 1.1.1.1, labels: {'bad key!': v}, ports: {Bad_Port: 70000}}
resolution: STATIC
`, want: []string{"spec.endpoints[0].ports.Bad_Port: endpoint port 70000 is not defined by the service entry", "spec.endpoints[0].ports.Bad_Port: invalid port name: Bad_Port", "spec.endpoints[0].ports.Bad_Port: port number 70000 must be in the range 1..65535", "spec.endpoints[0].labels.bad key!: invalid tag key: \"bad key!\""}},
	{fn: "splitsim", name: "null endpoint", spec: `hosts: [a.com]
ports:
- {number: 80, protocol: HTTP, name: http}
endpoints: [null]
resolution: STATIC
`, want: []string{"spec.endpoints[0].address: address is required"}},
	{fn: "splitsim", name: "workload selector with an empty endpoint list", spec: `hosts: [a.com]
workloadSelector: {labels: {app: a}}
ports:
- {number: 80, protocol: HTTP, name: http}
endpoints: []
resolution: STATIC
`, want: nil},
	{fn: "splitsim", name: "exportTo entries", spec: `hosts: [a.com]
ports:
- {number: 80, protocol: HTTP, name: http}
resolution: DNS
exportTo: [., bar, Bad_NS, '*']
`, want: []string{"spec.exportTo[1]: duplicate entries in exportTo for entry bar", "spec.exportTo[2]: only .,*, or a valid DNS 1123 label is allowed as exportTo entry", "spec.exportTo: cannot have both public (*) and non-public exportTo values for a resource"}},
	{fn: "splitsim", name: "exportTo ~ and .", spec: `hosts: [a.com]
ports:
- {number: 80, protocol: HTTP, name: http}
resolution: DNS
exportTo: ['~', .]
`, want: []string{"spec.exportTo: cannot export service entry to no one (~) and someone"}},
	{fn: "splitsim", name: "DNS with several hosts not FQDN, no endpoints", spec: `hosts: ['*.a.com', 'b', '*.c.com']
ports:
- {number: 80, protocol: HTTP, name: http}
resolution: DNS
`, want: []string{"spec.hosts[0]: hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS, domain name \"*.a.com\" invalid (label \"*\" invalid)"}},
	{fn: "splitsim", name: "DNS endpoint with an empty address", spec: `hosts: [a.com]
ports:
- {number: 80, protocol: HTTP, name: http}
endpoints: [{ports: {http: 80}}]
resolution: DNS
`, want: []string{"spec.endpoints[0].address: endpoint address \"\" is not a valid FQDN or an IP address"}},
}

// The upstream cases with a nil port (validation_test.go TestValidateServiceEntries "discovery type
// DYNAMIC_DNS, nil port", "nil port in ports array", "discovery type DNS with addresses, nil port"),
// built as Istio's tests build them, and nil endpoints: the messages ValidateServiceEntry gives for them
// at that Istio version (a YAML null is an empty port or endpoint instead, above).
func TestServiceEntryValidationNilEntries(t *testing.T) {
	http := []*networking.ServicePort{{Number: 80, Name: "http", Protocol: "HTTP"}}
	for _, tc := range []struct {
		name string
		se   *networking.ServiceEntry
		want []string
	}{
		{"TestValidateServiceEntries/discovery type DYNAMIC_DNS, nil port", &networking.ServiceEntry{Hosts: []string{"*.google.com"},
			Location: networking.ServiceEntry_MESH_EXTERNAL, Ports: []*networking.ServicePort{nil}, Resolution: networking.ServiceEntry_DYNAMIC_DNS},
			[]string{"spec.ports[0]: service entry port may not be null", "spec.ports[0]: port cannot be nil"}},
		{"TestValidateServiceEntries/nil port in ports array", &networking.ServiceEntry{Hosts: []string{"google.com"},
			Ports: []*networking.ServicePort{nil}, Resolution: networking.ServiceEntry_NONE},
			[]string{"spec.ports[0]: service entry port may not be null"}},
		{"TestValidateServiceEntries/discovery type DNS with addresses, nil port", &networking.ServiceEntry{Hosts: []string{"google.com"},
			Addresses: []string{"1.2.3.4"}, Ports: []*networking.ServicePort{nil}, Resolution: networking.ServiceEntry_DNS},
			[]string{"spec.ports[0]: service entry port may not be null", "spec.ports[0]: ports cannot be nil"}},
		{"splitsim/several hosts, nil port", &networking.ServiceEntry{Hosts: []string{"a.com", "b.com"},
			Ports: []*networking.ServicePort{nil}, Resolution: networking.ServiceEntry_STATIC},
			[]string{"spec.ports[0]: service entry port may not be null", "spec.ports[0]: ports cannot be nil"}},
		{"splitsim/static, nil endpoint", &networking.ServiceEntry{Hosts: []string{"google.com"}, Ports: http,
			Endpoints: []*networking.WorkloadEntry{nil}, Resolution: networking.ServiceEntry_STATIC},
			[]string{"spec.endpoints[0]: endpoint cannot be nil"}},
		{"splitsim/DNS, nil endpoint", &networking.ServiceEntry{Hosts: []string{"google.com"}, Ports: http,
			Endpoints: []*networking.WorkloadEntry{nil}, Resolution: networking.ServiceEntry_DNS},
			[]string{"spec.endpoints[0]: endpoint cannot be nil"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			se := &ServiceEntry{Document: &Document{File: "x.yaml", Kind: "ServiceEntry", Name: "foo", Namespace: "bar"}, Spec: tc.se}
			var got []string
			for _, p := range validateServiceEntry(se) {
				got = append(got, p.Path+": "+p.Msg)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems %q, want Istio's %q", got, tc.want)
			}
		})
	}
}
