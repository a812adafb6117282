package observe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// textLogFields are the fields of a text access-log entry that matchers may name, with the names of
// Istio's JSON access-log format.
var textLogFields = []string{"start_time", "method", "path", "protocol", "response_code", "response_flags",
	"authority", "upstream_host", "upstream_cluster"}

// logEntry is what one access-log line contributes.
type logEntry struct {
	cluster string
	code    int
	flags   string
	get     func(field string) string // for matchers
}

// readAccessLog counts access-log entries per upstream cluster. It streams: the input is read in
// blocks of whole lines that all cores parse at once (see forBlocks), and only the counts are kept,
// so memory does not grow with the input. Lines of the common shape take a fast path that reads
// the three fields counted without allocating; every other line (matchers, kubectl timestamps,
// tabs, escapes, errors) is parsed by parseTextLogLine or parseJSONLogLine, which define the
// result: the fast path gives the same for every line it accepts (see FuzzAccessLogFastPath).
func readAccessLog(r io.Reader, file string, ms []matcher, jsonLines bool) (*Observation, error) {
	if !jsonLines {
		if err := checkTextLogMatchers(ms); err != nil {
			return nil, err
		}
	}
	lt := &logTally{file: file, ms: ms, jsonLines: jsonLines, c: newCounter(),
		codes: map[string]map[int]int64{}, flags: map[string]map[string]int64{}}
	err := forBlocks(r,
		func() *logPart { return &logPart{ms: ms, jsonLines: jsonLines, idx: map[string]int{}} },
		(*logPart).parse,
		lt.merge,
		func(err error, lineNo int) error { return errorf(file, lineNo+1, "%v", err) })
	if err != nil {
		return nil, err
	}
	return lt.observation()
}

// checkTextLogMatchers fails unless every matcher names a field of the text access log.
func checkTextLogMatchers(ms []matcher) error {
	for _, m := range ms {
		if !slices.Contains(textLogFields, m.Label) {
			return fmt.Errorf("matcher %s: text access logs have the fields %s", m, strings.Join(textLogFields, ", "))
		}
	}
	return nil
}

// logTally counts the entries of one access log.
type logTally struct {
	file      string
	ms        []matcher
	jsonLines bool // Istio's JSON encoding, else its text format
	c         *counter
	codes     map[string]map[int]int64    // per cluster and response code
	flags     map[string]map[string]int64 // per cluster and response flags
	// entries counted, lines that are not entries, entries that the matchers leave out
	entries, skipped, filtered int64
	firstSkipped               int // line number of the first skipped line
}

// merge adds the counts of a block whose first line follows line linesBefore of the file, or
// returns the block's error with its line in the file.
func (lt *logTally) merge(p *logPart, linesBefore int) error {
	if p.err != nil {
		p.err.File, p.err.Line = lt.file, p.err.Line+linesBefore
		return p.err
	}
	lt.skipped += p.skipped
	lt.filtered += p.filtered
	if lt.firstSkipped == 0 && p.firstSkipped > 0 {
		lt.firstSkipped = p.firstSkipped + linesBefore
	}
	for i, name := range p.names {
		ct := &p.clusters[i]
		lt.entries += ct.count
		lt.c.add(name, ct.count)
		if lt.codes[name] == nil {
			lt.codes[name] = map[int]int64{}
			lt.flags[name] = map[string]int64{}
		}
		for _, c := range ct.codes {
			lt.codes[name][c.code] += c.n
		}
		for _, f := range ct.flags {
			lt.flags[name][f.flags] += f.n
		}
	}
	return nil
}

// logPart counts the entries of one block of an access log. Line numbers are the block's own.
type logPart struct {
	ms        []matcher
	jsonLines bool
	lines     int
	names     []string       // clusters, first-seen order
	idx       map[string]int // position of each cluster in names
	clusters  []clusterTally
	// lines that are not entries, entries that the matchers leave out, the first skipped line
	skipped, filtered int64
	firstSkipped      int
	err               *Error // the first error; the rest of the block is not read
}

// clusterTally counts the entries of one cluster, with their response codes and flags (few
// distinct values: a list is faster than a map).
type clusterTally struct {
	count int64
	codes []codeCount
	flags []flagCount
}

type codeCount struct {
	code int
	n    int64
}

type flagCount struct {
	flags string
	n     int64
}

