package lint

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
)

func lintYAML(t *testing.T, docs ...string) *result.Lint {
	t.Helper()
	return lintWith(t, Input{}, docs...)
}

// lintWith lints docs as files a.yaml, b.yaml, ... with the options of in (Suppress,
// FailThreshold).
func lintWith(t *testing.T, in Input, docs ...string) *result.Lint {
	t.Helper()
	c := &mesh.Config{}
	var problems []*mesh.Error
	var files []string
	data := map[string][]byte{}
	for i, d := range docs {
		f := []string{"a.yaml", "b.yaml", "c.yaml"}[i]
		files = append(files, f)
		data[f] = []byte(d)
		ps, err := c.AddLenient(f, []byte(d))
		if err != nil {
			t.Fatal(err)
		}
		problems = append(problems, ps...)
	}
	read := func(name string) ([]byte, error) {
		if b, ok := data[name]; ok {
			return b, nil
		}
		return nil, os.ErrNotExist
	}
	in.Files, in.Config, in.Problems, in.ReadFile = files, c, problems, read
	out, err := Check(in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func findings(r *result.Lint, code string) []result.Finding {
	var out []result.Finding
	for _, f := range r.Findings {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

const dr = `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets: [{name: v1}, {name: v2}, {name: v3}]
`

const svc = `---
apiVersion: v1
kind: Service
metadata: {name: reviews}
spec: {ports: [{port: 9080}]}
`

// svc2 is the reviews Service with two ports.
const svc2 = `---
apiVersion: v1
kind: Service
metadata: {name: reviews}
spec: {ports: [{port: 9080}, {port: 9443}]}
`

// vsHTTP is a VirtualService for reviews with the given http rules (first rule on line 7).
func vsHTTP(name, http string) string {
	return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ` + name + `}
spec:
  hosts: [reviews]
  http:
` + http
}

const catchAll = "  - route: [{destination: {host: reviews, subset: v1}}]\n"

// argoReviews is an Argo Rollout driving the only route of VirtualService reviews between subsets v1
// (stable) and v2 (canary).
const argoReviews = `---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: reviews}
spec:
  strategy:
    canary:
      trafficRouting:
        istio:
          virtualService: {name: reviews}
          destinationRule: {name: reviews, canarySubsetName: v2, stableSubsetName: v1}
`

// gwVS is a VirtualService bound to a gateway.
const gwVS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: [web.example.com]
  gateways: [istio-system/public]
  http:
  - route:
    - destination: {host: web}
`

// Without Pods or workloads in the inputs, Gateway selectors are not checked against pods; SPL017
// says so once, naming the selectors. With the gateway's Deployment, the selector is checked
// (IST0101) instead.
// Follows istio pkg/config/analysis/analyzers/gateway/gateway.go (IngressGatewayPortAnalyzer).
func TestSelectorChecksSkipped(t *testing.T) {
	gw := func(name, labels string) string {
		return "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: " + name + ", namespace: istio-system}\nspec:\n  selector: {" + labels + "}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]\n"
	}
	fs := findings(lintYAML(t, gw("a", "app: edge"), gw("b", "app: edge"), gw("c", "istio: ingressgateway")), "SPL017")
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "so the selectors of the Gateways (app=edge, istio=ingressgateway) were not checked") || fs[0].Path != "spec.selector.istio" {
		t.Fatalf("SPL017 findings %+v, want one naming app=edge and istio=ingressgateway", fs)
	}
	deploy := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other, namespace: istio-system}\nspec: {template: {metadata: {labels: {app: other}}}}\n"
	r := lintYAML(t, gw("a", "app: edge"), deploy)
	if fs := findings(r, "SPL017"); len(fs) != 0 {
		t.Errorf("with a workload in the inputs: %+v", fs)
	}
	if fs := findings(r, "IST0101"); len(fs) != 1 || !strings.Contains(fs[0].Message, `Referenced selector not found: "app=edge"`) {
		t.Errorf("IST0101 findings %+v, want the selector not found", fs)
	}
}

func route(rules string) string {
	return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: web}
spec:
  parentRefs: [{name: gw}]
  rules:
` + rules
}

// Every code, with a minimal configuration that triggers it and one that does not. The IST cases
// follow istio pkg/config/analysis/analyzers/virtualservice (destinationrules.go,
// destinationhosts.go, conflictingmeshgatewayhosts.go) and pkg/config/validation/validation.go
// (ValidateVirtualService, analyzeUnreachableHTTPRules).
func TestEachCode(t *testing.T) {
	tested := map[string]bool{}
	defer func() {
		for _, c := range Codes {
			if !tested[c.Code] {
				t.Errorf("code %s has no case here", c.Code)
			}
		}
	}()
	for _, tc := range []struct {
		code      string
		severity  result.Severity
		bad, good []string
		want      string // in the message of the first finding
	}{
		{"IST0101", result.SeverityError,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v4}}]\n") + dr},
			[]string{vsHTTP("reviews", catchAll) + dr},
			`Referenced host+subset in destinationrule not found: "reviews+v4"`},
		{"IST0101", result.SeverityError,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: ratings}}]\n") + svc},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews}}]\n") + svc},
			`Referenced host not found: "ratings"`},
		{"IST0101", result.SeverityError,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, port: {number: 80}}}]\n") + svc},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, port: {number: 9080}}}]\n") + svc},
			`Referenced host:port not found: "reviews:80"`},
		{"IST0101", result.SeverityError,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews}}]\n    mirror: {host: reviews, subset: shadow}\n") + dr + svc},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews}}]\n    mirror: {host: reviews, subset: v3}\n") + dr + svc},
			`Referenced mirror+subset in destinationrule not found: "reviews+shadow"`},
		{"IST0106", result.SeverityError,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: -5}, {destination: {host: reviews, subset: v2}, weight: 5}]\n") + dr},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 5}, {destination: {host: reviews, subset: v2}, weight: 5}]\n") + dr},
			"Schema validation error: weight -5 < 0"},
		{"IST0109", result.SeverityError,
			[]string{vsHTTP("reviews-a", catchAll) + "---\n" + vsHTTP("reviews-b", catchAll) + dr},
			[]string{vsHTTP("reviews-a", catchAll) + "---\n" + strings.Replace(vsHTTP("ratings", catchAll), "hosts: [reviews]", "hosts: [ratings]", 1) + dr},
			"The VirtualServices default/reviews-a,default/reviews-b associated with mesh gateway define the same host */reviews.default.svc.cluster.local"},
		{"IST0112", result.SeverityError,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews}}]\n") + svc2},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, port: {number: 9443}}}]\n") + svc2},
			`This VirtualService routes to a service "reviews" that exposes multiple ports [9080 9443]. Specifying a port in the destination is required to disambiguate.`},
		{"IST0130", result.SeverityWarning,
			[]string{vsHTTP("reviews", catchAll+"  - match: [{uri: {prefix: /api}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n") + dr},
			[]string{vsHTTP("reviews", "  - match: [{uri: {prefix: /api}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n"+catchAll) + dr},
			"VirtualService rule #1 not used (route without matches defined before)."},
		{"IST0131", result.SeverityInfo,
			[]string{vsHTTP("reviews", "  - match: [{uri: {prefix: /api}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n  - match: [{uri: {prefix: /api}}]\n    route: [{destination: {host: reviews, subset: v3}}]\n"+catchAll) + dr},
			[]string{vsHTTP("reviews", "  - match: [{uri: {prefix: /api}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n  - match: [{uri: {prefix: /web}}]\n    route: [{destination: {host: reviews, subset: v3}}]\n"+catchAll) + dr},
			"VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0)."},
		{"SPL001", result.SeverityWarning,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 100}, {destination: {host: reviews, subset: v2}, weight: 0}]\n") + dr},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 90}, {destination: {host: reviews, subset: v2}, weight: 10}]\n") + dr},
			"destination reviews/v2 has weight 0"},
		{"SPL002", result.SeverityWarning,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 30}, {destination: {host: reviews, subset: v2}, weight: 40}, {destination: {host: reviews, subset: v1}, weight: 30}]\n") + dr},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 60}, {destination: {host: reviews, subset: v2}, weight: 40}]\n") + dr},
			"destination reviews/v1 is listed twice in this rule (also route[0])"},
		{"SPL003", result.SeverityInfo,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 1}, {destination: {host: reviews, subset: v2}, weight: 2}]\n") + dr},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 80}, {destination: {host: reviews, subset: v2}, weight: 20}]\n") + dr},
			"weights sum to 3, not 100: each destination gets weight/3 (reviews/v1 33.3%, reviews/v2 66.7%)"},
		{"SPL004", result.SeverityWarning,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 50}]\n") + dr},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 100}]\n") + dr},
			"weight 50 on the only destination is ignored"},
		{"SPL005", result.SeverityWarning,
			[]string{vsHTTP("reviews", "  - match: [{headers: {end-user: {exact: jason}}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n") + dr},
			[]string{vsHTTP("reviews", "  - match: [{headers: {end-user: {exact: jason}}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n"+catchAll) + dr},
			"host reviews has no catch-all rule: a request that matches none of its 1 rule(s) gets 404"},
		{"SPL006", result.SeverityWarning,
			[]string{vsHTTP("reviews", "  - match: [{uri: {regex: \"api/.*\"}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n"+catchAll) + dr},
			[]string{vsHTTP("reviews", "  - match: [{uri: {regex: \"/api/.*\"}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n"+catchAll) + dr},
			`uri regex "api/.*" can never match a request path`},
		{"SPL006", result.SeverityWarning,
			[]string{vsHTTP("reviews", "  - match: [{headers: {x: {regex: \"a^b\"}}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n"+catchAll) + dr},
			[]string{vsHTTP("reviews", "  - match: [{headers: {x: {regex: \"a|^b\"}}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n"+catchAll) + dr},
			`headers x regex "a^b" can never match`},
		{"SPL007", result.SeverityError,
			[]string{route("  - backendRefs: [{name: a, port: 80, weight: -1}]\n")},
			[]string{route("  - backendRefs: [{name: a, port: 80, weight: 1}]\n")},
			"should be greater than or equal to 0"},
		{"SPL008", result.SeverityWarning,
			[]string{route("  - backendRefs: [{name: a, port: 80, weight: 0}, {name: b, port: 80, weight: 0}]\n")},
			[]string{route("  - backendRefs: [{name: a, port: 80, weight: 0}, {name: b, port: 80, weight: 1}]\n")},
			"every request matching this rule gets 500"},
		{"SPL009", result.SeverityError,
			[]string{route("  - backendRefs: [{name: a, port: 80, namespace: other}]\n")},
			[]string{route("  - backendRefs: [{name: a, port: 80}]\n")},
			"invalid backend a.other:80: backendRef a/other not accessible to a route in namespace \"web\" (missing a ReferenceGrant?)"},
		{"SPL010", result.SeverityWarning,
			[]string{vsHTTP("reviews", catchAll) + dr, vsHTTP("reviews", catchAll)},
			[]string{vsHTTP("reviews", catchAll) + dr, strings.Replace(vsHTTP("reviews", catchAll), "{name: reviews}", "{name: reviews, namespace: other}", 1)},
			"VirtualService default/reviews is also defined at a.yaml:3"},
		{"SPL011", result.SeverityWarning,
			[]string{route("  - backendRefs: [{name: a, port: 80}]\n  - matches: [{path: {type: RegularExpression, value: \"/x.*\"}}]\n    backendRefs: [{name: b, port: 80}]\n")},
			[]string{route("  - backendRefs: [{name: a, port: 80}]\n  - matches: [{path: {type: PathPrefix, value: /x}}]\n    backendRefs: [{name: b, port: 80}]\n")},
			"rule #1 is never used: in the Gateway API's precedence order, rule #0"},
		{"SPL012", result.SeverityInfo,
			[]string{vsHTTP("reviews", catchAll) + dr},
			[]string{vsHTTP("reviews", catchAll) + dr + svc},
			"the inputs hold no Service and no ServiceEntry, so the destination hosts of the VirtualServices (reviews) were not checked"},
		{"SPL013", result.SeverityWarning,
			[]string{vsHTTP("reviews", "  - match: [{uri: {prefix: /}}]\n    route: [{destination: {host: reviews, subset: v1}}]\n  - match: [{uri: {prefix: /api}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n") + dr},
			[]string{vsHTTP("reviews", "  - match: [{uri: {prefix: /api}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n  - match: [{uri: {prefix: /}}]\n    route: [{destination: {host: reviews, subset: v1}}]\n") + dr},
			`rule #1 is never used: rule #0 (its match on prefix "/", a catch-all) takes every request before it`},
		{"SPL014", result.SeverityInfo,
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 100}, {destination: {host: reviews, subset: v2}, weight: 0}]\n") + dr + argoReviews},
			[]string{vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 90}, {destination: {host: reviews, subset: v2}, weight: 10}]\n") + dr + argoReviews},
			"destination reviews/v2 has weight 0, and its weight is managed by Rollout default/reviews (Argo Rollouts, a.yaml:"},
		{"SPL015", result.SeverityWarning,
			[]string{vsHTTP("reviews", "  - fault: {abort: {percentage: {value: 50}, httpStatus: 503}}\n    route: [{destination: {host: reviews, subset: v1}, weight: 80}, {destination: {host: reviews, subset: v2}, weight: 20}]\n") + dr},
			[]string{vsHTTP("reviews", "  - fault: {abort: {percentage: {value: 50}, httpStatus: 503}}\n    route: [{destination: {host: reviews, subset: v1}}]\n") + dr},
			"rule #0 splits by weight (reviews/v1 80, reviews/v2 20) and aborts 50% of its requests with HTTP 503 before the split"},
		{"SPL016", result.SeverityInfo,
			[]string{"apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: ef}\nspec: {}\n"},
			[]string{"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: {metadata: {labels: {app: a}}}}\n"},
			"not checked: 1 resource of a kind that splitsim does not read: EnvoyFilter (networking.istio.io/v1alpha3) x1"},
		{"SPL017", result.SeverityInfo,
			[]string{gwVS},
			[]string{gwVS, "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: public, namespace: istio-system}\nspec:\n  selector: {istio: ingressgateway}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]\n",
				"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: istio-ingressgateway, namespace: istio-system}\nspec: {template: {metadata: {labels: {istio: ingressgateway}}}}\n"},
			"the inputs hold no networking.istio.io Gateway, so the gateways the VirtualServices name (istio-system/public) were not checked"},
		{"SPL101", result.SeverityWarning,
			[]string{gatewayOnly},
			[]string{strings.Replace(gatewayOnly, "gateways: [istio-system/public-gateway]", "gateways: [istio-system/public-gateway, mesh]", 1)},
			"is bound to istio-system/public-gateway only: in-mesh callers of demo.default.svc.cluster.local do not follow these weights"},
	} {
		tested[tc.code] = true
		t.Run(tc.code, func(t *testing.T) {
			bad := findings(lintYAML(t, tc.bad...), tc.code)
			if len(bad) == 0 {
				t.Fatalf("no %s finding", tc.code)
			}
			f := bad[0]
			if f.Severity != tc.severity || f.Name != codeInfo(tc.code).Name || f.Line == 0 || f.File == "" || f.Resource == "" {
				t.Errorf("finding %+v", f)
			}
			if !strings.Contains(f.Message, tc.want) {
				t.Errorf("message %q does not contain %q", f.Message, tc.want)
			}
			if good := findings(lintYAML(t, tc.good...), tc.code); len(good) > 0 {
				t.Errorf("clean configuration gives %+v", good)
			}
		})
	}
}

