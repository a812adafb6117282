package canary

import (
	"fmt"
	"slices"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/mesh"
)

// argoTLSRoute is one entry of a Rollout's virtualService.tlsRoutes (v1alpha1.TLSRoute).
type argoTLSRoute struct {
	Port     int64    `json:"port"`
	SNIHosts []string `json:"sniHosts"`
}

// argoTCPRoute is one entry of a Rollout's virtualService.tcpRoutes.
type argoTCPRoute struct {
	Port int64 `json:"port"`
}

// tcpRoutePort is the port searchTcpRoute reads of a tcp route: the one port its match blocks name
// (0 without match blocks or ports), -1 when they name several (the route then matches no entry).
func tcpRoutePort(r *networking.TCPRoute) int64 {
	ports := map[uint32]bool{}
	for _, m := range r.GetMatch() {
		ports[m.GetPort()] = true
	}
	switch len(ports) {
	case 0:
		return 0
	case 1:
		for p := range ports {
			return int64(p)
		}
	}
	return -1
}

// argoRouting records what the Rollout says about the routes beyond the weighted one: the order
// of trafficRouting.managedRoutes, whether virtualService.routes is omitted, and the tlsRoutes it
// drives.
func (p *Plan) argoRouting(d *mesh.Document, c *argoCanary, vs argoVirtualService, vsPath string) error {
	for _, m := range c.TrafficRouting.ManagedRoutes {
		p.managedOrder = append(p.managedOrder, m.Name)
	}
	p.routesOmitted = len(vs.Routes) == 0
	if present(vs.TLSRoutes) {
		p.tlsSelect = []argoTLSRoute{}
		if err := mesh.DecodeStrict(d, vs.TLSRoutes, vsPath+".tlsRoutes", &p.tlsSelect); err != nil {
			return err
		}
	}
	if present(vs.TCPRoutes) {
		p.tcpSelect = []argoTCPRoute{}
		if err := mesh.DecodeStrict(d, vs.TCPRoutes, vsPath+".tcpRoutes", &p.tcpSelect); err != nil {
			return err
		}
	}
	return nil
}

// tlsRoutes makes the plan drive the tls routes of a VirtualService that has no http route, the
// ones Argo Rollouts writes weights into (rollout/trafficrouting/istio/istio.go,
// getTlsRouteIndexesToPatch and searchTlsRoute: with tlsRoutes, each route whose match blocks
// name exactly one port, equal to the entry's port, and the same SNI hosts as the entry, in any
// order; without, the first tls route, which must then be the only one, ValidateTlsRoutes). The
// first is simulated, per connection, with an SNI its match accepts.
func (p *Plan) tlsRoutes(vs *mesh.VirtualService, src string) {
	p.TLS = true
	tls := vs.Spec.GetTls()
	if len(p.tlsSelect) == 0 {
		p.Rules = []int{0}
		if len(tls) > 1 {
			p.addFinding(CodeRouteMissing, SeverityError, -1, src, "VirtualService %s has %d tls routes and the Rollout names no tlsRoutes: Argo Rollouts requires exactly one (\"spec.tls[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.tlsRoutes\")", vs.Name, len(tls))
		}
	}
	for _, sel := range p.tlsSelect {
		found := false
		for i, r := range tls {
			if tlsRouteMatches(sel, r) {
				found = true
				if !slices.Contains(p.Rules, i) {
					p.Rules = append(p.Rules, i)
				}
			}
		}
		if !found {
			p.addFinding(CodeRouteMissing, SeverityError, -1, src, "tlsRoutes entry (port %d, sniHosts %s) matches no tls route of VirtualService %s: Argo Rollouts fails with \"No matching TLS routes found in the defined Virtual Service.\"", sel.Port, strings.Join(sel.SNIHosts, ", "), vs.Name)
		}
	}
	p.driveL4Routes(vs, src, "tls", func(r int) []*networking.RouteDestination { return tls[r].GetRoute() })
}

