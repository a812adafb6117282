package sim

import "testing"

// Synthesize makes a request that satisfies a match block, so that every rule can be exercised
// without a traffic model: a regex is sampled from its literal prefix or, failing that, from its
// syntax tree; one that no string can satisfy is reported instead of guessed silently.
func TestSynthesizeSatisfiesTheBlock(t *testing.T) {
	for _, tc := range []struct {
		name  string
		match Match
		ok    bool
	}{
		{"catch-all", Match{}, true},
		{"exact uri", Match{URI: ptr(MustStringMatch(Exact, "/login"))}, true},
		{"prefix uri", Match{URI: ptr(MustStringMatch(Prefix, "/api/"))}, true},
		{"regex uri with a literal prefix", Match{URI: ptr(MustStringMatch(Regex, "/items/[0-9]*"))}, true},
		{"regex uri that needs a digit", Match{URI: ptr(MustStringMatch(Regex, "/items/[0-9]+"))}, true},
		{"method, scheme, authority", Match{Method: ptr(MustStringMatch(Exact, "POST")), Scheme: ptr(MustStringMatch(Exact, "https")),
			Authority: ptr(MustStringMatch(Prefix, "shop."))}, true},
		{"headers and query", Match{
			Headers: []HeaderMatch{{Name: "end-user", Match: MustStringMatch(Exact, "jason")}, {Name: "x-any", Match: MustStringMatch(Present, "")},
				{Name: "x-block", Match: MustStringMatch(Exact, "yes"), Invert: true}},
			Query: []ParamMatch{{Name: "v", Match: MustStringMatch(Prefix, "2")}}}, true},
		{"regex with no literal: from its syntax", Match{URI: ptr(MustStringMatch(Regex, "[a-z]{40}"))}, true},
		{"SNI-style alternation", Match{Authority: ptr(MustStringMatch(Regex, `[^.]+(\.[^.]+)*\.example\.com|a\.example\.com`))}, true},
		{"regex nothing matches", Match{URI: ptr(MustStringMatch(Regex, `[^\x00-\x{10FFFF}]`))}, false},
	} {
		req, ok := tc.match.Synthesize("reviews")
		if ok != tc.ok {
			t.Errorf("%s: ok = %v, want %v (request %+v)", tc.name, ok, tc.ok, req)
		}
		if ok && !tc.match.Matches(&req) {
			t.Errorf("%s: synthesized request %+v does not match", tc.name, req)
		}
	}
}

// Explain names the first condition that fails, as `splitsim explain` shows it.
func TestExplainNamesTheFailingCondition(t *testing.T) {
	m := Match{Headers: []HeaderMatch{{Name: "end-user", Match: MustStringMatch(Exact, "jason")}}}
	if got, want := m.Explain(&Request{Headers: map[string]string{}}), `header end-user: want exact "jason", got none`; got != want {
		t.Errorf("Explain = %q, want %q", got, want)
	}
	if got := m.Explain(&Request{Headers: map[string]string{"end-user": "jason"}}); got != "" {
		t.Errorf("Explain = %q, want a match", got)
	}
}
