package mesh

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	networking "istio.io/api/networking/v1"
)

// The traffic policy checks of a DestinationRule and its subsets: istio
// pkg/config/validation/validation.go validateTrafficPolicy and what it calls there and in
// agent/validation.go (ValidateTLS, ValidateLocalityLbSetting, ValidateZoneAwareLbSetting), at
// istio.io/istio v0.0.0-20260827124520-eed52ebb66ad, in Istio's order and with Istio's messages.
// Istio's warnings (deprecated fields, failover without outlier detection) are not reported.

// Topology labels (pilot/pkg/serviceregistry/util/label).
const (
	labelTopologyRegion  = "topology.kubernetes.io/region"
	labelTopologyZone    = "topology.kubernetes.io/zone"
	labelTopologySubzone = "topology.istio.io/subzone"
)

// trafficPolicy is validateTrafficPolicy for the policy at p.
func (v *validator) trafficPolicy(p string, tp *networking.TrafficPolicy) {
	if tp == nil {
		return
	}
	if tp.GetOutlierDetection() == nil && tp.GetConnectionPool() == nil && tp.GetLoadBalancer() == nil && tp.GetTls() == nil &&
		tp.GetPortLevelSettings() == nil && tp.GetTunnel() == nil && tp.GetProxyProtocol() == nil && tp.GetRetryBudget() == nil {
		v.add(p, "traffic policy must have at least one field")
		return
	}
	if tp.GetTunnel() != nil && tp.GetProxyProtocol() != nil {
		v.add(p, "tunnel and proxyProtocol must not be set together")
		return
	}
	v.outlierDetection(p+".outlierDetection", tp.GetOutlierDetection())
	v.connectionPool(p+".connectionPool", tp.GetConnectionPool())
	v.loadBalancer(p+".loadBalancer", tp.GetLoadBalancer())
	v.clientTLS(p+".tls", tp.GetTls())
	v.portTrafficPolicies(p+".portLevelSettings", tp.GetPortLevelSettings())
	if t := tp.GetTunnel(); t != nil {
		q := p + ".tunnel"
		if t.GetProtocol() != "" && t.GetProtocol() != "CONNECT" && t.GetProtocol() != "POST" {
			v.add(q+".protocol", `tunnel protocol must be "CONNECT" or "POST"`)
		}
		fqdnErr, ipErr := validateFQDN(t.GetTargetHost()), validateIPAddress(t.GetTargetHost())
		if fqdnErr != nil && ipErr != nil {
			v.add(q+".targetHost", "tunnel target host must be valid FQDN or IP address: %s; %s", fqdnErr, ipErr)
		}
		if err := validatePort(int(t.GetTargetPort())); err != nil {
			v.add(q+".targetPort", "tunnel target port is invalid: %s", err)
		}
	}
	if pp := tp.GetProxyProtocol(); pp != nil && pp.GetVersion() != 0 && pp.GetVersion() != 1 {
		v.add(p+".proxyProtocol.version", "proxy protocol version is invalid: %d", pp.GetVersion())
	}
}

// outlierDetection is validateOutlierDetection.
func (v *validator) outlierDetection(p string, o *networking.OutlierDetection) {
	if o == nil {
		return
	}
	if o.GetBaseEjectionTime() != nil {
		v.check(p+".baseEjectionTime", validateDuration(o.GetBaseEjectionTime()))
	}
	if !o.GetSplitExternalLocalOriginErrors() && o.GetConsecutiveLocalOriginFailures().GetValue() > 0 {
		v.add(p+".consecutiveLocalOriginFailures", "outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false")
	}
	if o.GetInterval() != nil {
		v.check(p+".interval", validateDuration(o.GetInterval()))
	}
	v.percent(p+".maxEjectionPercent", o.GetMaxEjectionPercent())
	v.percent(p+".minHealthPercent", o.GetMinHealthPercent())
}

