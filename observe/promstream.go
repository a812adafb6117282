package observe

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strconv"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Prometheus text format is read as a stream (see forBlocks): all cores parse blocks of lines at
// once, and only the samples of the few metric names that may be counted are kept, summed into
// buckets by the values of the labels that the counts and the default filters depend on (see
// promBucket). Memory therefore depends on the number of distinct buckets, not on the input's size;
// only ReadDelta keeps one small record per series, to pair the series of two scrapes.
//
// A line of the common shape is parsed by parsePromLine without allocating; every other line is
// parsed by github.com/prometheus/common/expfmt, whose error messages splitsim reports. What
// depends on more than one line is checked as the expfmt parser checks it on each scrape of a file
// (see promReader): TYPE lines that conflict or follow samples, and a metric whose type changes
// between concatenated scrapes.

// bucketLabels are the labels whose values make up a bucket, besides the grouping label.
var bucketLabels = [...]string{"reporter", "destination_service_name", "cluster_name", "response_code", "response_flags"}

// promWant says which samples the parts collect.
type promWant struct {
	names   []string    // sample names
	ms      [][]matcher // per name: the caller's matchers and those that Options.Services adds
	groupBy []string    // per name: the grouping label
	delta   bool        // keep a record per series, for ReadDelta
	seeds   [2]maphash.Seed
}

