package mesh

import (
	"strings"
	"testing"
	"time"
)

// Durations as the Kubernetes API server and Istio take them (the Istio CRDs' duration fields accept
// Go durations; istio.io's circuit-breaking task writes baseEjectionTime: 3m), as well as protojson's
// seconds form.
func TestDurations(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  time.Duration
		err   string
	}{
		{"10s", 10 * time.Second, ""},
		{"1.5s", 1500 * time.Millisecond, ""},
		{"3m", 3 * time.Minute, ""},
		{"1h30m", 90 * time.Minute, ""},
		{"8ms", 8 * time.Millisecond, ""},
		{"3 minutes", 0, `spec.trafficPolicy.outlierDetection.baseEjectionTime: invalid duration "3 minutes"`},
		{"1d", 0, `invalid duration "1d"`},
	} {
		t.Run(tc.value, func(t *testing.T) {
			c := &Config{}
			err := c.Add("dr.yaml", []byte(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: httpbin}
spec:
  host: httpbin
  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 1, baseEjectionTime: "`+tc.value+`"}
`))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := c.DestinationRules[0].Spec.GetTrafficPolicy().GetOutlierDetection().GetBaseEjectionTime().AsDuration()
			if got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// YAML nulls in a list or map of messages are empty messages, as istiod's decoder reads them
// (golang/protobuf jsonpb): validation then names what is missing (validation.go
// validateHTTPRouteDestinations "destination is required"; a null header match is accepted).
func TestNullMessages(t *testing.T) {
	for _, tc := range []struct {
		name, http, err string
	}{
		{"null route entry", "  - route: [null, {destination: {host: reviews}}]\n", "destination is required"},
		{"null header match", "  - match: [{headers: {x: null}}]\n    route: [{destination: {host: reviews}}]\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := (&Config{}).Add("n.yaml", []byte("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [reviews]\n  http:\n"+tc.http))
			switch {
			case tc.err == "" && err != nil:
				t.Fatal(err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want %q", err, tc.err)
			}
		})
	}
}

// An unknown field names the API version splitsim was built with, so that a field newer than it is
// recognisable (issue 14; strict decoding stays, as kubectl's default field validation is strict).
func TestUnknownFieldNamesTheAPIVersion(t *testing.T) {
	err := (&Config{}).Add("u.yaml", []byte("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  newField: 1\n  http: [{route: [{destination: {host: r}}]}]\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown field "newField" (not in istio.io/api`) || !strings.Contains(err.Error(), "which splitsim was built with") {
		t.Fatalf("error %v", err)
	}
}
