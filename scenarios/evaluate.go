package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/stats"
)

// DefaultAlpha is the significance level when neither the expectation, the scenario nor the caller
// gives one.
const DefaultAlpha = 0.001

// EvalOptions are the caller's defaults.
type EvalOptions struct {
	// Alpha is the default significance level (splitsim test --alpha); 0 means DefaultAlpha.
	Alpha float64
	// Seed seeds the Monte Carlo exact test, used for large splits with small expected counts.
	Seed uint64
}

// Evaluate checks the scenario's expectations against run, the result of simulating it. It returns
// one Check per expectation, or, for a scenario without expectations, one Check holding the run's
// verdict. The error is an input error: an expectation names a host, rule, destination or class
// that does not exist.
func Evaluate(sc *Scenario, run *result.Run, opts EvalOptions) ([]result.Check, error) {
	var e *Expect
	if sc != nil {
		e = sc.Spec.Expect
	}
	if e.Count() == 0 {
		return []result.Check{runVerdict(run)}, nil
	}
	ev := &evaluator{e: e, run: run, seed: opts.Seed, alpha: DefaultAlpha}
	if opts.Alpha > 0 {
		ev.alpha = opts.Alpha
	}
	if e.Alpha > 0 {
		ev.alpha = e.Alpha
	}
	if sc != nil {
		ev.traffic = sc.Spec.Traffic
	}
	out, err := appendChecks(nil, e.Splits, ev.split)
	if err == nil {
		out, err = appendChecks(out, e.Responses, ev.response)
	}
	if err == nil {
		out, err = appendChecks(out, e.Classes, ev.class)
	}
	if err != nil {
		return nil, err
	}
	uniqueNames(out)
	return out, nil
}

