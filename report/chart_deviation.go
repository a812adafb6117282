package report

import (
	"fmt"
	"image/color"
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

// KindDeviations is the chart of a whole run: for every destination of every split, its observed
// share minus its configured share, in percentage points, with its confidence interval. It is the
// run's small multiples: one row per destination, grouped by rule, on one axis, so that thirty
// rules fit one chart and a deviation stays visible at a million requests, where the interval is
// too narrow to see on a 0-100% axis.
const KindDeviations = "deviations"

// deviationRow is one destination of one rule.
type deviationRow struct {
	label            string
	dev, low, high   float64 // percentage points
	fail, bad, group bool
}

// deviationRows are the rows of the deviations chart: every destination of every rule that
// forwarded requests to two or more destinations, in host and rule order. group alternates
// between rules, for the chart's bands.
func deviationRows(r *result.Run) []deviationRow {
	var rows []deviationRow
	group := false
	for _, h := range r.Hosts {
		for ri := range h.Rules {
			rule := &h.Rules[ri]
			if rule.Requests <= 0 || len(rule.Destinations) < 2 || rule.Forwarded == 0 && rule.Fault != nil {
				continue
			}
			fail := rule.Test != nil && !bool(rule.Test.Passed)
			for j, d := range rule.Destinations {
				label := d.Name()
				if j == 0 {
					label = h.Host + " · " + rule.Rule + ": " + label
				}
				rows = append(rows, deviationRow{label: label, dev: 100 * (d.Share - d.ExpectedShare),
					low: 100 * (d.CILow - d.ExpectedShare), high: 100 * (d.CIHigh - d.ExpectedShare),
					fail: fail, bad: d.Status >= 400, group: group})
			}
			group = !group
		}
	}
	return rows
}

// deviationsChart is the run's deviations chart, or nil when no rule splits its requests.
func deviationsChart(r *result.Run) (*Chart, error) {
	rows := deviationRows(r)
	if len(rows) == 0 {
		return nil, nil
	}
	conf := format.Confidence(r.Alpha)
	n := len(rows)
	c := &Chart{HostIndex: -1, RuleIndex: -1, Kind: KindDeviations, Name: "run_" + KindDeviations,
		Width: 7.5 * vg.Inch, Height: vg.Length(1.25+0.17*float64(n)) * vg.Inch,
		heading: "Observed minus configured share, every split",
		subject: "splitsim run · " + format.Count(r.Requests) + " requests · " + conf + " intervals"}
	c.Title = c.subject + ": observed minus configured share"
	p := newPlot()
	c.plot = p
	span := 0.05
	var pass, fail plotter.XYs
	var bars errorBars
	var alt []string
	for i, row := range rows {
		y := float64(n - 1 - i)
		span = math.Max(span, math.Max(math.Abs(row.low), math.Abs(row.high)))
		pt := plotter.XY{X: row.dev, Y: y}
		if row.fail {
			fail = append(fail, pt)
		} else {
			pass = append(pass, pt)
		}
		bars = append(bars, errorBar{x: row.dev, y: y, low: row.dev - row.low, high: row.high - row.dev})
		if row.fail {
			alt = append(alt, fmt.Sprintf("%s off by %s percentage points", strings.ReplaceAll(row.label, " · ", " "), signedPP(row.dev)))
		}
	}
	span *= 1.15
	p.Add(&rowBands{n: n, rows: rows})
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, err
	}
	zero.Color, zero.Width = mutedColor, vg.Points(1)
	zero.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(zero)
	xe := &xErrorBars{bars: bars, style: draw.LineStyle{Color: textColor, Width: vg.Points(1)}, cap: vg.Points(5)}
	p.Add(xe)
	var legend []legendEntry
	for _, set := range []struct {
		pts  plotter.XYs
		col  color.Color
		text string
	}{{pass, palette[0], "passes the test (or not tested)"}, {fail, palette[1], "fails the test"}} {
		if len(set.pts) == 0 {
			continue
		}
		s, err := plotter.NewScatter(set.pts)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: set.col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(s)
		legend = append(legend, legendEntry{set.text, []plot.Thumbnailer{s}})
	}
	c.legend = append(legend, legendEntry{"observed − configured, with its " + conf + " interval", []plot.Thumbnailer{errThumbH{}}},
		legendEntry{"0: as configured", []plot.Thumbnailer{zero}})
	c.Alt = c.Title + fmt.Sprintf(". %d destinations of %s; ", n, format.Counted(countSplits(rows), "split"))
	if len(alt) == 0 {
		c.Alt += "every split is consistent with its weights."
	} else {
		c.Alt += strings.Join(alt, "; ") + "."
	}

	p.X.Min, p.X.Max = -span, span
	p.X.Tick.Marker = ppTicks{}
	p.X.Label.Text = "observed − configured share (percentage points)"
	p.X.Padding = 0
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.Y.Padding = 0
	labels := make([]string, n)
	for i, row := range rows {
		labels[n-1-i] = row.label
	}
	p.Y.Tick.Marker = rowTicks(labels)
	p.Y.Tick.Label = textStyle(8, draw.XRight, draw.YCenter)
	p.Y.Tick.Length = vg.Points(4)
	p.Y.Tick.LineStyle.Width = 0
	c.prepare = func(dc draw.Canvas) {
		// Long labels are shortened to a third of the chart's width.
		w := (dc.Max.X - dc.Min.X) / 3
		short := make([]string, n)
		for i, l := range labels {
			short[i] = fit(p.Y.Tick.Label, l, w)
		}
		p.Y.Tick.Marker = rowTicks(short)
	}
	return c, nil
}

