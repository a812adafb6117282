package canary

import (
	"sort"
	"strings"

	"google.golang.org/protobuf/proto"
	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/sim"
)

// stepRoutes is the VirtualService Istio gets during a step: the applied weights, plus the
// managed routes in place, where the controller puts them.
type stepRoutes struct {
	spec *networking.VirtualService
	// primary is the index in spec.Http (or Tcp, Tls) of the plan's first route; managed the
	// index of each of the step's managed routes, in the order of Step.Routes.
	primary int
	managed []int
	kinds   []string
}

// driven are the rules of h the plan drives, with the roles of their destinations: the plan's
// route and the managed mirror routes, whose weights the controller sets at each setWeight as it
// sets the route's (istio.go generateVirtualServicePatches adds the managedRoutes that have a
// mirror to the routes it patches). With all, the header routes too: the plan counts the canary
// and stable requests of every route the controller writes, and a header route that takes the
// plan's requests (one without match) sends them to the canary.
func (sr stepRoutes) driven(h *sim.Host, p *Plan, all bool) map[int][]string {
	out := map[int][]string{sr.primary: p.roles(h.Rules[sr.primary])}
	for j, k := range sr.kinds {
		if (all || k == RouteMirror) && sr.managed[j] < len(h.Rules) {
			out[sr.managed[j]] = p.roles(h.Rules[sr.managed[j]])
		}
	}
	return out
}

// withRoutes puts the step's managed routes into the applied VirtualService as the controller
// does (argo-rollouts rollout/trafficrouting/istio/istio.go): a route of the same name is removed
// first (removeRoute), then orderRoutes puts the routes named in trafficRouting.managedRoutes
// before all others, in that order, and keeps the others in theirs.
func (e *evaluation) withRoutes(st Step) stepRoutes {
	sr := stepRoutes{spec: e.applied, primary: e.p.Rules[0]}
	if len(st.Routes) == 0 || e.p.TCP || e.p.TLS {
		return sr
	}
	type entry struct {
		route   *networking.HTTPRoute
		orig    int // index in the applied routes, or -1
		managed int // index in st.Routes, or -1
	}
	active := map[string]bool{}
	for _, r := range st.Routes {
		active[r.Name] = true
	}
	var entries []entry
	for i, r := range e.applied.GetHttp() {
		if !active[r.GetName()] || r.GetName() == "" {
			entries = append(entries, entry{r, i, -1})
		}
	}
	for j, m := range st.Routes {
		entries = append(entries, entry{e.managedRoute(m), -1, j})
	}
	rank := map[string]int{}
	for i, n := range e.p.managedOrder {
		if _, ok := rank[n]; !ok {
			rank[n] = i
		}
	}
	rankOf := func(r *networking.HTTPRoute) int {
		if k, ok := rank[r.GetName()]; ok && r.GetName() != "" {
			return k
		}
		return len(rank)
	}
	sort.SliceStable(entries, func(a, b int) bool { return rankOf(entries[a].route) < rankOf(entries[b].route) })
	spec := proto.Clone(e.applied).(*networking.VirtualService)
	spec.Http = make([]*networking.HTTPRoute, len(entries))
	sr.managed = make([]int, len(st.Routes))
	for k, en := range entries {
		spec.Http[k] = en.route
		if en.orig == e.p.Rules[0] {
			sr.primary = k
		}
		if en.managed >= 0 {
			sr.managed[en.managed] = k
		}
	}
	for _, r := range st.Routes {
		sr.kinds = append(sr.kinds, r.Kind)
	}
	sr.spec = spec
	return sr
}

// managedRoute is the http route the controller writes for m: a header route sends everything
// to the canary at weight 100 (createHeaderRoute); a mirror route has the weighted destinations
// of the plan's route and mirrors mirrorPercentage of its requests to the canary
// (createMirrorRoute). Both take the port of the plan's route's first destination
// (getVirtualServiceCanaryPort).
func (e *evaluation) managedRoute(m ManagedRoute) *networking.HTTPRoute {
	primary := e.applied.GetHttp()[e.p.Rules[0]].GetRoute()
	dst := &networking.Destination{Host: e.managedHost(), Subset: e.p.managedCanary.Subset}
	if len(primary) > 0 && primary[0].GetDestination().GetPort() != nil {
		dst.Port = proto.Clone(primary[0].GetDestination().GetPort()).(*networking.PortSelector)
	}
	r := &networking.HTTPRoute{Name: m.Name, Match: m.Match}
	if m.Kind == RouteHeader {
		r.Route = []*networking.HTTPRouteDestination{{Destination: dst, Weight: 100}}
		return r
	}
	dests := e.mirrorDests
	if dests == nil {
		dests = primary
	}
	for _, d := range dests {
		r.Route = append(r.Route, proto.Clone(d).(*networking.HTTPRouteDestination))
	}
	r.Mirror = dst
	r.MirrorPercentage = &networking.Percent{Value: m.MirrorPercent}
	return r
}

