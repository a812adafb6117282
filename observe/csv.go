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
	cr := csv.NewReader(&lineGuard{r: r})
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	t := &csvTable{file: file, c: newCounter(), lineOf: map[string]int{},
		series: csvSeries{index: map[string]int{}, seen: map[string]bool{}}}
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
		if err := t.row(rec, line); err != nil {
			return nil, err
		}
	}
	return t.observation(opts.Cumulative)
}

// csvTable collects the rows of a CSV input.
type csvTable struct {
	file       string
	width      int  // fields per row, set by the first: 2 (name,count) or 3 (interval,name,count)
	started    bool // the first row has been read
	headerLine int  // the header's line, 0 without one
	// Totals (width 2): counts per name and the line of each name.
	c      *counter
	lineOf map[string]int
	series csvSeries // width 3
}

// row takes one record, found at line: the header or a count.
func (t *csvTable) row(rec []string, line int) error {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	if t.width == 0 {
		if len(rec) != 2 && len(rec) != 3 {
			return errorf(t.file, line, "expected 2 fields (name,count) or 3 (interval,name,count), got %d", len(rec))
		}
		t.width = len(rec)
	} else if len(rec) != t.width {
		return errorf(t.file, line, "expected %d fields like the first row, got %d", t.width, len(rec))
	}
	countText := rec[t.width-1]
	if !t.started {
		t.started = true
		if !isNumber(countText) {
			t.headerLine = line
			return nil
		}
	}
	n, err := parseCount(countText)
	if err != nil {
		return errorf(t.file, line, "%v", err)
	}
	name := rec[t.width-2]
	if name == "" {
		return errorf(t.file, line, "empty name")
	}
	if t.width == 3 {
		return t.series.add(t.file, line, rec[0], name, n)
	}
	if prev, dup := t.lineOf[name]; dup {
		return errorf(t.file, line, "duplicate name %q (first at line %d)", name, prev)
	}
	t.lineOf[name] = line
	t.c.add(name, n)
	return nil
}

// observation returns what the rows hold, or an error when they hold no counts.
func (t *csvTable) observation(cumulative bool) (*Observation, error) {
	if t.width == 3 {
		if len(t.series.names) == 0 {
			return nil, errorf(t.file, t.headerLine, "no counts")
		}
		s := t.series
		return seriesObservation(FormatCSV, t.file, s.names, s.labels, s.rows, s.lines, cumulative)
	}
	if len(t.c.names) == 0 {
		return nil, errorf(t.file, t.headerLine, "no counts")
	}
	return &Observation{Format: FormatCSV, Names: t.c.names, Counts: t.c.counts}, nil
}

// csvSeries is a series in long form: one row per interval and name.
type csvSeries struct {
	labels []string           // intervals, first-seen order
	index  map[string]int     // position of each interval in labels
	rows   []map[string]int64 // per interval, the count of each name
	lines  []map[string]int   // per interval, the line of each name
	names  []string           // names, first-seen order
	seen   map[string]bool
}

// add records name's count n in interval, read at line of file.
func (s *csvSeries) add(file string, line int, interval, name string, n int64) error {
	if interval == "" {
		return errorf(file, line, "empty interval")
	}
	idx, ok := s.index[interval]
	if !ok {
		if len(s.labels) == MaxIntervals {
			return errorf(file, line, "%s", tooManyIntervals)
		}
		idx = len(s.labels)
		s.index[interval] = idx
		s.labels = append(s.labels, interval)
		s.rows = append(s.rows, map[string]int64{})
		s.lines = append(s.lines, map[string]int{})
	}
	if prev, dup := s.lines[idx][name]; dup {
		return errorf(file, line, "duplicate name %q in interval %q (first at line %d)", name, interval, prev)
	}
	s.rows[idx][name] = n
	s.lines[idx][name] = line
	if !s.seen[name] {
		s.seen[name] = true
		s.names = append(s.names, name)
	}
	return nil
}

// isNumber reports whether s parses as a number at all (a header cell does not).
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}
