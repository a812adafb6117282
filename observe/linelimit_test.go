package observe

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// zeros is an endless input without a newline, as /dev/zero is.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// An input without newlines (a device, a binary file) is refused after MaxLineBytes in every
// line-oriented format, instead of growing one line without bound.
func TestLineLongerThanTheLimit(t *testing.T) {
	for _, format := range []string{FormatCSV, FormatPrometheus, FormatAccessLog, FormatAccessLogJSON} {
		t.Run(format, func(t *testing.T) {
			_, err := Read(io.LimitReader(zeros{}, 4*MaxLineBytes), "zero", Options{Format: format})
			if !errors.Is(err, ErrLineTooLong) && (err == nil || !strings.Contains(err.Error(), ErrLineTooLong.Error())) {
				t.Fatalf("error %v, want %v", err, ErrLineTooLong)
			}
			if !strings.HasPrefix(err.Error(), "zero") {
				t.Errorf("error %q does not name the input", err)
			}
		})
	}
}

// Lines just under the limit are read.
func TestLineJustUnderTheLimitIsRead(t *testing.T) {
	long := `# ` + strings.Repeat("x", MaxLineBytes-16) + "\nv1,7\nv2,3\n"
	obs, err := Read(strings.NewReader(long), "long.csv", Options{Format: FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs.Names) != 2 {
		t.Errorf("names %v, want v1 and v2", obs.Names)
	}
}