// managedHost is the host managed routes send to: the DestinationRule's host or the canary
// service (resolveManagedCanary), else the host of the canary destination of the plan's route.
func (e *evaluation) managedHost() string {
	if h := e.p.managedCanary.Host; h != "" {
		return h
	}
	for _, d := range e.p.vs.Spec.GetHttp()[e.p.Rules[0]].GetRoute() {
		if e.p.Canary.Matches(d.GetDestination().GetHost(), d.GetDestination().GetSubset()) {
			return d.GetDestination().GetHost()
		}
	}
	return e.p.Host
}

// mirrorRouteOnly reports whether the controller writes the step's weights into the managed
// mirror routes only: when the Rollout names no http route, generateVirtualServicePatches adds
// the managed mirror routes' names to the empty list of routes to patch, and
// getHttpRouteIndexesToPatch then finds those names only, so the unnamed route the plan drives
// keeps its weights while a mirror route is in place. The first time, a warning says so.
func (e *evaluation) mirrorRouteOnly(i int, st Step) bool {
	if !e.p.routesOmitted || e.p.TCP || e.p.TLS {
		return false
	}
	for _, r := range st.Routes {
		if r.Kind != RouteMirror {
			continue
		}
		if !e.mirrorOnly {
			e.mirrorOnly = true
			e.add(CodeNotSimulated, SeverityWarning, i, st.Source, "while mirror route %s is in place and trafficRouting.istio.virtualService.routes is omitted, Argo Rollouts writes the weights into the managed mirror routes only (istio.go generateVirtualServicePatches, getHttpRouteIndexesToPatch): route %s keeps its previous weights; name it in virtualService.routes", r.Name, e.p.Route)
		}
		return true
	}
	return false
}

// rewrittenTLS is rewritten for a plan that drives tls routes: the same weights, written into each.
func (e *evaluation) rewrittenTLS(next *networking.VirtualService, st Step) (*networking.VirtualService, bool) {
	zero := false
	for _, r := range e.p.Rules {
		if r < len(next.Tls) {
			var z bool
			next.Tls[r].Route, z = e.rewrittenL4(e.p.vs.Spec.Tls[r].GetRoute(), st)
			zero = zero || z
		}
	}
	return next, zero
}

// managedRoutes lists the step's managed routes in its result ([] when none), as translated: where each is, its
// destinations and mirrors with their expected shares, and which rule takes a request its first
// match block accepts (a header route placed after a mirror route whose match also accepts it never
// gets that request; a request-misrouted finding says so, once per route).
func (e *evaluation) managedRoutes(ps *result.PlanStep, i int, st Step, h *sim.Host, sr stepRoutes) {
	ps.Routes = []result.PlanRoute{}
	for j, m := range st.Routes {
		idx := sr.managed[j]
		if idx >= len(h.Rules) {
			continue
		}
		rule := h.Rules[idx]
		roles := e.p.roles(rule)
		pr := result.PlanRoute{Name: m.Name, Kind: m.Kind, Position: idx, Weights: []result.PlanWeight{}, Mirrors: []result.PlanMirror{}}
		var blocks []string
		var first *sim.Match
		for k := range h.Routes {
			if h.Routes[k].Rule == idx {
				blocks = append(blocks, h.Routes[k].Match.String())
				if first == nil {
					first = &h.Routes[k].Match
				}
			}
		}
		pr.Match = strings.Join(blocks, " | ")
		shares := rule.Action.Shares()
		for k, d := range rule.Action.Destinations {
			pr.Weights = append(pr.Weights, result.PlanWeight{Name: d.Name(), Role: roles[k], Weight: d.Weight, ExpectedShare: shares[k], Status: d.Status})
		}
		for _, mi := range rule.Action.Mirrors {
			role := roleOther
			if e.p.Canary.Matches(mi.Host, mi.Subset) {
				role = roleCanary
			}
			name := mi.Subset
			if name == "" {
				name = mi.Host
			}
			pr.Mirrors = append(pr.Mirrors, result.PlanMirror{Name: name, Role: role, ExpectedShare: mi.Fraction.P()})
		}
		pr.TakenBy = e.takenBy(i, st, h, idx, first, m)
		ps.Routes = append(ps.Routes, pr)
	}
}

// takenBy is where a request the managed route's first match block accepts goes: "" when the
// route takes it, else the rule that does, or "no rule (404)"; a route no request reaches is
// "unreachable". A route that does not get its own requests is a request-misrouted warning, once
// per route.
func (e *evaluation) takenBy(i int, st Step, h *sim.Host, idx int, first *sim.Match, m ManagedRoute) string {
	if first == nil {
		return "unreachable"
	}
	req, ok := first.Synthesize(e.p.Host)
	if !ok {
		return ""
	}
	got := h.Route(&req)
	if got >= 0 && h.Routes[got].Rule == idx {
		return ""
	}
	where := "no rule (404)"
	if got >= 0 {
		where = "rule " + h.Rules[h.Routes[got].Rule].Label()
	}
	key := findingKey{Code: CodeRequestMisrouted, Subject: "managed route " + m.Name}
	if !e.reported[key] {
		e.reported[key] = true
		e.findings = append(e.findings, newFinding(CodeRequestMisrouted, SeverityWarning, i, st.Source, key.Subject,
			"a request for managed %s route %s (%s) is taken by %s, placed before it: the route does not get the requests it was made for; reorder trafficRouting.managedRoutes", m.Kind, m.Name, first.String(), where))
	}
	return where
}
