package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/splitsim/splitsim/diff"
	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
)

const diffHelp = `Usage: splitsim diff OLD NEW [flags]

Compare two routing configurations (each a Kubernetes YAML file or a scenario file with the files it
names): for every host and rule, and for every request class of a scenario's traffic, the share of
each destination before and after, exactly (from the weights, as Envoy picks) and as simulated. What
moved is listed with the change in percentage points.

With --fail-on-change PP the exit code is 1 when an exact share moves by more than PP points, so that
CI can hold a pull request that shifts more traffic than intended.

Examples:
  splitsim diff scenarios/bookinfo-80-20.yaml scenarios/bookinfo-50-50.yaml
  splitsim diff old/reviews.yaml new/reviews.yaml --fail-on-change 10 --format json
`

func diffCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("diff", diffHelp, stderr)
	requests := countP(fs, "requests", "n", 1_000_000, "requests to simulate on each side (per rule when no traffic is given)")
	seed := fs.Uint64("seed", 1, "random seed of both simulations")
	failOn := fs.Float64("fail-on-change", 0, "exit 1 when an exact share moves by more than this many percentage points (when given)")
	format := fs.String("format", "text", "output format: text or json")
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	if err := checkFormat(*format); err != nil {
		return fail(stderr, "diff", err)
	}
	if fs.NArg() != 2 {
		return fail(stderr, "diff", fmt.Errorf("want two files, OLD and NEW; got %d (see splitsim diff --help)", fs.NArg()))
	}
	if *requests < 1 {
		return fail(stderr, "diff", fmt.Errorf("--requests must be at least 1, got %d", *requests))
	}
	var threshold *float64
	if fs.Changed("fail-on-change") {
		if !(*failOn >= 0) || math.IsInf(*failOn, 0) {
			return fail(stderr, "diff", fmt.Errorf("--fail-on-change must be a number of percentage points >= 0, got %v", *failOn))
		}
		threshold = failOn
	}
	old, oldTraffic, err := simulateFile(fs.Arg(0), *requests, *seed, fs.Changed("requests"), fs.Changed("seed"))
	if err != nil {
		return fail(stderr, "diff", err)
	}
	newRun, newTraffic, err := simulateFile(fs.Arg(1), *requests, *seed, fs.Changed("requests"), fs.Changed("seed"))
	if err != nil {
		return fail(stderr, "diff", err)
	}
	out := diff.Compare(old, newRun, diff.Options{Classes: oldTraffic && newTraffic, FailOnChangePP: threshold})
	if *format == "json" {
		err = report.JSON(stdout, out)
	} else {
		err = diffText(stdout, out)
	}
	if err != nil {
		return fail(stderr, "diff", err)
	}
	if out.Verdict == result.Fail {
		return exitFail
	}
	return exitPass
}

// simulateFile runs one side as `splitsim run FILE` would (scenario traffic when the file is a
// scenario with traffic, else every rule on its own) and says whether scenario traffic was used.
func simulateFile(file string, n int64, seed uint64, nSet, seedSet bool) (*result.Run, bool, error) {
	in, err := loadInputs([]string{file})
	if err != nil {
		return nil, false, err
	}
	out, err := simulate(in, simOptions{Requests: n, Seed: seed, Alpha: 0.001, RequestsSet: nSet, SeedSet: seedSet})
	if err != nil {
		return nil, false, err
	}
	sc := in.scenario()
	return out, sc != nil && len(sc.Spec.Traffic) > 0, nil
}

