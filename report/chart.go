package report

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/result"
)

// Chart kinds.
const (
	// KindShares compares the configured and observed share of each destination of a rule.
	KindShares = "shares"
	// KindConvergence follows the observed shares of a rule as requests accumulate.
	KindConvergence = "convergence"
)

// ChartDPI is the resolution of PNG charts: twice a screen's 96 dots per inch, so that they stay
// sharp on high-density screens and on paper.
const ChartDPI = 192

// Chart is one chart of a result: one rule of one host, one kind. Build them with RunCharts and
// render them with Render or PNG.
type Chart struct {
	// HostIndex and RuleIndex locate the chart's rule in result.Run.Hosts[HostIndex].Rules[RuleIndex].
	HostIndex, RuleIndex int
	Host                 string
	Rule                 string
	Kind                 string
	// Name is a file name stem made of host, rule and kind, safe on any file system and unique among
	// the charts of a run: "reviews_rule-0_shares".
	Name string
	// Title is the chart's title; Alt describes the chart in words (for the HTML alt text).
	Title string
	Alt   string
	// Width and Height are the chart's size.
	Width, Height vg.Length

	// heading and subject are the title's two lines as drawn: what the chart shows, and whose.
	heading, subject string
	plot             *plot.Plot
	// panels, when set, replace plot: plots stacked top to bottom whose data areas line up.
	panels []*plot.Plot
	legend []legendEntry
	// prepare runs once the plot's canvas is known, before drawing (bar widths depend on it).
	prepare func(c draw.Canvas)
	png     []byte
}

type legendEntry struct {
	text   string
	thumbs []plot.Thumbnailer
}

// Colors: Okabe and Ito's palette, distinguishable with the common color vision deficiencies.
var (
	palette = []color.Color{
		color.RGBA{0, 114, 178, 255},   // blue
		color.RGBA{213, 94, 0, 255},    // vermillion
		color.RGBA{0, 158, 115, 255},   // bluish green
		color.RGBA{204, 121, 167, 255}, // reddish purple
		color.RGBA{230, 159, 0, 255},   // orange
		color.RGBA{86, 180, 233, 255},  // sky blue
		color.RGBA{0, 0, 0, 255},       // black
		color.RGBA{240, 228, 66, 255},  // yellow
	}
	// configuredColor has 3:1 contrast on white (WCAG's minimum for graphics).
	configuredColor = color.RGBA{148, 148, 148, 255}
	gridColor       = color.RGBA{225, 225, 225, 255}
	textColor       = color.RGBA{20, 20, 20, 255}
	// mutedColor draws what explains the other lines: the configured share's key.
	mutedColor = color.RGBA{110, 110, 110, 255}
)

func sans(size vg.Length) font.Font {
	return font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, size)
}

func textStyle(size vg.Length, x draw.XAlignment, y draw.YAlignment) text.Style {
	return text.Style{Color: textColor, Font: sans(size), XAlign: x, YAlign: y, Handler: plot.DefaultTextHandler}
}

// RunCharts builds the charts of a run result: for every rule that received requests and has
// destinations, a bar chart of configured against observed shares; for every rule with a tested
// split and a recorded series, a convergence chart. Charts come in host and rule order, followed by
// the run's deviations chart (KindDeviations, HostIndex and RuleIndex -1) when a rule splits its
// requests.
func RunCharts(r *result.Run) ([]*Chart, error) {
	var charts []*Chart
	used := map[string]bool{}
	conf := format.Confidence(r.Alpha)
	for hi, h := range r.Hosts {
		for ri := range h.Rules {
			rule := &h.Rules[ri]
			if rule.Requests <= 0 || len(rule.Destinations) == 0 {
				continue
			}
			shares, err := sharesChart(ruleTitle(h.Host, rule), rule, conf)
			if err != nil {
				return nil, fmt.Errorf("host %s rule %s: shares chart: %w", h.Host, rule.Rule, err)
			}
			these := []*Chart{shares}
			if rule.Test != nil && len(rule.Series) >= 2 {
				c, err := convergenceChart(h.Host, rule)
				if err != nil {
					return nil, fmt.Errorf("host %s rule %s: convergence chart: %w", h.Host, rule.Rule, err)
				}
				if c != nil {
					these = append(these, c)
				}
			}
			for _, c := range these {
				c.Host, c.HostIndex, c.RuleIndex = h.Host, hi, ri
				c.Name = uniqueName(used, ChartName(h.Host, rule, c.Kind))
			}
			charts = append(charts, these...)
		}
	}
	dev, err := deviationsChart(r)
	if err != nil {
		return nil, fmt.Errorf("deviations chart: %w", err)
	}
	if dev != nil {
		dev.Name = uniqueName(used, dev.Name)
		charts = append(charts, dev)
	}
	return charts, nil
}

