package report

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/splitsim/splitsim/result"
)

// chromium finds a Chromium binary. Where there is none, the test is skipped locally and fails in
// CI (CI=true), where .ci/run installs Debian's chromium.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found, and CI=true: the HTML report must be checked in a real browser in CI (.ci/run installs Debian's chromium)")
	}
	t.Skip("skipping the browser check of the HTML report: chromium is not installed (apt-get install chromium); in CI (CI=true) this fails instead")
	return ""
}

// browsers limits the Chromium instances the tests run at once.
var browsers = make(chan struct{}, 4)

// runChromium runs headless Chromium on a page with the given flags and returns its standard
// output, and its log (console messages are logged as INFO:CONSOLE).
func runChromium(t *testing.T, bin, page string, flags ...string) (stdout []byte, log string) {
	t.Helper()
	browsers <- struct{}{}
	defer func() { <-browsers }()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
		"--user-data-dir=" + filepath.Join(dir, "profile")}, flags...)
	cmd := exec.CommandContext(ctx, bin, append(args, "file://"+page)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium failed: %v\n%s", err, errOut.Bytes())
	}
	return out.Bytes(), errOut.String()
}

// screenshot renders the page at path in headless Chromium, dark asks for the dark color scheme
// (--force-dark-mode: prefers-color-scheme: dark), and returns the PNG screenshot and Chromium's
// console messages.
func screenshot(t *testing.T, bin, page string, width, height int, dark bool) ([]byte, []string) {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "screenshot.png")
	flags := []string{"--screenshot=" + shot, "--window-size=" + strconv.Itoa(width) + "," + strconv.Itoa(height)}
	if dark {
		flags = append(flags, "--force-dark-mode")
	}
	_, log := runChromium(t, bin, page, flags...)
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v\n%s", err, log)
	}
	return b, consoleMessages(log)
}

var consoleLine = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)

// consoleMessages are the lines of Chromium's log that a page's console wrote: errors, warnings
// and logs alike, none of which a page without scripts should cause.
func consoleMessages(log string) []string {
	return consoleLine.FindAllString(log, -1)
}

// probeScript, added to a copy of a page, measures it once laid out at the window's width and
// writes what it found into the DOM that --dump-dom prints: the page's width against the window's,
// the boxes that scroll sideways, and the size of each chart.
const probeScript = `<script>
(function () {
  var d = document.documentElement, wide = [], charts = [];
  document.querySelectorAll(".table-wrap, figure, .routing, pre").forEach(function (e) {
    if (e.scrollWidth > e.clientWidth + 1) wide.push((e.className || e.tagName) + " " + e.scrollWidth + ">" + e.clientWidth);
  });
  document.querySelectorAll("svg.chart").forEach(function (e) {
    var r = e.getBoundingClientRect(); charts.push([Math.round(r.width), Math.round(r.height)]);
  });
  var p = document.createElement("pre"); p.id = "probe";
  p.textContent = JSON.stringify({scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, height: d.scrollHeight, wide: wide, charts: charts});
  document.body.appendChild(p);
})();
</script>`

type probe struct {
	ScrollWidth, ClientWidth, Height int
	Wide                             []string
	Charts                           [][2]int
}

// measure lays a copy of the page out at the given width with probeScript and reads what it
// found.
func measure(t *testing.T, bin string, page []byte, width int) probe {
	t.Helper()
	copyPath := filepath.Join(t.TempDir(), "probe.html")
	withProbe := bytes.Replace(page, []byte("</body>"), []byte(probeScript+"</body>"), 1)
	if err := os.WriteFile(copyPath, withProbe, 0o644); err != nil {
		t.Fatal(err)
	}
	dom, log := runChromium(t, bin, copyPath, "--dump-dom", "--window-size="+strconv.Itoa(width)+",1000")
	m := regexp.MustCompile(`<pre id="probe">([^<]*)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe did not run:\n%s", log)
	}
	var p probe
	if err := json.Unmarshal(bytes.ReplaceAll(m[1], []byte("&quot;"), []byte(`"`)), &p); err != nil {
		t.Fatalf("probe %s: %v", m[1], err)
	}
	if msgs := consoleMessages(log); len(msgs) > 0 {
		t.Errorf("console messages while laid out: %s", strings.Join(msgs, "\n"))
	}
	return p
}

