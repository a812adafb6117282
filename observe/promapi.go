package observe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/splitsim/splitsim/internal/safe"
)

// FormatPrometheusAPI is the JSON that Prometheus's HTTP API answers /api/v1/query and
// /api/v1/query_range with. A vector is read as counts (one value per series); a matrix as counter
// samples over time, whose counts are the exact increases (see increase).
const FormatPrometheusAPI = "prometheus-api"

// Server says how to reach a Prometheus server's HTTP API and which window to read.
type Server struct {
	URL string
	// Start and End bound the window. The counts are the increases of the raw counters between the
	// last sample at or before Start (within Lookback; a series without one counts from zero, as
	// a series new in a later scrape does) and the last sample at or before End.
	Start, End time.Time
	Lookback   time.Duration // default 5m, Prometheus's staleness period
	// Query, when set, replaces the selector that splitsim builds: an instant query at End whose
	// vector values are taken as counts, or a range query (a matrix) read as counter samples.
	Query string

	BearerToken        string // sent as Authorization: Bearer
	Username, Password string // basic auth
	CAFile             string // PEM certificates to verify the server with
	Timeout            time.Duration
}

// ReadServer reads counts over a window from a Prometheus server: the raw samples of the metric
// (Options.Metric, else the first of the default metrics that has samples) selected by
// Options.Match and Options.Services, as a range vector at s.End, turned into exact integer
// increases per series (counter resets handled as ReadDelta handles them), then filtered and
// grouped as Read groups a scrape.
func ReadServer(ctx context.Context, s Server, opts Options) (*Observation, error) {
	name := s.URL
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	client, err := s.client()
	if err != nil {
		return nil, err
	}
	ms, err := compileMatchers(opts.Match)
	if err != nil {
		return nil, err
	}
	if !s.End.After(s.Start) {
		return nil, fmt.Errorf("the window is empty: it starts at %s and ends at %s", s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339))
	}
	lookback := s.Lookback
	if lookback <= 0 {
		lookback = 5 * time.Minute
	}
	if s.Query != "" {
		v, warnings, err := query(ctx, client, name, s.Query, s.End)
		if err != nil {
			return nil, err
		}
		metric := s.Query
		obs, err := valueObservation(name, v, metric, s.Start.Add(-lookback), s.Start, opts, ms, false, true)
		if err != nil {
			return nil, err
		}
		obs.Warnings = append(warnings, obs.Warnings...)
		return obs, nil
	}
	metrics := defaultMetrics
	if opts.Metric != "" {
		metrics = []string{opts.Metric}
	}
	rng := s.End.Sub(s.Start) + lookback
	for _, metric := range metrics {
		withServices, err := serviceMatchers(metric, opts.Services, ms)
		if err != nil {
			return nil, err
		}
		sel := selector(metric, withServices)
		q := fmt.Sprintf("%s[%s]", sel, promDuration(rng))
		v, warnings, err := query(ctx, client, name, q, s.End)
		if err != nil {
			return nil, err
		}
		if m, ok := v.(model.Matrix); ok && len(m) == 0 && opts.Metric == "" {
			continue
		}
		obs, err := valueObservation(name, v, metric, s.Start.Add(-lookback), s.Start, opts, withServices, true, false)
		if err != nil {
			return nil, err
		}
		obs.Warnings = append(warnings, obs.Warnings...)
		return obs, nil
	}
	matching := ""
	if len(ms) > 0 {
		matching = " matching " + matcherList(ms)
	}
	return nil, errorf(name, 0, "no %s, %s or %s samples%s from %s to %s; name the metric to count",
		MetricIstioRequests, MetricEnvoyUpstreamRq, MetricEnvoyUpstreamRqDone, matching, s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339))
}

// query runs an instant query.
func query(ctx context.Context, c api.Client, name, q string, at time.Time) (model.Value, []string, error) {
	v, warnings, _, err := v1.NewAPI(c).Query(ctx, q, at)
	if err != nil {
		var ae *v1.Error
		if errors.As(err, &ae) && ae.Detail != "" {
			return nil, nil, errorf(name, 0, "query %s: %s: %s", q, ae.Msg, ae.Detail)
		}
		return nil, nil, errorf(name, 0, "query %s: %v", q, err)
	}
	var ws []string
	for _, w := range warnings {
		ws = append(ws, "Prometheus: "+w)
	}
	return v, ws, nil
}

// selector writes the PromQL selector of metric with the matchers, each a label matcher of PromQL
// with the same meaning (regular expressions are anchored in both).
func selector(metric string, ms []matcher) string {
	var b strings.Builder
	b.WriteString("{__name__=")
	b.WriteString(strconv.Quote(metric))
	for _, m := range ms {
		fmt.Fprintf(&b, ",%s%s%s", m.Label, m.Op, strconv.Quote(m.Value))
	}
	b.WriteString("}")
	return b.String()
}

// promDuration writes d as a PromQL duration in whole milliseconds.
func promDuration(d time.Duration) string {
	return strconv.FormatInt(max(1, d.Milliseconds()), 10) + "ms"
}

