package observe

import (
	"fmt"
	"strings"
)

// DestRef describes one configured destination for Match. Any field may be empty.
type DestRef struct {
	Subset  string // DestinationRule subset, e.g. "v1"
	Cluster string // Envoy cluster, e.g. "outbound|9080|v1|reviews.default.svc.cluster.local"
	Host    string // service host, short ("reviews") or fully qualified
}

// String names d for messages: its cluster, else its subset and host.
func (d DestRef) String() string {
	switch {
	case d.Cluster != "":
		return d.Cluster
	case d.Subset != "" && d.Host != "":
		return "subset " + d.Subset + " of " + d.Host
	case d.Subset != "":
		return "subset " + d.Subset
	case d.Host != "":
		return "host " + d.Host
	}
	return "(unnamed destination)"
}

// identity distinguishes destinations; entries listed twice share it.
func (d DestRef) identity() string {
	if d.Cluster != "" {
		return d.Cluster
	}
	return d.Host + "|" + d.Subset
}

// Match maps observed names to indexes in dests. For each name, in order:
//
//  1. an explicit entry explicit[name] = TARGET, where TARGET is resolved like an observed name by
//     rules 2, 3 and 5 (a cluster, a subset or a host); an explicit entry wins over the rules below;
//  2. a destination whose Cluster equals the name;
//  3. the destination whose Subset equals the name ("v1" from Istio's destination_version);
//  4. for an Istio cluster name "outbound|PORT|SUBSET|HOST", a destination without Cluster whose
//     Subset is SUBSET and whose Host is HOST (short or fully qualified);
//  5. the destination whose Host equals the name, short or fully qualified ("reviews-v2" from
//     destination_service_name).
//
// A rule that finds several different destinations does not match. Destinations listed twice
// (same cluster, or same host and subset) count as one; the first index is returned. NoUpstream is
// never mapped: the caller reports it separately. A name that no rule maps is an error that lists
// what was observed and what was expected.
func Match(observed []string, dests []DestRef, explicit map[string]string) (map[string]int, error) {
	out := make(map[string]int, len(observed))
	var problems []string
	for _, name := range observed {
		if name == NoUpstream {
			continue
		}
		if _, done := out[name]; done {
			continue
		}
		if target, ok := explicit[name]; ok {
			idx, why := resolve(target, dests, false)
			if idx < 0 {
				return nil, fmt.Errorf("explicit mapping %s=%s: %q %s; destinations: %s", name, target, target, why, destList(dests))
			}
			out[name] = idx
			continue
		}
		idx, why := resolve(name, dests, true)
		if idx < 0 {
			problems = append(problems, fmt.Sprintf("%q %s", name, why))
			continue
		}
		out[name] = idx
	}
	if len(problems) > 0 {
		shown := make([]string, 0, len(observed))
		for _, n := range observed {
			shown = append(shown, fmt.Sprintf("%q", n))
		}
		return nil, fmt.Errorf("observed %s; observed: %s; destinations: %s; map the names explicitly",
			strings.Join(problems, ", "), strings.Join(shown, ", "), destList(dests))
	}
	return out, nil
}

// resolve finds the destination that name designates, or returns -1 and why not.
func resolve(name string, dests []DestRef, clusterParts bool) (int, string) {
	for i, d := range dests {
		if d.Cluster != "" && d.Cluster == name {
			return i, ""
		}
	}
	if i, n := unique(dests, func(d DestRef) bool { return d.Subset != "" && d.Subset == name }); n == 1 {
		return i, ""
	} else if n > 1 {
		return -1, "is a subset of several destinations"
	}
	if clusterParts {
		if p := strings.Split(name, "|"); len(p) == 4 && (p[0] == "outbound" || p[0] == "inbound") {
			subset, host := p[2], p[3]
			i, n := unique(dests, func(d DestRef) bool {
				return d.Cluster == "" && d.Subset == subset && (subset != "" || d.Host != "") &&
					(d.Host == "" || hostMatch(host, d.Host))
			})
			if n == 1 {
				return i, ""
			} else if n > 1 {
				return -1, "matches several destinations"
			}
		}
	}
	if i, n := unique(dests, func(d DestRef) bool { return d.Host != "" && hostMatch(name, d.Host) }); n == 1 {
		return i, ""
	} else if n > 1 {
		return -1, "is the host of several destinations"
	}
	return -1, "matches no destination"
}

// unique returns the first destination that satisfies ok and how many different destinations do.
func unique(dests []DestRef, ok func(DestRef) bool) (first, n int) {
	first = -1
	seen := map[string]bool{}
	for i, d := range dests {
		if !ok(d) || seen[d.identity()] {
			continue
		}
		seen[d.identity()] = true
		if first < 0 {
			first = i
		}
		n++
	}
	return first, n
}

// hostMatch reports whether a and b name the same host, one possibly short: "reviews" matches
// "reviews.default.svc.cluster.local".
func hostMatch(a, b string) bool {
	return a == b || strings.HasPrefix(b, a+".") || strings.HasPrefix(a, b+".")
}

func destList(dests []DestRef) string {
	if len(dests) == 0 {
		return "none"
	}
	s := make([]string, len(dests))
	for i, d := range dests {
		s[i] = d.String()
	}
	return strings.Join(s, ", ")
}
