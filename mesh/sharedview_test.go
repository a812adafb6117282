package mesh

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomMesh writes a configuration of a few namespaces (the root namespace among them) with
// Services and their pods, VirtualServices (conflicting hosts, hosts of other namespaces, exportTo,
// sourceNamespace matches, tcp routes), DestinationRules (in the Service's namespace, in another one, wildcard hosts, exportTo)
// and mesh HTTPRoutes (producer and consumer routes), drawn with the seed.
func randomMesh(seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 7))
	nss := []string{"a", "b", "c", "d", "e", RootNamespace}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	exportTo := func() string {
		return pick([]string{"", "", "", "", "  exportTo: ['.']\n", "  exportTo: ['*']\n", "  exportTo: [b]\n", "  exportTo: ['~']\n", "  exportTo: [c, '.']\n"})
	}
	type svc struct{ name, ns string }
	var svcs []svc
	var b strings.Builder
	for i := range 4 {
		s := svc{fmt.Sprintf("s%d", i), pick(nss)}
		svcs = append(svcs, s)
		ann := ""
		if r.IntN(5) == 0 {
			ann = fmt.Sprintf("  annotations: {networking.istio.io/exportTo: '%s'}\n", pick([]string{".", "b", "c,d", "*"}))
		}
		fmt.Fprintf(&b, "apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\n%sspec:\n  selector: {app: %s}\n  ports: [{port: 80}]\n---\n", s.name, s.ns, ann, s.name)
		for _, v := range []string{"v1", "v2"} {
			fmt.Fprintf(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s-%s, namespace: %s}\nspec:\n  replicas: %d\n  template: {metadata: {labels: {app: %s, version: %s}}}\n---\n",
				s.name, v, s.ns, 1+r.IntN(3), s.name, v)
		}
	}
	host := func(from string) string {
		s := svcs[r.IntN(len(svcs))]
		if s.ns == from && r.IntN(2) == 0 {
			return s.name
		}
		return s.name + "." + s.ns + ".svc.cluster.local"
	}
	tcp := func(h string) string { // sometimes tcp routes too, matched by sourceNamespace
		if r.IntN(3) > 0 {
			return ""
		}
		return fmt.Sprintf("  tcp:\n  - match: [{sourceNamespace: %s}]\n    route: [{destination: {host: %s, subset: v1}}]\n  - route: [{destination: {host: %s}}]\n", pick(nss), h, h)
	}
	for i := range 1 + r.IntN(5) {
		ns := pick(nss)
		h := host(ns)
		match := ""
		switch r.IntN(4) {
		case 0:
			match = fmt.Sprintf("    match: [{sourceNamespace: %s}]\n", pick(nss))
		case 1:
			match = "    match: [{headers: {x: {exact: y}}}]\n"
		}
		fmt.Fprintf(&b, "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs%d, namespace: %s}\nspec:\n  hosts: [%s]\n%s  http:\n  - name: r0\n%s    route:\n    - {destination: {host: %s, subset: v1}, weight: 70}\n    - {destination: {host: %s, subset: v2}, weight: 30}\n  - route: [{destination: {host: %s}}]\n%s---\n",
			i, ns, h, exportTo(), match, h, h, h, tcp(h))
	}
	for i := range r.IntN(5) {
		ns := pick(nss)
		h := host(ns)
		if r.IntN(6) == 0 {
			h = "*." + pick(nss) + ".svc.cluster.local"
		}
		fmt.Fprintf(&b, "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: dr%d, namespace: %s}\nspec:\n  host: '%s'\n%s  subsets: [{name: v1, labels: {version: v1}}, {name: %s, labels: {version: v2}}]\n---\n",
			i, ns, h, exportTo(), pick([]string{"v2", "v3"}))
	}
	for i := range r.IntN(3) {
		s := svcs[r.IntN(len(svcs))]
		ns := s.ns
		if r.IntN(2) == 0 {
			ns = pick(nss) // a consumer route when it is not the Service's namespace
		}
		fmt.Fprintf(&b, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: hr%d, namespace: %s}\nspec:\n  parentRefs: [{group: '', kind: Service, name: %s, namespace: %s}]\n  rules:\n  - backendRefs: [{name: %s, namespace: %s, port: 80, weight: 3}, {name: %s, port: 80, weight: 1}]\n---\n",
			i, ns, s.name, s.ns, s.name, s.ns, svcs[0].name)
	}
	return b.String()
}

// describeTranslation writes everything of a translation that Translate's caller views decide:
// each host's name, caller, callers, what decides it and what it does, the warnings and conflicts.
func describeTranslation(tr *Translation) string {
	var b strings.Builder
	for _, h := range tr.Table.Hosts {
		fmt.Fprintf(&b, "%s (%s) from %s callers %v: %s\n", h.Name, h.FQDN, h.From, h.Callers, fingerprint(h))
	}
	for _, w := range tr.Warnings {
		fmt.Fprintf(&b, "warning %s\n", w)
	}
	for _, c := range tr.Conflicts {
		var names []string
		for _, vs := range c.VirtualServices {
			names = append(names, vs.FullName())
		}
		fmt.Fprintf(&b, "conflict %s %s %v %s\n", c.Host, c.FQDN, names, c.Rule)
	}
	return b.String()
}

// Translate computes once the sidecar view of the namespaces nothing singles out (singledOut) and
// gives it to all of them: on 400 random configurations the translation is the same, byte for
// byte, as with every namespace's view computed on its own.
func TestSharedViewsTranslateAsEachNamespaceAlone(t *testing.T) {
	shared := 0
	for seed := range uint64(400) {
		yaml := randomMesh(seed)
		translate := func(share bool) string {
			defer func(old bool) { shareViews = old }(shareViews)
			shareViews = share
			c := &Config{}
			if _, err := c.AddLenient("m.yaml", []byte(yaml)); err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			tr, err := Translate(c)
			if err != nil {
				return "error: " + err.Error()
			}
			return describeTranslation(tr)
		}
		got, want := translate(true), translate(false)
		if got != want {
			t.Fatalf("seed %d: shared views translate differently\nshared:\n%s\neach alone:\n%s\nconfiguration:\n%s", seed, got, want, yaml)
		}
		c := &Config{}
		_, _ = c.AddLenient("m.yaml", []byte(yaml))
		if singled, ok := c.singledOut(); ok && slices.ContainsFunc(c.Callers(), func(cl Caller) bool { return !singled[cl.Namespace] }) {
			shared++
		}
	}
	if shared < 100 {
		t.Errorf("only %d of 400 configurations have a namespace that shares the view: the test does not exercise sharing", shared)
	}
}
