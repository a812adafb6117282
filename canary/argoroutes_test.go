package canary

import (
	"math"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// managedRoute is the managed route of this name in a step's result, or nil.
func managedRoute(s result.PlanStep, name string) *result.PlanRoute {
	for i := range s.Routes {
		if s.Routes[i].Name == name {
			return &s.Routes[i]
		}
	}
	return nil
}

// A setHeaderRoute step follows argo-rollouts rollout/trafficrouting/istio/istio.go SetHeaderRoute:
// reconcileVirtualServiceHeaderRoutes removes the route of that name and appends the one
// createHeaderRoute builds (one match block per header, createHeaderRouteMatch: exact, prefix or
// regex; the DestinationRule's host and the canary subset at weight 100), orderRoutes puts the
// managedRoutes first; a step without match removes the route, and promotion removes them all
// (RemoveManagedRoutes). The plan's own traffic keeps its split.
func TestArgoSetHeaderRoute(t *testing.T) {
	p := mustPlan(t, rollout(`
      - setWeight: 10
      - setHeaderRoute:
          name: hdr
          match:
          - {headerName: x-canary, headerValue: {exact: "yes"}}
          - {headerName: user-agent, headerValue: {regex: ".*Chrome.*"}}
      - pause: {duration: 10m}
      - setHeaderRoute: {name: hdr}
      - pause: {duration: 10m}`))
	if len(p.Steps) != 3 || len(p.Steps[0].Routes) != 1 || len(p.Steps[1].Routes) != 0 || len(p.Steps[2].Routes) != 0 {
		t.Fatalf("steps %+v: want the header route in the first step only", p.Steps)
	}
	if !strings.Contains(p.Steps[0].Note, "managed routes: hdr (header)") {
		t.Errorf("note %q does not name the route", p.Steps[0].Note)
	}
	r := evaluate(t, p, opts())
	s := r.Steps[0]
	hr := managedRoute(s, "hdr")
	if hr == nil {
		t.Fatalf("step 0 has no managed route hdr: %+v", s.Routes)
	}
	if hr.Kind != RouteHeader || hr.Position != 0 || hr.TakenBy != "" {
		t.Errorf("route %+v: want a header route at position 0 that takes its own requests", hr)
	}
	if hr.Match != `header x-canary exact "yes" | header user-agent regex ".*Chrome.*"` {
		t.Errorf("match %q", hr.Match)
	}
	if len(hr.Weights) != 1 || hr.Weights[0].Name != "canary" || hr.Weights[0].Role != roleCanary || hr.Weights[0].Weight != 100 || hr.Weights[0].ExpectedShare != 1 || hr.Weights[0].Status != 200 {
		t.Errorf("weights %+v: want canary at 100", hr.Weights)
	}
	if s.ExpectedCanaryShare != 0.1 || s.OtherRequests != 0 || hasCode(r, CodeRequestMisrouted) || hasCode(r, CodeNotSimulated) {
		t.Errorf("step 0: expected canary share %v, other requests %d; findings:\n%s", s.ExpectedCanaryShare, s.OtherRequests, codes(r))
	}
	if len(r.Steps[1].Routes) != 0 || len(r.Steps[2].Routes) != 0 {
		t.Errorf("the route outlives its removal: %+v, %+v", r.Steps[1].Routes, r.Steps[2].Routes)
	}
}

// A setMirrorRoute step follows istio.go SetMirrorRoute: createMirrorRoute copies the destinations
// of the route the Rollout drives (getVirtualServiceSetWeightRoute), mirrors percentage (100 when
// not given) to the canary, and the route goes first (reconcileVirtualServiceMirrorRoutes,
// orderRoutes); each later setWeight writes its weights into the mirror route too
// (generateVirtualServicePatches adds the managed routes that mirror). Requests its match accepts
// are split by it, and the copies are counted apart.
func TestArgoSetMirrorRoute(t *testing.T) {
	p := mustPlan(t, rollout(`
      - setWeight: 20
      - setMirrorRoute:
          name: mirror
          percentage: 35
          match:
          - method: {exact: GET}
      - pause: {duration: 10m}
      - setWeight: 40
      - pause: {duration: 10m}`))
	r := evaluate(t, p, opts())
	for i, want := range []struct {
		stable, canary int32
	}{{80, 20}, {60, 40}} {
		s := r.Steps[i]
		mr := managedRoute(s, "mirror")
		if mr == nil {
			t.Fatalf("step %d has no mirror route", i)
		}
		if mr.Kind != RouteMirror || mr.Position != 0 || mr.Match != `method exact "GET"` || mr.TakenBy != "" {
			t.Errorf("step %d: route %+v", i, mr)
		}
		if len(mr.Weights) != 2 || mr.Weights[0].Weight != want.stable || mr.Weights[1].Weight != want.canary || mr.Weights[1].Role != roleCanary {
			t.Errorf("step %d: mirror route weights %+v, want %d/%d", i, mr.Weights, want.stable, want.canary)
		}
		if len(mr.Mirrors) != 1 || mr.Mirrors[0].Name != "canary" || mr.Mirrors[0].Role != roleCanary || mr.Mirrors[0].ExpectedShare != 0.35 {
			t.Errorf("step %d: mirrors %+v, want canary at 0.35", i, mr.Mirrors)
		}
		// The plan's GET requests go through the mirror route: the same split, plus the copies.
		n := float64(s.Requests)
		if s.OtherRequests != 0 || math.Abs(float64(s.MirroredRequests)-0.35*n) > 5*math.Sqrt(n*0.35*0.65) {
			t.Errorf("step %d: %d requests, %d mirrored (want about 35%%), %d other", i, s.Requests, s.MirroredRequests, s.OtherRequests)
		}
		if s.ExpectedCanaryShare != float64(want.canary)/100 {
			t.Errorf("step %d: expected canary share %v", i, s.ExpectedCanaryShare)
		}
	}
	if hasCode(r, CodeRequestMisrouted) || hasCode(r, CodeNotSimulated) {
		t.Errorf("findings:\n%s", codes(r))
	}
	t.Run("percentage defaults to 100", func(t *testing.T) {
		r := evaluate(t, mustPlan(t, rollout("      - setWeight: 20\n      - setMirrorRoute: {name: mirror, match: [{path: {prefix: /api}}]}\n      - pause: {duration: 1m}")), opts())
		mr := managedRoute(r.Steps[0], "mirror")
		if mr == nil || len(mr.Mirrors) != 1 || mr.Mirrors[0].ExpectedShare != 1 || mr.Match != `uri prefix "/api"` {
			t.Fatalf("route %+v", mr)
		}
		// The plan's requests (GET /) do not match: no copies.
		if r.Steps[0].MirroredRequests != 0 {
			t.Errorf("%d mirrored requests", r.Steps[0].MirroredRequests)
		}
	})
}

// orderRoutes (istio.go getOrderedVirtualServiceRoutes) puts the managed routes in the order of
// trafficRouting.managedRoutes: a mirror route listed before a header route takes the header
// route's requests when its match accepts them too; the plan says so.
func TestArgoManagedRouteOrder(t *testing.T) {
	steps := `
      - setWeight: 10
      - setMirrorRoute: {name: mirror, match: [{method: {exact: GET}}]}
      - setHeaderRoute: {name: hdr, match: [{headerName: x-canary, headerValue: {exact: "yes"}}]}
      - pause: {duration: 10m}`
	for _, tc := range []struct {
		name, order string
		hdrAt       int
		takenBy     string
	}{
		{"header first", "[{name: hdr}, {name: mirror}]", 0, ""},
		{"mirror first", "[{name: mirror}, {name: hdr}]", 1, "rule mirror"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yaml := strings.Replace(rollout(steps), "managedRoutes: [{name: hdr}, {name: mirror}]", "managedRoutes: "+tc.order, 1)
			r := evaluate(t, mustPlan(t, yaml), opts())
			hr := managedRoute(r.Steps[0], "hdr")
			if hr == nil || hr.Position != tc.hdrAt || hr.TakenBy != tc.takenBy {
				t.Fatalf("header route %+v: want position %d, taken by %q", hr, tc.hdrAt, tc.takenBy)
			}
			if got := hasCode(r, CodeRequestMisrouted); got != (tc.takenBy != "") {
				t.Errorf("request-misrouted %v; findings:\n%s", got, codes(r))
			}
		})
	}
}

