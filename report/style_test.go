package report

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cssRule is one rule of a style sheet: its selector and declarations, and the @media block it is
// in ("" at the top level).
type cssRule struct {
	media, selector string
	decls           map[string]string
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// parseCSS reads the rules of a style sheet, one level of @media deep: what the pages' CSS uses.
func parseCSS(t *testing.T, css string) []cssRule {
	t.Helper()
	css = cssComment.ReplaceAllString(css, "")
	var rules []cssRule
	var parse func(s, media string)
	parse = func(s, media string) {
		for {
			open := strings.IndexByte(s, '{')
			if open < 0 {
				return
			}
			head := strings.TrimSpace(s[:open])
			// Find the matching brace.
			depth, end := 0, -1
			for i := open; i < len(s); i++ {
				switch s[i] {
				case '{':
					depth++
				case '}':
					depth--
				}
				if depth == 0 {
					end = i
					break
				}
			}
			if end < 0 {
				t.Fatalf("unbalanced braces after %q", head)
			}
			body := s[open+1 : end]
			if strings.HasPrefix(head, "@media") {
				parse(body, strings.TrimSpace(strings.TrimPrefix(head, "@media")))
			} else if !strings.HasPrefix(head, "@") {
				decls := map[string]string{}
				for _, d := range strings.Split(body, ";") {
					k, v, ok := strings.Cut(d, ":")
					if ok {
						decls[strings.TrimSpace(k)] = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
					}
				}
				for _, sel := range strings.Split(head, ",") {
					rules = append(rules, cssRule{media: media, selector: strings.TrimSpace(sel), decls: decls})
				}
			}
			s = s[end+1:]
		}
	}
	parse(css, "")
	return rules
}

// theme is the custom properties of :root in one color scheme.
type theme map[string]string

// themes are the light theme (the top-level :root), the dark one (its values overridden by the
// :root of @media (prefers-color-scheme: dark)) and the printed one.
func themes(t *testing.T, rules []cssRule) map[string]theme {
	out := map[string]theme{"light": {}, "dark": {}, "print": {}}
	for _, r := range rules {
		if r.selector != ":root" {
			continue
		}
		var names []string
		switch {
		case r.media == "":
			names = []string{"light", "dark", "print"}
		case strings.Contains(r.media, "prefers-color-scheme: dark"):
			names = []string{"dark"}
		case r.media == "print":
			names = []string{"print"}
		}
		for _, n := range names {
			for k, v := range r.decls {
				if strings.HasPrefix(k, "--") {
					out[n][k] = v
				}
			}
		}
	}
	return out
}

// rgb reads #rgb or #rrggbb.
func rgb(t *testing.T, s string) [3]float64 {
	t.Helper()
	h := strings.TrimPrefix(s, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		t.Fatalf("color %q: want #rgb or #rrggbb", s)
	}
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatalf("color %q: %v", s, err)
		}
		c[i] = float64(v) / 255
	}
	return c
}

