package observe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// jsonReader walks a JSON document token by token, keeping the text to turn offsets into lines.
type jsonReader struct {
	file string
	data []byte
	dec  *json.Decoder

	// lineCol's position cache: the line that starts at lineStart; offsets mostly grow.
	line, lineStart int
}

// readJSON reads {"v1": 712, "v2": 288} or a series [{"v1": 70, "v2": 30}, ...].
func readJSON(r io.Reader, file string, opts Options) (*Observation, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, errorf(file, 0, "%v", err)
	}
	j := &jsonReader{file: file, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	j.dec.UseNumber()
	start := j.valueStart(0)
	tok, err := j.dec.Token()
	if err != nil {
		return nil, j.syntax(err)
	}
	var obs *Observation
	switch tok {
	case json.Delim('{'):
		names, counts, _, err := j.object()
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			return nil, j.errAt(start, "empty object: no counts")
		}
		obs = &Observation{Format: FormatJSON, Names: names, Counts: counts}
	case json.Delim('['):
		obs, err = j.series(start, opts.Cumulative)
		if err != nil {
			return nil, err
		}
	default:
		return nil, j.errAt(start, "expected an object of name to count, or an array of such objects; got %s", describe(tok))
	}
	end := j.valueStart(j.dec.InputOffset())
	if _, err := j.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, j.errAt(end, "unexpected data after the JSON value")
	}
	return obs, nil
}

// object reads the members of an object whose '{' has been consumed, up to its '}'.
func (j *jsonReader) object() (names []string, counts map[string]int64, lines map[string]int, err error) {
	counts = map[string]int64{}
	lines = map[string]int{}
	for j.dec.More() {
		keyAt := j.valueStart(j.dec.InputOffset())
		tok, err := j.dec.Token()
		if err != nil {
			return nil, nil, nil, j.syntax(err)
		}
		key, _ := tok.(string) // More() and the decoder guarantee a string key here
		if key == "" {
			return nil, nil, nil, j.errAt(keyAt, "empty name")
		}
		if first, dup := lines[key]; dup {
			return nil, nil, nil, j.errAt(keyAt, "duplicate name %q (first at line %d)", key, first)
		}
		valAt := j.valueStart(j.dec.InputOffset())
		tok, err = j.dec.Token()
		if err != nil {
			return nil, nil, nil, j.syntax(err)
		}
		num, ok := tok.(json.Number)
		if !ok {
			return nil, nil, nil, j.errAt(valAt, "count for %q must be a number, got %s", key, describe(tok))
		}
		n, err := parseCount(string(num))
		if err != nil {
			return nil, nil, nil, j.errAt(valAt, "%q: %v", key, err)
		}
		names = append(names, key)
		counts[key] = n
		lines[key], _ = j.lineCol(keyAt)
	}
	if _, err := j.dec.Token(); err != nil { // the closing '}'
		return nil, nil, nil, j.syntax(err)
	}
	return names, counts, lines, nil
}

// series reads an array of objects whose '[' has been consumed.
func (j *jsonReader) series(start int64, cumulative bool) (*Observation, error) {
	var names []string
	seen := map[string]bool{}
	var rows []map[string]int64
	var lines []map[string]int
	var labels []string
	for j.dec.More() {
		at := j.valueStart(j.dec.InputOffset())
		tok, err := j.dec.Token()
		if err != nil {
			return nil, j.syntax(err)
		}
		if tok != json.Delim('{') {
			return nil, j.errAt(at, "series element %d must be an object of name to count, got %s", len(rows)+1, describe(tok))
		}
		ns, counts, ls, err := j.object()
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
		rows = append(rows, counts)
		lines = append(lines, ls)
		labels = append(labels, strconv.Itoa(len(rows)))
	}
	if _, err := j.dec.Token(); err != nil { // the closing ']'
		return nil, j.syntax(err)
	}
	if len(names) == 0 {
		return nil, j.errAt(start, "empty series: no counts")
	}
	return seriesObservation(FormatJSON, j.file, names, labels, rows, lines, cumulative)
}

// valueStart returns the offset of the next byte at or after off that is not white space, ':' or ','.
func (j *jsonReader) valueStart(off int64) int64 {
	for off < int64(len(j.data)) {
		switch j.data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// lineCol converts a byte offset into a 1-based line and column. It counts from the last offset
// it was asked about when it can, so reading a document stays linear in its size.
func (j *jsonReader) lineCol(off int64) (line, col int) {
	o := int(max(0, min(off, int64(len(j.data)))))
	if j.line == 0 || o < j.lineStart {
		j.line, j.lineStart = 1, 0
	}
	for {
		i := bytes.IndexByte(j.data[j.lineStart:o], '\n')
		if i < 0 {
			break
		}
		j.line++
		j.lineStart += i + 1
	}
	return j.line, o - j.lineStart + 1
}

func (j *jsonReader) errAt(off int64, format string, args ...any) *Error {
	line, col := j.lineCol(off)
	return &Error{File: j.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// syntax turns a decoder error into an *Error at the place it names.
func (j *jsonReader) syntax(err error) *Error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// The decoder's offsets are not always at the offending byte; a full scan's are (the byte
		// at Offset-1).
		var v any
		if err := json.Unmarshal(j.data, &v); errors.As(err, &se) {
			return j.errAt(se.Offset-1, "invalid JSON: %v", se)
		}
		return j.errAt(se.Offset, "invalid JSON: %v", se)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return j.errAt(int64(len(j.data)), "unexpected end of JSON input")
	}
	return j.errAt(j.dec.InputOffset(), "invalid JSON: %v", err)
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("%t", v)
	case nil:
		return "null"
	case json.Number:
		return "the number " + string(v)
	}
	return fmt.Sprintf("%v", tok)
}
