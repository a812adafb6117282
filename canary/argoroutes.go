package canary

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/mesh"
)

// Kinds of managed route.
const (
	RouteHeader = "header" // a setHeaderRoute step's route: matching requests go to the canary
	RouteMirror = "mirror" // a setMirrorRoute step's route: the weighted split, plus a mirror to the canary
)

// ManagedRoute is an http route Argo Rollouts adds to the VirtualService at a setHeaderRoute or
// setMirrorRoute step and keeps until a later step of the same name removes it or the rollout is
// promoted (argo-rollouts rollout/trafficrouting/istio/istio.go: SetHeaderRoute, SetMirrorRoute,
// RemoveManagedRoutes).
type ManagedRoute struct {
	// Name is the route's name, one of trafficRouting.managedRoutes.
	Name string
	// Kind is RouteHeader or RouteMirror.
	Kind string
	// Match are the route's match blocks, as the controller writes them.
	Match []*networking.HTTPMatchRequest
	// MirrorPercent is a mirror route's mirrorPercentage.value (the step's percentage, 100 when it
	// has none).
	MirrorPercent float64
	// Path is the field path of the step that set the route.
	Path string
}

// argoStringMatch is Argo Rollouts' StringMatch (pkg/apis/rollouts/v1alpha1/types.go).
type argoStringMatch struct {
	Exact  string `json:"exact"`
	Prefix string `json:"prefix"`
	Regex  string `json:"regex"`
}

// argoSetHeaderRoute is a setHeaderRoute step (v1alpha1.SetHeaderRoute).
type argoSetHeaderRoute struct {
	Name  string `json:"name"`
	Match []struct {
		HeaderName  string           `json:"headerName"`
		HeaderValue *argoStringMatch `json:"headerValue"`
	} `json:"match"`
}

// argoSetMirrorRoute is a setMirrorRoute step (v1alpha1.SetMirrorRoute).
type argoSetMirrorRoute struct {
	Name  string `json:"name"`
	Match []struct {
		Method  *argoStringMatch           `json:"method"`
		Path    *argoStringMatch           `json:"path"`
		Headers map[string]argoStringMatch `json:"headers"`
	} `json:"match"`
	Percentage *int32 `json:"percentage"`
}

// istioMatch is the Istio StringMatch the controller writes for m (istio.go createHeaderRouteMatch
// and createMirrorRoute set each non-empty field); more than one set field is an error, as Argo's
// validation (hasMultipleMatchValues) and Istio's oneof reject it. None set is an empty match.
func istioMatch(m argoStringMatch) (*networking.StringMatch, error) {
	var out []*networking.StringMatch
	if m.Exact != "" {
		out = append(out, &networking.StringMatch{MatchType: &networking.StringMatch_Exact{Exact: m.Exact}})
	}
	if m.Prefix != "" {
		out = append(out, &networking.StringMatch{MatchType: &networking.StringMatch_Prefix{Prefix: m.Prefix}})
	}
	if m.Regex != "" {
		out = append(out, &networking.StringMatch{MatchType: &networking.StringMatch_Regex{Regex: m.Regex}})
	}
	switch len(out) {
	case 0:
		return &networking.StringMatch{}, nil
	case 1:
		return out[0], nil
	}
	return nil, fmt.Errorf("StringMatch match value must have exactly one of the following: exact, regex, prefix")
}

// checkManaged checks, as Argo's validation does (pkg/apis/rollouts/validation/validation.go,
// ValidateRolloutStrategyCanary and ValidateStepRouteFoundInManagedRoute), that the Rollout lists
// managedRoutes and that the step's route is one of them.
func (a *argoWalk) checkManaged(path, field, name string) error {
	if a.c.TrafficRouting.ManagedRoutes == nil {
		return a.d.Errorf("spec.strategy.canary.trafficRouting.managedRoutes", "missing: a %s step needs the route listed in trafficRouting.managedRoutes (Argo: \"Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'\")", field)
	}
	for _, m := range a.c.TrafficRouting.ManagedRoutes {
		if m.Name == name {
			return nil
		}
	}
	return a.d.Errorf(path+"."+field, "%q: Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes", name)
}

