package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// KindTimeline is the timeline of a canary plan: weight, canary requests and power over time.
const KindTimeline = "timeline"

var (
	passColor  = palette[2] // bluish green: power reaches the target
	shortColor = palette[1] // vermillion: power below the target
	stepColor  = color.RGBA{200, 200, 200, 255}
	bandColor  = color.RGBA{236, 232, 214, 255} // assumed durations
)

// PlanCharts builds the charts of a plan result: one timeline with three panels over the time
// since the rollout started: the canary's configured weight (a step function), the canary requests
// so far (simulated), and each step's power to detect the error-rate rise against the target (or
// --require-power) line. Steps whose duration is assumed are shaded. A plan without steps has no
// chart.
func PlanCharts(r *result.Plan) ([]*Chart, error) {
	if len(r.Steps) == 0 {
		return nil, nil
	}
	c, err := timelineChart(r)
	if err != nil {
		return nil, fmt.Errorf("plan: timeline chart: %w", err)
	}
	return []*Chart{c}, nil
}

func timelineChart(r *result.Plan) (*Chart, error) {
	name := "plan"
	if r.Name != "" {
		name = sanitize(r.Name)
	}
	subject := timelineSubject(r)
	c := &Chart{Kind: KindTimeline, Name: name + "_" + KindTimeline, Width: 7.5 * vg.Inch, Height: 7.4 * vg.Inch,
		heading: "Canary rollout timeline", subject: subject}
	c.Title = subject + ": canary rollout timeline"
	tl := newTimeline(r)
	weight, weightLegend, err := tl.weightPanel()
	if err != nil {
		return nil, err
	}
	cum, cumLegend, total, err := tl.requestsPanel()
	if err != nil {
		return nil, err
	}
	power, powerLegend, err := tl.powerPanel()
	if err != nil {
		return nil, err
	}
	for _, p := range []*plot.Plot{weight, cum, power} {
		p.X.Min, p.X.Max = 0, tl.end
		p.X.Padding, p.Y.Padding = 0, 0
		p.X.Tick.Marker = timeTicks{labels: p == power, skip: tl.compressed, span: tl.scale.shown()}
		if len(tl.compressed) > 0 {
			p.X.Scale = tl.scale
			p.Add(&breakMarks{spans: tl.compressed})
		}
	}
	c.panels = []*plot.Plot{weight, cum, power}
	c.legend = append([]legendEntry{weightLegend, cumLegend}, powerLegend...)
	if len(tl.assumed) > 0 {
		c.legend = append(c.legend, legendEntry{"duration assumed (manual gate or analysis)", []plot.Thumbnailer{boxThumb{bandColor}}})
	}
	if len(tl.compressed) > 0 {
		c.legend = append(c.legend, legendEntry{"assumed duration drawn shorter, not to scale", []plot.Thumbnailer{breakThumb{}}})
	}
	c.legend = append(c.legend, tl.tail...)
	c.Alt = timelineAlt(r, c.Title, total, tl.target)
	return c, nil
}

// timelineSubject is the timeline's second title line: the plan, its host and route.
func timelineSubject(r *result.Plan) string {
	subject := "splitsim plan"
	if r.Name != "" {
		subject += " · " + r.Name
	}
	if r.Host != "" {
		subject += " · host " + r.Host
	}
	if r.Route != "" {
		subject += " · route " + r.Route
	}
	return subject
}

// timeline is what the three panels of a plan's timeline share: the time axis, the step
// boundaries, the spans of assumed durations and the target power.
type timeline struct {
	r *result.Plan
	// end is the end of the time axis, in seconds.
	end     float64
	bounds  []float64
	assumed [][2]float64
	target  float64
	labels  text.Style
	// tail holds legend entries that come after those of the power panel.
	tail []legendEntry
	// compressed are the assumed spans drawn shorter than their duration, and scale the time axis
	// that does so.
	compressed [][2]float64
	scale      *brokenScale
}