// pageCheck is a page to open in the browser, what its verdict banner looks like in each theme,
// and colors that only its charts draw.
type pageCheck struct {
	name   string
	render func(io.Writer) error
	pass   bool
	colors [][3]uint8 // chart colors that must show in the light screenshot
	// minChart is the number of pixels each of them must cover (300 when 0).
	minChart int
}

var (
	passBanner     = [3]uint8{0xda, 0xfb, 0xe1}
	failBanner     = [3]uint8{0xff, 0xeb, 0xe9}
	passBannerDark = [3]uint8{0x12, 0x26, 0x1e}
	failBannerDark = [3]uint8{0x3b, 0x17, 0x19}
	// configuredGray is the color of the configured bars of shares charts, and vermillion the
	// color of a failing rule's dots, a short step's power bar and a destination's second line.
	configuredGray = [3]uint8{148, 148, 148}
	vermillion     = [3]uint8{213, 94, 0}
	chartGreen     = [3]uint8{0, 158, 115}
)

// browserPages are the pages every command writes, from the fixtures, and a 15-host run.
func browserPages(t *testing.T) []pageCheck {
	return []pageCheck{
		{"run-bookinfo", func(w io.Writer) error { return RunHTML(w, loadRun(t, "bookinfo-80-20.json"), nil) }, true, [][3]uint8{configuredGray}, 0},
		{"run-failing", func(w io.Writer) error { return RunHTML(w, loadRun(t, "failing.json"), nil) }, false, [][3]uint8{configuredGray, vermillion}, 0},
		{"run-15-hosts", func(w io.Writer) error { return RunHTML(w, bigRun(15, 1_000_000), nil) }, false, [][3]uint8{vermillion}, 80},
		{"verify-prometheus", func(w io.Writer) error { return VerifyHTML(w, loadVerify(t, "verify-prometheus.json"), nil) }, false, [][3]uint8{configuredGray}, 0},
		{"verify-sequential", func(w io.Writer) error { return VerifyHTML(w, loadVerify(t, "verify-csv-sequential.json"), nil) }, false, [][3]uint8{configuredGray, vermillion}, 0},
		{"plan-argo", func(w io.Writer) error { return PlanHTML(w, loadPlan(t, "plan-argo-require.json"), nil) }, false, [][3]uint8{chartGreen, vermillion}, 0},
		{"plan-manual", func(w io.Writer) error { return PlanHTML(w, loadPlan(t, "plan-argo-manual.json"), nil) }, true, [][3]uint8{chartGreen}, 0},
		{"test", func(w io.Writer) error { return TestHTML(w, loadFixture[result.TestRun](t, "test-failing.json")) }, false, nil, 0},
		{"lint", func(w io.Writer) error { return LintHTML(w, loadFixture[result.Lint](t, "lint-missing-subset.json")) }, false, nil, 0},
		{"diff", func(w io.Writer) error { return DiffHTML(w, loadFixture[result.Diff](t, "diff-bookinfo.json")) }, true, nil, 0},
	}
}

// TestPagesInBrowser opens every page in headless Chromium at 1280 pixels wide, in the light and
// the dark color scheme, and checks what a reader would see: the page is drawn (not blank), its
// verdict banner has its color in each theme, its charts show (their colors, and each chart laid
// out at a readable size), the dark screenshot is dark and differs from the light one, nothing is
// wider than the window or scrolls sideways, and the console stays silent. With
// SPLITSIM_SCREENSHOT_DIR set, the screenshots are kept there (NAME-light.png, NAME-dark.png).
func TestPagesInBrowser(t *testing.T) {
	bin := chromium(t)
	var mu sync.Mutex
	for _, pc := range browserPages(t) {
		t.Run(pc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			mu.Lock()
			err := pc.render(&buf)
			mu.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			page := filepath.Join(t.TempDir(), "report.html")
			if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			p := measure(t, bin, buf.Bytes(), 1280)
			checkLayout(t, p, bytes.Count(buf.Bytes(), []byte(`<svg class="chart"`)))
			height := min(max(p.Height, 800), 6000)
			light, msgs := screenshot(t, bin, page, 1280, height, false)
			dark, darkMsgs := screenshot(t, bin, page, 1280, height, true)
			if msgs = append(msgs, darkMsgs...); len(msgs) > 0 {
				t.Errorf("console messages: %s", strings.Join(msgs, "\n"))
			}
			if dir := os.Getenv("SPLITSIM_SCREENSHOT_DIR"); dir != "" {
				os.WriteFile(filepath.Join(dir, pc.name+"-light.png"), light, 0o644)
				os.WriteFile(filepath.Join(dir, pc.name+"-dark.png"), dark, 0o644)
			}
			checkScreenshots(t, pc, light, dark, height)
		})
	}
}