// newPromWant collects the samples that may be counted: those of opts.Metric (and NAME_count,
// should it be a histogram or summary), else those of the default metrics.
func newPromWant(opts Options, ms []matcher, delta bool) (*promWant, error) {
	w := &promWant{delta: delta, seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
	if opts.Metric != "" {
		w.names = []string{opts.Metric, opts.Metric + "_count"}
	} else {
		w.names = slices.Clone(defaultMetrics)
	}
	for _, n := range w.names {
		m, err := serviceMatchers(n, opts.Services, ms)
		if err != nil {
			return nil, err
		}
		w.ms = append(w.ms, m)
		w.groupBy = append(w.groupBy, defaultGroupBy(n, opts.GroupBy))
	}
	return w, nil
}

func (w *promWant) index(name []byte) int {
	for i, n := range w.names {
		if n == string(name) {
			return i
		}
	}
	return -1
}

// promLabel is a label of a sample as written: the value still escaped when esc is set.
type promLabel struct {
	name, value []byte
	esc         bool
}

// sampleLine is one sample line.
type sampleLine struct {
	name   []byte
	labels []promLabel
	value  float64
}

// get returns the value of label name, unescaped, or "" when the sample does not have it.
func (s *sampleLine) get(name string) string {
	for _, l := range s.labels {
		if string(l.name) == name {
			return labelValue(l)
		}
	}
	return ""
}

func (s *sampleLine) lookup(name string) (promLabel, bool) {
	for _, l := range s.labels {
		if string(l.name) == name {
			return l, true
		}
	}
	return promLabel{}, false
}

func labelValue(l promLabel) string {
	if !l.esc {
		return string(l.value)
	}
	return string(unescapeLabel(nil, l.value))
}

// unescapeLabel appends v with the escapes of the text format (\\, \", \n) resolved.
func unescapeLabel(dst, v []byte) []byte {
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
			switch v[i] {
			case 'n':
				dst = append(dst, '\n')
			default:
				dst = append(dst, v[i])
			}
			continue
		}
		dst = append(dst, v[i])
	}
	return dst
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isNameChar(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' }

// parsePromLine parses a sample line of the common shape into s: a plain metric name, labels with
// plain names and ASCII values, a value and an optional timestamp, separated as the expfmt parser
// accepts. It returns false for anything else, valid or not, which the expfmt parser then reads.
func parsePromLine(t []byte, s *sampleLine) bool {
	i := skipBlanks(t, 0)
	start := i
	if i >= len(t) || !(isNameStart(t[i]) || t[i] == ':') {
		return false
	}
	for i < len(t) && (isNameChar(t[i]) || t[i] == ':') {
		i++
	}
	s.name = t[start:i]
	s.labels = s.labels[:0]
	if i >= len(t) || t[i] == '"' {
		return false
	}
	i = skipBlanks(t, i)
	if i < len(t) && t[i] == '{' {
		var ok bool
		if i, ok = parseLabels(t, i+1, s); !ok {
			return false
		}
		i = skipBlanks(t, i)
	}
	return parseValue(t, i, s)
}

func skipBlanks(t []byte, i int) int {
	for i < len(t) && isBlank(t[i]) {
		i++
	}
	return i
}

// parseLabels parses the labels after the '{' at t[i-1] up to the closing '}', and returns the
// index after it.
func parseLabels(t []byte, i int, s *sampleLine) (int, bool) {
	for {
		i = skipBlanks(t, i)
		if i < len(t) && t[i] == '}' {
			return i + 1, true
		}
		l, next, ok := parseLabel(t, i, s.labels)
		if !ok {
			return 0, false
		}
		s.labels = append(s.labels, l)
		i = skipBlanks(t, next)
		switch {
		case i < len(t) && t[i] == ',':
			i++
		case i < len(t) && t[i] == '}':
			return i + 1, true
		default:
			return 0, false
		}
	}
}

// parseLabel parses name="value" at t[i], a name not among those of prev, and returns the index
// after the closing quote.
func parseLabel(t []byte, i int, prev []promLabel) (promLabel, int, bool) {
	n := len(t)
	ls := i
	if i >= n || !isNameStart(t[i]) {
		return promLabel{}, 0, false
	}
	for i < n && isNameChar(t[i]) {
		i++
	}
	l := promLabel{name: t[ls:i]}
	if string(l.name) == "__name__" || duplicate(l.name, prev) {
		return l, 0, false
	}
	i = skipBlanks(t, i)
	if i >= n || t[i] != '=' {
		return l, 0, false
	}
	i = skipBlanks(t, i+1)
	if i >= n || t[i] != '"' {
		return l, 0, false
	}
	i++
	vs := i
	j := bytes.IndexByte(t[i:], '"')
	if j < 0 {
		return l, 0, false
	}
	if bytes.IndexByte(t[i:i+j], '\\') < 0 {
		i += j
	} else if i = escapedValueEnd(t, i); i < 0 {
		return l, 0, false
	}
	l.value, l.esc = t[vs:i], l.esc || bytes.IndexByte(t[vs:i], '\\') >= 0
	for _, c := range l.value {
		if c >= 0x80 {
			return l, 0, false // the expfmt parser checks UTF-8
		}
	}
	return l, i + 1, true
}

// duplicate reports whether name is among the names of prev.
func duplicate(name []byte, prev []promLabel) bool {
	for _, o := range prev {
		if len(o.name) == len(name) && o.name[len(name)-1] == name[len(name)-1] && bytes.Equal(o.name, name) {
			return true
		}
	}
	return false
}

// escapedValueEnd returns the index of the quote that ends a label value with escapes starting at
// t[i], or -1 when an escape is not one of the text format's.
func escapedValueEnd(t []byte, i int) int {
	for i < len(t) && t[i] != '"' {
		if t[i] == '\\' {
			if i+1 >= len(t) || (t[i+1] != '\\' && t[i+1] != '"' && t[i+1] != 'n') {
				return -1
			}
			i++
		}
		i++
	}
	if i >= len(t) {
		return -1
	}
	return i
}

// parseValue parses the value at t[i] and an optional timestamp after it.
func parseValue(t []byte, i int, s *sampleLine) bool {
	n := len(t)
	vs := i
	for i < n && !isBlank(t[i]) {
		i++
	}
	v, ok := promFloat(t[vs:i])
	if !ok {
		return false
	}
	s.value = v
	if i == n {
		return true
	}
	i = skipBlanks(t, i)
	ts := i
	if i < n && (t[i] == '-' || t[i] == '+') {
		i++
	}
	ds := i
	for i < n && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i == n && i > ds && i-ts <= 18
}

// promFloat parses a sample value as the expfmt parser does (strconv.ParseFloat, without p, P or
// _), quickly for whole numbers.
func promFloat(b []byte) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	if len(b) <= 15 {
		v := 0
		digits := true
		for _, c := range b {
			if c < '0' || c > '9' {
				digits = false
				break
			}
			v = 10*v + int(c-'0')
		}
		if digits {
			return float64(v), true
		}
	}
	if bytes.ContainsAny(b, "pP_") {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(b), 64)
	return v, err == nil
}