func newTimeline(r *result.Plan) *timeline {
	tl := &timeline{r: r, end: r.TotalDuration, target: r.TargetPower, labels: textStyle(8, draw.XCenter, draw.YBottom)}
	for _, s := range r.Steps {
		tl.end = math.Max(tl.end, s.Start+s.Duration)
	}
	if !(tl.end > 0) {
		tl.end = 1
	}
	for i, s := range r.Steps {
		if i > 0 && s.Start > 0 && s.Start < tl.end {
			tl.bounds = append(tl.bounds, s.Start)
		}
		if s.DurationAssumed && s.Duration > 0 {
			tl.assumed = append(tl.assumed, [2]float64{s.Start, s.Start + s.Duration})
		}
	}
	if !(tl.target > 0) {
		tl.target = 0.8
	}
	tl.scale = newBrokenScale(r.Steps)
	tl.compressed = tl.scale.spans
	return tl
}

// brokenScale is a time axis on which assumed durations that would dwarf the real steps (a manual
// pause assumed to last an hour between steps of minutes) are drawn no longer than 1.5 times the
// mean real step, with a break mark: the steps that were configured keep their proportions.
type brokenScale struct {
	// real and shown are matching breakpoints: time since the start, and where it is drawn.
	real, shown_ []float64
	spans        [][2]float64
}

func newBrokenScale(steps []result.PlanStep) *brokenScale {
	var total float64
	n := 0
	for _, s := range steps {
		if !s.DurationAssumed && s.Duration > 0 {
			total += s.Duration
			n++
		}
	}
	b := &brokenScale{real: []float64{0}, shown_: []float64{0}}
	if n == 0 {
		return b
	}
	limit := 1.5 * total / float64(n)
	at, shown := 0.0, 0.0
	for _, s := range steps {
		if s.Duration <= 0 || s.Start < at {
			continue
		}
		shown += s.Start - at // a gap, drawn to scale
		d := s.Duration
		if s.DurationAssumed && d > 1.5*limit {
			d = limit
			b.spans = append(b.spans, [2]float64{s.Start, s.Start + s.Duration})
		}
		b.real = append(b.real, s.Start, s.Start+s.Duration)
		b.shown_ = append(b.shown_, shown, shown+d)
		shown += d
		at = s.Start + s.Duration
	}
	return b
}

// at is where time x is drawn: linear between breakpoints, and beyond the last one.
func (b *brokenScale) at(x float64) float64 {
	r, d := b.real, b.shown_
	for i := 1; i < len(r); i++ {
		if x <= r[i] {
			if r[i] == r[i-1] {
				return d[i]
			}
			return d[i-1] + (x-r[i-1])/(r[i]-r[i-1])*(d[i]-d[i-1])
		}
	}
	return d[len(d)-1] + x - r[len(r)-1]
}

// shown is the length of time the axis shows at scale: the time without the compressed spans'
// excess. Ticks are spaced for it.
func (b *brokenScale) shown() float64 {
	if len(b.spans) == 0 {
		return 0
	}
	return b.shown_[len(b.shown_)-1]
}

// Normalize implements plot.Normalizer.
func (b *brokenScale) Normalize(min, max, x float64) float64 {
	lo, hi := b.at(min), b.at(max)
	if hi == lo {
		return 0
	}
	return (b.at(x) - lo) / (hi - lo)
}

// breakMarks draws a break mark (two slanted strokes over a gap) on the time axis, at the middle
// of every compressed span.
type breakMarks struct{ spans [][2]float64 }

func (m *breakMarks) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, _ := plt.Transforms(&c)
	for _, s := range m.spans {
		drawBreak(c.Canvas, (trX(s[0])+trX(s[1]))/2, c.Min.Y)
	}
}

