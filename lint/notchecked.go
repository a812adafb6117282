package lint

import (
	"fmt"
	"strings"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/scenarios"
)

// readElsewhere reports whether a document that package mesh leaves to others (mesh.Config.Others)
// is read by splitsim all the same: an Argo Rollout (a workload and a canary plan), a Flagger Canary
// (a canary plan, and lint's SPL014) or a splitsim scenario.
func readElsewhere(d *mesh.Document) bool {
	return canary.IsRollout(d) || canary.IsCanary(d) || scenarios.Is(d)
}

// notChecked reports SPL016 once for the resources of the inputs that no part of splitsim reads
// (an EnvoyFilter, a Sidecar, a PeerAuthentication, a ConfigMap, ...): lint did not check them and
// the simulation leaves them out, so they are named, kind by kind with their counts, rather than
// passed in silence. Kinds read for context (Service, Namespace, Deployment, Pod, ...) and the
// resources that failed to decode (reported by their own findings) are not listed.
func (c *checker) notChecked(others []*mesh.Document) {
	type kind struct {
		name  string
		count int
	}
	var kinds []*kind
	byName := map[string]*kind{}
	var first *mesh.Document
	total := 0
	for _, d := range others {
		if readElsewhere(d) {
			continue
		}
		name := d.Kind
		if d.APIVersion != "" {
			name = fmt.Sprintf("%s (%s)", d.Kind, d.APIVersion)
		}
		k := byName[name]
		if k == nil {
			k = &kind{name: name}
			byName[name] = k
			kinds = append(kinds, k)
		}
		k.count++
		total++
		if first == nil {
			first = d
		}
	}
	if first == nil {
		return
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s x%d", k.name, k.count)
	}
	c.report("SPL016", first, "kind", "not checked: %s of %s that splitsim does not read: %s. lint does not look at %s and the simulation leaves %s out, so what %s to traffic (an EnvoyFilter that rewrites routes, a Sidecar that limits the hosts a proxy sees, ...) is in no result",
		format.Counted(total, "resource"), format.Plural(len(kinds), "a kind", "kinds"), strings.Join(parts, ", "),
		format.Plural(total, "it", "them"), format.Plural(total, "it", "them"), format.Plural(total, "it does", "they do"))
}
