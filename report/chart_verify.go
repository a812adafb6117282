package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// Kinds of verify charts.
const (
	// KindSequential follows the anytime-valid p-value of `verify --sequential` look by look.
	KindSequential = "sequential"
	// KindSharesOverTime follows each destination's share of every look's own requests, with its
	// interval, against its configured share: the shares over time, as Istio's Grafana dashboards
	// show them.
	KindSharesOverTime = "shares_over_time"
)

// VerifyCharts builds the charts of a verify result: configured against observed shares with
// their confidence intervals, and with --sequential each destination's share per look
// (verify_shares_over_time) and the sequential p-value per look against alpha. The looks' axis is
// labelled with the series' own time labels. Their HostIndex and RuleIndex are 0.
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
		c, err := sharesOverTimeChart(subject, v)
		if err != nil {
			return nil, fmt.Errorf("verify: shares over time chart: %w", err)
		}
		if c != nil {
			charts = append(charts, c)
		}
		c, err = sequentialChart(subject, s, v.Alpha)
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
		first := &plotter.Scatter{XYs: plotter.XYs{pts[s.FirstReject-1]}, GlyphStyle: draw.GlyphStyle{
			Color: palette[1], Radius: vg.Points(5), Shape: draw.RingGlyph{}}}
		p.Add(first)
		c.legend = append(c.legend, legendEntry{fmt.Sprintf("first rejection: look %d%s, %s requests", l.Number, lookAt(l), format.Count(l.N)),
			[]plot.Thumbnailer{first}})
		alt += fmt.Sprintf("; it first fell below alpha at look %d%s (%s requests)", l.Number, lookAt(l), format.Count(l.N))
	} else {
		alt += "; it never fell below alpha"
	}
	c.Alt = c.Title + alt + "."

	p.X.Min, p.X.Max = 0.5, float64(len(s.Looks))+0.5
	p.X.Tick.Marker = lookTicks(lookLabels(s))
	p.X.Label.Text = lookAxis(s)
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
		pts[i] = plotter.XY{X: float64(l.Number), Y: math.Min(0, y)}
		low = math.Min(low, pts[i].Y)
	}
	return pts, math.Floor(low) - 0.5
}

// lookLabels are the looks' labels on a chart axis: the series' own time labels ("10:04"), or the
// look numbers when the series has none.
func lookLabels(s *result.Sequential) []string {
	labels := make([]string, len(s.Looks))
	for i, l := range s.Looks {
		labels[i] = l.Label
		if l.Label == "" {
			labels[i] = strconv.Itoa(l.Number)
		}
	}
	return labels
}

// lookAxis names the looks' axis: "look", or "interval" when the series has time labels of its
// own.
func lookAxis(s *result.Sequential) string {
	for _, l := range s.Looks {
		if l.Label != "" && l.Label != strconv.Itoa(l.Number) {
			return "time (the series' interval labels)"
		}
	}
	return "look"
}

// lookTicks labels looks 1..n (at x = 1..n) with their labels, about eight of them at most, so
// that labels as long as "2025-06-01T10:04" do not collide; every look has a tick.
type lookTicks []string