// client builds the HTTP API client: TLS with the CA file, and the credentials on every request.
func (s Server) client() (api.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if s.CAFile != "" {
		pem, err := os.ReadFile(s.CAFile)
		if err != nil {
			return nil, fmt.Errorf("CA file: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", s.CAFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	var rt http.RoundTripper = answerTransport{next: tr}
	if s.BearerToken != "" || s.Username != "" {
		rt = authTransport{next: rt, token: s.BearerToken, user: s.Username, password: s.Password}
	}
	if !strings.HasPrefix(s.URL, "http://") && !strings.HasPrefix(s.URL, "https://") {
		return nil, fmt.Errorf("--prometheus %q: want an http:// or https:// URL", s.URL)
	}
	return api.NewClient(api.Config{Address: s.URL, RoundTripper: rt})
}

// answerTransport bounds every answer of the server as an answer saved to a file is bounded (see
// answerReader): the client decodes an answer whole, so an endless one grew without bound.
type answerTransport struct{ next http.RoundTripper }

func (a answerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := a.next.RoundTrip(r)
	if err == nil {
		resp.Body = answerBody{Reader: answerReader(resp.Body), Closer: resp.Body}
	}
	return resp, err
}

type answerBody struct {
	io.Reader
	io.Closer
}

// answerReader passes r through up to the size limit per input (--max-input-size): an answer of
// Prometheus's HTTP API is decoded whole, not streamed, so it is bounded as a YAML or JSON input
// file is. Past the limit it fails with a *safe.TooLargeError.
func answerReader(r io.Reader) io.Reader {
	return &limitedAnswer{r: r, left: safe.MaxInput()}
}

type limitedAnswer struct {
	r    io.Reader
	left int64
}

func (l *limitedAnswer) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, fmt.Errorf("%w (raise it with --max-input-size)", &safe.TooLargeError{Limit: safe.MaxInput(), Size: -1})
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, fmt.Errorf("%w (raise it with --max-input-size)", &safe.TooLargeError{Limit: safe.MaxInput(), Size: -1})
	}
	return n, err
}

// authTransport adds credentials to requests.
type authTransport struct {
	next                  http.RoundTripper
	token, user, password string
}

func (a authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if a.token != "" {
		r.Header.Set("Authorization", "Bearer "+a.token)
	} else {
		r.SetBasicAuth(a.user, a.password)
	}
	return a.next.RoundTrip(r)
}

// apiResponse is the envelope of Prometheus's HTTP API.
type apiResponse struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
	Warnings []string `json:"warnings"`
}

// readAPIJSON reads a saved answer of /api/v1/query or /api/v1/query_range.
func readAPIJSON(r io.Reader, file string, opts Options, ms []matcher) (*Observation, error) {
	var resp apiResponse
	dec := json.NewDecoder(answerReader(r))
	if err := dec.Decode(&resp); err != nil {
		return nil, errorf(file, 0, "Prometheus API answer: %v", err)
	}
	if resp.Status != "success" {
		return nil, errorf(file, 0, "Prometheus API answer has status %q: %s %s", resp.Status, resp.ErrorType, resp.Error)
	}
	var v model.Value
	switch resp.Data.ResultType {
	case "vector":
		var vec model.Vector
		if err := json.Unmarshal(resp.Data.Result, &vec); err != nil {
			return nil, errorf(file, 0, "Prometheus API vector: %v", err)
		}
		v = vec
	case "matrix":
		var m model.Matrix
		if err := json.Unmarshal(resp.Data.Result, &m); err != nil {
			return nil, errorf(file, 0, "Prometheus API matrix: %v", err)
		}
		v = m
	default:
		return nil, errorf(file, 0, "Prometheus API result of type %q: want a vector or a matrix", resp.Data.ResultType)
	}
	metric := opts.Metric
	if metric != "" {
		var err error
		if ms, err = serviceMatchers(metric, opts.Services, ms); err != nil {
			return nil, err
		}
	}
	obs, err := valueObservation(file, v, metric, time.Time{}, time.Time{}, opts, ms, false, metric == "")
	if err != nil {
		return nil, err
	}
	for _, w := range resp.Warnings {
		obs.Warnings = append(obs.Warnings, "Prometheus: "+w)
	}
	return obs, nil
}

