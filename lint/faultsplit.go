package lint

import (
	"fmt"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/mesh"
)

// faultAborts reports SPL015 for each VirtualService http rule that both aborts a share of its
// requests (fault.abort) and splits by weight (more than one destination with a weight above 0).
// Envoy's fault filter runs before the router (envoy source/extensions/filters/http/fault,
// fault_filter.cc): an aborted request never reaches the weighted clusters, so every destination
// gets its share of the forwarded requests only, and any check of the split (verify, a canary
// analysis) counts the aborts as errors of both versions alike.
func (c *checker) faultAborts(vss []*mesh.VirtualService) {
	for _, vs := range vss {
		for i, r := range vs.Spec.GetHttp() {
			abort := r.GetFault().GetAbort()
			share, ok := abortShare(abort)
			if !ok {
				continue
			}
			var parts []string
			for _, d := range r.GetRoute() {
				if d.GetWeight() > 0 {
					parts = append(parts, fmt.Sprintf("%s %d", destName(d.GetDestination()), d.GetWeight()))
				}
			}
			if len(parts) < 2 {
				continue
			}
			p := fmt.Sprintf("spec.http[%d].fault.abort", i)
			c.report("SPL015", vs.Document, p,
				"rule %s splits by weight (%s) and aborts %s of its requests with %s before the split: aborted requests never reach a destination, so each one gets its share of the other %s only, and a check of the split or of the versions' error rates (splitsim verify, a canary analysis) sees the aborts as failures of every version; remove the fault while the split is checked, or check the split on forwarded requests only",
				ruleName(r, i), strings.Join(parts, ", "), format.ShortPercent(share, 4), abortStatus(abort), format.ShortPercent(1-share, 4))
		}
	}
}

// abortShare is the share of requests a fault abort aborts, as Istio translates it (istio
// pilot/pkg/networking/core/route/route.go TranslateFault, translatePercentToFractionalPercent:
// numerator uint32(value x 10000) per million; no percentage, or no error type, aborts nothing).
// ok is false when the abort aborts nothing.
func abortShare(a *networking.HTTPFaultInjection_Abort) (float64, bool) {
	if a == nil || a.GetPercentage() == nil || a.GetErrorType() == nil {
		return 0, false
	}
	n := uint32(a.GetPercentage().GetValue() * 10000)
	if n == 0 {
		return 0, false
	}
	return min(1, float64(n)/1e6), true
}

// abortStatus names what an abort answers: "HTTP 503" or "gRPC UNAVAILABLE".
func abortStatus(a *networking.HTTPFaultInjection_Abort) string {
	if s := a.GetGrpcStatus(); s != "" {
		return "gRPC " + s
	}
	return fmt.Sprintf("HTTP %d", a.GetHttpStatus())
}

// ruleName is an http rule's name, or "#i" for an unnamed rule i.
func ruleName(r *networking.HTTPRoute, i int) string {
	if r.GetName() != "" {
		return r.GetName()
	}
	return fmt.Sprintf("#%d", i)
}
