package observe

// The reader of Prometheus text format that the streaming one replaced: it parses whole scrapes
// with github.com/prometheus/common/expfmt into metric families, then picks and aggregates. The
// tests keep it as the reference that the streaming reader must agree with (FuzzPrometheusStreaming).

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func oracleReadPrometheus(r io.Reader, file string, opts Options, ms []matcher) (*Observation, error) {
	fams, err := parseScrape(r, file)
	if err != nil {
		return nil, err
	}
	name, fam, warnings, err := pickFamily(fams, file, opts.Metric)
	if err != nil {
		return nil, err
	}
	if ms, err = serviceMatchers(name, opts.Services, ms); err != nil {
		return nil, err
	}
	series := dedupe(familySeries(fam))
	obs, err := aggregate(file, name, series, int64(len(series)), opts.GroupBy, ms, false)
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
// Options apply as for Read; both inputs must be in Prometheus text format.
func oracleReadDelta(before io.Reader, beforeName string, after io.Reader, afterName string, opts Options) (*Observation, error) {
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
	beforeFams, err := oracleReadScrape(before, beforeName, format)
	if err != nil {
		return nil, err
	}
	afterFams, err := oracleReadScrape(after, afterName, format)
	if err != nil {
		return nil, err
	}
	name, fam, warnings, err := pickFamily(afterFams, afterName, opts.Metric)
	if err != nil {
		return nil, err
	}
	w := windowDelta{metric: printable(name), before: beforeName, after: afterName}
	delta := w.subtract(familyFor(beforeFams, name), fam)
	warnings = append(warnings, w.warnings...)
	if ms, err = serviceMatchers(name, opts.Services, ms); err != nil {
		return nil, err
	}
	obs, err := aggregate(afterName, name, delta, int64(len(delta)), opts.GroupBy, ms, false)
	if err != nil {
		return nil, err
	}
	obs.Warnings = append(warnings, obs.Warnings...)
	obs.keepServices(opts.Services)
	return obs, nil
}

// readScrape reads one input of ReadDelta, which must be in Prometheus text format unless format
// (the one that Options forces) says so.
func oracleReadScrape(r io.Reader, name, format string) (map[string]*dto.MetricFamily, error) {
	br, head, err := open(r, name)
	if err != nil {
		return nil, err
	}
	if f := Detect(head); f != FormatPrometheus && format == "" {
		if f == "" {
			return nil, errorf(name, 0, "empty input: no counts")
		}
		return nil, errorf(name, 0, "the difference of two inputs needs Prometheus text format; this looks like %s", f)
	}
	return parseScrape(br, name)
}

// windowDelta subtracts the scrape taken before a window from the one taken after it, for one
// metric, and collects the warnings that the subtraction gives.
type windowDelta struct {
	metric, before, after string // printable metric name, input names
	warnings              []string
}

// subtract returns, for each series of cur, its value minus its value in prev (nil when the
// before scrape lacks the metric), or its whole value when it decreased (a counter reset).
func (w *windowDelta) subtract(prev, cur *dto.MetricFamily) []promSeries {
	old := map[string]float64{}
	if prev != nil {
		for _, s := range dedupe(familySeries(prev)) {
			old[s.key] = s.value
		}
	} else {
		w.warnings = append(w.warnings, fmt.Sprintf("%s has no %s: counting every series of %s from zero", w.before, w.metric, w.after))
	}
	series := dedupe(familySeries(cur))
	resets := 0
	seen := make(map[string]bool, len(series))
	delta := make([]promSeries, 0, len(series))
	for _, s := range series {
		seen[s.key] = true
		d := s.value - old[s.key]
		if d < 0 {
			resets++
			d = s.value
		}
		delta = append(delta, promSeries{labels: s.labels, key: s.key, value: d})
	}
	if resets > 0 {
		w.warnings = append(w.warnings, fmt.Sprintf(
			"%d series of %s decreased from %s to %s (a counter reset, e.g. a restarted proxy): their whole value in %s is counted",
			resets, w.metric, w.before, w.after, w.after))
	}
	w.warnGone(old, seen)
	return delta
}

// warnGone warns about the series of the before scrape (old) that the after scrape lacks.
func (w *windowDelta) warnGone(old map[string]float64, seen map[string]bool) {
	gone := 0
	for k := range old {
		if !seen[k] {
			gone++
		}
	}
	if gone > 0 {
		w.warnings = append(w.warnings, fmt.Sprintf(
			"%d series of %s in %s are missing from %s (a restarted or removed proxy?): requests they served in the window are not counted",
			gone, w.metric, w.before, w.after))
	}
}

// parseScrape parses Prometheus text exposition format with the real parser from
// github.com/prometheus/common/expfmt. A file may hold the scrapes of several proxies written one
// after the other: a HELP or TYPE line for a metric that already had one starts the next scrape.
// Each scrape is parsed on its own and the families' samples are put together, so that a series
// that appears in several scrapes (replicas of one workload have the same labels) is kept once per
// scrape, histograms and summaries included, and summed later. Errors name the line in the file.
func parseScrape(r io.Reader, file string) (map[string]*dto.MetricFamily, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	sc := &scrapes{file: file, fams: map[string]*dto.MetricFamily{}, first: 1,
		help: map[string]bool{}, types: map[string]bool{}, declared: map[string]declaration{}}
	for {
		line, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, errorf(file, sc.lineNo+1, "%v", err)
		}
		if len(line) == 0 {
			break
		}
		if lerr := sc.add(line); lerr != nil {
			return nil, lerr
		}
		if err != nil {
			break
		}
	}
	if err := sc.flush(); err != nil {
		return nil, err
	}
	return sc.fams, nil
}

