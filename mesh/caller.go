package mesh

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Caller is the proxy whose routing is simulated: the sidecar of a workload (a namespace and the
// workload's labels) or a gateway (an Istio Gateway or a Gateway API Gateway, by namespace/name).
// Istio builds each proxy's routes on its own (pilot/pkg/networking/core/httproute.go
// BuildSidecarOutboundVirtualHosts for sidecars, pilot/pkg/networking/core/gateway.go
// buildGatewayHTTPRouteConfig for gateways), so two callers can send the same request to different
// places.
type Caller struct {
	// Gateway is "namespace/name" for a gateway; empty for a sidecar.
	Gateway string
	// Namespace is the sidecar's namespace, or the gateway's.
	Namespace string
	// Labels are the sidecar workload's labels (sourceLabels matches are tested against them).
	Labels map[string]string
	// Port is the gateway port the request arrives on (0: any port the gateway serves).
	Port uint32
}

// Sidecar is the caller spec of a sidecar in namespace ns with the given labels.
func Sidecar(ns string, labels map[string]string) Caller {
	return Caller{Namespace: ns, Labels: labels}
}

// IsGateway says whether the caller is a gateway.
func (c Caller) IsGateway() bool { return c.Gateway != "" }

// String is the canonical caller spec, the form --from takes: "sidecar:NS[:K=V,...]" with labels
// sorted by key, or "gateway:NS/NAME[:PORT]".
func (c Caller) String() string {
	if c.IsGateway() {
		if c.Port != 0 {
			return "gateway:" + c.Gateway + ":" + strconv.FormatUint(uint64(c.Port), 10)
		}
		return "gateway:" + c.Gateway
	}
	s := "sidecar:" + c.Namespace
	if len(c.Labels) > 0 {
		var kv []string
		for _, k := range slices.Sorted(maps.Keys(c.Labels)) {
			kv = append(kv, k+"="+c.Labels[k])
		}
		s += ":" + strings.Join(kv, ",")
	}
	return s
}

// gatewayNames are the names match.gateways is tested against: "mesh" for a sidecar, the gateway's
// "namespace/name" for a gateway (route.go sourceMatchHTTP's gatewayNames).
func (c Caller) gatewayName() string {
	if c.IsGateway() {
		return c.Gateway
	}
	return meshGateway
}

// ParseCaller reads a caller spec: "sidecar:NAMESPACE[:LABEL=VALUE,...]" or
// "gateway:NAMESPACE/NAME[:PORT]".
func ParseCaller(s string) (Caller, error) {
	kind, rest, _ := strings.Cut(s, ":")
	switch kind {
	case "sidecar":
		ns, labels, hasLabels := strings.Cut(rest, ":")
		if err := checkDNSLabel(ns); err != nil {
			return Caller{}, fmt.Errorf("caller %q: namespace %v", s, err)
		}
		c := Caller{Namespace: ns}
		if !hasLabels {
			return c, nil
		}
		c.Labels = map[string]string{}
		for _, kv := range strings.Split(labels, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return Caller{}, fmt.Errorf("caller %q: label %q is not KEY=VALUE", s, kv)
			}
			c.Labels[k] = v
		}
		return c, nil
	case "gateway":
		name, port, hasPort := strings.Cut(rest, ":")
		ns, gw, ok := strings.Cut(name, "/")
		if !ok || gw == "" {
			return Caller{}, fmt.Errorf("caller %q: a gateway is NAMESPACE/NAME", s)
		}
		if err := checkDNSLabel(ns); err != nil {
			return Caller{}, fmt.Errorf("caller %q: namespace %v", s, err)
		}
		if err := checkDNSSubdomain(gw); err != nil {
			return Caller{}, fmt.Errorf("caller %q: gateway name %v", s, err)
		}
		c := Caller{Gateway: name, Namespace: ns}
		if hasPort {
			p, err := strconv.ParseUint(port, 10, 16)
			if err != nil || p == 0 {
				return Caller{}, fmt.Errorf("caller %q: port must be from 1 to 65535, got %q", s, port)
			}
			c.Port = uint32(p)
		}
		return c, nil
	}
	return Caller{}, fmt.Errorf("caller %q: want sidecar:NAMESPACE[:LABEL=VALUE,...] or gateway:NAMESPACE/NAME[:PORT]", s)
}

// checkDNSLabel checks a namespace name (RFC 1123 label, as Kubernetes requires).
func checkDNSLabel(s string) error {
	if s == "" {
		return fmt.Errorf("is empty")
	}
	if len(s) > 63 {
		return fmt.Errorf("%q is longer than 63 characters", s)
	}
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' && i > 0 && i < len(s)-1
		if !ok {
			return fmt.Errorf("%q is not a DNS label (lower-case letters, digits and '-')", s)
		}
	}
	return nil
}

// checkDNSSubdomain checks an object name (RFC 1123 subdomain, as Kubernetes requires of a Gateway's
// name: dot-separated DNS labels, at most 253 characters).
func checkDNSSubdomain(s string) error {
	if len(s) > 253 {
		return fmt.Errorf("%q is longer than 253 characters", s)
	}
	for _, label := range strings.Split(s, ".") {
		if err := checkDNSLabel(label); err != nil {
			return fmt.Errorf("%q is not a DNS subdomain (lower-case letters, digits, '-' and '.')", s)
		}
	}
	return nil
}
