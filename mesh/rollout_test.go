package mesh

import (
	"fmt"
	"strings"
	"testing"
)

// A Rollout's pods as its controller scales them (argo-rollouts utils/replicaset/canary.go
// CalculateReplicaCountsForCanary): all stable at rest; during a canary step the canary ReplicaSet
// gets ceil(replicas × weight / 100) pods (or setCanaryScale's), and the stable ReplicaSet keeps all
// replicas with trafficRouting, the rest without.
func TestRolloutWorkloads(t *testing.T) {
	rollout := func(canary, status string) string {
		return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: demo}
spec:
  replicas: 5
  template: {metadata: {labels: {app: demo}}}
  strategy:
    canary:
` + canary + `      steps:
      - setWeight: 20
      - pause: {}
      - setCanaryScale: {replicas: 3}
      - setWeight: 60
` + status
	}
	routing := "      trafficRouting: {istio: {virtualService: {name: demo}}}\n"
	at := func(step int) string {
		return fmt.Sprintf("status: {currentStepIndex: %d, currentPodHash: bbb, stableRS: aaa}\n", step)
	}
	for _, tc := range []struct {
		name string
		yaml string
		want string // name=pods[hash] ...
	}{
		{"no status: at rest", rollout(routing, ""), "demo=5[]"},
		{"promoted: the current hash is the stable one", rollout(routing, "status: {currentStepIndex: 4, currentPodHash: aaa, stableRS: aaa}\n"), "demo (stable)=5[aaa]"},
		{"step 1 with traffic routing", rollout(routing, at(1)), "demo (stable)=5[aaa] demo (canary)=1[bbb]"},
		{"step 1 without traffic routing", rollout("", at(1)), "demo (stable)=4[aaa] demo (canary)=1[bbb]"},
		{"dynamicStableScale", rollout(routing+"      dynamicStableScale: true\n", at(1)), "demo (stable)=4[aaa] demo (canary)=1[bbb]"},
		{"setCanaryScale replicas", rollout(routing, at(2)), "demo (stable)=5[aaa] demo (canary)=3[bbb]"},
		{"setWeight after setCanaryScale keeps the explicit scale", rollout(routing, at(3)), "demo (stable)=5[aaa] demo (canary)=3[bbb]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{}
			if err := c.Add("r.yaml", []byte(tc.yaml)); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range c.Workloads {
				got = append(got, fmt.Sprintf("%s=%d[%s]", w.Name, w.Replicas, w.Labels["rollouts-pod-template-hash"]))
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("got %s, want %s", strings.Join(got, " "), tc.want)
			}
		})
	}
}