// percent is validation.go ValidatePercent.
func (v *validator) percent(p string, x int32) {
	if x < 0 || x > 100 {
		v.add(p, "percentage %v is not in range 0..100", x)
	}
}

// connectionPool is validateConnectionPool.
func (v *validator) connectionPool(p string, cp *networking.ConnectionPoolSettings) {
	if cp == nil {
		return
	}
	if cp.GetHttp() == nil && cp.GetTcp() == nil {
		v.add(p, "connection pool must have at least one field")
		return
	}
	if h := cp.GetHttp(); h != nil {
		v.httpPool(p+".http", h)
	}
	if t := cp.GetTcp(); t != nil {
		v.tcpPool(p+".tcp", t)
	}
}

// httpPool is the HTTP half of validateConnectionPool, for settings h at q.
func (v *validator) httpPool(q string, h *networking.ConnectionPoolSettings_HTTPSettings) {
	if h.GetHttp1MaxPendingRequests() < 0 {
		v.add(q+".http1MaxPendingRequests", "http1 max pending requests must be non-negative")
	}
	if h.GetHttp2MaxRequests() < 0 {
		v.add(q+".http2MaxRequests", "http2 max requests must be non-negative")
	}
	if h.GetMaxRequestsPerConnection() < 0 {
		v.add(q+".maxRequestsPerConnection", "max requests per connection must be non-negative")
	}
	if h.GetMaxRetries() < 0 {
		v.add(q+".maxRetries", "max retries must be non-negative")
	}
	if h.GetIdleTimeout() != nil {
		v.check(q+".idleTimeout", validateDuration(h.GetIdleTimeout()))
	}
	if h.GetH2UpgradePolicy() == networking.ConnectionPoolSettings_HTTPSettings_UPGRADE && h.GetUseClientProtocol() {
		v.add(q+".useClientProtocol", "use client protocol must not be true when H2UpgradePolicy is UPGRADE")
	}
	if h.GetMaxConcurrentStreams() < 0 {
		v.add(q+".maxConcurrentStreams", "max concurrent streams must be non-negative")
	}
	if ka := h.GetHttp2KeepAlive(); ka != nil {
		v.http2KeepAlive(q+".http2KeepAlive", ka)
	}
}

// http2KeepAlive checks HTTP/2 keepalive settings ka at r: an interval and a timeout, each a
// valid duration.
func (v *validator) http2KeepAlive(r string, ka *networking.ConnectionPoolSettings_HTTPSettings_ConnectionKeepalive) {
	if ka.GetInterval() == nil {
		v.add(r, "http2 keepalive interval is required")
	} else {
		v.check(r+".interval", validateDuration(ka.GetInterval()))
	}
	if ka.GetTimeout() == nil {
		v.add(r, "http2 keepalive timeout is required")
	} else {
		v.check(r+".timeout", validateDuration(ka.GetTimeout()))
	}
}

// tcpPool is the TCP half of validateConnectionPool, for settings t at q.
func (v *validator) tcpPool(q string, t *networking.ConnectionPoolSettings_TCPSettings) {
	if t.GetMaxConnections() < 0 {
		v.add(q+".maxConnections", "max connections must be non-negative")
	}
	if t.GetConnectTimeout() != nil {
		v.check(q+".connectTimeout", validateDuration(t.GetConnectTimeout()))
	}
	if t.GetMaxConnectionDuration() != nil {
		v.check(q+".maxConnectionDuration", validateDuration(t.GetMaxConnectionDuration()))
	}
	// An idle timeout of 0 (to the millisecond) disables it.
	if t.GetIdleTimeout() != nil && t.GetIdleTimeout().AsDuration().Milliseconds() != 0 {
		v.check(q+".idleTimeout", validateDuration(t.GetIdleTimeout()))
	}
	if ka := t.GetTcpKeepalive(); ka != nil {
		if ka.GetTime() != nil {
			v.check(q+".tcpKeepalive.time", validateDuration(ka.GetTime()))
		}
		if ka.GetInterval() != nil {
			v.check(q+".tcpKeepalive.interval", validateDuration(ka.GetInterval()))
		}
	}
}