// countSplits counts the rules among the rows (each rule's first row names it).
func countSplits(rows []deviationRow) int {
	n := 0
	for i, r := range rows {
		if i == 0 || r.group != rows[i-1].group {
			n++
		}
	}
	return n
}

// signedPP writes a change in percentage points with its sign and at most three decimals.
func signedPP(x float64) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	switch {
	case s == "0":
		return "0"
	case x < 0:
		return "−" + s
	}
	return "+" + s
}

// rowTicks labels rows 0..n-1 with their names.
type rowTicks []string

func (t rowTicks) Ticks(min, max float64) []plot.Tick {
	ticks := make([]plot.Tick, len(t))
	for i, l := range t {
		ticks[i] = plot.Tick{Value: float64(i), Label: l}
	}
	return ticks
}

// ppTicks labels an axis of percentage points at round steps, signed: −0.2, −0.1, 0, +0.1, +0.2.
type ppTicks struct{}

func (ppTicks) Ticks(min, max float64) []plot.Tick {
	step := niceStep((max - min) / 6)
	var ticks []plot.Tick
	for i := math.Ceil(min / step); i*step <= max+1e-12; i++ {
		v := i * step
		if math.Abs(v) < step/1e6 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: signedPP(v)})
	}
	return ticks
}

// niceStep is the smallest of 1, 2 and 5 times a power of ten that is at least x.
func niceStep(x float64) float64 {
	if !(x > 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= x {
			return m * mag
		}
	}
	return 10 * mag
}

// rowBands shades every other rule's rows, so that the eye groups a rule's destinations.
type rowBands struct {
	n    int
	rows []deviationRow
}

func (b *rowBands) Plot(c draw.Canvas, plt *plot.Plot) {
	_, trY := plt.Transforms(&c)
	c.SetColor(gridColor)
	for i, r := range b.rows {
		if !r.group {
			continue
		}
		y := float64(b.n - 1 - i)
		c.Fill(vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: trY(y - 0.5)}, Max: vg.Point{X: c.Max.X, Y: trY(y + 0.5)}}.Path())
	}
}

// xErrorBars draws horizontal error bars with caps.
type xErrorBars struct {
	bars  errorBars
	style draw.LineStyle
	cap   vg.Length
}

func (e *xErrorBars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for _, b := range e.bars {
		y := trY(b.y)
		x0, x1 := trX(b.x-b.low), trX(b.x+b.high)
		c.StrokeLine2(e.style, x0, y, x1, y)
		c.StrokeLine2(e.style, x0, y-e.cap/2, x0, y+e.cap/2)
		c.StrokeLine2(e.style, x1, y-e.cap/2, x1, y+e.cap/2)
	}
}

// errThumbH draws a horizontal error bar in a legend.
type errThumbH struct{}

func (errThumbH) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	sty := draw.LineStyle{Color: textColor, Width: vg.Points(1)}
	c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
	c.StrokeLine2(sty, c.Min.X, y-vg.Points(3), c.Min.X, y+vg.Points(3))
	c.StrokeLine2(sty, c.Max.X, y-vg.Points(3), c.Max.X, y+vg.Points(3))
}