func uniqueName(used map[string]bool, name string) string {
	cand := name
	for i := 2; used[cand]; i++ {
		cand = name + "-" + strconv.Itoa(i)
	}
	used[cand] = true
	return cand
}

// ChartName is the file name stem of a chart: host, rule and kind, sanitised to letters, digits,
// '.', '-' and '_' ("reviews_rule-0_shares", "checkout_rule-0-split_convergence").
func ChartName(host string, rule *result.Rule, kind string) string {
	r := "rule-" + strconv.Itoa(rule.Index)
	if rule.Name != "" {
		r += "-" + sanitize(rule.Name)
	}
	return sanitize(host) + "_" + strings.TrimSuffix(r, "-") + "_" + kind
}

// sanitize keeps ASCII letters, digits, '.' and '-', turns runs of anything else into one '_', and
// trims '_' and '.' from both ends (no hidden files); at most 60 bytes.
func sanitize(s string) string {
	var b strings.Builder
	under := false
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
		if ok {
			b.WriteRune(c)
			under = false
		} else if !under {
			b.WriteByte('_')
			under = true
		}
	}
	out := b.String()
	if len(out) > 60 {
		out = out[:60]
	}
	out = strings.Trim(out, "_.")
	if out == "" {
		return "x"
	}
	return out
}

// destLabel names a destination on a chart axis: its subset, or its host (and port) when it has
// none; with the host when the rule's destinations have several hosts.
func destLabel(rule *result.Rule, d result.Destination) string {
	multi := false
	for _, o := range rule.Destinations {
		if o.Host != rule.Destinations[0].Host {
			multi = true
		}
	}
	name := d.Host
	if d.Port != 0 {
		name += ":" + strconv.FormatUint(uint64(d.Port), 10)
	}
	if d.Subset != "" {
		if multi {
			return name + " " + d.Subset
		}
		return d.Subset
	}
	return name
}

// fit shortens s with an ellipsis in the middle until it is at most width wide in style sty.
func fit(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 1; n-- {
		cut := string(r[:n-n/2]) + "…" + string(r[len(r)-n/2:])
		if sty.Width(cut) <= width {
			return cut
		}
	}
	return "…"
}

func newPlot() *plot.Plot {
	p := plot.New()
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(10)
		a.Label.TextStyle.Color = textColor
		a.Tick.Label.Font = sans(9)
		a.Tick.Label.Color = textColor
		a.Tick.Length = vg.Points(4)
	}
	return p
}

