package report

import (
	"bytes"
	"context"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
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

// screenshot renders the page at path in headless Chromium and returns the PNG screenshot.
func screenshot(t *testing.T, bin, page string, width, height int) []byte {
	t.Helper()
	dir := t.TempDir()
	shot := filepath.Join(dir, "screenshot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot,
		"--window-size="+strconv.Itoa(width)+","+strconv.Itoa(height), "file://"+page)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium failed: %v\n%s", err, out.Bytes())
	}
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v\n%s", err, out.Bytes())
	}
	return b
}

// browserCheck is what a page must show in the browser: its verdict banner's color, and colors of
// its charts, each on at least minChart pixels of a screenshot of the given height.
type browserCheck struct {
	name     string
	render   func(*bytes.Buffer) error
	height   int
	banner   [3]uint8 // background of the verdict banner (style.css --pass-bg / --fail-bg)
	colors   [][3]uint8
	minChart int
}

// checkInBrowser renders a page, opens it in headless Chromium at 1280 pixels wide and checks the
// screenshot: not blank, the verdict banner drawn in its color, the charts in theirs. With
// SPLITSIM_SCREENSHOT_DIR set, the screenshot is kept there to look at.
func checkInBrowser(t *testing.T, bin string, c browserCheck) {
	t.Helper()
	page := filepath.Join(t.TempDir(), "report.html")
	var buf bytes.Buffer
	if err := c.render(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := screenshot(t, bin, page, 1280, c.height)
	if dir := os.Getenv("SPLITSIM_SCREENSHOT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, c.name+".png"), shot, 0o644)
	}
	ink, img := inkFraction(t, shot)
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != c.height {
		t.Errorf("screenshot is %dx%d, want 1280x%d", b.Dx(), b.Dy(), c.height)
	}
	if ink < 0.03 {
		t.Fatalf("screenshot is blank: %.2f%% of the pixels are not white", 100*ink)
	}
	if n := countColor(img, c.banner, 6); n < 5000 {
		t.Errorf("verdict banner not drawn: %d pixels of its color", n)
	}
	for _, col := range c.colors {
		if n := countColor(img, col, 12); n < c.minChart {
			t.Errorf("charts not drawn: %d pixels of %v", n, col)
		}
	}
}

var (
	passBanner = [3]uint8{0xda, 0xfb, 0xe1}
	failBanner = [3]uint8{0xff, 0xeb, 0xe9}
	// observedBlue is the color of the observed bars of shares charts.
	observedBlue = [3]uint8{0, 114, 178}
)

// TestHTMLInBrowser opens the HTML report in headless Chromium and checks that the page rendered:
// the screenshot is not blank, the verdict banner is drawn in its color, and the embedded charts
// show (their blue bars). With SPLITSIM_SCREENSHOT_DIR set, the screenshots are kept there to look at.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	for _, tc := range []struct {
		fixture string
		banner  [3]uint8
	}{
		{"bookinfo-80-20.json", passBanner},
		{"failing.json", failBanner},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			checkInBrowser(t, bin, browserCheck{name: tc.fixture, height: 2000, banner: tc.banner,
				colors: [][3]uint8{observedBlue}, minChart: 5000,
				render: func(b *bytes.Buffer) error { return RunHTML(b, loadRun(t, tc.fixture), nil) }})
		})
	}
}

// TestPlanAndVerifyHTMLInBrowser opens the plan and verify pages in headless Chromium: the page
// renders (not blank), the verdict banner has its color, and the charts show (the plan timeline's
// green and vermillion power bars, the verify chart's blue bars). With SPLITSIM_SCREENSHOT_DIR
// set, the screenshots are kept there to look at.
func TestPlanAndVerifyHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	for _, tc := range []struct {
		fixture string
		render  func(*bytes.Buffer) error
		banner  [3]uint8
		colors  [][3]uint8 // colors of the charts that must show
	}{
		{"plan-argo-require.json", func(b *bytes.Buffer) error { return PlanHTML(b, loadPlan(t, "plan-argo-require.json"), nil) },
			failBanner, [][3]uint8{{0, 158, 115}, {213, 94, 0}}},
		{"plan-native.json", func(b *bytes.Buffer) error { return PlanHTML(b, loadPlan(t, "plan-native.json"), nil) },
			passBanner, [][3]uint8{{0, 158, 115}}},
		{"verify-prometheus.json", func(b *bytes.Buffer) error { return VerifyHTML(b, loadVerify(t, "verify-prometheus.json"), nil) },
			failBanner, [][3]uint8{observedBlue}},
		{"verify-sequential.json", func(b *bytes.Buffer) error { return VerifyHTML(b, loadVerify(t, "verify-sequential.json"), nil) },
			passBanner, [][3]uint8{observedBlue}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			checkInBrowser(t, bin, browserCheck{name: tc.fixture, render: tc.render, height: 2400, banner: tc.banner,
				colors: tc.colors, minChart: 3000})
		})
	}
}

func countColor(img image.Image, want [3]uint8, tol int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(int(r>>8), int(want[0]), tol) && near(int(g>>8), int(want[1]), tol) && near(int(bl>>8), int(want[2]), tol) {
				n++
			}
		}
	}
	return n
}

func near(a, b, tol int) bool {
	return a-b <= tol && b-a <= tol
}
