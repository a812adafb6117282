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

// TestHTMLInBrowser opens the HTML report in headless Chromium and checks that the page rendered:
// the screenshot is not blank, the verdict banner is drawn in its color, and the embedded charts
// show (their blue bars). With SPLITSIM_SCREENSHOT_DIR set, the screenshots are kept there to look at.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	for _, tc := range []struct {
		fixture string
		banner  [3]uint8 // background of the verdict banner (style.css --pass-bg / --fail-bg)
	}{
		{"bookinfo-80-20.json", [3]uint8{0xda, 0xfb, 0xe1}},
		{"failing.json", [3]uint8{0xff, 0xeb, 0xe9}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			page := filepath.Join(t.TempDir(), "report.html")
			var buf bytes.Buffer
			if err := RunHTML(&buf, loadRun(t, tc.fixture), nil); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			shot := screenshot(t, bin, page, 1280, 2000)
			if dir := os.Getenv("SPLITSIM_SCREENSHOT_DIR"); dir != "" {
				os.WriteFile(filepath.Join(dir, tc.fixture+".png"), shot, 0o644)
			}
			ink, img := inkFraction(t, shot)
			if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
				t.Errorf("screenshot is %dx%d, want 1280x2000", b.Dx(), b.Dy())
			}
			if ink < 0.03 {
				t.Fatalf("screenshot is blank: %.2f%% of the pixels are not white", 100*ink)
			}
			if n := countColor(img, tc.banner, 6); n < 5000 {
				t.Errorf("verdict banner not drawn: %d pixels of its color", n)
			}
			if n := countColor(img, [3]uint8{0, 114, 178}, 12); n < 5000 {
				t.Errorf("charts not drawn: %d pixels of the observed bars' blue", n)
			}
		})
	}
}

// TestPlanAndVerifyHTMLInBrowser opens the plan and verify pages in headless Chromium: the page
// renders (not blank), the verdict banner has its color, and the charts show (the plan timeline's
// green and vermillion power bars, the verify chart's blue bars). With SPLITSIM_SCREENSHOT_DIR
// set, the screenshots are kept there to look at.
func TestPlanAndVerifyHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	pass, fail := [3]uint8{0xda, 0xfb, 0xe1}, [3]uint8{0xff, 0xeb, 0xe9}
	for _, tc := range []struct {
		fixture string
		render  func(*bytes.Buffer) error
		banner  [3]uint8
		colors  [][3]uint8 // colors of the charts that must show
	}{
		{"plan-argo-require.json", func(b *bytes.Buffer) error { return PlanHTML(b, loadPlan(t, "plan-argo-require.json"), nil) },
			fail, [][3]uint8{{0, 158, 115}, {213, 94, 0}}},
		{"plan-native.json", func(b *bytes.Buffer) error { return PlanHTML(b, loadPlan(t, "plan-native.json"), nil) },
			pass, [][3]uint8{{0, 158, 115}}},
		{"verify-prometheus.json", func(b *bytes.Buffer) error { return VerifyHTML(b, loadVerify(t, "verify-prometheus.json"), nil) },
			fail, [][3]uint8{{0, 114, 178}}},
		{"verify-sequential.json", func(b *bytes.Buffer) error { return VerifyHTML(b, loadVerify(t, "verify-sequential.json"), nil) },
			pass, [][3]uint8{{0, 114, 178}}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			page := filepath.Join(t.TempDir(), "report.html")
			var buf bytes.Buffer
			if err := tc.render(&buf); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			shot := screenshot(t, bin, page, 1280, 2400)
			if dir := os.Getenv("SPLITSIM_SCREENSHOT_DIR"); dir != "" {
				os.WriteFile(filepath.Join(dir, tc.fixture+".png"), shot, 0o644)
			}
			ink, img := inkFraction(t, shot)
			if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2400 {
				t.Errorf("screenshot is %dx%d, want 1280x2400", b.Dx(), b.Dy())
			}
			if ink < 0.03 {
				t.Fatalf("screenshot is blank: %.2f%% of the pixels are not white", 100*ink)
			}
			if n := countColor(img, tc.banner, 6); n < 5000 {
				t.Errorf("verdict banner not drawn: %d pixels of its color", n)
			}
			for _, c := range tc.colors {
				if n := countColor(img, c, 12); n < 3000 {
					t.Errorf("charts not drawn: %d pixels of %v", n, c)
				}
			}
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