// loadBalancer is validateLoadBalancer.
func (v *validator) loadBalancer(p string, lb *networking.LoadBalancerSettings) {
	if lb == nil {
		return
	}
	if ch := lb.GetConsistentHash(); ch != nil {
		q := p + ".consistentHash"
		cookie := ch.GetHttpCookie()
		if cookie != nil && cookie.GetName() == "" {
			v.add(q+".httpCookie.name", "name required for HttpCookie")
		}
		if cookie != nil && len(cookie.GetAttributes()) > 0 {
			names := map[string]bool{}
			for i, a := range cookie.GetAttributes() {
				r := fmt.Sprintf("%s.httpCookie.attributes[%d].name", q, i)
				switch {
				case a.GetName() == "":
					v.add(r, "cookie attribute name cannot be empty")
				case names[a.GetName()]:
					v.add(r, "duplicate cookie attribute name: %s", a.GetName())
				default:
					names[a.GetName()] = true
				}
			}
		}
		//lint:ignore SA1019 minimumRingSize is deprecated, and Istio still validates it.
		if ch.GetMinimumRingSize() != 0 && ch.GetHashAlgorithm() != nil {
			v.add(q, "only one of MinimumRingSize or Maglev/Ringhash can be specified")
		}
		if ml := ch.GetMaglev(); ml != nil {
			r := q + ".maglev.tableSize"
			if ml.GetTableSize() == 0 {
				v.add(r, "tableSize must be set for maglev")
			}
			if ml.GetTableSize() >= 5000011 {
				v.add(r, "tableSize must be less than 5000011 for maglev")
			}
			if !isPrime(ml.GetTableSize()) {
				v.add(r, "tableSize must be a prime number for maglev")
			}
		}
	}
	if lb.GetLocalityLbSetting() != nil && lb.GetZoneAwareLbSetting() != nil {
		v.add(p, "only one of localityLbSetting and zoneAwareLbSetting can be set")
	}
	v.localityLbSetting(p+".localityLbSetting", lb.GetLocalityLbSetting())
	v.zoneAwareLbSetting(p+".zoneAwareLbSetting", lb.GetZoneAwareLbSetting())
	if w := lb.GetWarmup(); w != nil {
		q := p + ".warmup"
		if w.GetDuration() == nil {
			v.add(q+".duration", "duration is required")
		} else {
			v.check(q+".duration", validateDuration(w.GetDuration()))
		}
		if w.GetMinimumPercent().GetValue() > 100 {
			v.add(q+".minimumPercent", "minimumPercent value should be less than or equal to 100")
		}
		if w.GetAggression() != nil && w.GetAggression().GetValue() <= 0 {
			v.add(q+".aggression", "aggression should be greater than 0")
		}
	}
}

// isPrime is Istio's copy of Envoy's (source/common/common/utility.cc).
func isPrime(x uint64) bool {
	if x != 0 && x < 4 {
		return true
	} else if x&1 == 0 {
		return false
	}
	limit := uint64(math.Sqrt(float64(x)))
	for factor := uint64(3); factor <= limit; factor += 2 {
		if x%factor == 0 {
			return false
		}
	}
	return true
}