// contrast is the WCAG 2 contrast ratio of two colors.
func contrast(t *testing.T, a, b string) float64 {
	lum := func(c [3]float64) float64 {
		var l [3]float64
		for i, v := range c {
			if v <= 0.03928 {
				l[i] = v / 12.92
			} else {
				l[i] = math.Pow((v+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
	}
	la, lb := lum(rgb(t, a)), lum(rgb(t, b))
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// resolve is a color value in a theme: var(--name) looked up, #hex as is.
func (th theme) resolve(t *testing.T, v string) string {
	t.Helper()
	for strings.HasPrefix(v, "var(") {
		name := strings.TrimSuffix(strings.TrimPrefix(v, "var("), ")")
		got, ok := th[name]
		if !ok {
			t.Fatalf("%s is not defined", name)
		}
		v = got
	}
	return v
}

// TestThemeContrast computes, from the pages' CSS, the contrast of every text color on its
// background in the light, dark and print themes, and holds it to WCAG 2.1 AA: 4.5:1 for text,
// 3:1 for the graphics that carry meaning (chart marks, routing bars, borders of tags). It also
// checks that the rules use the theme's custom properties rather than colors of their own, so that
// a new rule cannot escape the dark theme.
func TestThemeContrast(t *testing.T) {
	rules := parseCSS(t, string(pageCSS))
	ths := themes(t, rules)
	bySelector := map[string]map[string]string{}
	for _, r := range rules {
		if r.media != "" || r.selector == ":root" {
			continue
		}
		if bySelector[r.selector] == nil {
			bySelector[r.selector] = map[string]string{}
		}
		for k, v := range r.decls {
			bySelector[r.selector][k] = v
		}
	}
	prop := func(sel, name string) string {
		d, ok := bySelector[sel]
		if !ok {
			t.Fatalf("no rule for %s", sel)
		}
		v, ok := d[name]
		if !ok {
			t.Fatalf("%s has no %s", sel, name)
		}
		return v
	}
	// Each check is a foreground and a background, each a selector's property or a value.
	type side struct{ sel, prop, value string }
	v := func(value string) side { return side{value: value} }
	p := func(sel, name string) side { return side{sel: sel, prop: name} }
	text, graphic := 4.5, 3.0
	for _, c := range []struct {
		name   string
		fg, bg side
		min    float64
	}{
		{"body text", p("body", "color"), p("body", "background"), text},
		{"muted text (subtitles, hints, captions)", p(".subtitle", "color"), p("body", "background"), text},
		{"muted text on table headers", p(".subtitle", "color"), p("th", "background"), text},
		{"table headers", p("th", "color"), p("th", "background"), text},
		{"links", p("a", "color"), p("body", "background"), text},
		{"verdict text, pass", p(".verdict", "color"), p(".verdict.pass", "background"), text},
		{"verdict text, fail", p(".verdict", "color"), p(".verdict.fail", "background"), text},
		{"verdict badge, pass", p(".verdict .badge", "color"), p(".verdict.pass .badge", "background"), text},
		{"verdict badge, fail", p(".verdict .badge", "color"), p(".verdict.fail .badge", "background"), text},
		{"links in the verdict", p("a", "color"), p(".verdict.fail", "background"), text},
		{"tag pass", p(".tag.pass", "color"), p(".tag.pass", "background"), text},
		{"tag fail", p(".tag.fail", "color"), p(".tag.fail", "background"), text},
		{"tag not tested", p(".tag.untested", "color"), p(".tag.untested", "background"), text},
		{"tag error", p(".tag.error", "color"), p(".tag.error", "background"), text},
		{"tag warning", p(".tag.warning", "color"), p(".tag.warning", "background"), text},
		{"tag info", p(".tag.info", "color"), p(".tag.info", "background"), text},
		{"failing rows", p("tr.bad td", "color"), p("body", "background"), text},
		{"test verdict pass", p(".test-verdict.pass", "color"), p("body", "background"), text},
		{"test verdict fail", p(".test-verdict.fail", "color"), p("body", "background"), text},
		{"power short", p("td.short", "color"), p("body", "background"), text},
		{"power reached", p("td.reached", "color"), p("body", "background"), text},
		{"notes", p(".note", "color"), p(".note", "background"), text},
		{"code", p("code", "color"), p("code", "background"), text},
		{"routing: rule notes", p(".r-note", "color"), p("body", "background"), text},
		{"routing: error shares", p(".split-text .bad", "color"), p("body", "background"), text},
		{"routing: traffic", p(".r-traffic", "color"), p("body", "background"), text},
		{"glossary", p(".glossary dd", "color"), p("body", "background"), text},
		{"chart text", v("var(--chart-fg)"), v("var(--chart-bg)"), text},
		{"chart keys", v("var(--chart-muted)"), v("var(--chart-bg)"), graphic},
		{"chart configured bars", v("var(--chart-configured)"), v("var(--chart-bg)"), graphic},
		{"routing bar d0", v("var(--d0)"), p("body", "background"), graphic},
		{"routing bar d1", v("var(--d1)"), p("body", "background"), graphic},
		{"routing bar d2", v("var(--d2)"), p("body", "background"), graphic},
		{"routing bar d3", v("var(--d3)"), p("body", "background"), graphic},
		{"routing bar d4", v("var(--d4)"), p("body", "background"), graphic},
		{"routing bar, redirects", v("var(--sother)"), p("body", "background"), graphic},
		{"routing bar 503", v("var(--s503)"), p("body", "background"), graphic},
		{"routing bar 404", v("var(--s404)"), p("body", "background"), graphic},
		{"tag borders pass", p(".tag.pass", "border-color"), p(".tag.pass", "background"), graphic},
		{"tag borders fail", p(".tag.fail", "border-color"), p(".tag.fail", "background"), graphic},
	} {
		for _, name := range []string{"light", "dark", "print"} {
			th := ths[name]
			get := func(s side) string {
				if s.sel == "" {
					return th.resolve(t, s.value)
				}
				return th.resolve(t, prop(s.sel, s.prop))
			}
			fg, bg := get(c.fg), get(c.bg)
			r := contrast(t, fg, bg)
			if r < c.min {
				t.Errorf("%s theme, %s: %s on %s has contrast %.2f:1, want at least %.1f:1", name, c.name, fg, bg, r, c.min)
			}
			if testing.Verbose() {
				t.Logf("%-5s %-42s %s on %s  %5.2f:1", name, c.name, fg, bg, r)
			}
		}
	}
	// Rules outside :root take their colors from the theme.
	hex := regexp.MustCompile(`#[0-9a-fA-F]{3,6}\b`)
	for _, r := range rules {
		if r.selector == ":root" {
			continue
		}
		for k, v := range r.decls {
			if m := hex.FindString(v); m != "" {
				t.Errorf("%s { %s: %s }: a color of its own (%s); use the theme's custom properties", r.selector, k, v, m)
			}
		}
	}
}