// appendChecks appends the check of each expectation to out; it stops at the first input error.
func appendChecks[T any](out []result.Check, es []T, check func(*T) (result.Check, error)) ([]result.Check, error) {
	for i := range es {
		c, err := check(&es[i])
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Passed reports whether every check passed.
func Passed(checks []result.Check) bool {
	for _, c := range checks {
		if !c.Passed {
			return false
		}
	}
	return true
}

// evaluator checks a scenario's expectations against a run.
type evaluator struct {
	e       *Expect
	run     *result.Run
	traffic []Class
	alpha   float64
	seed    uint64
}

// alphaOf is an expectation's significance level: its own, or else the evaluator's.
func (ev *evaluator) alphaOf(a float64) float64 {
	if a > 0 {
		return a
	}
	return ev.alpha
}

// host finds a host by name; an empty name is allowed when the run has exactly one host.
func (ev *evaluator) host(path, name string) (*result.Host, error) {
	var names []string
	for i := range ev.run.Hosts {
		h := &ev.run.Hosts[i]
		if name == "" && len(ev.run.Hosts) == 1 || h.Host == name {
			return h, nil
		}
		names = append(names, h.Host)
	}
	if name == "" {
		return nil, ev.e.Errorf(path+".host", "required: the configuration has %d hosts (%s)", len(names), strings.Join(names, ", "))
	}
	if h := ev.callerHost(name); h != nil {
		return h, nil
	}
	return nil, ev.e.Errorf(path+".host", "no host %q in the run (hosts: %s)", name, strings.Join(names, ", "))
}

// callerHost finds "HOST@CALLER" (CALLER as --from spells it, or NS/GATEWAY) in a run that names the
// host differently: a run for one caller (--from) names its hosts plainly, a run of every caller adds
// the caller. nil when no host or several fit.
func (ev *evaluator) callerHost(name string) *result.Host {
	base, caller, ok := strings.Cut(name, "@")
	if ok && !strings.HasPrefix(caller, "sidecar:") && !strings.HasPrefix(caller, "gateway:") {
		caller = "gateway:" + caller
	}
	var found *result.Host
	for i := range ev.run.Hosts {
		h := &ev.run.Hosts[i]
		hb, _, _ := strings.Cut(h.Host, "@")
		if hb != base || ok && !slices.Contains(h.Callers, caller) && h.From != caller {
			continue
		}
		if found != nil {
			return nil
		}
		found = h
	}
	return found
}

// rule finds a rule of h by name or "#index"; an empty reference is allowed when h has one rule.
func (ev *evaluator) rule(path string, h *result.Host, ref RuleRef) (*result.Rule, error) {
	var labels []string
	for i := range h.Rules {
		r := &h.Rules[i]
		if ref == "" && len(h.Rules) == 1 || string(ref) == r.Rule || string(ref) == "#"+strconv.Itoa(r.Index) || r.Name != "" && string(ref) == r.Name {
			return r, nil
		}
		labels = append(labels, r.Rule)
	}
	if ref == "" {
		return nil, ev.e.Errorf(path+".rule", "required: host %s has %d rules (%s); name one or give \"#index\" (quoted: in YAML # starts a comment)",
			h.Host, len(h.Rules), strings.Join(labels, ", "))
	}
	return nil, ev.e.Errorf(path+".rule", "host %s has no rule %q (rules: %s)", h.Host, ref, strings.Join(labels, ", "))
}

// hostDestinations lists the destination names of every rule of h, in order of first appearance.
func hostDestinations(h *result.Host) []string {
	var names []string
	seen := map[string]bool{}
	for _, r := range h.Rules {
		for _, d := range r.Destinations {
			n := d.Name()
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return names
}

// merged is a rule's destinations merged by name (Istio keeps a destination listed twice as two
// entries; expectations speak of names).
type merged struct {
	names    []string
	count    map[string]int64
	expected map[string]float64
}

// mergeDestinations merges the destinations of r by name.
func mergeDestinations(r *result.Rule) merged {
	m := merged{count: map[string]int64{}, expected: map[string]float64{}}
	for _, d := range r.Destinations {
		n := d.Name()
		if _, ok := m.count[n]; !ok {
			m.names = append(m.names, n)
		}
		m.count[n] += d.Count
		m.expected[n] += d.ExpectedShare
	}
	return m
}

// split checks a split expectation: the rule's requests divide over its destinations in the
// expected shares, within the tolerance or by a goodness-of-fit test.
func (ev *evaluator) split(s *SplitExpectation) (result.Check, error) {
	h, err := ev.host(s.Path, s.Host)
	if err != nil {
		return result.Check{}, err
	}
	r, err := ev.rule(s.Path, h, s.Rule)
	if err != nil {
		return result.Check{}, err
	}
	n := forwardedRequests(r)
	sc := &splitCheck{s: s, where: fmt.Sprintf("host %s rule %s", h.Host, r.Rule), alpha: ev.alphaOf(s.Alpha), n: n, aborted: r.Requests - n}
	c := result.Check{Name: s.Name, Kind: result.CheckSplit, Host: h.Host, Rule: r.Rule, Alpha: sc.alpha}
	if c.Name == "" {
		c.Name = "split " + sc.where
	}
	m := mergeDestinations(r)
	if err := ev.checkShareNames(s, h, r, m.names); err != nil {
		return result.Check{}, err
	}
	if !r.Action.Forwards() {
		return failed(c, "a weighted split", actionText(r),
			fmt.Sprintf("%s: expected a weighted split over destinations, observed %s (the rule does not forward)", sc.where, actionText(r))), nil
	}
	sc.checked, sc.expected = expectedShares(s, m)
	c.Expected = sc.expectedText()
	if sc.n == 0 {
		c.Observed = "no requests"
		c.Failures = append(c.Failures, sc.noRequests(c.Expected, r))
		return c, nil
	}
	counts, probs := sc.observe(&c, m)
	if s.Tolerance != nil {
		sc.toleranceVerdict(&c)
	} else {
		sc.fitVerdict(&c, counts, probs, ev.seed)
	}
	return c, nil
}

// checkShareNames makes sure every destination the expected shares name is one of the host's.
func (ev *evaluator) checkShareNames(s *SplitExpectation, h *result.Host, r *result.Rule, ruleNames []string) error {
	all := hostDestinations(h)
	for _, n := range s.shareNames() {
		if !slices.Contains(all, n) {
			return ev.e.Errorf(s.Path+".shares."+n, "host %s has no destination %q (rule %s: %s; host: %s)",
				h.Host, n, r.Rule, orNone(ruleNames), orNone(all))
		}
	}
	return nil
}

// forwardedRequests are the requests of a rule that reach its split: all of them, less those its
// fault injection aborts. Envoy's fault filter answers an aborted request before the router picks a
// weighted cluster (envoy source/extensions/filters/http/fault/fault_filter.cc
// FaultFilter::decodeHeaders), so the destinations share the forwarded requests only.
func forwardedRequests(r *result.Rule) int64 {
	if r.Fault != nil && r.Fault.Abort != nil {
		return r.Forwarded
	}
	return r.Requests
}

// splitCheck is a split expectation being checked against its rule.
type splitCheck struct {
	s        *SplitExpectation
	where    string  // "host H rule R", the start of failure lines
	alpha    float64 // the significance level of the check
	n        int64   // the rule's requests that reach its split (forwardedRequests)
	aborted  int64   // the rule's requests its fault injection aborted (not part of the split)
	checked  []string
	expected map[string]float64 // expected share of each checked destination
}

// expectedShares are the shares a split expectation expects, and the destinations they constrain
// (checked, in report order). Without shares they are the configured weights of the rule's
// destinations. Shares that add up to 100 are normalised and make every destination of the rule
// checked (at 0 when not listed); shares that add up to less are percentages of the requests and
// check only the destinations they list. The rule's destinations come first, in configuration
// order, then names of the host that the rule does not route to.
func expectedShares(s *SplitExpectation, m merged) (checked []string, expected map[string]float64) {
	expected = map[string]float64{}
	shares := s.Shares
	if shares == nil {
		for _, n := range m.names {
			expected[n] = m.expected[n]
		}
		return m.names, expected
	}
	var sum float64
	for _, v := range shares {
		sum += v
	}
	complete := SharesComplete(shares)
	names := s.shareNames()
	for _, n := range names {
		if complete {
			expected[n] = shares[n] / sum
		} else {
			expected[n] = shares[n] / 100
		}
	}
	for _, n := range m.names {
		if _, ok := expected[n]; ok || complete {
			checked = append(checked, n) // not listed in complete shares: expected to get nothing
		}
	}
	for _, n := range names {
		if _, ok := m.count[n]; !ok {
			checked = append(checked, n)
		}
	}
	return checked, expected
}

// expectedText is the check's Expected: the shares, then the tolerance or the test.
func (sc *splitCheck) expectedText() string {
	if sc.s.Tolerance != nil {
		return sharesText(sc.checked, sc.expected) + toleranceText(*sc.s.Tolerance)
	}
	return sharesText(sc.checked, sc.expected) + fmt.Sprintf(" (goodness-of-fit test at alpha %g)", sc.alpha)
}

// noRequests is the failure line of a split whose rule received no requests.
func (sc *splitCheck) noRequests(expected string, r *result.Rule) string {
	why := "no request reached this rule"
	if sc.aborted > 0 {
		why = fmt.Sprintf("its fault injection aborted all %s of its requests before the split", format.Count(sc.aborted))
	}
	if r.Unreachable {
		why += " (unreachable: an earlier catch-all rule takes every request)"
	}
	return fmt.Sprintf("%s: expected %s, observed %s", sc.where, expected, why)
}

// observe fills in the checked destinations (count, share, Wilson interval, and whether the
// interval agrees with the expected share) and the Observed text. It returns the counts and
// expected shares for a goodness-of-fit test: one per checked destination, then the rest of the
// requests when there is any, or any expected share left.
func (sc *splitCheck) observe(c *result.Check, m merged) (counts []int64, probs []float64) {
	var obs []string
	var sumCounts int64
	var sumProbs float64
	for _, name := range sc.checked {
		x, e := m.count[name], sc.expected[name]
		lo, hi := stats.Wilson(x, sc.n, 1-sc.alpha)
		d := result.CheckDestination{Name: name, Expected: &e, Count: x, Share: float64(x) / float64(sc.n), CILow: lo, CIHigh: hi}
		d.Passed = result.Outcome(sc.agrees(lo, hi, e))
		c.Destinations = append(c.Destinations, d)
		obs = append(obs, fmt.Sprintf("%s %s", name, format.Percent(d.Share, 3)))
		counts = append(counts, x)
		probs = append(probs, e)
		sumCounts += x
		sumProbs += e
	}
	c.Observed = strings.Join(obs, ", ") + fmt.Sprintf(" of %s requests", format.Count(sc.n))
	if sc.aborted > 0 {
		c.Observed = strings.Join(obs, ", ") + fmt.Sprintf(" of %s forwarded requests (%s aborted by fault injection)", format.Count(sc.n), format.Count(sc.aborted))
	}
	if rest := sc.n - sumCounts; rest > 0 || 1-sumProbs > 1e-9 {
		counts = append(counts, rest)
		probs = append(probs, math.Max(0, 1-sumProbs))
		c.Observed += fmt.Sprintf(", others %s", format.Percent(float64(rest)/float64(sc.n), 3))
	}
	return counts, probs
}

// agrees reports whether the interval [lo, hi] of an observed share holds the expected share e.
// With a tolerance, toleranceVerdict decides instead.
func (sc *splitCheck) agrees(lo, hi, e float64) bool {
	return lo <= e+1e-12 && e <= hi+1e-12
}

// toleranceVerdict passes a split with a tolerance unless a destination is shown to be off its
// expected share by more than the tolerance: the exact tolerance test (stats.ToleranceTest) of each
// checked destination, Holm-adjusted across them (as verify --tolerance does), fails it when the
// adjusted p-value is at most alpha. Two checked destinations that hold every request and every
// expected share are one hypothesis (their shares move together) and are not adjusted.
func (sc *splitCheck) toleranceVerdict(c *result.Check) {
	tol := *sc.s.Tolerance / 100
	ds := c.Destinations
	p := make([]float64, len(ds))
	l := make([]float64, len(ds))
	for i, d := range ds {
		p[i], l[i] = stats.ToleranceTest(d.Count, sc.n, math.Min(1, *d.Expected), tol)
	}
	adj := append([]float64(nil), p...)
	if !(len(ds) == 2 && ds[0].Count+ds[1].Count == sc.n && math.Abs(*ds[0].Expected+*ds[1].Expected-1) < 1e-9) {
		adj = stats.Holm(p)
	}
	c.Passed = true
	best := 0
	var off []string
	for i := range ds {
		d := &ds[i]
		d.Tolerance = &result.ToleranceTest{PValue: p[i], Log10P: l[i], PAdjusted: adj[i]}
		d.Passed = adj[i] > sc.alpha
		if adj[i] < adj[best] {
			best = i
		}
		if !d.Passed {
			c.Passed = false
			c.Failures = append(c.Failures, sc.line(*d))
			off = append(off, fmt.Sprintf("%s p %s", d.Name, format.PValue(p[i], l[i])))
		}
	}
	if len(off) > 0 {
		how := "Holm-adjusted"
		if adj[best] == p[best] {
			how = "one test for both"
		}
		c.Failures = append(c.Failures, fmt.Sprintf("%s: exact tolerance test (%s) at alpha %g: %s", sc.where, how, sc.alpha, strings.Join(off, ", ")))
	}
	if len(ds) > 0 {
		c.Test = &result.CheckTest{Method: "exact-tolerance", PValue: adj[best], Log10P: l[best]}
		if adj[best] != p[best] {
			c.Test.Log10P = math.Log10(adj[best])
		}
	}
}

// fitVerdict passes a split without a tolerance when the goodness-of-fit test does not reject it.
// A rejected split names the destinations off their share (or all of them when none is) and the
// test.
func (sc *splitCheck) fitVerdict(c *result.Check, counts []int64, probs []float64, seed uint64) {
	t := stats.AutoAt(counts, probs, seed, sc.alpha)
	c.Test = &result.CheckTest{Method: t.Method, Statistic: t.Statistic, DF: t.DF, PValue: t.PValue, Log10P: t.Log10P}
	c.Passed = result.Outcome(!t.Violated() && t.PValue >= sc.alpha)
	if c.Passed {
		return
	}
	for _, d := range offShare(c.Destinations) {
		c.Failures = append(c.Failures, sc.line(d))
	}
	if t.Violated() {
		c.Failures = append(c.Failures, fmt.Sprintf("%s: requests reached destinations expected to get none", sc.where))
	} else {
		c.Failures = append(c.Failures, fmt.Sprintf("%s: %s test p %s < alpha %g", sc.where, t.Method, format.PValue(t.PValue, t.Log10P), sc.alpha))
	}
}

// offShare lists the destinations whose interval misses their expected share or that received
// requests when expected to get none; when there are none, every destination.
func offShare(ds []result.CheckDestination) []result.CheckDestination {
	var off []result.CheckDestination
	for _, d := range ds {
		if !d.Passed || *d.Expected == 0 && d.Count > 0 {
			off = append(off, d)
		}
	}
	if len(off) == 0 {
		return ds
	}
	return off
}

// line is the failure line of one destination: expected and observed share, count and interval.
func (sc *splitCheck) line(d result.CheckDestination) string {
	exp := format.ShortPercent(*d.Expected, 3)
	if sc.s.Tolerance != nil {
		exp += toleranceText(*sc.s.Tolerance)
	}
	return fmt.Sprintf("%s destination %s: expected %s, observed %s (%s of %s, %s CI [%s, %s])", sc.where, d.Name,
		exp, format.Percent(d.Share, 3), format.Count(d.Count), format.Count(sc.n), format.Confidence(sc.alpha),
		format.Percent(d.CILow, 3), format.Percent(d.CIHigh, 3))
}

// toleranceText is a tolerance in percentage points as expectations show it: " ±1pp".
func toleranceText(tol float64) string {
	return " ±" + trimFloat(tol) + "pp"
}

// statusCount counts the requests of a rule answered with status: by its destinations, or by its
// fault injection's abort.
func statusCount(r *result.Rule, status int) int64 {
	if !r.Action.Forwards() {
		if r.Status == status {
			return r.Requests
		}
		return 0
	}
	var x int64
	for _, d := range r.Destinations {
		if d.Status == status {
			x += d.Count
		}
	}
	if a := r.Fault; a != nil && a.Abort != nil && a.Abort.Status == status && a.Abort.GRPCStatus == "" {
		x += a.Abort.Count
	}
	return x
}

// hostStatusCount counts the requests of h answered with status, unmatched requests (404) included.
func hostStatusCount(h *result.Host, status int) int64 {
	var x int64
	if status == 404 {
		x += h.Unmatched
	}
	for i := range h.Rules {
		x += statusCount(&h.Rules[i], status)
	}
	return x
}

// response checks a response expectation: the share of requests answered with a status is at
// most Max, or is Share (within the tolerance, or by an exact binomial test).
func (ev *evaluator) response(s *ResponseExpectation) (result.Check, error) {
	alpha := ev.alphaOf(s.Alpha)
	c := result.Check{Name: s.Name, Kind: result.CheckResponse, Alpha: alpha}
	x, n, where, err := ev.responseScope(s, &c)
	if err != nil {
		return result.Check{}, err
	}
	if c.Name == "" {
		c.Name = fmt.Sprintf("status %d share, %s", s.Status, where)
	}
	c.Expected = responseExpected(s, alpha)
	if n == 0 {
		c.Observed = "no requests"
		if s.Max != nil {
			c.Passed = true
		} else {
			c.Failures = []string{fmt.Sprintf("%s: expected %s, observed no requests", where, c.Expected)}
		}
		return c, nil
	}
	responseVerdict(&c, s, x, n)
	if !c.Passed {
		c.Failures = []string{fmt.Sprintf("%s: expected %s, observed %s", where, c.Expected, c.Observed)}
	}
	return c, nil
}

// responseScope counts the requests a response expectation is about (n) and those of them
// answered with its status (x): over every host, or of one host, or of one rule. It sets the
// check's host and rule, and returns where for the check's name and failure lines.
func (ev *evaluator) responseScope(s *ResponseExpectation, c *result.Check) (x, n int64, where string, err error) {
	if s.Host == "" {
		x, n = ev.allHostsStatusCount(s.Status)
		return x, n, "all hosts", nil
	}
	h, err := ev.host(s.Path, s.Host)
	if err != nil {
		return 0, 0, "", err
	}
	c.Host = h.Host
	where = "host " + h.Host
	if s.Rule == "" {
		return hostStatusCount(h, s.Status), h.Requests, where, nil
	}
	r, err := ev.rule(s.Path, h, s.Rule)
	if err != nil {
		return 0, 0, "", err
	}
	c.Rule = r.Rule
	return statusCount(r, s.Status), r.Requests, where + " rule " + r.Rule, nil
}

// allHostsStatusCount counts the requests of the run answered with status (x) and all of them
// (n), requests to hosts no VirtualService has included (they are answered 404).
func (ev *evaluator) allHostsStatusCount(status int) (x, n int64) {
	for i := range ev.run.Hosts {
		h := &ev.run.Hosts[i]
		x += hostStatusCount(h, status)
		n += h.Requests
	}
	for _, cl := range ev.run.Classes {
		if cl.Outcome == "404 unknown host" {
			n += cl.Requests
			if status == 404 {
				x += cl.Requests
			}
		}
	}
	return x, n
}

// responseExpected is the Expected text of a response expectation.
func responseExpected(s *ResponseExpectation, alpha float64) string {
	switch {
	case s.Max != nil && *s.Max == 0:
		return fmt.Sprintf("no %d responses", s.Status)
	case s.Max != nil:
		return fmt.Sprintf("%d share at most %s", s.Status, format.ShortPercent(*s.Max/100, 3))
	case s.Tolerance != nil:
		return fmt.Sprintf("%d share %s", s.Status, format.ShortPercent(*s.Share/100, 3)) + toleranceText(*s.Tolerance)
	}
	return fmt.Sprintf("%d share %s (exact binomial test at alpha %g)", s.Status, format.ShortPercent(*s.Share/100, 3), alpha)
}

// responseVerdict sets the Observed text of a response check, x of n requests answered with the
// status, and whether it passed: none at all for max 0; the share's interval reaching down to max;
// the interval within the tolerance of share; or an exact binomial test that does not reject share.
func responseVerdict(c *result.Check, s *ResponseExpectation, x, n int64) {
	lo, hi := stats.Wilson(x, n, 1-c.Alpha)
	c.Observed = fmt.Sprintf("%d share %s (%s of %s requests, %s CI [%s, %s])", s.Status, format.Percent(float64(x)/float64(n), 3),
		format.Count(x), format.Count(n), format.Confidence(c.Alpha), format.Percent(lo, 3), format.Percent(hi, 3))
	switch {
	case s.Max != nil && *s.Max == 0:
		c.Passed = x == 0
	case s.Max != nil:
		c.Passed = lo <= *s.Max/100+1e-12
	case s.Tolerance != nil:
		// The exact tolerance test (stats.ToleranceTest): fail only when the share is shown to be off
		// by more than the tolerance.
		p, l := stats.ToleranceTest(x, n, math.Min(1, *s.Share/100), *s.Tolerance/100)
		c.Test = &result.CheckTest{Method: "exact-tolerance", PValue: p, Log10P: l}
		c.Passed = p > c.Alpha
		if !c.Passed {
			c.Observed += fmt.Sprintf(", tolerance test p %s <= alpha %g", format.PValue(p, l), c.Alpha)
		}
	default:
		p := stats.BinomialTwoSided(x, n, *s.Share/100)
		c.Test = &result.CheckTest{Method: "exact-binomial", PValue: p, Log10P: math.Log10(p)}
		c.Passed = p >= c.Alpha
		if !c.Passed {
			c.Observed += fmt.Sprintf(", binomial p %s < alpha %g", format.PValue(p, math.Log10(p)), c.Alpha)
		}
	}
}

// classOutcome is where a class's requests went.
type classOutcome struct {
	host     *result.Host // nil when no VirtualService has the class's host
	rule     *result.Rule // nil when no rule matched
	requests int64
	counts   []int64 // per destination of rule
	outcome  string
}

// classOutcome finds where the requests of class name, sent to hostName, went.
func (ev *evaluator) classOutcome(name, hostName string) classOutcome {
	var h *result.Host
	for i := range ev.run.Hosts {
		if ev.run.Hosts[i].Host == hostName {
			h = &ev.run.Hosts[i]
		}
	}
	o := classOutcome{host: h}
	findRule := func(label string) *result.Rule {
		if h == nil {
			return nil
		}
		for i := range h.Rules {
			if h.Rules[i].Rule == label {
				return &h.Rules[i]
			}
		}
		return nil
	}
	for _, c := range ev.run.Classes {
		if c.Name == name {
			o.requests, o.counts, o.outcome = c.Requests, c.Counts, c.Outcome
			if c.Rule != "" {
				o.rule = findRule(c.Rule)
			}
			return o
		}
	}
	// A run lists classes only when there are several; a single class took all of its host's
	// traffic, so the rule that received requests is the one that matched it.
	if len(ev.traffic) != 1 || h == nil {
		o.outcome = "404 unknown host"
		return o
	}
	o.requests = h.Requests
	for i := range h.Rules {
		r := &h.Rules[i]
		if r.Requests > 0 {
			o.rule = r
			o.outcome = string(r.Action)
			for _, d := range r.Destinations {
				o.counts = append(o.counts, d.Count)
			}
			return o
		}
	}
	o.outcome = "404 no route"
	return o
}

// class checks a class expectation: the class's requests reach only the listed destinations
// (each of them some) and/or are routed by the given rule.
func (ev *evaluator) class(s *ClassExpectation) (result.Check, error) {
	cc, err := ev.classCheck(s)
	if err != nil {
		return result.Check{}, err
	}
	c := result.Check{Name: s.Name, Kind: result.CheckClass, Host: cc.o.host.Host, Class: s.Class, Alpha: ev.alpha}
	if cc.want != nil {
		c.Rule = cc.want.Rule
	}
	c.Expected = cc.expectedText()
	if c.Name == "" {
		c.Name = fmt.Sprintf("class %s %s", s.Class, c.Expected)
	}
	c.Observed = cc.observe(&c, ev.alpha)
	if cc.o.requests == 0 {
		c.Failures = append(c.Failures, fmt.Sprintf("%s: expected it %s, observed no requests of the class", cc.where, c.Expected))
		return c, nil
	}
	c.Failures = append(c.Failures, cc.ruleFailures()...)
	c.Failures = append(c.Failures, cc.reachFailures(c.Observed)...)
	c.Passed = len(c.Failures) == 0
	return c, nil
}

// classCheck is a class expectation being checked against where the class's requests went.
type classCheck struct {
	s     *ClassExpectation
	o     classOutcome
	want  *result.Rule    // the rule that must route the class, or nil
	set   map[string]bool // the destinations the class must reach (Reaches)
	where string          // "class C (host H)", the start of failure lines

	reached []string         // destinations of the routing rule, in order of first appearance
	got     map[string]int64 // the class's requests per reached destination
}

// classCheck resolves a class expectation: the class's host and outcome, the rule it names and the
// destinations it must reach, each of which must exist.
func (ev *evaluator) classCheck(s *ClassExpectation) (*classCheck, error) {
	var hostName string
	for _, t := range ev.traffic {
		if t.Name == s.Class {
			hostName = t.Host
		}
	}
	cc := &classCheck{s: s, o: ev.classOutcome(s.Class, hostName), set: map[string]bool{}, got: map[string]int64{}}
	h := cc.o.host
	if h == nil {
		return nil, ev.e.Errorf(s.Path+".class", "class %s is sent to host %q, which no VirtualService has", s.Class, hostName)
	}
	cc.where = fmt.Sprintf("class %s (host %s)", s.Class, h.Host)
	if s.Rule != "" {
		r, err := ev.rule(s.Path, h, s.Rule)
		if err != nil {
			return nil, err
		}
		cc.want = r
	}
	all := hostDestinations(h)
	for j, n := range s.Reaches {
		if !slices.Contains(all, n) {
			return nil, ev.e.Errorf(fmt.Sprintf("%s.reaches[%d]", s.Path, j), "host %s has no destination %q (destinations: %s)", h.Host, n, orNone(all))
		}
		cc.set[n] = true
	}
	return cc, nil
}

// expectedText is the check's Expected: "reaches v1, v2 only, routed by rule R".
func (cc *classCheck) expectedText() string {
	var parts []string
	if len(cc.s.Reaches) > 0 {
		parts = append(parts, "reaches "+strings.Join(cc.s.Reaches, ", ")+" only")
	}
	if cc.want != nil {
		parts = append(parts, "routed by rule "+cc.want.Rule)
	}
	return strings.Join(parts, ", ")
}

// observe returns the check's Observed text: no requests, the outcome when no rule matched or the
// rule does not forward, or the share of each destination the class reached. For a forwarding rule
// it also fills in the check's destinations.
func (cc *classCheck) observe(c *result.Check, alpha float64) string {
	o := cc.o
	switch {
	case o.requests == 0:
		return "no requests"
	case o.rule == nil:
		return o.outcome
	case !o.rule.Action.Forwards():
		return fmt.Sprintf("rule %s: %s", o.rule.Rule, actionText(o.rule))
	}
	cc.tally()
	var obs []string
	for _, n := range cc.reached {
		x := cc.got[n]
		lo, hi := stats.Wilson(x, o.requests, 1-alpha)
		var e *float64
		if len(cc.set) > 0 && !cc.set[n] {
			z := 0.0
			e = &z
		}
		c.Destinations = append(c.Destinations, result.CheckDestination{Name: n, Expected: e, Count: x, Share: float64(x) / float64(o.requests),
			CILow: lo, CIHigh: hi, Passed: cc.set[n] == (x > 0) || len(cc.set) == 0})
		if x > 0 {
			obs = append(obs, fmt.Sprintf("%s %s (%s)", n, format.Percent(float64(x)/float64(o.requests), 3), format.Count(x)))
		}
	}
	return fmt.Sprintf("rule %s: %s", o.rule.Rule, strings.Join(obs, ", "))
}

// tally merges the class's counts per destination of its rule by destination name.
func (cc *classCheck) tally() {
	for i, d := range cc.o.rule.Destinations {
		if i < len(cc.o.counts) {
			n := d.Name()
			if _, ok := cc.got[n]; !ok {
				cc.reached = append(cc.reached, n)
			}
			cc.got[n] += cc.o.counts[i]
		}
	}
}

// ruleFailures is the failure line when the class is not routed by the rule it must be.
func (cc *classCheck) ruleFailures() []string {
	want, o := cc.want, cc.o
	if want == nil || o.rule != nil && o.rule.Rule == want.Rule {
		return nil
	}
	gotRule := o.outcome
	if o.rule != nil {
		gotRule = "rule " + o.rule.Rule
	}
	line := fmt.Sprintf("%s: expected rule %s to route it, observed %s", cc.where, want.Rule, gotRule)
	if want.Unreachable {
		line += fmt.Sprintf(" (rule %s is unreachable: an earlier catch-all rule takes every request)", want.Rule)
	}
	return []string{line}
}

// reachFailures are the failure lines of the destinations the class must reach: the class is not
// forwarded at all, or reaches a destination not listed, or does not reach a listed one.
func (cc *classCheck) reachFailures(observed string) []string {
	if len(cc.set) == 0 {
		return nil
	}
	o := cc.o
	if o.rule == nil || !o.rule.Action.Forwards() {
		return []string{fmt.Sprintf("%s: expected it to reach %s, observed %s", cc.where, strings.Join(cc.s.Reaches, ", "), observed)}
	}
	var lines []string
	for _, n := range cc.reached {
		if x := cc.got[n]; x > 0 && !cc.set[n] {
			lines = append(lines, fmt.Sprintf("%s rule %s destination %s: expected 0%% of the class, observed %s (%s of %s)",
				cc.where, o.rule.Rule, n, format.Percent(float64(x)/float64(o.requests), 3), format.Count(x), format.Count(o.requests)))
		}
	}
	for _, n := range cc.s.Reaches {
		if cc.got[n] == 0 {
			lines = append(lines, fmt.Sprintf("%s rule %s destination %s: expected some of the class, observed 0%% (0 of %s)%s",
				cc.where, o.rule.Rule, n, format.Count(o.requests), shadowHint(cc.o.host, n)))
		}
	}
	return lines
}

// shadowHint names the unreachable rules of h that route to destination name, the usual reason why
// a class does not reach it.
func shadowHint(h *result.Host, name string) string {
	var rules []string
	for _, r := range h.Rules {
		if !r.Unreachable {
			continue
		}
		for _, d := range r.Destinations {
			if d.Name() == name {
				rules = append(rules, r.Rule)
				break
			}
		}
	}
	switch len(rules) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("; rule %s, which routes to %s, is unreachable: an earlier catch-all rule takes every request", rules[0], name)
	}
	return fmt.Sprintf("; rules %s, which route to %s, are unreachable: an earlier catch-all rule takes every request", strings.Join(rules, ", "), name)
}

// runVerdict is the check of a scenario without expectations: the run's Holm-corrected tests.
func runVerdict(run *result.Run) result.Check {
	c := result.Check{Name: "run verdict", Kind: result.CheckRun, Passed: run.Verdict == result.Pass, Alpha: run.Alpha,
		Expected: fmt.Sprintf("every rule's split matches its configured weights (Holm-corrected chi-square tests at alpha %g)", run.Alpha)}
	tested, failed := 0, 0
	for _, h := range run.Hosts {
		for _, r := range h.Rules {
			t := r.Test
			if t == nil {
				continue
			}
			tested++
			if t.Passed {
				continue
			}
			failed++
			var obs []string
			for _, d := range r.Destinations {
				obs = append(obs, fmt.Sprintf("destination %s expected %s, observed %s", d.Name(), format.Percent(d.ExpectedShare, 3), format.Percent(d.Share, 3)))
			}
			c.Failures = append(c.Failures, fmt.Sprintf("host %s rule %s: %s chi-square %.4g, df %d, Holm-adjusted p %s < alpha %g: %s",
				h.Host, r.Rule, t.Method, t.Statistic, t.DF, format.PValue(t.PAdjusted, math.Log10(t.PAdjusted)), run.Alpha, strings.Join(obs, "; ")))
		}
	}
	c.Observed = fmt.Sprintf("%d of %d rule tests rejected", failed, tested)
	if !c.Passed && failed == 0 {
		c.Failures = append(c.Failures, "run verdict: "+string(run.Verdict))
	}
	return c
}

// failed marks c failed with what was expected, what was observed and the problems.
func failed(c result.Check, expected, observed string, failures ...string) result.Check {
	c.Expected, c.Observed, c.Failures, c.Passed = expected, observed, failures, false
	return c
}

// actionText is what a rule that does not forward does: "redirect 301".
func actionText(r *result.Rule) string {
	if r.Status != 0 {
		return fmt.Sprintf("%s %d", r.Action, r.Status)
	}
	return string(r.Action)
}

// uniqueNames makes check names unique within a scenario ("name (2)"), as JUnit test case names
// should be.
func uniqueNames(cs []result.Check) {
	used := map[string]int{}
	for i := range cs {
		used[cs[i].Name]++
		if k := used[cs[i].Name]; k > 1 {
			cs[i].Name = fmt.Sprintf("%s (%d)", cs[i].Name, k)
		}
	}
}

// sharesText lists expected shares: "v1 80%, v2 20%".
func sharesText(names []string, expected map[string]float64) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + " " + format.ShortPercent(expected[n], 3)
	}
	return strings.Join(parts, ", ")
}

// orNone joins names, or is "none" when there are none.
func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// trimFloat formats a number with at most 3 decimals, without trailing zeros: "0.5", "1".
func trimFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', 3, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
