package sim

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// BlockSize is the number of requests drawn from one random stream. Blocks are the unit of parallel
// work; the block size is fixed so that results never depend on the number of workers.
const BlockSize = 1 << 16

// Options controls a run.
type Options struct {
	Seed    uint64
	Workers int // goroutines; 0 means runtime.GOMAXPROCS(0). Results do not depend on it.
	// Series records cumulative counts at checkpoints (powers of two up to BlockSize, then block
	// boundaries at 2^e-1 blocks) for convergence charts. Memory is bounded by the number of checkpoints.
	Series bool
	// Done, when not nil, is advanced by the number of requests simulated so far (for progress bars).
	Done *atomic.Int64
	// Method is PerRequest, Multinomial, or Auto (the default): per request for groups of up to
	// AutoLimit requests, multinomial when any group is larger.
	Method string
}

// Result holds the counts of a run. Counters only: memory does not grow with the number of requests.
type Result struct {
	Seed   uint64
	Method string // "per-request" or "multinomial"
	Groups []GroupResult
}

// GroupResult is the outcome of one group.
type GroupResult struct {
	Name     string
	Requests int64
	Classes  []ClassResult
	Series   []Checkpoint
}

// ClassResult says where one class's requests went.
type ClassResult struct {
	Class    string
	Host     string
	Requests int64
	// HostFound is false when no virtual host has the class's host name (Envoy: 404, flag NR).
	HostFound bool
	// Route is the index into Host.Routes of the route that matched, or -1 (404 no route).
	Route int
	// Rule is the index into Host.Rules of the matched route's rule, or -1.
	Rule int
	// Counts holds, for a Forward rule, the requests sent to each destination of the rule's action
	// (aborted requests excluded).
	Counts []int64
	// Aborted and Delayed count the requests the rule's fault injection aborted and delayed;
	// Mirrored the copies each mirror policy sent (see Fault, Mirror).
	Aborted, Delayed int64
	Mirrored         []int64
}

// Checkpoint holds cumulative counts after Requests requests of a group.
type Checkpoint struct {
	Requests int64
	Classes  []int64   // requests per class
	Counts   [][]int64 // per class, per destination (nil for classes without destinations)
}

// plan is a group prepared for the hot loop.
type plan struct {
	classes  []ClassResult
	classP   *Picker   // nil when there is one class
	classW   []uint64  // class weights (as classP uses them)
	pickers  []*Picker // per class; nil when the class has no destinations
	offsets  []int     // per class, offset of its destination counters in a flat slice
	width    int       // flat slice length: destinations of all classes, then one counter per class
	seed     uint64
	requests int64
}

// Run simulates every group of traffic through t. The result depends only on t, groups and
// opts.Seed: never on opts.Workers, timing or map order. Run only reads t, so several goroutines may
// run one table at once.
func Run(t *Table, groups []Group, opts Options) (*Result, error) {
	if err := checkCounts(groups); err != nil {
		return nil, err
	}
	method, err := runMethod(opts.Method, groups)
	if err != nil {
		return nil, err
	}
	res := &Result{Seed: opts.Seed, Method: method}
	pickers := map[*Action]*Picker{} // built once per run, shared by the groups
	for gi, g := range groups {
		p, err := prepare(t, g, opts.Seed, uint64(gi), pickers)
		if err != nil {
			return nil, fmt.Errorf("group %q: %w", g.Name, err)
		}
		gr := GroupResult{Name: g.Name, Requests: g.Requests, Classes: p.classes}
		if method == Multinomial {
			gr.Series = p.runMultinomial(opts)
		} else {
			gr.Series = p.run(opts)
		}
		applyFaults(t, g, gr.Classes, p.seed)
		res.Groups = append(res.Groups, gr)
	}
	return res, nil
}

// MaxRequests is the largest group the simulator takes (10^15 requests: the multinomial method
// draws it as fast as 10^3); MaxTotalRequests bounds the requests of all groups of a run, so that
// every count and every sum of counts fits an int64 with room to spare.
const (
	MaxRequests      = 1_000_000_000_000_000
	MaxTotalRequests = 1 << 62
	// MaxPerRequest is the largest group the per-request method draws one by one.
	MaxPerRequest = 1_000_000_000
)