// Acceptance: bookinfo's reviews VirtualService pointing at subset v4 with a DestinationRule that
// defines v1 to v3 gives IST0101 on the line of "subset: v4" (16), with Istio's message.
func TestBookinfoMissingSubsetLine(t *testing.T) {
	vs := `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
      weight: 90
    - destination:
        host: reviews
        subset: v4
      weight: 10
`
	r := lintYAML(t, vs+dr)
	got := findings(r, "IST0101")
	if len(got) != 1 || got[0].Line != 16 || got[0].Path != "spec.http[0].route[1].destination.subset" || got[0].Resource != "VirtualService default/reviews" {
		t.Fatalf("IST0101 findings %+v, want one on line 16", got)
	}
	if !strings.Contains(got[0].Message, "defines v1, v2, v3") || !strings.Contains(got[0].Message, "10% of the rule's traffic gets 503") {
		t.Errorf("message %q", got[0].Message)
	}
	if r.Verdict != result.Fail || r.Errors != 1 {
		t.Errorf("verdict %s, %d errors", r.Verdict, r.Errors)
	}
}

// A covered prefix (istio validation.go coveredValidation: an earlier /api covers a later /api/v1 with
// the same other conditions, and "/" covers "/late") is IST0131 with Istio's wording; a rule after a catch-all match
// block (prefix "/") is unreachable in the routes Istio generates (route.go
// BuildHTTPRoutesForVirtualService), which Istio's analyzer does not report (no IST0130) and splitsim
// reports as SPL013.
func TestCoveredPrefixAndCatchAllMatch(t *testing.T) {
	r := lintYAML(t, vsHTTP("reviews", `  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: reviews, subset: v1}}]
  - match: [{uri: {prefix: /api/v1}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - match: [{uri: {prefix: /}}]
    route: [{destination: {host: reviews, subset: v1}}]
  - match: [{uri: {prefix: /late}}]
    route: [{destination: {host: reviews, subset: v3}}]
`)+dr)
	ineff := findings(r, "IST0131")
	if len(ineff) != 2 || !strings.Contains(ineff[0].Message, "VirtualService rule #1 match #0 of prefix /api/v1 is not used (duplicate/overlapping match in rule #0 of prefix /api on #0).") ||
		!strings.Contains(ineff[1].Message, "rule #3 match #0 of prefix /late is not used (duplicate/overlapping match in rule #0 of prefix / on #2)") {
		t.Fatalf("IST0131 %+v", ineff)
	}
	if unused := findings(r, "IST0130"); len(unused) > 0 {
		t.Fatalf("IST0130 %+v", unused)
	}
	unused := findings(r, "SPL013")
	if len(unused) != 1 || unused[0].Path != "spec.http[3]" || !strings.Contains(unused[0].Message, "rule #2") {
		t.Fatalf("SPL013 %+v", unused)
	}
}

