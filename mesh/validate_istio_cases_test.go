package mesh

import "strings"

// istioValidationCases are the cases of Istio's own validation tests for VirtualServices and
// DestinationRules: istio pkg/config/validation/validation_test.go and virtualservice_test.go at
// istio.io/istio v0.0.0-20260827124520-eed52ebb66ad, every case of the test functions named by fn
// (but the ServiceEntry cases of Test_validateExportTo), in the upstream order. Where the upstream
// test checks one part (a route, a destination, a redirect...), the part is wrapped into a whole
// resource as the comment before the function's cases says; the upstream verdict holds for every
// wrapped resource. spec is the resource's spec as YAML; want is the list of messages Istio's
// ValidateVirtualService or ValidateDestinationRule returns for it (nil: valid), in Istio's order,
// as that Istio version gives them on the same spec decoded as istiod decodes it.
var istioValidationCases = []istioCase{
	// virtualservice_test.go TestValidateChainingVirtualService: whole VirtualServices.
	{fn: "TestValidateChainingVirtualService", name: "root simple", spec: `gateways:
- test-gateway
hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
`, want: nil},
	{fn: "TestValidateChainingVirtualService", name: "root applies to sidecar with delegate", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
`, want: nil},
	{fn: "TestValidateChainingVirtualService", name: "root with delegate and destination in one route", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  route:
  - destination:
      host: foo.baz
`, want: []string{"root HTTP route  must not specify route"}},
	{fn: "TestValidateChainingVirtualService", name: "delegate with no destination", spec: `http:
- {}
`, want: []string{"HTTP route, redirect or direct_response is required"}},
	{fn: "TestValidateChainingVirtualService", name: "delegate with delegate", spec: `http:
- delegate:
    name: test
    namespace: test
`, want: []string{"delegate HTTP route cannot contain delegate", "HTTP route, redirect or direct_response is required"}},
	{fn: "TestValidateChainingVirtualService", name: "delegate with TCP route", spec: `tcp:
- route:
  - destination:
      host: foo.baz
`, want: []string{"delegate virtual service must have no tcp route specified"}},
	{fn: "TestValidateChainingVirtualService", name: "delegate with gateway", spec: `gateways:
- test
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"delegate virtual service must have no gateways specified"}},
	{fn: "TestValidateChainingVirtualService", name: "delegate with sourceNamespace", spec: `http:
- match:
  - sourceNamespace: test
  route:
  - destination:
      host: foo.baz
`, want: nil},
	// virtualservice_test.go TestValidateRootHTTPRoute: each route in a VirtualService for host foo.bar.
	{fn: "TestValidateRootHTTPRoute", name: "simple", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "route and delegate conflict", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  route:
  - destination:
      host: foo.baz
`, want: []string{"root HTTP route  must not specify route"}},
	{fn: "TestValidateRootHTTPRoute", name: "redirect and delegate conflict", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  redirect:
    authority: foo.biz
    uri: /lerp
`, want: []string{"root HTTP route  must not specify redirect"}},
	{fn: "TestValidateRootHTTPRoute", name: "null header match", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - headers:
      header: {}
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "prefix header match", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - headers:
      header:
        prefix: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "empty prefix header match (delegate)", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - headers:
      header:
        prefix: ""
`, want: []string{"\"headers\": prefix string match should not be empty"}},
	{fn: "TestValidateRootHTTPRoute", name: "exact header match", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - headers:
      header:
        exact: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "regex header match", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - headers:
      header:
        regex: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "exact without headers match", spec: `hosts:
- foo.bar
http:
- match:
  - withoutHeaders:
      header:
        exact: test
  redirect:
    authority: foo.biz
    uri: /
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "regex without headers match", spec: `hosts:
- foo.bar
http:
- match:
  - withoutHeaders:
      header:
        regex: test
  redirect:
    authority: foo.biz
    uri: /
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "regex without headers match ?", spec: `hosts:
- foo.bar
http:
- match:
  - withoutHeaders:
      header:
        regex: '?'
  redirect:
    authority: foo.biz
    uri: /
`, want: []string{"\"withoutHeaders\": error parsing regexp: missing argument to repetition operator: `?`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)"}},
	{fn: "TestValidateRootHTTPRoute", name: "regex without headers match *", spec: `hosts:
- foo.bar
http:
- match:
  - withoutHeaders:
      header:
        regex: '*'
  redirect:
    authority: foo.biz
    uri: /
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "regex uri match", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - uri:
      regex: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "prefix uri match", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - uri:
      prefix: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "exact uri match", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - uri:
      exact: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "prefix queryParams match", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - queryParams:
      q:
        prefix: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "exact queryParams match", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - queryParams:
      q:
        exact: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "regex queryParams match", spec: `hosts:
- foo.bar
http:
- delegate:
    name: test
    namespace: test
  match:
  - headers:
      q:
        regex: test
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "empty prefix match in method", spec: `hosts:
- foo.bar
http:
- match:
  - method:
      prefix: ""
  redirect:
    authority: foo.biz
    uri: /
`, want: []string{"\"method\": prefix string match should not be empty"}},
	{fn: "TestValidateRootHTTPRoute", name: "empty regex match in method", spec: `hosts:
- foo.bar
http:
- match:
  - method:
      regex: ""
  redirect:
    authority: foo.biz
    uri: /
`, want: []string{"\"method\": regex string match should not be empty"}},
	{fn: "TestValidateRootHTTPRoute", name: "empty prefix match in uri", spec: `hosts:
- foo.bar
http:
- match:
  - uri:
      prefix: ""
  redirect:
    authority: foo.biz
    uri: /
`, want: nil},
	{fn: "TestValidateRootHTTPRoute", name: "empty regex match in uri", spec: `hosts:
- foo.bar
http:
- match:
  - uri:
      regex: ""
  redirect:
    authority: foo.biz
    uri: /
`, want: []string{"\"uri\": regex string match should not be empty"}},
	{fn: "TestValidateRootHTTPRoute", name: "empty regex match in query", spec: `hosts:
- foo.bar
http:
- match:
  - queryParams:
      q:
        regex: ""
  redirect:
    authority: foo.biz
    uri: /
`, want: []string{"\"queryParams\": regex string match should not be empty"}},
	{fn: "TestValidateRootHTTPRoute", name: "empty regex match in scheme", spec: `hosts:
- foo.bar
http:
- match:
  - scheme:
      regex: ""
  redirect:
    authority: foo.biz
    uri: /
`, want: []string{"\"scheme\": regex string match should not be empty"}},
	{fn: "TestValidateRootHTTPRoute", name: "empty prefix match in scheme", spec: `hosts:
- foo.bar
http:
- match:
  - scheme:
      prefix: ""
  redirect:
    authority: foo.biz
    uri: /
`, want: []string{"\"scheme\": prefix string match should not be empty"}},
	{fn: "TestValidateRootHTTPRoute", name: "empty prefix header match", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      header:
        prefix: ""
`, want: []string{"HTTP route, redirect or direct_response is required", "\"headers\": prefix string match should not be empty"}},
	// virtualservice_test.go TestValidateDelegateHTTPRoute: each route in a delegate VirtualService (no hosts).
	{fn: "TestValidateDelegateHTTPRoute", name: "empty", spec: `http:
- {}
`, want: []string{"HTTP route, redirect or direct_response is required"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "simple", spec: `http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "no destination", spec: `http:
- route:
  - {}
`, want: []string{"destination is required"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "weighted", spec: `http:
- route:
  - destination:
      host: foo.baz.south
    weight: 25
  - destination:
      host: foo.baz.east
    weight: 75
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "total weight > 100", spec: `http:
- route:
  - destination:
      host: foo.baz.south
    weight: 55
  - destination:
      host: foo.baz.east
    weight: 50
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "total weight < 100", spec: `http:
- route:
  - destination:
      host: foo.baz.south
    weight: 49
  - destination:
      host: foo.baz.east
    weight: 50
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "simple redirect", spec: `http:
- redirect:
    authority: foo.biz
    uri: /lerp
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "conflicting redirect and route", spec: `http:
- redirect:
    authority: foo.biz
    uri: /lerp
  route:
  - destination:
      host: foo.baz
`, want: []string{"HTTP route cannot contain both route and redirect"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "request response headers", spec: `http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "valid headers", spec: `http:
- route:
  - destination:
      host: foo.baz
    headers:
      request:
        add:
          name: ""
        remove:
        - name
        set:
          name: ""
      response:
        add:
          name: ""
        remove:
        - name
        set:
          name: ""
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "empty header name - request add", spec: `http:
- route:
  - destination:
      host: foo.baz
    headers:
      request:
        add:
          "": value
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "empty header name - request set", spec: `http:
- route:
  - destination:
      host: foo.baz
    headers:
      request:
        set:
          "": value
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "empty header name - request remove", spec: `http:
- route:
  - destination:
      host: foo.baz
    headers:
      request:
        remove:
        - ""
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "empty header name - response add", spec: `http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        add:
          "": value
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "empty header name - response set", spec: `http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        set:
          "": value
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "empty header name - response remove", spec: `http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        remove:
        - ""
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "null header match", nullAsEmpty: true, spec: `http:
- match:
  - headers:
      header: {}
  route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "nil match", spec: `http:
- route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "match with nil element", nullAsEmpty: true, spec: `http:
- match:
  - {}
  route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "invalid mirror percent", nullAsEmpty: true, spec: `http:
- match:
  - {}
  mirrorPercent: 101
  route:
  - destination:
      host: foo.bar
`, want: []string{"mirror_percent must have a max value of 100 (it has 101)"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "invalid mirror percentage", nullAsEmpty: true, spec: `http:
- match:
  - {}
  mirrorPercentage:
    value: 101
  route:
  - destination:
      host: foo.bar
`, want: []string{"mirror_percentage must have a max value of 100 (it has 101.000000)"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "valid mirror percentage", nullAsEmpty: true, spec: `http:
- match:
  - {}
  mirrorPercentage:
    value: 1
  route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateDelegateHTTPRoute", name: "negative mirror percentage", nullAsEmpty: true, spec: `http:
- match:
  - {}
  mirrorPercentage:
    value: -1
  route:
  - destination:
      host: foo.bar
`, want: []string{"mirror_percentage must have a min value of 0 (it has -1.000000)"}},
	{fn: "TestValidateDelegateHTTPRoute", name: "delegate route with delegate", spec: `http:
- delegate:
    name: test
    namespace: test
`, want: []string{"delegate HTTP route cannot contain delegate", "HTTP route, redirect or direct_response is required"}},
	// validation_test.go TestValidateHTTPHeaderName: each name as the header of a match.
	{fn: "TestValidateHTTPHeaderName", name: "header1", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      header1:
        exact: x
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderName", name: "X-Requested-With", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      X-Requested-With:
        exact: x
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderName", name: ":authority", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      :authority:
        exact: x
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderName", name: "funky!$#_", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      funky!$#_:
        exact: x
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderName", name: "", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      "":
        exact: x
  route:
  - destination:
      host: foo.baz
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateHTTPHeaderName", name: "::", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      '::':
        exact: x
  route:
  - destination:
      host: foo.baz
`, want: []string{"header name :: is not a valid header name"}},
	{fn: "TestValidateHTTPHeaderName", name: "illegal\"char", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      illegal"char:
        exact: x
  route:
  - destination:
      host: foo.baz
`, want: []string{"header name illegal\"char is not a valid header name"}},
	// validation_test.go TestValidateCORSPolicy: each policy on a route.
	{fn: "TestValidateCORSPolicy", name: "valid", spec: `hosts:
- foo.bar
http:
- corsPolicy:
    allowHeaders:
    - header1
    - header2
    allowMethods:
    - GET
    - POST
    exposeHeaders:
    - header3
    maxAge: 2s
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateCORSPolicy", name: "bad method", spec: `hosts:
- foo.bar
http:
- corsPolicy:
    allowHeaders:
    - header1
    - header2
    allowMethods:
    - GET
    - PUTT
    exposeHeaders:
    - header3
    maxAge: 2s
  route:
  - destination:
      host: foo.baz
`, want: []string{"\"PUTT\" is not a supported HTTP method"}},
	{fn: "TestValidateCORSPolicy", name: "bad header", spec: `hosts:
- foo.bar
http:
- corsPolicy:
    allowHeaders:
    - header1
    - header2
    allowMethods:
    - GET
    - POST
    exposeHeaders:
    - ""
    maxAge: 2s
  route:
  - destination:
      host: foo.baz
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateCORSPolicy", name: "bad max age", spec: `hosts:
- foo.bar
http:
- corsPolicy:
    allowHeaders:
    - header1
    - header2
    allowMethods:
    - GET
    - POST
    exposeHeaders:
    - header3
    maxAge: 2.000000042s
  route:
  - destination:
      host: foo.baz
`, want: []string{"only durations to ms precision are supported", "max_age duration is accurate only to seconds precision"}},
	{fn: "TestValidateCORSPolicy", name: "empty matchType AllowOrigins", spec: `hosts:
- foo.bar
http:
- corsPolicy:
    allowHeaders:
    - header1
    - header2
    allowMethods:
    - GET
    - POST
    allowOrigins:
    - exact: ""
    - prefix: ""
    - regex: ""
    exposeHeaders:
    - header3
    maxAge: 2s
  route:
  - destination:
      host: foo.baz
`, want: []string{"'' is not a valid match type for CORS allow origins", "'' is not a valid match type for CORS allow origins", "'' is not a valid match type for CORS allow origins"}},
	{fn: "TestValidateCORSPolicy", name: "non empty matchType AllowOrigins", spec: `hosts:
- foo.bar
http:
- corsPolicy:
    allowHeaders:
    - header1
    - header2
    allowMethods:
    - GET
    - POST
    allowOrigins:
    - exact: exact
    - prefix: prefix
    - regex: regex
    exposeHeaders:
    - header3
    maxAge: 2s
  route:
  - destination:
      host: foo.baz
`, want: nil},
	// validation_test.go TestValidateHTTPStatus: each status as the httpStatus of a fault abort.
	{fn: "TestValidateHTTPStatus", name: "-100", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: -100
  route:
  - destination:
      host: foo.baz
`, want: []string{"HTTP status -100 is not in range 200-599"}},
	{fn: "TestValidateHTTPStatus", name: "0", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 0
  route:
  - destination:
      host: foo.baz
`, want: []string{"HTTP status 0 is not in range 200-599"}},
	{fn: "TestValidateHTTPStatus", name: "200", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 200
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPStatus", name: "600", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 600
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPStatus", name: "601", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 601
  route:
  - destination:
      host: foo.baz
`, want: []string{"HTTP status 601 is not in range 200-599"}},
	// validation_test.go TestValidateHTTPFaultInjectionAbort: each abort as a route's fault (nil: no fault).
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "nil", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "valid", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 200
      percentage:
        value: 20
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "valid default", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 200
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "invalid http status", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 9000
      percentage:
        value: 20
  route:
  - destination:
      host: foo.baz
`, want: []string{"HTTP status 9000 is not in range 200-599"}},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "invalid low http status", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 100
      percentage:
        value: 20
  route:
  - destination:
      host: foo.baz
`, want: []string{"HTTP status 100 is not in range 200-599"}},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "valid percentage", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 200
      percentage:
        value: 0.001
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "invalid fractional percent", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      httpStatus: 200
      percentage:
        value: -10
  route:
  - destination:
      host: foo.baz
`, want: []string{"percentage -10 is neither 0.0, nor in range [0.0001, 100.0]"}},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "grpc: nil", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "grpc: valid", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      grpcStatus: DEADLINE_EXCEEDED
      percentage:
        value: 20
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "grpc: valid default percentage", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      grpcStatus: DEADLINE_EXCEEDED
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "grpc: invalid status", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      grpcStatus: BAD_STATUS
      percentage:
        value: 20
  route:
  - destination:
      host: foo.baz
`, want: []string{"gRPC status \"BAD_STATUS\" is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'"}},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "grpc: valid percentage", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      grpcStatus: INTERNAL
      percentage:
        value: 0.001
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionAbort", name: "grpc: invalid fractional percent", spec: `hosts:
- foo.bar
http:
- fault:
    abort:
      grpcStatus: DEADLINE_EXCEEDED
      percentage:
        value: -10
  route:
  - destination:
      host: foo.baz
`, want: []string{"percentage -10 is neither 0.0, nor in range [0.0001, 100.0]"}},
	// validation_test.go TestValidateHTTPFaultInjectionDelay: each delay as a route's fault (nil: no fault).
	{fn: "TestValidateHTTPFaultInjectionDelay", name: "nil", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionDelay", name: "valid fixed", spec: `hosts:
- foo.bar
http:
- fault:
    delay:
      fixedDelay: 3s
      percentage:
        value: 20
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionDelay", name: "valid default", spec: `hosts:
- foo.bar
http:
- fault:
    delay:
      fixedDelay: 3s
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionDelay", name: "invalid percent", spec: `hosts:
- foo.bar
http:
- fault:
    delay:
      fixedDelay: 3s
      percentage:
        value: 101
  route:
  - destination:
      host: foo.baz
`, want: []string{"percentage 101 is neither 0.0, nor in range [0.0001, 100.0]"}},
	{fn: "TestValidateHTTPFaultInjectionDelay", name: "invalid delay", spec: `hosts:
- foo.bar
http:
- fault:
    delay:
      fixedDelay: 3.000000042s
      percentage:
        value: 20
  route:
  - destination:
      host: foo.baz
`, want: []string{"only durations to ms precision are supported"}},
	{fn: "TestValidateHTTPFaultInjectionDelay", name: "valid fractional percentage", spec: `hosts:
- foo.bar
http:
- fault:
    delay:
      fixedDelay: 3s
      percentage:
        value: 0.001
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPFaultInjectionDelay", name: "invalid fractional percentage", spec: `hosts:
- foo.bar
http:
- fault:
    delay:
      fixedDelay: 3s
      percentage:
        value: -10
  route:
  - destination:
      host: foo.baz
`, want: []string{"percentage -10 is neither 0.0, nor in range [0.0001, 100.0]"}},
	// validation_test.go TestValidateHTTPRetry: the retries of a route.
	{fn: "TestValidateHTTPRetry", name: "valid", spec: `hosts:
- foo.bar
http:
- retries:
    attempts: 10
    perTryTimeout: 2s
    retryOn: 5xx,gateway-error
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRetry", name: "disable retries", spec: `hosts:
- foo.bar
http:
- retries: {}
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRetry", name: "invalid, retry policy configured but attempts set to zero", spec: `hosts:
- foo.bar
http:
- retries:
    perTryTimeout: 2s
    retryOn: 5xx,gateway-error
  route:
  - destination:
      host: foo.baz
`, want: []string{"http retry policy configured when attempts are set to 0 (disabled)"}},
	{fn: "TestValidateHTTPRetry", name: "valid default", spec: `hosts:
- foo.bar
http:
- retries:
    attempts: 10
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRetry", name: "valid http status retryOn", spec: `hosts:
- foo.bar
http:
- retries:
    attempts: 10
    perTryTimeout: 2s
    retryOn: 503,connect-failure
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRetry", name: "invalid attempts", spec: `hosts:
- foo.bar
http:
- retries:
    attempts: -1
    perTryTimeout: 2s
  route:
  - destination:
      host: foo.baz
`, want: []string{"attempts cannot be negative"}},
	{fn: "TestValidateHTTPRetry", name: "invalid timeout", spec: `hosts:
- foo.bar
http:
- retries:
    attempts: 10
    perTryTimeout: 2.000000001s
  route:
  - destination:
      host: foo.baz
`, want: []string{"only durations to ms precision are supported"}},
	{fn: "TestValidateHTTPRetry", name: "timeout too small", spec: `hosts:
- foo.bar
http:
- retries:
    attempts: 10
    perTryTimeout: 0.000000999s
  route:
  - destination:
      host: foo.baz
`, want: []string{"duration must be greater than 1ms"}},
	{fn: "TestValidateHTTPRetry", name: "invalid backoff", spec: `hosts:
- foo.bar
http:
- retries:
    attempts: 10
    backoff: 0.000000999s
  route:
  - destination:
      host: foo.baz
`, want: []string{"duration must be greater than 1ms"}},
	{fn: "TestValidateHTTPRetry", name: "invalid policy retryOn", spec: `hosts:
- foo.bar
http:
- retries:
    attempts: 10
    perTryTimeout: 2s
    retryOn: 5xx,invalid policy
  route:
  - destination:
      host: foo.baz
`, want: []string{"\"invalid policy\" is not a valid retryOn policy"}},
	{fn: "TestValidateHTTPRetry", name: "invalid http status retryOn", spec: `hosts:
- foo.bar
http:
- retries:
    attempts: 10
    perTryTimeout: 2s
    retryOn: 600,connect-failure
  route:
  - destination:
      host: foo.baz
`, want: []string{"\"600\" is not a valid retryOn policy"}},
	{fn: "TestValidateHTTPRetry", name: "invalid, retryRemoteLocalities configured but attempts set to zero", spec: `hosts:
- foo.bar
http:
- retries:
    retryRemoteLocalities: false
  route:
  - destination:
      host: foo.baz
`, want: []string{"http retry policy configured when attempts are set to 0 (disabled)"}},
	// validation_test.go TestValidateHTTPRewrite: the rewrite of a route.
	{fn: "TestValidateHTTPRewrite", name: "nil in", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRewrite", name: "uri and authority", spec: `hosts:
- foo.bar
http:
- rewrite:
    authority: foobar.org
    uri: /path/to/resource
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRewrite", name: "uri", spec: `hosts:
- foo.bar
http:
- rewrite:
    uri: /path/to/resource
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRewrite", name: "authority", spec: `hosts:
- foo.bar
http:
- rewrite:
    authority: foobar.org
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRewrite", name: "uriRegexRewrite", spec: `hosts:
- foo.bar
http:
- rewrite:
    uriRegexRewrite:
      match: ^/service/([^/]+)(/.*)$
      rewrite: \2/instance/\1
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRewrite", name: "uriRegexRewrite and authority", spec: `hosts:
- foo.bar
http:
- rewrite:
    authority: foobar.org
    uriRegexRewrite:
      match: ^/service/([^/]+)(/.*)$
      rewrite: \2/instance/\1
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRewrite", name: "uriRegexRewrite and uri", spec: `hosts:
- foo.bar
http:
- rewrite:
    uri: /path/to/resource
    uriRegexRewrite:
      match: ^/service/([^/]+)(/.*)$
      rewrite: \2/instance/\1
  route:
  - destination:
      host: foo.baz
`, want: []string{"rewrite may only contain one of URI or UriRegexRewrite"}},
	{fn: "TestValidateHTTPRewrite", name: "no uri, uriRegexRewrite, or authority", spec: `hosts:
- foo.bar
http:
- rewrite: {}
  route:
  - destination:
      host: foo.baz
`, want: []string{"rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified"}},
	// validation_test.go TestValidateUriRegexRewrite: the uriRegexRewrite of a route's rewrite, next to an authority rewrite.
	{fn: "TestValidateUriRegexRewrite", name: "uriRegexRewrite nil", spec: `hosts:
- foo.bar
http:
- rewrite:
    authority: foo.bar
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateUriRegexRewrite", name: "uriRegexRewrite happy path", spec: `hosts:
- foo.bar
http:
- rewrite:
    authority: foo.bar
    uriRegexRewrite:
      match: ^/service/([^/]+)(/.*)$
      rewrite: \2/instance/\1
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateUriRegexRewrite", name: "uriRegexRewrite missing match", spec: `hosts:
- foo.bar
http:
- rewrite:
    authority: foo.bar
    uriRegexRewrite:
      rewrite: \2/instance/\1
  route:
  - destination:
      host: foo.baz
`, want: []string{"UriRegexRewrite has errors", "UriRegexRewrite requires both Rewrite and Match fields to be specified"}},
	{fn: "TestValidateUriRegexRewrite", name: "uriRegexRewrite missing rewrite", spec: `hosts:
- foo.bar
http:
- rewrite:
    authority: foo.bar
    uriRegexRewrite:
      match: ^/service/([^/]+)(/.*)$
  route:
  - destination:
      host: foo.baz
`, want: []string{"UriRegexRewrite has errors", "UriRegexRewrite requires both Rewrite and Match fields to be specified"}},
	{fn: "TestValidateUriRegexRewrite", name: "uriRegexRewrite invalid regex patterns", spec: `hosts:
- foo.bar
http:
- rewrite:
    authority: foo.bar
    uriRegexRewrite:
      match: '['
      rewrite: '['
  route:
  - destination:
      host: foo.baz
`, want: []string{"UriRegexRewrite has errors", "\"HTTPRewrite.UriRegexRewrite.Match\": error parsing regexp: missing closing ]: `[`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)"}},
	// validation_test.go TestValidateHTTPRedirect: the redirect of a route (nil: a route instead).
	{fn: "TestValidateHTTPRedirect", name: "nil redirect", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRedirect", name: "empty uri and authority", spec: `hosts:
- foo.bar
http:
- redirect: {}
`, want: []string{"redirect must specify URI, authority, scheme, or port"}},
	{fn: "TestValidateHTTPRedirect", name: "too small redirect code", spec: `hosts:
- foo.bar
http:
- redirect:
    redirectCode: 299
    uri: t
`, want: []string{"299 is not a valid redirect code, must be 3xx"}},
	{fn: "TestValidateHTTPRedirect", name: "too large redirect code", spec: `hosts:
- foo.bar
http:
- redirect:
    redirectCode: 400
    uri: t
`, want: []string{"400 is not a valid redirect code, must be 3xx"}},
	{fn: "TestValidateHTTPRedirect", name: "empty authority", spec: `hosts:
- foo.bar
http:
- redirect:
    uri: t
`, want: nil},
	{fn: "TestValidateHTTPRedirect", name: "empty uri", spec: `hosts:
- foo.bar
http:
- redirect:
    authority: t
`, want: nil},
	{fn: "TestValidateHTTPRedirect", name: "empty redirect code", spec: `hosts:
- foo.bar
http:
- redirect:
    authority: t
    uri: t
`, want: nil},
	{fn: "TestValidateHTTPRedirect", name: "normal redirect", spec: `hosts:
- foo.bar
http:
- redirect:
    authority: t
    redirectCode: 308
    uri: t
`, want: nil},
	{fn: "TestValidateHTTPRedirect", name: "prefix_rewrite alone", spec: `hosts:
- foo.bar
http:
- redirect:
    prefixRewrite: /bar
`, want: nil},
	{fn: "TestValidateHTTPRedirect", name: "prefix_rewrite with authority", spec: `hosts:
- foo.bar
http:
- redirect:
    authority: foo.example.com
    prefixRewrite: /
`, want: nil},
	{fn: "TestValidateHTTPRedirect", name: "uri and prefix_rewrite mutually exclusive", spec: `hosts:
- foo.bar
http:
- redirect:
    prefixRewrite: /new
    uri: /old
`, want: []string{"redirect may only specify one of uri or prefix_rewrite"}},
	// validation_test.go TestValidateHTTPDirectResponse: the direct response of a route (nil: a route instead).
	{fn: "TestValidateHTTPDirectResponse", name: "nil redirect", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPDirectResponse", name: "status 200", spec: `hosts:
- foo.bar
http:
- directResponse:
    status: 200
`, want: nil},
	{fn: "TestValidateHTTPDirectResponse", name: "status 100", spec: `hosts:
- foo.bar
http:
- directResponse:
    status: 199
`, want: []string{"HTTP status 199 is not in range 200-599"}},
	{fn: "TestValidateHTTPDirectResponse", name: "status 600", spec: `hosts:
- foo.bar
http:
- directResponse:
    status: 601
`, want: []string{"HTTP status 601 is not in range 200-599"}},
	{fn: "TestValidateHTTPDirectResponse", name: "with string body", spec: `hosts:
- foo.bar
http:
- directResponse:
    body:
      string: hello
    status: 200
`, want: nil},
	{fn: "TestValidateHTTPDirectResponse", name: "with string body over 100kb", spec: `hosts:
- foo.bar
http:
- directResponse:
    body:
      string: ` + strings.Repeat("a", 103424) + `
    status: 200
`, want: nil},
	{fn: "TestValidateHTTPDirectResponse", name: "with string body over 1mb", spec: `hosts:
- foo.bar
http:
- directResponse:
    body:
      string: ` + strings.Repeat("a", 2097152) + `
    status: 200
`, want: []string{"large direct_responses may impact control plane performance, must be less than 1MB"}},
	{fn: "TestValidateHTTPDirectResponse", name: "with bytes body", spec: `hosts:
- foo.bar
http:
- directResponse:
    body:
      bytes: aGVsbG8=
    status: 200
`, want: nil},
	{fn: "TestValidateHTTPDirectResponse", name: "with bytes body over 100kb", spec: `hosts:
- foo.bar
http:
- directResponse:
    body:
      bytes: ` + strings.Repeat("YWFh", 34133) + `YWE=
    status: 200
`, want: nil},
	{fn: "TestValidateHTTPDirectResponse", name: "with bytes body over 1mb", spec: `hosts:
- foo.bar
http:
- directResponse:
    body:
      bytes: ` + strings.Repeat("YWFh", 349525) + `YWE=
    status: 200
`, want: []string{"large direct_responses may impact control plane performance, must be less than 1MB"}},
	// validation_test.go TestValidateDestination: the destination of a route.
	{fn: "TestValidateDestination", name: "empty", spec: `hosts:
- foo.bar
http:
- route:
  - destination: {}
`, want: []string{"empty domain name not allowed"}},
	{fn: "TestValidateDestination", name: "simple", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateDestination", name: "full", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.bar
      port:
        number: 5000
      subset: shiny
`, want: nil},
	{fn: "TestValidateDestination", name: "unnumbered-selector", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.bar
      port: {}
      subset: shiny
`, want: []string{"port number 0 must be in the range 1..65535"}},
	// validation_test.go TestValidateHTTPRoute: each route in a VirtualService for host foo.bar.
	{fn: "TestValidateHTTPRoute", name: "empty", spec: `hosts:
- foo.bar
http:
- {}
`, want: []string{"HTTP route, redirect or direct_response is required"}},
	{fn: "TestValidateHTTPRoute", name: "simple", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "no destination", spec: `hosts:
- foo.bar
http:
- route:
  - {}
`, want: []string{"destination is required"}},
	{fn: "TestValidateHTTPRoute", name: "weighted", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz.south
    weight: 25
  - destination:
      host: foo.baz.east
    weight: 75
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "total weight > 100", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz.south
    weight: 550
  - destination:
      host: foo.baz.east
    weight: 500
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "total weight < 100", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz.south
    weight: 49
  - destination:
      host: foo.baz.east
    weight: 50
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "simple redirect", spec: `hosts:
- foo.bar
http:
- redirect:
    authority: foo.biz
    uri: /lerp
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "prefix_rewrite redirect with prefix URI match", spec: `hosts:
- foo.bar
http:
- match:
  - uri:
      prefix: /foo
  redirect:
    prefixRewrite: /bar
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "prefix_rewrite redirect with exact URI match is invalid", spec: `hosts:
- foo.bar
http:
- match:
  - uri:
      exact: /foo
  redirect:
    prefixRewrite: /bar
`, want: []string{"redirect prefix_rewrite requires all URI matches to use prefix match type"}},
	{fn: "TestValidateHTTPRoute", name: "prefix_rewrite redirect with regex URI match is invalid", spec: `hosts:
- foo.bar
http:
- match:
  - uri:
      regex: /foo.*
  redirect:
    prefixRewrite: /bar
`, want: []string{"redirect prefix_rewrite requires all URI matches to use prefix match type"}},
	{fn: "TestValidateHTTPRoute", name: "prefix_rewrite redirect with no URI match (wildcard) is valid", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      x-foo:
        exact: bar
  redirect:
    prefixRewrite: /bar
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "conflicting redirect and route", spec: `hosts:
- foo.bar
http:
- redirect:
    authority: foo.biz
    uri: /lerp
  route:
  - destination:
      host: foo.baz
`, want: []string{"HTTP route cannot contain both route and redirect"}},
	{fn: "TestValidateHTTPRoute", name: "request response headers", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "valid headers", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      request:
        add:
          name: ""
        remove:
        - name
        set:
          name: ""
      response:
        add:
          name: ""
        remove:
        - name
        set:
          name: ""
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "empty header name - request add", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      request:
        add:
          "": value
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateHTTPRoute", name: "empty header name - request set", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      request:
        set:
          "": value
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateHTTPRoute", name: "empty header name - request remove", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      request:
        remove:
        - ""
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateHTTPRoute", name: "empty header name - response add", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        add:
          "": value
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateHTTPRoute", name: "empty header name - response set", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        set:
          "": value
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateHTTPRoute", name: "empty header name - response remove", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        remove:
        - ""
`, want: []string{"header name cannot be empty"}},
	{fn: "TestValidateHTTPRoute", name: "envoy escaped % set", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        set:
          i-love-istio: 100%%
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "envoy variable set", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        set:
          name: '%HOSTNAME%'
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "envoy unescaped % set", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        set:
          name: abcd%oijasodifj
`, want: []string{"header value configuration: invalid header configuration. Un-terminated variable expression 'abcd%oijasodifj'"}},
	{fn: "TestValidateHTTPRoute", name: "envoy escaped % add", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        add:
          i-love-istio: 100%% and more
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "envoy variable add", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        add:
          name: hello %HOSTNAME%
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "envoy unescaped % add", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      response:
        add:
          name: abcd%oijasodifj
`, want: []string{"header value configuration: invalid header configuration. Un-terminated variable expression 'abcd%oijasodifj'"}},
	{fn: "TestValidateHTTPRoute", name: "null header match", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      header: {}
  route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "empty prefix header match", spec: `hosts:
- foo.bar
http:
- match:
  - headers:
      emptyprefix:
        prefix: ""
  route:
  - destination:
      host: foo.bar
`, want: []string{"\"headers\": prefix string match should not be empty"}},
	{fn: "TestValidateHTTPRoute", name: "nil match", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "match with nil element", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - {}
  route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "invalid mirror percent", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - {}
  mirrorPercent: 101
  route:
  - destination:
      host: foo.bar
`, want: []string{"mirror_percent must have a max value of 100 (it has 101)"}},
	{fn: "TestValidateHTTPRoute", name: "invalid mirror percentage", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - {}
  mirrorPercentage:
    value: 101
  route:
  - destination:
      host: foo.bar
`, want: []string{"mirror_percentage must have a max value of 100 (it has 101.000000)"}},
	{fn: "TestValidateHTTPRoute", name: "valid mirror percentage", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - {}
  mirrorPercentage:
    value: 1
  route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "negative mirror percentage", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - {}
  mirrorPercentage:
    value: -1
  route:
  - destination:
      host: foo.bar
`, want: []string{"mirror_percentage must have a min value of 0 (it has -1.000000)"}},
	{fn: "TestValidateHTTPRoute", name: "mirrors without destination", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - {}
  mirrors:
  - {}
  route:
  - destination:
      host: foo.bar
`, want: []string{"destination is required for mirrors"}},
	{fn: "TestValidateHTTPRoute", name: "mirrors invalid mirror percentage", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - {}
  mirrors:
  - destination:
      host: foo.baz
  - destination:
      host: foo.baz
    percentage:
      value: 101
  route:
  - destination:
      host: foo.bar
`, want: []string{"mirror percentage must have a max value of 100 (it has 101.000000)"}},
	{fn: "TestValidateHTTPRoute", name: "mirrors valid mirror percentage", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - {}
  mirrors:
  - destination:
      host: foo.baz
    percentage:
      value: 1
  - destination:
      host: foo.baz
    percentage:
      value: 50
  route:
  - destination:
      host: foo.bar
`, want: nil},
	{fn: "TestValidateHTTPRoute", name: "mirrors negative mirror percentage", nullAsEmpty: true, spec: `hosts:
- foo.bar
http:
- match:
  - {}
  mirrors:
  - destination:
      host: foo.baz
    percentage:
      value: -1
  route:
  - destination:
      host: foo.bar
`, want: []string{"mirror percentage must have a min value of 0 (it has -1.000000)"}},
	{fn: "TestValidateHTTPRoute", name: "conflicting mirror and mirrors", spec: `hosts:
- foo.bar
http:
- mirror:
    host: foo.baz
  mirrors:
  - destination:
      host: foo.bar
  route:
  - destination:
      host: foo.baz
`, want: []string{"HTTP route cannot contain both mirror and mirrors"}},
	// validation_test.go TestValidateRouteDestination: the destinations of a tcp route.
	{fn: "TestValidateRouteDestination", name: "simple", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateRouteDestination", name: "wildcard dash", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: '*-foo.baz'
`, want: nil},
	{fn: "TestValidateRouteDestination", name: "wildcard prefix", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: '*foo.baz'
`, want: nil},
	{fn: "TestValidateRouteDestination", name: "wildcard", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: '*'
`, want: []string{"invalid destination host *"}},
	{fn: "TestValidateRouteDestination", name: "bad wildcard", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: foo.*
`, want: []string{"domain name \"*\" invalid (label \"*\" invalid)"}},
	{fn: "TestValidateRouteDestination", name: "bad fqdn", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: default/baz
`, want: []string{"domain name \"default/baz\" invalid (label \"default/baz\" invalid)"}},
	{fn: "TestValidateRouteDestination", name: "no destination", spec: `hosts:
- foo.bar
tcp:
- route:
  - {}
`, want: []string{"destination is required"}},
	{fn: "TestValidateRouteDestination", name: "weighted", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: foo.baz.south
    weight: 25
  - destination:
      host: foo.baz.east
    weight: 75
`, want: nil},
	{fn: "TestValidateRouteDestination", name: "weight < 0", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: foo.baz.south
    weight: 5
  - destination:
      host: foo.baz.east
    weight: -1
`, want: []string{"weight -1 < 0"}},
	{fn: "TestValidateRouteDestination", name: "total weight > 100", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: foo.baz.south
    weight: 550
  - destination:
      host: foo.baz.east
    weight: 500
`, want: nil},
	{fn: "TestValidateRouteDestination", name: "total weight < 100", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: foo.baz.south
    weight: 49
  - destination:
      host: foo.baz.east
    weight: 50
`, want: nil},
	{fn: "TestValidateRouteDestination", name: "total weight = 100", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: foo.baz.south
    weight: 100
  - destination:
      host: foo.baz.east
`, want: nil},
	{fn: "TestValidateRouteDestination", name: "weight = 0", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: foo.baz.south
`, want: nil},
	{fn: "TestValidateRouteDestination", name: "total weight = 0 with multi RouteDestination", spec: `hosts:
- foo.bar
tcp:
- route:
  - destination:
      host: foo.baz.south
  - destination:
      host: foo.baz.east
`, want: []string{"total destination weight = 0"}},
	// validation_test.go TestValidateVirtualService: whole VirtualServices.
	{fn: "TestValidateVirtualService", name: "simple", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "allow sni based domains", spec: `gateways:
- ns1/gateway
hosts:
- outbound_.15010_._.istiod.istio-system.svc.cluster.local
tls:
- match:
  - sniHosts:
    - outbound_.15010_._.istiod.istio-system.svc.cluster.local
  route:
  - destination:
      host: istio.istio-system.svc.cluster.local
`, want: nil},
	{fn: "TestValidateVirtualService", name: "duplicate hosts", spec: `hosts:
- '*.foo.bar'
- '*.bar'
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"duplicate hosts in virtual service: *.foo.bar & *.bar"}},
	{fn: "TestValidateVirtualService", name: "with no destination", spec: `hosts:
- '*.foo.bar'
- '*.bar'
http:
- route:
  - {}
`, want: []string{"duplicate hosts in virtual service: *.foo.bar & *.bar", "destination is required"}},
	{fn: "TestValidateVirtualService", name: "destination with out hosts", spec: `hosts:
- '*.foo.bar'
- '*.bar'
http:
- route:
  - destination: {}
`, want: []string{"duplicate hosts in virtual service: *.foo.bar & *.bar", "empty domain name not allowed"}},
	{fn: "TestValidateVirtualService", name: "delegate with no hosts", spec: `http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "bad host", spec: `hosts:
- foo.ba!r
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"domain name \"ba!r\" invalid (label \"ba!r\" invalid)"}},
	{fn: "TestValidateVirtualService", name: "no tcp or http routing", spec: `hosts:
- foo.bar
`, want: []string{"http, tcp or tls must be provided in virtual service"}},
	{fn: "TestValidateVirtualService", name: "bad gateway", spec: `gateways:
- b@dgateway
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"domain name \"b@dgateway\" invalid (label \"b@dgateway\" invalid)"}},
	{fn: "TestValidateVirtualService", name: "FQDN for gateway", spec: `gateways:
- gateway.example.com
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "namespace/name for gateway", spec: `gateways:
- ns1/gateway
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "namespace/* for gateway", spec: `gateways:
- ns1/*
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"invalid value for gateway name: \"*\""}},
	{fn: "TestValidateVirtualService", name: "*/name for gateway", spec: `gateways:
- '*/gateway'
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"invalid value for namespace: \"*\""}},
	{fn: "TestValidateVirtualService", name: "wildcard for mesh gateway", spec: `hosts:
- '*'
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"wildcard host * is not allowed for virtual services bound to the mesh gateway"}},
	{fn: "TestValidateVirtualService", name: "wildcard for non-mesh gateway", spec: `gateways:
- somegateway
hosts:
- '*'
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "missing tcp route", spec: `hosts:
- foo.bar
tcp:
- match:
  - port: 999
`, want: []string{"TCP route is required"}},
	{fn: "TestValidateVirtualService", name: "missing tls route", spec: `hosts:
- foo.bar
tls:
- match:
  - port: 999
    sniHosts:
    - foo.bar
`, want: []string{"TLS route is required"}},
	{fn: "TestValidateVirtualService", name: "deprecated mirror", spec: `gateways:
- ns1/gateway
hosts:
- foo.bar
http:
- mirrorPercent: 5
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "set authority", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        :authority: foo
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "set authority in destination", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
    headers:
      request:
        set:
          :authority: foo
`, want: nil},
	{fn: "TestValidateVirtualService", name: "set authority in rewrite and header", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        :authority: foo
  rewrite:
    authority: bar
  route:
  - destination:
      host: foo.baz
`, want: []string{"authority header cannot be set multiple times: have \"bar\", attempting to set \"foo\""}},
	{fn: "TestValidateVirtualService", name: "non-method-get", spec: `hosts:
- foo.bar
http:
- match:
  - uri:
      prefix: /api/v1/product
  - method:
      exact: GET
    uri:
      prefix: /api/v1/products
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "uri-with-prefix-exact", spec: `hosts:
- foo.bar
http:
- match:
  - uri:
      prefix: /
  - method:
      exact: GET
    uri:
      exact: /
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "jwt claim route without gateway", spec: `gateways:
- mesh
hosts:
- foo.bar
http:
- match:
  - headers:
      '@request.auth.claims.foo':
        exact: bar
    uri:
      prefix: /
  route:
  - destination:
      host: foo.baz
`, want: []string{"JWT claim based routing (key: @request.auth.claims.foo) is only supported for gateway, found no gateways: [mesh]"}},
	{fn: "TestValidateVirtualService", name: "ip address as sni host", spec: `hosts:
- foo.bar
tls:
- match:
  - port: 999
    sniHosts:
    - 1.1.1.1
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateVirtualService", name: "invalid wildcard as sni host", spec: `hosts:
- foo.bar
tls:
- match:
  - port: 999
    sniHosts:
    - foo.*.com
  route:
  - destination:
      host: foo.baz
`, want: []string{"domain name \"*.com\" invalid (label \"*\" invalid)"}},
	// validation_test.go TestValidateDestinationRule: whole DestinationRules in namespace bar.
	{fn: "TestValidateDestinationRule", name: "simple destination rule", kind: "DestinationRule", ns: "bar", spec: `host: reviews
subsets:
- labels:
    version: v1
  name: v1
- labels:
    version: v2
  name: v2
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "simple destination rule with empty selector labels", kind: "DestinationRule", ns: "bar", spec: `host: reviews
subsets:
- labels:
    version: v1
  name: v1
- labels:
    version: v2
  name: v2
workloadSelector: {}
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "missing destination name", kind: "DestinationRule", ns: "bar", spec: `subsets:
- labels:
    version: v1
  name: v1
- labels:
    version: v2
  name: v2
`, want: []string{"empty domain name not allowed"}},
	{fn: "TestValidateDestinationRule", name: "missing subset name", kind: "DestinationRule", ns: "bar", spec: `host: reviews
subsets:
- labels:
    version: v1
- labels:
    version: v2
  name: v2
`, want: []string{"subset name cannot be empty"}},
	{fn: "TestValidateDestinationRule", name: "duplicate subset names", kind: "DestinationRule", ns: "bar", spec: `host: reviews
subsets:
- labels:
    version: v1
  name: foo
- labels:
    version: v2
  name: foo
`, want: []string{"duplicate subset names: foo"}},
	{fn: "TestValidateDestinationRule", name: "valid traffic policy, top level", kind: "DestinationRule", ns: "bar", spec: `host: reviews
subsets:
- labels:
    version: v1
  name: v1
- labels:
    version: v2
  name: v2
trafficPolicy:
  connectionPool:
    http:
      http2MaxRequests: 11
    tcp:
      maxConnections: 7
  loadBalancer:
    simple: ROUND_ROBIN
  outlierDetection:
    minHealthPercent: 20
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "invalid traffic policy, top level", kind: "DestinationRule", ns: "bar", spec: `host: reviews
subsets:
- labels:
    version: v1
  name: v1
- labels:
    version: v2
  name: v2
trafficPolicy:
  connectionPool: {}
  loadBalancer:
    simple: ROUND_ROBIN
  outlierDetection:
    minHealthPercent: 20
`, want: []string{"connection pool must have at least one field"}},
	{fn: "TestValidateDestinationRule", name: "valid traffic policy, subset level", kind: "DestinationRule", ns: "bar", spec: `host: reviews
subsets:
- labels:
    version: v1
  name: v1
  trafficPolicy:
    connectionPool:
      http:
        http2MaxRequests: 11
      tcp:
        maxConnections: 7
    loadBalancer:
      simple: ROUND_ROBIN
    outlierDetection:
      minHealthPercent: 20
- labels:
    version: v2
  name: v2
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "invalid traffic policy, subset level", kind: "DestinationRule", ns: "bar", spec: `host: reviews
subsets:
- labels:
    version: v1
  name: v1
  trafficPolicy:
    connectionPool: {}
    loadBalancer:
      simple: ROUND_ROBIN
    outlierDetection:
      minHealthPercent: 20
- labels:
    version: v2
  name: v2
`, want: []string{"connection pool must have at least one field"}},
	{fn: "TestValidateDestinationRule", name: "valid traffic policy, both levels", kind: "DestinationRule", ns: "bar", spec: `host: reviews
subsets:
- labels:
    version: v1
  name: v1
  trafficPolicy:
    connectionPool:
      http:
        http2MaxRequests: 11
      tcp:
        maxConnections: 7
    loadBalancer:
      simple: ROUND_ROBIN
    outlierDetection:
      minHealthPercent: 30
- labels:
    version: v2
  name: v2
trafficPolicy:
  connectionPool:
    http:
      http2MaxRequests: 11
    tcp:
      maxConnections: 7
  loadBalancer:
    simple: ROUND_ROBIN
  outlierDetection:
    minHealthPercent: 20
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is not specified with tls mode simple, and the ca cert is specified by CaCertificates", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    caCertificates: test
    mode: SIMPLE
    subjectAltNames:
    - reviews.default.svc
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is not specified with tls mode simple, and the ca cert is specified by CredentialName", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    credentialName: test
    mode: SIMPLE
    subjectAltNames:
    - reviews.default.svc
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set false with tls mode simple, and the ca cert is specified by CaCertificates", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    caCertificates: test
    insecureSkipVerify: false
    mode: SIMPLE
    subjectAltNames:
    - reviews.default.svc
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set false with tls mode simple, and the ca cert is specified by CredentialName", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    credentialName: test
    insecureSkipVerify: false
    mode: SIMPLE
    subjectAltNames:
    - reviews.default.svc
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set true with tls mode simple, and the ca cert is specified by CaCertificates", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    credentialName: test
    insecureSkipVerify: true
    mode: SIMPLE
`, want: []string{"cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true"}},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set true with tls mode simple, and the ca cert is specified by CredentialName", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    caCertificates: test
    insecureSkipVerify: true
    mode: SIMPLE
`, want: []string{"cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true"}},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set true with tls mode simple, and the san is specified", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    insecureSkipVerify: true
    mode: SIMPLE
    subjectAltNames:
    - reviews.default.svc
