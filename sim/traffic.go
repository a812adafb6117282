package sim

import (
	"fmt"
	"math"
	"sort"
)

// Class is one kind of synthetic request and its share of a group's traffic.
type Class struct {
	Name string
	Host string
	// From is the caller that sends the class ("" for the table's own view); the table host it
	// reaches is chosen before the run (see package scenarios), Run only reads Host.
	From    string
	Request Request
	Weight  float64 // relative share within its group; > 0
}

// Group is a set of classes that share one stream of Requests requests. Without a scenario, each rule
// is its own group with one class; a scenario's traffic section is one group.
type Group struct {
	Name     string
	Classes  []Class
	Requests int64
}

// classWeights turns relative float shares into integer weights for a Picker, largest remainder first,
// with a total of at most 2^31 so that relative shares are kept to about 1e-9.
func classWeights(classes []Class) ([]uint32, error) {
	var top float64
	for _, c := range classes {
		if !(c.Weight > 0) || math.IsInf(c.Weight, 0) {
			return nil, fmt.Errorf("class %q: weight must be a positive number, got %v", c.Name, c.Weight)
		}
		top = max(top, c.Weight)
	}
	if len(classes) == 1 {
		return []uint32{1}, nil
	}
	// Relative to the largest weight, so that the sum stays finite even for weights near the
	// largest float64.
	var sum float64
	for _, c := range classes {
		sum += c.Weight / top
	}
	const scale = 1 << 31
	w := make([]uint32, len(classes))
	rem := make([]float64, len(classes))
	var used uint64
	for i, c := range classes {
		x := c.Weight / top / sum * scale
		w[i] = uint32(math.Floor(x))
		rem[i] = x - math.Floor(x)
		used += uint64(w[i])
	}
	// Hand the rest out by largest remainder (ties to the earlier class): fewer than len(classes)
	// units are left, so one sort does it.
	order := make([]int, len(classes))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for _, i := range order[:min(scale-used, uint64(len(order)))] {
		w[i]++
	}
	return w, nil
}
