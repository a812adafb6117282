// Package safe holds the module's guards against hostile input that are not about any one format:
// text made safe to print on a terminal (control characters escaped, long values cut with their
// length), and reads bounded in kind and size (only regular files, at most a limit of bytes).
package safe

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxValue is the length in bytes past which Value cuts a value; MaxLine the length past which
// Line cuts a message.
const (
	MaxValue = 256
	MaxLine  = 4096
)

// Text returns s with every character that could change how a terminal shows the text escaped as
// Go escapes it (\r, \x1b, \u202e): C0 controls (newline and tab included), DEL, C1 controls, the
// Unicode characters that reorder or hide text (bidirectional overrides and isolates, marks, zero
// width joiners, the BOM, line and paragraph separators), and invalid UTF-8. Other characters,
// letters of any script included, are kept.
func Text(s string) string {
	return escape(s, false)
}

// Value is Text cut to about MaxValue bytes: a long value ends in "…(N bytes)", N being its length
// before escaping.
func Value(s string) string {
	return Truncate(Text(s), MaxValue, len(s))
}

// Line makes a message one safe line: each of its lines escaped as Text escapes, the lines joined
// with "; ", and the whole cut to MaxLine bytes with its length.
func Line(msg string) string {
	lines := strings.Split(strings.TrimRight(msg, "\n"), "\n")
	for i, l := range lines {
		lines[i] = Text(strings.TrimSuffix(l, "\r"))
	}
	return Truncate(strings.Join(lines, "; "), MaxLine, len(msg))
}

// Truncate cuts s (already escaped) to at most max bytes, at a character boundary, and appends
// "…(N bytes)" when it cut; n is the length to report (the value's length before escaping).
func Truncate(s string, max, n int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…(%d bytes)", s[:cut], n)
}

// escape escapes s as Text describes; keepLines keeps newlines and tabs (for whole texts whose line
// structure is the program's own).
func escape(s string, keepLines bool) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if hostile(r, size) && !(keepLines && (r == '\n' || r == '\t')) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !hostile(r, size):
			b.WriteString(s[i : i+size])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// hostile says whether a character is escaped (see Text); size is its length in s, 1 with
// utf8.RuneError for a byte that is not UTF-8.
func hostile(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r == 0x061c, r == 0x180e, // Arabic letter mark, Mongolian vowel separator
		r >= 0x200b && r <= 0x200f, // zero width space, joiners, LRM, RLM
		r >= 0x2028 && r <= 0x202e, // line and paragraph separators, bidirectional embeddings and overrides
		r >= 0x2060 && r <= 0x2069, // word joiner, invisible operators, bidirectional isolates
		r == 0xfeff,                // zero width no-break space (BOM)
		r >= 0xfff9 && r <= 0xfffb: // interlinear annotation
		return true
	}
	return false
}

// Writer escapes what is written through it as Text does, but keeps newlines and tabs: for a whole
// text whose lines are the program's own and whose values came from the inputs.
type Writer struct {
	w   io.Writer
	buf []byte // an incomplete UTF-8 sequence held until the next Write
}

// NewWriter returns w wrapped in a Writer (w itself when it is one).
func NewWriter(w io.Writer) io.Writer {
	if sw, ok := w.(*Writer); ok {
		return sw
	}
	return &Writer{w: w}
}

// Write escapes p and writes it; it reports len(p) written when the escaped text was written.
func (sw *Writer) Write(p []byte) (int, error) {
	data := p
	if len(sw.buf) > 0 {
		data = append(sw.buf, p...)
		sw.buf = nil
	}
	// Hold back an incomplete UTF-8 sequence at the end, for the next Write to complete.
	if k := incompleteTail(data); k > 0 {
		sw.buf = append([]byte(nil), data[len(data)-k:]...)
		data = data[:len(data)-k]
	}
	if _, err := io.WriteString(sw.w, escape(string(data), true)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// incompleteTail returns the length of an incomplete (but so far valid) UTF-8 sequence at the end of
// p: up to 3 bytes.
func incompleteTail(p []byte) int {
	for k := 1; k <= 3 && k <= len(p); k++ {
		c := p[len(p)-k]
		if c < 0x80 {
			return 0
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(p[len(p)-k:]) {
				return k
			}
			return 0
		}
	}
	return 0
}
