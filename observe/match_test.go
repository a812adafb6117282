package observe

import (
	"reflect"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	subsets := []DestRef{
		{Subset: "v1", Cluster: reviewsV1, Host: "reviews.default.svc.cluster.local"},
		{Subset: "v2", Cluster: reviewsV2, Host: "reviews.default.svc.cluster.local"},
	}
	bare := []DestRef{{Subset: "v1"}, {Subset: "v2"}}
	services := []DestRef{ // Gateway API: one service per version
		{Host: "reviews-v1.default.svc.cluster.local", Cluster: "outbound|9080||reviews-v1.default.svc.cluster.local"},
		{Host: "reviews-v2"},
	}
	twoHosts := []DestRef{{Subset: "v1", Host: "reviews"}, {Subset: "v1", Host: "ratings"}}
	tests := []struct {
		name     string
		observed []string
		dests    []DestRef
		explicit map[string]string
		want     map[string]int
		err      string
	}{
		{name: "clusters", observed: []string{reviewsV2, reviewsV1, NoUpstream}, dests: subsets,
			want: map[string]int{reviewsV1: 0, reviewsV2: 1}},
		{name: "versions", observed: []string{"v1", "v2"}, dests: subsets, want: map[string]int{"v1": 0, "v2": 1}},
		{name: "clusters to bare subsets", observed: []string{reviewsV1, reviewsV2}, dests: bare,
			want: map[string]int{reviewsV1: 0, reviewsV2: 1}},
		{name: "clusters to subsets of a short host", observed: []string{reviewsV1, reviewsV2},
			dests: []DestRef{{Subset: "v1", Host: "reviews"}, {Subset: "v2", Host: "reviews"}},
			want:  map[string]int{reviewsV1: 0, reviewsV2: 1}},
		{name: "cluster of another host", observed: []string{"outbound|9080|v1|ratings.default.svc.cluster.local"},
			dests: []DestRef{{Subset: "v1", Host: "reviews"}, {Subset: "v2", Host: "reviews"}},
			err:   `observed "outbound|9080|v1|ratings.default.svc.cluster.local" matches no destination`},
		{name: "cluster with another port", observed: []string{"outbound|80|v1|reviews.default.svc.cluster.local"}, dests: subsets,
			err: `observed "outbound|80|v1|reviews.default.svc.cluster.local" matches no destination`},
		{name: "services", observed: []string{"reviews-v1", "outbound|9080||reviews-v2.default.svc.cluster.local"}, dests: services,
			want: map[string]int{"reviews-v1": 0, "outbound|9080||reviews-v2.default.svc.cluster.local": 1}},
		{name: "service clusters", observed: []string{"outbound|9080||reviews-v1.default.svc.cluster.local", "reviews-v2.default.svc.cluster.local"},
			dests: services, want: map[string]int{"outbound|9080||reviews-v1.default.svc.cluster.local": 0, "reviews-v2.default.svc.cluster.local": 1}},
		{name: "duplicates listed twice", observed: []string{"v1"}, dests: []DestRef{{Subset: "v1", Host: "r"}, {Subset: "v1", Host: "r"}},
			want: map[string]int{"v1": 0}},
		{name: "explicit", observed: []string{"stable", "canary"}, dests: subsets,
			explicit: map[string]string{"stable": "v1", "canary": reviewsV2}, want: map[string]int{"stable": 0, "canary": 1}},
		{name: "explicit wins", observed: []string{"v1", "v2"}, dests: subsets,
			explicit: map[string]string{"v1": "v2", "v2": "v1"}, want: map[string]int{"v1": 1, "v2": 0}},
		{name: "explicit to nothing", observed: []string{"stable"}, dests: subsets, explicit: map[string]string{"stable": "v9"},
			err: `explicit mapping stable=v9: "v9" matches no destination; destinations: ` + reviewsV1 + ", " + reviewsV2},
		{name: "unmatched", observed: []string{"v1", "v2", "v3"}, dests: subsets,
			err: `observed "v3" matches no destination; observed: "v1", "v2", "v3"; destinations: ` + reviewsV1 + ", " + reviewsV2 + "; map the names explicitly"},
		{name: "ambiguous subset", observed: []string{"v1"}, dests: twoHosts,
			err: `observed "v1" is a subset of several destinations; observed: "v1"; destinations: subset v1 of reviews, subset v1 of ratings; map the names explicitly`},
		{name: "ambiguous resolved explicitly", observed: []string{"v1"}, dests: twoHosts, explicit: map[string]string{"v1": "ratings"},
			want: map[string]int{"v1": 1}},
		{name: "explicit target ambiguous", observed: []string{"current"}, dests: subsets, explicit: map[string]string{"current": "reviews"},
			err: `explicit mapping current=reviews: "reviews" is the host of several destinations`},
		{name: "host of several subsets", observed: []string{"reviews"}, dests: subsets,
			err: `observed "reviews" is the host of several destinations`},
		{name: "no destinations", observed: []string{"v1"}, dests: nil, err: `observed "v1" matches no destination; observed: "v1"; destinations: none`},
		{name: "only no-upstream", observed: []string{NoUpstream}, dests: subsets, want: map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Match(tt.observed, tt.dests, tt.explicit)
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Errorf("error %v, want one starting %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMatchTestdata matches what the test files hold to the reviews destinations.
func TestMatchTestdata(t *testing.T) {
	dests := []DestRef{
		{Subset: "v1", Cluster: reviewsV1, Host: "reviews.default.svc.cluster.local"},
		{Subset: "v2", Cluster: reviewsV2, Host: "reviews.default.svc.cluster.local"},
	}
	for _, tt := range []struct {
		file string
		opts Options
	}{
		{"scrape.txt", Options{Match: mustMatchers(t, "destination_service_name=reviews")}},
		{"scrape.txt", Options{Metric: MetricEnvoyUpstreamRq}},
		{"access.log", Options{Match: mustMatchers(t, "authority=reviews:9080")}},
		{"access.json.log", Options{Match: mustMatchers(t, "authority=reviews:9080")}},
		{"counts.csv", Options{}},
	} {
		obs, err := readTestdata(t, tt.file, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Match(obs.NonZero(), dests, nil)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		var perDest [2]int64
		for name, i := range m {
			perDest[i] += obs.Counts[name]
		}
		if perDest[0] == 0 || perDest[1] == 0 || perDest[0]+perDest[1]+obs.Counts[NoUpstream] != obs.Total() {
			t.Errorf("%s: per destination %v, total %d", tt.file, perDest, obs.Total())
		}
	}
}
