package report

import (
	"bytes"
	"encoding/json"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/splitsim/splitsim/internal/golden"
	"github.com/splitsim/splitsim/result"
)

func chartNames(cs []*Chart) []string {
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	return names
}

func TestRunChartsOnePerRuleAndKind(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		want    []string
	}{
		// Every run with a split ends with the deviations chart of every split.
		{"bookinfo-80-20.json", []string{"reviews_rule-0_shares", "reviews_rule-0_convergence", "run_deviations"}},
		// The jason rule has one destination: a shares chart, no test, no convergence chart.
		{"header-jason.json", []string{"reviews_rule-0-jason_shares", "reviews_rule-1-default_shares", "reviews_rule-1-default_convergence", "run_deviations"}},
		// The redirect rule has no destinations and no chart.
		{"failing.json", []string{"reviews_rule-0_shares", "reviews_rule-0_convergence",
			"checkout.shop.svc.cluster.local_rule-1-beta-testers_shares",
			"checkout.shop.svc.cluster.local_rule-2-split_shares", "checkout.shop.svc.cluster.local_rule-2-split_convergence", "run_deviations"}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			r := loadRun(t, tc.fixture)
			cs, err := RunCharts(r)
			if err != nil {
				t.Fatalf("%s: %v", tc.fixture, err)
			}
			if got := strings.Join(chartNames(cs), " "); got != strings.Join(tc.want, " ") {
				t.Errorf("%s: charts\n%s\nwant\n%s", tc.fixture, got, strings.Join(tc.want, " "))
			}
			for _, c := range cs {
				if c.Kind == KindDeviations {
					if c.HostIndex != -1 || c.RuleIndex != -1 || c.Alt == "" {
						t.Errorf("%s: the deviations chart is placed at host %d rule %d, alt %q; want -1, -1 and an alt text", tc.fixture, c.HostIndex, c.RuleIndex, c.Alt)
					}
					continue
				}
				h := r.Hosts[c.HostIndex]
				if c.Host != h.Host || c.Rule != h.Rules[c.RuleIndex].Rule {
					t.Errorf("%s: chart %s placed at host %d rule %d (%s %s)", tc.fixture, c.Name, c.HostIndex, c.RuleIndex, h.Host, h.Rules[c.RuleIndex].Rule)
				}
				if c.Title == "" || c.Alt == "" {
					t.Errorf("%s: chart %s has no title or alt text", tc.fixture, c.Name)
				}
			}
		})
	}
}

func TestChartNameSanitised(t *testing.T) {
	for _, tc := range []struct {
		host, name string
		index      int
		want       string
	}{
		{"reviews", "", 0, "reviews_rule-0_shares"},
		{"checkout", "split", 2, "checkout_rule-2-split_shares"},
		{"<script>alert(1)</script>", "<img src=x>", 1, "script_alert_1_script_rule-1-img_src_x_shares"},
		{"*.example.com", "", 0, "example.com_rule-0_shares"},
		{"../../etc/passwd", "a/../b", 0, "etc_passwd_rule-0-a_.._b_shares"},
		{"日本", "", 3, "x_rule-3_shares"},
	} {
		t.Run(tc.host, func(t *testing.T) {
			got := ChartName(tc.host, &result.Rule{Index: tc.index, Name: tc.name}, KindShares)
			if got != tc.want {
				t.Errorf("ChartName(%q, %q) = %q, want %q", tc.host, tc.name, got, tc.want)
			}
			if strings.ContainsAny(got, "/\\<>:\"|?* ") || strings.HasPrefix(got, ".") {
				t.Errorf("ChartName(%q) = %q is not a safe file name", tc.host, got)
			}
		})
	}
}

func TestChartNamesUnique(t *testing.T) {
	r := loadRun(t, "bookinfo-80-20.json")
	twin := r.Hosts[0]
	twin.Host = "reviews?"
	r.Hosts = append(r.Hosts, twin)
	cs, err := RunCharts(r)
	if err != nil {
		t.Fatal(err)
	}
	want := "reviews_rule-0_shares reviews_rule-0_convergence reviews_rule-0_shares-2 reviews_rule-0_convergence-2 run_deviations"
	if got := strings.Join(chartNames(cs), " "); got != want {
		t.Errorf("names %s, want %s", got, want)
	}
}

func TestChartsRender(t *testing.T) {
	r := loadRun(t, "failing.json")
	cs, err := RunCharts(r)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := RunCharts(r)
	for i, c := range cs {
		b, err := c.PNG()
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		ink, img := inkFraction(t, b)
		if ink < 0.05 || ink > 0.6 {
			t.Errorf("%s: %.1f%% of the pixels are not white; want a drawn chart on a white background", c.Name, 100*ink)
		}
		wantW := int(math.Round(c.Width.Points() / 72 * ChartDPI))
		if img.Bounds().Dx() != wantW {
			t.Errorf("%s: %d pixels wide, want %d at %d dpi", c.Name, img.Bounds().Dx(), wantW, ChartDPI)
		}
		b2, err := again[i].PNG()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, b2) {
			t.Errorf("%s: two renderings differ", c.Name)
		}
		var svg bytes.Buffer
		if err := c.Render(&svg, "svg"); err != nil {
			t.Fatalf("%s: svg: %v", c.Name, err)
		}
		if !strings.Contains(svg.String(), "<svg") || !strings.Contains(svg.String(), "Configured vs observed share") && c.Kind == KindShares {
			t.Errorf("%s: SVG lacks the svg element or the title", c.Name)
		}
	}
	if err := cs[0].Render(&bytes.Buffer{}, "gif"); err == nil {
		t.Error("Render gif: no error")
	}
}