// Two VirtualServices for reviews: IST0109 on each, at its metadata.name line, naming them by full
// name and the host with its export scope as Istio's analyzer does (util.NewScopedFqdn: "*/" for
// every namespace), and saying which one is simulated (mesh.OrderVirtualServices).
func TestConflictFindings(t *testing.T) {
	a := strings.Replace(vsHTTP("reviews-new", catchAll), "metadata: {name: reviews-new}", "metadata: {name: reviews-new, creationTimestamp: \"2024-05-01T00:00:00Z\"}", 1)
	b := strings.Replace(vsHTTP("reviews-old", "  - route: [{destination: {host: reviews, subset: v2}}]\n"), "metadata: {name: reviews-old}", "metadata: {name: reviews-old, creationTimestamp: \"2024-01-01T00:00:00Z\"}", 1)
	r := lintYAML(t, a+dr, b)
	got := findings(r, "IST0109")
	if len(got) != 2 || got[0].File != "a.yaml" || got[1].File != "b.yaml" || got[0].Line != 3 {
		t.Fatalf("IST0109 %+v", got)
	}
	if !strings.Contains(got[0].Message, "The VirtualServices default/reviews-new,default/reviews-old associated with mesh gateway define the same host */reviews.default.svc.cluster.local") || !strings.Contains(got[0].Message, "splitsim simulates VirtualService default/reviews-old") {
		t.Errorf("message %q", got[0].Message)
	}
}

