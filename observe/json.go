package observe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// jsonReader walks a JSON document token by token. It streams: it keeps the text read from offset
// base on (the window), which a series releases element by element, to turn offsets into lines and
// columns and to find where a syntax error is.
type jsonReader struct {
	file string
	dec  *json.Decoder
	in   io.Reader
	err  error // the input's read error, if any
	// inErr is the error that ended the input (io.EOF at its end); ahead holds what valueStart read
	// ahead of the decoder.
	inErr error
	ahead []byte
	data  []byte // the window: the input's bytes from base on
	base  int64
	// lineCol's position cache (absolute offsets, pos >= base): line is the line number of the
	// bytes before pos, the last of which starts at lineStart.
	line          int
	lineStart     int64
	pos           int64
	baseLine      int   // the line number at base
	baseLineStart int64 // where that line starts
	inSeries      bool
	windowElement int64 // in a series: where the window's elements start (see series)
}

// Read reads the input for the decoder (first what valueStart read ahead) and keeps what it read
// in the window.
func (j *jsonReader) Read(p []byte) (int, error) {
	if len(j.ahead) > 0 {
		n := copy(p, j.ahead)
		j.ahead = j.ahead[n:]
		return n, nil
	}
	if j.inErr != nil {
		return 0, j.inErr
	}
	n, err := j.in.Read(p)
	j.data = append(j.data, p[:n]...)
	j.noteErr(err)
	if j.inErr == nil && j.windowTooLong() {
		return 0, j.err
	}
	return n, err
}

// ErrJSONValueTooLong is the cause of an error about a JSON object of counts (or an element of a
// series) of more than MaxLineBytes: the window that holds it would grow without bound, as on a
// string that never ends.
var ErrJSONValueTooLong = fmt.Errorf("a JSON value (an object of counts, or an element of a series) longer than %d MiB", MaxLineBytes>>20)

// windowTooLong fails the input (j.err, j.inErr) once the window holds more than the current value
// and the one before it may take: 2 x MaxLineBytes.
func (j *jsonReader) windowTooLong() bool {
	if len(j.data) <= 2*MaxLineBytes {
		return false
	}
	j.noteErr(ErrJSONValueTooLong)
	return true
}

func (j *jsonReader) noteErr(err error) {
	if err != nil {
		j.inErr = err
		if !errors.Is(err, io.EOF) {
			j.err = err
		}
	}
}

// readAhead reads more of the input into the window, for the decoder to read later. It returns
// false at the end of the input.
func (j *jsonReader) readAhead() bool {
	if j.inErr != nil {
		return false
	}
	var buf [512]byte
	n, err := j.in.Read(buf[:])
	j.data = append(j.data, buf[:n]...)
	j.ahead = append(j.ahead, buf[:n]...)
	j.noteErr(err)
	if j.inErr == nil && j.windowTooLong() {
		return false
	}
	return n > 0 || err == nil
}

// release drops the window's bytes before off.
func (j *jsonReader) release(off int64) {
	if off <= j.base {
		return
	}
	j.advance(off)
	n := copy(j.data, j.data[off-j.base:])
	j.data = j.data[:n]
	j.base = off
	j.baseLine, j.baseLineStart = j.line, j.lineStart
}

// advance moves the position cache to off, counting from the window's start when off is before it.
func (j *jsonReader) advance(off int64) {
	if off < j.pos {
		j.line, j.lineStart, j.pos = j.baseLine, j.baseLineStart, j.base
	}
	for {
		i := bytes.IndexByte(j.data[j.pos-j.base:off-j.base], '\n')
		if i < 0 {
			break
		}
		j.line++
		j.pos += int64(i) + 1
		j.lineStart = j.pos
	}
	j.pos = off
}

// readJSON reads {"v1": 712, "v2": 288} or a series [{"v1": 70, "v2": 30}, ...].
func readJSON(r io.Reader, file string, opts Options) (*Observation, error) {
	j := &jsonReader{file: file, in: r, line: 1, baseLine: 1}
	j.dec = json.NewDecoder(j)
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

// series reads an array of objects whose '[' has been consumed. Only the window of the last two
// elements is kept: a syntax error is found by scanning "[" and the window (see syntax).
func (j *jsonReader) series(start int64, cumulative bool) (*Observation, error) {
	var names []string
	seen := map[string]bool{}
	var rows []map[string]int64
	var lines []map[string]int
	var labels []string
	j.inSeries = true
	j.windowElement = j.dec.InputOffset()
	prev := j.windowElement
	for j.dec.More() {
		at := j.valueStart(j.dec.InputOffset())
		j.release(prev)
		j.windowElement, prev = prev, at
		tok, err := j.dec.Token()
		if err != nil {
			return nil, j.syntax(err)
		}
		if tok != json.Delim('{') {
			return nil, j.errAt(at, "series element %d must be an object of name to count, got %s", len(rows)+1, describe(tok))
		}
		if len(rows) == MaxIntervals {
			return nil, j.errAt(at, "%s", tooManyIntervals)
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

// valueStart returns the offset of the next byte at or after off that is not white space, ':' or ','
// (among the bytes read so far).
func (j *jsonReader) valueStart(off int64) int64 {
	for off-j.base < int64(len(j.data)) || j.readAhead() {
		switch j.data[off-j.base] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// lineCol converts a byte offset in the window into a 1-based line and column. It counts from the
// last offset it was asked about when it can, so reading a document stays linear in its size.
func (j *jsonReader) lineCol(off int64) (line, col int) {
	o := max(j.base, min(off, j.base+int64(len(j.data))))
	j.advance(o)
	return j.line, int(o-j.lineStart) + 1
}

func (j *jsonReader) errAt(off int64, format string, args ...any) *Error {
	line, col := j.lineCol(off)
	return &Error{File: j.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// syntax turns a decoder error into an *Error at the place it names.
func (j *jsonReader) syntax(err error) *Error {
	var se *json.SyntaxError
	switch {
	case j.err != nil:
		return j.errAt(j.base+int64(len(j.data)), "%v", j.err)
	case errors.As(err, &se):
		// The decoder's offsets are not always at the offending byte; a full scan's are (the byte
		// at Offset-1). A series is scanned from the window's first element, after a "[" that
		// puts the scanner in the state it had there.
		doc, shift := j.data, j.base
		if j.inSeries {
			doc = append([]byte{'['}, j.data[j.windowElement-j.base:]...)
			shift = j.windowElement - 1
		}
		var v any
		if err := json.Unmarshal(doc, &v); errors.As(err, &se) && se.Error() != "unexpected end of JSON input" {
			return j.errAt(shift+se.Offset-1, "invalid JSON: %v", se)
		}
		return j.errAt(j.dec.InputOffset(), "invalid JSON: %v", err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return j.errAt(j.base+int64(len(j.data)), "unexpected end of JSON input")
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