// checkCounts checks the groups' request counts against MaxRequests and, summed with overflow
// checks, MaxTotalRequests.
func checkCounts(groups []Group) error {
	var total uint64
	for _, g := range groups {
		if g.Requests < 0 || g.Requests > MaxRequests {
			return fmt.Errorf("group %q: %d requests; the simulator takes 0 to %d per group", g.Name, g.Requests, int64(MaxRequests))
		}
		var carry uint64
		if total, carry = bits.Add64(total, uint64(g.Requests), 0); carry != 0 || total > MaxTotalRequests {
			return fmt.Errorf("%d groups of traffic make more than %d requests in all, more than the simulator takes", len(groups), uint64(MaxTotalRequests))
		}
	}
	return nil
}

// runMethod resolves the method a run asks for: Auto (or empty) means PerRequest unless a group has
// more than AutoLimit requests.
func runMethod(method string, groups []Group) (string, error) {
	switch method {
	case "", Auto:
		for _, g := range groups {
			if g.Requests > AutoLimit {
				return Multinomial, nil
			}
		}
		return PerRequest, nil
	case PerRequest:
		for _, g := range groups {
			if g.Requests > MaxPerRequest {
				return "", fmt.Errorf("group %q: %d requests; the per-request method draws at most %d per group (about 2 s on two cores): use %s or %s", g.Name, g.Requests, int64(MaxPerRequest), Auto, Multinomial)
			}
		}
		return method, nil
	case Multinomial:
		return method, nil
	}
	return "", fmt.Errorf("unknown method %q (want %s, %s or %s)", method, Auto, PerRequest, Multinomial)
}

// Resolve matches one class against the table: the host, route and rule its requests take.
func Resolve(t *Table, c Class) ClassResult {
	cr := ClassResult{Class: c.Name, Host: c.Host, Route: -1, Rule: -1}
	h := t.Lookup(c.Host)
	if h == nil {
		return cr
	}
	cr.HostFound = true
	req := c.Request
	if ri := h.Route(&req); ri >= 0 {
		cr.Route = ri
		cr.Rule = h.Routes[ri].Rule
	}
	return cr
}

// prepare resolves a group's classes against t and lays out its counters. pickers caches the picker
// of each Forward action across the groups of one run.
func prepare(t *Table, g Group, seed, index uint64, pickers map[*Action]*Picker) (*plan, error) {
	if len(g.Classes) == 0 {
		return nil, fmt.Errorf("no traffic classes")
	}
	if g.Requests < 0 {
		return nil, fmt.Errorf("negative request count %d", g.Requests)
	}
	p := &plan{seed: splitmix64(seed + splitmix64(index+1)), requests: g.Requests}
	w, err := classWeights(g.Classes)
	if err != nil {
		return nil, err
	}
	for _, x := range w {
		p.classW = append(p.classW, uint64(x))
	}
	if len(g.Classes) > 1 {
		if p.classP, err = NewPicker(w); err != nil {
			return nil, err
		}
	}
	for _, c := range g.Classes {
		if err := p.addClass(t, c, pickers); err != nil {
			return nil, err
		}
	}
	p.width += len(g.Classes)
	return p, nil
}

// addClass resolves class c and, when its rule forwards, gives it the rule's picker and a counter per
// destination.
func (p *plan) addClass(t *Table, c Class, pickers map[*Action]*Picker) error {
	cr := Resolve(t, c)
	var pk *Picker
	off := p.width
	if cr.Rule >= 0 {
		a := &t.Lookup(c.Host).Rules[cr.Rule].Action
		if a.Kind == Forward {
			var err error
			if pk, err = cachedPicker(a, pickers); err != nil {
				return fmt.Errorf("host %s rule %d: %w", c.Host, cr.Rule, err)
			}
			cr.Counts = make([]int64, len(a.Destinations))
			p.width += len(a.Destinations)
		}
	}
	p.classes = append(p.classes, cr)
	p.pickers = append(p.pickers, pk)
	p.offsets = append(p.offsets, off)
	return nil
}

// cachedPicker returns a's picker from cache, building and storing it on first use.
func cachedPicker(a *Action, cache map[*Action]*Picker) (*Picker, error) {
	if pk, ok := cache[a]; ok {
		return pk, nil
	}
	pk, err := a.Picker()
	if err != nil {
		return nil, err
	}
	cache[a] = pk
	return pk, nil
}

