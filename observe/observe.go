package observe

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Format names, as accepted in Options.Format and reported in Observation.Format.
const (
	FormatJSON          = "json"
	FormatCSV           = "csv"
	FormatPrometheus    = "prometheus"
	FormatAccessLog     = "envoy-access-log"
	FormatAccessLogJSON = "envoy-access-log-json"
)

// Formats returns the format names Read accepts, in the order they are documented.
func Formats() []string {
	return []string{FormatJSON, FormatCSV, FormatPrometheus, FormatPrometheusAPI, FormatAccessLog, FormatAccessLogJSON}
}

// NoUpstream is the name under which access-log entries without an upstream cluster are counted:
// requests that matched no route (response flag NR, 404) or whose route named a cluster that does
// not exist (flag NC, 503). Envoy writes "-" for them. Match never maps it to a destination; the
// caller reports it separately (Observation.Codes and Observation.Flags hold its breakdown).
const NoUpstream = "-"

// Observation is what was read from one input: observed request counts per name.
//
// A name is whatever the input calls a destination: a JSON key or CSV name, a Prometheus label value
// (destination_version by default for Istio, the full cluster_name for Envoy), or an Envoy upstream
// cluster such as "outbound|9080|v2|reviews.default.svc.cluster.local". Match relates names to the
// configured destinations.
type Observation struct {
	// Format is the format that was read (one of the Format constants).
	Format string
	// Names lists every name in first-seen order; the order depends only on the input.
	Names []string
	// Counts holds the total count per name. For a series it is the sum over all intervals.
	Counts map[string]int64
	// Series holds per-interval counts, one map per interval with every name present (zeros
	// included), when the input is a series (a JSON array, or CSV with an interval column);
	// otherwise nil. Cumulative inputs (Options.Cumulative) are converted to per-interval counts.
	Series []map[string]int64
	// Intervals labels the entries of Series: the CSV interval column, or "1", "2", ... for JSON.
	Intervals []string
	// Codes counts responses per name and HTTP status code, when the input carries them
	// (access logs; Istio's response_code label). Code 0 stands for "none" (Envoy writes 0 or "-"
	// when no response was sent, e.g. for TCP). Nil when the input has no codes.
	Codes map[string]map[int]int64
	// Flags counts responses per name and Envoy response flags ("-" = none, "NR", "UF,URX", ...),
	// for access logs and Istio's response_flags label. Nil when the input has no flags.
	Flags map[string]map[string]int64
	// Warnings are caveats about how the input was read (lines skipped, a default filter applied,
	// counter resets). They are data for the report, not errors.
	Warnings []string
}

// Total returns the sum of Counts.
func (o *Observation) Total() int64 {
	var t int64
	for _, n := range o.Names {
		t += o.Counts[n]
	}
	return t
}

// NonZero returns the names whose count is not zero, in order. Istio defines a cluster without
// subset for every service (outbound|9080||reviews...), which Envoy scrapes report with a count of
// zero when every route names a subset; callers usually match only the names that carry traffic.
func (o *Observation) NonZero() []string {
	var out []string
	for _, n := range o.Names {
		if o.Counts[n] != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Options control how Read interprets its input. The zero value detects the format and applies the
// documented defaults.
type Options struct {
	// Format forces one of the Format constants; "" or "auto" detects it (see Detect).
	Format string

	// Metric selects the Prometheus metric family. "" picks the first present of
	// istio_requests_total, envoy_cluster_upstream_rq_total, envoy_cluster_upstream_rq_completed.
	// A histogram or summary (or its NAME_count series) is read as its sample count.
	Metric string
	// GroupBy is the Prometheus label whose values become names. "" means destination_version for
	// istio_* metrics and cluster_name for envoy_cluster_* metrics.
	GroupBy string
	// Match keeps only Prometheus series, or access-log entries, that satisfy every matcher.
	// See ParseMatcher for the syntax and the access-log field names.
	Match []Matcher

	// Services keeps only traffic to these services, by fully qualified host name
	// (reviews.default.svc.cluster.local): istio_* series whose destination_service is one of them
	// (unless a matcher on destination_service or destination_service_name is given), and Envoy
	// clusters "outbound|PORT|SUBSET|HOST" of one of them; other clusters are left out with a
	// warning. Without it, destination_version alone would add up v1 of every service in a scrape.
	Services []string

	// Cumulative says that a series (JSON array, CSV with an interval column) holds running totals
	// rather than per-interval counts. They are converted to per-interval counts; a total that
	// decreases is an error.
	Cumulative bool
}

// Error is an input error: the file, and where in it when known. Every error that Read and
// ReadDelta return for bad input is an *Error; bad Options (an unknown format, a matcher that does
// not compile) give plain errors.
type Error struct {
	File   string // the name passed to Read
	Line   int    // 1-based line, 0 when unknown
	Column int    // 1-based column, 0 when unknown
	Msg    string
}

// Error formats e as one line: "FILE: line L[, column C]: MSG". Control characters and invalid
// UTF-8 in the message (which may quote the input) are escaped.
func (e *Error) Error() string {
	msg := oneLine(e.Msg)
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s: line %d, column %d: %s", e.File, e.Line, e.Column, msg)
	case e.Line > 0:
		return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, msg)
	default:
		return fmt.Sprintf("%s: %s", e.File, msg)
	}
}

