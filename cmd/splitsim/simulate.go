package main

import (
	"fmt"
	"io"
	"sync/atomic"

	"github.com/splitsim/splitsim/check"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/sim"
)

// simOptions are the simulation settings of run and test.
type simOptions struct {
	Requests int64   // requests (per rule without a traffic section) unless the scenario sets them
	Seed     uint64  // seed unless the scenario sets one
	Alpha    float64 // significance level of the run's tests
	Host     string  // simulate only this host ("" for all)
	// RequestsSet and SeedSet say that Requests and Seed were given on the command line: they then
	// win over the scenario's own values.
	RequestsSet, SeedSet bool
	// Method is the simulation method: auto (default), per-request or multinomial.
	Method string
	// Progress, when it is a terminal, shows a progress bar for runs longer than a second.
	Progress io.Writer
}

// simulate goes from loaded inputs to a run result: it picks the host, the request count and the
// seed (the scenario's unless the command line sets them), builds the traffic (the scenario's
// classes, or synthesized requests for every rule), runs the simulator and checks the counts.
func simulate(in *inputs, opts simOptions) (*result.Run, error) {
	table := in.tr.Table
	if opts.Host != "" {
		h := table.Lookup(opts.Host)
		if h == nil {
			return nil, fmt.Errorf("--host %s: no VirtualService has this host (hosts: %s)", opts.Host, hostNames(table))
		}
		table = &sim.Table{Hosts: []*sim.Host{h}}
	}
	sc := in.scenario()
	n := opts.Requests
	s := opts.Seed
	name := ""
	if sc != nil {
		name = sc.Name
		if sc.Spec.Requests > 0 && !opts.RequestsSet {
			n = sc.Spec.Requests
		}
		if sc.Spec.Seed != nil && !opts.SeedSet {
			s = *sc.Spec.Seed
		}
	}
	var groups []sim.Group
	warnings := in.warnings
	if sc != nil && len(sc.Spec.Traffic) > 0 {
		groups = []sim.Group{{Name: sc.Name, Classes: sc.Classes(), Requests: n}}
	} else {
		var w []string
		groups, w = perRuleTraffic(table, n)
		warnings = append(warnings, w...)
	}
	var total int64
	for _, g := range groups {
		total += g.Requests
	}
	done := new(atomic.Int64)
	stop := startProgress(opts.Progress, total, done)
	res, err := sim.Run(table, groups, sim.Options{Seed: s, Series: true, Method: opts.Method, Done: done})
	stop()
	if err != nil {
		return nil, err
	}
	return check.Run(check.RunInput{Files: in.files, Scenario: name, Version: Version, Seed: s, Requests: n,
		Alpha: opts.Alpha, Table: table, Groups: groups, Sim: res, Warnings: warnings}), nil
}