`, want: []string{"cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true"}},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is not specified with tls mode mutual, and the ca cert is specified by CaCertificates", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    caCertificates: test
    clientCertificate: cert
    mode: MUTUAL
    privateKey: key
    subjectAltNames:
    - reviews.default.svc
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is not specified with tls mode mutual, and the ca cert is specified by CredentialName", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    credentialName: test
    mode: MUTUAL
    subjectAltNames:
    - reviews.default.svc
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set false with tls mode mutual, and the ca cert is specified by CaCertificates", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    caCertificates: test
    clientCertificate: cert
    insecureSkipVerify: false
    mode: MUTUAL
    privateKey: key
    subjectAltNames:
    - reviews.default.svc
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set false with tls mode mutual, and the ca cert is specified by CredentialName", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    credentialName: test
    insecureSkipVerify: false
    mode: MUTUAL
    subjectAltNames:
    - reviews.default.svc
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set true with tls mode mutual, and the ca cert is specified by CaCertificates", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    caCertificates: test
    clientCertificate: cert
    insecureSkipVerify: true
    mode: MUTUAL
    privateKey: key
`, want: []string{"cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true"}},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set true with tls mode mutual, and the ca cert is specified by CaCertificates", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    credentialName: test
    insecureSkipVerify: true
    mode: MUTUAL
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set true with tls mode mutual, and the ca cert is not specified", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    clientCertificate: cert
    insecureSkipVerify: true
    mode: MUTUAL
    privateKey: key