// oneLine escapes control characters and invalid UTF-8 in s as Go escapes (\n, \x00, \xff).
func oneLine(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// MaxIntervals is the most intervals a series (a CSV with an interval column, a JSON array of
// counts) may have: a week of one-minute looks. A series is kept in memory one row per interval,
// about 1 KB each (2 KB with --sequential), and every look is a row of the HTML page, so its memory
// and work are bounded (10,000 looks: 78 MB and 1.4 s with --html and --png) while a flat file or
// a log streams in constant memory.
const MaxIntervals = 10_000

// tooManyIntervals is the error for a series past MaxIntervals.
var tooManyIntervals = fmt.Sprintf("more than %d intervals: a series is kept in memory, one row per interval; sum the counts over longer intervals, or drop the interval column to test the totals", MaxIntervals)

// peekSize is how much of the input detection looks at.
const peekSize = 64 << 10

// Read reads observed counts from r. name is the file name used in error messages ("-" for stdin is
// fine). The format is detected unless opts.Format names one.
func Read(r io.Reader, name string, opts Options) (*Observation, error) {
	if name == "" {
		name = "input"
	}
	format, err := checkFormat(opts.Format)
	if err != nil {
		return nil, err
	}
	matchers, err := compileMatchers(opts.Match)
	if err != nil {
		return nil, err
	}
	br, head, err := open(r, name)
	if err != nil {
		return nil, err
	}
	if format == "" {
		format = Detect(head)
		if format == "" {
			return nil, errorf(name, 0, "empty input: no counts")
		}
	}
	var obs *Observation
	switch format {
	case FormatJSON:
		obs, err = readJSON(br, name, opts)
	case FormatCSV:
		obs, err = readCSV(br, name, opts)
	case FormatPrometheus:
		obs, err = readPrometheus(br, name, opts, matchers)
	case FormatPrometheusAPI:
		obs, err = readAPIJSON(br, name, opts, matchers)
	case FormatAccessLog:
		obs, err = readAccessLog(br, name, matchers, false)
	case FormatAccessLogJSON:
		obs, err = readAccessLog(br, name, matchers, true)
	default:
		return nil, fmt.Errorf("unknown observed format %q", format) // unreachable: checkFormat
	}
	if err != nil {
		return nil, err
	}
	obs.keepServices(opts.Services)
	return obs, nil
}

// keepServices drops the names that are Envoy clusters of services not in services, with a warning.
func (o *Observation) keepServices(services []string) {
	if len(services) == 0 {
		return
	}
	var keep, dropped []string
	for _, n := range o.Names {
		if parts := strings.Split(n, "|"); len(parts) == 4 && !slices.Contains(services, parts[3]) {
			if o.Counts[n] != 0 {
				dropped = append(dropped, n)
			}
			delete(o.Counts, n)
			for _, row := range o.Series {
				delete(row, n)
			}
			delete(o.Codes, n)
			delete(o.Flags, n)
			continue
		}
		keep = append(keep, n)
	}
	o.Names = keep
	if len(dropped) > 0 {
		o.Warnings = append(o.Warnings, fmt.Sprintf("left out %d clusters of other services than %s: %s",
			len(dropped), strings.Join(services, ", "), strings.Join(dropped, ", ")))
	}
}

// serviceMatchers adds to ms, for an istio_* metric and Options.Services, a matcher that keeps the
// series of those services, unless ms already selects a destination service.
func serviceMatchers(metric string, services []string, ms []matcher) ([]matcher, error) {
	if len(services) == 0 || !strings.HasPrefix(metric, "istio_") ||
		hasMatcherOn(ms, "destination_service") || hasMatcherOn(ms, "destination_service_name") {
		return ms, nil
	}
	quoted := make([]string, len(services))
	for i, s := range services {
		quoted[i] = regexp.QuoteMeta(s)
	}
	m, err := compileMatcher(Matcher{Label: "destination_service", Op: "=~", Value: strings.Join(quoted, "|")})
	if err != nil {
		return nil, err
	}
	return append(append([]matcher{}, ms...), m), nil
}

func checkFormat(f string) (string, error) {
	if f == "" || f == "auto" {
		return "", nil
	}
	for _, g := range Formats() {
		if f == g {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown observed format %q (want auto, %s)", f, strings.Join(Formats(), ", "))
}

// open wraps r in a buffered reader, decompresses it when it is gzip-compressed (it starts with
// gzip's magic bytes, whatever its name), drops a UTF-8 byte order mark and returns the first bytes
// for detection.
func open(r io.Reader, name string) (*bufio.Reader, []byte, error) {
	br := bufio.NewReaderSize(r, peekSize)
	head, err := br.Peek(peekSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, nil, errorf(name, 0, "%v", err)
	}
	if bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, errorf(name, 0, "gzip: %v", err)
		}
		return open(gzipErrors{zr}, name)
	}
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		if _, err := br.Discard(3); err != nil {
			return nil, nil, errorf(name, 0, "%v", err)
		}
		head = head[3:]
	}
	return br, head, nil
}