// With virtualService.routes omitted, generateVirtualServicePatches adds the managed mirror routes'
// names to the empty list of routes to patch, and getHttpRouteIndexesToPatch then finds only
// those (istio.go): while a mirror route is in place, setWeight changes the mirror route and the
// unnamed route keeps its weights. The plan follows, and warns.
func TestArgoMirrorRouteWithRoutesOmitted(t *testing.T) {
	yaml := strings.Replace(rollout(`
      - setWeight: 10
      - pause: {duration: 10m}
      - setMirrorRoute: {name: mirror, match: [{path: {prefix: /}}]}
      - setWeight: 30
      - pause: {duration: 10m}`), "virtualService: {name: demo-vs, routes: [primary]}", "virtualService: {name: demo-vs}", 1)
	yaml = strings.Replace(yaml, "  - name: primary\n", "  - route:\n", 1)
	yaml = strings.Replace(yaml, "    route:\n    - destination: {host: demo, subset: stable}", "    - destination: {host: demo, subset: stable}", 1)
	r := evaluate(t, mustPlan(t, yaml), opts())
	s := r.Steps[1]
	mr := managedRoute(s, "mirror")
	if mr == nil || mr.Weights[1].Weight != 30 {
		t.Fatalf("mirror route %+v: want canary 30", mr)
	}
	if s.ExpectedCanaryShare != 0.3 {
		t.Errorf("expected canary share %v: the plan's requests go through the mirror route", s.ExpectedCanaryShare)
	}
	var warned bool
	for _, f := range r.Findings {
		warned = warned || strings.Contains(f.Message, "writes the weights into the managed mirror routes only")
	}
	if !warned {
		t.Errorf("no warning that the unnamed route keeps its weights:\n%s", codes(r))
	}
}