// percentTicks labels shares 0..1 as percentages every 20 points, with minor ticks every 10.
func percentTicks() plot.Ticker {
	var ticks plot.ConstantTicks
	for i := 0; i <= 10; i++ {
		t := plot.Tick{Value: float64(i) / 10}
		if i%2 == 0 {
			t.Label = strconv.Itoa(10*i) + "%"
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// requestTicks labels a log axis of request counts at powers of ten: 10, 100, 1k, 10k, 1M.
type requestTicks struct{}

func (requestTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		v := math.Pow(10, e)
		ticks = append(ticks, plot.Tick{Value: v, Label: format.Compact(v)})
		for m := 2.0; m < 10; m++ {
			ticks = append(ticks, plot.Tick{Value: m * v})
		}
	}
	// Label the end of the axis, the total, unless a power of ten is close to it.
	if d := math.Log10(max) - math.Floor(math.Log10(max)); d > 0.2 && d < 0.95 {
		ticks = append(ticks, plot.Tick{Value: max, Label: format.Compact3(max)})
	}
	return ticks
}

func ruleTitle(host string, rule *result.Rule) string {
	return "host " + host + " · rule " + rule.Rule
}

// sharesChart: for each destination, the configured share (gray) beside the observed share with its
// confidence interval as an error bar.
func sharesChart(subject string, rule *result.Rule, conf string) (*Chart, error) {
	n := len(rule.Destinations)
	width := vg.Inch * vg.Length(math.Max(5.5, 1.2+1.1*float64(n)))
	c := &Chart{Rule: rule.Rule, Kind: KindShares, Width: width, Height: 3.8 * vg.Inch,
		heading: "Configured vs observed share", subject: subject}
	c.Title = c.subject + ": " + strings.ToLower(c.heading[:1]) + c.heading[1:]
	p := newPlot()
	c.plot = p
	data := newSharesData(rule)
	c.Alt = c.Title + ". " + strings.Join(data.alt, "; ") + "."
	p.Add(horizontalGrid())
	s, err := newSharesPlotters(data)
	if err != nil {
		return nil, err
	}
	p.Add(s.conf, s.obs, s.errs)
	for _, l := range []*plotter.Labels{s.confText, s.obsText} {
		for i := range l.TextStyle {
			l.TextStyle[i] = textStyle(8, draw.XCenter, draw.YBottom)
		}
		l.Offset = vg.Point{Y: vg.Points(3)}
		p.Add(l)
	}
	p.NominalX(data.names...)
	p.X.Tick.Label = textStyle(9, draw.XCenter, draw.YTop)
	p.X.Label.Text = "destination"
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.X.Padding = 0
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = percentTicks()
	p.Y.Label.Text = "share of the rule's requests"
	p.Y.Padding = 0
	c.prepare = func(dc draw.Canvas) { s.layout(p, dc, data.names) }
	c.legend = []legendEntry{
		{"configured (weight / total weight)", []plot.Thumbnailer{s.conf}},
		{"observed, with its " + conf + " confidence interval", []plot.Thumbnailer{s.obs, errThumb{}}},
	}
	return c, nil
}

// sharesData is what a shares chart shows of each destination: the configured and observed
// shares, the interval, the labels above the bars, the axis names and the words of the alt text.
type sharesData struct {
	cfg, obs            plotter.Values
	errs                errorBars
	confLabels, obsLabs plotter.XYLabels
	names, alt          []string
}

func newSharesData(rule *result.Rule) sharesData {
	n := len(rule.Destinations)
	s := sharesData{cfg: make(plotter.Values, n), obs: make(plotter.Values, n), errs: make(errorBars, n), names: make([]string, n)}
	for i, d := range rule.Destinations {
		s.cfg[i], s.obs[i] = d.ExpectedShare, d.Share
		s.errs[i] = errorBar{x: float64(i) + 0.2, y: d.Share, low: d.Share - d.CILow, high: d.CIHigh - d.Share}
		s.confLabels.XYs = append(s.confLabels.XYs, plotter.XY{X: float64(i) - 0.2, Y: d.ExpectedShare})
		s.confLabels.Labels = append(s.confLabels.Labels, format.ShortPercent(d.ExpectedShare, 2))
		s.obsLabs.XYs = append(s.obsLabs.XYs, plotter.XY{X: float64(i) + 0.2, Y: d.CIHigh})
		s.obsLabs.Labels = append(s.obsLabs.Labels, format.Percent(d.Share, 2))
		s.names[i] = destLabel(rule, d)
		if d.Status != 0 && d.Status != 200 {
			s.names[i] += "\nanswers " + strconv.Itoa(d.Status)
			if d.Flag != "" {
				s.names[i] += " " + d.Flag
			}
		}
		s.alt = append(s.alt, fmt.Sprintf("%s configured %s, observed %s (interval %s to %s)", strings.ReplaceAll(s.names[i], "\n", ", "),
			format.ShortPercent(d.ExpectedShare, 3), format.Percent(d.Share, 3), format.Percent(d.CILow, 3), format.Percent(d.CIHigh, 3)))
	}
	return s
}

// sharesPlotters are the drawn parts of a shares chart: the configured and observed bars, the
// error bars and the labels above the bars.
type sharesPlotters struct {
	conf, obs         *plotter.BarChart
	errs              *plotter.YErrorBars
	confText, obsText *plotter.Labels
}

func newSharesPlotters(d sharesData) (*sharesPlotters, error) {
	var s sharesPlotters
	var err error
	if s.conf, err = plotter.NewBarChart(d.cfg, vg.Points(20)); err != nil {
		return nil, err
	}
	s.conf.XMin = -0.2
	s.conf.Color = configuredColor
	s.conf.LineStyle.Width = 0
	if s.obs, err = plotter.NewBarChart(d.obs, vg.Points(20)); err != nil {
		return nil, err
	}
	s.obs.XMin = 0.2
	s.obs.Color = palette[0]
	s.obs.LineStyle.Width = 0
	if s.errs, err = plotter.NewYErrorBars(d.errs); err != nil {
		return nil, err
	}
	s.errs.LineStyle.Width = vg.Points(1.2)
	s.errs.LineStyle.Color = textColor
	if s.confText, err = plotter.NewLabels(d.confLabels); err != nil {
		return nil, err
	}
	if s.obsText, err = plotter.NewLabels(d.obsLabs); err != nil {
		return nil, err
	}
	return &s, nil
}

// layout sizes and places the bars once the canvas dc is known. The widths of bars are canvas
// lengths, their places data coordinates: each destination gets a configured and an observed bar
// side by side (0.36 of the category wide, at most 64pt), placed with XMin so that the error bars,
// which sit at data coordinates, stay on the middle of the observed bars. Long destination names
// are shortened to the width of their category.
func (s *sharesPlotters) layout(p *plot.Plot, dc draw.Canvas, names []string) {
	n := len(names)
	data := p.DataCanvas(dc)
	unit := (data.Max.X - data.Min.X) / vg.Length(n)
	w := min(0.36*unit, vg.Points(64))
	off := float64((w/2 + vg.Points(4)) / unit)
	s.conf.Width, s.obs.Width = w, w
	s.conf.XMin, s.obs.XMin = -off, off
	s.errs.CapWidth = w / 2
	for i := range s.errs.XYs {
		s.errs.XYs[i].X = float64(i) + off
		s.obsText.XYs[i].X = float64(i) + off
		s.confText.XYs[i].X = float64(i) - off
	}
	short := make([]string, n)
	for i, name := range names {
		lines := strings.Split(name, "\n")
		for j := range lines {
			lines[j] = fit(p.X.Tick.Label, lines[j], unit*0.95)
		}
		short[i] = strings.Join(lines, "\n")
	}
	p.NominalX(short...)
	p.Y.Padding = 0
}

// errThumb draws an error bar in a legend.
type errThumb struct{}

func (errThumb) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	sty := draw.LineStyle{Color: textColor, Width: vg.Points(1.2)}
	c.StrokeLine2(sty, x, c.Min.Y, x, c.Max.Y)
	c.StrokeLine2(sty, x-vg.Points(3), c.Min.Y, x+vg.Points(3), c.Min.Y)
	c.StrokeLine2(sty, x-vg.Points(3), c.Max.Y, x+vg.Points(3), c.Max.Y)
}

type errorBar struct{ x, y, low, high float64 }

type errorBars []errorBar

func (e errorBars) Len() int                    { return len(e) }
func (e errorBars) XY(i int) (float64, float64) { return e[i].x, e[i].y }
func (e errorBars) YError(i int) (float64, float64) {
	return math.Max(0, e[i].low), math.Max(0, e[i].high)
}

// convergenceChart: the observed share of each destination against the number of requests so far
// (log scale), with the configured share (dashed) and its funnel of +-FunnelSigmas standard errors.
func convergenceChart(host string, rule *result.Rule) (*Chart, error) {
	var series []result.Point
	for _, pt := range rule.Series {
		if pt.Requests > 0 && len(pt.Shares) == len(rule.Destinations) {
			series = append(series, pt)
		}
	}
	if len(series) < 2 {
		return nil, nil
	}
	c := &Chart{Host: host, Rule: rule.Rule, Kind: KindConvergence, Width: 5.5 * vg.Inch, Height: 3.8 * vg.Inch,
		heading: "Observed share as requests accumulate", subject: ruleTitle(host, rule)}
	c.Title = c.subject + ": " + strings.ToLower(c.heading[:1]) + c.heading[1:]
	p := newPlot()
	c.plot = p
	p.Add(horizontalGrid())

	first, last := float64(series[0].Requests), float64(series[len(series)-1].Requests)
	funnels := make([]plot.Plotter, 0, len(rule.Destinations))
	lines := make([]plot.Plotter, 0, 2*len(rule.Destinations))
	var alt []string
	for j, d := range rule.Destinations {
		col := palette[j%len(palette)]
		funnel, err := funnelPolygon(series, j, len(rule.Destinations), col)
		if err != nil {
			return nil, err
		}
		if funnel != nil {
			funnels = append(funnels, funnel)
		}
		want, line, err := convergenceLines(series, j, d.ExpectedShare, first, last, col)
		if err != nil {
			return nil, err
		}
		lines = append(lines, want, line)
		name := destLabel(rule, d)
		c.legend = append(c.legend, legendEntry{name + " (configured " + format.ShortPercent(d.ExpectedShare, 2) + ")",
			[]plot.Thumbnailer{line}})
		end := series[len(series)-1]
		alt = append(alt, fmt.Sprintf("%s observed %s after %s requests, configured %s", name,
			format.Percent(end.Shares[j], 3), format.Count(end.Requests), format.ShortPercent(d.ExpectedShare, 3)))
	}
	p.Add(funnels...)
	p.Add(lines...)
	c.legend = append(c.legend, convergenceKey()...)
	c.Alt = c.Title + ". " + strings.Join(alt, "; ") + "."

	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = requestTicks{}
	p.X.Min, p.X.Max = first, last
	p.X.Label.Text = "requests so far (log scale)"
	p.X.Padding = 0
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = percentTicks()
	p.Y.Label.Text = "observed share"
	p.Y.Padding = 0
	return c, nil
}

// convergenceKey is the legend of the lines every destination has: the configured share
// (dashed) and the band around it, in gray.
func convergenceKey() []legendEntry {
	gray := mutedColor
	dashed, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}})
	dashed.Color, dashed.Width, dashed.Dashes = gray, vg.Points(1), []vg.Length{vg.Points(5), vg.Points(3)}
	band, _ := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: 1}})
	band.Color, band.LineStyle.Width = withAlpha(gray, 0.25), 0
	return []legendEntry{
		{"dashed: configured share", []plot.Thumbnailer{dashed}},
		{"band: configured ±" + strconv.Itoa(result.FunnelSigmas) + "σ (where a correct split stays)", []plot.Thumbnailer{band}},
	}
}

