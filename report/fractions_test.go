package report

import "testing"

// A saved result whose shares, p-values or powers are not fractions from 0 to 1 is refused when it
// is read, in one line naming the file and the field by its JSON path (issue 18: a share of 1e308
// made report draw for ever; refusing it at a chart named the chart, not the field).
func TestLoadRefusesANumberThatIsNoFraction(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"run share", `{"tool": "splitsim", "kind": "run", "schema_version": 3, "hosts": [{"rules": [{"destinations": [{"share": 1e308}]}]}]}`,
			"hosts[0].rules[0].destinations[0].share: 1e308 is not a fraction from 0 to 1"},
		{"look interval", `{"tool": "splitsim", "kind": "verify", "schema_version": 3, "sequential": {"looks": [{"ci_high": [0.5, -2]}]}}`,
			"sequential.looks[0].ci_high[1]: -2 is not a fraction from 0 to 1"},
		{"plan power", `{"tool": "splitsim", "kind": "plan", "schema_version": 3, "steps": [{"power": 7}]}`,
			"steps[0].power: 7 is not a fraction from 0 to 1"},
		{"fractions in range", `{"tool": "splitsim", "kind": "run", "schema_version": 3, "alpha": 0.001, "hosts": [{"rules": [{"destinations": [{"share": 1, "expected_share": 0}]}]}]}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, p, err := loadBody(t, tc.body)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.want != "" && (err == nil || err.Error() != p+": "+tc.want):
				t.Errorf("error %v, want %s: %s", err, p, tc.want)
			}
		})
	}
}
