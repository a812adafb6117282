package mesh

import (
	"encoding/json"
	"math"
)

// rolloutWorkloads reads an Argo Rollout as the pods its controller keeps: its stable ReplicaSet and,
// while a canary update is in progress (status.currentPodHash differs from status.stableRS, and
// status.currentStepIndex points into the canary steps), its canary ReplicaSet, scaled as
// argo-rollouts utils/replicaset/canary.go CalculateReplicaCountsForCanary does: the canary gets
// ceil(replicas × weight / 100) pods, weight being the last setWeight at or before the current step
// (or a setCanaryScale replicas/weight); with trafficRouting the stable ReplicaSet keeps all its
// replicas (unless dynamicStableScale), without it the stable gets the rest. Pods carry the
// rollouts-pod-template-hash label of their ReplicaSet. Without a status the Rollout is at rest: all
// replicas are stable.
func rolloutWorkloads(w *Workload) []*Workload {
	var obj struct {
		Spec struct {
			Strategy struct {
				Canary *struct {
					TrafficRouting     json.RawMessage `json:"trafficRouting"`
					DynamicStableScale bool            `json:"dynamicStableScale"`
					Steps              []struct {
						SetWeight      *int32 `json:"setWeight"`
						SetCanaryScale *struct {
							Replicas           *int32 `json:"replicas"`
							Weight             *int32 `json:"weight"`
							MatchTrafficWeight bool   `json:"matchTrafficWeight"`
						} `json:"setCanaryScale"`
					} `json:"steps"`
				} `json:"canary"`
			} `json:"strategy"`
		} `json:"spec"`
		Status struct {
			CurrentStepIndex *int32 `json:"currentStepIndex"`
			CurrentPodHash   string `json:"currentPodHash"`
			StableRS         string `json:"stableRS"`
		} `json:"status"`
	}
	if err := json.Unmarshal(w.JSON, &obj); err != nil {
		// A malformed strategy or status is package canary's to report, field by field; the pods
		// are then taken at rest.
		return []*Workload{w}
	}
	c := obj.Spec.Strategy.Canary
	st := obj.Status
	stable := withHash(w, st.StableRS, w.Name+" (stable)", w.Replicas)
	if c == nil || st.CurrentStepIndex == nil || st.StableRS == "" || st.CurrentPodHash == "" || st.CurrentPodHash == st.StableRS ||
		int(*st.CurrentStepIndex) >= len(c.Steps) {
		if st.StableRS == "" {
			return []*Workload{w}
		}
		return []*Workload{stable}
	}
	weight, canaryPods := int32(0), -1
	for _, s := range c.Steps[:*st.CurrentStepIndex+1] {
		switch {
		case s.SetWeight != nil:
			weight = *s.SetWeight
		case s.SetCanaryScale != nil && s.SetCanaryScale.Replicas != nil:
			canaryPods = int(*s.SetCanaryScale.Replicas)
		case s.SetCanaryScale != nil && s.SetCanaryScale.Weight != nil:
			canaryPods = ceilShare(w.Replicas, *s.SetCanaryScale.Weight)
		case s.SetCanaryScale != nil && s.SetCanaryScale.MatchTrafficWeight:
			canaryPods = -1
		}
	}
	if canaryPods < 0 {
		canaryPods = ceilShare(w.Replicas, weight)
	}
	routed := len(c.TrafficRouting) > 0 && string(c.TrafficRouting) != "null"
	if !routed || c.DynamicStableScale {
		stable.Replicas = max(w.Replicas-canaryPods, 0)
	}
	canary := withHash(w, st.CurrentPodHash, w.Name+" (canary)", canaryPods)
	return []*Workload{stable, canary}
}

// ceilShare is ceil(n × percent / 100).
func ceilShare(n int, percent int32) int {
	return int(math.Ceil(float64(n) * float64(percent) / 100))
}

// withHash is a copy of w for one ReplicaSet: named name, with pods labelled
// rollouts-pod-template-hash=hash (when known).
func withHash(w *Workload, hash, name string, replicas int) *Workload {
	labels := map[string]string{}
	for k, v := range w.Labels {
		labels[k] = v
	}
	if hash != "" {
		labels["rollouts-pod-template-hash"] = hash
	}
	d := *w.Document
	d.Name = name
	return &Workload{Document: &d, Labels: labels, Replicas: replicas}
}