// funnelPolygon is the band of destination j around its configured share, between the series'
// funnel bounds, or nil when the series has fewer than two points with bounds for all n
// destinations.
func funnelPolygon(series []result.Point, j, n int, col color.Color) (*plotter.Polygon, error) {
	var upper, lower plotter.XYs
	for _, pt := range series {
		if len(pt.FunnelLow) == n && len(pt.FunnelHigh) == n {
			x := float64(pt.Requests)
			upper = append(upper, plotter.XY{X: x, Y: pt.FunnelHigh[j]})
			lower = append(lower, plotter.XY{X: x, Y: pt.FunnelLow[j]})
		}
	}
	if len(upper) < 2 {
		return nil, nil
	}
	ring := append(plotter.XYs{}, upper...)
	for i := len(lower) - 1; i >= 0; i-- {
		ring = append(ring, lower[i])
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil, err
	}
	poly.Color = withAlpha(col, 0.16)
	poly.LineStyle.Width = 0
	return poly, nil
}

// convergenceLines are the configured share of destination j (dashed, from first to last
// request) and its observed share along the series.
func convergenceLines(series []result.Point, j int, expected, first, last float64, col color.Color) (want, line *plotter.Line, err error) {
	want, err = plotter.NewLine(plotter.XYs{{X: first, Y: expected}, {X: last, Y: expected}})
	if err != nil {
		return nil, nil, err
	}
	want.Color = col
	want.Width = vg.Points(1)
	want.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	obs := make(plotter.XYs, len(series))
	for i, pt := range series {
		obs[i] = plotter.XY{X: float64(pt.Requests), Y: pt.Shares[j]}
	}
	if line, err = plotter.NewLine(obs); err != nil {
		return nil, nil, err
	}
	line.Color = col
	line.Width = vg.Points(1.6)
	return want, line, nil
}

