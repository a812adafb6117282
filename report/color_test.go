package report

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// TestColorOn: color follows --color, and in auto mode goes to terminals only, off with NO_COLOR
// (no-color.org: any non-empty value) or TERM=dumb; --color always overrides NO_COLOR, as a
// command-line flag should.
func TestColorOn(t *testing.T) {
	for _, tc := range []struct {
		name            string
		mode            string
		noColor, termV  string
		terminal, color bool
	}{
		{"auto on a terminal", ColorAuto, "", "xterm-256color", true, true},
		{"auto on a pipe", ColorAuto, "", "xterm-256color", false, false},
		{"auto with NO_COLOR", ColorAuto, "1", "xterm-256color", true, false},
		{"auto with an empty NO_COLOR", ColorAuto, "", "xterm", true, true},
		{"auto on a dumb terminal", ColorAuto, "", "dumb", true, false},
		{"always, on a pipe and with NO_COLOR", ColorAlways, "1", "dumb", false, true},
		{"never on a terminal", ColorNever, "", "xterm", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"NO_COLOR": tc.noColor, "TERM": tc.termV}
			got := colorOn(io.Discard, tc.mode, func(k string) string { return env[k] }, func(io.Writer) bool { return tc.terminal })
			if got != tc.color {
				t.Errorf("color %v, want %v", got, tc.color)
			}
		})
	}
	if err := SetColor("sometimes"); err == nil {
		t.Error("SetColor accepts sometimes")
	}
	// Pipes and files get no color by default: the text stays what scripts and goldens read.
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := Colored(f).(colorWriter); ok {
		t.Error("a file gets colors")
	}
}

// TestColoredText: with color on, FAIL is bold red, PASS bold green, ok green, warnings yellow
// and problems and lint errors red; alignment is kept (colors go around words after tabwriter's
// padding) and the text without its escape codes is the uncolored text.
func TestColoredText(t *testing.T) {
	t.Cleanup(func() { SetColor(ColorAuto) })
	r := loadRun(t, "failing.json")
	var plain bytes.Buffer
	if err := RunText(&plain, r); err != nil {
		t.Fatal(err)
	}
	if err := SetColor(ColorAlways); err != nil {
		t.Fatal(err)
	}
	var colored bytes.Buffer
	if err := For(r).Text(&colored); err != nil {
		t.Fatal(err)
	}
	out := colored.String()
	for _, want := range []string{"verdict: \x1b[1;31mFAIL\x1b[0m", "\x1b[33mwarning\x1b[0m: ", ": \x1b[1;31mFAIL\x1b[0m\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("colored text lacks %q:\n%s", want, out)
		}
	}
	if stripped := stripSGR(out); stripped != plain.String() {
		t.Errorf("the colored text differs from the plain text beyond its colors:\n%s\nwant\n%s", stripped, plain.String())
	}
	var line bytes.Buffer
	for _, o := range loadFixture[result.TestRun](t, "test-failing.json").Scenarios {
		ScenarioLine(&line, o, 24, false)
	}
	for _, want := range []string{"\x1b[32mok\x1b[0m    bookinfo-80-20", "\x1b[1;31mFAIL\x1b[0m  argo-rollout-20rps", "    \x1b[1;31mFAIL\x1b[0m plan: every step"} {
		if !strings.Contains(line.String(), want) {
			t.Errorf("splitsim test's lines lack %q:\n%s", want, line.String())
		}
	}
	var lint bytes.Buffer
	For(loadFixture[result.Lint](t, "lint-missing-subset.json")).Text(&lint)
	if !strings.Contains(lint.String(), "\x1b[31mError\x1b[0m [IST0101]") {
		t.Errorf("lint's errors are not red:\n%s", lint.String())
	}
	SetColor(ColorNever)
	var never bytes.Buffer
	For(r).Text(&never)
	if strings.Contains(never.String(), "\x1b[") {
		t.Error("--color never colors")
	}
}

func stripSGR(s string) string {
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], 'm')
		s = s[:i] + s[i+j+1:]
	}
}
