package canary_test

import (
	"fmt"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/mesh"
)

const rolloutYAML = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: shop}
spec:
  strategy:
    canary:
      trafficRouting:
        istio:
          virtualService: {name: shop, routes: [primary]}
          destinationRule: {name: shop, canarySubsetName: canary, stableSubsetName: stable}
      steps:
      - setWeight: 10
      - pause: {duration: 30m}
      - setWeight: 50
      - pause: {}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop}
spec:
  hosts: [shop]
  http:
  - name: primary
    route:
    - destination: {host: shop, subset: stable}
      weight: 100
    - destination: {host: shop, subset: canary}
      weight: 0
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: shop}
spec:
  host: shop
  subsets:
  - {name: stable, labels: {v: "1"}}
  - {name: canary, labels: {v: "2"}}
`

// Evaluate an Argo Rollouts canary at 10 requests per second: the 10% step cannot tell an error
// rate of 2% from 1%, and the manual gate's duration is an assumption.
func ExampleEvaluate() {
	cfg := &mesh.Config{}
	if err := cfg.Add("shop.yaml", []byte(rolloutYAML)); err != nil {
		fmt.Println(err)
		return
	}
	p, err := canary.FromRollout(cfg.Others[0], cfg, canary.DefaultAssumptions)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := canary.Evaluate(p, canary.Options{RPS: 10, Users: 500, UserModel: canary.UserModelEven,
		BaselineErrorRate: 0.01, DetectErrorRate: 0.02, Alpha: 0.001, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Steps {
		power := "-"
		if s.ErrorRatePower != nil {
			power = fmt.Sprintf("%.2f", *s.ErrorRatePower)
		}
		fmt.Printf("step %d: canary %g%% for %gs (%s): %d requests, power %s\n", s.Index, s.Weight, s.Duration, s.Ends, s.Requests, power)
	}
	for _, f := range r.Findings {
		fmt.Printf("%s %s\n", f.Severity, f.Code)
	}
	fmt.Printf("rollout %gs, verdict %s\n", r.TotalDuration, r.Verdict)
	// Output:
	// step 0: canary 10% for 1800s (time): 18000 requests, power 0.67
	// step 1: canary 50% for 3600s (manual): 36000 requests, power 1.00
	// step 2: canary 100% for 0s (promotion): 0 requests, power -
	// warning step-too-short
	// info manual-pause
	// rollout 5400s, verdict pass
}