// gzipErrors names gzip's errors as such ("gzip: unexpected EOF" for a truncated file).
type gzipErrors struct{ r io.Reader }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("gzip: %w", err)
	}
	return n, err
}

// parseCount parses a count written in a JSON or CSV file: a non-negative whole number, possibly
// written as a float ("712", "712.0", "7.12e2").
func parseCount(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("negative count %s", s)
		}
		return n, nil
	}
	if s == "" || strings.ContainsAny(s, "xXpP_") {
		return 0, fmt.Errorf("count %q is not a number", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("count %q is not a number", s)
	}
	return floatCount(f, s)
}

// floatCount converts a float count to int64, rejecting what is not a non-negative whole number
// that fits.
func floatCount(f float64, text string) (int64, error) {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return 0, fmt.Errorf("count %s is not a finite number", text)
	case f < 0:
		return 0, fmt.Errorf("negative count %s", text)
	case f != math.Trunc(f):
		return 0, fmt.Errorf("count %s is not a whole number", text)
	case f >= math.MaxInt64: // 2^63 exactly as a float64
		return 0, fmt.Errorf("count %s is too large", text)
	}
	return int64(f), nil
}

// printable returns s as it is when it is plain text (printable, no spaces), else quoted, so that
// messages stay on one line whatever names the input holds.
func printable(s string) string {
	if s == "" {
		return `""`
	}
	for _, r := range s {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// addCount adds b to a, reporting overflow.
func addCount(a, b int64) (int64, bool) {
	s := a + b
	if s < a {
		return 0, false
	}
	return s, true
}

// counter accumulates counts per name in first-seen order.
type counter struct {
	names  []string
	counts map[string]int64
}

func newCounter() *counter { return &counter{counts: map[string]int64{}} }

func (c *counter) add(name string, n int64) bool {
	old, seen := c.counts[name]
	if !seen {
		c.names = append(c.names, name)
	}
	s, ok := addCount(old, n)
	if !ok {
		return false
	}
	c.counts[name] = s
	return true
}

// seriesObservation completes an observation from per-interval (or cumulative) rows.
// lines[i][name] gives the line of each value, for error messages.
func seriesObservation(format, file string, names []string, labels []string, rows []map[string]int64,
	lines []map[string]int, cumulative bool) (*Observation, error) {
	obs := &Observation{Format: format, Names: names, Counts: map[string]int64{}, Intervals: labels}
	prev := map[string]int64{}
	for i, row := range rows {
		per := make(map[string]int64, len(names))
		for _, n := range names {
			v := row[n]
			if cumulative {
				if v < prev[n] {
					return nil, errorf(file, lineIn(lines[i], n), "cumulative count for %q decreases from %d to %d in interval %s",
						n, prev[n], v, labels[i])
				}
				v, prev[n] = v-prev[n], v
			}
			per[n] = v
			s, ok := addCount(obs.Counts[n], v)
			if !ok {
				return nil, errorf(file, lineIn(lines[i], n), "total count for %q overflows", n)
			}
			obs.Counts[n] = s
		}
		obs.Series = append(obs.Series, per)
	}
	for _, n := range names {
		if _, ok := obs.Counts[n]; !ok {
			obs.Counts[n] = 0
		}
	}
	if !cumulative && looksCumulative(names, rows) {
		obs.Warnings = append(obs.Warnings, fmt.Sprintf(
			"the %d intervals never decrease for any name; if they are running totals, read them as cumulative", len(rows)))
	}
	return obs, nil
}

// looksCumulative reports whether a series of at least three intervals is non-decreasing for every
// name while its total grows at every step: the shape of running totals.
func looksCumulative(names []string, rows []map[string]int64) bool {
	if len(rows) < 3 {
		return false
	}
	var prevTotal int64 = -1
	for i, row := range rows {
		var t int64
		for _, n := range names {
			if i > 0 && row[n] < rows[i-1][n] {
				return false
			}
			t += row[n]
		}
		if t <= prevTotal {
			return false
		}
		prevTotal = t
	}
	return true
}

// lineIn returns the line of name in one interval, or when the interval lacks the name (its count
// is then 0) the first line of the interval.
func lineIn(lines map[string]int, name string) int {
	if l, ok := lines[name]; ok {
		return l
	}
	first := 0
	for _, l := range lines {
		if first == 0 || l < first {
			first = l
		}
	}
	return first
}