// TestErrorBarsSitOnBars guards against the grouped-bar pitfall (BarChart.Offset is in canvas
// units, error bars in data units): the dark error bar of each observed bar must be centered on it.
func TestErrorBarsSitOnBars(t *testing.T) {
	r := loadRun(t, "failing.json")
	cs, err := RunCharts(r)
	if err != nil {
		t.Fatal(err)
	}
	var c *Chart
	for _, ch := range cs {
		if ch.Name == "checkout.shop.svc.cluster.local_rule-2-split_shares" {
			c = ch
		}
	}
	if c == nil {
		t.Fatal("no shares chart for the split rule")
	}
	b, err := c.PNG()
	if err != nil {
		t.Fatal(err)
	}
	_, img := inkFraction(t, b)
	// The lowest row that crosses all three observed bars, just above the x axis.
	var runs [][2]int
	for y := img.Bounds().Dy() - 1; y > img.Bounds().Dy()/2 && len(runs) != 3; y-- {
		runs = blueRuns(img, y)
	}
	if len(runs) != 3 {
		t.Fatalf("found %d observed (blue) bars near the bottom of the chart, want 3: %v", len(runs), runs)
	}
	for i, run := range runs {
		center := float64(run[0]+run[1]) / 2
		top := blueTop(img, run[0]+2) // at the bar's edge, clear of the error bar and its caps
		// Dark pixels of the error bar and its caps, a few pixels around the top of the bar.
		sum, n := 0.0, 0
		for y := top - 8; y <= top+8; y++ {
			for x := run[0] - 30; x <= run[1]+30; x++ {
				if dark(img, x, y) {
					sum += float64(x)
					n++
				}
			}
		}
		if n == 0 {
			t.Errorf("bar %d: no error bar at its top (y %d)", i, top)
			continue
		}
		if mean := sum / float64(n); math.Abs(mean-center) > 2 {
			t.Errorf("bar %d: error bar centered at x %.1f, bar at x %.1f", i, mean, center)
		}
	}
}

func isBlue(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r>>8 < 20 && g>>8 > 95 && g>>8 < 135 && b>>8 > 160
}

func dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r>>8 < 80 && g>>8 < 80 && b>>8 < 80
}

// blueRuns returns the [start, end] pixel columns of the blue runs in row y.
func blueRuns(img image.Image, y int) [][2]int {
	var runs [][2]int
	b := img.Bounds()
	for x := b.Min.X; x < b.Max.X; x++ {
		if !isBlue(img, x, y) {
			continue
		}
		start := x
		for x < b.Max.X && isBlue(img, x, y) {
			x++
		}
		if x-start > 10 {
			runs = append(runs, [2]int{start, x - 1})
		}
	}
	return runs
}

// blueTop is the first row of the blue bar at column x, going up from its bottom.
func blueTop(img image.Image, x int) int {
	y := img.Bounds().Dy() - 1
	for y > 0 && !isBlue(img, x, y) {
		y--
	}
	for y > 0 && isBlue(img, x, y-1) {
		y--
	}
	return y
}

// A saved result whose numbers are absurd (every number 1e308, or 1e20) renders its charts, or
// refuses one with an error, within a second: the PNG rasterizer's work grows with a shape's extent,
// and a share of 1e308 drew for ever (issue 18).
func TestChartsOfAbsurdValuesEndQuickly(t *testing.T) {
	for _, name := range []string{"failing.json", "verify-fail.json", "verify-sequential.json", "plan-argo-manual.json", "plan-native.json"} {
		for _, v := range []float64{1e308, -1e308, 1e20} {
			b, err := os.ReadFile(golden.Path(name))
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			b, _ = json.Marshal(withFractionsSetTo(doc, v))
			p := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := Load(p)
			if err != nil {
				continue // refused when read: as good
			}
			done := make(chan error, 1)
			go func() { done <- renderAll(d) }()
			select {
			case err := <-done:
				if err != nil && !strings.Contains(err.Error(), "outside the chart") && !strings.Contains(err.Error(), "data point") {
					t.Errorf("%s, numbers %g: %v", name, v, err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%s, numbers %g: charts still drawing after 5 s", name, v)
			}
		}
	}
}

// withFractionsSetTo sets every number of a decoded JSON value that is not an integer to v
// (integers stay valid counts), in place, and returns it.
func withFractionsSetTo(x any, v float64) any {
	switch x := x.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = withFractionsSetTo(e, v)
		}
	case []any:
		for i, e := range x {
			x[i] = withFractionsSetTo(e, v)
		}
	case float64:
		if x != math.Trunc(x) {
			return v
		}
	}
	return x
}

// renderAll draws every chart of d as PNG and SVG, returning the first error.
func renderAll(d Document) error {
	cs, err := d.Charts()
	for _, c := range cs {
		if err == nil {
			_, err = c.PNG()
		}
		if err == nil {
			err = c.Render(io.Discard, "svg")
		}
	}
	return err
}