`, want: nil},
	{fn: "TestValidateDestinationRule", name: "InsecureSkipVerify is set true with tls mode mutual, and the san is specified", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  tls:
    clientCertificate: cert
    insecureSkipVerify: true
    mode: MUTUAL
    privateKey: key
    subjectAltNames:
    - reviews.default.svc
`, want: []string{"cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true"}},
	// validation_test.go TestValidateTrafficPolicy: the traffic policy of DestinationRule reviews.
	{fn: "TestValidateTrafficPolicy", name: "valid traffic policy", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http2MaxRequests: 11
    tcp:
      maxConnections: 7
  loadBalancer:
    simple: ROUND_ROBIN
  outlierDetection:
    minHealthPercent: 20
`, want: nil},
	{fn: "TestValidateTrafficPolicy", name: "invalid traffic policy, nil entries", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy: {}
`, want: []string{"traffic policy must have at least one field"}},
	{fn: "TestValidateTrafficPolicy", name: "invalid traffic policy, missing port in port level settings", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  portLevelSettings:
  - connectionPool:
      http:
        http2MaxRequests: 11
      tcp:
        maxConnections: 7
    loadBalancer:
      simple: ROUND_ROBIN
    outlierDetection:
      minHealthPercent: 20
`, want: []string{"portTrafficPolicy must have valid port"}},
	{fn: "TestValidateTrafficPolicy", name: "invalid traffic policy, bad connection pool", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool: {}
  loadBalancer:
    simple: ROUND_ROBIN
  outlierDetection:
    minHealthPercent: 20
`, want: []string{"connection pool must have at least one field"}},
	{fn: "TestValidateTrafficPolicy", name: "invalid traffic policy, bad max connection duration", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    tcp:
      maxConnectionDuration: 0.000000500s
  loadBalancer:
    simple: ROUND_ROBIN
`, want: []string{"duration must be greater than 1ms"}},
	{fn: "TestValidateTrafficPolicy", name: "invalid traffic policy, panic threshold too low", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http2MaxRequests: 11
    tcp:
      maxConnections: 7
  loadBalancer:
    simple: ROUND_ROBIN
  outlierDetection:
    minHealthPercent: -1
`, want: []string{"percentage -1 is not in range 0..100"}},
	{fn: "TestValidateTrafficPolicy", name: "invalid traffic policy, both upgrade and use client protocol set", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      h2UpgradePolicy: UPGRADE
      useClientProtocol: true
`, want: []string{"use client protocol must not be true when H2UpgradePolicy is UPGRADE"}},
	// validation_test.go TestValidateConnectionPool: the connection pool of DestinationRule reviews.
	{fn: "TestValidateConnectionPool", name: "valid connection pool, tcp and http", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http1MaxPendingRequests: 2
      http2MaxRequests: 11
      idleTimeout: 30s
      maxConcurrentStreams: 5
      maxRequestsPerConnection: 5
      maxRetries: 4
    tcp:
      connectTimeout: 2s
      maxConnections: 7
`, want: nil},
	{fn: "TestValidateConnectionPool", name: "valid connection pool, tcp only", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    tcp:
      connectTimeout: 2s
      maxConnections: 7
`, want: nil},
	{fn: "TestValidateConnectionPool", name: "valid connection pool, http only", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http1MaxPendingRequests: 2
      http2MaxRequests: 11
      idleTimeout: 30s
      maxConcurrentStreams: 5
      maxRequestsPerConnection: 5
      maxRetries: 4
`, want: nil},
	{fn: "TestValidateConnectionPool", name: "valid connection pool, http only with empty idle timeout", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http1MaxPendingRequests: 2
      http2MaxRequests: 11
      maxConcurrentStreams: 5
      maxRequestsPerConnection: 5
      maxRetries: 4
`, want: nil},
	{fn: "TestValidateConnectionPool", name: "valid connection pool, http2 keepalive", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http2KeepAlive:
        interval: 15s
        timeout: 5s
`, want: nil},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, empty", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool: {}
`, want: []string{"connection pool must have at least one field"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, bad max connections", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    tcp:
      maxConnections: -1
`, want: []string{"max connections must be non-negative"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, bad connect timeout", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    tcp:
      connectTimeout: 2.000000005s
`, want: []string{"only durations to ms precision are supported"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, bad max pending requests", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http1MaxPendingRequests: -1
`, want: []string{"http1 max pending requests must be non-negative"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, bad max requests", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http2MaxRequests: -1
`, want: []string{"http2 max requests must be non-negative"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, bad max requests per connection", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      maxRequestsPerConnection: -1
`, want: []string{"max requests per connection must be non-negative"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, bad max retries", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      maxRetries: -1
`, want: []string{"max retries must be non-negative"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, bad idle timeout", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      idleTimeout: 30.000000005s
`, want: []string{"only durations to ms precision are supported"}},
	{fn: "TestValidateConnectionPool", name: "valid connection pool, tcp timeout disabled", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    tcp:
      idleTimeout: 0s
`, want: nil},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, bad max concurrent streams", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      maxConcurrentStreams: -1
`, want: []string{"max concurrent streams must be non-negative"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, http2 keepalive without interval", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http2KeepAlive:
        timeout: 5s
`, want: []string{"http2 keepalive interval is required"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, http2 keepalive without timeout", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http2KeepAlive:
        interval: 15s
`, want: []string{"http2 keepalive timeout is required"}},
	{fn: "TestValidateConnectionPool", name: "invalid connection pool, bad http2 keepalive interval", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  connectionPool:
    http:
      http2KeepAlive:
        interval: 15.000000005s
        timeout: 5s
`, want: []string{"only durations to ms precision are supported"}},
	// validation_test.go TestValidateLoadBalancer: the load balancer of DestinationRule reviews.
	{fn: "TestValidateLoadBalancer", name: "valid load balancer with simple load balancing", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  loadBalancer:
    simple: ROUND_ROBIN
`, want: nil},
	{fn: "TestValidateLoadBalancer", name: "valid load balancer with consistentHash load balancing", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  loadBalancer:
    consistentHash:
      httpCookie:
        name: test
        ttl: 3600s
      minimumRingSize: 1024
`, want: nil},
	{fn: "TestValidateLoadBalancer", name: "invalid load balancer with consistentHash load balancing, missing name", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  loadBalancer:
    consistentHash:
      httpCookie:
        ttl: 3600s
      minimumRingSize: 1024
`, want: []string{"name required for HttpCookie"}},
	{fn: "TestValidateLoadBalancer", name: "invalid load balancer with consistentHash load balancing, maglev not prime", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  loadBalancer:
    consistentHash:
      maglev:
        tableSize: 1000
`, want: []string{"tableSize must be a prime number for maglev"}},
	{fn: "TestValidateLoadBalancer", name: "valid load balancer with consistentHash load balancing and unique cookie attributes", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  loadBalancer:
    consistentHash:
      httpCookie:
        attributes:
        - name: SameSite
          value: Strict
        - name: Secure
          value: "true"
        - name: HttpOnly
          value: "true"
        name: test-cookie
        ttl: 3600s
`, want: nil},
	{fn: "TestValidateLoadBalancer", name: "invalid load balancer with consistentHash load balancing and duplicate cookie attribute names", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  loadBalancer:
    consistentHash:
      httpCookie:
        attributes:
        - name: SameSite
          value: Strict
        - name: SameSite
          value: Lax
        - name: Secure
          value: "true"
        name: test-cookie
        ttl: 3600s
`, want: []string{"duplicate cookie attribute name: SameSite"}},
	{fn: "TestValidateLoadBalancer", name: "invalid load balancer with consistentHash load balancing and empty cookie attribute name", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  loadBalancer:
    consistentHash:
      httpCookie:
        attributes:
        - name: SameSite
          value: Strict
        - value: some-value
        - name: Secure
          value: "true"
        name: test-cookie
        ttl: 3600s
`, want: []string{"cookie attribute name cannot be empty"}},
	{fn: "TestValidateLoadBalancer", name: "invalid: localityLbSetting and zoneAwareLbSetting both set", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  loadBalancer:
    localityLbSetting: {}
    zoneAwareLbSetting: {}
`, want: []string{"only one of localityLbSetting and zoneAwareLbSetting can be set"}},
	{fn: "TestValidateLoadBalancer", name: "valid: zoneAwareLbSetting only", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  loadBalancer:
    zoneAwareLbSetting:
      failover:
      - from: us-east
        to: eu-west
`, want: nil},
	// validation_test.go TestValidateOutlierDetection: the outlier detection of DestinationRule reviews.
	{fn: "TestValidateOutlierDetection", name: "valid outlier detection", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  outlierDetection:
    baseEjectionTime: 2s
    interval: 2s
    maxEjectionPercent: 50
`, want: nil},
	{fn: "TestValidateOutlierDetection", name: "invalid outlier detection, bad interval", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  outlierDetection:
    interval: 2.000000005s
`, want: []string{"only durations to ms precision are supported"}},
	{fn: "TestValidateOutlierDetection", name: "invalid outlier detection, bad base ejection time", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  outlierDetection:
    baseEjectionTime: 2.000000005s
`, want: []string{"only durations to ms precision are supported"}},
	{fn: "TestValidateOutlierDetection", name: "invalid outlier detection, bad max ejection percent", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  outlierDetection:
    maxEjectionPercent: 105
`, want: []string{"percentage 105 is not in range 0..100"}},
	{fn: "TestValidateOutlierDetection", name: "invalid outlier detection, panic threshold too low", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  outlierDetection:
    minHealthPercent: -1
`, want: []string{"percentage -1 is not in range 0..100"}},
	{fn: "TestValidateOutlierDetection", name: "invalid outlier detection, panic threshold too high", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  outlierDetection:
    minHealthPercent: 101
`, want: []string{"percentage 101 is not in range 0..100"}},
	{fn: "TestValidateOutlierDetection", name: "deprecated outlier detection, ConsecutiveErrors", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  outlierDetection:
    consecutiveErrors: 101
`, want: nil},
	{fn: "TestValidateOutlierDetection", name: "consecutive local origin errors is set but split local origin errors is not set", kind: "DestinationRule", ns: "bar", spec: `host: reviews
trafficPolicy:
  outlierDetection:
    consecutiveLocalOriginFailures: 10
`, want: []string{"outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false"}},
	// validation_test.go Test_validateExportTo: the exportTo of a VirtualService, or of a DestinationRule with a workload selector (the ServiceEntry cases left out).
	{fn: "Test_validateExportTo", name: "empty exportTo is okay", ns: "ns5", spec: `hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "Test_validateExportTo", name: "* is allowed", ns: "ns5", spec: `exportTo:
- '*'
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "Test_validateExportTo", name: ". and ns1 are allowed", ns: "ns5", spec: `exportTo:
- .
- ns1
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "Test_validateExportTo", name: "bunch of namespaces in exportTo is okay", ns: "ns5", spec: `exportTo:
- ns1
- ns2
- ns5
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "Test_validateExportTo", name: "~ not allowed for non service entry configs", ns: "ns5", spec: `exportTo:
- "~"
- ns1
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"exportTo ~ (none) is not allowed for Istio configuration objects"}},
	{fn: "Test_validateExportTo", name: ". and * together are not allowed", ns: "ns5", spec: `exportTo:
- .
- '*'
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"cannot have both public (*) and non-public exportTo values for a resource"}},
	{fn: "Test_validateExportTo", name: "* and ns1 together are not allowed", ns: "ns5", spec: `exportTo:
- '*'
- ns1
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"cannot have both public (*) and non-public exportTo values for a resource"}},
	{fn: "Test_validateExportTo", name: ". and same namespace in exportTo is not okay", ns: "ns5", spec: `exportTo:
- .
- ns5
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"duplicate entries in exportTo for entry ns5"}},
	{fn: "Test_validateExportTo", name: "duplicate namespaces in exportTo is not okay", ns: "ns5", spec: `exportTo:
- ns1
- ns2
- ns1
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"duplicate entries in exportTo for entry ns1"}},
	{fn: "Test_validateExportTo", name: "invalid namespace names are not okay", ns: "ns5", spec: `exportTo:
- ns1_
hosts:
- foo.bar
http:
- route:
  - destination:
      host: foo.baz
`, want: []string{"only .,*, or a valid DNS 1123 label is allowed as exportTo entry"}},
	{fn: "Test_validateExportTo", name: "destination rule with workloadselector cannot have exportTo (*)", kind: "DestinationRule", ns: "ns5", spec: `exportTo:
- '*'
host: reviews
workloadSelector:
  matchLabels:
    app: reviews
`, want: []string{"destination rule with workload selector cannot have exportTo beyond current namespace"}},
	{fn: "Test_validateExportTo", name: "destination rule with workloadselector can have only exportTo (.)", kind: "DestinationRule", ns: "ns5", spec: `exportTo:
- .
host: reviews
workloadSelector:
  matchLabels:
    app: reviews
`, want: nil},
	{fn: "Test_validateExportTo", name: "destination rule with workloadselector cannot have another ns in exportTo (.)", kind: "DestinationRule", ns: "ns5", spec: `exportTo:
- somens
host: reviews
workloadSelector:
  matchLabels:
    app: reviews
`, want: []string{"destination rule with workload selector cannot have exportTo beyond current namespace"}},
	{fn: "Test_validateExportTo", name: "destination rule with workloadselector cannot have another ns in addition to own ns in exportTo (.)", kind: "DestinationRule", ns: "ns5", spec: `exportTo:
- .
- somens
host: reviews
workloadSelector:
  matchLabels:
    app: reviews
`, want: []string{"destination rule with workload selector cannot have multiple entries in exportTo"}},
	// validation_test.go TestValidateHTTPHeaderValue: each value set on request header x-h of a route.
	{fn: "TestValidateHTTPHeaderValue", name: "foo", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        x-h: foo
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderValue", name: "%HOSTNAME%", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        x-h: '%HOSTNAME%'
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderValue", name: "100%%", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        x-h: 100%%
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderValue", name: "prefix %HOSTNAME% suffix", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        x-h: prefix %HOSTNAME% suffix
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderValue", name: "%DOWNSTREAM_PEER_CERT_V_END(%b %d %H:%M:%S %Y %Z)%", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        x-h: '%DOWNSTREAM_PEER_CERT_V_END(%b %d %H:%M:%S %Y %Z)%'
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderValue", name: "%DYNAMIC_METADATA(com.test.my_filter)%", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        x-h: '%DYNAMIC_METADATA(com.test.my_filter)%'
  route:
  - destination:
      host: foo.baz
`, want: nil},
	{fn: "TestValidateHTTPHeaderValue", name: "%START_TIME%%", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        x-h: '%START_TIME%%'
  route:
  - destination:
      host: foo.baz
`, want: []string{"header value configuration: invalid header configuration. Un-escaped %"}},
	{fn: "TestValidateHTTPHeaderValue", name: "abc%123", spec: `hosts:
- foo.bar
http:
- headers:
    request:
      set:
        x-h: abc%123
  route:
  - destination:
      host: foo.baz
`, want: []string{"header value configuration: invalid header configuration. Un-terminated variable expression 'abc%123'"}},
}
