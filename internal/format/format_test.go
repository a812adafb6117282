package format

import (
	"math"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Count(0), "0"}, {Count(999), "999"}, {Count(1000), "1,000"}, {Count(1234567), "1,234,567"}, {Count(-1234), "-1,234"},
		{Percent(0.8, 3), "80.000%"}, {Percent(0.79981, 2), "79.98%"},
		{PValue(0.16754, -0.776), "0.1675"}, {PValue(0, -315.2387597), "10^-315.24"}, {PValue(0, math.Inf(-1)), "0 (definite violation)"},
		{PValue(0, -math.MaxFloat64), "0 (definite violation)"},
		{Duration(10 * time.Minute), "10m"}, {Duration(time.Hour), "1h"}, {Duration(10047 * time.Second), "2h47m27s"},
		{Duration(1500 * time.Millisecond), "2s"}, {Duration(90 * time.Second), "1m30s"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
