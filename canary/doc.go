// Package canary reads canary plans and evaluates them step by step before a rollout: how many
// requests each step sends to the canary, whether that is enough to see an error-rate regression
// or a split that is off, how many users see both versions, and how long the rollout takes.
//
// A plan is a list of steps (canary weight, duration, and what ends the step: time, an analysis or
// a manual promotion) applied to one route of one VirtualService. Evaluation proceeds in steps:
//
//  1. Read. FromRollout reads an Argo Rollouts Rollout (spec.strategy.canary.steps and
//     trafficRouting.istio), FromCanary a Flagger Canary (spec.analysis), FromNative the plan
//     section of a splitsim scenario. Each follows its controller's source: Argo's
//     rollout/trafficrouting.go and trafficrouting/istio/istio.go, Flagger's
//     pkg/controller/scheduler.go and pkg/router/istio.go. Input errors name the file, document
//     and field; questionable plans become findings with stable codes.
//  2. Resolve. The VirtualService and http route the plan drives are found in the inputs (Flagger's
//     is generated as Flagger does), and the canary and stable destinations and subsets checked.
//  3. Rewrite. At each step the route's destinations are rewritten as the controller writes them:
//     canary w, stable 100-w minus experiment weights, other destinations removed. Weights Istio
//     would reject (negative, total 0) leave the previous weights, as a rejected update does. An
//     Argo Rollout's setHeaderRoute and setMirrorRoute steps add managed routes (argoroutes.go),
//     placed before the others as the controller places them (evaluate_routes.go).
//  4. Simulate. The rewritten VirtualService goes through mesh.Translate (Istio's semantics) and
//     the step's rps x duration requests through sim.Run, seeded, spread over users (even, uniform
//     or Zipf), counting canary and stable requests per user.
//  5. Judge. Per step: Wilson interval of the canary share, the smallest split deviation the
//     Pearson test detects with power 0.8 (noncentral chi-square), the power of a two-sided pooled
//     two-proportion z-test to tell the baseline error rate from the regressed one, the duration
//     that would reach the target power, and the share of users who saw both versions. Totals:
//     rollout time, canary requests, and the expected failures a broken canary serves before the
//     first step that can detect it.
package canary
