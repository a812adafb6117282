package observe

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// TestJSONStreams reads JSON inputs a byte at a time and whole, with the same results and errors,
// and a long series whose error is found at the right line although the reader keeps only the last
// elements.
func TestJSONStreams(t *testing.T) {
	var long strings.Builder
	long.WriteString("[\n")
	for i := range 9000 { // under MaxIntervals
		fmt.Fprintf(&long, "  {\"v1\": %d, \"v2\": %d},\n", 70+i%3, 30)
	}
	long.WriteString("  {\"v1\": 1}\n]\n")
	inputs := map[string]string{"long": long.String()}
	for _, f := range []string{"counts.json", "series.json"} {
		b, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = string(b)
	}
	for name, bad := range map[string]string{
		"late syntax error":   withoutComma(long.String(), 8001),
		"late negative count": strings.Replace(long.String(), `"v1": 1}`, `"v1": -1}`, 1),
		"late trailing comma": strings.Replace(long.String(), `"v1": 1}`, `"v1": 1,}`, 1),
		"missing comma":       "[{\"v1\": 1}\n {\"v1\": 2}]",
		"leading comma":       "[,{\"v1\": 1}]",
		"truncated":           long.String()[:len(long.String())/2],
	} {
		inputs[name] = bad
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			whole, werr := Read(strings.NewReader(in), "s.json", Options{Format: FormatJSON})
			bytewise, berr := Read(iotest.OneByteReader(strings.NewReader(in)), "s.json", Options{Format: FormatJSON})
			if fmt.Sprint(werr) != fmt.Sprint(berr) || (werr == nil && !reflect.DeepEqual(whole.Counts, bytewise.Counts)) {
				t.Fatalf("whole: %v %v\nbyte by byte: %v %v", werr, whole, berr, bytewise)
			}
			if name == "long" && (werr != nil || whole.Counts["v1"] != 639001 || len(whole.Series) != 9001) {
				t.Errorf("long series: %v, error %v", whole.Counts, werr)
			}
		})
	}
	for name, want := range map[string]string{
		"late syntax error":   "s.json: line 8003, column 3: invalid JSON: invalid character '{' after array element",
		"late negative count": `s.json: line 9002, column 10: "v1": negative count -1`,
		"late trailing comma": "s.json: line 9002, column 12: invalid JSON: invalid character '}' looking for beginning of object key string",
		"missing comma":       "s.json: line 2, column 2: invalid JSON: invalid character '{' after array element",
		"leading comma":       "s.json: line 1, column 2: invalid JSON: invalid character ',' looking for beginning of value",
	} {
		if _, err := Read(strings.NewReader(inputs[name]), "s.json", Options{Format: FormatJSON}); err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %s", name, err, want)
		}
	}
}

// withoutComma removes the comma at the end of line i (0-based) of s.
func withoutComma(s string, i int) string {
	lines := strings.Split(s, "\n")
	lines[i] = strings.TrimSuffix(lines[i], ",")
	return strings.Join(lines, "\n")
}