// drawBreak draws a break mark centered at (x, y): a gap of the background's color between two
// slanted strokes.
func drawBreak(c vg.Canvas, x, y vg.Length) {
	w, h := vg.Points(3), vg.Points(6)
	gap := vg.Path{}
	gap.Move(vg.Point{X: x - w - h/3, Y: y - h})
	gap.Line(vg.Point{X: x + w - h/3, Y: y - h})
	gap.Line(vg.Point{X: x + w + h/3, Y: y + h})
	gap.Line(vg.Point{X: x - w + h/3, Y: y + h})
	gap.Close()
	c.SetColor(color.White)
	c.Fill(gap)
	c.SetColor(textColor)
	c.SetLineWidth(vg.Points(1))
	for _, dx := range []vg.Length{-w, w} {
		line := vg.Path{}
		line.Move(vg.Point{X: x + dx - h/3, Y: y - h})
		line.Line(vg.Point{X: x + dx + h/3, Y: y + h})
		c.Stroke(line)
	}
}

// breakThumb draws a break mark in a legend.
type breakThumb struct{}

func (breakThumb) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.SetColor(textColor)
	c.SetLineWidth(vg.Points(1))
	line := vg.Path{}
	line.Move(vg.Point{X: c.Min.X, Y: y})
	line.Line(vg.Point{X: c.Max.X, Y: y})
	c.Stroke(line)
	drawBreak(c.Canvas, (c.Min.X+c.Max.X)/2, y)
}

// backdrop is what every panel draws first: the shaded assumed durations and the step boundaries.
func (tl *timeline) backdrop() []plot.Plotter {
	return []plot.Plotter{&bands{spans: tl.assumed}, &vlines{xs: tl.bounds}}
}

// weightPanel is panel 1: the canary's configured weight, a step function filled down to 0, with
// steps without duration marked by a dot.
func (tl *timeline) weightPanel() (*plot.Plot, legendEntry, error) {
	weight := newPanel("Canary weight (configured)", "canary weight")
	var steps, instant plotter.XYs
	var wlabels []spanLabel
	var ilabels []plot.Plotter
	for _, s := range tl.r.Steps {
		w := s.Weight / 100
		steps = append(steps, plotter.XY{X: s.Start, Y: w}, plotter.XY{X: s.Start + s.Duration, Y: w})
		pct := format.Number(s.Weight) + "%"
		wlabels = append(wlabels, spanLabel{x0: s.Start, x1: s.Start + s.Duration, y: w,
			texts: []string{"step " + strconv.Itoa(stepNumber(s)) + ": " + pct, strconv.Itoa(stepNumber(s)) + ": " + pct, pct}})
		if s.Duration == 0 {
			instant = append(instant, plotter.XY{X: s.Start, Y: w})
			label := "step " + strconv.Itoa(stepNumber(s)) + ": " + pct
			if s.Ends == result.EndsPromotion {
				label += " (promotion)"
			}
			ilabels = append(ilabels, &pointLabel{x: s.Start, y: w, text: label, style: textStyle(8, draw.XRight, draw.YCenter), dx: -vg.Points(6)})
		}
	}
	area := append(plotter.XYs{{X: 0, Y: 0}}, steps...)
	area = append(area, plotter.XY{X: steps[len(steps)-1].X, Y: 0})
	fill, err := plotter.NewPolygon(area)
	if err != nil {
		return nil, legendEntry{}, err
	}
	fill.Color = withAlpha(palette[0], 0.18)
	fill.LineStyle.Width = 0
	wline, err := plotter.NewLine(steps)
	if err != nil {
		return nil, legendEntry{}, err
	}
	wline.Color, wline.Width = palette[0], vg.Points(2)
	weight.Add(tl.backdrop()...)
	weight.Add(fill, wline, &spanLabels{items: wlabels, style: tl.labels})
	if len(instant) > 0 {
		marks := &plotter.Scatter{XYs: instant, GlyphStyle: draw.GlyphStyle{Color: palette[0], Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}}
		weight.Add(marks)
		weight.Add(ilabels...)
		tl.tail = append(tl.tail, legendEntry{"step without duration", []plot.Thumbnailer{marks}})
	}
	weight.Y.Min, weight.Y.Max = 0, 1.16
	weight.Y.Tick.Marker = percentTicks()
	return weight, legendEntry{"canary weight", []plot.Thumbnailer{fill, wline}}, nil
}

