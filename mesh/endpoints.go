package mesh

import (
	"slices"
	"strings"

	"github.com/splitsim/splitsim/sim"
)

// endpoints returns the workloads of the inputs whose pods are the Service's endpoints: in its
// namespace, with at least one replica, labels matched by its selector (Selects). A workload whose
// owner (metadata.ownerReferences) is also among the inputs is left out, its pods being counted with
// the owner's: inputs exported from a cluster (kubectl get all) list a Deployment, its ReplicaSets
// and their Pods, which are the same pods.
func (c *Config) endpoints(s *Service) []*Workload {
	present := map[string]bool{}
	for _, w := range c.Workloads {
		present[w.Namespace+"/"+w.Kind+"/"+workloadName(w)] = true
	}
	var out []*Workload
	for _, w := range c.Workloads {
		if w.Namespace == s.Namespace && w.Replicas > 0 && Selects(s.Selector, w.Labels) &&
			!slices.ContainsFunc(w.Owners, func(o string) bool { return present[w.Namespace+"/"+o] }) {
			out = append(out, w)
		}
	}
	return out
}

// workloadName is the name of the object a workload comes from: an Argo Rollout's ReplicaSets are
// named "NAME (stable)" and "NAME (canary)" (rolloutWorkloads), and object names have no spaces.
func workloadName(w *Workload) string {
	name, _, _ := strings.Cut(w.Name, " ")
	return name
}

// routed says whether a host of the view routes fqdn: one of that name, or a wildcard one that
// matches it ("*.a.svc.cluster.local"). istiod gives a VirtualService the Services its wildcard host
// matches and builds no default route for them (pilot/pkg/networking/core/route/route.go
// separateVSHostsAndServices, BuildSidecarVirtualHostWrapper).
func routed(taken map[string]bool, fqdn string) bool {
	if taken[fqdn] {
		return true
	}
	for h := range taken {
		if strings.HasPrefix(h, "*.") && wildcardMatch(h, fqdn) {
			return true
		}
	}
	return false
}

// endpointHosts returns, for a sidecar, a host for every Service of the inputs that is exported to
// the caller's namespace, has pods among the inputs' workloads, and that no VirtualService or
// HTTPRoute of the view routes (taken holds the hosts that are routed; see routed). With no route,
// the sidecar sends a request for the Service to its cluster, outbound|PORT||FQDN
// (pilot/pkg/networking/core/httproute.go BuildSidecarOutboundVirtualHosts builds a default route to
// it), and the load balancer spreads requests over all the Service's endpoints: ROUND_ROBIN and
// LEAST_REQUEST (the default) give equal-weight endpoints equal shares, so each group of pods gets
// its pod count over the total. A group is named by the DestinationRule subset the caller uses that
// selects its pods, else by its workload.
func (tr *Translation) endpointHosts(v *viewCtx, taken map[string]bool) []*sim.Host {
	var out []*sim.Host
	for _, s := range v.c.Services {
		fqdn := FQDN(s.Name, s.Namespace)
		if routed(taken, fqdn) || !exportedTo(s.ExportTo, s.Namespace, v.from.Namespace) {
			continue
		}
		pods := v.c.endpoints(s)
		if len(pods) == 0 {
			continue
		}
		name := s.Name
		if s.Namespace != v.from.Namespace {
			name += "." + s.Namespace
		}
		port := uint32(0)
		if len(s.Ports) == 1 {
			port = s.Ports[0]
		}
		act := sim.Action{Kind: sim.Forward, Endpoints: true, Note: "no route applies: endpoints of Service " + s.FullName()}
		_, subsets := v.c.subsetsFor(fqdn, s.Namespace, v.from.Namespace)
		index := map[string]int{}
		for _, w := range pods {
			group := w.Name
			for _, sub := range subsets {
				if subsetOf(sub.GetLabels(), w.Labels) {
					group = sub.GetName()
					break
				}
			}
			i, ok := index[group]
			if !ok {
				i = len(act.Destinations)
				index[group] = i
				act.Destinations = append(act.Destinations, sim.Destination{Host: name, Port: port, Status: 200,
					Cluster: ClusterName(port, "", fqdn), Endpoints: group})
			}
			d := &act.Destinations[i]
			d.Weight += int32(w.Replicas)
			d.EnvoyWeight += uint32(w.Replicas)
		}
		workloads := make([]string, len(pods))
		for i, w := range pods {
			workloads[i] = w.Resource()
		}
		rule := &sim.Rule{Index: 0, Name: "endpoints", Source: s.Source("spec.selector"), Action: act}
		tr.Origins[rule] = Origin{Doc: s.Document, Path: "spec.selector"}
		h := &sim.Host{Name: name, Rules: []*sim.Rule{rule}, Routes: []sim.Route{{Rule: 0, MatchIndex: -1}},
			DecidedBy: "no route: endpoints of Service " + s.FullName() + " (" + strings.Join(workloads, ", ") + ")"}
		h.FQDN = fqdn
		out = append(out, h)
	}
	return out
}
