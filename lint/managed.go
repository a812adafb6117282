package lint

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/mesh"
)

// manager is an Argo Rollouts Rollout or a Flagger Canary of the inputs that sets the weights of
// some destinations of a VirtualService: a weight of 0 there is the controller's doing (between
// rollouts the canary gets 0), not a mistake to fix.
type manager struct {
	// who is "Rollout default/rollouts-demo" or "Canary test/podinfo"; field is the field of its
	// document that names the VirtualService; tool is "Argo Rollouts" or "Flagger".
	who, field, tool string
	doc              *mesh.Document
	// routes are the names of the http routes it drives; with none, Argo drives the first unnamed
	// route; all means every http route (Flagger).
	routes []string
	// mirrorRoutes are the managedRoutes, driven too when they mirror.
	mirrorRoutes []string
	all          bool
	services     []string // short host names it sets the weight of
	subsets      []string // subsets it sets the weight of
}

// managers indexes the managers of the inputs by the VirtualService they drive ("namespace/name").
type managers map[string][]*manager

// newManagers reads the Rollouts and Canaries of cfg.Others.
func newManagers(cfg *mesh.Config) managers {
	out := managers{}
	for _, d := range cfg.Others {
		switch {
		case canary.IsRollout(d):
			out.addRollout(d)
		case canary.IsCanary(d):
			out.addCanary(d)
		}
	}
	return out
}

// argoRolloutRouting is what a Rollout says about the VirtualService routes it drives (argo-rollouts
// pkg/apis/rollouts/v1alpha1/types.go: CanaryStrategy, IstioTrafficRouting).
type argoRolloutRouting struct {
	Spec struct {
		Strategy struct {
			Canary *struct {
				CanaryService  string `json:"canaryService"`
				StableService  string `json:"stableService"`
				TrafficRouting *struct {
					Istio *struct {
						VirtualService  *argoVSRef  `json:"virtualService"`
						VirtualServices []argoVSRef `json:"virtualServices"`
						DestinationRule *struct {
							CanarySubsetName string `json:"canarySubsetName"`
							StableSubsetName string `json:"stableSubsetName"`
						} `json:"destinationRule"`
					} `json:"istio"`
					ManagedRoutes []struct {
						Name string `json:"name"`
					} `json:"managedRoutes"`
				} `json:"trafficRouting"`
			} `json:"canary"`
		} `json:"strategy"`
	} `json:"spec"`
}

type argoVSRef struct {
	Name   string   `json:"name"`
	Routes []string `json:"routes"`
}

// addRollout adds the VirtualServices an Argo Rollout drives. Which destinations' weights it sets
// follows the controller (argo-rollouts rollout/trafficrouting/istio/istio.go): in each route it
// drives (the named routes; with none, the first unnamed http route, getHttpRouteIndexesToPatch;
// plus the managedRoutes that mirror), processRoutes sets every destination whose host, up to its
// first dot, is the canary or stable Service, or whose subset is the canary or stable subset of
// the DestinationRule. A VirtualService named "name.namespace" is in that namespace
// (istioutil.GetVirtualServiceNamespaceName).
func (m managers) addRollout(d *mesh.Document) {
	var ro argoRolloutRouting
	if json.Unmarshal(d.JSON, &ro) != nil {
		return
	}
	c := ro.Spec.Strategy.Canary
	if c == nil || c.TrafficRouting == nil || c.TrafficRouting.Istio == nil {
		return
	}
	ist := c.TrafficRouting.Istio
	const base = "spec.strategy.canary.trafficRouting.istio"
	refs := ist.VirtualServices
	field := func(i int) string { return fmt.Sprintf("%s.virtualServices[%d].name", base, i) }
	if ist.VirtualService != nil {
		refs = []argoVSRef{*ist.VirtualService}
		field = func(int) string { return base + ".virtualService.name" }
	}
	var services, subsets []string
	for _, s := range []string{c.CanaryService, c.StableService} {
		if s != "" {
			services = append(services, s)
		}
	}
	if dr := ist.DestinationRule; dr != nil {
		for _, s := range []string{dr.CanarySubsetName, dr.StableSubsetName} {
			if s != "" {
				subsets = append(subsets, s)
			}
		}
	}
	for i, ref := range refs {
		if ref.Name == "" {
			continue
		}
		name, ns := ref.Name, d.Namespace
		if n, other, ok := strings.Cut(ref.Name, "."); ok {
			name, ns = n, other
		}
		var mirrors []string
		for _, r := range c.TrafficRouting.ManagedRoutes {
			mirrors = append(mirrors, r.Name)
		}
		m[ns+"/"+name] = append(m[ns+"/"+name], &manager{who: "Rollout " + d.FullName(), field: field(i), tool: "Argo Rollouts",
			doc: d, routes: ref.Routes, mirrorRoutes: mirrors, services: services, subsets: subsets})
	}
}

