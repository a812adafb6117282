package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/mesh"
)

// Expect is a scenario's expectations: what the routing configuration must do for `splitsim test` to
// pass. Evaluate checks them against a run; reading them only checks their form.
// Names of hosts, rules, destinations and classes are checked against the configuration when the
// scenario is evaluated (a name that does not exist there is an input error, never a silent pass).
type Expect struct {
	// Alpha is the significance level of this scenario's checks (default: splitsim test --alpha).
	Alpha float64 `json:"alpha,omitempty"`
	// Splits say how a rule's requests divide over its destinations.
	Splits []SplitExpectation `json:"splits,omitempty"`
	// Responses bound or fix the share of requests answered with a status (404 no route, 503 no
	// cluster, or the status of a redirect or direct response).
	Responses []ResponseExpectation `json:"responses,omitempty"`
	// Classes say which destinations (or rule) a request class of the traffic section reaches.
	Classes []ClassExpectation `json:"classes,omitempty"`
	// Plan holds requirements on the canary plan of the scenario's inputs (plan.go).
	Plan *PlanExpectation `json:"plan,omitempty"`

	doc *mesh.Document
}

// SplitExpectation: a rule's requests divide over its destinations in these shares.
type SplitExpectation struct {
	// Name labels the check in reports (default: "split host H rule R").
	Name string `json:"name,omitempty"`
	// Host is a VirtualService host; it may be left out when the configuration has one host.
	Host string `json:"host,omitempty"`
	// Rule is the rule's name or "#index" (a bare integer is an index too); it may be left out when
	// the host has one rule.
	Rule RuleRef `json:"rule,omitempty"`
	// Shares are expected shares in percent per destination (subset name, host:port or host, as
	// reports show them). Default: the configured weights. When they add up to 100, destinations not
	// listed must get nothing; when they add up to less, destinations not listed are not checked.
	Shares map[string]float64 `json:"shares,omitempty"`
	// Tolerance in percentage points: a destination fails when it is shown to be more than Tolerance
	// away from its expected share: the exact tolerance test (stats.ToleranceTest) of each checked
	// destination, Holm-adjusted across them, has p <= Alpha. A split whose every share is within the
	// tolerance fails with probability at most Alpha. Without it the split is tested with a
	// goodness-of-fit test at Alpha.
	Tolerance *float64 `json:"tolerance,omitempty"`
	// Alpha overrides the scenario's significance level for this check.
	Alpha float64 `json:"alpha,omitempty"`

	// Path is the field path of this expectation ("spec.expect.splits[0]"), for error messages.
	Path string `json:"-"`
}

// ResponseExpectation: the share of requests answered with Status is at most Max, or is Share.
type ResponseExpectation struct {
	// Name labels the check in reports (default: "status S share, host H").
	Name string `json:"name,omitempty"`
	// Host limits the check to one host; without it the share is over every host's requests.
	Host string `json:"host,omitempty"`
	// Rule limits the check to one rule of Host.
	Rule RuleRef `json:"rule,omitempty"`
	// Status is the HTTP status: 404 (no rule matched, flag NR), 503 (subset without a cluster, flag
	// NC), or the status of a redirect or direct response.
	Status int `json:"status"`
	// Max is the largest acceptable share in percent: the check fails when the share is, with
	// confidence 1-alpha, above Max. `max: 0` means "none at all".
	Max *float64 `json:"max,omitempty"`
	// Share is the expected share in percent, checked with the exact tolerance test (fail when the
	// share is shown, p <= Alpha, to be more than Tolerance points off) or, without Tolerance, with
	// an exact binomial test at Alpha.
	Share     *float64 `json:"share,omitempty"`
	Tolerance *float64 `json:"tolerance,omitempty"`
	Alpha     float64  `json:"alpha,omitempty"`

	Path string `json:"-"`
}

// ClassExpectation: every request of a traffic class reaches only the listed destinations (each of
// them receiving some), and/or is routed by the given rule.
type ClassExpectation struct {
	// Name labels the check in reports (default: "class C reaches D").
	Name string `json:"name,omitempty"`
	// Class is the name of a class of spec.traffic.
	Class string `json:"class"`
	// Reaches lists destination names (one name or a list).
	Reaches Names `json:"reaches,omitempty"`
	// Rule is the rule that must route the class (name or "#index").
	Rule RuleRef `json:"rule,omitempty"`

	Path string `json:"-"`
}

