package progress

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// TestLine: the bar shows the share done, the count in short form (not 4770889728/5000000000),
// the rate in requests per second and the time left, and fits the terminal's width.
func TestLine(t *testing.T) {
	for _, tc := range []struct {
		name        string
		done, total int64
		rate        float64
		known       bool
		width       int
		want        string
	}{
		{"issue 20's run", 4_770_889_728, 5_000_000_000, 412e6, true, 100,
			"simulating  95% [████████████████████████████▋ ] 4.77G of 5G requests · 412M/s · 1s left"},
		{"start, no rate yet", 0, 1_000_000, 0, false, 80,
			"simulating   0% [              ] 0 of 1M requests"},
		{"minutes left", 250_000_000, 1_000_000_000, 2.5e6, true, 100,
			"simulating  25% [███████▌                      ] 250M of 1G requests · 2.5M/s · 5m00s left"},
		{"hours left", 1_000_000, 100_000_000_000, 10e6, true, 100,
			"simulating   0% [                              ] 1M of 100G requests · 10M/s · 2h46m left"},
		{"narrow terminal: the bar shrinks", 500, 1000, 100, true, 76,
			"simulating  50% [█████     ] 500 of 1k requests · 100/s · 5s left"},
		{"very narrow: no bar, cut", 500, 1000, 100, true, 40,
			"simulating  50% 500 of 1k requests · 10"},
		{"done", 1000, 1000, 100, true, 80,
			"simulating 100% [██████████████] 1k of 1k requests · 100/s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Line(tc.done, tc.total, tc.rate, tc.known, tc.width)
			if got != tc.want {
				t.Errorf("Line =\n%q\nwant\n%q", got, tc.want)
			}
			if n := len([]rune(got)); n >= tc.width {
				t.Errorf("%d characters in a terminal of %d", n, tc.width)
			}
		})
	}
}

// TestLineKeepsItsBar: the bar keeps its width while the numbers beside it change length.
func TestLineKeepsItsBar(t *testing.T) {
	end := -1
	for _, done := range []int64{0, 9, 99_999, 1_234_567, 999_999_999} {
		line := Line(done, 1_000_000_000, float64(done)+1, true, 100)
		i := utf8.RuneCountInString(line[:strings.Index(line, "]")])
		if end >= 0 && i != end {
			t.Errorf("the bar ends at %d for %d done, at %d before: %q", i, done, end, line)
		}
		end = i
	}
}

// TestCompactAndLeft: counts in three significant digits, never rounded up past what is done;
// time left in its two largest units.
func TestCompactAndLeft(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1k", 1999: "1.99k", 25_500: "25.5k", 4_770_889_728: "4.77G", 5e9: "5G", 999_999: "999k"} {
		if got := Compact(n); got != want {
			t.Errorf("Compact(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{400 * time.Millisecond: "1s", 59 * time.Second: "59s", 65 * time.Second: "1m05s",
		3 * time.Hour: "3h00m", 7380 * time.Second: "2h03m", 200 * time.Hour: "200h"} {
		if got := Left(d); got != want {
			t.Errorf("Left(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestMeterRate: the rate follows the counts, smoothed, and the bar says what is left.
func TestMeterRate(t *testing.T) {
	start := time.Unix(0, 0)
	m := newMeter(1_000_000, start)
	if r := m.update(100_000, start.Add(time.Second)); r != 100_000 {
		t.Errorf("first rate %v, want 100000/s", r)
	}
	// The work speeds up to 200,000/s: the rate moves towards it without jumping there.
	r := m.update(300_000, start.Add(2*time.Second))
	if r <= 100_000 || r >= 200_000 {
		t.Errorf("rate %v after a speed-up to 200000/s, want between the two", r)
	}
	if line := m.line(300_000, start.Add(2*time.Second), 100); !strings.Contains(line, "300k of 1M requests") || !strings.Contains(line, "/s · ") {
		t.Errorf("line %q", line)
	}
}

// syncBuffer is a bytes.Buffer safe for the bar's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRunDrawsAndClears: the bar is redrawn in place (carriage return, erase to the end of the
// line) and cleared when the work stops; a run shorter than the delay draws nothing; Start writes
// nothing to what is not a terminal.
func TestRunDrawsAndClears(t *testing.T) {
	var done atomic.Int64
	var out syncBuffer
	stop := run(&out, 1000, &done, 80, 0, time.Millisecond, time.Now)
	for i := 0; i < 5; i++ {
		done.Add(100)
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	s := out.String()
	if !strings.HasPrefix(s, "\rsimulating ") || !strings.HasSuffix(s, "\r\x1b[K") || !strings.Contains(s, " of 1k requests") {
		t.Errorf("output %q", s)
	}
	var quiet syncBuffer
	run(&quiet, 1000, &done, 80, time.Hour, time.Millisecond, time.Now)()
	if quiet.String() != "" {
		t.Errorf("a short run drew %q", quiet.String())
	}
	var buf bytes.Buffer
	Start(&buf, 1000, &done)()
	if buf.Len() != 0 {
		t.Errorf("Start wrote %q to a buffer", buf.String())
	}
}