// valueObservation counts a query's value: a vector's values as they are, a matrix's series as
// their increases over the window that starts at start (the samples before it, after since, are
// the baseline). metric names the counts in messages and chooses the default grouping label;
// custom says metric is a query (or unknown), so the grouping label comes from the series. matched
// says the series already satisfy ms (the server applied them).
func valueObservation(file string, v model.Value, metric string, since, start time.Time, opts Options, ms []matcher,
	matched, custom bool) (*Observation, error) {
	var series []promSeries
	var names []string
	resets := 0
	fractional := false
	switch v := v.(type) {
	case model.Vector:
		for _, s := range v {
			series = append(series, promSeries{labels: labelMap(s.Metric), value: float64(s.Value)})
			names = append(names, string(s.Metric[model.MetricNameLabel]))
			fractional = fractional || float64(s.Value) != math.Trunc(float64(s.Value))
		}
	case model.Matrix:
		for _, s := range v {
			inc, steps, r := increase(s.Values, since, start)
			resets += r
			series = append(series, promSeries{labels: labelMap(s.Metric), value: inc, steps: steps})
			names = append(names, string(s.Metric[model.MetricNameLabel]))
		}
	case *model.Scalar:
		return nil, errorf(file, 0, "the query gives one number (%v), not a value per series", v.Value)
	default:
		return nil, errorf(file, 0, "the query gives a %s, not a value per series", v.Type())
	}
	if custom || metric == "" {
		metric, opts.GroupBy = seriesMetric(names, metric), groupLabel(series, metric, opts.GroupBy)
	}
	obs, err := aggregate(file, metric, series, int64(len(series)), opts.GroupBy, ms, matched)
	if err != nil {
		return nil, err
	}
	obs.Format = FormatPrometheusAPI
	var warnings []string
	if resets > 0 {
		warnings = append(warnings, fmt.Sprintf("%d series of %s were reset in the window (a restarted proxy): after a reset a counter's whole value counts", resets, printable(metric)))
	}
	if fractional {
		warnings = append(warnings, "the query's values are not whole numbers: increase() and rate() extrapolate to the ends of their window, "+
			"so they are estimates, not counts. For exact counts, leave out --query (splitsim then reads the raw counters and counts "+
			"their increases, resets included), or query the counter's range vector (METRIC[10m]), whose samples splitsim subtracts")
	}
	obs.Warnings = append(warnings, obs.Warnings...)
	obs.keepServices(opts.Services)
	return obs, nil
}

// seriesMetric names the metric of series whose names are names (the __name__ label, when
// present), or query.
func seriesMetric(names []string, query string) string {
	for _, n := range names {
		if n != "" {
			return n
		}
	}
	return query
}

// groupLabel chooses the label to group a query's series by: groupBy when given; else
// destination_version, or cluster_name for Envoy metrics, when the series have it; else the only
// label that the series have.
func groupLabel(series []promSeries, metric, groupBy string) string {
	if groupBy != "" {
		return groupBy
	}
	labels := map[string]bool{}
	for _, s := range series {
		for l := range s.labels {
			labels[l] = true
		}
	}
	for _, l := range []string{defaultGroupBy(metric, ""), "destination_version", "cluster_name"} {
		if labels[l] {
			return l
		}
	}
	if strings.Contains(metric, "envoy_cluster_") {
		return "cluster_name"
	}
	if len(labels) == 1 {
		for l := range labels {
			return l
		}
	}
	return defaultGroupBy(metric, "")
}

// labelMap returns a series' labels without its name.
func labelMap(m model.Metric) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if k != model.MetricNameLabel {
			out[string(k)] = string(v)
		}
	}
	return out
}

// increase returns the exact increase of a counter over the window that starts at start, from its
// samples (in time order): from the last sample at or before start (when there is one after
// since), or from zero for a series that started in the window, summing every rise and, after a
// decrease (a reset), the whole value after it. A zero start reads every sample as in the window,
// the first one the baseline. It also returns the increase up to each sample after the baseline,
// and the number of resets.
func increase(samples []model.SamplePair, since, start time.Time) (float64, []step, int) {
	if len(samples) == 0 {
		return 0, nil, 0
	}
	sort.SliceStable(samples, func(i, j int) bool { return samples[i].Timestamp < samples[j].Timestamp })
	base, first := 0.0, 0
	if start.IsZero() {
		base, first = float64(samples[0].Value), 1
	} else {
		s, t := model.TimeFromUnixNano(since.UnixNano()), model.TimeFromUnixNano(start.UnixNano())
		for first < len(samples) && samples[first].Timestamp <= t {
			if samples[first].Timestamp > s {
				base = float64(samples[first].Value)
			}
			first++
		}
	}
	var inc float64
	resets := 0
	prev := base
	steps := make([]step, 0, len(samples)-first)
	for _, p := range samples[first:] {
		v := float64(p.Value)
		d := v - prev
		if v < prev {
			resets++
			d = v
		}
		inc += d
		steps = append(steps, step{t: int64(p.Timestamp), v: d})
		prev = v
	}
	return inc, steps, resets
}

// ServerFromEnv fills the credentials that s lacks from the environment: PROMETHEUS_BEARER_TOKEN,
// PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD.
func ServerFromEnv(s Server) Server {
	if s.BearerToken == "" {
		s.BearerToken = os.Getenv("PROMETHEUS_BEARER_TOKEN")
	}
	if s.Username == "" {
		s.Username = os.Getenv("PROMETHEUS_USERNAME")
	}
	if s.Password == "" {
		s.Password = os.Getenv("PROMETHEUS_PASSWORD")
	}
	return s
}