// localityLbSetting is agent.ValidateLocalityLbSetting, which stops at some problems as Istio's does.
func (v *validator) localityLbSetting(p string, lb *networking.LocalityLoadBalancerSetting) {
	if lb == nil {
		return
	}
	if len(lb.GetDistribute()) > 0 && len(lb.GetFailover()) > 0 {
		v.add(p, "can not simultaneously specify 'distribute' and 'failover'")
		return
	}
	if len(lb.GetFailover()) > 0 {
		for i, l := range lb.GetFailoverPriority() {
			switch l {
			case labelTopologyRegion, labelTopologyZone, labelTopologySubzone:
				v.add(fmt.Sprintf("%s.failoverPriority[%d]", p, i), "can not simultaneously set 'failover' and topology label '%s' in 'failover_priority'", l)
				return
			}
		}
	}
	var src []string
	for i, d := range lb.GetDistribute() {
		q := fmt.Sprintf("%s.distribute[%d]", p, i)
		src = append(src, d.GetFrom())
		var total uint32
		var dst []string
		for _, loc := range slices.Sorted(maps.Keys(d.GetTo())) {
			dst = append(dst, loc)
			w := d.GetTo()[loc]
			if w <= 0 || w > 100 {
				v.add(q+".to."+loc, "locality weight must be in range [1, 100]")
				return
			}
			total += w
		}
		if total != 100 {
			v.add(q+".to", "total locality weight %v != 100", total)
			return
		}
		v.check(q+".to", validateLocalities(dst))
	}
	v.check(p+".distribute", validateLocalities(src))
	for i, f := range lb.GetFailover() {
		q := fmt.Sprintf("%s.failover[%d]", p, i)
		if f.GetFrom() == f.GetTo() {
			v.add(q, "locality lb failover settings must specify different regions")
		}
		if strings.Contains(f.GetFrom(), "/") || strings.Contains(f.GetTo(), "/") {
			v.add(q, "locality lb failover only specify region")
		}
		if strings.Contains(f.GetTo(), "*") || strings.Contains(f.GetFrom(), "*") {
			v.add(q, "locality lb failover region should not contain '*' wildcard")
		}
	}
}

// zoneAwareLbSetting is agent.ValidateZoneAwareLbSetting.
func (v *validator) zoneAwareLbSetting(p string, lb *networking.ZoneAwareLoadBalancerSetting) {
	if lb == nil {
		return
	}
	for i, l := range lb.GetFailoverPriority() {
		switch l {
		case labelTopologyRegion, labelTopologyZone, labelTopologySubzone:
			v.add(fmt.Sprintf("%s.failoverPriority[%d]", p, i),
				"'failover_priority' for zone aware lb must not use topology label '%s'; region- and zone-level routing are handled automatically", l)
		}
	}
	for i, f := range lb.GetFailover() {
		q := fmt.Sprintf("%s.failover[%d]", p, i)
		if f.GetFrom() == f.GetTo() {
			v.add(q, "zone aware lb failover settings must specify different regions")
		}
		if strings.Contains(f.GetFrom(), "/") || strings.Contains(f.GetTo(), "/") {
			v.add(q, "zone aware lb failover only specifies region; zone and subzone failover are handled automatically")
		}
		if strings.Contains(f.GetTo(), "*") || strings.Contains(f.GetFrom(), "*") {
			v.add(q, "zone aware lb failover region should not contain '*' wildcard")
		}
	}
}

// validateLocalities is agent.validateLocalities: region[/zone[/subzone]] names, a '*' only at the
// end, none overlapping another.
func validateLocalities(localities []string) error {
	seen := map[string]map[string]map[string]bool{}
	for _, loc := range localities {
		if n := strings.Count(loc, "*"); n > 0 && (n > 1 || !strings.HasSuffix(loc, "*")) {
			return fmt.Errorf("locality %s wildcard '*' number can not exceed 1 and must be in the end", loc)
		}
		overlap := fmt.Errorf("locality %s overlap with previous specified ones", loc)
		if _, ok := seen["*"]; ok {
			return overlap
		}
		items := strings.SplitN(loc, "/", 3)
		if slices.Contains(items, "") {
			return fmt.Errorf("locality %s must not contain empty region/zone/subzone info", loc)
		}
		region := items[0]
		switch len(items) {
		case 1:
			if _, ok := seen[region]; ok {
				return overlap
			}
			seen[region] = map[string]map[string]bool{"*": {"*": true}}
		case 2:
			zone := items[1]
			zones, ok := seen[region]
			if !ok {
				seen[region] = map[string]map[string]bool{zone: {"*": true}}
				continue
			}
			if _, ok := zones["*"]; ok {
				return overlap
			}
			if _, ok := zones[zone]; ok {
				return overlap
			}
			zones[zone] = map[string]bool{"*": true}
		case 3:
			zone, subzone := items[1], items[2]
			zones, ok := seen[region]
			if !ok {
				seen[region] = map[string]map[string]bool{zone: {subzone: true}}
				continue
			}
			if _, ok := zones["*"]; ok {
				return overlap
			}
			subzones, ok := zones[zone]
			if !ok {
				zones[zone] = map[string]bool{subzone: true}
				continue
			}
			if subzones["*"] || subzones[subzone] {
				return overlap
			}
			subzones[subzone] = true
		}
	}
	return nil
}