// checkLayout checks a page as laid out at 1280 pixels: nothing wider than the window or
// scrolling sideways, and every one of its charts laid out at a readable size.
func checkLayout(t *testing.T, p probe, charts int) {
	t.Helper()
	if p.ScrollWidth > p.ClientWidth {
		t.Errorf("the page is %d pixels wide in a window of %d: it scrolls sideways", p.ScrollWidth, p.ClientWidth)
	}
	if len(p.Wide) > 0 {
		t.Errorf("boxes that scroll sideways at 1280 pixels: %s", strings.Join(p.Wide, "; "))
	}
	if len(p.Charts) != charts {
		t.Errorf("%d charts laid out, want %d", len(p.Charts), charts)
	}
	for i, c := range p.Charts {
		if c[0] < 300 || c[1] < 150 {
			t.Errorf("chart %d is laid out %dx%d pixels: too small to read", i, c[0], c[1])
		}
	}
}

// checkScreenshots checks the light and dark screenshots of a page: drawn, the dark one dark and
// different, the verdict banner in each theme's color, the charts in theirs.
func checkScreenshots(t *testing.T, pc pageCheck, light, dark []byte, height int) {
	t.Helper()
	ink, img := inkFraction(t, light)
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != height {
		t.Errorf("screenshot is %dx%d, want 1280x%d", b.Dx(), b.Dy(), height)
	}
	if ink < 0.02 || ink > 0.6 {
		t.Errorf("light screenshot: %.1f%% of the pixels are not white; want a drawn page on white", 100*ink)
	}
	darkInk, darkImg := inkFraction(t, dark)
	if darkInk < 0.9 {
		t.Errorf("dark screenshot: only %.1f%% of the pixels are not white; want a dark page", 100*darkInk)
	}
	if bytes.Equal(light, dark) {
		t.Error("the dark screenshot is the light one")
	}
	banner, darkBanner := passBanner, passBannerDark
	if !pc.pass {
		banner, darkBanner = failBanner, failBannerDark
	}
	lightCounts := countColors(img, append([][3]uint8{banner}, pc.colors...), 12)
	if n := countColors(darkImg, [][3]uint8{darkBanner}, 6)[0]; n < 5000 {
		t.Errorf("dark: verdict banner not drawn: %d pixels of its color", n)
	}
	if n := lightCounts[0]; n < 5000 {
		t.Errorf("light: verdict banner not drawn: %d pixels of its color", n)
	}
	least := pc.minChart
	if least == 0 {
		least = 300
	}
	for i, col := range pc.colors {
		if n := lightCounts[i+1]; n < least {
			t.Errorf("charts not drawn: %d pixels of %v", n, col)
		}
	}
}

// countColors counts the pixels of img near each of the colors, within tol in every channel.
func countColors(img image.Image, colors [][3]uint8, tol int) []int {
	n := make([]int, len(colors))
	eachPixel(img, func(r, g, b uint8) {
		for i, want := range colors {
			if near(int(r), int(want[0]), tol) && near(int(g), int(want[1]), tol) && near(int(b), int(want[2]), tol) {
				n[i]++
			}
		}
	})
	return n
}

// eachPixel calls f with the 8-bit color of every pixel, reading the pixels of the usual PNG
// decodings directly (image.At is slow on 1280x6000 screenshots, the more so under -race).
func eachPixel(img image.Image, f func(r, g, b uint8)) {
	var pix []uint8
	switch m := img.(type) {
	case *image.RGBA:
		if m.Stride == 4*m.Rect.Dx() {
			pix = m.Pix
		}
	case *image.NRGBA:
		if m.Stride == 4*m.Rect.Dx() {
			pix = m.Pix
		}
	}
	if pix != nil {
		for i := 0; i+3 < len(pix); i += 4 {
			f(pix[i], pix[i+1], pix[i+2])
		}
		return
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			f(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
		}
	}
}

func near(a, b, tol int) bool {
	return a-b <= tol && b-a <= tol
}
