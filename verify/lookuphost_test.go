package verify

import (
	"testing"

	"github.com/splitsim/splitsim/sim"
)

// --host names a table host by its name or FQDN, else the host Envoy picks for it as a request's
// authority (envoy source/common/router/config_impl.cc RouteMatcher::findVirtualHost, as
// sim.Table.Serve does): a VirtualService for "*.a.svc.cluster.local" serves svc.a and
// svc.a.svc.cluster.local; NAME.NS is NAME.NS.svc.cluster.local.
func TestLookupHostAsEnvoyPicksAVirtualHost(t *testing.T) {
	wild := &sim.Host{Name: "*.a.svc.cluster.local", FQDN: "*.a.svc.cluster.local"}
	reviews := &sim.Host{Name: "reviews", FQDN: "reviews.default.svc.cluster.local"}
	table := &sim.Table{Hosts: []*sim.Host{reviews, wild}}
	for _, tc := range []struct {
		host string
		want *sim.Host
	}{
		{"reviews", reviews},
		{"reviews.default.svc.cluster.local", reviews},
		{"svc.a.svc.cluster.local", wild},
		{"svc.a", wild},
		{"svc.b", nil},
		{"svc", nil}, // a short name needs the caller's namespace, which --host does not carry
	} {
		t.Run(tc.host, func(t *testing.T) {
			got, err := LookupHost(table, tc.host)
			if got != tc.want || (tc.want == nil) != (err != nil) {
				t.Errorf("LookupHost(%q) = %v, %v; want %v", tc.host, got, err, tc.want)
			}
		})
	}
}
