package progress

import (
	"strings"
	"testing"
	"time"
)

// TestMeterLineWithClock: with an injected clock the bar's rate and time left are exact: 100,000
// requests in the first second are 100k/s with 900,000 left (9s); 200,000 more in the next second
// move the smoothed rate 30% of the way to 200k/s (130k/s), which leaves 700,000 requests for
// about 5.4s, shown rounded up (6s).
func TestMeterLineWithClock(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	m := newMeter(1_000_000, start)
	for _, tc := range []struct {
		done int64
		at   time.Duration
		tail string
	}{
		{100_000, time.Second, "] 100k of 1M requests · 100k/s · 9s left"},
		{300_000, 2 * time.Second, "] 300k of 1M requests · 130k/s · 6s left"},
		{300_000, 2 * time.Second, "] 300k of 1M requests · 130k/s · 6s left"}, // no time passed: the rate holds
	} {
		if got := m.line(tc.done, start.Add(tc.at), 100); !strings.HasSuffix(got, tc.tail) {
			t.Errorf("at %v: %q, want it to end in %q", tc.at, got, tc.tail)
		}
	}
}
