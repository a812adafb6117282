package safe

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

// Text escapes what would change how a terminal shows a line (a carriage return and an erase-line
// escape turning FAIL into ok, a right-to-left override reversing a name) and keeps the rest.
func TestText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "reviews v1", "reviews v1"},
		{"letters of any script", "réseau 日本 мир", "réseau 日本 мир"},
		{"carriage return and erase line", "x\r\x1b[2Kok  y", `x\r\x1b[2Kok  y`},
		{"newline and tab", "a\nb\tc", `a\nb\tc`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 control", "a\u0085b\u009bc", `a\u0085b\u009bc`},
		{"right-to-left override", "abc\u202edcba", `abc\u202edcba`},
		{"bidirectional isolate", "a\u2066b\u2069", `a\u2066b\u2069`},
		{"zero width joiner", "a\u200db", `a\u200db`},
		{"byte order mark", "\ufeffname", `\ufeffname`},
		{"invalid UTF-8", "a\xffb\xe2\x82", `a\xffb\xe2\x82`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.in); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// Value and Line cut long values and messages, saying how long they were; Line makes one line.
func TestValueAndLine(t *testing.T) {
	long := strings.Repeat("a", 408_000)
	for _, tc := range []struct {
		name, got   string
		max         int
		wantSuffix  string
		wantNoBreak bool
	}{
		{"long value", Value(long), MaxValue + 20, "…(408000 bytes)", true},
		{"long line", Line("x: " + long), MaxLine + 20, "…(408003 bytes)", true},
		{"short value", Value("v1"), 2, "v1", true},
		{"message of several lines", Line("a\nb\r\nc\n"), 20, "a; b; c", true},
		{"value cut inside a character", Value(strings.Repeat("é", 400)), MaxValue + 20, "…(800 bytes)", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.got) > tc.max {
				t.Errorf("%d bytes, want at most %d", len(tc.got), tc.max)
			}
			if !strings.HasSuffix(tc.got, tc.wantSuffix) {
				t.Errorf("%q does not end in %q", tc.got[max(0, len(tc.got)-40):], tc.wantSuffix)
			}
			if strings.ContainsAny(tc.got, "\n\r") || !utf8.ValidString(tc.got) {
				t.Errorf("%q is not one valid line", tc.got)
			}
		})
	}
}

// Writer keeps a text's lines and tabs and escapes everything else, also when a character or an
// escape sequence is split between writes.
func TestWriter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes []string
		want   string
	}{
		{"lines kept", []string{"ok  a\n", "\tb\n"}, "ok  a\n\tb\n"},
		{"escape sequence", []string{"FAIL x\r\x1b[2Kok\n"}, "FAIL x\\r\\x1b[2Kok\n"},
		{"character split between writes", []string{"r\xc3", "\xa9seau\n"}, "réseau\n"},
		{"override split between writes", []string{"a\xe2\x80", "\xaeb\n"}, "a\\u202eb\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			w := NewWriter(&b)
			for _, s := range tc.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if b.String() != tc.want {
				t.Errorf("wrote %q, want %q", b.String(), tc.want)
			}
		})
	}
}

// ReadFile reads regular files up to the limit and refuses, before reading any byte, devices, named
// pipes (which would block), folders and larger files, naming the file and what it is.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte("kind: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	link := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		limit      int64
		want       string // the data, or a part of the error
		tooLarge   bool
	}{
		{"regular file", small, 100, "kind: x\n", false},
		{"at the limit", small, 8, "kind: x\n", false},
		{"over the limit", small, 7, "8 bytes, more than the limit of 7 bytes per input", true},
		{"/dev/zero", "/dev/zero", 1 << 20, "not a regular file (a character device)", false},
		{"a link to /dev/zero", link, 1 << 20, "not a regular file (a character device)", false},
		{"named pipe", fifo, 1 << 20, "not a regular file (a named pipe)", false},
		{"folder", dir, 1 << 20, "not a regular file (a folder)", false},
		{"missing", filepath.Join(dir, "nope"), 1, "no such file", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := ReadFile(tc.path, tc.limit)
			if err == nil {
				if string(data) != tc.want {
					t.Errorf("read %q, want %q", data, tc.want)
				}
				return
			}
			var pe *fs.PathError
			if !errors.As(err, &pe) || pe.Path != tc.path {
				t.Errorf("error %v does not name %s", err, tc.path)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			var tl *TooLargeError
			if errors.As(err, &tl) != tc.tooLarge {
				t.Errorf("error %v: TooLargeError %v, want %v", err, !tc.tooLarge, tc.tooLarge)
			}
		})
	}
}

// ParseBytes reads the sizes --max-input-size takes.
func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{"1048576", 1 << 20, false},
		{"64MiB", 64 << 20, false},
		{"64M", 64 << 20, false},
		{"64mib", 64 << 20, false},
		{"1GiB", 1 << 30, false},
		{"10MB", 10_000_000, false},
		{"512B", 512, false},
		{"0", 0, true},
		{"-1MiB", 0, true},
		{"1.5GiB", 0, true},
		{"lots", 0, true},
		{"99999999999TiB", 0, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseBytes(tc.in)
			if (err != nil) != tc.bad || got != tc.want {
				t.Errorf("ParseBytes(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.bad)
			}
		})
	}
	for _, tc := range []struct {
		n    int64
		want string
	}{{512, "512 bytes"}, {16 << 20, "16 MiB"}, {3 << 29, "1.5 GiB"}} {
		if got := Bytes(tc.n); got != tc.want {
			t.Errorf("Bytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// FuzzText: whatever the input, Text and Line give valid UTF-8 without a character Text escapes, and
// Line gives one line of bounded length.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "ok", "x\r\x1b[2Kok", "\xff\xfe", "a\u202eb", strings.Repeat("é", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Text(s), Value(s), Line(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%q: invalid UTF-8 %q", s, out)
			}
			for i, r := range out {
				if hostile(r, utf8.RuneLen(r)) {
					t.Fatalf("%q: %q keeps %U at %d", s, out, r, i)
				}
			}
		}
		if l := Line(s); len(l) > MaxLine+32 {
			t.Fatalf("Line gives %d bytes", len(l))
		}
		var b bytes.Buffer
		w := NewWriter(&b)
		half := len(s) / 2
		w.Write([]byte(s[:half]))
		w.Write([]byte(s[half:]))
		w.Write([]byte("\n"))
		for _, r := range b.String() {
			if r != '\n' && r != '\t' && hostile(r, utf8.RuneLen(r)) {
				t.Fatalf("%q: Writer keeps %U", s, r)
			}
		}
	})
}
