package observe

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
)

// readCSV reads "name,count" rows, or a series in long form "interval,name,count". The first row
// is a header when its last field is not a number. Blank lines and lines starting with '#' are
// ignored.
func readCSV(r io.Reader, file string, opts Options) (*Observation, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	width := 0
	first := true
	var headerLine int

	c := newCounter()
	lineOf := map[string]int{}

	// Series state.
	var labels []string
	intervalIndex := map[string]int{}
	var rows []map[string]int64
	var lines []map[string]int
	var names []string
	seenName := map[string]bool{}

	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{File: file, Line: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
			}
			return nil, errorf(file, 0, "%v", err)
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if width == 0 {
			if len(rec) != 2 && len(rec) != 3 {
				return nil, errorf(file, line, "expected 2 fields (name,count) or 3 (interval,name,count), got %d", len(rec))
			}
			width = len(rec)
		} else if len(rec) != width {
			return nil, errorf(file, line, "expected %d fields like the first row, got %d", width, len(rec))
		}
		countText := rec[width-1]
		if first {
			first = false
			if !isNumber(countText) {
				headerLine = line
				continue // header
			}
		}
		n, err := parseCount(countText)
		if err != nil {
			return nil, errorf(file, line, "%v", err)
		}
		name := rec[width-2]
		if name == "" {
			return nil, errorf(file, line, "empty name")
		}
		if width == 2 {
			if prev, dup := lineOf[name]; dup {
				return nil, errorf(file, line, "duplicate name %q (first at line %d)", name, prev)
			}
			lineOf[name] = line
			c.add(name, n)
			continue
		}
		interval := rec[0]
		if interval == "" {
			return nil, errorf(file, line, "empty interval")
		}
		idx, ok := intervalIndex[interval]
		if !ok {
			idx = len(labels)
			intervalIndex[interval] = idx
			labels = append(labels, interval)
			rows = append(rows, map[string]int64{})
			lines = append(lines, map[string]int{})
		}
		if prev, dup := lines[idx][name]; dup {
			return nil, errorf(file, line, "duplicate name %q in interval %q (first at line %d)", name, interval, prev)
		}
		rows[idx][name] = n
		lines[idx][name] = line
		if !seenName[name] {
			seenName[name] = true
			names = append(names, name)
		}
	}
	if width == 3 {
		if len(names) == 0 {
			return nil, errorf(file, headerLine, "no counts")
		}
		return seriesObservation(FormatCSV, file, names, labels, rows, lines, opts.Cumulative)
	}
	if len(c.names) == 0 {
		return nil, errorf(file, headerLine, "no counts")
	}
	return &Observation{Format: FormatCSV, Names: c.names, Counts: c.counts}, nil
}

// isNumber reports whether s parses as a number at all (a header cell does not).
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}