// scratch returns a worker's tallies: a fine one for a group of one class (Picker.Count), else a
// coarse one per class.
func (p *plan) scratch() (*Hist, []*[coarseBins]uint32) {
	if p.classP == nil {
		return new(Hist), nil
	}
	h := make([]*[coarseBins]uint32, len(p.classes))
	for c := range h {
		h[c] = new([coarseBins]uint32)
	}
	return nil, h
}

// block draws n requests from stream (seed, b) into acc, calling snap (when not nil) at the series'
// checkpoints inside the block.
func (p *plan) block(acc []int64, hist *Hist, hists []*[coarseBins]uint32, b uint64, n int, snap func(i int, acc []int64)) {
	src := Stream(p.seed, b)
	if p.classP == nil {
		p.blockOneClass(acc, hist, src, n, snap)
		return
	}
	p.blockClasses(acc, hists, src, n, snap)
}

// blockOneClass is block for a group of one class: Picker.Count places the requests.
func (p *plan) blockOneClass(acc []int64, hist *Hist, src *rand.PCG, n int, snap func(i int, acc []int64)) {
	classBase := p.width - len(p.classes)
	pk := p.pickers[0]
	if pk == nil {
		acc[classBase] += int64(n)
		return
	}
	cnt := acc[p.offsets[0] : p.offsets[0]+pk.Len()]
	start := 0
	for _, end := range segments(n, snap != nil) {
		pk.Count(src, end-start, cnt, hist)
		acc[classBase] += int64(end - start)
		start = end
		if snap != nil {
			snap(end, acc)
		}
	}
}

// blockClasses is block for a group of several classes, with a coarse tally per class.
func (p *plan) blockClasses(acc []int64, hists []*[coarseBins]uint32, src *rand.PCG, n int, snap func(i int, acc []int64)) {
	classBase := p.width - len(p.classes)
	// Each draw decides four requests: for each, coarseBits bits choose the class (the rest of the
	// class's value is drawn only when those bits fall in a bin that holds a cut, see Picker.Draw),
	// and the next coarseBits bits go to the class's tally, which Picker.fold turns into destinations.
	ctab := p.classP.coarse
	one := func(r uint64) {
		j := r & coarseMask
		c := ctab[j]
		if c&straddles != 0 {
			c = uint32(p.classP.walk(int(c&^straddles), j<<(64-coarseBits)|src.Uint64()>>coarseBits))
		}
		hists[c][r>>coarseBits&coarseMask]++
	}
	start := 0
	for _, end := range segments(n, snap != nil) {
		i := start
		for ; i+4 <= end; i += 4 {
			r := src.Uint64()
			one(r)
			one(r >> 16)
			one(r >> 32)
			one(r >> 48)
		}
		if i < end {
			r := src.Uint64()
			for ; i < end; i++ {
				one(r)
				r >>= 16
			}
		}
		for c, h := range hists {
			if pk := p.pickers[c]; pk != nil {
				acc[classBase+c] += pk.fold(src, h[:], acc[p.offsets[c]:p.offsets[c]+pk.Len()])
			} else {
				acc[classBase+c] += sumClear(h[:])
			}
		}
		start = end
		if snap != nil {
			snap(end, acc)
		}
	}
}

// sumClear returns the number of requests in h and zeroes it.
func sumClear(h []uint32) int64 {
	n := sum(h)
	clear(h)
	return n
}

// segments cuts n into the checkpoint boundaries 16, 32, 64, ... when series are wanted.
func segments(n int, series bool) []int {
	if !series {
		return []int{n}
	}
	var s []int
	for e := 16; e < n; e *= 2 {
		s = append(s, e)
	}
	return append(s, n)
}