// expfmtLine parses one line on its own with the expfmt parser: the line's families, or its error.
func expfmtLine(line []byte) (fams map[string]*dto.MetricFamily, msg string) {
	defer func() {
		if p := recover(); p != nil {
			fams, msg = nil, fmt.Sprintf("Prometheus text parser failed: %v", p)
		}
	}()
	doc := make([]byte, 0, len(line)+1)
	doc = append(append(doc, line...), '\n')
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(doc))
	if err != nil {
		var pe expfmt.ParseError
		if asParseError(err, &pe) {
			return nil, pe.Msg
		}
		return nil, err.Error()
	}
	return fams, ""
}

func asParseError(err error, pe *expfmt.ParseError) bool {
	p, ok := err.(expfmt.ParseError)
	if ok {
		*pe = p
	}
	return ok
}

// promEvent is what the sequential checks need from a block, in order: a HELP or TYPE line, or a
// sample name not seen in the block since the last such line.
type promEvent struct {
	line      int
	kw, name  string // "HELP", "TYPE" or "" for a sample
	typeField string // the TYPE line's type, lower case
}

// promPart is what a block of a scrape gives.
type promPart struct {
	want   *promWant
	lines  int
	events []promEvent
	seen   map[string]bool // sample names since the last HELP or TYPE line
	aggs   []bucketSet     // per wanted name
	err    *Error          // the first error; the rest of the block is not read
	sample sampleLine
	key    []byte
	hash   []byte
	// lastName is the metric name of the block's last sample, lastWant its index among the wanted
	// names (-1 for none).
	lastName []byte
	lastWant int
}

func (p *promPart) lineCount() int { return p.lines }

func newPromPart(w *promWant) *promPart {
	p := &promPart{want: w, seen: map[string]bool{}, aggs: make([]bucketSet, len(w.names))}
	for i := range p.aggs {
		p.aggs[i].idx = map[string]int{}
	}
	return p
}

// bucketSet holds the buckets of one sample name in first-seen order.
type bucketSet struct {
	samples int64 // all samples, before the matchers
	keys    []string
	idx     map[string]int
	buckets []promBucket
	series  []seriesRec // ReadDelta: every sample, in order
}

// promBucket sums the samples that have the same value of the grouping label and of the
// bucketLabels (absent and empty are the same, except for response_code and response_flags).
type promBucket struct {
	labels      map[string]string
	sum         float64
	n           int64
	otherLabels map[string]bool // samples without the grouping label: the labels they have
	first       int64           // the file's order of first appearance (promReader)
}

// seriesRec is one sample of ReadDelta: its series' label set hashed, its value and its bucket.
type seriesRec struct {
	key    [2]uint64
	value  float64
	bucket int32
	seen   bool // ReadDelta: a series of the before scrape that the after scrape has
}

func (p *promPart) parse(data []byte, _ bool) {
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		p.lines++
		if p.err == nil {
			p.line(line)
		}
	}
}

