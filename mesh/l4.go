package mesh

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/sim"
)

// Prefixes of the table hosts of a VirtualService's tcp and tls routes: "tcp://mongo",
// "tls://api.example.com". A request to such a host is one connection.
const (
	TCPPrefix = "tcp://"
	TLSPrefix = "tls://"
)

// l4Hosts returns the hosts of the tcp and tls routes of a group of VirtualServices for the caller:
// a sidecar uses the first VirtualService's, a gateway every one's in order. Istio builds a filter
// chain per route (pilot/pkg/networking/core/listener.go buildSidecarOutboundTCPTLSFilterChainOpts
// and gateway.go createGatewayTCPFilterChainOpts): the first route whose match applies to the
// connection takes it; a route without match takes every connection, and later routes are never used.
// A tcp match is decided per caller and listener port (port, sourceLabels, sourceNamespace,
// gateways); a tls match also by the connection's SNI (sniHosts). destinationSubnets are not
// modelled: a block that names them is taken as matching, with a warning.
func (tr *Translation) l4Hosts(v *viewCtx, g *vsGroup) []*sim.Host {
	vss := g.vss
	if !v.from.IsGateway() {
		vss = vss[:1]
	}
	if !slices.ContainsFunc(vss, func(vs *VirtualService) bool { return len(vs.Spec.GetTcp())+len(vs.Spec.GetTls()) > 0 }) {
		return nil
	}
	v.port = v.listenPort(g.fqdn)
	name := tr.hostSpelling(vss[0], g.fqdn, g.name)
	var out []*sim.Host
	if h := tr.l4Host(v, vss, TCPPrefix+name, false); h != nil {
		out = append(out, h)
	}
	if h := tr.l4Host(v, vss, TLSPrefix+name, true); h != nil {
		out = append(out, h)
	}
	for _, h := range out {
		h.FQDN = strings.SplitN(h.Name, "://", 2)[0] + "://" + g.fqdn
	}
	return out
}

// l4Host builds the host of the tcp (or tls) routes of vss, or nil when they have none.
func (tr *Translation) l4Host(v *viewCtx, vss []*VirtualService, name string, tls bool) *sim.Host {
	h := &sim.Host{Name: name}
	var names []string
	catchAll := false
	for _, vs := range vss {
		n := len(vs.Spec.GetTcp())
		if tls {
			n = len(vs.Spec.GetTls())
		}
		if n == 0 {
			continue
		}
		names = append(names, vs.FullName())
		for i := range n {
			rule, matches := tr.l4Rule(v, vs, i, tls)
			rule.Unreachable = catchAll
			h.Rules = append(h.Rules, rule)
			if catchAll {
				continue
			}
			for _, m := range matches {
				h.Routes = append(h.Routes, sim.Route{Rule: len(h.Rules) - 1, MatchIndex: m.index, Match: m.match})
				if m.match.CatchAll() {
					catchAll = true
					break
				}
			}
		}
	}
	if len(h.Rules) == 0 {
		return nil
	}
	h.DecidedBy = "VirtualService " + strings.Join(names, ", ")
	return h
}

type l4Match struct {
	index int
	match sim.Match
}

// l4Rule translates tcp or tls route i of vs: its action and the match blocks that apply to the
// caller (a route without match is one catch-all block).
func (tr *Translation) l4Rule(v *viewCtx, vs *VirtualService, i int, tls bool) (*sim.Rule, []l4Match) {
	kind, route := sim.ProtocolTCP, []*networking.RouteDestination(nil)
	var blocks []l4Block
	if tls {
		kind = sim.ProtocolTLS
		r := vs.Spec.GetTls()[i]
		route = r.GetRoute()
		for _, m := range r.GetMatch() {
			blocks = append(blocks, l4Block{m.GetPort(), m.GetSourceLabels(), m.GetSourceNamespace(), m.GetGateways(), m.GetDestinationSubnets(), m.GetSniHosts()})
		}
	} else {
		r := vs.Spec.GetTcp()[i]
		route = r.GetRoute()
		for _, m := range r.GetMatch() {
			blocks = append(blocks, l4Block{m.GetPort(), m.GetSourceLabels(), m.GetSourceNamespace(), m.GetGateways(), m.GetDestinationSubnets(), nil})
		}
	}
	p := fmt.Sprintf("spec.%s[%d]", kind, i)
	rule := &sim.Rule{Index: i, Source: vs.Source(p), Protocol: kind}
	tr.Origins[rule] = Origin{Doc: vs.Document, Path: p}
	var dests []weighted
	for _, rd := range route {
		dests = append(dests, weighted{rd.GetDestination(), rd.GetWeight()})
	}
	rule.Action = tr.forward(v, vs.Document, p, dests)
	if len(blocks) == 0 {
		return rule, []l4Match{{index: -1}}
	}
	var out []l4Match
	var skipped []string
	for j, b := range blocks {
		q := fmt.Sprintf("%s.match[%d]", p, j)
		if why := v.l4Mismatch(b, vs.Document); why != "" {
			skipped = append(skipped, fmt.Sprintf("match[%d]: %s", j, why))
			continue
		}
		if len(b.subnets) > 0 {
			tr.warnf("%s: %s: %s.destinationSubnets: not simulated; the block is taken as matching", vs.Source(q), vs.Resource(), q)
		}
		var m sim.Match
		if len(b.sni) > 0 {
			sni, err := sim.NewStringMatch(sim.Regex, sniRegex(b.sni))
			if err != nil {
				continue
			}
			m.Authority = &sni
		}
		out = append(out, l4Match{index: j, match: m})
	}
	if len(out) == 0 {
		rule.Skipped = "not for this caller: " + strings.Join(skipped, "; ")
	}
	return rule, out
}

// l4Block is the part of a tcp or tls match that decides it.
type l4Block struct {
	port            uint32
	sourceLabels    map[string]string
	sourceNamespace string
	gateways        []string
	subnets         []string
	sni             []string
}

// l4Mismatch is callerMismatch for a tcp or tls match block.
func (v *viewCtx) l4Mismatch(b l4Block, doc *Document) string {
	return v.callerMismatch(&networking.HTTPMatchRequest{Port: b.port, SourceLabels: b.sourceLabels, SourceNamespace: b.sourceNamespace, Gateways: b.gateways}, doc)
}

// sniRegex is a regular expression for SNI names matching any of hosts, where "*.suffix" matches
// any name ending in ".suffix" and "*" any name (Envoy filter chain server_names).
func sniRegex(hosts []string) string {
	var alts []string
	for _, h := range hosts {
		switch {
		case h == "*":
			alts = append(alts, ".*")
		case strings.HasPrefix(h, "*."):
			alts = append(alts, `[^.]+(\.[^.]+)*`+regexp.QuoteMeta(h[1:]))
		default:
			alts = append(alts, regexp.QuoteMeta(h))
		}
	}
	return strings.Join(alts, "|")
}
