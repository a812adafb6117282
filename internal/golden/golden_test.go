package golden

import (
	"strings"
	"testing"
)

func TestDiffNamesTheChangedLine(t *testing.T) {
	d := Diff("a\nb\nc\n", "a\nB\nc\n")
	var removed, added bool
	for _, l := range strings.Split(d, "\n") {
		l = strings.TrimSpace(l)
		removed = removed || strings.HasPrefix(l, "-") && strings.Contains(l, `"b"`)
		added = added || strings.HasPrefix(l, "+") && strings.Contains(l, `"B"`)
	}
	if !removed || !added {
		t.Errorf("diff does not show b replaced by B:\n%s", d)
	}
	if Diff("same", "same") != "" {
		t.Error("equal inputs give a diff")
	}
}

func TestDiffCutsLongLines(t *testing.T) {
	long := strings.Repeat("x", 10000)
	if d := Diff(long, long+"y"); len(d) > 1000 {
		t.Errorf("diff of two long lines is %d bytes", len(d))
	}
}