func (p *logPart) lineCount() int { return p.lines }

// parse counts the lines of data, a block of whole lines (the last one of the input may lack its
// newline).
func (p *logPart) parse(data []byte, _ bool) {
	fast := len(p.ms) == 0
	var tf textFields
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		p.lines++
		if p.err != nil {
			continue
		}
		if p.fastLine(stampless(line), fast, &tf) {
			continue
		}
		p.slowLine(string(line), p.lines)
	}
}

// fastLine counts a line of the common shape without the full parser, or returns false.
func (p *logPart) fastLine(line []byte, fast bool, tf *textFields) bool {
	if !fast {
		if p.jsonLines || !tf.read(line) {
			return false
		}
		// Matchers on a line of the common shape: its fields without the full parser.
		if matchAll(p.ms, tf.get) {
			p.count(tf.cluster, tf.code, tf.flags)
		} else {
			p.filtered++
		}
		return true
	}
	var cluster, flags []byte
	var code int
	var ok bool
	if p.jsonLines {
		cluster, flags, code, ok = fastJSONLogLine(line)
	} else {
		cluster, flags, code, ok = fastTextLogLine(line)
	}
	if ok {
		p.count(cluster, code, flags)
	}
	return ok
}

// stampless removes the timestamp that `kubectl logs --timestamps` writes before a line, as
// cutKubectlTimestamp does, when the line starts with a digit; other lines come back as they are.
func stampless(line []byte) []byte {
	if len(line) == 0 || line[0] < '0' || line[0] > '9' {
		return line
	}
	sp := bytes.IndexByte(line, ' ')
	if sp < len("2006-01-02T15:04:05Z") {
		return line
	}
	if _, err := time.Parse(time.RFC3339Nano, string(line[:sp])); err != nil {
		return line
	}
	return bytes.TrimLeft(line[sp+1:], " ")
}

// slowLine counts line lineNo of the block with the full parser.
func (p *logPart) slowLine(raw string, lineNo int) {
	t, off := cutKubectlTimestamp(strings.TrimSpace(raw))
	if t == "" {
		return
	}
	parse := parseTextLogLine
	if p.jsonLines {
		parse = parseJSONLogLine
	}
	e, ok, perr := parse(t)
	switch {
	case perr != nil:
		perr.Line = lineNo
		if perr.Column > 0 {
			perr.Column += off
		}
		p.err = perr
	case !ok:
		p.skipped++
		if p.firstSkipped == 0 {
			p.firstSkipped = lineNo
		}
	case !matchAll(p.ms, e.get):
		p.filtered++
	default:
		p.count([]byte(e.cluster), e.code, []byte(e.flags))
	}
}

// count counts one entry.
func (p *logPart) count(cluster []byte, code int, flags []byte) {
	i, ok := p.idx[string(cluster)]
	if !ok {
		i = len(p.names)
		name := string(cluster)
		p.idx[name] = i
		p.names = append(p.names, name)
		p.clusters = append(p.clusters, clusterTally{})
	}
	ct := &p.clusters[i]
	ct.count++
	found := false
	for k := range ct.codes {
		if ct.codes[k].code == code {
			ct.codes[k].n++
			found = true
			break
		}
	}
	if !found {
		ct.codes = append(ct.codes, codeCount{code, 1})
	}
	for k := range ct.flags {
		if ct.flags[k].flags == string(flags) {
			ct.flags[k].n++
			return
		}
	}
	ct.flags = append(ct.flags, flagCount{string(flags), 1})
}

// observation returns the counts, with warnings about skipped lines and requests without an
// upstream cluster, or an error when no entry was counted.
func (lt *logTally) observation() (*Observation, error) {
	format := FormatAccessLog
	if lt.jsonLines {
		format = FormatAccessLogJSON
	}
	if lt.entries == 0 {
		switch {
		case lt.filtered > 0:
			return nil, errorf(lt.file, 0, "none of the %d access-log entries match %s", lt.filtered, matcherList(lt.ms))
		case lt.skipped > 0:
			return nil, errorf(lt.file, 0, "no %s entries (%d lines skipped, the first at line %d)", format, lt.skipped, lt.firstSkipped)
		}
		return nil, errorf(lt.file, 0, "empty input: no counts")
	}
	obs := &Observation{Format: format, Names: lt.c.names, Counts: lt.c.counts, Codes: lt.codes, Flags: lt.flags}
	if lt.skipped > 0 {
		what := "lines that are not access-log entries"
		if lt.jsonLines {
			what = "lines that are not JSON objects with an upstream_cluster key"
		}
		obs.Warnings = append(obs.Warnings, fmt.Sprintf("skipped %d %s (the first at line %d)", lt.skipped, what, lt.firstSkipped))
	}
	if n := lt.c.counts[NoUpstream]; n > 0 {
		obs.Warnings = append(obs.Warnings, fmt.Sprintf("%d of %d requests had no upstream cluster (%s)", n, lt.entries,
			describeFlags(lt.flags[NoUpstream])))
	}
	return obs, nil
}

