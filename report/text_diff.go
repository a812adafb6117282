package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/result"
)

// DiffText writes the moves first, then every host and rule with its destinations.
func DiffText(w io.Writer, d *result.Diff) error {
	w = safe.NewWriter(w) // names from the inputs: control characters escaped
	var b strings.Builder
	fmt.Fprintf(&b, "splitsim diff  old: %s  new: %s  seed %d  %s requests\n", strings.Join(d.Old, " "), strings.Join(d.New, " "), d.Seed, Count(d.Requests))
	switch {
	case len(d.Moves) == 0 && !d.Changed:
		fmt.Fprintln(&b, "no change: every share is as before")
	case len(d.Moves) == 0:
		fmt.Fprintln(&b, "no share moved (rules or routing changed, see below)")
	default:
		fmt.Fprintf(&b, "%s moved, the largest by %s percentage points:\n", format.Counted(len(d.Moves), "share"), diffPP(d.MaxChangePP, false))
		for _, m := range d.Moves {
			where := m.Host + " " + m.Rule
			if m.Class != "" {
				where = "class " + m.Class + " (" + m.Host + ")"
			}
			fmt.Fprintf(&b, "  %s %s: %s -> %s (%s pp)\n", where, m.Destination, diffPct(m.OldExact), diffPct(m.NewExact), diffPP(m.ChangePP, true))
		}
	}
	if d.FailOnChangePP != nil {
		fmt.Fprintf(&b, "verdict: %s (--fail-on-change %s pp)\n", strings.ToUpper(string(d.Verdict)), diffPP(*d.FailOnChangePP, false))
	}
	for _, h := range d.Hosts {
		fmt.Fprintf(&b, "\nhost %s%s\n", h.Host, diffChangeNote(h.Change))
		for _, r := range h.Rules {
			fmt.Fprintf(&b, "  rule %s%s", r.Rule, diffChangeNote(r.Change))
			switch {
			case r.OldAction != "" && r.NewAction != "" && r.OldAction != r.NewAction:
				fmt.Fprintf(&b, ": %s -> %s", r.OldAction, r.NewAction)
			case r.NewAction != "":
				fmt.Fprintf(&b, ": %s", r.NewAction)
			default:
				fmt.Fprintf(&b, ": %s", r.OldAction)
			}
			fmt.Fprintf(&b, "  (old %s, new %s)\n", diffOrDash(r.OldSource), diffOrDash(r.NewSource))
			diffDestTable(&b, r.Destinations)
		}
	}
	if len(d.Classes) > 0 {
		fmt.Fprintln(&b, "\nrequest classes:")
		for _, c := range d.Classes {
			fmt.Fprintf(&b, "  class %s (host %s)%s: rule %s -> %s, %s -> %s\n", c.Class, c.Host, diffChangeNote(c.Change),
				diffOrDash(c.OldRule), diffOrDash(c.NewRule), diffOrDash(c.OldOutcome), diffOrDash(c.NewOutcome))
			diffDestTable(&b, c.Destinations)
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

func diffDestTable(b *strings.Builder, ds []result.DestinationDiff) {
	if len(ds) == 0 {
		return
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "    DESTINATION\tWEIGHT\tEXACT OLD\tEXACT NEW\tCHANGE\tSIMULATED OLD\tSIMULATED NEW\tSTATUS")
	for _, d := range ds {
		change := diffPP(d.ChangePP, true) + " pp"
		if d.Change == result.ChangeNone {
			change = "="
		} else if d.Change != result.ChangeMoved {
			change += " (" + d.Change + ")"
		}
		status := strconv.Itoa(d.NewStatus)
		if d.OldStatus != d.NewStatus {
			status = fmt.Sprintf("%s -> %s", diffStatus(d.OldStatus), diffStatus(d.NewStatus))
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Name, diffWeights(d), diffPct(d.OldExact), diffPct(d.NewExact), change,
			Percent(d.OldSimulated, 3), Percent(d.NewSimulated, 3), status)
	}
	tw.Flush()
}

func diffWeights(d result.DestinationDiff) string {
	if d.OldWeight == d.NewWeight {
		return strconv.Itoa(int(d.NewWeight))
	}
	return fmt.Sprintf("%d -> %d", d.OldWeight, d.NewWeight)
}

func diffStatus(s int) string {
	if s == 0 {
		return "-"
	}
	return strconv.Itoa(s)
}

func diffChangeNote(c string) string {
	if c == "" {
		return ""
	}
	return " (" + c + ")"
}

func diffOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// pct writes a share as a percentage with up to three decimals: 0.8 is "80%", 1/3 is "33.333%".
func diffPct(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e5)/1e3, 'f', -1, 64) + "%"
}

// pp writes percentage points with up to three decimals, signed when asked.
func diffPP(x float64, signed bool) string {
	s := strconv.FormatFloat(math.Round(x*1e3)/1e3, 'f', -1, 64)
	if signed && x > 0 {
		s = "+" + s
	}
	return s
}