// line reads one line of the block.
func (p *promPart) line(t []byte) {
	i := 0
	for i < len(t) && isBlank(t[i]) {
		i++
	}
	switch {
	case i == len(t):
		return
	case t[i] == '#':
		p.comment(t)
		return
	}
	s := &p.sample
	if !parsePromLine(t, s) && !p.slowSample(t, s) {
		return
	}
	if p.lastName == nil || !bytes.Equal(s.name, p.lastName) {
		// Consecutive lines mostly have the same metric name: look it up once.
		if !p.seen[string(s.name)] {
			name := string(s.name)
			p.seen[name] = true
			p.events = append(p.events, promEvent{line: p.lines, name: name})
		}
		p.lastName, p.lastWant = s.name, p.want.index(s.name)
	}
	if p.lastWant >= 0 {
		p.collect(p.lastWant, s)
	}
}

// slowSample parses a line that parsePromLine does not take with the expfmt parser, into s; it
// returns false, with p.err set on an error, when there is no sample.
func (p *promPart) slowSample(t []byte, s *sampleLine) bool {
	fams, msg := expfmtLine(t)
	if msg != "" {
		p.err = &Error{Line: p.lines, Msg: msg}
		return false
	}
	for name, f := range fams { // one line holds at most one sample
		if len(f.GetMetric()) == 0 {
			continue
		}
		m := f.GetMetric()[0]
		s.name = []byte(name)
		s.labels = s.labels[:0]
		for _, lp := range m.GetLabel() {
			s.labels = append(s.labels, promLabel{name: []byte(lp.GetName()), value: []byte(lp.GetValue())})
		}
		s.value = m.GetUntyped().GetValue()
		return true
	}
	return false
}

// comment reads a comment line: HELP and TYPE lines are checked by the expfmt parser and become
// events.
func (p *promPart) comment(t []byte) {
	kw, name := promKeyword(t)
	if kw == "" {
		return
	}
	if _, msg := expfmtLine(t); msg != "" {
		p.err = &Error{Line: p.lines, Msg: msg}
		return
	}
	e := promEvent{line: p.lines, kw: kw, name: name}
	if kw == "TYPE" {
		e.typeField = strings.ToLower(strings.Join(strings.Fields(strings.TrimLeft(string(t), " \t#"))[2:], " "))
	}
	p.events = append(p.events, e)
	clear(p.seen)
	p.lastName = nil
}

// collect adds sample s of wanted name k to its bucket.
func (p *promPart) collect(k int, s *sampleLine) {
	a := &p.aggs[k]
	a.samples++
	if ms := p.want.ms[k]; len(ms) > 0 && !matchAll(ms, s.get) {
		if p.want.delta { // every series counts for resets and series gone
			a.series = append(a.series, seriesRec{key: p.seriesKey(s), value: s.value, bucket: -1})
		}
		return
	}
	group := p.want.groupBy[k]
	gl, hasGroup, found := bucketOf(s, group)
	key := appendLabel(p.key[:0], gl, hasGroup)
	for _, i := range found {
		if i < 0 {
			key = append(key, 0)
		} else {
			key = appendLabel(key, s.labels[i], true)
		}
	}
	p.key = key
	hasGroup = hasGroup && len(gl.value) > 0
	b, ok := a.idx[string(key)]
	if !ok {
		b = len(a.buckets)
		a.idx[string(key)] = b
		labels := map[string]string{}
		if hasGroup {
			labels[group] = labelValue(gl)
		}
		for _, name := range bucketLabels {
			if l, ok := s.lookup(name); ok {
				labels[name] = labelValue(l)
			}
		}
		a.buckets = append(a.buckets, promBucket{labels: labels})
	}
	bk := &a.buckets[b]
	if !hasGroup {
		if bk.otherLabels == nil {
			bk.otherLabels = map[string]bool{}
		}
		for _, l := range s.labels {
			if !bk.otherLabels[string(l.name)] {
				bk.otherLabels[string(l.name)] = true
			}
		}
	}
	if p.want.delta {
		a.series = append(a.series, seriesRec{key: p.seriesKey(s), value: s.value, bucket: int32(b)})
		return
	}
	bk.sum += s.value
	bk.n++
}

