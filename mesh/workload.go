package mesh

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// Workload is a set of identical pods from the inputs: a Deployment, StatefulSet, ReplicaSet, Argo
// Rollout or Pod, with the labels its pods carry and how many there are. A Service's endpoints are
// the pods of the workloads its selector matches (Kubernetes' EndpointSlice controller).
type Workload struct {
	*Document
	// Labels are the pods' labels (spec.template.metadata.labels; a Pod's metadata.labels).
	Labels map[string]string
	// Replicas is the number of pods (spec.replicas, default 1; a Pod is one).
	Replicas int
	// Owners are the workload's metadata.ownerReferences as "Kind/name" (a Pod's ReplicaSet, a
	// ReplicaSet's Deployment or Rollout).
	Owners []string
}

// workloadKinds are the kinds whose pods can be a Service's endpoints, by API group.
var workloadKinds = map[string]string{
	"Deployment":  "apps",
	"StatefulSet": "apps",
	"ReplicaSet":  "apps",
	"Pod":         "",
	"Rollout":     "argoproj.io",
}

// IsWorkload reports whether the document is a workload whose pods can be endpoints (see Workload).
func IsWorkload(d *Document) bool {
	group, ok := workloadKinds[d.Kind]
	if !ok {
		return false
	}
	g, _, hasGroup := strings.Cut(d.APIVersion, "/")
	if !hasGroup {
		g = ""
	}
	return g == group
}

// decodeWorkload reads the pod labels and replica count of a workload.
func decodeWorkload(d *Document) (*Workload, *Error) {
	var obj struct {
		Metadata struct {
			Labels          map[string]string `json:"labels"`
			OwnerReferences []struct {
				Kind string `json:"kind"`
				Name string `json:"name"`
			} `json:"ownerReferences"`
		} `json:"metadata"`
		Spec struct {
			Replicas *json.Number `json:"replicas"`
			Template struct {
				Metadata struct {
					Labels map[string]string `json:"labels"`
				} `json:"metadata"`
			} `json:"template"`
		} `json:"spec"`
	}
	if err := decodeDocument(d, &obj); err != nil {
		return nil, err
	}
	w := &Workload{Document: d, Labels: obj.Spec.Template.Metadata.Labels, Replicas: 1}
	for _, o := range obj.Metadata.OwnerReferences {
		w.Owners = append(w.Owners, o.Kind+"/"+o.Name)
	}
	if d.Kind == "Pod" {
		w.Labels = obj.Metadata.Labels
		return w, nil
	}
	if r := obj.Spec.Replicas; r != nil {
		n, err := r.Int64()
		if err != nil || n < 0 || n > 1<<20 {
			return nil, d.Errorf("spec.replicas", "must be an integer from 0 to %d, got %s", 1<<20, r.String())
		}
		w.Replicas = int(n)
	}
	return w, nil
}

// Selects reports whether a label selector (a Service's spec.selector) matches the labels: every
// key of the selector has the same value in labels. An empty selector selects nothing, as for a
// Service (its endpoints are then managed by hand).
func Selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// subsetOf reports whether every label of want is in have with the same value (an empty want is a
// subset of anything): labels.Instance.SubsetOf in istio pkg/config/labels.
func subsetOf(want, have map[string]string) bool {
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// labelText is "k=v,k2=v2" in key order.
func labelText(l map[string]string) string {
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(l)) {
		kv = append(kv, k+"="+l[k])
	}
	return strings.Join(kv, ",")
}
