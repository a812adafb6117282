package main

import (
	"fmt"
	"io"

	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/stats"
)

const powerHelp = `Usage: splitsim power --weights 70,30 --detect 71,29 [--alpha 0.05] [--power 0.8] [-n N]

How many requests a chi-square test needs to tell the configured split (--weights) from a deviation
(--detect) with the given power at level alpha; with -n, the power at N requests. Computed from the
noncentral chi-square distribution with lambda = N w^2 (Cohen's w).

Example:
  splitsim power --weights 70,30 --detect 71,29 --alpha 0.05 --power 0.8    # 16483 requests
`

func powerCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("power", powerHelp, stderr)
	weights := fs.String("weights", "", "configured weights, e.g. 70,30 (required)")
	detect := fs.String("detect", "", "the deviation to detect, e.g. 71,29 (required)")
	alpha := fs.Float64("alpha", 0.05, "significance level of the test")
	power := fs.Float64("power", 0.8, "power wanted")
	n := countP(fs, "requests", "n", 0, "give the power at this many requests instead of the requests needed")
	format := fs.String("format", "text", "output format: text or json")
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	fail2 := func(err error) int { return fail(stderr, "power", err) }
	if err := checkFormat(*format); err != nil {
		return fail2(err)
	}
	if *weights == "" || *detect == "" {
		return fail2(fmt.Errorf("--weights and --detect are required"))
	}
	w, err := parseWeights(*weights)
	if err != nil {
		return fail2(err)
	}
	d, err := parseWeights(*detect)
	if err != nil {
		return fail2(fmt.Errorf("--detect: %v", err))
	}
	if len(w.weights) != len(d.weights) {
		return fail2(fmt.Errorf("--weights has %d entries and --detect %d", len(w.weights), len(d.weights)))
	}
	if !(*alpha > 0 && *alpha < 1) || !(*power > 0 && *power < 1) {
		return fail2(fmt.Errorf("--alpha and --power must be between 0 and 1"))
	}
	p0, p1 := normalize(w.weights), normalize(d.weights)
	if p0 == nil || p1 == nil {
		return fail2(fmt.Errorf("weights must not all be 0"))
	}
	df := -1
	for _, p := range p0 {
		if p > 0 {
			df++
		}
	}
	if df < 1 {
		return fail2(fmt.Errorf("--weights has one positive destination: there is no split to test"))
	}
	out := result.Power{Alpha: *alpha, Power: *power, DF: df, EffectSizeW: stats.CohenW(p0, p1), Expected: p0, Detect: p1}
	if out.EffectSizeW == 0 {
		return fail2(fmt.Errorf("--detect equals --weights: there is nothing to detect"))
	}
	if *n > 0 {
		out.N = *n
		out.Power = stats.Power(df, float64(*n)*out.EffectSizeW*out.EffectSizeW, *alpha)
	} else {
		out.RequiredN = stats.RequiredN(p0, p1, *alpha, *power)
		if out.RequiredN < 0 {
			return fail2(fmt.Errorf("no finite number of requests reaches power %v", *power))
		}
	}
	if *format == "json" {
		err = report.JSON(stdout, out)
	} else {
		err = report.PowerText(stdout, &out)
	}
	if err != nil {
		return fail2(err)
	}
	return exitPass
}

func normalize(w []float64) []float64 {
	var s float64
	for _, x := range w {
		s += x
	}
	if !(s > 0) {
		return nil
	}
	out := make([]float64, len(w))
	for i, x := range w {
		out[i] = x / s
	}
	return out
}
