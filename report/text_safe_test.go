package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// A scenario whose name holds a carriage return and an erase-line escape cannot make its FAIL line
// show as "ok" on a terminal, nor a newline start a line of its own: splitsim test prints the name
// escaped (issue 18).
func TestScenarioLineEscapesNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    result.ScenarioOutcome
		want string
	}{
		{"carriage return and erase line", result.ScenarioOutcome{Name: "x\r\x1b[2Kok  fine", File: "a.yaml"},
			`FAIL  x\r\x1b[2Kok  fine  0.00s  a.yaml`},
		{"newline in the name", result.ScenarioOutcome{Name: "x\nok  fine", File: "a.yaml"},
			`FAIL  x\nok  fine  0.00s  a.yaml`},
		{"input error with control characters", result.ScenarioOutcome{Name: "x", File: "a\x1b.yaml", Error: "a.yaml:3: bad\x07\nsecond"},
			`FAIL  x  0.00s  a\x1b.yaml: input error`},
		{"failed check named with an escape", result.ScenarioOutcome{Name: "x", File: "a.yaml", Checks: []result.Check{{Name: "share\x1b[1A", Expected: "1\r", Observed: "2"}}},
			`    FAIL share\x1b[1A`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			ScenarioLine(&b, &tc.o, 0, false)
			out := b.String()
			if strings.ContainsAny(out, "\r\x1b\x07") {
				t.Errorf("output holds control characters: %q", out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("output %q lacks %q", out, tc.want)
			}
			for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if strings.HasPrefix(l, "ok") {
					t.Errorf("a line reads ok: %q", l)
				}
			}
		})
	}
}
