package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/check"
	"github.com/splitsim/splitsim/observe"
	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/sim"
)

const verifyHelp = `Usage: splitsim verify (--weights W | --config FILE... --host H [--rule R])
                       (--counts C | --observed FILE|-) [flags]

Test observed request counts against the configured weights: Pearson chi-square, G-test and the exact
multinomial test, an interval and an exact binomial test (Holm-adjusted) per destination, Cohen's w.

Expected shares come from --weights (70,30 or v1=70,v2=30) or from a VirtualService through the same
translation as splitsim run (--config, --host, --rule name or #index; weight-0 entries drop out and a
destination listed twice counts once with both weights).

Observed counts come from --counts (712,288 or v1=712,v2=288) or --observed FILE (or - for stdin), whose
format is detected: a JSON object {"v1": 712, ...} or an array of them (a series), CSV name,count or
interval,name,count, Prometheus text exposition (istio_requests_total grouped by destination_version,
envoy_cluster_upstream_rq_total by cluster_name), Envoy access logs (Istio's default text format or
JSON). Observed names are matched to destinations by cluster name, subset, host, or --map.

Examples:
  splitsim verify --weights 70,30 --counts 720,280
  splitsim verify --config scenarios/bookinfo-80-20.yaml --host reviews --observed scrape.txt
  splitsim verify --config vs.yaml --host reviews --observed after.txt --before before.txt --match reporter=destination
  splitsim verify --weights v1=90,v2=10 --observed series.json --sequential
  splitsim verify --weights v1=90,v2=10 --counts v1=880,v2=120 -o verify.json --html verify.html --junit junit.xml

Reports: --html writes one self-contained page (verdict, tables, charts), --png DIR the charts
(configured against observed shares; with --sequential the p-value per look), --junit a JUnit XML
file with one test case per check: the test the verdict rests on, each destination's binomial test
(Holm-adjusted) and the sequential test; it has failures exactly when the verdict is fail.
splitsim report renders a result saved with -o again.
`

func verifyCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify", verifyHelp, stderr)
	weights := fs.String("weights", "", "configured weights: 70,30 or v1=70,v2=30")
	configs := fs.StringArray("config", nil, "Kubernetes YAML or scenario file to take the weights from (repeatable)")
	host := fs.String("host", "", "with --config: the VirtualService host")
	ruleSel := fs.String("rule", "", "with --config: the rule, by name or #index (default: the only forward rule)")
	counts := fs.String("counts", "", "observed counts: 712,288 or v1=712,v2=288")
	observed := fs.String("observed", "", "file of observed counts, or - for standard input")
	before := fs.String("before", "", "an earlier Prometheus scrape: counts are the difference after - before")
	obsFormat := fs.String("observed-format", "auto", "format of --observed: auto, "+strings.Join(observe.Formats(), ", "))
	metric := fs.String("metric", "", "Prometheus metric (default istio_requests_total, else envoy_cluster_upstream_rq_total)")
	label := fs.String("label", "", "Prometheus label to group by (default destination_version, or cluster_name for envoy_* metrics)")
	matchers := fs.StringArray("match", nil, "keep only series or log lines with label=value (repeatable; !=, =~ also work)")
	maps := fs.StringArray("map", nil, "map an observed name to a destination: name=subset|cluster|host (repeatable)")
	cumulative := fs.Bool("cumulative", false, "the observed series holds running totals, not per-interval counts")
	sequential := fs.Bool("sequential", false, "the observations are a series of looks: anytime-valid sequential test")
	alpha := fs.Float64("alpha", 0.001, "significance level; intervals are at confidence 1-alpha")
	method := fs.String("method", "auto", "test for the verdict: pearson, g, exact or auto (exact when an expected count is below 5)")
	tolerance := fs.Float64("tolerance", 0, "fail only if a share is off by more than this many percentage points, with confidence 1-alpha")
	seed := fs.Uint64("seed", 1, "seed of the Monte Carlo exact test, when the outcome space is too large to enumerate")
	format := fs.String("format", "text", "output format: text or json")
	output := fs.StringP("output", "o", "", "also write the JSON result to this file")
	rf := addReportFlagsFor(fs, "one test case per check (the split, each destination, the sequential test)")
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	fail2 := func(err error) int { return fail(stderr, "verify", err) }
	if err := checkFormat(*format); err != nil {
		return fail2(err)
	}
	if fs.NArg() > 0 {
		return fail2(fmt.Errorf("unexpected argument %q (files go after --config or --observed)", fs.Arg(0)))
	}
	if !(*alpha > 0 && *alpha < 1) {
		return fail2(fmt.Errorf("--alpha must be between 0 and 1, got %v", *alpha))
	}
	if *tolerance < 0 || *tolerance >= 100 {
		return fail2(fmt.Errorf("--tolerance must be between 0 and 100 percentage points, got %v", *tolerance))
	}
	// Expected destinations.
	var exp expected
	var err error
	switch {
	case *weights != "" && len(*configs) > 0:
		return fail2(fmt.Errorf("give --weights or --config, not both"))
	case *weights != "":
		exp, err = parseWeights(*weights)
	case len(*configs) > 0:
		exp, err = weightsFromConfig(*configs, *host, *ruleSel)
	default:
		return fail2(fmt.Errorf("give the configured weights with --weights or --config"))
	}
	if err != nil {
		return fail2(err)
	}
	explicit := map[string]string{}
	for _, m := range *maps {
		k, v, ok := strings.Cut(m, "=")
		if !ok || k == "" || v == "" {
			return fail2(fmt.Errorf("--map %q: want name=destination", m))
		}
		explicit[k] = v
	}
	// Observed counts.
	var cnt []int64
	var batches [][]int64
	var src result.VerifySource
	var warnings []string
	var unrouted int64
	switch {
	case *counts != "" && *observed != "":
		return fail2(fmt.Errorf("give --counts or --observed, not both"))
	case *counts != "":
		cnt, err = parseCounts(*counts, exp)
		if err != nil {
			return fail2(err)
		}
		if *sequential {
			return fail2(fmt.Errorf("--sequential needs a series: give --observed with a JSON array or an interval,name,count CSV"))
		}
	case *observed != "":
		opts := observe.Options{Format: *obsFormat, Metric: *metric, GroupBy: *label, Cumulative: *cumulative}
		for _, m := range *matchers {
			mt, err := observe.ParseMatcher(m)
			if err != nil {
				return fail2(fmt.Errorf("--match %q: %v", m, err))
			}
			opts.Match = append(opts.Match, mt)
		}
		opts.Services = exp.fqdns()
		obs, err := readObserved(*observed, *before, opts)
		if err != nil {
			return fail2(err)
		}
		src = result.VerifySource{Observed: *observed, Format: obs.Format}
		warnings = append(warnings, obs.Warnings...)
		names := obs.NonZero()
		idx, err := observe.Match(names, exp.refs, explicit)
		if err != nil {
			return fail2(fmt.Errorf("%s: %v", *observed, err))
		}
		cnt = make([]int64, len(exp.names))
		for _, name := range names {
			if name == observe.NoUpstream {
				unrouted += obs.Counts[name]
				continue
			}
			cnt[idx[name]] += obs.Counts[name]
		}
		if *sequential {
			if obs.Series == nil {
				return fail2(fmt.Errorf("%s: --sequential needs a series (a JSON array of objects, or CSV interval,name,count)", *observed))
			}
			for _, row := range obs.Series {
				b := make([]int64, len(exp.names))
				for name, v := range row {
					if i, ok := idx[name]; ok {
						b[i] += v
					}
				}
				batches = append(batches, b)
			}
		}
	default:
		return fail2(fmt.Errorf("give the observed counts with --counts or --observed"))
	}
	out, err := check.Verify(check.VerifyInput{Names: exp.names, Clusters: exp.clusters, Weights: exp.weights, Counts: cnt,
		Alpha: *alpha, Method: *method, TolerancePP: *tolerance, Seed: *seed})
	if err != nil {
		return fail2(err)
	}
	out.Version = Version
	out.Unrouted = unrouted
	out.Warnings = append(append(append([]string{}, exp.warnings...), warnings...), out.Warnings...)
	if unrouted > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%d observed requests had no upstream cluster (404 no route or 503 no cluster); they are not part of the split", unrouted))
	}
	if len(*configs) > 0 {
		src.Config, src.Host, src.Rule = *configs, exp.host, exp.rule
	}
	if src.Observed != "" || src.Config != nil {
		out.Source = &src
	}
	if *sequential {
		out.Sequential = check.SequentialLooks(exp.weights, batches, *alpha)
		switch {
		case out.Sequential.FirstReject >= 0:
			out.Verdict = result.Fail
			out.Reason = fmt.Sprintf("the sequential test rejects the configured split at look %d", out.Sequential.FirstReject+1)
		case *tolerance == 0:
			// A fixed-N test is not valid after repeated looks: the sequential test decides.
			out.Verdict = result.Pass
			out.Reason = "the sequential test does not reject the configured split at any look"
			for i := range out.Destinations {
				out.Destinations[i].Off = false
			}
		}
	}
	inputs := append(append([]string{}, *configs...), *observed, *before)
	if err := rf.render(verifyReport{out}, inputs, *output); err != nil {
		return fail2(err)
	}
	if *output != "" {
		var buf bytes.Buffer
		if err := report.JSON(&buf, out); err != nil {
			return fail2(err)
		}
		if err := report.WriteFile(*output, buf.Bytes(), inputs); err != nil {
			return fail2(err)
		}
	}
	if *format == "json" {
		err = report.JSON(stdout, out)
	} else {
		err = report.VerifyText(stdout, out)
	}
	if err != nil {
		return fail2(err)
	}
	if out.Verdict != result.Pass {
		return exitFail
	}
	return exitPass
}