func withAlpha(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	// Premultiplied, as color.RGBA requires.
	return color.RGBA{uint8(float64(r>>8) * a), uint8(float64(g>>8) * a), uint8(float64(b>>8) * a), uint8(255 * a)}
}

// draw lays the chart out on dc: the title on top, the legend below it (entries side by side,
// wrapped to more rows when needed), and the plot in the rest.
func (c *Chart) draw(dc draw.Canvas) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	pad := vg.Points(6)
	dc = draw.Crop(dc, pad, -pad, pad, -pad)

	width := dc.Max.X - dc.Min.X
	title := textStyle(11, draw.XCenter, draw.YTop)
	title.Font.Weight = xfont.WeightBold
	t := fit(title, c.heading, width)
	dc.FillText(title, vg.Point{X: dc.Center().X, Y: dc.Max.Y}, t)
	top := dc.Max.Y - title.Height(t) - vg.Points(2)
	sub := textStyle(9.5, draw.XCenter, draw.YTop)
	t = fit(sub, c.subject, width)
	dc.FillText(sub, vg.Point{X: dc.Center().X, Y: top}, t)
	top -= sub.Height(t) + vg.Points(4)

	top = c.drawLegend(dc, top)
	area := dc
	area.Max.Y = top - vg.Points(4)
	if len(c.panels) > 0 {
		rows := make([][]*plot.Plot, len(c.panels))
		for i, p := range c.panels {
			rows[i] = []*plot.Plot{p}
		}
		for i, pc := range plot.Align(rows, draw.Tiles{Rows: len(c.panels), Cols: 1, PadY: vg.Points(10)}, area) {
			c.panels[i].Draw(pc[0])
		}
		return
	}
	if c.prepare != nil {
		c.prepare(area)
	}
	c.plot.Draw(area)
}