// Argo's validation (pkg/apis/rollouts/validation/validation.go, ValidateRolloutStrategyCanary,
// ValidateStepRouteFoundInManagedRoute, hasMultipleMatchValues) refuses these Rollouts; so does the
// plan, naming the field.
func TestArgoManagedRouteInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"no managedRoutes", strings.Replace(rollout("      - setHeaderRoute: {name: hdr}"), "        managedRoutes: [{name: hdr}, {name: mirror}]\n", "", 1),
			"spec.strategy.canary.trafficRouting.managedRoutes: missing"},
		{"name not managed", rollout("      - setMirrorRoute: {name: other, match: [{method: {exact: GET}}]}"),
			`steps[0].setMirrorRoute: "other": Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes`},
		{"two values", rollout(`      - setHeaderRoute: {name: hdr, match: [{headerName: a, headerValue: {exact: x, prefix: /z}}]}`),
			"steps[0].setHeaderRoute.match[0].headerValue: StringMatch match value must have exactly one of the following: exact, regex, prefix"},
		{"no value", rollout(`      - setHeaderRoute: {name: hdr, match: [{headerName: a, headerValue: {}}]}`),
			"steps[0].setHeaderRoute.match[0].headerValue: StringMatch value missed"},
		{"no headerValue", rollout(`      - setHeaderRoute: {name: hdr, match: [{headerName: a}]}`),
			"steps[0].setHeaderRoute.match[0].headerValue: missing"},
		{"method with two values", rollout(`      - setMirrorRoute: {name: mirror, match: [{method: {exact: GET, regex: P.*}}]}`),
			"steps[0].setMirrorRoute.match[0]: method: StringMatch match value must have exactly one"},
		{"percentage above 100", rollout(`      - setMirrorRoute: {name: mirror, percentage: 150, match: [{method: {exact: GET}}]}`),
			"steps[0].setMirrorRoute.percentage: 150: Istio rejects a mirrorPercentage outside 0 to 100"},
		{"misspelt field", rollout(`      - setHeaderRoute: {name: hdr, mach: []}`),
			`steps[0].setHeaderRoute.mach: unknown field "mach"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := inputError(t, tc.yaml, tc.want)
			if strings.Contains(msg, "\n") {
				t.Errorf("error is more than one line: %q", msg)
			}
		})
	}
}

// tlsRoutes follow istio.go getTlsRouteIndexesToPatch and searchTlsRoute: an entry drives each tls
// route whose match blocks name one port, the entry's, and the same SNI hosts in any order
// (utils/evaluate Equal); without tlsRoutes the first tls route, which must be the only one
// (ValidateTlsRoutes). The plan simulates the first driven route per connection, with an SNI its
// match accepts.
func TestArgoTLSRoutes(t *testing.T) {
	const vs = `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: rollout-vsvc}
