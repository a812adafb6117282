package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/sim"
)

const runHelp = `Usage: splitsim run FILE... [flags]

Simulate requests through the routing configuration in FILE (Kubernetes YAML with VirtualService,
DestinationRule and Service objects, multi-document or kind: List, and/or a scenario file), picking a
destination for every request with exactly the probabilities of Envoy's rule (random mod total weight),
and test the observed split against the configured weights.

Without a scenario traffic section, every rule of every host gets --requests requests synthesized to
satisfy its first match block, and each rule is reported on its own. With one, the scenario's request
classes are sent in their proportions and each host and rule reports what reached it, 404 and 503
included.

Examples:
  splitsim run scenarios/bookinfo-80-20.yaml
  splitsim run vs.yaml dr.yaml -n 1e7 --seed 7 --format json
  splitsim run scenarios/bookinfo-80-20.yaml --html report.html --png charts/ --junit junit.xml
`

func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", runHelp, stderr)
	requests := countP(fs, "requests", "n", 1_000_000, "requests to simulate (per rule when no traffic is given)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same output on any number of cores")
	alpha := fs.Float64("alpha", 0.001, "significance level of the tests; intervals are at confidence 1-alpha")
	host := fs.String("host", "", "simulate only this host")
	format := fs.String("format", "text", "output format: text or json")
	output := fs.StringP("output", "o", "", "also write the JSON result to this file")
	method := fs.String("method", "auto", "auto, per-request or multinomial: auto draws each request up to 10^8 per group, and the counts directly above")
	files := addReportFlags(fs)
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	if err := checkFormat(*format); err != nil {
		return fail(stderr, "run", err)
	}
	if *requests < 1 {
		return fail(stderr, "run", fmt.Errorf("--requests must be at least 1, got %d", *requests))
	}
	if !(*alpha > 0 && *alpha < 1) {
		return fail(stderr, "run", fmt.Errorf("--alpha must be between 0 and 1, got %v", *alpha))
	}
	in, err := loadInputs(fs.Args())
	if err != nil {
		return fail(stderr, "run", err)
	}
	switch *method {
	case sim.Auto, sim.PerRequest, sim.Multinomial:
	default:
		return fail(stderr, "run", fmt.Errorf("--method must be auto, per-request or multinomial, got %q", *method))
	}
	out, err := simulate(in, simOptions{Requests: *requests, Seed: *seed, Alpha: *alpha, Host: *host,
		RequestsSet: fs.Changed("requests"), SeedSet: fs.Changed("seed"), Method: *method, Progress: stderr})
	if err != nil {
		return fail(stderr, "run", err)
	}
	if err := files.write(out, in.files, *output); err != nil {
		return fail(stderr, "run", err)
	}
	if *output != "" {
		var buf bytes.Buffer
		if err := report.JSON(&buf, out); err != nil {
			return fail(stderr, "run", err)
		}
		if err := report.WriteFile(*output, buf.Bytes(), in.files); err != nil {
			return fail(stderr, "run", err)
		}
	}
	if *format == "json" {
		err = report.JSON(stdout, out)
	} else {
		err = report.RunText(stdout, out)
	}
	if err != nil {
		return fail(stderr, "run", err)
	}
	if out.Verdict != "pass" {
		return exitFail
	}
	return exitPass
}

// perRuleTraffic gives every reachable rule its own group of n requests, synthesized to satisfy the
// rule's first match block (a plain GET / for a catch-all rule).
func perRuleTraffic(t *sim.Table, n int64) ([]sim.Group, []string) {
	var groups []sim.Group
	var warnings []string
	for _, h := range t.Hosts {
		first := map[int]int{} // rule -> first route
		for i, r := range h.Routes {
			if _, ok := first[r.Rule]; !ok {
				first[r.Rule] = i
			}
		}
		for ri, rule := range h.Rules {
			route, ok := first[ri]
			if !ok {
				warnings = append(warnings, fmt.Sprintf("%s: host %s rule %s is unreachable: an earlier catch-all rule takes every request (istioctl analyze: IST0130)", rule.Source, h.Name, rule.Label()))
				continue
			}
			req, matches := h.Routes[route].Match.Synthesize(h.Name)
			if !matches {
				warnings = append(warnings, fmt.Sprintf("%s: host %s rule %s: could not synthesize a request for its first match block; the requests sent may land elsewhere", rule.Source, h.Name, rule.Label()))
			} else if got := h.Route(&req); got >= 0 && h.Routes[got].Rule != ri {
				warnings = append(warnings, fmt.Sprintf("%s: host %s rule %s: a request made for its first match block is taken by the earlier rule %s", rule.Source, h.Name, rule.Label(), h.Rules[h.Routes[got].Rule].Label()))
			}
			groups = append(groups, sim.Group{Name: h.Name + " " + rule.Label(), Requests: n,
				Classes: []sim.Class{{Name: h.Name + " " + rule.Label(), Host: h.Name, Request: req, Weight: 1}}})
		}
	}
	return groups, warnings
}

func hostNames(t *sim.Table) string {
	var b bytes.Buffer
	for i, h := range t.Hosts {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(h.Name)
	}
	return b.String()
}
