// Package stats is the arithmetic of splitsim's verifier: pure functions over
// request counts and null shares, with no I/O and no dependency on the rest of
// the project (only the standard library and gonum).
//
// A verification uses it in a few steps:
//
//  1. Global test. Counts per destination are tested against the configured
//     shares p_i = w_i / sum(w): Pearson (the default), GTest (likelihood
//     ratio), Exact (exact multinomial, Monte Carlo when the outcome space is
//     too large), or Auto, which takes Exact when an expected count is below 5
//     and Pearson otherwise. Each returns a Test carrying the statistic, df,
//     the p-value, its log10 (finite far below 1e-300, where the p-value itself
//     underflows), the observed effect size w and warnings. A destination with
//     share 0 that received requests is a definite violation
//     (Test.Violations), not a small p-value.
//  2. Which destination is off. Per destination, Wilson intervals for the
//     observed share and BinomialTwoSided p-values, adjusted for multiplicity
//     with Holm. ExactAt and AutoAt take the level alpha, so that a Monte
//     Carlo estimate is never floored above it.
//  3. Effect size and planning. CohenW measures the distance between two
//     splits. VerdictPower and VerdictRequiredN give the power of the test a
//     verdict actually uses (Auto's choice at each N), exact where the outcomes
//     can be summed, else a Gaussian quadratic-form approximation or a seeded
//     simulation; Power, RequiredN and DetectableW relate N, w, alpha and power
//     through the noncentral chi-square approximation
//     (NoncentralChiSquareSurvival). TwoProportionPower and
//     TwoProportionRequiredN do the same for an error-rate regression between
//     two destinations.
//  4. Tolerance. ToleranceTest and ToleranceFamily test "a share is off by
//     more than tol" exactly, with a guaranteed level.
//  5. Monitoring. Sequential is the anytime-valid test of Lindon and Malek for
//     repeated looks at a live rollout.
//
// All p-values follow the same conventions: Log10P is always finite, PValue
// may underflow to 0 (below about 1e-308), and functions that panic do so only
// on programmer errors (mismatched lengths, negative counts or shares).
//
// Reference values for the tests come from scipy and mpmath
// (testdata/gen_vectors.py writes testdata/*.json); the Go tests read the JSON
// and never run Python.
package stats