// scrapes cuts a file into scrapes, parses each one and puts their families together.
type scrapes struct {
	file   string
	fams   map[string]*dto.MetricFamily // the families of the scrapes parsed so far
	scrape bytes.Buffer                 // the lines of the current scrape
	// first and lineNo are the file's line numbers of the scrape's first line and of the last
	// line read.
	first, lineNo int
	help, types   map[string]bool        // the metrics with a HELP or a TYPE line in this scrape
	declared      map[string]declaration // the first TYPE line of each metric in the file
}

// add takes the next line of the file. A HELP or TYPE line for a metric that already had one in
// the scrape starts the next scrape.
func (sc *scrapes) add(line []byte) error {
	sc.lineNo++
	if line[len(line)-1] != '\n' {
		line = append(line, '\n') // the parser requires a final newline
	}
	if kw, name := promKeyword(line); kw != "" {
		seen := sc.help
		if kw == "TYPE" {
			seen = sc.types
		}
		if seen[name] {
			if err := sc.flush(); err != nil {
				return err
			}
			sc.first = sc.lineNo
		}
		seen[name] = true
		if kw == "TYPE" {
			if err := sc.declare(name, line); err != nil {
				return err
			}
		}
	}
	sc.scrape.Write(line)
	return nil
}

// declare checks a TYPE line for metric name against the first in the file.
func (sc *scrapes) declare(name string, line []byte) error {
	typ := strings.ToLower(strings.Join(strings.Fields(strings.TrimLeft(string(line), " \t#"))[2:], " "))
	d, ok := sc.declared[name]
	if !ok {
		sc.declared[name] = declaration{typ, sc.lineNo}
		return nil
	}
	if d.typ != typ {
		return errorf(sc.file, sc.lineNo, "TYPE %s for metric %s, declared %s at line %d", typ, name, d.typ, d.line)
	}
	return nil
}

// flush parses the current scrape, adds its samples to the families read so far and starts a new
// scrape.
func (sc *scrapes) flush() error {
	if sc.scrape.Len() == 0 {
		return nil
	}
	part, err := parseOneScrape(&sc.scrape, sc.file, sc.first-1)
	if err != nil {
		return err
	}
	for name, f := range part {
		prev, ok := sc.fams[name]
		switch {
		case !ok:
			sc.fams[name] = f
		case prev.GetType() != f.GetType():
			return errorf(sc.file, sc.first, "metric %s is a %s in an earlier scrape and a %s in the scrape from this line on",
				name, strings.ToLower(prev.GetType().String()), strings.ToLower(f.GetType().String()))
		default:
			prev.Metric = append(prev.Metric, f.Metric...)
		}
	}
	sc.scrape.Reset()
	clear(sc.help)
	clear(sc.types)
	return nil
}

