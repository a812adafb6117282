package mesh

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Each validation problem is named by the field it is about and that field's line, with Istio's
// message (istio pkg/config/validation validation.go and virtualservice.go at
// eed52ebb66ad: ValidateVirtualService, validateHTTPRoute and what it calls, ValidateDestinationRule;
// every message here is the one that Istio version gives for the same document, decoded as istiod
// decodes it). The cases include the gaps measured in issue 14: destination host syntax (foo.*,
// default/baz), subset names, port 0 and 70000, VirtualService host syntax, wildcard duplicates, *
// on the mesh, sourceLabels keys, empty prefixes, mirrors, prefixRewrite with an exact URI match, and
// weights whose int32 sum wraps around (accepted, as Istio's sum wraps and only 0 is rejected).
// Istio joins a UriRegexRewrite problem to "UriRegexRewrite has errors" with a newline; splitsim
// gives the two lines as two problems. Problems of match blocks come right after the route's action,
// as in Istio.
func TestValidationProblemPaths(t *testing.T) {
	for _, tc := range []struct {
		name, kind, ns, spec string
		want                 []string // "LINE PATH: MESSAGE"
	}{
		{"destination host, subset and port; int32 weight sum wraps", "", "", `
  hosts: [reviews]
  http:
  - route:
    - destination: {host: "foo.*", subset: Bad_Subset, port: {number: 70000}}
      weight: 2147483647
    - destination: {host: default/baz}
      weight: 1
`, []string{
			`8 spec.http[0].route[0].destination.host: domain name "*" invalid (label "*" invalid)`,
			`8 spec.http[0].route[0].destination.subset: subset name is invalid: Bad_Subset`,
			`8 spec.http[0].route[0].destination.port.number: port number 70000 must be in the range 1..65535`,
			`10 spec.http[0].route[1].destination.host: domain name "default/baz" invalid (label "default/baz" invalid)`,
		}},
		{"unnumbered port selector", "", "", `
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, port: {}}
`, []string{`8 spec.http[0].route[0].destination.port.number: port number 0 must be in the range 1..65535`}},
		{"host syntax and * on the mesh", "", "", `
  hosts:
  - foo.ba!r
  - "*"
  http:
  - route: [{destination: {host: reviews}}]
`, []string{
			`6 spec.hosts[0]: domain name "ba!r" invalid (label "ba!r" invalid)`,
			`7 spec.hosts[1]: wildcard host * is not allowed for virtual services bound to the mesh gateway`,
		}},
		{"* on a gateway", "", "", `
  hosts: ["*"]
  gateways: [ns/gw]
  http:
  - route: [{destination: {host: reviews}}]
`, nil},
		{"wildcard duplicates", "", "", `
  hosts:
  - "*.bar"
  - reviews
  - "*.foo.bar"
  http:
  - route: [{destination: {host: reviews}}]
`, []string{`8 spec.hosts[2]: duplicate hosts in virtual service: *.bar & *.foo.bar`}},
		{"match block", "", "", `
  hosts: [reviews]
  http:
  - match:
    - headers:
        bad header: {exact: x}
      method: {prefix: ""}
      port: 70000
      sourceLabels: {"bad key!": v}
      sourceNamespace: Bad_NS
      gateways: [ns/gw_x]
    route: [{destination: {host: reviews}, weight: -1}]
`, []string{
			`9 spec.http[0].match[0].headers.bad header: header name bad header is not a valid header name`,
			`10 spec.http[0].match[0].method: "method": prefix string match should not be empty`,
			`11 spec.http[0].match[0].port: port number 70000 must be in the range 1..65535`,
			`12 spec.http[0].match[0].sourceLabels.bad key!: invalid tag key: "bad key!"`,
			`14 spec.http[0].match[0].gateways[0]: invalid value for gateway name: "gw_x"`,
			`13 spec.http[0].match[0].sourceNamespace: sourceNamespace match Bad_NS is invalid`,
			`15 spec.http[0].route[0].weight: weight -1 < 0`,
		}},
		{"withoutHeaders regex * means absent", "", "", `
  hosts: [reviews]
  http:
  - match: [{withoutHeaders: {x-canary: {regex: "*"}}}]
    route: [{destination: {host: reviews}}]
`, nil},
		{"headers, CORS, fault, mirror, retries, rewrite, timeout", "", "", `
  hosts: [reviews]
  http:
  - headers:
      request:
        set: {":path": x}
    corsPolicy:
      allowMethods: [GET, GETT]
    fault:
      abort:
        httpStatus: 700
        percentage: {value: 101}
    mirrorPercent: 101
    mirror: {host: "*"}
    retries: {attempts: 3, retryOn: "5xx,bogus"}
    rewrite:
      uriRegexRewrite: {match: "(", rewrite: x}
    route: [{destination: {host: reviews}}]
    timeout: 0.0005s
`, []string{
			`9 spec.http[0].headers.request.set.:path: invalid header ":path": header cannot have ":" prefix`,
			`11 spec.http[0].corsPolicy.allowMethods[1]: "GETT" is not a supported HTTP method`,
			`15 spec.http[0].fault.abort.percentage: percentage 101 is neither 0.0, nor in range [0.0001, 100.0]`,
			`14 spec.http[0].fault.abort.httpStatus: HTTP status 700 is not in range 200-599`,
			`16 spec.http[0].mirrorPercent: mirror_percent must have a max value of 100 (it has 101)`,
			`17 spec.http[0].mirror.host: invalid destination host *`,
			`18 spec.http[0].retries.retryOn: "bogus" is not a valid retryOn policy`,
			`20 spec.http[0].rewrite.uriRegexRewrite: UriRegexRewrite has errors`,
			"20 spec.http[0].rewrite.uriRegexRewrite: \"HTTPRewrite.UriRegexRewrite.Match\": error parsing regexp: missing closing ): `(`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)",
			`22 spec.http[0].timeout: duration must be greater than 1ms`,
		}},
		{"redirect with fault, uri and prefixRewrite", "", "", `
  hosts: [reviews]
  http:
  - redirect: {uri: /x, prefixRewrite: /y}
    fault:
      delay: {fixedDelay: 1s}
`, []string{
			`8 spec.http[0].fault: HTTP route cannot contain both fault and redirect`,
			`7 spec.http[0].redirect.prefixRewrite: redirect may only specify one of uri or prefix_rewrite`,
		}},
		{"prefixRewrite with an exact URI match", "", "", `
  hosts: [reviews]
  http:
  - match: [{uri: {prefix: /a}}, {uri: {exact: /b}}]
    redirect: {prefixRewrite: /c}
`, []string{`8 spec.http[0].redirect.prefixRewrite: redirect prefix_rewrite requires all URI matches to use prefix match type`}},
		{"direct response with mirror and mirrors", "", "", `
  hosts: [reviews]
  http:
  - directResponse: {status: 700}
    mirror: {host: reviews}
    mirrors:
    - destination: {host: reviews}
      percentage: {value: -1}
`, []string{
			`9 spec.http[0].mirrors: HTTP route cannot contain both mirror and mirrors`,
			`11 spec.http[0].mirrors[0].percentage: mirror percentage must have a min value of 0 (it has -1.000000)`,
			`7 spec.http[0].directResponse.status: HTTP status 700 is not in range 200-599`,
		}},
		{"tls and tcp routes", "", "", `
  hosts: [reviews]
  tls:
  - match:
    - sniHosts: [other.com]
    route: [{destination: {host: reviews}}]
  tcp:
  - match:
    - port: 70000
      destinationSubnets: [1.2.3.4/33]
    route:
    - destination: {host: reviews}
      weight: -1
`, []string{
			`8 spec.tls[0].match[0].sniHosts[0]: SNI host "other.com" is not a compatible subset of any of the virtual service hosts: [reviews]`,
			`13 spec.tcp[0].match[0].destinationSubnets[0]: 1.2.3.4/33 is not a valid CIDR block`,
			`12 spec.tcp[0].match[0].port: port number 70000 must be in the range 1..65535`,
			`16 spec.tcp[0].route[0].weight: weight -1 < 0`,
		}},
		{"gateway names", "", "", `
  hosts: [reviews]
  gateways: [ns/, b@d]
  http:
  - route: [{destination: {host: reviews}}]
`, []string{
			`6 spec.gateways[0]: config namespace and gateway name cannot be empty`,
			`6 spec.gateways[0]: invalid value for gateway name: ""`,
			`6 spec.gateways[1]: domain name "b@d" invalid (label "b@d" invalid)`,
		}},
		{"JWT claim route on the mesh", "", "", `
  hosts: [reviews]
  gateways: [mesh]
  http:
  - match:
    - headers:
        "@request.auth.claims.group": {exact: admin}
    route: [{destination: {host: reviews}}]
`, []string{`10 spec.http[0].match[0].headers.@request.auth.claims.group: JWT claim based routing (key: @request.auth.claims.group) is only supported for gateway, found no gateways: [mesh]`}},
		{"root route with route and redirect", "", "", `
  hosts: [reviews]
  http:
  - name: api
    delegate: {name: d2}
    redirect: {uri: /x}
    route: [{destination: {host: reviews}}]
`, []string{
			`9 spec.http[0].redirect: root HTTP route api must not specify redirect`,
			`10 spec.http[0].route: root HTTP route api must not specify route`,
		}},
		{"DestinationRule subsets, traffic policy, exportTo, workload selector", "DestinationRule", "ns1", `
  host: reviews
  trafficPolicy:
    loadBalancer:
      consistentHash:
        maglev: {tableSize: 1000}
  subsets:
  - name: Bad_Subset
    labels: {"bad key!": v}
  - name: Bad_Subset
  exportTo: [ns2]
  workloadSelector:
    matchLabels: {app: "*"}
`, []string{
			`9 spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: tableSize must be a prime number for maglev`,
			`11 spec.subsets[0].name: subset name is invalid: Bad_Subset`,
			`12 spec.subsets[0].labels.bad key!: invalid tag key: "bad key!"`,
			`13 spec.subsets[1].name: duplicate subset names: Bad_Subset`,
			`13 spec.subsets[1].name: subset name is invalid: Bad_Subset`,
			`14 spec.exportTo: destination rule with workload selector cannot have exportTo beyond current namespace`,
			`16 spec.workloadSelector.matchLabels.app: wildcard is not supported in selector: "app=*"`,
		}},
		{"DestinationRule host", "DestinationRule", "", `
  host: "foo.*"
`, []string{`5 spec.host: domain name "*" invalid (label "*" invalid)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kind, ns := tc.kind, tc.ns
			if kind == "" {
				kind = "VirtualService"
			}
			if ns == "" {
				ns = "default"
			}
			doc := "apiVersion: networking.istio.io/v1\nkind: " + kind + "\nmetadata: {name: c, namespace: " + ns + "}\nspec:" + tc.spec
			problems, err := (&Config{}).AddLenient("x.yaml", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, fmt.Sprintf("%d %s: %s", p.Line, p.Path, p.Msg))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}
