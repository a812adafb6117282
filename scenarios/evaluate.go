package scenarios

import (
	"fmt"
	"maps"
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
	var out []result.Check
	for i := range e.Splits {
		c, err := ev.split(&e.Splits[i])
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	for i := range e.Responses {
		c, err := ev.response(&e.Responses[i])
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	for i := range e.Classes {
		c, err := ev.class(&e.Classes[i])
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	uniqueNames(out)
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

type evaluator struct {
	e       *Expect
	run     *result.Run
	traffic []Class
	alpha   float64
	seed    uint64
}

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
	return nil, ev.e.Errorf(path+".host", "no VirtualService has host %q (hosts: %s)", name, strings.Join(names, ", "))
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

// DestinationName is the name expectations use for a destination: its subset, or host:port, or
// host (as reports show it).
func DestinationName(d result.Destination) string {
	if d.Subset != "" {
		return d.Subset
	}
	if d.Port != 0 {
		return fmt.Sprintf("%s:%d", d.Host, d.Port)
	}
	return d.Host
}

// hostDestinations lists the destination names of every rule of h, in order of first appearance.
func hostDestinations(h *result.Host) []string {
	var names []string
	seen := map[string]bool{}
	for _, r := range h.Rules {
		for _, d := range r.Destinations {
			n := DestinationName(d)
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

func mergeDestinations(r *result.Rule) merged {
	m := merged{count: map[string]int64{}, expected: map[string]float64{}}
	for _, d := range r.Destinations {
		n := DestinationName(d)
		if _, ok := m.count[n]; !ok {
			m.names = append(m.names, n)
		}
		m.count[n] += d.Count
		m.expected[n] += d.ExpectedShare
	}
	return m
}

func (ev *evaluator) split(s *SplitExpectation) (result.Check, error) {
	h, err := ev.host(s.Path, s.Host)
	if err != nil {
		return result.Check{}, err
	}
	r, err := ev.rule(s.Path, h, s.Rule)
	if err != nil {
		return result.Check{}, err
	}
	alpha := ev.alphaOf(s.Alpha)
	c := result.Check{Name: s.Name, Kind: result.CheckSplit, Host: h.Host, Rule: r.Rule, Alpha: alpha}
	if c.Name == "" {
		c.Name = fmt.Sprintf("split host %s rule %s", h.Host, r.Rule)
	}
	where := fmt.Sprintf("host %s rule %s", h.Host, r.Rule)
	m := mergeDestinations(r)

	// Expected shares, and which destinations they constrain.
	expected := map[string]float64{}
	checked := []string{}
	known := map[string]bool{}
	all := hostDestinations(h)
	for _, n := range all {
		known[n] = true
	}
	for _, n := range slices.Sorted(maps.Keys(s.Shares)) {
		if !known[n] {
			return result.Check{}, ev.e.Errorf(s.Path+".shares."+n, "host %s has no destination %q (rule %s: %s; host: %s)",
				h.Host, n, r.Rule, orNone(m.names), orNone(all))
		}
	}
	if r.Action != "forward" {
		return failed(c, "a weighted split", actionText(r),
			fmt.Sprintf("%s: expected a weighted split over destinations, observed %s (the rule does not forward)", where, actionText(r))), nil
	}
	if s.Shares == nil {
		for _, n := range m.names {
			expected[n] = m.expected[n]
		}
		checked = m.names
	} else {
		var sum float64
		for _, v := range s.Shares {
			sum += v
		}
		complete := SharesComplete(s.Shares)
		for _, n := range slices.Sorted(maps.Keys(s.Shares)) {
			if complete {
				expected[n] = s.Shares[n] / sum
			} else {
				expected[n] = s.Shares[n] / 100
			}
		}
		// The rule's destinations first, in configuration order, then names of the host that the
		// rule does not route to.
		for _, n := range m.names {
			if _, ok := expected[n]; ok || complete {
				checked = append(checked, n)
				if !ok {
					expected[n] = 0
				}
			}
		}
		for _, n := range slices.Sorted(maps.Keys(s.Shares)) {
			if _, ok := m.count[n]; !ok {
				checked = append(checked, n)
			}
		}
	}
	var tol float64
	if s.Tolerance != nil {
		tol = *s.Tolerance / 100
	}
	c.Expected = sharesText(checked, expected)
	if s.Tolerance != nil {
		c.Expected += " ±" + trimFloat(*s.Tolerance) + "pp"
	} else {
		c.Expected += fmt.Sprintf(" (goodness-of-fit test at alpha %g)", alpha)
	}
	n := r.Requests
	if n == 0 {
		c.Observed = "no requests"
		why := "no request reached this rule"
		if r.Unreachable {
			why += " (unreachable: an earlier catch-all rule takes every request)"
		}
		c.Failures = append(c.Failures, fmt.Sprintf("%s: expected %s, observed %s", where, c.Expected, why))
		return c, nil
	}
	conf := 1 - alpha
	var obs []string
	var counts []int64
	var probs []float64
	var sumCounts int64
	var sumProbs float64
	for _, name := range checked {
		x := m.count[name]
		lo, hi := stats.Wilson(x, n, conf)
		e := expected[name]
		d := result.CheckDestination{Name: name, Expected: &e, Count: x, Share: float64(x) / float64(n), CILow: lo, CIHigh: hi}
		if s.Tolerance != nil {
			d.Passed = !(hi < e-tol-1e-12 || lo > e+tol+1e-12)
		} else {
			d.Passed = lo <= e+1e-12 && e <= hi+1e-12
		}
		c.Destinations = append(c.Destinations, d)
		obs = append(obs, fmt.Sprintf("%s %s", name, pct(d.Share)))
		counts = append(counts, x)
		probs = append(probs, e)
		sumCounts += x
		sumProbs += e
	}
	c.Observed = strings.Join(obs, ", ") + fmt.Sprintf(" of %s requests", format.Count(n))
	if rest := n - sumCounts; rest > 0 || 1-sumProbs > 1e-9 {
		counts = append(counts, rest)
		probs = append(probs, math.Max(0, 1-sumProbs))
		c.Observed += fmt.Sprintf(", others %s", pct(float64(rest)/float64(n)))
	}
	expText := func(d result.CheckDestination) string {
		if s.Tolerance != nil {
			return fmt.Sprintf("%s ±%spp", pctSpec(*d.Expected), trimFloat(*s.Tolerance))
		}
		return pctSpec(*d.Expected)
	}
	line := func(d result.CheckDestination) string {
		return fmt.Sprintf("%s destination %s: expected %s, observed %s (%s of %s, %s CI [%s, %s])", where, d.Name,
			expText(d), pct(d.Share), format.Count(d.Count), format.Count(n), confText(alpha), pct(d.CILow), pct(d.CIHigh))
	}
	if s.Tolerance != nil {
		c.Passed = true
		for _, d := range c.Destinations {
			if !d.Passed {
				c.Passed = false
				c.Failures = append(c.Failures, line(d))
			}
		}
		return c, nil
	}
	t := stats.Auto(counts, probs, ev.seed)
	c.Test = &result.CheckTest{Method: t.Method, Statistic: t.Statistic, DF: t.DF, PValue: t.PValue, Log10P: t.Log10P}
	c.Passed = !t.Violated() && t.PValue >= alpha
	if !c.Passed {
		var off []result.CheckDestination
		for _, d := range c.Destinations {
			if !d.Passed || *d.Expected == 0 && d.Count > 0 {
				off = append(off, d)
			}
		}
		if len(off) == 0 {
			off = c.Destinations
		}
		for _, d := range off {
			c.Failures = append(c.Failures, line(d))
		}
		if t.Violated() {
			c.Failures = append(c.Failures, fmt.Sprintf("%s: requests reached destinations expected to get none", where))
		} else {
			c.Failures = append(c.Failures, fmt.Sprintf("%s: %s test p %s < alpha %g", where, t.Method, format.PValue(t.PValue, t.Log10P), alpha))
		}
	}
	return c, nil
}

// statusCount counts the requests of a rule answered with status.
func statusCount(r *result.Rule, status int) int64 {
	if r.Action != "forward" {
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
	return x
}

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

func (ev *evaluator) response(s *ResponseExpectation) (result.Check, error) {
	alpha := ev.alphaOf(s.Alpha)
	c := result.Check{Name: s.Name, Kind: result.CheckResponse, Alpha: alpha}
	var x, n int64
	var where string
	switch {
	case s.Host == "":
		where = "all hosts"
		for i := range ev.run.Hosts {
			h := &ev.run.Hosts[i]
			x += hostStatusCount(h, s.Status)
			n += h.Requests
		}
		for _, cl := range ev.run.Classes {
			if cl.Outcome == "404 unknown host" {
				n += cl.Requests
				if s.Status == 404 {
					x += cl.Requests
				}
			}
		}
	default:
		h, err := ev.host(s.Path, s.Host)
		if err != nil {
			return result.Check{}, err
		}
		c.Host = h.Host
		where = "host " + h.Host
		if s.Rule == "" {
			x, n = hostStatusCount(h, s.Status), h.Requests
			break
		}
		r, err := ev.rule(s.Path, h, s.Rule)
		if err != nil {
			return result.Check{}, err
		}
		c.Rule = r.Rule
		where += " rule " + r.Rule
		x, n = statusCount(r, s.Status), r.Requests
	}
	if c.Name == "" {
		c.Name = fmt.Sprintf("status %d share, %s", s.Status, where)
	}
	switch {
	case s.Max != nil && *s.Max == 0:
		c.Expected = fmt.Sprintf("no %d responses", s.Status)
	case s.Max != nil:
		c.Expected = fmt.Sprintf("%d share at most %s", s.Status, pctSpec(*s.Max/100))
	case s.Tolerance != nil:
		c.Expected = fmt.Sprintf("%d share %s ±%spp", s.Status, pctSpec(*s.Share/100), trimFloat(*s.Tolerance))
	default:
		c.Expected = fmt.Sprintf("%d share %s (exact binomial test at alpha %g)", s.Status, pctSpec(*s.Share/100), alpha)
	}
	if n == 0 {
		c.Observed = "no requests"
		if s.Max != nil {
			c.Passed = true
		} else {
			c.Failures = []string{fmt.Sprintf("%s: expected %s, observed no requests", where, c.Expected)}
		}
		return c, nil
	}
	share := float64(x) / float64(n)
	lo, hi := stats.Wilson(x, n, 1-alpha)
	c.Observed = fmt.Sprintf("%d share %s (%s of %s requests, %s CI [%s, %s])", s.Status, pct(share), format.Count(x), format.Count(n),
		confText(alpha), pct(lo), pct(hi))
	switch {
	case s.Max != nil && *s.Max == 0:
		c.Passed = x == 0
	case s.Max != nil:
		c.Passed = lo <= *s.Max/100+1e-12
	case s.Tolerance != nil:
		e, tol := *s.Share/100, *s.Tolerance/100
		c.Passed = !(hi < e-tol-1e-12 || lo > e+tol+1e-12)
	default:
		p := stats.BinomialTwoSided(x, n, *s.Share/100)
		c.Test = &result.CheckTest{Method: "exact-binomial", PValue: p, Log10P: math.Log10(p)}
		c.Passed = p >= alpha
		if !c.Passed {
			c.Observed += fmt.Sprintf(", binomial p %s < alpha %g", format.PValue(p, math.Log10(p)), alpha)
		}
	}
	if !c.Passed {
		c.Failures = []string{fmt.Sprintf("%s: expected %s, observed %s", where, c.Expected, c.Observed)}
	}
	return c, nil
}

// classOutcome is where a class's requests went.
type classOutcome struct {
	host     *result.Host // nil when no VirtualService has the class's host
	rule     *result.Rule // nil when no rule matched
	requests int64
	counts   []int64 // per destination of rule
	outcome  string
}

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
			o.outcome = r.Action
			for _, d := range r.Destinations {
				o.counts = append(o.counts, d.Count)
			}
			return o
		}
	}
	o.outcome = "404 no route"
	return o
}

func (ev *evaluator) class(s *ClassExpectation) (result.Check, error) {
	var hostName string
	for _, t := range ev.traffic {
		if t.Name == s.Class {
			hostName = t.Host
		}
	}
	o := ev.classOutcome(s.Class, hostName)
	if o.host == nil {
		return result.Check{}, ev.e.Errorf(s.Path+".class", "class %s is sent to host %q, which no VirtualService has", s.Class, hostName)
	}
	h := o.host
	var want *result.Rule
	if s.Rule != "" {
		r, err := ev.rule(s.Path, h, s.Rule)
		if err != nil {
			return result.Check{}, err
		}
		want = r
	}
	all := hostDestinations(h)
	known := map[string]bool{}
	for _, n := range all {
		known[n] = true
	}
	set := map[string]bool{}
	for j, n := range s.Reaches {
		if !known[n] {
			return result.Check{}, ev.e.Errorf(fmt.Sprintf("%s.reaches[%d]", s.Path, j), "host %s has no destination %q (destinations: %s)", h.Host, n, orNone(all))
		}
		set[n] = true
	}
	c := result.Check{Name: s.Name, Kind: result.CheckClass, Host: h.Host, Class: s.Class, Alpha: ev.alpha}
	var parts []string
	if len(s.Reaches) > 0 {
		parts = append(parts, "reaches "+strings.Join(s.Reaches, ", ")+" only")
	}
	if want != nil {
		parts = append(parts, "routed by rule "+want.Rule)
		c.Rule = want.Rule
	}
	c.Expected = strings.Join(parts, ", ")
	if c.Name == "" {
		c.Name = fmt.Sprintf("class %s %s", s.Class, c.Expected)
	}
	where := fmt.Sprintf("class %s (host %s)", s.Class, h.Host)

	// What happened.
	var reached []string
	got := map[string]int64{}
	switch {
	case o.requests == 0:
		c.Observed = "no requests"
	case o.rule == nil:
		c.Observed = o.outcome
	case o.rule.Action != "forward":
		c.Observed = fmt.Sprintf("rule %s: %s", o.rule.Rule, actionText(o.rule))
	default:
		var obs []string
		for i, d := range o.rule.Destinations {
			if i < len(o.counts) {
				n := DestinationName(d)
				if _, ok := got[n]; !ok {
					reached = append(reached, n)
				}
				got[n] += o.counts[i]
			}
		}
		for _, n := range reached {
			x := got[n]
			lo, hi := stats.Wilson(x, o.requests, 1-ev.alpha)
			var e *float64
			if len(set) > 0 && !set[n] {
				z := 0.0
				e = &z
			}
			c.Destinations = append(c.Destinations, result.CheckDestination{Name: n, Expected: e, Count: x, Share: float64(x) / float64(o.requests),
				CILow: lo, CIHigh: hi, Passed: set[n] == (x > 0) || len(set) == 0})
			if x > 0 {
				obs = append(obs, fmt.Sprintf("%s %s (%s)", n, pct(float64(x)/float64(o.requests)), format.Count(x)))
			}
		}
		c.Observed = fmt.Sprintf("rule %s: %s", o.rule.Rule, strings.Join(obs, ", "))
	}
	if o.requests == 0 {
		c.Failures = append(c.Failures, fmt.Sprintf("%s: expected it %s, observed no requests of the class", where, c.Expected))
		return c, nil
	}
	if want != nil && (o.rule == nil || o.rule.Rule != want.Rule) {
		gotRule := o.outcome
		if o.rule != nil {
			gotRule = "rule " + o.rule.Rule
		}
		c.Failures = append(c.Failures, fmt.Sprintf("%s: expected rule %s to route it, observed %s", where, want.Rule, gotRule))
		if want.Unreachable {
			c.Failures[len(c.Failures)-1] += fmt.Sprintf(" (rule %s is unreachable: an earlier catch-all rule takes every request)", want.Rule)
		}
	}
	if len(set) > 0 {
		switch {
		case o.rule == nil || o.rule.Action != "forward":
			c.Failures = append(c.Failures, fmt.Sprintf("%s: expected it to reach %s, observed %s", where, strings.Join(s.Reaches, ", "), c.Observed))
		default:
			for _, n := range reached {
				if x := got[n]; x > 0 && !set[n] {
					c.Failures = append(c.Failures, fmt.Sprintf("%s rule %s destination %s: expected 0%% of the class, observed %s (%s of %s)",
						where, o.rule.Rule, n, pct(float64(x)/float64(o.requests)), format.Count(x), format.Count(o.requests)))
				}
			}
			for _, n := range s.Reaches {
				if got[n] == 0 {
					c.Failures = append(c.Failures, fmt.Sprintf("%s rule %s destination %s: expected some of the class, observed 0%% (0 of %s)%s",
						where, o.rule.Rule, n, format.Count(o.requests), shadowHint(h, n)))
				}
			}
		}
	}
	c.Passed = len(c.Failures) == 0
	return c, nil
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
			if DestinationName(d) == name {
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
				obs = append(obs, fmt.Sprintf("destination %s expected %s, observed %s", DestinationName(d), pct(d.ExpectedShare), pct(d.Share)))
			}
			c.Failures = append(c.Failures, fmt.Sprintf("host %s rule %s: %s chi-square %.4g, df %d, Holm-adjusted p %s < alpha %g: %s",
				h.Host, r.Rule, t.Method, t.Statistic, t.DF, format.PValue(t.PAdjusted, math.Log10(t.PAdjusted)), run.Alpha, strings.Join(obs, "; ")))
		}
	}
	c.Observed = fmt.Sprintf("%d of %d rule tests rejected", failed, tested)
	if !c.Passed && failed == 0 {
		c.Failures = append(c.Failures, "run verdict: "+run.Verdict)
	}
	return c
}

// failed marks c failed with what was expected, what was observed and the problems.
func failed(c result.Check, expected, observed string, failures ...string) result.Check {
	c.Expected, c.Observed, c.Failures, c.Passed = expected, observed, failures, false
	return c
}

func actionText(r *result.Rule) string {
	if r.Status != 0 {
		return fmt.Sprintf("%s %d", r.Action, r.Status)
	}
	return r.Action
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

func sharesText(names []string, expected map[string]float64) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + " " + pctSpec(expected[n])
	}
	return strings.Join(parts, ", ")
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// pct formats a share as a percentage with 3 decimals, as reports do.
func pct(x float64) string {
	return strconv.FormatFloat(100*x, 'f', 3, 64) + "%"
}

// pctSpec formats an expected share without trailing zeros: "90%", "16.667%".
func pctSpec(x float64) string {
	return trimFloat(100*x) + "%"
}

func trimFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', 3, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// confText is the confidence 1-alpha as a percentage: "99.9%".
func confText(alpha float64) string {
	s := strconv.FormatFloat(100*(1-alpha), 'f', 4, 64)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".") + "%"
}