// bucketOf finds, in one pass over the labels of s, the grouping label and the index of each of
// bucketLabels (-1 when s lacks it).
func bucketOf(s *sampleLine, group string) (gl promLabel, hasGroup bool, found [len(bucketLabels)]int) {
	found = [len(bucketLabels)]int{-1, -1, -1, -1, -1}
	for i, l := range s.labels {
		if string(l.name) == group {
			gl, hasGroup = l, true
		}
		switch string(l.name) {
		case "reporter":
			found[0] = i
		case "destination_service_name":
			found[1] = i
		case "cluster_name":
			found[2] = i
		case "response_code":
			found[3] = i
		case "response_flags":
			found[4] = i
		}
	}
	return gl, hasGroup, found
}

// appendLabel appends a label's presence and unescaped value to a bucket key.
func appendLabel(key []byte, l promLabel, ok bool) []byte {
	if !ok {
		return append(key, 0)
	}
	key = append(key, 1)
	if l.esc {
		key = unescapeLabel(key, l.value)
	} else {
		key = append(key, l.value...)
	}
	return append(key, 0xff)
}

// seriesKey hashes the name and label set of s, whatever the order of the labels, to 128 bits.
func (p *promPart) seriesKey(s *sampleLine) [2]uint64 {
	var k [2]uint64
	for i, seed := range p.want.seeds {
		k[i] = maphash.Bytes(seed, s.name)
	}
	for _, l := range s.labels {
		h := append(append(p.hash[:0], l.name...), 0xfe)
		if l.esc {
			h = unescapeLabel(h, l.value)
		} else {
			h = append(h, l.value...)
		}
		p.hash = h
		for i, seed := range p.want.seeds {
			k[i] += maphash.Bytes(seed, h) * 0x9e3779b97f4a7c15
		}
	}
	return k
}

// promReader puts the parts of one input together, in order, and runs the checks that span lines.
type promReader struct {
	file  string
	want  *promWant
	order int64
	aggs  []globalSet
	// The current scrape: its first line, the metrics with a HELP or a TYPE line, their types and
	// the sample names read.
	first       int
	help, types map[string]bool
	scrapeTypes map[string]string
	sampled     map[string]bool
	declared    map[string]declaration // the first TYPE line of each metric in the file
	famTypes    map[string]string      // each metric family's type, from the first scrape that has it
	sampleNames map[string]bool        // every sample name in the file
}

// globalSet is a bucketSet of the whole input.
type globalSet struct {
	samples int64
	idx     map[string]int
	buckets []promBucket
	// ReadDelta: the series, in first-seen order, and the index of each.
	series    []seriesRec
	seriesIdx map[[2]uint64]int
}

func newPromReader(file string, w *promWant) *promReader {
	r := &promReader{file: file, want: w, first: 1, help: map[string]bool{}, types: map[string]bool{},
		scrapeTypes: map[string]string{}, sampled: map[string]bool{}, declared: map[string]declaration{},
		famTypes: map[string]string{}, sampleNames: map[string]bool{}, aggs: make([]globalSet, len(w.names))}
	for i := range r.aggs {
		r.aggs[i].idx = map[string]int{}
		r.aggs[i].seriesIdx = map[[2]uint64]int{}
	}
	return r
}

// read reads one input.
func (r *promReader) read(in io.Reader) error {
	err := forBlocks(in, func() *promPart { return newPromPart(r.want) }, (*promPart).parse, r.merge,
		func(err error, lineNo int) error { return errorf(r.file, lineNo+1, "%v", err) })
	if err != nil {
		return err
	}
	return r.flush()
}

