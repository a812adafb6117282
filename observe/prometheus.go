package observe

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Metric families read by default, in order of preference.
const (
	MetricIstioRequests       = "istio_requests_total"
	MetricEnvoyUpstreamRq     = "envoy_cluster_upstream_rq_total"
	MetricEnvoyUpstreamRqDone = "envoy_cluster_upstream_rq_completed"
)

var defaultMetrics = []string{MetricIstioRequests, MetricEnvoyUpstreamRq, MetricEnvoyUpstreamRqDone}

// promSeries is one sample of the chosen metric family, or the sum of the samples that have the
// same values of the labels aggregate looks at (see promBucket).
type promSeries struct {
	labels map[string]string
	key    string // canonical label set, to pair samples of two scrapes
	value  float64
	// n is the number of samples summed (0 stands for 1); otherLabels, for a sum of samples
	// without the grouping label, are the labels they have.
	n           int64
	otherLabels []string
	// steps are a counter's increases sample by sample (a Prometheus API matrix), oldest first.
	steps []step
}

// step is a counter's increase up to the sample at time t (Unix milliseconds).
type step struct {
	t int64
	v float64
}

// samples is the number of samples that s stands for.
func (s promSeries) samples() int64 { return max(s.n, 1) }

// declaration is a metric's TYPE line.
type declaration struct {
	typ  string
	line int
}

// promKeyword returns the keyword and metric name of a "# HELP name ..." or "# TYPE name ..." line,
// or "" for any other line.
func promKeyword(line []byte) (kw, name string) {
	t := bytes.TrimLeft(line, " \t")
	if len(t) == 0 || t[0] != '#' {
		return "", ""
	}
	fields := strings.Fields(string(t[1:]))
	if len(fields) < 2 || fields[0] != "HELP" && fields[0] != "TYPE" {
		return "", ""
	}
	return fields[0], fields[1]
}

