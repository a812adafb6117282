package lint

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/splitsim/splitsim/mesh"
)

// gatewayChecksSkipped reports SPL017 once when the inputs hold no networking.istio.io Gateway but
// VirtualServices name gateways (other than mesh and Gateway API Gateways' internal names): Istio's
// GatewayAnalyzer (analyzers/virtualservice/gateways.go) would report IST0101 "Referenced gateway not
// found" for each one missing from the cluster; gatewaysNotFound checks them only against Gateways
// of the inputs. The finding is on the last such reference, naming the gateways.
func (c *checker) gatewayChecksSkipped(vss []*mesh.VirtualService) {
	var names []string
	var last *mesh.VirtualService
	var at string
	for _, vs := range vss {
		for i, name := range vs.Spec.GetGateways() {
			if name == "mesh" || strings.Contains(name, internalGatewayMarker) {
				continue
			}
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
			last, at = vs, fmt.Sprintf("spec.gateways[%d]", i)
		}
	}
	if last == nil {
		return
	}
	c.report("SPL017", last.Document, at, "the inputs hold no networking.istio.io Gateway, so the gateways the VirtualServices name (%s) were not checked; istioctl analyze would report IST0101 \"Referenced gateway not found\" for each one it cannot find in the cluster. Add the Gateways to the inputs to check them",
		strings.Join(firstFew(names, 5), ", "))
}

// selectorChecksSkipped reports SPL017 once when the inputs hold Gateways but no Pod or workload:
// Istio's IngressGatewayPortAnalyzer (analyzers/gateway/gateway.go) would report IST0101
// "Referenced selector not found" for each Gateway whose selector matches no pod of the cluster;
// selectorsNotFound checks them only against the inputs' workloads (and the default ingress
// gateway's labels). The finding is on the last Gateway's selector, naming the selectors.
func (c *checker) selectorChecksSkipped(gateways []*mesh.IstioGateway) {
	var sels []string
	var last *mesh.IstioGateway
	var at string
	for _, g := range gateways {
		sel := g.Spec.GetSelector()
		keys := slices.Sorted(maps.Keys(sel))
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+"="+sel[k])
		}
		if s := strings.Join(parts, ","); !slices.Contains(sels, s) {
			sels = append(sels, s)
		}
		last, at = g, "spec.selector"
		if len(keys) > 0 {
			at += "." + keys[0]
		}
	}
	if last == nil {
		return
	}
	c.report("SPL017", last.Document, at, "the inputs hold no Pod and no workload (Deployment, StatefulSet, ReplicaSet, Rollout), so the selectors of the Gateways (%s) were not checked; istioctl analyze would report IST0101 \"Referenced selector not found\" for each one that selects no pod in the cluster. Add the gateway's Deployment to the inputs to check them",
		strings.Join(firstFew(sels, 5), ", "))
}

// firstFew is the first n of names, then "and K more" when there are more.
func firstFew(names []string, n int) []string {
	if len(names) <= n {
		return names
	}
	return append(slices.Clone(names[:n]), fmt.Sprintf("and %d more", len(names)-n))
}
