package sim

import (
	"math"
	"strings"
	"testing"
	"time"
)

// Request counts are bounded at input: a group of more than MaxRequests, or groups of more than
// MaxTotalRequests in all (summed with overflow checks), are errors before any draw; at the limit a
// run is as quick as at 10^3 and its counts add up. (-n 9223372036854775807 used to loop forever,
// its checkpoints overflowing.)
func TestRequestCountBounds(t *testing.T) {
	tbl := splitTable(70, 30)
	many := make([]Group, 4700)
	for i := range many {
		many[i] = oneClass("reviews", MaxRequests)[0]
	}
	for _, tc := range []struct {
		name   string
		groups []Group
		want   string // "" for no error
	}{
		{"at the limit", oneClass("reviews", MaxRequests), ""},
		{"above the limit", oneClass("reviews", MaxRequests+1), "requests; the simulator takes 0 to 1000000000000000 per group"},
		{"math.MaxInt64", oneClass("reviews", math.MaxInt64), "requests; the simulator takes 0 to 1000000000000000 per group"},
		{"negative", oneClass("reviews", -1), "the simulator takes 0 to"},
		{"too many in all", many, "4700 groups of traffic make more than 4611686018427387904 requests in all"},
		{"per request, above its limit", oneClass("reviews", MaxPerRequest+1), "the per-request method draws at most 1000000000 per group"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			method := Auto
			if strings.HasPrefix(tc.name, "per request") {
				method = PerRequest
			}
			res, err := Run(tbl, tc.groups, Options{Seed: 1, Series: true, Method: method})
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := res.Groups[0].Classes[0]
			if c.Requests != MaxRequests || c.Counts[0]+c.Counts[1] != MaxRequests {
				t.Errorf("requests %d, counts %v", c.Requests, c.Counts)
			}
		})
	}
}

// The checkpoints of any count end at it, increase, and never overflow.
func TestCheckpointsNeverOverflow(t *testing.T) {
	for _, n := range []int64{1, BlockSize, MaxRequests, math.MaxInt64 / 2, math.MaxInt64} {
		cps := checkpoints(n)
		if len(cps) == 0 || cps[len(cps)-1] != n || len(cps) > 80 {
			t.Fatalf("n=%d: %d checkpoints ending at %v", n, len(cps), cps[len(cps)-1])
		}
		for i := 1; i < len(cps); i++ {
			if cps[i] <= cps[i-1] {
				t.Fatalf("n=%d: checkpoints %d then %d", n, cps[i-1], cps[i])
			}
		}
	}
}