// RuleRef names a rule: its name or "#index". YAML reads `rule: #1` as a comment, so an integer
// (`rule: 1`) is accepted as an index too.
type RuleRef string

// UnmarshalJSON accepts a string or a non-negative integer.
func (r *RuleRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*r = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*r = RuleRef(s)
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil || n < 0 {
		return fmt.Errorf("a rule is a name, \"#index\" or an index, got %s", b)
	}
	*r = RuleRef("#" + strconv.Itoa(n))
	return nil
}

// Names is a list of names that may be written as a single string.
type Names []string

// UnmarshalJSON accepts a string or a list of strings.
func (n *Names) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*n = Names{one}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("want a name or a list of names, got %s", b)
	}
	*n = list
	return nil
}

// Count is the number of checks the expectations make.
func (e *Expect) Count() int {
	if e == nil {
		return 0
	}
	return len(e.Splits) + len(e.Responses) + len(e.Classes) + e.Plan.Count()
}

// RouteCount is the number of checks made on the simulated routing (splits, responses and
// classes): every check but the plan requirements.
func (e *Expect) RouteCount() int {
	if e == nil {
		return 0
	}
	return len(e.Splits) + len(e.Responses) + len(e.Classes)
}

// Errorf returns an input error about a field of the expectations (path as in
// "spec.expect.splits[0].host"), naming the file, the line and the scenario document.
func (e *Expect) Errorf(path, format string, args ...any) error {
	if e == nil || e.doc == nil {
		return fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
	}
	return e.doc.Errorf(path, format, args...)
}

// shareSumSlack is how far from 100 a list of shares may add up and still count as complete
// (33.3 + 33.3 + 33.4, or three times 33.33).
const shareSumSlack = 0.1

// SharesComplete reports whether shares add up to 100 percent (within a rounding slack): then
// destinations not listed must get nothing.
func SharesComplete(shares map[string]float64) bool {
	var sum float64
	for _, v := range shares {
		sum += v
	}
	return math.Abs(sum-100) <= shareSumSlack
}

// validate checks the form of the expectations; names are checked against the configuration later.
func (e *Expect) validate(d *mesh.Document, traffic []Class) error {
	if e == nil {
		return nil
	}
	e.doc = d
	const p = "spec.expect"
	if e.Plan != nil {
		if err := e.Plan.validate(d, p+".plan"); err != nil {
			return err
		}
	}
	if e.Alpha != 0 && !(e.Alpha > 0 && e.Alpha < 1) {
		return d.Errorf(p+".alpha", "must be between 0 and 1, got %v", e.Alpha)
	}
	for i := range e.Splits {
		if err := e.Splits[i].validate(d, fmt.Sprintf("%s.splits[%d]", p, i)); err != nil {
			return err
		}
	}
	for i := range e.Responses {
		if err := e.Responses[i].validate(d, fmt.Sprintf("%s.responses[%d]", p, i)); err != nil {
			return err
		}
	}
	for i := range e.Classes {
		if err := e.Classes[i].validate(d, fmt.Sprintf("%s.classes[%d]", p, i), traffic); err != nil {
			return err
		}
	}
	return nil
}

// validate sets the split expectation's path and checks its alpha, tolerance and shares: each a
// percentage of a named destination, together at most 100 and, when listed, more than 0.
func (s *SplitExpectation) validate(d *mesh.Document, path string) error {
	s.Path = path
	if err := checkAlphaTolerance(d, s.Path, s.Alpha, s.Tolerance); err != nil {
		return err
	}
	var sum float64
	for _, k := range s.shareNames() {
		v := s.Shares[k]
		if k == "" {
			return d.Errorf(s.Path+".shares", "empty destination name")
		}
		if err := checkPercent(d, s.Path+".shares."+k, v); err != nil {
			return err
		}
		sum += v
	}
	if sum > 100+shareSumSlack {
		return d.Errorf(s.Path+".shares", "shares add up to %v%%, more than 100%%", sum)
	}
	if len(s.Shares) > 0 && sum == 0 {
		return d.Errorf(s.Path+".shares", "shares add up to 0%%: list the destinations that must get traffic")
	}
	return nil
}