func (t lookTicks) Ticks(min, max float64) []plot.Tick {
	longest := 0
	for _, l := range t {
		longest = max2(longest, len([]rune(l)))
	}
	most := 10
	if longest > 6 {
		most = 60 / longest
	}
	step := 1
	for len(t)/step > max2(most, 2) {
		step *= 2
	}
	var ticks []plot.Tick
	for i := range t {
		tk := plot.Tick{Value: float64(i + 1)}
		if i%step == 0 {
			tk.Label = t[i]
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

func max2(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// log10Ticks labels an axis of log10 p at powers of ten, all in one notation: 10^0, 10^-1,
// 10^-2... (as p-values below 1e-300 are written), every one or every other power.
type log10Ticks struct{}

func (log10Ticks) Ticks(min, max float64) []plot.Tick {
	span := max - min
	step := 1.0
	for span/step > 8 {
		step *= 2
	}
	var ticks []plot.Tick
	for e := 0.0; e >= min; e -= step {
		ticks = append(ticks, plot.Tick{Value: e, Label: "10^" + strconv.Itoa(int(e))})
	}
	return ticks
}

// sharesOverTimeChart: each destination's share of every look's own requests (solid, with its
// interval as a band) and its configured share (dashed), look by look; nil when the looks do not
// record their shares (a result saved before they did).
func sharesOverTimeChart(subject string, v *result.Verify) (*Chart, error) {
	s := v.Sequential
	n := len(v.Destinations)
	ok := 0
	for _, l := range s.Looks {
		if len(l.Shares) == n && len(l.CILow) == n && len(l.CIHigh) == n {
			ok++
		}
	}
	if ok == 0 || n == 0 {
		return nil, nil
	}
	conf := format.Confidence(v.Alpha)
	c := &Chart{Kind: KindSharesOverTime, Name: "verify_" + KindSharesOverTime, Width: 7.5 * vg.Inch, Height: 3.9 * vg.Inch,
		heading: "Share of each look's requests, over time", subject: subject}
	c.Title = subject + ": share of each look's requests over time"
	p := newPlot()
	c.plot = p
	p.Add(horizontalGrid())
	var bands, lines []plot.Plotter
	var alt []string
	last := float64(len(s.Looks)) + 0.5
	for j, d := range v.Destinations {
		col := palette[j%len(palette)]
		var pts, upper, lower plotter.XYs
		for _, l := range s.Looks {
			if len(l.Shares) != n || len(l.CILow) != n || len(l.CIHigh) != n {
				continue
			}
			x := float64(l.Number)
			pts = append(pts, plotter.XY{X: x, Y: l.Shares[j]})
			upper = append(upper, plotter.XY{X: x, Y: l.CIHigh[j]})
			lower = append(lower, plotter.XY{X: x, Y: l.CILow[j]})
		}
		if len(pts) >= 2 {
			ring := append(plotter.XYs{}, upper...)
			for i := len(lower) - 1; i >= 0; i-- {
				ring = append(ring, lower[i])
			}
			band, err := plotter.NewPolygon(ring)
			if err != nil {
				return nil, err
			}
			band.Color, band.LineStyle.Width = withAlpha(col, 0.18), 0
			bands = append(bands, band)
		}
		want, err := plotter.NewLine(plotter.XYs{{X: 0.5, Y: d.ExpectedShare}, {X: last, Y: d.ExpectedShare}})
		if err != nil {
			return nil, err
		}
		want.Color, want.Width, want.Dashes = col, vg.Points(1), []vg.Length{vg.Points(5), vg.Points(3)}
		line, dots, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		line.Color, line.Width = col, vg.Points(1.6)
		dots.Color, dots.Shape, dots.Radius = col, draw.CircleGlyph{}, vg.Points(2)
		lines = append(lines, want, line, dots)
		c.legend = append(c.legend, legendEntry{d.Name + " (configured " + format.ShortPercent(d.ExpectedShare, 2) + ")", []plot.Thumbnailer{line, dots}})
		lo, hi := 1.0, 0.0
		for _, pt := range pts {
			lo, hi = math.Min(lo, pt.Y), math.Max(hi, pt.Y)
		}
		alt = append(alt, fmt.Sprintf("%s between %s and %s per look, configured %s", d.Name, format.Percent(lo, 1), format.Percent(hi, 1),
			format.ShortPercent(d.ExpectedShare, 2)))
	}
	p.Add(bands...)
	p.Add(lines...)
	dashed, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}})
	dashed.Color, dashed.Width, dashed.Dashes = mutedColor, vg.Points(1), []vg.Length{vg.Points(5), vg.Points(3)}
	band, _ := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: 1}})
	band.Color, band.LineStyle.Width = withAlpha(mutedColor, 0.25), 0
	c.legend = append(c.legend, legendEntry{"dashed: configured share", []plot.Thumbnailer{dashed}},
		legendEntry{"band: the look's " + conf + " interval", []plot.Thumbnailer{band}})
	labels := lookLabels(s)
	c.Alt = c.Title + fmt.Sprintf(", %d looks from %s to %s: ", len(s.Looks), labels[0], labels[len(labels)-1]) + strings.Join(alt, "; ") + "."
	p.X.Min, p.X.Max = 0.5, last
	p.X.Tick.Marker = lookTicks(labels)
	p.X.Label.Text = lookAxis(s)
	p.X.Padding = 0
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = percentTicks()
	p.Y.Label.Text = "share of the look's requests"
	p.Y.Padding = 0
	return c, nil
}
