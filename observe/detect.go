package observe

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Detect names the format of an input from its first bytes, or returns "" when they hold nothing
// but white space. It never fails: what is not recognised is CSV, whose reader then reports the
// line at fault. Rules, applied to the first line that is neither blank nor a '#' comment:
//
//  0. a JSON object with the envelope of Prometheus's HTTP API ("status", "data" with a
//     "resultType"): prometheus-api.
//  1. "# HELP" or "# TYPE" before it, or a sample with labels (name{label="v"} 1): prometheus.
//  2. '[' followed by '{' or ']' (or nothing on that line): json (a series).
//  3. '[' then a timestamp, "] " and a quoted request line: envoy-access-log.
//  4. a JSON object on one line with an "upstream_cluster" key: envoy-access-log-json;
//     any other line starting with '{': json.
//  5. otherwise, if a later line in the first 64 KiB is an access-log entry (text or JSON),
//     that access-log format (as in `kubectl logs` of istio-proxy, where the proxy's own messages
//     come first); else json if the line starts with '['; else prometheus if the line is a
//     "name value" sample and a later line is a labelled sample; else csv.
//
// The timestamp that `kubectl logs --timestamps` writes before every line is ignored.
func Detect(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if isAPIAnswer(head) {
		return FormatPrometheusAPI
	}
	lines := splitLines(head)
	sawComment := false
	for i, raw := range lines {
		t, _ := cutKubectlTimestamp(strings.TrimSpace(raw))
		if t == "" {
			continue
		}
		if t[0] == '#' {
			if isPromKeywordComment(t) {
				return FormatPrometheus
			}
			sawComment = true
			continue
		}
		if f := detectLine(t, lines[i+1:]); f != "" {
			return f
		}
		return detectLater(t, lines[i+1:])
	}
	if sawComment {
		return FormatCSV // only comments: let the CSV reader say there are no counts
	}
	return ""
}

// isAPIAnswer reports whether head starts a JSON object with Prometheus's HTTP API envelope: a
// "status" key and a "resultType" (or an "errorType").
func isAPIAnswer(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && bytes.Contains(t, []byte(`"status"`)) &&
		(bytes.Contains(t, []byte(`"resultType"`)) || bytes.Contains(t, []byte(`"errorType"`)))
}

// detectLine applies rules 2 to 4 and the labelled sample of rule 1 to t, the first line that holds
// data, followed by the lines later. It returns "" when t alone does not settle the format.
func detectLine(t string, later []string) string {
	switch {
	case t[0] == '[':
		rest := strings.TrimSpace(t[1:])
		if rest == "" || rest[0] == '{' || rest[0] == ']' {
			return FormatJSON
		}
		if isAccessLogEntry(t) {
			return FormatAccessLog
		}
	case t[0] == '{':
		if isAccessLogJSON(t) {
			return FormatAccessLogJSON
		}
		if labelled, ok := promSample(t); ok && labelled && !json.Valid([]byte(t)) {
			return FormatPrometheus
		}
		if !json.Valid([]byte(t)) || !laterAccessLog(later, true) {
			return FormatJSON
		}
		return FormatAccessLogJSON
	default:
		if labelled, ok := promSample(t); ok && labelled {
			return FormatPrometheus
		}
	}
	return ""
}

// detectLater applies rule 5: nothing certain about the first data line t, so the lines later
// decide.
func detectLater(t string, later []string) string {
	switch {
	case laterAccessLog(later, false):
		return FormatAccessLog
	case laterAccessLog(later, true):
		return FormatAccessLogJSON
	case t[0] == '[':
		return FormatJSON // e.g. [1, 2]: let the JSON reader say what is wrong
	}
	if _, ok := promSample(t); ok && laterLabelledSample(later) {
		return FormatPrometheus
	}
	return FormatCSV
}

// laterLabelledSample reports whether any of lines is a Prometheus sample with labels.
func laterLabelledSample(lines []string) bool {
	for _, l := range lines {
		if labelled, ok := promSample(strings.TrimSpace(l)); ok && labelled {
			return true
		}
	}
	return false
}

// splitLines splits head into lines, dropping a final line that may have been cut by the peek limit.
func splitLines(head []byte) []string {
	s := string(head)
	lines := strings.Split(s, "\n")
	if len(head) >= peekSize && len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// laterAccessLog reports whether any of lines is an access-log entry (JSON ones when jsonLines).
func laterAccessLog(lines []string, jsonLines bool) bool {
	for _, l := range lines {
		t, _ := cutKubectlTimestamp(strings.TrimSpace(l))
		if jsonLines && isAccessLogJSON(t) || !jsonLines && isAccessLogEntry(t) {
			return true
		}
	}
	return false
}

func isPromKeywordComment(t string) bool {
	f := strings.Fields(strings.TrimPrefix(t, "#"))
	return len(f) >= 2 && (f[0] == "HELP" || f[0] == "TYPE")
}

// isAccessLogEntry reports whether t starts like an entry of Istio's text access log:
// "[START_TIME] \"REQUEST LINE\" ...".
func isAccessLogEntry(t string) bool {
	if !isAccessLogCandidate(t) {
		return false
	}
	end := strings.IndexByte(t, ']')
	rest := strings.TrimLeft(t[end+1:], " ")
	return strings.HasPrefix(rest, `"`)
}

// isAccessLogCandidate reports whether a line is meant as a text access-log entry: it starts with
// a bracketed field followed by a space. Envoy's own log lines ("[2024-...][12][info]...") are not.
func isAccessLogCandidate(t string) bool {
	if len(t) < 3 || t[0] != '[' {
		return false
	}
	end := strings.IndexByte(t, ']')
	return end > 1 && end+1 < len(t) && t[end+1] == ' '
}

// isAccessLogJSON reports whether t is a JSON object with an "upstream_cluster" key whose value is
// a string or null, as Istio's JSON access-log encoding writes.
func isAccessLogJSON(t string) bool {
	if len(t) == 0 || t[0] != '{' || !strings.Contains(t, `"upstream_cluster"`) {
		return false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(t), &m); err != nil {
		return false
	}
	v, ok := m["upstream_cluster"]
	if !ok {
		return false
	}
	v = bytes.TrimSpace(v)
	return len(v) > 0 && (v[0] == '"' || string(v) == "null")
}

// promSample reports whether t looks like a Prometheus text sample line, "name value" or
// "name{labels} value [timestamp]", and whether it has a label set.
func promSample(t string) (labelled, ok bool) {
	i := 0
	for i < len(t) && isNameByte(t[i], i == 0) {
		i++
	}
	name := t[:i]
	rest := t[i:]
	if strings.HasPrefix(rest, "{") {
		end := closingBrace(rest)
		if end < 0 {
			return false, false
		}
		if name == "" && !strings.HasPrefix(rest, `{"`) {
			return false, false
		}
		labelled = true
		rest = rest[end+1:]
	} else if name == "" {
		return false, false
	}
	if rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
		return false, false
	}
	f := strings.Fields(rest)
	if len(f) < 1 || len(f) > 2 {
		return false, false
	}
	if _, err := strconv.ParseFloat(f[0], 64); err != nil {
		return false, false
	}
	return labelled, true
}

func isNameByte(b byte, first bool) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == ':' || !first && b >= '0' && b <= '9'
}

// closingBrace returns the index in s (which starts with '{') of the '}' that closes it, skipping
// quoted strings with backslash escapes, or -1.
func closingBrace(s string) int {
	inQuote := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '}':
			return i
		}
	}
	return -1
}