// merge takes the next part.
func (r *promReader) merge(p *promPart, before int) error {
	for _, e := range p.events {
		if err := r.event(e, before+e.line); err != nil {
			return err
		}
	}
	if p.err != nil {
		p.err.File, p.err.Line = r.file, p.err.Line+before
		return p.err
	}
	for k := range p.aggs {
		pa, ga := &p.aggs[k], &r.aggs[k]
		ga.samples += pa.samples
		local := make([]int, len(pa.buckets))
		for i := range pa.buckets {
			pb := &pa.buckets[i]
			key := pa.keyOf(i)
			g, ok := ga.idx[key]
			if !ok {
				g = len(ga.buckets)
				ga.idx[key] = g
				r.order++
				ga.buckets = append(ga.buckets, promBucket{labels: pb.labels, first: r.order})
			}
			local[i] = g
			gb := &ga.buckets[g]
			gb.sum += pb.sum
			gb.n += pb.n
			for l := range pb.otherLabels {
				if gb.otherLabels == nil {
					gb.otherLabels = map[string]bool{}
				}
				gb.otherLabels[l] = true
			}
		}
		for _, s := range pa.series {
			if s.bucket >= 0 {
				s.bucket = int32(local[s.bucket])
			}
			if i, ok := ga.seriesIdx[s.key]; ok {
				ga.series[i].value += s.value
				continue
			}
			ga.seriesIdx[s.key] = len(ga.series)
			ga.series = append(ga.series, s)
		}
	}
	return nil
}

// keyOf returns the key of bucket i (kept in the index map only).
func (a *bucketSet) keyOf(i int) string {
	if a.keys == nil {
		a.keys = make([]string, len(a.buckets))
		for k, b := range a.idx {
			a.keys[b] = k
		}
	}
	return a.keys[i]
}

// event runs the checks of one HELP or TYPE line, or notes a sample name, at line lineNo.
func (r *promReader) event(e promEvent, lineNo int) error {
	if e.kw == "" {
		r.sampled[e.name] = true
		r.sampleNames[e.name] = true
		return nil
	}
	seen := r.help
	if e.kw == "TYPE" {
		seen = r.types
	}
	if seen[e.name] { // a HELP or TYPE line repeated: the next scrape starts here
		if err := r.flush(); err != nil {
			return err
		}
		r.first = lineNo
	}
	seen[e.name] = true
	if e.kw != "TYPE" {
		return nil
	}
	if r.sampled[e.name] && e.typeField != "" {
		return errorf(r.file, lineNo, "second TYPE line for metric name %q, or TYPE reported after samples", e.name)
	}
	if d, ok := r.declared[e.name]; !ok {
		r.declared[e.name] = declaration{e.typeField, lineNo}
	} else if d.typ != e.typeField {
		return errorf(r.file, lineNo, "TYPE %s for metric %s, declared %s at line %d", e.typeField, e.name, d.typ, d.line)
	}
	if e.typeField != "" {
		r.scrapeTypes[e.name] = metricType(e.typeField)
	}
	return nil
}

// metricType names a TYPE line's type as the expfmt parser reads it (case-insensitive,
// gaugehistogram for gauge_histogram).
func metricType(t string) string {
	if t == "gaugehistogram" {
		return "gauge_histogram"
	}
	return t
}

// family returns the metric family of sample name in a scrape (or file) whose TYPE lines are
// types: a histogram's or summary's when name is its NAME_count, NAME_sum or NAME_bucket.
func family(name string, types map[string]string) string {
	for _, suffix := range []string{"_count", "_sum", "_bucket"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && base != "" {
			switch types[base] {
			case "summary":
				if suffix != "_bucket" {
					return base
				}
			case "histogram", "gauge_histogram":
				return base
			}
		}
	}
	return name
}

// flush ends a scrape: a metric family whose type differs from the one it had in an earlier scrape
// is an error.
func (r *promReader) flush() error {
	for name := range r.sampled {
		f := family(name, r.scrapeTypes)
		t := r.scrapeTypes[f]
		if t == "" {
			t = "untyped"
		}
		if prev, ok := r.famTypes[f]; !ok {
			r.famTypes[f] = t
		} else if prev != t {
			return errorf(r.file, r.first, "metric %s is a %s in an earlier scrape and a %s in the scrape from this line on", f, prev, t)
		}
	}
	clear(r.help)
	clear(r.types)
	clear(r.scrapeTypes)
	clear(r.sampled)
	return nil
}

