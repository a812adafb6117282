package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"
)

// chartTag is the opening tag of an inline chart, as inlineSVG writes it: the only <svg the
// page's own markup has (its aria-label is escaped, so it holds no < or >).
var chartTag = regexp.MustCompile(`<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="[0-9. ]*" width="[0-9]+" height="[0-9]+" role="img" aria-label="[^"<>]*">`)

// withoutCharts is the page without the opening tags of its inline charts, to look for markup that
// came from the user's names.
func withoutCharts(page string) string {
	return chartTag.ReplaceAllString(page, "")
}

// inOrder checks that every string of order is on the page, each after the one before it.
func inOrder(t *testing.T, page string, order []string) {
	t.Helper()
	last := -1
	for _, s := range order {
		i := strings.Index(page, s)
		if i < 0 {
			t.Fatalf("page lacks %q", s)
		}
		if i < last {
			t.Errorf("%q comes before the previous section", s)
		}
		last = i
	}
}

// rendered is what write writes, as a string; an error fails the test.
func rendered(t *testing.T, write func(io.Writer) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// roundTrip writes v as JSON, as `-o` saves it, and reads it back.
func roundTrip[T any](t *testing.T, v *T) *T {
	t.Helper()
	var saved bytes.Buffer
	if err := JSON(&saved, v); err != nil {
		t.Fatal(err)
	}
	back := new(T)
	if err := json.Unmarshal(saved.Bytes(), back); err != nil {
		t.Fatal(err)
	}
	return back
}

// readJUnit renders a JUnit file with write and parses it back; it fails the test when the XML is not
// well formed.
func readJUnit(t *testing.T, write func(io.Writer) error) (JUnitSuites, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	var s JUnitSuites
	if err := xml.Unmarshal(buf.Bytes(), &s); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, buf.Bytes())
	}
	return s, buf.Bytes()
}