// run draws the group's requests block by block on opts.Workers goroutines, stores the final counts
// in p.classes and returns the series when opts.Series asks for one. Blocks are taken in any order, but
// each block's stream and the sums over blocks do not depend on which worker drew it.
func (p *plan) run(opts Options) []Checkpoint {
	nblocks := uint64(p.requests) / BlockSize // without overflow, even at math.MaxInt64
	if uint64(p.requests)%BlockSize != 0 {
		nblocks++
	}
	epochs := bits.Len64(nblocks) + 1
	states := make([]tallies, workerCount(opts.Workers, nblocks))
	var first []Checkpoint // checkpoints inside block 0
	var next atomic.Uint64
	var wg sync.WaitGroup
	for w := range states {
		st := &states[w]
		st.total = make([]int64, p.width)
		if opts.Series {
			st.epochs = make([][]int64, epochs)
		}
		wg.Go(func() { p.work(st, &next, nblocks, opts, &first) })
	}
	wg.Wait()
	total := make([]int64, p.width)
	for _, st := range states {
		addTo(total, st.total)
	}
	p.fill(total)
	if !opts.Series {
		return nil
	}
	return p.series(first, states, epochs)
}

// tallies are one worker's counters, in the flat layout of a plan.
type tallies struct {
	total  []int64
	epochs [][]int64 // per epoch e, when series are wanted: counts of blocks [2^e-1, 2^(e+1)-1)
}

// workerCount is the number of goroutines for nblocks blocks: workers, or GOMAXPROCS when it is not
// positive, but at most one per block and at least one.
func workerCount(workers int, nblocks uint64) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if uint64(workers) > nblocks {
		workers = max(1, int(nblocks))
	}
	return workers
}

// work is one worker: it draws the blocks it takes from next, until nblocks are taken, into st. The
// worker that draws block 0 appends the checkpoints inside it to first when series are wanted.
func (p *plan) work(st *tallies, next *atomic.Uint64, nblocks uint64, opts Options, first *[]Checkpoint) {
	blk := make([]int64, p.width)
	hist, hists := p.scratch()
	for {
		b := next.Add(1) - 1
		if b >= nblocks {
			return
		}
		n := BlockSize
		if rest := p.requests - int64(b)*BlockSize; rest < BlockSize {
			n = int(rest)
		}
		clear(blk)
		var snap func(int, []int64)
		if opts.Series && b == 0 {
			snap = func(i int, acc []int64) {
				if i < n {
					*first = append(*first, p.checkpoint(int64(i), acc))
				}
			}
		}
		p.block(blk, hist, hists, b, n, snap)
		st.add(blk, b, opts.Series)
		if opts.Done != nil {
			opts.Done.Add(int64(n))
		}
	}
}

// add adds block b's counts to the worker's total and, when series are wanted, to its epoch's.
func (st *tallies) add(blk []int64, b uint64, series bool) {
	addTo(st.total, blk)
	if !series {
		return
	}
	e := bits.Len64(b+1) - 1
	if st.epochs[e] == nil {
		st.epochs[e] = make([]int64, len(blk))
	}
	addTo(st.epochs[e], blk)
}

// addTo adds src to dst element by element.
func addTo(dst, src []int64) {
	for i, v := range src {
		dst[i] += v
	}
}

// series returns the checkpoints inside block 0 (first) followed by one at the end of each epoch
// (blocks 2^e-1, cut to the group's size), from the workers' per-epoch counts.
func (p *plan) series(first []Checkpoint, states []tallies, epochs int) []Checkpoint {
	series := first
	cum := make([]int64, p.width)
	for e := range epochs {
		for _, st := range states {
			addTo(cum, st.epochs[e])
		}
		end := min(int64((uint64(1)<<(e+1))-1)*BlockSize, p.requests)
		if len(series) > 0 && series[len(series)-1].Requests >= end {
			break
		}
		series = append(series, p.checkpoint(end, cum))
	}
	return series
}

// checkpoint copies flat counters into a Checkpoint.
func (p *plan) checkpoint(requests int64, acc []int64) Checkpoint {
	cp := Checkpoint{Requests: requests, Classes: make([]int64, len(p.classes)), Counts: make([][]int64, len(p.classes))}
	classBase := p.width - len(p.classes)
	for c := range p.classes {
		cp.Classes[c] = acc[classBase+c]
		if pk := p.pickers[c]; pk != nil {
			cp.Counts[c] = append([]int64(nil), acc[p.offsets[c]:p.offsets[c]+pk.Len()]...)
		}
	}
	return cp
}

// fill stores the final counters into the class results.
func (p *plan) fill(acc []int64) {
	cp := p.checkpoint(0, acc)
	for c := range p.classes {
		p.classes[c].Requests = cp.Classes[c]
		if cp.Counts[c] != nil {
			p.classes[c].Counts = cp.Counts[c]
		}
	}
}