// clientTLS is agent.ValidateTLS for the DestinationRule's namespace.
func (v *validator) clientTLS(p string, t *networking.ClientTLSSettings) {
	if t == nil {
		return
	}
	ns := v.doc.Namespace
	if name, ok := strings.CutPrefix(t.GetCredentialName(), "configmap://"); ok {
		parts := strings.Split(name, "/")
		var err error
		switch {
		case len(parts) <= 1:
			err = fmt.Errorf("invalid resource name %q. Expected namespace and name", t.GetCredentialName())
		case parts[0] == "":
			err = fmt.Errorf("invalid resource name %q. Expected namespace", t.GetCredentialName())
		case parts[1] == "":
			err = fmt.Errorf("invalid resource name %q. Expected name", t.GetCredentialName())
		}
		if err != nil {
			v.add(p+".credentialName", "invalid configmap:// credentialName: %v", err)
		} else if parts[0] != ns || ns == "" {
			v.add(p+".credentialName", "invalid configmap:// credentialName: namespace must match the configuration namespace %q", ns)
		}
	}
	simple, mutual := t.GetMode() == networking.ClientTLSSettings_SIMPLE, t.GetMode() == networking.ClientTLSSettings_MUTUAL
	if t.GetInsecureSkipVerify().GetValue() {
		if simple && (t.GetCaCertificates() != "" || t.GetCredentialName() != "" || t.GetSubjectAltNames() != nil) {
			v.add(p+".insecureSkipVerify", "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true")
		}
		if mutual && (t.GetCaCertificates() != "" || t.GetSubjectAltNames() != nil) {
			v.add(p+".insecureSkipVerify", "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true")
		}
	}
	if (simple || mutual) && t.GetCredentialName() != "" {
		if t.GetClientCertificate() != "" || t.GetCaCertificates() != "" || t.GetPrivateKey() != "" || t.GetCaCrl() != "" {
			v.add(p+".credentialName", "cannot specify client certificates or CA certificate or CA CRL If credentialName is set")
		}
		return
	}
	if mutual {
		if t.GetClientCertificate() == "" {
			v.add(p+".clientCertificate", "client certificate required for mutual tls")
		}
		if t.GetPrivateKey() == "" {
			v.add(p+".privateKey", "private key required for mutual tls")
		}
	}
}

// portTrafficPolicies is validatePortTrafficPolicies.
func (v *validator) portTrafficPolicies(p string, pls []*networking.TrafficPolicy_PortTrafficPolicy) {
	for i, t := range pls {
		q := fmt.Sprintf("%s[%d]", p, i)
		if t == nil {
			v.add(q, "traffic policy may not be null")
			continue
		}
		if t.GetPort() == nil {
			v.add(q+".port", "portTrafficPolicy must have valid port")
		}
		if t.GetOutlierDetection() == nil && t.GetConnectionPool() == nil && t.GetLoadBalancer() == nil && t.GetTls() == nil {
			v.add(q, "port traffic policy must have at least one field")
			continue
		}
		v.outlierDetection(q+".outlierDetection", t.GetOutlierDetection())
		v.connectionPool(q+".connectionPool", t.GetConnectionPool())
		v.loadBalancer(q+".loadBalancer", t.GetLoadBalancer())
		v.clientTLS(q+".tls", t.GetTls())
	}
}