// canFullMatch: RE2 full match as Envoy applies it (envoy source/common/common/regex.h).
func TestCanFullMatch(t *testing.T) {
	for _, tc := range []struct {
		re         string
		path, want bool
	}{
		{".*", false, true}, {"", false, true}, {"", true, false}, {"a^b", false, false}, {"a$b", false, false},
		{"^a$", false, true}, {"(?m)a\n^b", false, true}, {"(?m)a^b", false, false}, {`a\bb`, false, true},
		{"[^\\x00-\\x{10FFFF}]", false, false}, {"api/.*", true, false}, {"api/.*", false, true},
		{"/api/.*", true, true}, {"(?i)/API", true, true}, {"x*", true, false}, {"/?", true, true}, {"$^", false, true},
	} {
		t.Run(fmt.Sprintf("%q path=%v", tc.re, tc.path), func(t *testing.T) {
			got, err := canFullMatch(tc.re, tc.path)
			if err != nil || got != tc.want {
				t.Errorf("canFullMatch(%q, path=%v) = %v, %v; want %v", tc.re, tc.path, got, err, tc.want)
			}
		})
	}
}

// Native fuzzing of the whole lint path (lenient loading, every check): any input gives findings or
// an input error, never a panic, and every finding has a code, a file and a line.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v4}, weight: 50}]\n") + dr + svc))
	f.Add([]byte(vsHTTP("reviews", catchAll+"  - match: [{uri: {prefix: /api}, headers: {x: {regex: \"a^b\"}}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n")))
	f.Add([]byte(route("  - matches: [{path: {type: RegularExpression, value: \"x\"}}]\n    backendRefs: [{name: a, port: 80, weight: 0}, {name: a, port: 80, namespace: o}]\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &mesh.Config{}
		problems, err := c.AddLenient("fuzz.yaml", data)
		if err != nil {
			return
		}
		read := func(string) ([]byte, error) { return data, nil }
		out, err := Check(Input{Files: []string{"fuzz.yaml"}, Config: c, Problems: problems, ReadFile: read})
		if err != nil {
			return
		}
		for _, f := range out.Findings {
			if f.Code == "" || f.File == "" || f.Severity == "" {
				t.Fatalf("incomplete finding %+v", f)
			}
		}
	})
}
