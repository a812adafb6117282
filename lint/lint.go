package lint

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	networking "istio.io/api/networking/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/scenarios"
	"github.com/splitsim/splitsim/sim"
)

// Input is what Check looks at.
type Input struct {
	Files []string
	// Config holds the resources that decoded and validated (mesh.Config.AddLenient).
	Config *mesh.Config
	// Problems are the decoding and validation problems of the resources left out of Config.
	Problems []*mesh.Error
	// ReadFile reads an input file again, to give Istio's analyzers the VirtualServices and
	// DestinationRules left out of Config (collectIstioInputs) and to read the annotations of the
	// resources left out; nil means scenarios.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// Suppress are the --suppress values: the findings they match are left out of Findings and
	// listed in SuppressedFindings, as are those the analyze-suppress annotation of their resource
	// names (SuppressAnnotation).
	Suppress []Suppression
	// FailThreshold is the least severity that fails the verdict, as istioctl analyze's
	// --failure-threshold; "" means error.
	FailThreshold result.Severity
}

// Check runs every check over the configuration and returns the findings, sorted by file, line and
// code. The verdict fails when a finding that is not suppressed has FailThreshold's severity or a
// worse one.
func Check(in Input) (*result.Lint, error) {
	threshold := in.FailThreshold
	if threshold == "" {
		threshold = result.SeverityError
	}
	if severityRank(threshold) == 0 {
		return nil, fmt.Errorf("fail threshold %q: want error, warning or info", threshold)
	}
	read := in.ReadFile
	if read == nil {
		read = scenarios.ReadFile
	}
	order := map[string]int{}
	for i, f := range in.Files {
		if _, ok := order[f]; !ok {
			order[f] = i
		}
	}
	c := &checker{cfg: in.Config, reported: map[string]bool{}, docs: newDocSource(read), fileOrder: order,
		managers: newManagers(in.Config)}
	istio := collectIstioInputs(in.Config, in.Problems, c.docs, c.fileIndex)
	c.problems(in.Problems, func(p *mesh.Error) bool { return !istio.undecodable[docKey(p.File, p.Doc)] })
	c.problems(istio.validation, func(*mesh.Error) bool { return true })
	tr, err := mesh.Translate(in.Config)
	if err != nil {
		var me *mesh.Error
		if !errors.As(err, &me) {
			return nil, err
		}
		c.problems([]*mesh.Error{me}, func(*mesh.Error) bool { return true })
		tr = nil
	}
	c.duplicates()
	// Istio's analyzers, over every VirtualService and DestinationRule that decodes.
	c.gatewayReferences(in.Problems, istio.vss)
	c.destinationHosts(istio.vss)
	c.destinationSubsets(istio.vss, istio.drs)
	c.meshHostConflicts(tr, istio.vss)
	for _, vs := range istio.vss {
		c.unreachable(vs)
	}
	// splitsim's own checks, over the resources that validate.
	for _, vs := range in.Config.VirtualServices {
		c.virtualService(vs)
	}
	for _, r := range in.Config.HTTPRoutes {
		c.httpRoute(r)
	}
	c.faultAborts(in.Config.VirtualServices)
	c.notChecked(in.Config.Others)
	if tr != nil {
		c.translation(tr)
	}
	sort.SliceStable(c.findings, func(i, j int) bool {
		a, b := &c.findings[i].Finding, &c.findings[j].Finding
		if a.File != b.File {
			return c.fileIndex(a.File) < c.fileIndex(b.File)
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Code < b.Code
	})
	out := &result.Lint{Header: result.NewHeader(result.KindLint), Files: in.Files, FailThreshold: threshold, Verdict: result.Pass,
		Findings: []result.Finding{}, SuppressedFindings: []result.SuppressedFinding{}}
	for _, f := range c.findings {
		if by := c.suppressedBy(f, in.Suppress); by != "" {
			out.SuppressedFindings = append(out.SuppressedFindings, result.SuppressedFinding{Finding: f.Finding, SuppressedBy: by})
			continue
		}
		out.Findings = append(out.Findings, f.Finding)
		switch f.Severity {
		case result.SeverityError:
			out.Errors++
		case result.SeverityWarning:
			out.Warnings++
		default:
			out.Infos++
		}
		if severityRank(f.Severity) >= severityRank(threshold) {
			out.Verdict = result.Fail
		}
	}
	out.Suppressed = len(out.SuppressedFindings)
	return out, nil
}

// severityRank orders severities as istioctl's diag levels do: info 1, warning 2, error 3; 0 for
// anything else.
func severityRank(s result.Severity) int {
	switch s {
	case result.SeverityInfo:
		return 1
	case result.SeverityWarning:
		return 2
	case result.SeverityError:
		return 3
	}
	return 0
}

// ParseSeverity reads a severity as istioctl's --failure-threshold does (formatting.MessageThreshold
// Set): error, warning or info, in any case.
func ParseSeverity(s string) (result.Severity, error) {
	sev := result.Severity(strings.ToLower(s))
	if severityRank(sev) == 0 {
		return "", fmt.Errorf("invalid level %q: want error, warning or info", s)
	}
	return sev, nil
}

// suppressedBy says what suppresses a finding, "" when nothing does: the analyze-suppress
// annotation of its resource, else the first --suppress value that matches it (in that order istio
// pkg/config/analysis/local/istiod_analyze.go filterMessages tests them).
func (c *checker) suppressedBy(f finding, suppress []Suppression) string {
	if v := c.docs.annotation(f.File, f.doc); annotationSuppresses(v, f.Code) {
		return "annotation " + SuppressAnnotation + ": " + v
	}
	for _, s := range suppress {
		if s.matches(&f.Finding) {
			return "--suppress " + s.String()
		}
	}
	return ""
}

// fileIndex is the position of a file among the inputs (after them all for another).
func (c *checker) fileIndex(f string) int {
	if i, ok := c.fileOrder[f]; ok {
		return i
	}
	return len(c.fileOrder)
}

// finding is a finding with the document of its resource in its file ("document 2"), whose
// annotation may suppress it.
type finding struct {
	result.Finding
	doc string
}

type checker struct {
	cfg      *mesh.Config
	findings []finding
	// docs finds the documents of the inputs, for their annotations.
	docs *docSource
	// fileOrder is the position of each input file.
	fileOrder map[string]int
	// managers are the Rollouts and Canaries of the inputs, by the VirtualService they drive.
	managers managers
	// reported remembers the rules with IST0130 findings ("file|document|spec.http[i]"), so that
	// splitsim's own reachability check (SPL013) does not repeat Istio's.
	reported map[string]bool
	// validationSeen remembers the IST0106 texts reported per document (problems).
	validationSeen map[string]bool
}

// report adds a finding about path in document d.
func (c *checker) report(code string, d *mesh.Document, path, format string, args ...any) {
	ci := codeInfo(code)
	c.reportSeverity(code, ci.Severity, d, path, format, args...)
}

func (c *checker) reportSeverity(code string, severity result.Severity, d *mesh.Document, path, format string, args ...any) {
	ci := codeInfo(code)
	c.findings = append(c.findings, finding{result.Finding{Severity: severity, Code: code, Name: ci.Name, File: d.File,
		Line: d.LineOf(path), Resource: resource(d), Path: path, Message: fmt.Sprintf(format, args...)}, d.Doc})
	c.docs.note(d)
}

func resource(d *mesh.Document) string {
	return d.Kind + " " + d.FullName()
}

// problems turns decoding and validation problems into findings: a validation error (validation says
// which problems are) of a VirtualService or DestinationRule is IST0106 with Istio's "Schema
// validation error: %v" (istio pkg/config/analysis/analyzers/schema/validation.go reports each error
// of the multierror ValidateVirtualService or ValidateDestinationRule returns, and istioctl analyze
// drops a message whose text repeats for the same resource, so a text is reported once per
// resource); any other problem (a spec that does not decode, an unserved apiVersion, another kind) is
// SPL007: the API server would reject it before Istio's validation.
func (c *checker) problems(ps []*mesh.Error, validation func(*mesh.Error) bool) {
	if c.validationSeen == nil {
		c.validationSeen = map[string]bool{}
	}
	seen := c.validationSeen
	for _, p := range ps {
		code, msg := "SPL007", p.Msg
		istio := p.Kind == "VirtualService" || p.Kind == "DestinationRule" ||
			(p.Kind == "Gateway" || p.Kind == "ServiceEntry") && strings.HasPrefix(p.APIVersion, "networking.istio.io/")
		if istio && validation(p) {
			code, msg = "IST0106", "Schema validation error: "+p.Msg
		}
		res := strings.TrimSpace(p.Kind + " " + p.Namespace + "/" + strings.TrimSpace(strings.TrimPrefix(p.Resource, p.Kind)))
		if p.Kind == "" {
			res = p.Resource
		}
		if key := code + "|" + p.File + "|" + p.Doc + "|" + msg; code == "IST0106" {
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		ci := codeInfo(code)
		c.findings = append(c.findings, finding{result.Finding{Severity: ci.Severity, Code: code, Name: ci.Name, File: p.File,
			Line: p.Line, Resource: res, Path: p.Path, Message: msg}, p.Doc})
	}
}

// duplicates reports objects defined twice (SPL010).
func (c *checker) duplicates() {
	var docs []*mesh.Document
	for _, x := range c.cfg.VirtualServices {
		docs = append(docs, x.Document)
	}
	for _, x := range c.cfg.DestinationRules {
		docs = append(docs, x.Document)
	}
	for _, x := range c.cfg.Services {
		docs = append(docs, x.Document)
	}
	for _, x := range c.cfg.HTTPRoutes {
		docs = append(docs, x.Document)
	}
	first := map[string]*mesh.Document{}
	for _, d := range docs {
		key := d.Kind + " " + d.FullName()
		if f, ok := first[key]; ok {
			c.report("SPL010", d, "metadata.name", "%s is also defined at %s: in a cluster the one applied last replaces the other, while splitsim reads both; keep one, or give them different names",
				key, f.Source("metadata.name"))
			continue
		}
		first[key] = d
	}
}

// virtualService runs splitsim's per-resource checks of one VirtualService.
func (c *checker) virtualService(vs *mesh.VirtualService) {
	for i, r := range vs.Spec.GetHttp() {
		p := fmt.Sprintf("spec.http[%d]", i)
		c.destinations(vs, i, r, p)
		for j, m := range r.GetMatch() {
			c.matchRegexes(vs, m, fmt.Sprintf("%s.match[%d]", p, j))
		}
	}
}

// destinations checks the destinations of one rule: SPL001 to SPL004.
func (c *checker) destinations(vs *mesh.VirtualService, rule int, r *networking.HTTPRoute, p string) {
	routes := r.GetRoute()
	var total int64
	for _, d := range routes {
		total += int64(d.GetWeight())
	}
	firstAt := map[string]int{}
	for j, rd := range routes {
		q := fmt.Sprintf("%s.route[%d]", p, j)
		d := rd.GetDestination()
		key := fmt.Sprintf("%s|%s|%d", mesh.FQDN(d.GetHost(), vs.Namespace), d.GetSubset(), d.GetPort().GetNumber())
		if k, dup := firstAt[key]; dup {
			c.report("SPL002", vs.Document, q, "destination %s is listed twice in this rule (also route[%d]): Envoy keeps both entries, so its share is their sum; merge them into one entry", destName(d), k)
		} else {
			firstAt[key] = j
		}
		if len(routes) > 1 && rd.GetWeight() == 0 && total > 0 {
			c.zeroWeight(vs, rule, d, q)
		}
	}
	c.weightSum(vs, routes, p, total)
}

// zeroWeight reports SPL001 for a destination at q of http rule i with weight 0 (written, or left
// out) next to others; or, when an Argo Rollout or Flagger Canary of the inputs sets that weight
// (managers), SPL014 saying so.
func (c *checker) zeroWeight(vs *mesh.VirtualService, i int, d *networking.Destination, q string) {
	how := "weight 0"
	path := q + ".weight"
	if !vs.Has(path) {
		how = "no weight (which means 0)"
		path = q
	}
	if mg := c.managers.managerOf(vs, i, d); mg != nil {
		c.report("SPL014", vs.Document, path, "destination %s has %s, and its weight is managed by %s: it receives no traffic until %s raises it; leave the destination in place (%s needs it)",
			destName(d), how, mg.describe(), mg.tool, mg.tool)
		return
	}
	c.report("SPL001", vs.Document, path, "destination %s has %s: Istio drops it from the route and it receives no traffic; give it a weight above 0 or remove it", destName(d), how)
}

// weightSum reports SPL004 for a weight other than 100 on a rule's only destination, and SPL003 for
// weights of several destinations that do not sum to 100.
func (c *checker) weightSum(vs *mesh.VirtualService, routes []*networking.HTTPRouteDestination, p string, total int64) {
	switch {
	case len(routes) == 1:
		w := routes[0].GetWeight()
		q := p + ".route[0].weight"
		if vs.Has(q) && w != 100 {
			c.report("SPL004", vs.Document, q, "weight %d on the only destination is ignored: Istio sends it 100%% of the rule's traffic; remove the weight or add the other destinations", w)
		}
	case len(routes) > 1 && total > 0 && total != 100:
		var parts []string
		for _, rd := range routes {
			if rd.GetWeight() > 0 {
				parts = append(parts, fmt.Sprintf("%s %.1f%%", destName(rd.GetDestination()), 100*float64(rd.GetWeight())/float64(total)))
			}
		}
		c.report("SPL003", vs.Document, p+".route", "weights sum to %d, not 100: each destination gets weight/%d (%s); Istio 1.14 and older reject this", total, total, strings.Join(parts, ", "))
	}
}

func shareText(w int32, total int64, n int) string {
	if n == 1 || total <= 0 {
		return "100%"
	}
	return fmt.Sprintf("%.4g%%", 100*float64(w)/float64(total))
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "no subsets"
	}
	return strings.Join(s, ", ")
}

func destName(d *networking.Destination) string {
	s := d.GetHost()
	if d.GetSubset() != "" {
		s += "/" + d.GetSubset()
	}
	if d.GetPort().GetNumber() != 0 {
		s += fmt.Sprintf(":%d", d.GetPort().GetNumber())
	}
	return s
}

// matchRegexes checks the regexes and URI values of one VirtualService match block (SPL006).
func (c *checker) matchRegexes(vs *mesh.VirtualService, m *networking.HTTPMatchRequest, q string) {
	if m == nil {
		return
	}
	if u := m.GetUri(); u != nil {
		switch x := u.GetMatchType().(type) {
		case *networking.StringMatch_Regex:
			c.regex(vs.Document, q+".uri.regex", "uri", x.Regex, true)
		case *networking.StringMatch_Exact:
			c.slash(vs.Document, q+".uri.exact", "exact", x.Exact, m.GetIgnoreUriCase())
		case *networking.StringMatch_Prefix:
			c.slash(vs.Document, q+".uri.prefix", "prefix", x.Prefix, m.GetIgnoreUriCase())
		}
	}
	for _, f := range []struct {
		name string
		sm   *networking.StringMatch
	}{{"scheme", m.GetScheme()}, {"method", m.GetMethod()}, {"authority", m.GetAuthority()}} {
		if f.sm != nil && f.sm.GetRegex() != "" {
			c.regex(vs.Document, q+"."+f.name+".regex", f.name, f.sm.GetRegex(), false)
		}
	}
	for _, kind := range []string{"headers", "queryParams"} {
		ms := m.GetHeaders()
		if kind == "queryParams" {
			ms = m.GetQueryParams()
		}
		keys := make([]string, 0, len(ms))
		for k := range ms {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if re := ms[k].GetRegex(); re != "" && re != "*" {
				c.regex(vs.Document, q+"."+kind+"."+k+".regex", kind+" "+k, re, false)
			}
		}
	}
}

// regex reports SPL006 when no string (no path, for a URI) can match the regex in full.
func (c *checker) regex(d *mesh.Document, path, what, re string, isPath bool) {
	ok, err := canFullMatch(re, isPath)
	if err != nil || ok {
		return // syntax errors are IST0106 or SPL007
	}
	if isPath {
		if any, _ := canFullMatch(re, false); any {
			c.report("SPL006", d, path, "%s regex %q can never match a request path: Envoy matches the whole path, which starts with \"/\"", what, re)
			return
		}
	}
	c.report("SPL006", d, path, "%s regex %q can never match: no string satisfies it in full (Envoy matches the whole value with RE2)", what, re)
}

func (c *checker) slash(d *mesh.Document, path, kind, v string, ignoreCase bool) {
	if v != "" && !strings.HasPrefix(v, "/") {
		c.report("SPL006", d, path, "uri %s %q can never match a request path, which starts with \"/\"; write %q", kind, v, "/"+v)
	}
}

// httpRoute runs the per-resource checks of one HTTPRoute, rule by rule.
func (c *checker) httpRoute(r *mesh.HTTPRoute) {
	for i := range r.Route.Spec.Rules {
		rule := &r.Route.Spec.Rules[i]
		p := fmt.Sprintf("spec.rules[%d]", i)
		c.backendRefs(r, rule, p)
		for j := range rule.Matches {
			c.httpRouteMatchRegexes(r, &rule.Matches[j], fmt.Sprintf("%s.matches[%d]", p, j))
		}
	}
}

// backendRefs checks the backendRefs of one HTTPRoute rule: SPL008 for a rule without a live
// backend, then per backend SPL009, SPL002 and SPL001.
func (c *checker) backendRefs(r *mesh.HTTPRoute, rule *gatewayv1.HTTPRouteRule, p string) {
	var sum int64
	for _, b := range rule.BackendRefs {
		sum += int64(weightOf(b))
	}
	if sum == 0 && !mesh.HasRequestRedirect(rule) {
		path := p + ".backendRefs"
		if len(rule.BackendRefs) == 0 {
			path = p
		}
		c.report("SPL008", r.Document, path, "no backendRef has a weight above 0 (weights default to 1): every request matching this rule gets 500")
	}
	firstAt := map[string]int{}
	for k := range rule.BackendRefs {
		b := &rule.BackendRefs[k]
		q := fmt.Sprintf("%s.backendRefs[%d]", p, k)
		name := backendName(r, b)
		if why := c.cfg.InvalidBackend(r, b); why != "" && weightOf(*b) > 0 {
			c.report("SPL009", r.Document, q, "invalid backend %s: %s; its share of the rule's traffic gets 500", name, why)
		}
		if k2, dup := firstAt[name]; dup {
			c.report("SPL002", r.Document, q, "backend %s is listed twice in this rule (also backendRefs[%d]): both entries are kept, so its share is their sum; merge them", name, k2)
		} else {
			firstAt[name] = k
		}
		if weightOf(*b) == 0 && sum > 0 {
			c.report("SPL001", r.Document, q+".weight", "backend %s has weight 0: it receives no traffic; give it a weight above 0 or remove it", name)
		}
	}
}

// httpRouteMatchRegexes checks the regexes of one HTTPRoute match block (SPL006): path, headers,
// query parameters.
func (c *checker) httpRouteMatchRegexes(r *mesh.HTTPRoute, m *gatewayv1.HTTPRouteMatch, q string) {
	if m.Path != nil && m.Path.Type != nil && *m.Path.Type == gatewayv1.PathMatchRegularExpression && m.Path.Value != nil {
		c.regex(r.Document, q+".path.value", "path", *m.Path.Value, true)
	}
	for k, h := range m.Headers {
		if h.Type != nil && *h.Type == gatewayv1.HeaderMatchRegularExpression {
			c.regex(r.Document, fmt.Sprintf("%s.headers[%d].value", q, k), "header "+string(h.Name), h.Value, false)
		}
	}
	for k, qp := range m.QueryParams {
		if qp.Type != nil && *qp.Type == gatewayv1.QueryParamMatchRegularExpression {
			c.regex(r.Document, fmt.Sprintf("%s.queryParams[%d].value", q, k), "query "+string(qp.Name), qp.Value, false)
		}
	}
}

func weightOf(b gatewayv1.HTTPBackendRef) int32 {
	if b.Weight == nil {
		return 1
	}
	return *b.Weight
}

func backendName(r *mesh.HTTPRoute, b *gatewayv1.HTTPBackendRef) string {
	s := string(b.Name)
	if b.Namespace != nil && string(*b.Namespace) != r.Namespace {
		s += "." + string(*b.Namespace)
	}
	if b.Port != nil {
		s += fmt.Sprintf(":%d", *b.Port)
	}
	if b.Kind != nil && *b.Kind != "Service" {
		s = string(*b.Kind) + " " + s
	}
	return s
}

// translation runs the checks that need the routing table: SPL101, SPL005, and the reachability
// Istio's analyzer does not see (SPL013 after a catch-all match block, SPL011 for HTTPRoutes).
func (c *checker) translation(tr *mesh.Translation) {
	c.splitsNotForAll(tr)
	seen := map[string]bool{}
	for _, h := range tr.Table.Hosts {
		if len(h.Rules) == 0 {
			continue
		}
		// Every caller view of a host has the same catch-all question; ask it once per host.
		if !seen[h.FQDN+"|"+h.DecidedBy] {
			seen[h.FQDN+"|"+h.DecidedBy] = true
			c.catchAll(tr, h)
		}
	}
	c.unusedRules(tr)
}

// catchAllRoute returns the host's first catch-all route and its rule, or a nil rule when it has
// none.
func catchAllRoute(h *sim.Host) (*sim.Rule, sim.Route) {
	for _, r := range h.Routes {
		if r.Match.CatchAll() {
			return h.Rules[r.Rule], r
		}
	}
	return nil, sim.Route{}
}

// catchAll reports SPL005 on the last rule of a host without a catch-all route (info only for a
// gateway host).
func (c *checker) catchAll(tr *mesh.Translation, h *sim.Host) {
	first := tr.Origins[h.Rules[0]]
	last := tr.Origins[h.Rules[len(h.Rules)-1]]
	if rule, _ := catchAllRoute(h); rule != nil || first.Doc == nil {
		return
	}
	sev := result.SeverityWarning
	extra := ""
	if strings.Contains(h.Name, "@") {
		sev = result.SeverityInfo
		extra = " (on a gateway that may be intended)"
	}
	fix := "add a last rule without match"
	if first.Doc.Kind == "HTTPRoute" {
		fix = "add a rule matching path prefix \"/\""
	}
	what := "a request that matches none of its %d rule(s) gets 404 (no route, flag NR)"
	if strings.HasPrefix(h.Name, mesh.TCPPrefix) || strings.HasPrefix(h.Name, mesh.TLSPrefix) {
		what = "a connection that matches none of its %d rule(s) is not routed by them" // no HTTP status for a connection
	}
	c.reportSeverity("SPL005", sev, last.Doc, last.Path,
		"host %s has no catch-all rule: "+what+"%s; %s", h.Name, len(h.Rules), extra, fix)
}

// unusedRules reports the rules that no caller view uses because a catch-all comes before them, and
// that Istio's analyzer has not already reported (IST0130): SPL011 for HTTPRoute rules, SPL013 for
// VirtualService rules. A rule some caller reaches (one that only a sourceLabels catch-all hides
// from others, say) is not reported.
func (c *checker) unusedRules(tr *mesh.Translation) {
	type use struct {
		reached bool
		hidden  *sim.Rule
		by      string
	}
	uses := map[string]*use{}
	var order []string
	for _, h := range tr.Table.Hosts {
		routed := map[int]bool{}
		for _, r := range h.Routes {
			routed[r.Rule] = true
		}
		by := catchAllText(catchAllRoute(h))
		for i, r := range h.Rules {
			o := tr.Origins[r]
			if o.Doc == nil {
				continue
			}
			key := o.Doc.File + "|" + o.Doc.Doc + "|" + o.Path
			u := uses[key]
			if u == nil {
				u = &use{}
				uses[key] = u
				order = append(order, key)
			}
			switch {
			case routed[i]:
				u.reached = true
			case r.Unreachable && u.hidden == nil:
				u.hidden, u.by = r, by
			}
		}
	}
	for _, key := range order {
		u := uses[key]
		if u.reached || u.hidden == nil || c.reported[key] {
			continue
		}
		o := tr.Origins[u.hidden]
		if o.Doc.Kind == "HTTPRoute" || o.Doc.Kind == "GRPCRoute" { // a GRPCRoute is routed as the HTTPRoute Istio converts it into
			c.report("SPL011", o.Doc, o.Path, "rule %s is never used: in the Gateway API's precedence order, %s comes before all its matches and takes every request", u.hidden.Label(), u.by)
			continue
		}
		c.report("SPL013", o.Doc, o.Path, "rule %s is never used: %s takes every request before it, and Istio generates no route after a catch-all; move the rule before it, or remove it", u.hidden.Label(), u.by)
	}
}

// catchAllText names the catch-all that makes later rules unreachable, for the messages.
func catchAllText(rule *sim.Rule, route sim.Route) string {
	switch {
	case rule == nil:
		return "an earlier catch-all route"
	case route.MatchIndex >= 0 && route.Match.URI != nil:
		return fmt.Sprintf("rule %s (its match on %s, a catch-all)", rule.Label(), route.Match.URI)
	case route.MatchIndex >= 0:
		return fmt.Sprintf("rule %s (its empty match block, a catch-all)", rule.Label())
	}
	return fmt.Sprintf("rule %s (no match: a catch-all)", rule.Label())
}
