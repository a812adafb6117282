package report

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// pdfPages reads, for every page of a PDF that Chromium printed, how far down the page its drawing
// reaches: the share of the page's height above the lowest thing drawn (1 for a full page). It
// knows just enough of PDF for Chromium's output: the page tree's /Kids in order, each page's
// /MediaBox and /Contents stream (Flate), and in the content the operators that place things:
// q, Q and cm for the transformation, m, l, c and re for paths, BT, Tm and Td for text. Rectangles
// as tall as the page (its background, the clip of its printable area) do not count.
func pdfPages(t *testing.T, pdf []byte) []float64 {
	t.Helper()
	obj := func(n string) []byte {
		i := bytes.Index(pdf, []byte("\n"+n+" 0 obj"))
		if i < 0 {
			t.Fatalf("PDF: no object %s", n)
		}
		j := bytes.Index(pdf[i:], []byte("endobj"))
		return pdf[i : i+j]
	}
	kids := regexp.MustCompile(`/Type /Pages[^>]*?/Kids \[([^\]]*)\]`).FindSubmatch(pdf)
	if kids == nil {
		t.Fatal("PDF: no page tree")
	}
	var fills []float64
	for _, ref := range regexp.MustCompile(`(\d+) 0 R`).FindAllSubmatch(kids[1], -1) {
		page := obj(string(ref[1]))
		box := regexp.MustCompile(`/MediaBox \[([-0-9. ]+)\]`).FindSubmatch(page)
		contents := regexp.MustCompile(`/Contents (\d+) 0 R`).FindSubmatch(page)
		if box == nil || contents == nil {
			t.Fatalf("PDF: page %s has no media box or contents", ref[1])
		}
		dims := numbers(string(box[1]))
		h := dims[3] - dims[1]
		stream := obj(string(contents[1]))
		start := bytes.Index(stream, []byte("stream\n")) + len("stream\n")
		length := regexp.MustCompile(`/Length (\d+)`).FindSubmatch(stream)
		n, _ := strconv.Atoi(string(length[1]))
		r, err := zlib.NewReader(bytes.NewReader(stream[start : start+n]))
		if err != nil {
			t.Fatalf("PDF: page %s: %v", ref[1], err)
		}
		content, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("PDF: page %s: %v", ref[1], err)
		}
		low := lowestDrawn(content, h)
		fills = append(fills, (h-low)/h)
	}
	return fills
}

func numbers(s string) []float64 {
	var out []float64
	for _, f := range regexp.MustCompile(`[-0-9.]+`).FindAllString(s, -1) {
		v, _ := strconv.ParseFloat(f, 64)
		out = append(out, v)
	}
	return out
}

// matrix is a PDF transformation [a b c d e f].
type matrix [6]float64

func (m matrix) times(n matrix) matrix { // m then n
	return matrix{m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3], m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5]}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

var identity = matrix{1, 0, 0, 1, 0, 0}

// lowestDrawn is the lowest y (PDF points from the bottom) that a page's content draws at, or the
// page's height when it draws nothing.
func lowestDrawn(content []byte, h float64) float64 {
	tokens := regexp.MustCompile(`<<.*?>>|<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\)|\[[^\]]*\]|/[^\s/<>\[\]()]+|[-+]?[0-9]*\.?[0-9]+|[A-Za-z*'"]+`).FindAll(content, -1)
	low := h
	ctm, stack := identity, []matrix{}
	var tm, tlm matrix
	var nums []float64
	see := func(x, y float64) {
		_, py := ctm.apply(x, y)
		low = min(low, py)
	}
	for _, tok := range tokens {
		s := string(tok)
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			nums = append(nums, v)
			continue
		}
		last := func(n int) []float64 {
			if len(nums) < n {
				return make([]float64, n)
			}
			return nums[len(nums)-n:]
		}
		switch s {
		case "q":
			stack = append(stack, ctm)
		case "Q":
			if len(stack) > 0 {
				ctm, stack = stack[len(stack)-1], stack[:len(stack)-1]
			}
		case "cm":
			a := last(6)
			ctm = matrix{a[0], a[1], a[2], a[3], a[4], a[5]}.times(ctm)
		case "m", "l":
			a := last(2)
			see(a[0], a[1])
		case "c":
			a := last(6)
			see(a[4], a[5])
		case "re":
			a := last(4)
			_, y0 := ctm.apply(a[0], a[1])
			_, y1 := ctm.apply(a[0]+a[2], a[1]+a[3])
			if abs(y1-y0) < 0.85*h { // not the page's background or its printable area's clip
				low = min(low, y0, y1)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tm":
			a := last(6)
			tm = matrix{a[0], a[1], a[2], a[3], a[4], a[5]}
			tlm = tm
			see(tm[4], tm[5])
		case "Td", "TD":
			a := last(2)
			tlm = matrix{1, 0, 0, 1, a[0], a[1]}.times(tlm)
			tm = tlm
			see(tm[4], tm[5])
		}
		nums = nums[:0]
	}
	return low
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestPrintedPagesAreFull prints pages to PDF in headless Chromium, as a reviewer prints a report,
// and checks the print styles: no page but the last ends before 40% of its height, so that no
// table, rule or section too tall for the rest of a page leaves it blank and jumps to the next (the
// run page's first page was two-thirds blank, 33% filled, when tables and rules could not break).
// Charts cannot break: one that does not fit the rest of a page goes to the next, which is why
// the limit is not higher; printed, the tallest (the plan's timeline) is kept to 65% of the width.
func TestPrintedPagesAreFull(t *testing.T) {
	bin := chromium(t)
	for _, pc := range browserPages(t) {
		switch pc.name {
		case "run-bookinfo", "run-failing", "run-15-hosts", "plan-manual", "verify-sequential", "test":
		default:
			continue
		}
		t.Run(pc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := pc.render(&buf); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			page, pdf := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.pdf")
			if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			runChromium(t, bin, page, "--no-pdf-header-footer", "--print-to-pdf="+pdf)
			b, err := os.ReadFile(pdf)
			if err != nil {
				t.Fatalf("no PDF: %v", err)
			}
			fills := pdfPages(t, b)
			t.Logf("%d pages, filled %.2f", len(fills), fills)
			for i, f := range fills[:len(fills)-1] {
				if f < 0.4 {
					t.Errorf("page %d of %d ends at %.0f%% of its height: its next content was pushed to page %d", i+1, len(fills), 100*f, i+2)
				}
			}
			if dir := os.Getenv("SPLITSIM_SCREENSHOT_DIR"); dir != "" {
				os.WriteFile(filepath.Join(dir, pc.name+".pdf"), b, 0o644)
			}
		})
	}
}
