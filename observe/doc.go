// Package observe reads observed request counts per destination, for `splitsim verify --observed`
// and `--prometheus`. It decides no verdicts: it returns counts, and caveats about how they were
// read.
//
// Reading an input takes four steps:
//
//  1. Detect the format from the first 64 KiB (see Detect), unless Options.Format names it. An
//     input that starts with gzip's magic bytes is decompressed first.
//  2. Parse it with the reader of that format (see Formats below). Every reader streams: memory
//     does not grow with the input. Access logs and Prometheus text are cut into blocks of whole
//     lines that all cores parse at once, each line of the common shape without allocating (the
//     fast paths agree with the full parsers on every line they take; fuzz tests check it);
//     Prometheus samples are filtered by metric name and summed by the labels that matter before
//     anything else is built. JSON keeps a window of the last elements of a series.
//  3. Select and group. Prometheus samples are filtered by Options.Match and summed by a label:
//     destination_version for Istio, the full cluster_name for Envoy. Access-log entries are
//     counted per upstream cluster, those without one under NoUpstream ("-"). ReadDelta
//     subtracts a scrape taken before a window from one taken after it.
//  4. Return an Observation: names in first-seen order, counts, the series when the input is
//     one, response codes and flags where the input has them, and warnings. Match then relates
//     names to configured destinations: by cluster, subset, host, or an explicit mapping.
//
// # Formats
//
//   - json: {"v1": 712, "v2": 288}; or a series, one object per interval:
//     [{"v1": 70, "v2": 30}, {"v1": 68, "v2": 32}].
//   - csv: rows "name,count"; or a series in long form, rows "interval,name,count". The first
//     row is a header when its last field is not a number; '#' starts a comment line.
//   - prometheus: text exposition format, read line by line as github.com/prometheus/common/expfmt
//     reads it (lines of unusual shape, and errors, by expfmt itself; the checks that span lines,
//     such as a TYPE line after samples, as expfmt makes them on each scrape). The
//     metric is istio_requests_total, else envoy_cluster_upstream_rq_total, else
//     envoy_cluster_upstream_rq_completed (Options.Metric chooses). Series with identical labels
//     are summed, and scrapes of several proxies concatenated into one file are accepted (a
//     repeated HELP or TYPE line starts the next scrape; histograms and summaries count their
//     _count, summed over scrapes like counters).
//   - prometheus-api: a saved answer of Prometheus's HTTP API (/api/v1/query, /api/v1/query_range).
//     A vector's values are counts; a matrix holds counter samples over time, whose exact increases
//     are the counts (a decrease is a reset, after which the whole value counts), and is a series
//     with one interval per sample time. ReadServer asks a
//     live server for the raw samples of a window and counts them the same way.
//   - envoy-access-log: Istio's default text access-log format, shown below.
//   - envoy-access-log-json: Istio's JSON access-log encoding, one object per line, with the keys
//     upstream_cluster, response_code, response_flags and others.
//
// The text access-log format is Istio's EnvoyTextLogFormat (istio/istio,
// pilot/pkg/model/telemetry_logging.go; Istio 1.9 and later):
//
//	[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
//	%RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
//	"%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
//	%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
//	"%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
//	%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
//	%REQUESTED_SERVER_NAME% %ROUTE_NAME%
//
// (one line per request). The cluster is the field after the last quoted field, the upstream
// host, which also holds for older releases that wrote %UPSTREAM_CLUSTER% and had more quoted
// fields before it; the response code and flags follow the request line. Lines that are not
// entries, such as the proxy's own messages in `kubectl logs`, are skipped with a warning; the
// timestamp that `kubectl logs --timestamps` writes before every line is ignored, in both formats.
//
// # Defaults that change counts
//
// Each is announced by a warning, and a matcher on the label turns it off:
//
//   - istio_requests_total counts every request twice, at the client's proxy
//     (reporter="source") and at the server's (reporter="destination"); when both are present,
//     only reporter="destination" is kept.
//   - Envoy scrapes include the proxy's own clusters (xds-grpc, prometheus_stats, inbound|...);
//     when outbound|... clusters are present, only those are kept.
//
// Summing destination_version over several services (reviews v1 and ratings v1) is only warned
// about: add a destination_service_name matcher.
//
// # Errors
//
// Errors name the file and the line, and the column when known:
// `scrape.txt: line 12: expected float as value, got "abc"`. They are one line whatever the input
// holds, and no input makes the package panic.
package observe
