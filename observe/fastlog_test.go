package observe

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// checkFastPath checks that a line the fast path accepts reads the same with the full parser.
func checkFastPath(t *testing.T, line []byte, jsonLines bool) {
	fast, parse := fastTextLogLine, parseTextLogLine
	if jsonLines {
		fast, parse = fastJSONLogLine, parseJSONLogLine
	}
	cluster, flags, code, ok := fast(stampless(line))
	if !ok {
		return
	}
	text, _ := cutKubectlTimestamp(strings.TrimSpace(string(line)))
	if text == "" {
		t.Fatalf("fast path accepts the blank line %q", line)
	}
	e, ok, err := parse(text)
	if err != nil || !ok {
		t.Fatalf("fast path accepts %q, the full parser does not (ok %v, error %v)", line, ok, err)
	}
	if e.cluster != string(cluster) || e.code != code || e.flags != string(flags) {
		t.Fatalf("%q: fast path reads %q %d %q, the full parser %q %d %q", line, cluster, code, flags, e.cluster, e.code, e.flags)
	}
	if !jsonLines {
		var f textFields
		f.read(stampless(line))
		for _, name := range textLogFields {
			if got, want := f.get(name), e.get(name); got != want {
				t.Fatalf("%q: fast path's %s is %q, the full parser's %q", line, name, got, want)
			}
		}
	}
}

// TestAccessLogFastPath reads every line of the test logs, and variants of them, with both paths.
// The fast path must take the ordinary lines (or the benchmarks measure the slow one).
func TestAccessLogFastPath(t *testing.T) {
	for file, jsonLines := range map[string]bool{"access.log": false, "access.json.log": true} {
		b, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		taken := 0
		for _, line := range bytes.Split(b, []byte("\n")) {
			checkFastPath(t, line, jsonLines)
			fast := fastTextLogLine
			if jsonLines {
				fast = fastJSONLogLine
			}
			if _, _, _, ok := fast(line); ok {
				taken++
			}
			for _, v := range [][]byte{append(line, '\r'), append(line, ' '), append([]byte(" "), line...),
				bytes.ReplaceAll(line, []byte(" "), []byte("\t")), bytes.Replace(line, []byte(`"`), nil, 1),
				bytes.Replace(line, []byte(" 200 "), []byte(" 2000 "), 1), bytes.Replace(line, []byte(":200"), []byte(":\"20\""), 1),
				append([]byte("2024-05-01T10:00:00.123456789Z "), line...), append([]byte("2024-05-01T10:00:00Z  "), line...),
				append([]byte("2024-13-01T10:00:00Z "), line...)} {
				checkFastPath(t, v, jsonLines)
			}
		}
		if taken != 400 {
			t.Errorf("%s: the fast path took %d of the 400 entries", file, taken)
		}
	}
}

// FuzzAccessLogFastPath checks the fast paths against the full parsers on any line.
func FuzzAccessLogFastPath(f *testing.F) {
	for _, file := range []string{"access.log", "access.json.log"} {
		b, err := os.ReadFile("testdata/" + file)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range bytes.Split(b, []byte("\n"))[:12] {
			f.Add(line)
		}
	}
	f.Add([]byte(`{"upstream_cluster":"a","upstream_cluster":null,"response_code":"-","x":[1,{"y":-0.5e+3}]}`))
	f.Add([]byte(`2024-05-01T10:00:00.5Z {"upstream_cluster":"a"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		if bytes.IndexByte(line, '\n') >= 0 {
			return
		}
		checkFastPath(t, line, false)
		checkFastPath(t, line, true)
	})
}