// families returns the metric families that have samples, with their types.
func (r *promReader) families() map[string]string {
	out := map[string]string{}
	for name := range r.sampleNames {
		out[family(name, r.famTypes)] = ""
	}
	for f := range out {
		out[f] = r.famTypes[f]
	}
	return out
}

// pick chooses the metric to count (as the expfmt-based reader chose the family): opts.Metric, or
// the first present of the defaults. It returns the metric's name and the index of the wanted
// sample name that holds its counts.
func (r *promReader) pick(metric string) (string, int, []string, error) {
	fams := r.families()
	names := slices.Sorted(func(yield func(string) bool) {
		for f := range fams {
			if !yield(f) {
				return
			}
		}
	})
	present := "none"
	if len(names) > 0 {
		present = listSome(names, 12)
	}
	if metric != "" {
		t, ok := fams[metric]
		switch {
		case ok && (t == "histogram" || t == "gauge_histogram" || t == "summary"):
			return metric, 1, nil, nil
		case ok:
			return metric, 0, nil, nil
		}
		if base, isCount := strings.CutSuffix(metric, "_count"); isCount {
			if t := fams[base]; t == "histogram" || t == "gauge_histogram" || t == "summary" {
				return metric, 0, nil, nil
			}
		}
		return "", 0, nil, errorf(r.file, 0, "no metric %s (metrics present: %s)", printable(metric), present)
	}
	var found []int
	for i, m := range defaultMetrics {
		if _, ok := fams[m]; ok {
			found = append(found, i)
		}
	}
	if len(found) == 0 {
		return "", 0, nil, errorf(r.file, 0, "no %s, %s or %s samples (metrics present: %s); name the metric to count",
			MetricIstioRequests, MetricEnvoyUpstreamRq, MetricEnvoyUpstreamRqDone, present)
	}
	var warnings []string
	if len(found) > 1 {
		var also []string
		for _, i := range found[1:] {
			also = append(also, defaultMetrics[i])
		}
		warnings = append(warnings, fmt.Sprintf("counting %s; the input also has %s", defaultMetrics[found[0]], strings.Join(also, ", ")))
	}
	return defaultMetrics[found[0]], found[0], warnings, nil
}

// present reports whether the input has metric: a family of that name, or the histogram or
// summary whose NAME_count it is.
func (r *promReader) present(metric string) bool {
	fams := r.families()
	if _, ok := fams[metric]; ok {
		return true
	}
	base, isCount := strings.CutSuffix(metric, "_count")
	t := fams[base]
	return isCount && (t == "histogram" || t == "gauge_histogram" || t == "summary")
}

// series turns the buckets of a wanted name into the series that aggregate sums, in first-seen
// order; values, when given, replace the buckets' sums.
func (g *globalSet) promSeries(values []float64) []promSeries {
	out := make([]promSeries, 0, len(g.buckets))
	for i, b := range g.buckets {
		v := b.sum
		if values != nil {
			v = values[i]
		}
		s := promSeries{labels: b.labels, value: v, n: b.n}
		for l := range b.otherLabels {
			s.otherLabels = append(s.otherLabels, l)
		}
		out = append(out, s)
	}
	return out
}

func readPrometheus(r io.Reader, file string, opts Options, ms []matcher) (*Observation, error) {
	w, err := newPromWant(opts, ms, false)
	if err != nil {
		return nil, err
	}
	pr := newPromReader(file, w)
	if err := pr.read(r); err != nil {
		return nil, err
	}
	name, k, warnings, err := pr.pick(opts.Metric)
	if err != nil {
		return nil, err
	}
	g := &pr.aggs[k]
	obs, err := aggregate(file, name, g.promSeries(nil), g.samples, opts.GroupBy, w.ms[k], true)
	if err != nil {
		return nil, err
	}
	obs.Warnings = append(warnings, obs.Warnings...)
	return obs, nil
}

