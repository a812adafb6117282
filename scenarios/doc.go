// Package scenarios is everything about scenario files: reading them, loading the inputs they name,
// simulating them, checking their expectations, and running a folder of them like go test.
//
// A scenario file holds a `kind: Scenario` document that names the traffic to simulate (request
// classes with shares), the number of requests and the seed, next to the Kubernetes resources it runs
// against (in the same file or in files it names), and what the routing must do (spec.expect). The
// library of example scenarios is embedded in the package (Library), so `splitsim run bookinfo-80-20`
// works by name from an installed binary.
//
// Load reads the command line's files (and the files scenarios name) into one configuration;
// Simulate runs it through the simulator; Evaluate checks the expectations against the run:
//
//  1. Names are resolved against the run: every host, rule, destination and class an expectation
//     names must exist in the configuration or the scenario's traffic, or Evaluate returns an input
//     error (a typo never passes silently).
//  2. Each expectation becomes one Check, in file order (splits, responses, classes): a split
//     compares a rule's observed shares with expected ones, within a tolerance in percentage points
//     judged on Wilson intervals at confidence 1-alpha, or with a goodness-of-fit test at alpha; a
//     response check bounds or fixes the share of a status (404, 503...); a class check says which
//     destinations, or which rule, a request class reaches.
//  3. Plan requirements (spec.expect.plan) are checked by EvaluatePlan against the canary plan of
//     the scenario's inputs as `splitsim plan` evaluates it (a result.Plan): one Check per
//     requirement (power in every step, detection by a step or time, rollout time, failed
//     requests before detection, users who see both versions, no error finding).
//  4. A scenario without expectations gets one Check, the run's own verdict (the Holm-corrected
//     chi-square tests of every rule against its configured weights).
//
// A failed Check carries one self-contained line per problem naming the host, the rule, the
// destination, the expected and the observed share. Evaluate is pure: no I/O, no clock, and the
// only randomness (a Monte Carlo exact test for large small-count splits) is seeded.
package scenarios