// requestsPanel is panel 2: the canary requests so far, growing linearly within each step at the
// step's rate. It returns the total too.
func (tl *timeline) requestsPanel() (*plot.Plot, legendEntry, float64, error) {
	cum := newPanel("Canary requests so far (simulated)", "requests")
	pts := plotter.XYs{{X: 0, Y: 0}}
	var total float64
	for _, s := range tl.r.Steps {
		total = float64(s.CumulativeCanaryRequests)
		pts = append(pts, plotter.XY{X: s.Start + s.Duration, Y: total})
	}
	cline, cdots, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, legendEntry{}, 0, err
	}
	cline.Color, cline.Width = palette[4], vg.Points(2)
	cdots.Color, cdots.Shape, cdots.Radius = palette[4], draw.CircleGlyph{}, vg.Points(2.5)
	last := pts[len(pts)-1]
	endLabel := &pointLabel{x: last.X, y: last.Y, text: format.Count(int64(total)) + " to the canary",
		style: textStyle(8, draw.XRight, draw.YBottom), dx: -vg.Points(2), dy: vg.Points(5)}
	cum.Add(tl.backdrop()...)
	cum.Add(cline, cdots, endLabel)
	cum.Y.Min, cum.Y.Max = 0, math.Max(total, 1)*1.22
	cum.Y.Tick.Marker = countTicks{}
	return cum, legendEntry{"canary requests so far", []plot.Thumbnailer{cline, cdots}}, total, nil
}

// powerPanel is panel 3: each step's power to detect the error-rate rise, green where it reaches
// the target line and vermillion where it falls short.
func (tl *timeline) powerPanel() (*plot.Plot, []legendEntry, error) {
	r, target := tl.r, tl.target
	power := newPanel("Power to detect "+errorRateRise(r), "power")
	var bars []spanBar
	var labels []spanLabel
	short, reached := false, false
	for _, s := range r.Steps {
		if s.Duration <= 0 {
			continue
		}
		x0, x1 := s.Start, s.Start+s.Duration
		if s.ErrorRatePower == nil {
			labels = append(labels, spanLabel{x0: x0, x1: x1, y: 0, texts: []string{"no split", "–"}})
			continue
		}
		p := *s.ErrorRatePower
		col := passColor
		if p < target {
			col, short = shortColor, true
		} else {
			reached = true
		}
		bars = append(bars, spanBar{x0: x0, x1: x1, y: p, color: col})
		labels = append(labels, spanLabel{x0: x0, x1: x1, y: p, texts: []string{strconv.FormatFloat(p, 'f', 2, 64)}})
	}
	targetLine, err := plotter.NewLine(plotter.XYs{{X: 0, Y: target}, {X: tl.end, Y: target}})
	if err != nil {
		return nil, nil, err
	}
	targetLine.Color, targetLine.Width = textColor, vg.Points(1.2)
	targetLine.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	power.Add(tl.backdrop()...)
	power.Add(&spanBars{bars: bars}, targetLine, &spanLabels{items: labels, style: tl.labels, avoid: &tl.target})
	power.Y.Min, power.Y.Max = 0, 1.16
	power.Y.Tick.Marker = powerTicks{}
	power.X.Label.Text = "time since the rollout started"
	return power, powerLegend(r, target, reached, short, targetLine), nil
}

// powerLegend is the power panel's legend: the colors of the bars shown and the target line.
func powerLegend(r *result.Plan, target float64, reached, short bool, targetLine *plotter.Line) []legendEntry {
	var legend []legendEntry
	if reached {
		legend = append(legend, legendEntry{"power reaches " + format.Number(target), []plot.Thumbnailer{boxThumb{passColor}}})
	}
	if short {
		legend = append(legend, legendEntry{"power below " + format.Number(target), []plot.Thumbnailer{boxThumb{shortColor}}})
	}
	if r.RequirePower > 0 {
		return append(legend, legendEntry{"required power " + format.Number(target) + " (--require-power)", []plot.Thumbnailer{targetLine}})
	}
	return append(legend, legendEntry{"target power " + format.Number(target), []plot.Thumbnailer{targetLine}})
}

