// Package sim is the selection engine: a routing Table (hosts, ordered routes, actions), request
// matching, Envoy's weighted pick, traffic models and the deterministic parallel runner.
//
// It knows nothing of YAML or Istio field names; package mesh translates configuration into a Table.
// A run proceeds in four steps:
//
//  1. Each traffic class (a synthetic request and its share) is matched once against its host's routes,
//     first match wins, exactly as Envoy walks a virtual host's routes. Matching is a pure function of
//     the request, so the outcome is memoised per class.
//  2. Requests are cut into fixed-size blocks; block b draws from its own random stream derived from
//     (seed, b), so results do not depend on the number of goroutines.
//  3. Per request, a class is drawn by share, then the class's route picks a destination with the
//     distribution of Envoy's rule (a uniform uint64 r, v = r mod total, the first half-open interval
//     [begin, end) holding v), exact to the last of r's 64 bits. Most picks are settled by the top
//     12 bits of a uniform value, so one 64-bit draw serves several requests and only the rare
//     requests whose bits fall next to a cut draw the rest (see Picker).
//  4. Per-block counters are summed; integers add exactly, so the merge order cannot change the result.
package sim