// listSome joins up to limit items, each made printable, and says how many more there are.
func listSome(items []string, limit int) string {
	shown := make([]string, 0, min(len(items), limit))
	for _, it := range items[:min(len(items), limit)] {
		shown = append(shown, printable(it))
	}
	if len(items) <= limit {
		return strings.Join(shown, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(shown, ", "), len(items)-limit)
}

// aggregate filters the samples and sums them by the grouping label: the matchers ms first (unless
// matched says the series already satisfy them), then the default filters that keep one count per
// request (see seriesFilter), then the sums by the value of groupBy ("" for the metric's default),
// turned into counts. total is the number of samples of the metric before the matchers.
func aggregate(file, metric string, series []promSeries, total int64, groupBy string, ms []matcher, matched bool) (*Observation, error) {
	groupBy = defaultGroupBy(metric, groupBy)
	f := &seriesFilter{kept: series, applied: slices.Clone(ms)}
	if !matched {
		f.kept = filter(series, func(s promSeries) bool { return matchAll(ms, func(l string) string { return s.labels[l] }) })
	}
	if strings.HasPrefix(metric, "istio_") && !hasMatcherOn(ms, "reporter") {
		f.oneReporter()
	}
	if groupBy == "cluster_name" && !hasMatcherOn(ms, "cluster_name") {
		f.outboundOnly()
	}
	if strings.HasPrefix(metric, "istio_") && !strings.HasPrefix(groupBy, "destination_service") &&
		!hasMatcherOn(ms, "destination_service_name") && !hasMatcherOn(ms, "destination_service") {
		f.warnSeveralServices(groupBy)
	}
	if len(f.kept) == 0 {
		if total == 0 {
			return nil, errorf(file, 0, "%s has no samples", printable(metric))
		}
		return nil, errorf(file, 0, "none of the %d series of %s match %s", total, printable(metric), matcherList(f.applied))
	}
	sums := sumByLabel(f.kept, groupBy)
	if len(sums.names) == 0 {
		return nil, errorf(file, 0, "no series of %s has the label %s (labels present: %s)", printable(metric), printable(groupBy),
			listSome(slices.Sorted(maps.Keys(sums.otherLabels)), 20))
	}
	warnings := f.warnings
	if sums.missing > 0 {
		warnings = append(warnings, fmt.Sprintf("ignored %d series of %s without the label %s", sums.missing, printable(metric), printable(groupBy)))
	}
	conv := &countConverter{file: file}
	obs, err := sums.observation(conv, fmt.Sprintf("%s{%s=", printable(metric), printable(groupBy)))
	if err != nil {
		return nil, err
	}
	if conv.rounded {
		warnings = append(warnings, fmt.Sprintf("some values of %s are not whole numbers; counts are rounded", printable(metric)))
	}
	obs.Warnings = warnings
	if obs.Series, obs.Intervals = stepSeries(f.kept, groupBy, obs.Names); obs.Series != nil {
		for _, n := range obs.Names { // the counts are the sums of the (rounded) intervals
			obs.Counts[n] = 0
			for _, row := range obs.Series {
				obs.Counts[n] += row[n]
			}
		}
	}
	return obs, nil
}

// stepSeries turns the steps of the kept series into a series of counts per sample time (one
// interval per distinct time, in order, labelled in RFC 3339), summed by the grouping label; nil
// when no series has steps.
func stepSeries(kept []promSeries, groupBy string, names []string) ([]map[string]int64, []string) {
	sums := map[int64]map[string]float64{}
	for _, s := range kept {
		g := s.labels[groupBy]
		if g == "" {
			continue
		}
		for _, st := range s.steps {
			if sums[st.t] == nil {
				sums[st.t] = map[string]float64{}
			}
			sums[st.t][g] += st.v
		}
	}
	if len(sums) == 0 {
		return nil, nil
	}
	times := slices.Sorted(maps.Keys(sums))
	series := make([]map[string]int64, len(times))
	labels := make([]string, len(times))
	for i, t := range times {
		row := make(map[string]int64, len(names))
		for _, n := range names {
			row[n] = int64(math.Round(sums[t][n]))
		}
		series[i] = row
		labels[i] = time.UnixMilli(t).UTC().Format(time.RFC3339Nano)
	}
	return series, labels
}

// defaultGroupBy returns groupBy, or when it is "" the label that names destinations in metric:
// cluster_name for envoy_cluster_* metrics, destination_version otherwise.
func defaultGroupBy(metric, groupBy string) string {
	switch {
	case groupBy != "":
		return groupBy
	case strings.HasPrefix(metric, "envoy_cluster_"):
		return "cluster_name"
	}
	return "destination_version"
}

// seriesFilter holds the series kept so far, the matchers applied to them (the caller's and the
// defaults added) and the warnings that say which defaults were applied.
type seriesFilter struct {
	kept     []promSeries
	applied  []matcher
	warnings []string
}

// keep applies the default matcher m, with a warning that says so.
func (f *seriesFilter) keep(m matcher, warning string) {
	f.applied = append(f.applied, m)
	f.kept = filter(f.kept, func(s promSeries) bool { return m.matches(s.labels[m.Label]) })
	f.warnings = append(f.warnings, warning)
}

// oneReporter keeps reporter="destination" when both reporters are present: Istio counts every
// request twice, at the client (reporter="source") and at the server (reporter="destination").
func (f *seriesFilter) oneReporter() {
	var src, dst bool
	for _, s := range f.kept {
		src = src || s.labels["reporter"] == "source"
		dst = dst || s.labels["reporter"] == "destination"
	}
	if src && dst {
		f.keep(matcher{Matcher: Matcher{Label: "reporter", Op: "=", Value: "destination"}},
			`each request is reported twice, by the client's proxy (reporter="source") and by the server's (reporter="destination"); counting reporter="destination" only (add a reporter matcher to choose)`)
	}
}

// outboundOnly keeps the outbound clusters when there are others too: Envoy scrapes include the
// proxy's own clusters (xds-grpc, prometheus_stats, inbound|...).
func (f *seriesFilter) outboundOnly() {
	var dropped []string
	seenDropped := map[string]bool{}
	outbound := false
	for _, s := range f.kept {
		if strings.HasPrefix(s.labels["cluster_name"], "outbound|") {
			outbound = true
		} else if c := s.labels["cluster_name"]; !seenDropped[c] {
			seenDropped[c] = true
			dropped = append(dropped, c)
		}
	}
	if outbound && len(dropped) > 0 {
		m, _ := compileMatcher(Matcher{Label: "cluster_name", Op: "=~", Value: `outbound\|.*`})
		f.keep(m, fmt.Sprintf("counting outbound clusters only; ignored %s (add a cluster_name matcher to choose)",
			listSome(dropped, 5)))
	}
}

// warnSeveralServices warns when the kept series name several destination services: grouping by
// version across services adds up unrelated splits (reviews v1 + ratings v1).
func (f *seriesFilter) warnSeveralServices(groupBy string) {
	var services []string
	seen := map[string]bool{}
	for _, s := range f.kept {
		if svc := s.labels["destination_service_name"]; svc != "" && svc != "unknown" && !seen[svc] {
			seen[svc] = true
			services = append(services, svc)
		}
	}
	if len(services) > 1 {
		f.warnings = append(f.warnings, fmt.Sprintf(
			"counts of %d destination services (%s) are summed by %s; add a destination_service_name matcher to count one",
			len(services), listSome(services, 5), printable(groupBy)))
	}
}

// groupSums are sample values summed by the value of the grouping label.
type groupSums struct {
	names       []string // label values, first-seen order
	sums        map[string]float64
	codes       map[string]map[int]float64    // by response_code, when series have one
	flags       map[string]map[string]float64 // by response_flags, when series have them
	missing     int64                         // series without the label
	otherLabels map[string]bool               // the labels of those series
}

// sumByLabel sums the series by their value of label.
func sumByLabel(series []promSeries, label string) *groupSums {
	gs := &groupSums{sums: map[string]float64{}, codes: map[string]map[int]float64{},
		flags: map[string]map[string]float64{}, otherLabels: map[string]bool{}}
	for _, s := range series {
		g, ok := s.labels[label]
		if !ok || g == "" {
			gs.missing += s.samples()
			for l := range s.labels {
				gs.otherLabels[l] = true
			}
			for _, l := range s.otherLabels {
				gs.otherLabels[l] = true
			}
			continue
		}
		if _, seen := gs.sums[g]; !seen {
			gs.names = append(gs.names, g)
		}
		gs.sums[g] += s.value
		if rc, ok := s.labels["response_code"]; ok {
			if code, err := strconv.Atoi(rc); err == nil {
				addTo(gs.codes, g, code, s.value)
			}
		}
		if rf, ok := s.labels["response_flags"]; ok {
			addTo(gs.flags, g, rf, s.value)
		}
	}
	return gs
}

// addTo adds v to m[g][k].
func addTo[K comparable](m map[string]map[K]float64, g string, k K, v float64) {
	if m[g] == nil {
		m[g] = map[K]float64{}
	}
	m[g][k] += v
}

// observation converts the sums to counts. series is the start of a series' name in messages,
// "METRIC{LABEL=".
func (gs *groupSums) observation(conv *countConverter, series string) (*Observation, error) {
	obs := &Observation{Format: FormatPrometheus, Names: gs.names, Counts: map[string]int64{}}
	for _, g := range gs.names {
		n, err := conv.count(gs.sums[g], fmt.Sprintf("%s%q}", series, g))
		if err != nil {
			return nil, err
		}
		obs.Counts[g] = n
	}
	var err error
	if obs.Codes, err = convertBy(conv, gs.codes, func(g string, code int) string {
		return fmt.Sprintf("%s%q,response_code=\"%d\"}", series, g, code)
	}); err != nil {
		return nil, err
	}
	if obs.Flags, err = convertBy(conv, gs.flags, func(g, f string) string {
		return fmt.Sprintf("%s%q,response_flags=%q}", series, g, f)
	}); err != nil {
		return nil, err
	}
	return obs, nil
}

// convertBy converts sums by group and key to counts, naming each value in errors by name(g, k).
// It returns nil when sums is empty.
func convertBy[K comparable](conv *countConverter, sums map[string]map[K]float64, name func(g string, k K) string) (map[string]map[K]int64, error) {
	if len(sums) == 0 {
		return nil, nil
	}
	out := make(map[string]map[K]int64, len(sums))
	for g, m := range sums {
		out[g] = make(map[K]int64, len(m))
		for k, v := range m {
			n, err := conv.count(v, name(g, k))
			if err != nil {
				return nil, err
			}
			out[g][k] = n
		}
	}
	return out, nil
}

// countConverter turns summed sample values into counts and notes whether any was rounded.
type countConverter struct {
	file    string
	rounded bool
}

// count returns v rounded to a whole number, or an error naming what when v is not a count.
func (c *countConverter) count(v float64, what string) (int64, error) {
	r := math.Round(v)
	if math.IsNaN(v) || math.IsInf(v, 0) || v < -0.5 || r >= math.MaxInt64 {
		return 0, errorf(c.file, 0, "%s sums to %v, which is not a count", what, v)
	}
	if math.Abs(v-r) > 1e-6*math.Max(1, math.Abs(v)) {
		c.rounded = true
	}
	return int64(r), nil
}

// filter returns the series of in that keep accepts, in order.
func filter(in []promSeries, keep func(promSeries) bool) []promSeries {
	out := in[:0:0]
	for _, s := range in {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}