// timelineAlt describes the timeline in words: each step, the canary requests and the first step
// that reaches the target power.
func timelineAlt(r *result.Plan, title string, total, target float64) string {
	var alt []string
	for _, s := range r.Steps {
		a := fmt.Sprintf("step %d: canary %s%% for %s", stepNumber(s), format.Number(s.Weight), format.Seconds(s.Duration))
		if s.DurationAssumed {
			a += " (assumed)"
		}
		if s.ErrorRatePower != nil && s.Duration > 0 {
			a += fmt.Sprintf(", power %.2f", *s.ErrorRatePower)
		}
		alt = append(alt, a)
	}
	out := fmt.Sprintf("%s. %s. %s canary requests over %s.", title, strings.Join(alt, "; "), format.Count(int64(total)), format.Seconds(r.TotalDuration))
	if r.DetectingStep != nil {
		return out + fmt.Sprintf(" Step %d is the first to reach power %s.", planStepNumber(r, *r.DetectingStep), format.Number(target))
	}
	return out + fmt.Sprintf(" No step reaches power %s.", format.Number(target))
}

// newPanel is one panel of a multi-panel chart: a plot with a small title and a y label.
func newPanel(title, ylabel string) *plot.Plot {
	p := newPlot()
	p.Title.Text = title
	p.Title.TextStyle = textStyle(9.5, draw.XCenter, draw.YTop)
	p.Title.Padding = vg.Points(4)
	p.Y.Label.Text = ylabel
	p.Add(horizontalGrid())
	return p
}

// timeTicks labels a time axis in seconds at round durations (1m, 5m, 1h...), about eight of
// them, with the label left out when labels is false (the upper panels of a timeline). On an axis
// with compressed spans (skip), span is the time the axis shows at scale, which sets the spacing,
// and the ends of each compressed span take the place of the ticks inside it.
type timeTicks struct {
	labels bool
	skip   [][2]float64
	span   float64
}

func (t timeTicks) Ticks(min, max float64) []plot.Tick {
	steps := []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800}
	span := max - min
	if t.span > 0 {
		span = t.span
	}
	step := steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= 8 {
			step = s
			break
		}
	}
	var ticks []plot.Tick
	values := []float64{}
	for i := math.Ceil(min / step); i*step <= max+1e-9; i++ {
		v := i * step
		inside := false
		for _, sp := range t.skip {
			if v > sp[0]-step/2 && v < sp[1]+step/2 {
				inside = true
			}
		}
		if !inside {
			values = append(values, v)
		}
	}
	for _, sp := range t.skip {
		values = append(values, sp[0], sp[1])
	}
	slices.Sort(values)
	for _, v := range slices.Compact(values) {
		tk := plot.Tick{Value: v}
		if t.labels {
			tk.Label = format.Seconds(v)
			if v == 0 {
				tk.Label = "0"
			}
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// countTicks labels a count axis from 0 at round steps (1, 2, 2.5 or 5 times a power of ten), three
// to six of them, in short form: 0, 2k, 4k, 1.5M; with a minor tick halfway.
type countTicks struct{}

func (countTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) {
		return []plot.Tick{{Value: min, Label: format.Compact(min)}}
	}
	step := 1.0
	for _, mag := range []float64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12} {
		found := false
		for _, m := range []float64{1, 2, 2.5, 5} {
			if (max-min)/(m*mag) <= 6 {
				step, found = m*mag, true
				break
			}
		}
		if found {
			break
		}
	}
	var ticks []plot.Tick
	for i := math.Ceil(min / step); i*step <= max; i++ {
		ticks = append(ticks, plot.Tick{Value: i * step, Label: format.Compact(i * step)})
		if (i+0.5)*step <= max {
			ticks = append(ticks, plot.Tick{Value: (i + 0.5) * step})
		}
	}
	return ticks
}

// powerTicks labels a power axis 0 to 1 every 0.2.
type powerTicks struct{}