// parseOneScrape parses one scrape whose first line is line offset+1 of file.
func parseOneScrape(r io.Reader, file string, offset int) (fams map[string]*dto.MetricFamily, err error) {
	defer func() {
		if p := recover(); p != nil {
			fams, err = nil, errorf(file, 0, "Prometheus text parser failed: %v", p)
		}
	}()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err = parser.TextToMetricFamilies(r)
	if err != nil {
		var pe expfmt.ParseError
		if errors.As(err, &pe) {
			return nil, errorf(file, offset+pe.Line, "%s", pe.Msg)
		}
		return nil, errorf(file, 0, "%v", err)
	}
	return fams, nil
}

// familyFor returns the family that holds the samples called name: the family itself, or for
// NAME_count the histogram or summary NAME.
func familyFor(fams map[string]*dto.MetricFamily, name string) *dto.MetricFamily {
	if f := fams[name]; f != nil {
		return f
	}
	if base, ok := strings.CutSuffix(name, "_count"); ok {
		if f := fams[base]; f != nil {
			switch f.GetType() {
			case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM, dto.MetricType_SUMMARY:
				return f
			}
		}
	}
	return nil
}

// pickFamily chooses the metric family to count.
func pickFamily(fams map[string]*dto.MetricFamily, file, metric string) (string, *dto.MetricFamily, []string, error) {
	if metric != "" {
		if f := familyFor(fams, metric); f != nil {
			return metric, f, nil, nil
		}
		return "", nil, nil, errorf(file, 0, "no metric %s (metrics present: %s)", printable(metric), metricNames(fams))
	}
	var found []string
	for _, m := range defaultMetrics {
		if fams[m] != nil {
			found = append(found, m)
		}
	}
	if len(found) == 0 {
		return "", nil, nil, errorf(file, 0, "no %s, %s or %s samples (metrics present: %s); name the metric to count",
			MetricIstioRequests, MetricEnvoyUpstreamRq, MetricEnvoyUpstreamRqDone, metricNames(fams))
	}
	var warnings []string
	if len(found) > 1 {
		warnings = append(warnings, fmt.Sprintf("counting %s; the input also has %s", found[0], strings.Join(found[1:], ", ")))
	}
	return found[0], fams[found[0]], warnings, nil
}

func metricNames(fams map[string]*dto.MetricFamily) string {
	if len(fams) == 0 {
		return "none"
	}
	return listSome(slices.Sorted(maps.Keys(fams)), 12)
}

// familySeries lists the samples of a family in input order. Histograms and summaries give their
// sample count.
func familySeries(fam *dto.MetricFamily) []promSeries {
	out := make([]promSeries, 0, len(fam.GetMetric()))
	for _, m := range fam.GetMetric() {
		labels := make(map[string]string, len(m.GetLabel()))
		pairs := make([]string, 0, len(m.GetLabel()))
		for _, lp := range m.GetLabel() {
			labels[lp.GetName()] = lp.GetValue()
			pairs = append(pairs, lp.GetName()+"\xfe"+lp.GetValue())
		}
		sort.Strings(pairs)
		var v float64
		switch fam.GetType() {
		case dto.MetricType_COUNTER:
			v = m.GetCounter().GetValue()
		case dto.MetricType_GAUGE:
			v = m.GetGauge().GetValue()
		case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
			h := m.GetHistogram()
			if h.SampleCountFloat != nil {
				v = h.GetSampleCountFloat()
			} else {
				v = float64(h.GetSampleCount())
			}
		case dto.MetricType_SUMMARY:
			v = float64(m.GetSummary().GetSampleCount())
		default:
			v = m.GetUntyped().GetValue()
		}
		out = append(out, promSeries{labels: labels, key: strings.Join(pairs, "\xff"), value: v})
	}
	return out
}

// dedupe sums samples with identical label sets (the same series scraped from several replicas of
// one workload), keeping first-seen order.
func dedupe(in []promSeries) []promSeries {
	idx := make(map[string]int, len(in))
	out := in[:0:0]
	for _, s := range in {
		if i, ok := idx[s.key]; ok {
			out[i].value += s.value
			continue
		}
		idx[s.key] = len(out)
		out = append(out, s)
	}
	return out
}