// setHeaderRoute reads a setHeaderRoute step: the route of that name is removed, and with a match
// (istio.go reconcileVirtualServiceHeaderRoutes, createHeaderRoute) put back as a route whose
// match blocks test one header each and which sends everything to the canary. A step without
// match only removes the route.
func (a *argoWalk) setHeaderRoute(path string, raw json.RawMessage) error {
	var h argoSetHeaderRoute
	if err := mesh.DecodeStrict(a.d, raw, path+".setHeaderRoute", &h); err != nil {
		return err
	}
	if err := a.checkManaged(path, "setHeaderRoute", h.Name); err != nil {
		return err
	}
	if h.Match == nil {
		a.setRoute(h.Name, nil)
		return nil
	}
	r := &ManagedRoute{Name: h.Name, Kind: RouteHeader, Path: path, Match: []*networking.HTTPMatchRequest{}}
	for j, m := range h.Match {
		mp := fmt.Sprintf("%s.setHeaderRoute.match[%d]", path, j)
		if m.HeaderValue == nil {
			return a.d.Errorf(mp+".headerValue", "missing: StringMatch value missed, match value must have one of the following: exact, regex, prefix")
		}
		sm, err := istioMatch(*m.HeaderValue)
		if err == nil && sm.GetMatchType() == nil {
			err = fmt.Errorf("StringMatch value missed, match value must have one of the following: exact, regex, prefix")
		}
		if err != nil {
			return a.d.Errorf(mp+".headerValue", "%v", err)
		}
		r.Match = append(r.Match, &networking.HTTPMatchRequest{Headers: map[string]*networking.StringMatch{m.HeaderName: sm}})
	}
	a.setRoute(h.Name, r)
	return nil
}

// setMirrorRoute reads a setMirrorRoute step: the route of that name is removed, and with a match
// (istio.go reconcileVirtualServiceMirrorRoutes, createMirrorRoute) put back as a route with the
// weighted destinations of the route the Rollout drives and a mirror of percentage (100 when not
// given) to the canary. A step without match only removes the route.
func (a *argoWalk) setMirrorRoute(path string, raw json.RawMessage) error {
	var m argoSetMirrorRoute
	if err := mesh.DecodeStrict(a.d, raw, path+".setMirrorRoute", &m); err != nil {
		return err
	}
	if err := a.checkManaged(path, "setMirrorRoute", m.Name); err != nil {
		return err
	}
	if m.Match == nil {
		a.setRoute(m.Name, nil)
		return nil
	}
	pct := int32(100)
	if m.Percentage != nil {
		pct = *m.Percentage
	}
	if pct < 0 || pct > 100 {
		return a.d.Errorf(path+".setMirrorRoute.percentage", "%d: Istio rejects a mirrorPercentage outside 0 to 100 (\"percentage %d is not in range 0..100\"), so the controller cannot write the route", pct, pct)
	}
	r := &ManagedRoute{Name: m.Name, Kind: RouteMirror, Path: path, MirrorPercent: float64(pct), Match: []*networking.HTTPMatchRequest{}}
	for j, rm := range m.Match {
		mr, err := mirrorMatch(rm.Method, rm.Path, rm.Headers)
		if err != nil {
			return a.d.Errorf(fmt.Sprintf("%s.setMirrorRoute.match[%d]", path, j), "%v", err)
		}
		r.Match = append(r.Match, mr)
	}
	a.setRoute(m.Name, r)
	return nil
}

// mirrorMatch is the Istio match block of one setMirrorRoute match (istio.go createMirrorRoute:
// method, path as uri, headers).
func mirrorMatch(method, path *argoStringMatch, headers map[string]argoStringMatch) (*networking.HTTPMatchRequest, error) {
	out := &networking.HTTPMatchRequest{}
	var err error
	if method != nil {
		if out.Method, err = istioMatch(*method); err != nil {
			return nil, fmt.Errorf("method: %w", err)
		}
	}
	if path != nil {
		if out.Uri, err = istioMatch(*path); err != nil {
			return nil, fmt.Errorf("path: %w", err)
		}
	}
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		sm, err := istioMatch(headers[k])
		if err != nil {
			return nil, fmt.Errorf("headers.%s: %w", k, err)
		}
		if out.Headers == nil {
			out.Headers = map[string]*networking.StringMatch{}
		}
		out.Headers[k] = sm
	}
	return out, nil
}

// setRoute removes the managed route of this name and, when r is not nil, adds r; the managed
// routes stay in the order of trafficRouting.managedRoutes, as the controller orders them
// (istio.go orderRoutes, getOrderedVirtualServiceRoutes).
func (a *argoWalk) setRoute(name string, r *ManagedRoute) {
	a.routes = slices.DeleteFunc(slices.Clone(a.routes), func(x ManagedRoute) bool { return x.Name == name })
	if r != nil {
		a.routes = append(a.routes, *r)
	}
	order := map[string]int{}
	for i, m := range a.c.TrafficRouting.ManagedRoutes {
		if _, ok := order[m.Name]; !ok {
			order[m.Name] = i
		}
	}
	sort.SliceStable(a.routes, func(i, j int) bool { return order[a.routes[i].Name] < order[a.routes[j].Name] })
}

// describeRoutes is the note of a step's managed routes: "; routes: hdr (header), mirror (mirror
// 35%)", or "" when there are none.
func describeRoutes(rs []ManagedRoute) string {
	if len(rs) == 0 {
		return ""
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%s (%s)", r.Name, r.Kind)
		if r.Kind == RouteMirror {
			parts[i] = fmt.Sprintf("%s (mirror %s%%)", r.Name, fmtPct(r.MirrorPercent))
		}
	}
	return "; managed routes: " + strings.Join(parts, ", ")
}