func (powerTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for i := 0; i <= 10; i++ {
		t := plot.Tick{Value: float64(i) / 10}
		if i%2 == 0 {
			t.Label = strconv.FormatFloat(float64(i)/10, 'f', -1, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// bands shades spans of x over the whole height of the data area.
type bands struct{ spans [][2]float64 }

func (b *bands) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, _ := plt.Transforms(&c)
	for _, s := range b.spans {
		x0, x1 := trX(s[0]), trX(s[1])
		c.SetColor(bandColor)
		c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x1, Y: c.Max.Y}}.Path())
	}
}

// vlines draws thin vertical lines over the whole height of the data area: step boundaries.
type vlines struct{ xs []float64 }

func (v *vlines) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, _ := plt.Transforms(&c)
	sty := draw.LineStyle{Color: stepColor, Width: vg.Points(0.75), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
	for _, x := range v.xs {
		c.StrokeLine2(sty, trX(x), c.Min.Y, trX(x), c.Max.Y)
	}
}

// spanBar is a bar from x0 to x1 (data units) and from 0 to y.
type spanBar struct {
	x0, x1, y float64
	color     color.Color
}

// spanBars draws bars whose width is a span of the data, not a canvas length: one per step.
type spanBars struct{ bars []spanBar }

func (b *spanBars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for _, s := range b.bars {
		x0, x1 := trX(s.x0), trX(s.x1)
		// A gap between neighbouring bars, unless the bar is too narrow for one.
		if gap := vg.Points(1.5); x1-x0 > 4*gap {
			x0, x1 = x0+gap, x1-gap
		}
		y0, y1 := trY(0), trY(s.y)
		if y1-y0 < vg.Points(1) {
			y1 = y0 + vg.Points(1) // a power near 0 still shows
		}
		c.SetColor(s.color)
		c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}.Path())
	}
}

// spanLabel is a label centered over the span x0..x1 just above y: the first of texts that fits
// in the span's width, or none.
type spanLabel struct {
	x0, x1, y float64
	texts     []string
}

type spanLabels struct {
	items []spanLabel
	style text.Style
	// avoid, when set, is the y of a line the labels must not cross: a label that would is drawn
	// inside its bar, in white, when the bar is tall enough, and on a white box otherwise.
	avoid *float64
}

func (s *spanLabels) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for _, it := range s.items {
		x0, x1 := trX(it.x0), trX(it.x1)
		room := x1 - x0 - vg.Points(4)
		for _, t := range it.texts {
			if s.style.Width(t) > room {
				continue
			}
			sty := s.style
			at := vg.Point{X: (x0 + x1) / 2, Y: trY(it.y) + vg.Points(3)}
			h := sty.Height(t)
			if s.avoid != nil {
				line := trY(*s.avoid)
				if at.Y-vg.Points(1) <= line && line <= at.Y+h+vg.Points(1) {
					if top := trY(it.y) - vg.Points(3); top-h > trY(0)+vg.Points(2) {
						sty.Color = color.White
						sty.YAlign = draw.YTop
						at.Y = top
					} else {
						r := sty.Rectangle(t)
						pad := vg.Points(1.5)
						c.SetColor(color.White)
						c.Fill(vg.Rectangle{Min: vg.Point{X: at.X + r.Min.X - pad, Y: at.Y + r.Min.Y - pad/2},
							Max: vg.Point{X: at.X + r.Max.X + pad, Y: at.Y + r.Max.Y}}.Path())
					}
				}
			}
			c.FillText(sty, at, t)
			break
		}
	}
}

// pointLabel is a label at a point, moved by dx and dy.
type pointLabel struct {
	x, y   float64
	text   string
	style  text.Style
	dx, dy vg.Length
}

func (l *pointLabel) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	c.FillText(l.style, vg.Point{X: trX(l.x) + l.dx, Y: trY(l.y) + l.dy}, l.text)
}

// boxThumb is a filled box in a legend.
type boxThumb struct{ color color.Color }

func (b boxThumb) Thumbnail(c *draw.Canvas) {
	c.SetColor(b.color)
	c.Fill(vg.Rectangle{Min: vg.Point{X: c.Min.X + vg.Points(2), Y: c.Min.Y}, Max: vg.Point{X: c.Max.X - vg.Points(2), Y: c.Max.Y}}.Path())
}
