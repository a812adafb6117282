package mesh

import (
	"fmt"
	"strings"
	"testing"
)

// AddLenient decodes the networking.istio.io objects of a large file on every core
// (predecodeIstio) and takes them in file order: the same objects, in the same order, and the same
// problems as decoding one document after the other.
func TestPredecodeSameAsInOrder(t *testing.T) {
	var b strings.Builder
	for i := range 300 {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs%d}\nspec:\n  hosts: [h%d]\n  http:\n  - route: [{destination: {host: h%d}, weight: 150}]\n", i, i, i)
		case 1:
			fmt.Fprintf(&b, "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: dr%d}\nspec:\n  host: h%d\n  subsets: [{name: v1, labels: {version: v1}}]\n", i, i)
		case 2:
			fmt.Fprintf(&b, "---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se%d}\nspec:\n  hosts: [e%d.example.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: DNS\n", i, i)
		case 3:
			fmt.Fprintf(&b, "---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw%d}\nspec:\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [\"*\"]}]\n", i)
		default:
			fmt.Fprintf(&b, "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ok%d}\nspec:\n  hosts: [k%d]\n  http:\n  - route: [{destination: {host: k%d, subset: v1}}]\n  bogus: 1\n", i, i, i)
		}
	}
	data := []byte(b.String())
	parallel := &Config{}
	got, err := parallel.AddLenient("f.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := Split("f.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	inOrder := &Config{}
	var want []*Error
	for _, d := range docs {
		if d.pre != nil {
			t.Fatal("Split predecoded")
		}
		want = append(want, inOrder.decode(d, true)...)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(got) == 0 {
		t.Errorf("problems\n%v\nwant\n%v", got, want)
	}
	names := func(c *Config) string {
		var s []string
		for _, x := range c.VirtualServices {
			s = append(s, x.FullName())
		}
		for _, x := range c.DestinationRules {
			s = append(s, x.FullName())
		}
		for _, x := range c.ServiceEntries {
			s = append(s, x.FullName())
		}
		for _, x := range c.IstioGateways {
			s = append(s, x.FullName())
		}
		return strings.Join(s, " ")
	}
	if g, w := names(parallel), names(inOrder); g != w || g == "" {
		t.Errorf("objects\n%s\nwant\n%s", g, w)
	}
}