// ReadDelta reads two Prometheus scrapes of the same proxies, taken at the start and at the end of
// a window, and returns the counts of the window: for each series the value in after minus the
// value in before. A series that is new in after counts from zero. A series whose value decreased
// was reset (the proxy restarted) and counts its whole value in after, with a warning. A series
// present only in before is left out, with a warning. Series with identical labels (replicas of
// one workload) are summed before the subtraction, so a reset of one replica can go unnoticed.
// Options apply as for Read; both inputs must be in Prometheus text format. Both are streamed;
// memory grows with the number of series (a few dozen bytes each), not with the inputs' size.
func ReadDelta(before io.Reader, beforeName string, after io.Reader, afterName string, opts Options) (*Observation, error) {
	if beforeName == "" {
		beforeName = "before"
	}
	if afterName == "" {
		afterName = "after"
	}
	format, err := checkFormat(opts.Format)
	if err != nil {
		return nil, err
	}
	if format != "" && format != FormatPrometheus {
		return nil, fmt.Errorf("the difference of two inputs needs the %s format, not %s", FormatPrometheus, format)
	}
	ms, err := compileMatchers(opts.Match)
	if err != nil {
		return nil, err
	}
	w, err := newPromWant(opts, ms, true)
	if err != nil {
		return nil, err
	}
	b, err := readScrape(before, beforeName, format, w)
	if err != nil {
		return nil, err
	}
	a, err := readScrape(after, afterName, format, w)
	if err != nil {
		return nil, err
	}
	name, k, warnings, err := a.pick(opts.Metric)
	if err != nil {
		return nil, err
	}
	metric := printable(name)
	old := &b.aggs[k]
	cur := &a.aggs[k]
	if !b.present(name) {
		warnings = append(warnings, fmt.Sprintf("%s has no %s: counting every series of %s from zero", beforeName, metric, afterName))
		old = &globalSet{seriesIdx: map[[2]uint64]int{}}
	}
	values := make([]float64, len(cur.buckets))
	resets, gone := 0, 0
	for _, s := range cur.series {
		d := s.value
		if i, ok := old.seriesIdx[s.key]; ok {
			d -= old.series[i].value
			old.series[i].seen = true
		}
		if d < 0 {
			resets++
			d = s.value
		}
		if s.bucket >= 0 {
			values[s.bucket] += d
		}
	}
	for _, s := range old.series {
		if !s.seen {
			gone++
		}
	}
	if resets > 0 {
		warnings = append(warnings, fmt.Sprintf(
			"%d series of %s decreased from %s to %s (a counter reset, e.g. a restarted proxy): their whole value in %s is counted",
			resets, metric, beforeName, afterName, afterName))
	}
	if gone > 0 {
		warnings = append(warnings, fmt.Sprintf(
			"%d series of %s in %s are missing from %s (a restarted or removed proxy?): requests they served in the window are not counted",
			gone, metric, beforeName, afterName))
	}
	obs, err := aggregate(afterName, name, cur.promSeries(values), cur.samples, opts.GroupBy, w.ms[k], true)
	if err != nil {
		return nil, err
	}
	obs.Warnings = append(warnings, obs.Warnings...)
	obs.keepServices(opts.Services)
	return obs, nil
}

// readScrape reads one input of ReadDelta, which must be in Prometheus text format unless format
// (the one that Options forces) says so.
func readScrape(in io.Reader, name, format string, w *promWant) (*promReader, error) {
	br, head, err := open(in, name)
	if err != nil {
		return nil, err
	}
	if f := Detect(head); f != FormatPrometheus && format == "" {
		if f == "" {
			return nil, errorf(name, 0, "empty input: no counts")
		}
		return nil, errorf(name, 0, "the difference of two inputs needs Prometheus text format; this looks like %s", f)
	}
	r := newPromReader(name, w)
	if err := r.read(br); err != nil {
		return nil, err
	}
	return r, nil
}
