package report

import (
	"io"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// JSON writes every key: a nil slice as [], a nil map as {} (also inside lists, maps and pointed-to
// structs), a nil pointer as null; the value written is not changed.
func TestJSONWritesEmptyNotNull(t *testing.T) {
	e := &result.Explain{Trace: []result.ExplainStep{{Rule: "#0"}}}
	r := result.Run{Hosts: []result.Host{{Host: "reviews", Rules: []result.Rule{{Rule: "#0"}}}}}
	for _, tc := range []struct {
		name string
		v    any
		want []string
	}{
		{"explain", e, []string{`"headers": {}`, `"query": {}`, `"clusters": []`, `"endpoints": []`, `"draws": []`, `"rule": null`, `"random": null`, `"value": null`, `"chosen": null`}},
		{"run by value", r, []string{`"files": []`, `"problems": []`, `"checks": []`, `"callers": []`, `"destinations": []`, `"mirrors": []`, `"series": []`, `"match": []`, `"fault": null`, `"test": null`}},
		{"nil", nil, []string{"null"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := rendered(t, func(w io.Writer) error { return JSON(w, tc.v) })
			nulls := 0
			for _, w := range tc.want {
				nulls += strings.Count(w, "null")
			}
			if n := strings.Count(got, "null"); n != nulls {
				t.Errorf("%d nulls, want %d (the nil pointers):\n%s", n, nulls, got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %s:\n%s", w, got)
				}
			}
		})
	}
	if e.Clusters != nil || e.Request.Headers != nil || r.Files != nil || r.Hosts[0].Rules[0].Destinations != nil {
		t.Errorf("JSON changed the value it wrote")
	}
}