spec:
  hosts: [api.example.com, b.example.com, other.example.com]
  tls:
  - match: [{port: 443, sniHosts: [other.example.com]}]
    route:
    - {destination: {host: legacy}, weight: 100}
  - match: [{port: 443, sniHosts: [b.example.com, api.example.com]}]
    route:
    - {destination: {host: stable-svc}, weight: 100}
    - {destination: {host: canary-svc}, weight: 0}
`
	ro := func(tlsRoutes string) string {
		return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: rollout-example}
spec:
  strategy:
    canary:
      canaryService: canary-svc
      stableService: stable-svc
      trafficRouting:
        istio:
          virtualService:
            name: rollout-vsvc
` + tlsRoutes + `      steps:
      - setWeight: 30
      - pause: {duration: 10m}
` + vs
	}
	t.Run("matching entry", func(t *testing.T) {
		p := mustPlan(t, ro("            tlsRoutes:\n            - {port: 443, sniHosts: [api.example.com, b.example.com]}\n"))
		if !p.TLS || len(p.Rules) != 1 || p.Rules[0] != 1 || p.Route != "tls #1" {
			t.Fatalf("plan drives %v (%s), TLS %v: want tls route 1", p.Rules, p.Route, p.TLS)
		}
		r := evaluate(t, p, opts())
		for _, f := range r.Findings {
			if f.Severity == SeverityError || f.Code == CodeNotSimulated || f.Code == CodeRequestMisrouted {
				t.Errorf("finding %+v", f)
			}
		}
		s := r.Steps[0]
		if s.ExpectedCanaryShare != 0.3 || s.CanaryRequests == 0 || s.StableRequests == 0 || s.OtherRequests != 0 {
			t.Errorf("step 0: expected %v, canary %d, stable %d, other %d connections", s.ExpectedCanaryShare, s.CanaryRequests, s.StableRequests, s.OtherRequests)
		}
	})
	t.Run("no matching entry", func(t *testing.T) {
		p := mustPlan(t, ro("            tlsRoutes:\n            - {port: 8443, sniHosts: [api.example.com, b.example.com]}\n"))
		if !HasFinding(p.Findings, CodeRouteMissing) {
			t.Errorf("no route-missing finding: %+v", p.Findings)
		}
	})
	t.Run("tlsRoutes omitted with two tls routes", func(t *testing.T) {
		p := mustPlan(t, ro(""))
		if !p.TLS || !HasFinding(p.Findings, CodeRouteMissing) || !HasFinding(p.Findings, CodeSubsetMissing) {
			t.Errorf("TLS %v, findings %+v: want route-missing (not the only tls route) and subset-missing (route 0 lacks them)", p.TLS, p.Findings)
		}
	})
}

