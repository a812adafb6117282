package report

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"reflect"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
	"github.com/splitsim/splitsim/result"
)

// loadFixture reads a result fixture (run, verify or plan) from testdata. The fixtures were saved
// with schema_version 1: they are read as Load reads them, in today's keys (upgrade).
func loadFixture[T any](t testing.TB, name string) *T {
	t.Helper()
	b, err := os.ReadFile(golden.Path(name))
	if err != nil {
		t.Fatal(err)
	}
	v := new(T)
	if b, err = upgrade(kindOf(v), b); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// kindOf is the kind of the result that v points to.
func kindOf(v any) result.Kind {
	for _, k := range []result.Kind{result.KindRun, result.KindExplain, result.KindVerify, result.KindPower,
		result.KindPlan, result.KindTest, result.KindLint, result.KindDiff} {
		if reflect.TypeOf(emptyResult(k)) == reflect.TypeOf(v) {
			return k
		}
	}
	return ""
}

// loadRun reads a run result fixture from testdata.
func loadRun(t testing.TB, name string) *result.Run {
	t.Helper()
	return loadFixture[result.Run](t, name)
}

// loadVerify reads a verify result fixture from testdata.
func loadVerify(t testing.TB, name string) *result.Verify {
	t.Helper()
	return loadFixture[result.Verify](t, name)
}

// loadPlan reads a plan result fixture from testdata.
func loadPlan(t testing.TB, name string) *result.Plan {
	t.Helper()
	return loadFixture[result.Plan](t, name)
}

// inkFraction is the share of pixels of a PNG that are not (nearly) white.
func inkFraction(t testing.TB, data []byte) (float64, image.Image) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	b := img.Bounds()
	ink := 0
	eachPixel(img, func(r, g, bl uint8) {
		if r <= 0xf0 || g <= 0xf0 || bl <= 0xf0 {
			ink++
		}
	})
	return float64(ink) / float64(b.Dx()*b.Dy()), img
}