// validate sets the response expectation's path and checks its status, that a rule comes with its
// host, that it gives either max or share (a tolerance only with share), and its alpha and
// tolerance.
func (r *ResponseExpectation) validate(d *mesh.Document, path string) error {
	r.Path = path
	if r.Status < 100 || r.Status > 599 {
		return d.Errorf(r.Path+".status", "an HTTP status between 100 and 599 is required, got %d", r.Status)
	}
	if r.Rule != "" && r.Host == "" {
		return d.Errorf(r.Path+".rule", "a rule needs its host")
	}
	if err := r.validateBound(d); err != nil {
		return err
	}
	return checkAlphaTolerance(d, r.Path, r.Alpha, r.Tolerance)
}

// validateBound checks that a response expectation gives either max or share, as a percentage, and
// a tolerance only with share.
func (r *ResponseExpectation) validateBound(d *mesh.Document) error {
	switch {
	case r.Max == nil && r.Share == nil:
		return d.Errorf(r.Path, "give max (the largest acceptable share, in percent; 0 for none) or share (the expected share)")
	case r.Max != nil && r.Share != nil:
		return d.Errorf(r.Path, "give max or share, not both")
	case r.Share != nil:
		return checkPercent(d, r.Path+".share", *r.Share)
	}
	if err := checkPercent(d, r.Path+".max", *r.Max); err != nil {
		return err
	}
	if r.Tolerance != nil {
		return d.Errorf(r.Path+".tolerance", "a tolerance goes with share, not with max")
	}
	return nil
}

// validate sets the class expectation's path and checks that it names a class of the traffic
// section and gives the destinations it must reach (none of them empty) or the rule that must
// route it.
func (c *ClassExpectation) validate(d *mesh.Document, path string, traffic []Class) error {
	c.Path = path
	if c.Class == "" {
		return d.Errorf(c.Path+".class", "required: the name of a class of spec.traffic")
	}
	if !slices.ContainsFunc(traffic, func(t Class) bool { return t.Name == c.Class }) {
		if len(traffic) == 0 {
			return d.Errorf(c.Path+".class", "no class %q: the scenario has no traffic section (class expectations need one)", c.Class)
		}
		names := make([]string, len(traffic))
		for i, t := range traffic {
			names[i] = t.Name
		}
		return d.Errorf(c.Path+".class", "no class %q in spec.traffic (classes: %s)", c.Class, strings.Join(names, ", "))
	}
	if len(c.Reaches) == 0 && c.Rule == "" {
		return d.Errorf(c.Path, "give reaches (destinations) or rule (the rule that must route the class)")
	}
	for j, n := range c.Reaches {
		if n == "" {
			return d.Errorf(fmt.Sprintf("%s.reaches[%d]", c.Path, j), "empty destination name")
		}
	}
	return nil
}

// shareNames lists the destinations of the expected shares, sorted.
func (s *SplitExpectation) shareNames() []string {
	return slices.Sorted(maps.Keys(s.Shares))
}

// checkPercent checks that a share is a percentage.
func checkPercent(d *mesh.Document, path string, v float64) error {
	if !(v >= 0 && v <= 100) {
		return d.Errorf(path, "a share is a percentage between 0 and 100, got %v", v)
	}
	return nil
}

// checkAlphaTolerance checks an expectation's alpha (0 for the default) and tolerance.
func checkAlphaTolerance(d *mesh.Document, path string, alpha float64, tol *float64) error {
	if alpha != 0 && !(alpha > 0 && alpha < 1) {
		return d.Errorf(path+".alpha", "must be between 0 and 1, got %v", alpha)
	}
	if tol != nil && !(*tol >= 0 && *tol < 100) {
		return d.Errorf(path+".tolerance", "percentage points between 0 and 100, got %v", *tol)
	}
	return nil
}