// flaggerCanaryTarget is what a Flagger Canary says about the VirtualService it generates (flagger
// pkg/apis/flagger/v1beta1/canary.go).
type flaggerCanaryTarget struct {
	Spec struct {
		Provider  string `json:"provider"`
		TargetRef struct {
			Name string `json:"name"`
		} `json:"targetRef"`
		Service struct {
			Name string `json:"name"`
		} `json:"service"`
	} `json:"spec"`
}

// addCanary adds the VirtualService a Flagger Canary with the Istio provider generates and keeps
// (flagger pkg/router/istio.go reconcileVirtualService): named after the Service (spec.service.name,
// else spec.targetRef.name) in the Canary's namespace, every http route split between
// NAME-primary and NAME-canary, whose weights Flagger sets.
func (m managers) addCanary(d *mesh.Document) {
	var c flaggerCanaryTarget
	if json.Unmarshal(d.JSON, &c) != nil {
		return
	}
	if p := c.Spec.Provider; p != "" && p != "istio" {
		return
	}
	apex, field := c.Spec.TargetRef.Name, "spec.targetRef.name"
	if c.Spec.Service.Name != "" {
		apex, field = c.Spec.Service.Name, "spec.service.name"
	}
	if apex == "" {
		return
	}
	key := d.Namespace + "/" + apex
	m[key] = append(m[key], &manager{who: "Canary " + d.FullName(), field: field, tool: "Flagger", doc: d, all: true,
		services: []string{apex + "-primary", apex + "-canary"}})
}

// managerOf returns the manager that sets the weight of destination dst of http rule i of vs, or
// nil.
func (m managers) managerOf(vs *mesh.VirtualService, i int, dst *networking.Destination) *manager {
	for _, mg := range m[vs.Namespace+"/"+vs.Name] {
		if mg.drives(vs.Spec.GetHttp(), i) && mg.sets(dst) {
			return mg
		}
	}
	return nil
}

// drives reports whether the manager drives http route i: Argo's generateVirtualServicePatches
// drives the named routes and the managedRoutes that have a mirror; without any, the first unnamed
// route (getHttpRouteIndexesToPatch).
func (mg *manager) drives(routes []*networking.HTTPRoute, i int) bool {
	if mg.all {
		return true
	}
	names := map[string]bool{}
	for _, n := range mg.routes {
		names[n] = true
	}
	for _, r := range routes {
		if r.GetMirror() != nil && slices.Contains(mg.mirrorRoutes, r.GetName()) {
			names[r.GetName()] = true
		}
	}
	if len(names) > 0 {
		return names[routes[i].GetName()]
	}
	for j, r := range routes {
		if r.GetName() == "" {
			return j == i
		}
	}
	return false
}

// sets reports whether the manager sets the weight of a destination (processRoutes: the host up to
// its first dot is one of its Services, or the subset one of its subsets).
func (mg *manager) sets(dst *networking.Destination) bool {
	host := dst.GetHost()
	if i := strings.IndexByte(host, '.'); i >= 0 {
		host = host[:i]
	}
	for _, s := range mg.services {
		if host == s {
			return true
		}
	}
	sub := dst.GetSubset()
	for _, s := range mg.subsets {
		if sub != "" && sub == s {
			return true
		}
	}
	return false
}

// describe says who manages the destination, for the SPL014 message.
func (mg *manager) describe() string {
	return fmt.Sprintf("%s (%s, %s)", mg.who, mg.tool, mg.doc.Source(mg.field))
}
