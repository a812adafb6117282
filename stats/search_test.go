package stats

import "testing"

func TestSmallestReaching(t *testing.T) {
	step := func(at int64) func(int64) float64 {
		return func(n int64) float64 {
			if n >= at {
				return 1
			}
			return 0
		}
	}
	for _, tc := range []struct {
		at, start, limit int64
		want             int64
		ok               bool
	}{
		{1, 1, 100, 1, true}, {37, 1, 100, 37, true}, {37, 50, 100, 37, true}, {37, 0, 100, 37, true},
		{1000, 1, 100, 0, false}, {1 << 40, 3, 1 << 62, 1 << 40, true},
	} {
		got, ok := SmallestReaching(step(tc.at), 0.5, tc.start, tc.limit)
		if got != tc.want || ok != tc.ok {
			t.Errorf("step at %d from %d: got %d %v, want %d %v", tc.at, tc.start, got, ok, tc.want, tc.ok)
		}
	}
}
