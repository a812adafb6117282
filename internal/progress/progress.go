// Package progress shows a progress bar on a terminal while long work advances, and nothing on pipes,
// files or CI logs. The bar says how far the work is, how fast it goes (requests per second) and
// how long it has left:
//
//	simulating  47% [█████████▌          ] 2.35G of 5G requests · 412M/s · 6s left
package progress

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// progressDelay is how long a run goes before a progress bar appears: short runs show none.
const progressDelay = time.Second

// tick is how often the bar is redrawn.
const tick = 200 * time.Millisecond

// Start shows a progress bar on w while done advances towards total, once the work has
// taken longer than progressDelay, and only when w is a terminal. The returned function stops it
// and clears the bar; nothing is written to pipes, files or CI logs.
func Start(w io.Writer, total int64, done *atomic.Int64) (stop func()) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total <= 0 {
		return func() {}
	}
	width := 80
	if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
		width = cols
	}
	return run(f, total, done, width, progressDelay, tick, time.Now)
}

// run draws the bar on w every every, after delay, until stopped; now is the clock.
func run(w io.Writer, total int64, done *atomic.Int64, width int, delay, every time.Duration, now func() time.Time) (stop func()) {
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	// The rate counts from the start of the work, not from when the bar appears.
	m := newMeter(total, now())
	go func() {
		defer wg.Done()
		select {
		case <-quit:
			return
		case <-time.After(delay):
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			io.WriteString(w, "\r"+m.line(done.Load(), now(), width)+"\x1b[K")
			select {
			case <-quit:
				io.WriteString(w, "\r\x1b[K") // clear the bar: the result follows on a clean line
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(quit)
		wg.Wait()
	}
}

// meter turns counts at instants into a rate and the time left. The rate is the average since the
// bar appeared, smoothed towards the recent rate, so that it neither jumps with every redraw nor
// lags behind a run that speeds up.
type meter struct {
	total     int64
	start     time.Time
	lastDone  int64
	lastAt    time.Time
	rate      float64 // requests per second
	haveRate  bool
	smoothing float64
}

func newMeter(total int64, start time.Time) *meter {
	return &meter{total: total, start: start, lastAt: start, smoothing: 0.3}
}

// update takes the count done at now and returns the rate.
func (m *meter) update(done int64, now time.Time) float64 {
	dt := now.Sub(m.lastAt).Seconds()
	if dt > 0 && done >= m.lastDone {
		recent := float64(done-m.lastDone) / dt
		if !m.haveRate {
			m.rate, m.haveRate = recent, true
		} else {
			m.rate += m.smoothing * (recent - m.rate)
		}
		m.lastDone, m.lastAt = done, now
	}
	return m.rate
}

// line is the bar at count done and instant now, at most width characters wide.
func (m *meter) line(done int64, now time.Time, width int) string {
	rate := m.update(done, now)
	return Line(done, m.total, rate, m.haveRate, width)
}

// Line draws the bar: the share done, a bar, the count of total, the rate (when known) and the
// time left, cut to width (the bar shrinks first).
func Line(done, total int64, rate float64, known bool, width int) string {
	frac := 0.0
	if total > 0 {
		frac = math.Min(1, math.Max(0, float64(done)/float64(total)))
	}
	head := fmt.Sprintf("simulating %3d%% ", int(math.Floor(100*frac)))
	tail := " " + Compact(done) + " of " + Compact(total) + " requests"
	if known && rate > 0 {
		tail += " · " + Compact(int64(math.Round(rate))) + "/s"
		if left := float64(total-done) / rate; done < total {
			tail += " · " + Left(time.Duration(left*float64(time.Second))) + " left"
		}
	}
	// The bar keeps its width as the numbers change: it leaves room for the longest tail.
	longest := len([]rune(" 999.9k of " + Compact(total) + " requests · 999.9M/s · 99h59m left"))
	barWidth := min(30, width-len([]rune(head))-longest-3)
	if barWidth < 5 {
		return cut(head+strings.TrimSpace(tail), width-1)
	}
	return head + "[" + bar(frac, barWidth) + "]" + tail
}

// bar draws a share of width cells with block characters, to an eighth of a cell.
func bar(frac float64, width int) string {
	eighths := int(math.Round(frac * float64(width) * 8))
	full, part := eighths/8, eighths%8
	s := strings.Repeat("█", full)
	if part > 0 && full < width {
		s += string([]rune("▏▎▍▌▋▊▉")[part-1])
		full++
	}
	return s + strings.Repeat(" ", width-full)
}

func cut(s string, width int) string {
	r := []rune(s)
	if width < 1 {
		return ""
	}
	if len(r) > width {
		return string(r[:width])
	}
	return s
}

// Compact writes a count with three significant digits and a k, M or G suffix: 4770889728 is
// "4.77G", 5000000000 is "5G", 950 is "950".
func Compact(n int64) string {
	v := float64(n)
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.div {
			x := v / u.div
			decimals := 0
			if x < 10 {
				decimals = 2
			} else if x < 100 {
				decimals = 1
			}
			s := strconv.FormatFloat(math.Floor(x*math.Pow(10, float64(decimals)))/math.Pow(10, float64(decimals)), 'f', decimals, 64)
			if strings.Contains(s, ".") {
				s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
			}
			return s + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// Left writes a time left to the second, in its two largest units: "6s", "1m05s", "2h03m".
func Left(d time.Duration) string {
	s := int64(math.Ceil(d.Seconds()))
	switch {
	case s < 60:
		return strconv.FormatInt(s, 10) + "s"
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 100*3600:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	}
	return fmt.Sprintf("%dh", s/3600)
}
