package lint

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/splitsim/splitsim/internal/benchdata"
	"github.com/splitsim/splitsim/mesh"
)

// manyVirtualServices is benchdata.VirtualServices(n): the input of issue 17's lint figures.
func manyVirtualServices(n int) []byte {
	var b bytes.Buffer
	_ = benchdata.VirtualServices(&b, n) // a bytes.Buffer does not fail
	return b.Bytes()
}

// lintBytes reads data as file many.yaml and lints it.
func lintBytes(tb testing.TB, data []byte) int {
	c := &mesh.Config{}
	ps, err := c.AddLenient("many.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := Check(Input{Files: []string{"many.yaml"}, Config: c, Problems: ps,
		ReadFile: func(string) ([]byte, error) { return data, nil }})
	if err != nil {
		tb.Fatal(err)
	}
	return len(r.Findings)
}

// BenchmarkLint is lint (reading included) of 1,000 to 5,000 VirtualServices with their
// DestinationRules; ns/resource should stay flat as n grows (issue 17: linear in the number of
// resources).
func BenchmarkLint(b *testing.B) {
	for _, n := range []int{1000, 4000, 5000} {
		data := manyVirtualServices(n)
		b.Run(fmt.Sprintf("vs=%d", n), func(b *testing.B) {
			for b.Loop() {
				lintBytes(b, data)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/resource")
		})
	}
}

// BenchmarkLintNamespaces is lint of 1,000 and 4,000 VirtualServices, each with its
// DestinationRule in a namespace of its own; ns/resource should stay flat as n grows (one sidecar
// view per namespace made it quadratic: 4,000 took 10.8 s).
func BenchmarkLintNamespaces(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		var data bytes.Buffer
		_ = benchdata.VirtualServicesPerNamespace(&data, n) // a bytes.Buffer does not fail
		b.Run(fmt.Sprintf("namespaces=%d", n), func(b *testing.B) {
			for b.Loop() {
				lintBytes(b, data.Bytes())
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/resource")
		})
	}
}

// Lint of VirtualServices each in a namespace of its own allocates in proportion to their number:
// the namespaces that nothing singles out share one sidecar view (mesh.Translate), where each had
// its own view of every VirtualService (n^2).
func TestLintNamespacesLinear(t *testing.T) {
	alloc := func(n int) uint64 {
		var data bytes.Buffer
		_ = benchdata.VirtualServicesPerNamespace(&data, n)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		lintBytes(t, data.Bytes())
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(500), alloc(2000)
	if ratio := float64(large) / float64(small); ratio > 5.5 {
		t.Errorf("lint of 2,000 VirtualServices in 2,000 namespaces allocates %.1fx what 500 in 500 do (%d and %d bytes): want about 4x", ratio, large, small)
	}
}

// oneHostVirtualServices is benchdata.OneHost(n): the input of issue 18's lint case.
func oneHostVirtualServices(n int) []byte {
	var b bytes.Buffer
	_ = benchdata.OneHost(&b, n) // a bytes.Buffer does not fail
	return b.Bytes()
}

// BenchmarkLintOneHost is lint of 1,000 and 4,000 VirtualServices claiming one host; ns/resource
// should stay flat as n grows (issue 18: it was quadratic in time and memory).
func BenchmarkLintOneHost(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		data := oneHostVirtualServices(n)
		b.Run(fmt.Sprintf("vs=%d", n), func(b *testing.B) {
			for b.Loop() {
				lintBytes(b, data)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
		})
	}
}

// Lint of VirtualServices that all claim one host allocates in proportion to their number, and its
// messages stay short (issue 18: 10^4 of them took 10 GB, each IST0109 message naming all 10^4).
func TestLintOneHostLinear(t *testing.T) {
	alloc := func(n int) (uint64, int) {
		data := oneHostVirtualServices(n)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c := &mesh.Config{}
		ps, err := c.AddLenient("one-host.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Check(Input{Files: []string{"one-host.yaml"}, Config: c, Problems: ps,
			ReadFile: func(string) ([]byte, error) { return data, nil }})
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		longest := 0
		for _, f := range r.Findings {
			longest = max(longest, len(f.Message))
		}
		if got := len(findings(r, "IST0109")); got != n {
			t.Fatalf("%d VirtualServices: %d IST0109 findings, want %d", n, got, n)
		}
		return after.TotalAlloc - before.TotalAlloc, longest
	}
	small, _ := alloc(500)
	large, longest := alloc(2000)
	if ratio := float64(large) / float64(small); ratio > 5.5 {
		t.Errorf("lint of 2,000 VirtualServices for one host allocates %.1fx what 500 do (%d and %d bytes): want about 4x", ratio, large, small)
	}
	if longest > 1000 {
		t.Errorf("longest message %d bytes", longest)
	}
}
