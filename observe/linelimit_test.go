package observe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/splitsim/splitsim/internal/safe"
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

// endless repeats one byte for ever: a string, a number or white space that never ends.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

// JSON observations are not line-oriented, but one object of counts (or one element of a series)
// is bounded the same way: a name, a number or white space that never ends is refused after a few
// times MaxLineBytes, naming the input and where, instead of growing without bound (issue 18:
// `{"v1` followed by /dev/zero's bytes made as 'a' took 2.9 GB in 5 s).
func TestJSONValueLongerThanTheLimit(t *testing.T) {
	for name, in := range map[string]io.Reader{
		"a name that never ends":           io.MultiReader(strings.NewReader(`{"v1`), endless('a')),
		"a number that never ends":         io.MultiReader(strings.NewReader(`{"v1": 5, "v2": 1`), endless('0')),
		"white space that never ends":      io.MultiReader(strings.NewReader(`{"v1": 5, "v2": 3`), endless(' ')),
		"a series element that never ends": io.MultiReader(strings.NewReader(`[{"v1": 1}, {"v2": "`), endless('a')),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read(in, "endless.json", Options{Format: FormatJSON})
			if err == nil || !strings.Contains(err.Error(), ErrJSONValueTooLong.Error()) || !strings.HasPrefix(err.Error(), "endless.json:") {
				t.Fatalf("error %v, want %v naming the input", err, ErrJSONValueTooLong)
			}
		})
	}
}

// A long series of small elements is not a long value: the window is released element by element.
// (Each element names a third destination with a long name, so that fewer than MaxIntervals of them
// pass twice the window.)
func TestLongJSONSeriesOfSmallElementsIsRead(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	pad := strings.Repeat("x", 4096)
	for i := 0; b.Len() < 2*MaxLineBytes+MaxLineBytes/4; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"v1": 7, "v2": 3, "` + pad + `": 0}`)
	}
	b.WriteString("]")
	obs, err := Read(strings.NewReader(b.String()), "series.json", Options{Format: FormatJSON})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs.Names) != 3 || obs.Counts["v1"] == 0 || len(obs.Series) >= MaxIntervals {
		t.Errorf("read %v", obs.Counts)
	}
}

// An answer of Prometheus's HTTP API is decoded whole, so it is bounded as a YAML or JSON input is:
// past the size limit per input (--max-input-size) it is refused, saved to a file or straight from
// a server, instead of growing without bound (issue 18: a server whose answer never ended took
// 8.4 GB in 30 s, a saved answer on standard input 2.5 GB in 5 s).
func TestPrometheusAPIAnswerLongerThanTheLimit(t *testing.T) {
	safe.SetMaxInput(1 << 20)
	t.Cleanup(func() { safe.SetMaxInput(0) })
	const head = `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"`
	want := "more than the limit of 1 MiB per input (raise it with --max-input-size)"

	_, err := Read(io.MultiReader(strings.NewReader(head), endless('a')), "answer.json", Options{Format: FormatPrometheusAPI})
	if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "answer.json:") {
		t.Errorf("saved answer: error %v, want %q naming the input", err, want)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, head)
		io.Copy(w, io.LimitReader(endless('a'), 64<<20)) // ends when the client stops reading
	}))
	defer srv.Close()
	end := time.Now()
	_, err = ReadServer(context.Background(), Server{URL: srv.URL, Start: end.Add(-10 * time.Minute), End: end}, Options{})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("server answer: error %v, want %q", err, want)
	}

	// An answer within the limit is read.
	obs, err := Read(strings.NewReader(`{"status":"success","data":{"resultType":"vector","result":[`+
		`{"metric":{"__name__":"istio_requests_total","destination_version":"v1"},"value":[1,"7"]},`+
		`{"metric":{"__name__":"istio_requests_total","destination_version":"v2"},"value":[1,"3"]}]}}`), "small.json", Options{Format: FormatPrometheusAPI})
	if err != nil || obs.Counts["v1"] != 7 || obs.Counts["v2"] != 3 {
		t.Errorf("small answer: %v, error %v", obs, err)
	}
}

// A series is kept in memory one row per interval, so it may have at most MaxIntervals of them:
// the interval past that is refused with its line, in CSV and JSON, and MaxIntervals are read.
func TestSeriesIntervalsAreBounded(t *testing.T) {
	series := func(format string, n int) string {
		var b strings.Builder
		if format == FormatCSV {
			b.WriteString("interval,name,count\n")
			for i := range n {
				fmt.Fprintf(&b, "t%d,v1,7\nt%d,v2,3\n", i, i)
			}
			return b.String()
		}
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(`{"v1": 7, "v2": 3}`)
		}
		return b.String() + "]"
	}
	for _, tc := range []struct {
		format, wantLine string
	}{
		{FormatCSV, "series.csv: line 20002: "},
		{FormatJSON, "series.csv: line 10001, column 1: "},
	} {
		t.Run(tc.format, func(t *testing.T) {
			obs, err := Read(strings.NewReader(series(tc.format, MaxIntervals)), "series.csv", Options{Format: tc.format})
			if err != nil || len(obs.Series) != MaxIntervals {
				t.Fatalf("%d intervals: error %v", MaxIntervals, err)
			}
			_, err = Read(strings.NewReader(series(tc.format, MaxIntervals+1)), "series.csv", Options{Format: tc.format})
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantLine) || !strings.Contains(err.Error(), "more than 10000 intervals") {
				t.Errorf("%d intervals: error %v, want one at %s", MaxIntervals+1, err, tc.wantLine)
			}
		})
	}
}