// diffText writes the moves first, then every host and rule with its destinations.
func diffText(w io.Writer, d *result.Diff) error {
	var b strings.Builder
	fmt.Fprintf(&b, "splitsim diff  old: %s  new: %s  seed %d  %s requests\n", strings.Join(d.Old, " "), strings.Join(d.New, " "), d.Seed, report.Count(d.Requests))
	switch {
	case len(d.Moves) == 0 && !d.Changed:
		fmt.Fprintln(&b, "no change: every share is as before")
	case len(d.Moves) == 0:
		fmt.Fprintln(&b, "no share moved (rules or routing changed, see below)")
	default:
		fmt.Fprintf(&b, "%s moved, the largest by %s percentage points:\n", plural(len(d.Moves), "share"), pp(d.MaxChangePP, false))
		for _, m := range d.Moves {
			where := m.Host + " " + m.Rule
			if m.Class != "" {
				where = "class " + m.Class + " (" + m.Host + ")"
			}
			fmt.Fprintf(&b, "  %s %s: %s -> %s (%s pp)\n", where, m.Destination, pct(m.OldExact), pct(m.NewExact), pp(m.ChangePP, true))
		}
	}
	if d.FailOnChangePP != nil {
		fmt.Fprintf(&b, "verdict: %s (--fail-on-change %s pp)\n", strings.ToUpper(d.Verdict), pp(*d.FailOnChangePP, false))
	}
	for _, h := range d.Hosts {
		fmt.Fprintf(&b, "\nhost %s%s\n", h.Host, changeNote(h.Change))
		for _, r := range h.Rules {
			fmt.Fprintf(&b, "  rule %s%s", r.Rule, changeNote(r.Change))
			switch {
			case r.OldAction != "" && r.NewAction != "" && r.OldAction != r.NewAction:
				fmt.Fprintf(&b, ": %s -> %s", r.OldAction, r.NewAction)
			case r.NewAction != "":
				fmt.Fprintf(&b, ": %s", r.NewAction)
			default:
				fmt.Fprintf(&b, ": %s", r.OldAction)
			}
			fmt.Fprintf(&b, "  (old %s, new %s)\n", orDash(r.OldSource), orDash(r.NewSource))
			destTable(&b, r.Destinations)
		}
	}
	if len(d.Classes) > 0 {
		fmt.Fprintln(&b, "\nrequest classes:")
		for _, c := range d.Classes {
			fmt.Fprintf(&b, "  class %s (host %s)%s: rule %s -> %s, %s -> %s\n", c.Class, c.Host, changeNote(c.Change),
				orDash(c.OldRule), orDash(c.NewRule), orDash(c.OldOutcome), orDash(c.NewOutcome))
			destTable(&b, c.Destinations)
		}
	}
	if len(d.Warnings) > 0 {
		fmt.Fprintln(&b, "\nwarnings:")
		for _, wn := range d.Warnings {
			fmt.Fprintf(&b, "  - %s\n", wn)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func destTable(b *strings.Builder, ds []result.DestinationDiff) {
	if len(ds) == 0 {
		return
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "    DESTINATION\tWEIGHT\tEXACT OLD\tEXACT NEW\tCHANGE\tSIMULATED OLD\tSIMULATED NEW\tSTATUS")
	for _, d := range ds {
		change := pp(d.ChangePP, true) + " pp"
		if d.Change == result.ChangeNone {
			change = "="
		} else if d.Change != result.ChangeMoved {
			change += " (" + d.Change + ")"
		}
		status := strconv.Itoa(d.NewStatus)
		if d.OldStatus != d.NewStatus {
			status = fmt.Sprintf("%s -> %s", statusText(d.OldStatus), statusText(d.NewStatus))
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Name, weights(d), pct(d.OldExact), pct(d.NewExact), change,
			report.Percent(d.OldSimulated, 3), report.Percent(d.NewSimulated, 3), status)
	}
	tw.Flush()
}

func weights(d result.DestinationDiff) string {
	if d.OldWeight == d.NewWeight {
		return strconv.Itoa(int(d.NewWeight))
	}
	return fmt.Sprintf("%d -> %d", d.OldWeight, d.NewWeight)
}

func statusText(s int) string {
	if s == 0 {
		return "-"
	}
	return strconv.Itoa(s)
}

func changeNote(c string) string {
	if c == "" {
		return ""
	}
	return " (" + c + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// pct writes a share as a percentage with up to three decimals: 0.8 is "80%", 1/3 is "33.333%".
func pct(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e5)/1e3, 'f', -1, 64) + "%"
}

// pp writes percentage points with up to three decimals, signed when asked.
func pp(x float64, signed bool) string {
	s := strconv.FormatFloat(math.Round(x*1e3)/1e3, 'f', -1, 64)
	if signed && x > 0 {
		s = "+" + s
	}
	return s
}