// cutKubectlTimestamp removes the RFC 3339 timestamp and the space that `kubectl logs --timestamps`
// writes before every line ("2024-05-01T10:00:00.123456789Z [2024-05-01T10:00:00.120Z] \"GET ...")
// and returns the rest of the line and the length removed. Other lines come back as they are.
func cutKubectlTimestamp(t string) (string, int) {
	sp := strings.IndexByte(t, ' ')
	if sp < len("2006-01-02T15:04:05Z") || t[0] < '0' || t[0] > '9' {
		return t, 0
	}
	if _, err := time.Parse(time.RFC3339Nano, t[:sp]); err != nil {
		return t, 0
	}
	rest := strings.TrimLeft(t[sp+1:], " ")
	return rest, len(t) - len(rest)
}

// describeFlags lists flag counts, largest first: "response flags NR 12, NC 3".
func describeFlags(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return "response flags " + strings.Join(parts, ", ")
}

// alField is one field of a text access-log line.
type alField struct {
	text   string
	quoted bool
	col    int // 1-based column where the field starts
}

// splitAccessLine splits a line of Istio's text access-log format into fields: the bracketed start
// time, quoted fields (quotes removed; a quoted field ends at a quote followed by a space or the end
// of the line, so a quote inside a user agent does not end it), and bare tokens.
func splitAccessLine(t string) ([]alField, *Error) {
	end := strings.IndexByte(t, ']')
	fields := []alField{{text: t[1:end], col: 1}}
	i := end + 1
	for {
		for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
			i++
		}
		if i >= len(t) {
			return fields, nil
		}
		if t[i] == '"' {
			k := i + 1
			for ; k < len(t); k++ {
				if t[k] == '"' && (k+1 == len(t) || t[k+1] == ' ' || t[k+1] == '\t') {
					break
				}
			}
			if k >= len(t) {
				return nil, &Error{Column: i + 1, Msg: "unterminated quoted field"}
			}
			fields = append(fields, alField{text: t[i+1 : k], quoted: true, col: i + 1})
			i = k + 1
			continue
		}
		k := i
		for k < len(t) && t[k] != ' ' && t[k] != '\t' {
			k++
		}
		fields = append(fields, alField{text: t[i:k], col: i + 1})
		i = k
	}
}

// parseTextLogLine parses one line of Istio's default text access-log format (see the package
// documentation). ok is false for lines that are not access-log entries (the proxy's own messages
// in `kubectl logs`); err is set for entries that do not have the expected shape.
func parseTextLogLine(t string) (e logEntry, ok bool, err *Error) {
	if !isAccessLogCandidate(t) {
		return e, false, nil
	}
	fields, err := splitAccessLine(t)
	if err != nil {
		return e, false, err
	}
	if len(fields) < 2 || !fields[1].quoted {
		col := len(t) + 1
		if len(fields) >= 2 {
			col = fields[1].col
		}
		return e, false, &Error{Column: col, Msg: `expected the quoted request line ("METHOD PATH PROTOCOL") after the start time`}
	}
	if len(fields) < 4 || fields[2].quoted || fields[3].quoted {
		return e, false, &Error{Column: fields[1].col, Msg: "expected response code and response flags after the request line"}
	}
	code, cerr := parseResponseCode(fields[2].text)
	if cerr != nil {
		return e, false, &Error{Column: fields[2].col, Msg: cerr.Error()}
	}
	var quoted []int
	for i, f := range fields {
		if f.quoted {
			quoted = append(quoted, i)
		}
	}
	// Istio 1.9+ has 7 quoted fields: request line, upstream transport failure reason,
	// x-forwarded-for, user agent, request id, authority, upstream host. Older releases have 6 to 8.
	if len(quoted) < 6 {
		return e, false, &Error{Column: 1, Msg: fmt.Sprintf(
			"not Istio's access-log format: %d quoted fields, want at least 6 (request line ... \"authority\" \"upstream host\")", len(quoted))}
	}
	last := quoted[len(quoted)-1]
	if last+1 >= len(fields) {
		return e, false, &Error{Column: len(t) + 1, Msg: "expected the upstream cluster after the quoted upstream host " +
			"(Istio's format; Envoy's own default format has none)"}
	}
	e = logEntry{
		cluster: fields[last+1].text,
		code:    code,
		flags:   fields[3].text,
	}
	e.get = textLogGetter(fields, quoted, e)
	return e, true, nil
}