// expected is the configured side of a verification.
type expected struct {
	names    []string
	clusters []string
	weights  []float64
	refs     []observe.DestRef
	host     string
	rule     string
	warnings []string
	named    bool
}

// parseWeights reads 70,30 or v1=70,v2=30.
func parseWeights(s string) (expected, error) {
	var e expected
	for i, part := range strings.Split(s, ",") {
		name, val, named := strings.Cut(strings.TrimSpace(part), "=")
		if !named {
			val, name = name, "#"+strconv.Itoa(i)
		} else if name == "" {
			return e, fmt.Errorf("--weights %q: empty name in %q", s, part)
		}
		if i > 0 && named != e.named {
			return e, fmt.Errorf("--weights %q: name all weights or none", s)
		}
		e.named = named
		w, err := strconv.ParseFloat(val, 64)
		if err != nil || !(w >= 0) || w > 1e15 {
			return e, fmt.Errorf("--weights %q: %q is not a non-negative number", s, val)
		}
		for _, n := range e.names {
			if n == name {
				return e, fmt.Errorf("--weights %q: %s named twice", s, name)
			}
		}
		e.names = append(e.names, name)
		e.weights = append(e.weights, w)
		e.refs = append(e.refs, observe.DestRef{Subset: name})
	}
	return e, nil
}

// parseCounts reads 712,288 (in the order of the weights) or v1=712,v2=288 (by name).
func parseCounts(s string, e expected) ([]int64, error) {
	out := make([]int64, len(e.names))
	parts := strings.Split(s, ",")
	seen := map[int]bool{}
	for i, part := range parts {
		name, val, named := strings.Cut(strings.TrimSpace(part), "=")
		if !named {
			val = name
		}
		c, err := strconv.ParseInt(val, 10, 64)
		if err != nil || c < 0 {
			return nil, fmt.Errorf("--counts %q: %q is not a non-negative integer", s, val)
		}
		j := i
		if named {
			j = -1
			for k, n := range e.names {
				if n == name || (k < len(e.refs) && (e.refs[k].Subset == name || e.refs[k].Cluster == name)) {
					j = k
				}
			}
			if j < 0 {
				return nil, fmt.Errorf("--counts: %q is not a configured destination (destinations: %s)", name, strings.Join(e.names, ", "))
			}
		} else if len(parts) != len(e.names) {
			return nil, fmt.Errorf("--counts has %d values for %d destinations (%s)", len(parts), len(e.names), strings.Join(e.names, ", "))
		}
		if seen[j] {
			return nil, fmt.Errorf("--counts: %s given twice", e.names[j])
		}
		seen[j] = true
		out[j] = c
	}
	return out, nil
}