// Without a DestinationRule the header route goes to canaryService (istio.go
// reconcileVirtualServiceHeaderRoutes: canarySvc unless getDestinationRuleHost names a host); a
// setHeaderRoute whose match is an empty list is not a removal (only a missing match is): the route
// createHeaderRoute builds then has no match block, takes every request and sends it to the canary:
// the plan counts them as canary requests and warns that its route gets none.
func TestArgoHeaderRouteHostLevelAndEmptyMatch(t *testing.T) {
	hostLevel := func(match string) string {
		return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: demo}
spec:
  strategy:
    canary:
      canaryService: demo-canary
      stableService: demo-stable
      trafficRouting:
        managedRoutes: [{name: hdr}]
        istio:
          virtualService: {name: demo-vs, routes: [primary]}
      steps:
      - setWeight: 20
      - setHeaderRoute: {name: hdr, match: ` + match + `}
      - pause: {duration: 10m}
` + demoVS + `  - name: primary
    route:
    - {destination: {host: demo-stable, port: {number: 8080}}, weight: 100}
    - {destination: {host: demo-canary, port: {number: 8080}}, weight: 0}
`
	}
	t.Run("canary service", func(t *testing.T) {
		r := evaluate(t, mustPlan(t, hostLevel(`[{headerName: x-canary, headerValue: {prefix: "y"}}]`)), opts())
		hr := managedRoute(r.Steps[0], "hdr")
		if hr == nil || len(hr.Weights) != 1 || hr.Weights[0].Name != "demo-canary:8080" || hr.Weights[0].Role != roleCanary {
			t.Fatalf("header route %+v: want demo-canary on the driven route's port", hr)
		}
		if hasCode(r, CodeRequestMisrouted) || r.Steps[0].ExpectedCanaryShare != 0.2 {
			t.Errorf("expected canary share %v; findings:\n%s", r.Steps[0].ExpectedCanaryShare, codes(r))
		}
	})
	t.Run("empty match takes every request", func(t *testing.T) {
		r := evaluate(t, mustPlan(t, hostLevel(`[]`)), opts())
		hr := managedRoute(r.Steps[0], "hdr")
		if hr == nil || hr.Match != "" {
			t.Fatalf("header route %+v: want one without match", hr)
		}
		if s := r.Steps[0]; !hasCode(r, CodeRequestMisrouted) || s.CanaryRequests != s.Requests || s.ExpectedCanaryShare != 1 {
			t.Errorf("step 0: canary %d of %d, expected share %v; findings:\n%s", s.CanaryRequests, s.Requests, s.ExpectedCanaryShare, codes(r))
		}
	})
}

// A mirror on the plan's own route (VirtualService mirror and mirrorPercentage, as istio
// pilot/pkg/networking/core/route/route.go translates it into Envoy's RequestMirrorPolicy with a
// runtime fraction) sends copies of the step's requests too: they are counted in mirrored_requests,
// apart from the split.
func TestPlanCountsTheRoutesOwnMirror(t *testing.T) {
	yaml := strings.Replace(native("      - {weight: 20, duration: 10m}"), "  - name: primary\n", "  - name: primary\n    mirror: {host: demo, subset: canary}\n    mirrorPercentage: {value: 50}\n", 1)
	r := evaluate(t, mustPlan(t, yaml), opts())
	s := r.Steps[0]
	n := float64(s.Requests)
	if s.OtherRequests != 0 || math.Abs(float64(s.MirroredRequests)-0.5*n) > 5*math.Sqrt(n*0.25) {
		t.Errorf("%d requests, %d mirrored (want about half), %d other", s.Requests, s.MirroredRequests, s.OtherRequests)
	}
}