// drawLegend draws the legend entries left to right from the top y, wrapping to new rows, and
// returns the y below the last row.
func (c *Chart) drawLegend(dc draw.Canvas, y vg.Length) vg.Length {
	if len(c.legend) == 0 {
		return y
	}
	sty := textStyle(8.5, draw.XLeft, draw.YBottom)
	thumbW, gap, inner := vg.Points(18), vg.Points(14), vg.Points(4)
	rowH := sty.Height("Xg") + vg.Points(3)
	width := dc.Max.X - dc.Min.X
	// Split the entries into rows, then center each row.
	type item struct {
		e legendEntry
		w vg.Length
	}
	var rows [][]item
	var row []item
	var rowW vg.Length
	for _, e := range c.legend {
		txt := fit(sty, e.text, width-thumbW-inner)
		w := thumbW + inner + sty.Width(txt)
		if len(row) > 0 && rowW+gap+w > width {
			rows = append(rows, row)
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			rowW += gap
		}
		row = append(row, item{legendEntry{txt, e.thumbs}, w})
		rowW += w
	}
	rows = append(rows, row)
	for _, row := range rows {
		var total vg.Length
		for i, it := range row {
			if i > 0 {
				total += gap
			}
			total += it.w
		}
		x := dc.Center().X - total/2
		y -= rowH
		for _, it := range row {
			icon := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: y + vg.Points(1.5)}, Max: vg.Point{X: x + thumbW, Y: y + rowH - vg.Points(1.5)}}}
			for _, th := range it.e.thumbs {
				th.Thumbnail(&icon)
			}
			dc.FillText(sty, vg.Point{X: x + thumbW + inner, Y: y + vg.Points(2)}, it.e.text)
			x += it.w + gap
		}
	}
	return y
}