// weightsFromConfig takes the expected shares from one rule of a VirtualService, through the same
// translation as `run`: Envoy weights, with entries for the same cluster merged.
func weightsFromConfig(files []string, host, ruleSel string) (expected, error) {
	var e expected
	in, err := loadInputs(files)
	if err != nil {
		return e, err
	}
	t := in.tr.Table
	if host == "" {
		if len(t.Hosts) != 1 {
			return e, fmt.Errorf("--host is needed: the configuration has hosts %s", hostNames(t))
		}
		host = t.Hosts[0].Name
	}
	h := t.Lookup(host)
	if h == nil {
		return e, fmt.Errorf("--host %s: no VirtualService has this host (hosts: %s)", host, hostNames(t))
	}
	var rule *sim.Rule
	for _, r := range h.Rules {
		if ruleSel == "" && r.Action.Kind == sim.Forward && len(r.Action.Destinations) > 1 {
			if rule != nil {
				return e, fmt.Errorf("--rule is needed: host %s has several weighted rules (%s and %s)", host, rule.Label(), r.Label())
			}
			rule = r
		}
		if ruleSel != "" && (r.Name == ruleSel || "#"+strconv.Itoa(r.Index) == ruleSel) {
			rule = r
		}
	}
	if rule == nil {
		if ruleSel != "" {
			return e, fmt.Errorf("--rule %s: host %s has no such rule (rules: %s)", ruleSel, host, ruleLabels(h))
		}
		return e, fmt.Errorf("host %s has no rule with several weighted destinations: nothing to verify", host)
	}
	if rule.Action.Kind != sim.Forward {
		return e, fmt.Errorf("--rule %s: a %s rule has no weighted destinations", ruleSel, rule.Action.Kind)
	}
	e.host, e.rule = host, rule.Label()
	idx := map[string]int{}
	for _, d := range rule.Action.Destinations {
		key := d.Cluster
		if i, ok := idx[key]; ok {
			e.weights[i] += float64(d.EnvoyWeight)
			e.warnings = append(e.warnings, fmt.Sprintf("%s is listed twice in rule %s; its expected share is the sum of both entries", d.Cluster, rule.Label()))
			continue
		}
		idx[key] = len(e.names)
		e.names = append(e.names, d.Name())
		e.clusters = append(e.clusters, d.Cluster)
		e.weights = append(e.weights, float64(d.EnvoyWeight))
		fqdn := d.Host
		if parts := strings.Split(d.Cluster, "|"); len(parts) == 4 {
			fqdn = parts[3]
		}
		e.refs = append(e.refs, observe.DestRef{Subset: d.Subset, Cluster: d.Cluster, Host: fqdn})
		if d.Status != 200 {
			e.warnings = append(e.warnings, fmt.Sprintf("%s has no cluster (its requests get %d): observations will not show it as an upstream", d.Name(), d.Status))
		}
	}
	e.named = true
	e.warnings = append(e.warnings, in.warnings...)
	return e, nil
}

func ruleLabels(h *sim.Host) string {
	var s []string
	for _, r := range h.Rules {
		s = append(s, r.Label())
	}
	return strings.Join(s, ", ")
}

// readObserved reads --observed (or standard input for "-"), and --before when given.
func readObserved(path, before string, opts observe.Options) (*observe.Observation, error) {
	read := func(p string) ([]byte, string, error) {
		if p == "-" {
			b, err := io.ReadAll(os.Stdin)
			return b, "<stdin>", err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, p, fmt.Errorf("%s: %v", p, unwrapPathError(err))
		}
		return b, p, nil
	}
	data, name, err := read(path)
	if err != nil {
		return nil, err
	}
	if before == "" {
		return observe.Read(bytes.NewReader(data), name, opts)
	}
	bdata, bname, err := read(before)
	if err != nil {
		return nil, err
	}
	return observe.ReadDelta(bytes.NewReader(bdata), bname, bytes.NewReader(data), name, opts)
}

// fqdns are the fully qualified hosts of the expected destinations (from --config), or nil: verify
// keeps only the observed traffic to them.
func (e expected) fqdns() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range e.refs {
		if r.Cluster != "" && !seen[r.Host] {
			seen[r.Host] = true
			out = append(out, r.Host)
		}
	}
	return out
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