// tlsRouteMatches is searchTlsRoute's test of one tls route: its match blocks name one port (0
// when none), the entry's, and their SNI hosts, once each, are the entry's.
func tlsRouteMatches(sel argoTLSRoute, r *networking.TLSRoute) bool {
	ports := map[uint32]bool{}
	var sni []string
	for _, m := range r.GetMatch() {
		ports[m.GetPort()] = true
		for _, h := range m.GetSniHosts() {
			if !slices.Contains(sni, h) {
				sni = append(sni, h)
			}
		}
	}
	if len(ports) > 1 {
		return false // several ports: this rule "is never gonna match"
	}
	port := int64(0)
	for n := range ports {
		port = int64(n)
	}
	return port == sel.Port && sameHosts(sel.SNIHosts, sni)
}

// sameHosts is argo-rollouts utils/evaluate Equal: the same strings once both lists are sorted.
func sameHosts(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// resolveManagedCanary sets the destination of the managed routes: the DestinationRule's host
// when the Rollout names one that is in the inputs, else the canary service (istio.go
// reconcileVirtualServiceHeaderRoutes and reconcileVirtualServiceMirrorRoutes, through
// getDestinationRuleHost), with the canary subset. A Rollout with managed routes on tcp or tls
// routes is an error: the controller fails with "spec.http not found".
func (p *Plan) resolveManagedCanary(cfg *mesh.Config, d *mesh.Document, c *argoCanary, ist *argoIstio) {
	p.managedCanary = Selector{Host: c.CanaryService}
	if dr := ist.DestinationRule; dr != nil {
		p.managedCanary.Subset = dr.CanarySubsetName
		for _, x := range cfg.DestinationRules {
			if x.Name == dr.Name && x.Namespace == d.Namespace {
				p.managedCanary.Host = x.Spec.GetHost()
			}
		}
	}
	if !p.TCP && !p.TLS {
		return
	}
	for i, s := range p.Steps {
		if len(s.Routes) > 0 {
			p.addFinding(CodeRouteMissing, SeverityError, i, s.Source, "managed route %s needs an http route, but VirtualService %s has none: Argo Rollouts fails with \"spec.http not found\"; the %s routes are simulated without it", s.Routes[0].Name, p.VirtualService, map[bool]string{true: "tcp", false: "tls"}[p.TCP])
			return
		}
	}
}

// driveL4Routes ends the choice of the tcp or tls routes (kind) the plan drives: the first
// when none was picked (after the error finding that said why), the route label, an info finding
// when several are driven (the first is simulated), and an error for each that lacks the canary or
// the stable destination (argo-rollouts validateVirtualServiceRouteDestinations).
func (p *Plan) driveL4Routes(vs *mesh.VirtualService, src, kind string, route func(int) []*networking.RouteDestination) {
	if len(p.Rules) == 0 {
		p.Rules = []int{0} // simulated all the same, after the error finding
	}
	labels := make([]string, len(p.Rules))
	for i, r := range p.Rules {
		labels[i] = fmt.Sprintf("%s #%d", kind, r)
	}
	p.Route = strings.Join(labels, ", ")
	if len(p.Rules) > 1 {
		p.addFinding(CodeNotSimulated, SeverityInfo, -1, src, "the plan drives %d %s routes (%s); every one gets the same weights, and the connections of the first are simulated", len(p.Rules), kind, p.Route)
	}
	for _, r := range p.Rules {
		var hasC, hasS bool
		for _, dst := range route(r) {
			h, s := dst.GetDestination().GetHost(), dst.GetDestination().GetSubset()
			hasC = hasC || p.Canary.Matches(h, s)
			hasS = hasS || p.Stable.Matches(h, s)
		}
		if !hasC || !hasS {
			p.addFinding(CodeSubsetMissing, SeverityError, -1, vs.Source(fmt.Sprintf("spec.%s[%d]", kind, r)), "%s route %d of %s lacks the canary or the stable destination", kind, r, vs.Name)
		}
	}
}