// textLogGetter returns the function that gives matchers the fields of a text access-log entry e,
// split into fields, of which those at the indexes quoted are quoted.
func textLogGetter(fields []alField, quoted []int, e logEntry) func(name string) string {
	reqLine := strings.Fields(fields[1].text)
	for len(reqLine) < 3 {
		reqLine = append(reqLine, "-")
	}
	authority := fields[quoted[len(quoted)-2]].text
	upstreamHost := fields[quoted[len(quoted)-1]].text
	return func(name string) string {
		switch name {
		case "start_time":
			return fields[0].text
		case "method":
			return reqLine[0]
		case "path":
			return reqLine[1]
		case "protocol":
			return reqLine[len(reqLine)-1]
		case "response_code":
			return fields[2].text
		case "response_flags":
			return e.flags
		case "authority":
			return authority
		case "upstream_host":
			return upstreamHost
		case "upstream_cluster":
			return e.cluster
		}
		return "-"
	}
}

// parseResponseCode parses %RESPONSE_CODE%: a number, 0 or "-" when there was no response.
func parseResponseCode(s string) (int, error) {
	if s == "-" || s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 999 {
		return 0, fmt.Errorf("response code %q is not a number from 0 to 999", s)
	}
	return n, nil
}

// parseJSONLogLine parses one line of Istio's JSON access-log encoding. ok is false for lines that
// are not JSON objects with an upstream_cluster key.
func parseJSONLogLine(t string) (e logEntry, ok bool, err *Error) {
	if t[0] != '{' {
		return e, false, nil
	}
	var m map[string]json.RawMessage
	if jerr := json.Unmarshal([]byte(t), &m); jerr != nil {
		var se *json.SyntaxError
		if errors.As(jerr, &se) {
			return e, false, &Error{Column: int(max(se.Offset, 1)), Msg: "invalid JSON: " + se.Error()}
		}
		return e, false, &Error{Msg: "invalid JSON: " + jerr.Error()}
	}
	rawCluster, has := m["upstream_cluster"]
	if !has {
		return e, false, nil
	}
	cluster, isStr := jsonString(rawCluster)
	if !isStr {
		return e, false, &Error{Msg: fmt.Sprintf("upstream_cluster must be a string or null, got %s", bytes.TrimSpace(rawCluster))}
	}
	e.cluster = cluster
	codeText, _ := jsonString(m["response_code"])
	code, cerr := parseResponseCode(codeText)
	if cerr != nil {
		return e, false, &Error{Msg: cerr.Error()}
	}
	e.code = code
	flagsText, isStr := jsonString(m["response_flags"])
	if !isStr {
		return e, false, &Error{Msg: fmt.Sprintf("response_flags must be a string or null, got %s", bytes.TrimSpace(m["response_flags"]))}
	}
	e.flags = flagsText
	e.get = func(name string) string {
		s, _ := jsonString(m[name])
		return s
	}
	return e, true, nil
}

// jsonString renders a JSON value as Envoy's text format would: strings as they are, null, a
// missing value or "" as "-", numbers and booleans as written, objects and arrays as compact JSON
// (isString false for those and for numbers and booleans).
func jsonString(raw json.RawMessage) (s string, isString bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "-", true
	}
	if raw[0] == '"' {
		var v string
		if json.Unmarshal(raw, &v) != nil || v == "" {
			return "-", true
		}
		return v, true
	}
	if raw[0] == '{' || raw[0] == '[' {
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return b.String(), false
		}
	}
	return string(raw), false
}
