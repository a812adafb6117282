package main

import (
	"fmt"
	"io"

	"github.com/splitsim/splitsim/verify"
)

func powerCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("power", help("power"), stdout, stderr)
	weights := fs.String("weights", "", "configured weights, e.g. 70,30 (required)")
	detect := fs.String("detect", "", "the deviation to detect, e.g. 71,29 (required)")
	alpha := fs.Float64("alpha", 0.001, "significance level of the test, as verify --alpha")
	power := fs.Float64("power", 0.8, "power wanted")
	method := fs.String("method", "auto", "the verdict's test, as verify --method: auto (exact when an expected count is below 5, else pearson), pearson or exact")
	seed := fs.Uint64("seed", 1, "seed of the simulation, where the power is simulated")
	n := countP(fs, "requests", "n", 0, "give the power at this many requests instead of the requests needed")
	out := addOutputFlags(fs, true)
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	if *weights == "" || *detect == "" {
		return fmt.Errorf("--weights and --detect are required")
	}
	w, err := verify.ParseWeights(*weights)
	if err != nil {
		return err
	}
	d, err := verify.ParseWeights(*detect)
	if err != nil {
		return fmt.Errorf("--detect: %v", err)
	}
	if !(*alpha > 0 && *alpha < 1) || !(*power > 0 && *power < 1) {
		return fmt.Errorf("--alpha and --power must be between 0 and 1")
	}
	if err := checkAlpha(*alpha); err != nil {
		return err
	}
	if *n != 0 {
		if err := checkRequests(*n); err != nil {
			return err
		}
	}
	p, err := verify.Power(verify.PowerRequest{Weights: w.Weights, Detect: d.Weights, Alpha: *alpha, Power: *power, N: *n, Method: *method, Seed: *seed})
	if err != nil {
		return err
	}
	return out.emit(stdout, p, nil, "")
}
