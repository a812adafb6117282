package report

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// KindSequential follows the anytime-valid p-value of `verify --sequential` look by look.
const KindSequential = "sequential"

// VerifyCharts builds the charts of a verify result: configured against observed shares with
// their confidence intervals, and with --sequential the sequential p-value per look against alpha.
// Their HostIndex and RuleIndex are 0.
func VerifyCharts(v *result.Verify) ([]*Chart, error) {
	subject := "splitsim verify"
	if where := verifyHostRule(v, " · "); where != "" {
		subject += " · " + where
	}
	subject += " · " + format.Count(v.N) + " requests"
	var charts []*Chart
	if len(v.Destinations) > 0 && v.N > 0 {
		rule := &result.Rule{Rule: "verify", Requests: v.N}
		for _, d := range v.Destinations {
			rule.Destinations = append(rule.Destinations, result.Destination{Subset: d.Name, Cluster: d.Cluster,
				ExpectedShare: d.ExpectedShare, Count: d.Count, Share: d.Share, CILow: d.CILow, CIHigh: d.CIHigh})
		}
		c, err := sharesChart(subject, rule, format.Confidence(v.Alpha))
		if err != nil {
			return nil, fmt.Errorf("verify: shares chart: %w", err)
		}
		c.Rule, c.Name = "", "verify_shares"
		c.plot.Y.Label.Text = "share of the observed requests"
		charts = append(charts, c)
	}
	if s := v.Sequential; s != nil && len(s.Looks) > 0 {
		c, err := sequentialChart(subject, s, v.Alpha)
		if err != nil {
			return nil, fmt.Errorf("verify: sequential chart: %w", err)
		}
		charts = append(charts, c)
	}
	return charts, nil
}

// sequentialChart: the sequential p-value after each look (log scale), the alpha line, and the
// first look at which it falls below alpha.
func sequentialChart(subject string, s *result.Sequential, alpha float64) (*Chart, error) {
	c := &Chart{Kind: KindSequential, Name: "verify_sequential", Width: 5.5 * vg.Inch, Height: 3.8 * vg.Inch,
		heading: "Sequential p-value look by look", subject: subject}
	c.Title = subject + ": sequential p-value look by look"
	p := newPlot()
	c.plot = p
	p.Add(horizontalGrid())

	pts, low := sequentialPoints(s, alpha)
	line, scatter, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, err
	}
	line.Color, line.Width = palette[0], vg.Points(1.6)
	scatter.Color = palette[0]
	scatter.Shape = draw.CircleGlyph{}
	scatter.Radius = vg.Points(2.5)

	alphaLine, err := plotter.NewLine(plotter.XYs{{X: 0.5, Y: math.Log10(alpha)}, {X: float64(len(s.Looks)) + 0.5, Y: math.Log10(alpha)}})
	if err != nil {
		return nil, err
	}
	alphaLine.Color = palette[1]
	alphaLine.Width = vg.Points(1.2)
	alphaLine.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	p.Add(alphaLine, line, scatter)

	c.legend = []legendEntry{
		{"sequential p-value (anytime-valid)", []plot.Thumbnailer{line, scatter}},
		{"alpha = " + strconv.FormatFloat(alpha, 'g', -1, 64) + ": reject below", []plot.Thumbnailer{alphaLine}},
	}
	last := s.Looks[len(s.Looks)-1]
	alt := fmt.Sprintf(". After %d looks and %s requests the sequential p-value is %s", len(s.Looks), format.Count(last.N), format.PValue(last.PValue, last.Log10P))
	if l := rejectedLook(s); l != nil {
		first := &plotter.Scatter{XYs: plotter.XYs{pts[s.FirstReject]}, GlyphStyle: draw.GlyphStyle{
			Color: palette[1], Radius: vg.Points(5), Shape: draw.RingGlyph{}}}
		p.Add(first)
		c.legend = append(c.legend, legendEntry{fmt.Sprintf("first rejection: look %d, %s requests", l.Index+1, format.Count(l.N)),
			[]plot.Thumbnailer{first}})
		alt += fmt.Sprintf("; it first fell below alpha at look %d (%s requests)", l.Index+1, format.Count(l.N))
	} else {
		alt += "; it never fell below alpha"
	}
	c.Alt = c.Title + alt + "."

	p.X.Min, p.X.Max = 0.5, float64(len(s.Looks))+0.5
	p.X.Tick.Marker = lookTicks{}
	p.X.Label.Text = "look"
	p.X.Padding = 0
	p.Y.Min, p.Y.Max = low, 0
	p.Y.Tick.Marker = log10Ticks{}
	p.Y.Label.Text = "p-value (log scale)"
	p.Y.Padding = 0
	return c, nil
}

// sequentialPoints are the looks' p-values on a log10 axis, so that p-values below the float64
// range (kept as Log10P) still plot, and the bottom of that axis, below alpha and every point.
func sequentialPoints(s *result.Sequential, alpha float64) (plotter.XYs, float64) {
	pts := make(plotter.XYs, len(s.Looks))
	low := math.Log10(alpha)
	for i, l := range s.Looks {
		y := l.Log10P
		if math.IsInf(y, -1) || math.IsNaN(y) {
			y = -400
		}
		pts[i] = plotter.XY{X: float64(l.Index + 1), Y: math.Min(0, y)}
		low = math.Min(low, pts[i].Y)
	}
	return pts, math.Floor(low) - 0.5
}

// lookTicks labels whole looks, at most about ten of them.
type lookTicks struct{}

func (lookTicks) Ticks(min, max float64) []plot.Tick {
	n := int(max - min)
	step := 1
	for n/step > 10 {
		step *= 2
	}
	var ticks []plot.Tick
	for i := 1; float64(i) <= max; i++ {
		t := plot.Tick{Value: float64(i)}
		if (i-1)%step == 0 {
			t.Label = strconv.Itoa(i)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// log10Ticks labels an axis of log10 p at powers of ten: 1, 0.1, 0.01, 0.001, then 1e-4...
type log10Ticks struct{}

func (log10Ticks) Ticks(min, max float64) []plot.Tick {
	span := max - min
	step := 1.0
	for span/step > 8 {
		step *= 2
	}
	var ticks []plot.Tick
	for e := 0.0; e >= min; e -= step {
		ticks = append(ticks, plot.Tick{Value: e, Label: format.PowerOfTen(int(e))})
	}
	return ticks
}
