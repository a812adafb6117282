package report

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"image/color"
	"math"
	"regexp"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// chartVars maps the neutral colors of the charts (as vgsvg writes them) to the CSS custom
// properties of the page's theme (style.css), so that an inline chart follows the light or dark
// theme: its background, text, axes, grid and the configured-share gray. The data colors (the
// Okabe and Ito palette) stay: they read on both backgrounds.
var chartVars = map[string]string{
	svgColor(color.White):                 "var(--chart-bg)",
	svgColor(textColor):                   "var(--chart-fg)",
	svgColor(color.Black):                 "var(--chart-fg)",
	svgColor(gridColor):                   "var(--chart-grid)",
	svgColor(configuredColor):             "var(--chart-configured)",
	svgColor(mutedColor):                  "var(--chart-muted)",
	svgColor(stepColor):                   "var(--chart-step)",
	svgColor(bandColor):                   "var(--chart-band)",
	svgColor(color.RGBA{0, 0, 0, 255}):    "var(--chart-fg)",
	svgColor(color.RGBA{20, 20, 20, 255}): "var(--chart-fg)",
}

// svgColor is c as vgsvg writes it: #RRGGBB in upper case.
func svgColor(c color.Color) string {
	r, g, b, _ := color.RGBAModel.Convert(c).(color.RGBA).RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

var (
	svgStyleAttr = regexp.MustCompile(`\s*style="([^"]*)"`)
	svgNumber    = regexp.MustCompile(`-?[0-9]+\.[0-9]+`)
	svgGeometry  = regexp.MustCompile(` (d|x|y)="[^"]*"`)
	svgText      = regexp.MustCompile(`<text ([^>]*)>([^<]*)</text>`)
	svgFontSize  = regexp.MustCompile(`font-size:([0-9.]+)px`)
)

// inlineSVG renders the chart as an <svg> element to put inline in a page: text stays text (found by
// the browser's search, selectable, sharp at any zoom), the neutral colors follow the page's theme
// (chartVars), and the fonts are the page's (style.css sets them on svg.chart text). The element
// is sized in CSS pixels (96 per inch) and scales down with its figure; its title is the chart's
// alt text.
func inlineSVG(c *Chart) (template.HTML, error) {
	cv := vgsvg.New(c.Width, c.Height)
	if err := c.drawSafe(draw.New(cv)); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return "", err
	}
	s := buf.String()
	start := strings.Index(s, "<svg")
	end := strings.Index(s[max(start, 0):], ">")
	if start < 0 || end < 0 {
		return "", fmt.Errorf("chart %s: vgsvg wrote no <svg> element", c.Name)
	}
	body := s[start+end+1:]
	body = svgText.ReplaceAllStringFunc(body, fixTextLength)
	body = svgStyleAttr.ReplaceAllStringFunc(body, compactStyle)
	body = strings.ReplaceAll(body, "\n\t", " ")
	// Four significant digits are plenty at screen resolution (0.1 pt on a 400 pt chart).
	body = svgGeometry.ReplaceAllStringFunc(body, func(a string) string { return svgNumber.ReplaceAllStringFunc(a, shortNumber) })
	w, h := c.Width.Points(), c.Height.Points()
	head := fmt.Sprintf(`<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%d" height="%d" role="img" aria-label="%s">`,
		shortNumber(strconv.FormatFloat(w, 'f', -1, 64)), shortNumber(strconv.FormatFloat(h, 'f', -1, 64)),
		int(math.Round(w/72*96)), int(math.Round(h/72*96)), template.HTMLEscapeString(c.Alt))
	return template.HTML(head + "\n<title>" + template.HTMLEscapeString(c.Alt) + "</title>" + body), nil
}

// fixTextLength gives a text element the width its text has in the font the chart was laid out
// with (Liberation Sans), as textLength: in a browser without that font, the fallback font is
// squeezed or stretched to the same width, so that labels never overlap what the layout put next
// to them.
func fixTextLength(elem string) string {
	m := svgText.FindStringSubmatch(elem)
	attrs, content := m[1], m[2]
	size := svgFontSize.FindStringSubmatch(attrs)
	if size == nil || content == "" {
		return elem
	}
	pt, err := strconv.ParseFloat(size[1], 64)
	if err != nil {
		return elem
	}
	sty := textStyle(vg.Length(pt), draw.XLeft, draw.YBottom)
	if strings.Contains(attrs, "font-weight:bold") {
		sty.Font.Weight = xfont.WeightBold
	}
	w := sty.Width(html.UnescapeString(content)).Points()
	return fmt.Sprintf(`<text %s textLength="%s" lengthAdjust="spacingAndGlyphs">%s</text>`, attrs,
		strconv.FormatFloat(math.Round(w*100)/100, 'f', -1, 64), content)
}

// compactStyle rewrites one style attribute of vgsvg's output: the font family goes (the page sets
// it), so do the declarations that repeat the defaults, and theme colors become CSS variables.
func compactStyle(attr string) string {
	m := svgStyleAttr.FindStringSubmatch(attr)
	var keep []string
	for _, d := range strings.Split(m[1], ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(d), ":")
		switch {
		case k == "font-family", k == "font-variant" && v == "normal", k == "font-weight" && v == "normal",
			k == "font-style" && v == "normal", k == "":
			continue
		}
		if cv, ok := chartVars[v]; ok {
			v = cv
		}
		keep = append(keep, k+":"+v)
	}
	if len(keep) == 0 {
		return ""
	}
	return ` style="` + strings.Join(keep, ";") + `"`
}

// shortNumber keeps a decimal number to two decimals (hundredths of a point).
func shortNumber(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}
