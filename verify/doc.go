// Package verify tests counts against configured weights and turns them into results with verdicts:
// expected shares, intervals, goodness-of-fit tests and a Holm correction.
//
// Two callers share it. `splitsim run` (and `splitsim test`) check simulated counts with Run: per
// host and rule, a Wilson interval per destination and a Pearson test, Holm-corrected across the run's
// rules. `splitsim verify` checks observed counts with Counts: the expected side comes from --weights
// (ParseWeights) or one rule of a translated configuration (FromRule), the observed side from --counts
// (ParseCounts) or a file read by package observe (Observe), and the verdict rests on one fixed-N test,
// a tolerance check, or the anytime-valid sequential test over a series of looks.
package verify