// Render writes the chart as "png" (at ChartDPI) or "svg".
func (c *Chart) Render(w io.Writer, format string) error {
	switch format {
	case "png":
		b, err := c.PNG()
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	case "svg":
		cv := vgsvg.New(c.Width, c.Height)
		if err := c.drawSafe(draw.New(cv)); err != nil {
			return err
		}
		_, err := cv.WriteTo(w)
		return err
	}
	return fmt.Errorf("chart format %q: want png or svg", format)
}

// PNG returns the chart as a PNG image at ChartDPI. It is rendered once and kept.
func (c *Chart) PNG() ([]byte, error) {
	if c.png != nil {
		return c.png, nil
	}
	cv := vgimg.NewWith(vgimg.UseWH(c.Width, c.Height), vgimg.UseDPI(ChartDPI))
	if err := c.drawSafe(draw.New(cv)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(&buf); err != nil {
		return nil, err
	}
	c.png = buf.Bytes()
	return c.png, nil
}

// drawSafe draws the chart, turning a panic of the plotting library into an error, and refuses a
// shape that reaches far outside the chart (see boundedCanvas).
func (c *Chart) drawSafe(dc draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("chart %s: %v", c.Name, r)
		}
	}()
	dc.Canvas = boundedCanvas{dc.Canvas}
	c.draw(dc)
	return nil
}

// maxChartExtent bounds every coordinate a chart draws at, in points: 1,000 times the width of
// the widest chart splitsim draws (16 million pixels at ChartDPI, at least 1.25 inches high).
const maxChartExtent = 25e6

// boundedCanvas passes every drawing on to its canvas, but panics (drawSafe's error) at a path with
// a point beyond maxChartExtent or not a number. The PNG rasterizer's work grows with the extent of
// a path, so a saved result whose shares are 1e308 (issue 18) rendered for ever; no value a command
// computes draws outside its chart by that much.
type boundedCanvas struct{ vg.Canvas }

func (b boundedCanvas) Stroke(p vg.Path) { checkExtent(p); b.Canvas.Stroke(p) }
func (b boundedCanvas) Fill(p vg.Path)   { checkExtent(p); b.Canvas.Fill(p) }

func checkExtent(p vg.Path) {
	in := func(l vg.Length) bool { return math.Abs(float64(l)) <= maxChartExtent } // false for NaN
	for _, c := range p {
		ok := in(c.Pos.X) && in(c.Pos.Y) && in(c.Radius)
		for _, q := range c.Control {
			ok = ok && in(q.X) && in(q.Y)
		}
		if !ok {
			panic("a value lies far outside the chart's axes (a share above 1 or a count out of range?)")
		}
	}
}

// horizontalGrid is the light horizontal grid every chart draws behind its data.
func horizontalGrid() *plotter.Grid {
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = gridColor
	grid.Horizontal.Width = vg.Points(0.5)
	return grid
}
