package mesh

import (
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// tcp and tls routes of a VirtualService, as istiod builds their filter chains
// (pilot/pkg/networking/core/listener.go buildSidecarOutboundTCPTLSFilterChainOpts,
// networkfilter.go buildOutboundNetworkFilters: one destination is a plain cluster, several are
// weighted clusters without the zero weights): the first route whose match applies to the connection
// takes it, by port and caller for tcp and by SNI too for tls.
func TestTCPAndTLSRoutes(t *testing.T) {
	cfg := &Config{}
	err := cfg.Add("l4.yaml", []byte(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: mongo}
spec:
  hosts: [mongo]
  tcp:
  - match: [{port: 27018}]
    route: [{destination: {host: mongo, subset: v3}}]
  - route:
    - {destination: {host: mongo, subset: v1}, weight: 70}
    - {destination: {host: mongo, subset: v2}, weight: 30}
    - {destination: {host: mongo, subset: v3}, weight: 0}
  - route: [{destination: {host: mongo, subset: v3}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api}
spec:
  hosts: ["*.example.com"]
  gateways: [istio-system/gw]
  tls:
  - match: [{sniHosts: [a.example.com]}]
    route: [{destination: {host: a}}]
  - match: [{sniHosts: ["*.example.com"]}]
    route: [{destination: {host: b}, weight: 90}, {destination: {host: c}, weight: 10}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: mongo}
spec: {host: mongo, subsets: [{name: v1}, {name: v2}, {name: v3}]}
---
apiVersion: v1
kind: Service
metadata: {name: mongo}
spec: {ports: [{port: 27017}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := TranslateFrom(cfg, Sidecar("default", nil))
	if err != nil {
		t.Fatal(err)
	}
	tcp := tr.Table.Lookup("tcp://mongo")
	if tcp == nil {
		t.Fatalf("no tcp host in %v", tr.Table.Hosts)
	}
	// The port-27018 route does not apply on the Service's port 27017; the catch-all takes every
	// connection; the route after it is never used.
	if tcp.Rules[0].Skipped == "" || !tcp.Rules[2].Unreachable || len(tcp.Routes) != 1 || tcp.Routes[0].Rule != 1 {
		t.Fatalf("tcp rules %+v routes %+v", tcp.Rules, tcp.Routes)
	}
	if got := tcp.Rules[1].Action.Shares(); got[0] != 0.7 || got[1] != 0.3 || got[2] != 0 {
		t.Errorf("tcp shares %v", got)
	}
	gw, err := TranslateFrom(cfg, Caller{Gateway: "istio-system/gw", Namespace: "istio-system"})
	if err != nil {
		t.Fatal(err)
	}
	tls := gw.Table.Lookup("tls://*.example.com")
	if tls == nil {
		t.Fatalf("no tls host in %v", gw.Table.Hosts)
	}
	for _, tc := range []struct {
		sni  string
		rule int
	}{{"a.example.com", 0}, {"b.example.com", 1}, {"x.y.example.com", 1}, {"example.org", -1}} {
		req := sim.Request{Authority: tc.sni}
		got := -1
		if i := tls.Route(&req); i >= 0 {
			got = tls.Routes[i].Rule
		}
		if got != tc.rule {
			t.Errorf("SNI %s: rule %d, want %d", tc.sni, got, tc.rule)
		}
	}
}
