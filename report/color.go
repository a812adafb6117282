package report

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"sync/atomic"

	"golang.org/x/term"
)

// Color modes, as --color takes them (git, ls and grep name them so).
const (
	ColorAuto   = "auto"   // color when the output is a terminal and NO_COLOR is not set
	ColorAlways = "always" // color even on pipes and files, and despite NO_COLOR
	ColorNever  = "never"
)

var colorMode atomic.Value // string

func init() { colorMode.Store(ColorAuto) }

// SetColor sets when the text renderers color their output: auto (the default), always or never.
func SetColor(mode string) error {
	switch mode {
	case ColorAuto, ColorAlways, ColorNever:
		colorMode.Store(mode)
		return nil
	}
	return fmt.Errorf("--color must be auto, always or never, got %q", mode)
}

// colorOn decides whether output to w is colored: per the mode; in auto mode when w is a terminal,
// NO_COLOR is unset or empty (no-color.org) and TERM is not "dumb".
func colorOn(w io.Writer, mode string, getenv func(string) string, isTerminal func(io.Writer) bool) bool {
	switch mode {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb" && isTerminal(w)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// ANSI SGR sequences.
const (
	sgrReset  = "\x1b[0m"
	sgrFail   = "\x1b[1;31m" // bold red
	sgrPass   = "\x1b[1;32m" // bold green
	sgrOK     = "\x1b[32m"   // green
	sgrWarn   = "\x1b[33m"   // yellow
	sgrError  = "\x1b[31m"   // red
	sgrMuted2 = "\x1b[2m"    // dim
)

// colorRules color the words of the text reports that carry a verdict: FAIL and PASS, the ok of
// splitsim test, warnings, problems, and lint's levels.
var colorRules = []struct {
	re  *regexp.Regexp
	sgr string
}{
	{regexp.MustCompile(`\bFAIL\b`), sgrFail},
	{regexp.MustCompile(`\bPASS\b`), sgrPass},
	{regexp.MustCompile(`(?m)^\s*ok\b`), sgrOK},
	{regexp.MustCompile(`\b(warning|problem|note):`), ""},
	{regexp.MustCompile(`\b(Error|Warning|Info) \[`), ""},
}

// colorize colors one chunk of text output.
func colorize(b []byte) []byte {
	for _, r := range colorRules {
		b = r.re.ReplaceAllFunc(b, func(m []byte) []byte {
			sgr := r.sgr
			switch {
			case sgr != "":
			case m[0] == 'w' || m[0] == 'W':
				sgr = sgrWarn
			case m[0] == 'p' || m[0] == 'E':
				sgr = sgrError
			default:
				sgr = sgrMuted2
			}
			// Leading spaces (the indentation of ok) stay uncolored.
			i := 0
			for i < len(m) && (m[i] == ' ' || m[i] == '\t' || m[i] == '\n') {
				i++
			}
			end := len(m)
			if m[end-1] == '[' || m[end-1] == ':' {
				end--
			}
			for end > i && m[end-1] == ' ' {
				end--
			}
			out := append([]byte{}, m[:i]...)
			out = append(out, sgr...)
			out = append(out, m[i:end]...)
			out = append(out, sgrReset...)
			return append(out, m[end:]...)
		})
	}
	return b
}

// colorWriter colors what is written through it, chunk by chunk: the text renderers write whole
// words at once (lines, or tabwriter's cells), and the colors go around words, after alignment.
type colorWriter struct{ w io.Writer }

func (c colorWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(colorize(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Colored is w, coloring PASS, FAIL, ok, warnings and problems when color is on for it (see
// SetColor: by default on a terminal without NO_COLOR).
func Colored(w io.Writer) io.Writer {
	if _, ok := w.(colorWriter); ok {
		return w
	}
	if !colorOn(w, colorMode.Load().(string), os.Getenv, isTerminal) {
		return w
	}
	return colorWriter{w}
}
