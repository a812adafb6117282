package report

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// TestCommandPagesLayout: the pages of test, lint and diff put first what their reader looks for
// (the failing expectations, the resources with errors, the shares that move), then the rest, the
// inputs and the warnings.
func TestCommandPagesLayout(t *testing.T) {
	for _, tc := range []struct {
		name  string
		page  func(io.Writer) error
		order []string
		has   []string
	}{
		{"test", func(w io.Writer) error { return TestHTML(w, loadFixture[result.TestRun](t, "test-failing.json")) },
			[]string{`class="verdict fail"`, "3 of 4 scenarios fail.", `id="expectations"`,
				// Failures first, in file order, then the expectation that holds.
				">argo-rollout-20rps<", `<span class="tag fail">FAIL</span>`, ">bookinfo-expects-90-10<", ">shadowed-header-route<",
				">bookinfo-80-20<", `<span class="tag pass">pass</span>`,
				`id="scenarios"`, `id="inputs"`, `id="warnings"`, `id="how-to-read"`},
			[]string{"v1 79.", "step 0 (canary 5% for 10m", "scenarios/bookinfo-80-20.yaml"}},
		{"lint", func(w io.Writer) error { return LintHTML(w, loadFixture[result.Lint](t, "lint-missing-subset.json")) },
			[]string{`class="verdict fail"`, "1 error in 1 resource", `id="findings"`, "<h3>VirtualService default/reviews",
				`<span class="tag error">1 error</span>`, `<span class="tag error">error</span>`, ">IST0101<", `<span class="tag info">info</span>`, "SPL012", `id="inputs"`},
			[]string{`href="scenarios/missing-subset.yaml#L31"`, "missing-subset.<wbr>yaml:<wbr>31", "spec.<wbr>http[0].<wbr>route[1]."}},
		{"diff", func(w io.Writer) error { return DiffHTML(w, loadFixture[result.Diff](t, "diff-bookinfo.json")) },
			[]string{`class="verdict pass"`, "2 shares move, the largest by 30 percentage points.", `id="moves"`,
				"80% → 50%", "-30 pp", "20% → 50%", "&#43;30 pp", `Host <span class="name">reviews</span>`, "80 → 50", `id="inputs"`, `id="warnings"`},
			[]string{`style="width:80.000%"`, `style="width:50.000%"`, "scenarios/bookinfo-50-50.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := rendered(t, tc.page)
			inOrder(t, page, tc.order)
			for _, want := range tc.has {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			selfContained(t, page)
		})
	}
}

// TestCommandPagesEscapeUserNames: names from the user's files reach the pages escaped.
func TestCommandPagesEscapeUserNames(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	tr := loadFixture[result.TestRun](t, "test-failing.json")
	tr.Scenarios[0].Name = evil
	tr.Scenarios[1].Checks[0].Failures = []string{evil}
	l := loadFixture[result.Lint](t, "lint-missing-subset.json")
	l.Findings[0].Resource = evil
	l.Findings[0].File = `javascript:alert(2)`
	d := loadFixture[result.Diff](t, "diff-bookinfo.json")
	d.Moves[0].Destination = evil
	d.Hosts[0].Host = evil
	for name, write := range map[string]func(io.Writer) error{
		"test": func(w io.Writer) error { return TestHTML(w, tr) },
		"lint": func(w io.Writer) error { return LintHTML(w, l) },
		"diff": func(w io.Writer) error { return DiffHTML(w, d) },
	} {
		t.Run(name, func(t *testing.T) {
			page := rendered(t, write)
			for _, bad := range []string{"<script", `href="javascript`} {
				if strings.Contains(page, bad) {
					t.Errorf("page contains %q", bad)
				}
			}
			if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Error("page lacks the escaped name")
			}
		})
	}
}

// TestLoadEveryKind: report reads back every kind of saved result, and renders the same page from
// it as from the result itself.
func TestLoadEveryKind(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		v       any
		html    bool
	}{
		{"test-failing.json", loadFixture[result.TestRun](t, "test-failing.json"), true},
		{"lint-missing-subset.json", loadFixture[result.Lint](t, "lint-missing-subset.json"), true},
		{"diff-bookinfo.json", loadFixture[result.Diff](t, "diff-bookinfo.json"), true},
		{"bookinfo-80-20.json", loadRun(t, "bookinfo-80-20.json"), true},
		{"verify-sequential.json", loadVerify(t, "verify-sequential.json"), true},
		{"plan-native.json", loadPlan(t, "plan-native.json"), true},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			doc, err := Load(filepath.Join("testdata", tc.fixture))
			if err != nil {
				t.Fatal(err)
			}
			var a, b bytes.Buffer
			if err := doc.HTML(&a, nil); err != nil {
				t.Fatal(err)
			}
			if err := For(tc.v).HTML(&b, nil); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("the page of the loaded result differs")
			}
		})
	}
	// Explain and power render text.
	dir := t.TempDir()
	for kind, body := range map[string]string{
		"explain": `{"tool": "splitsim", "kind": "explain", "host": "reviews", "request": {"method": "GET", "path": "/"}, "trace": [], "rule": null, "clusters": []}`,
		"power":   `{"tool": "splitsim", "kind": "power", "alpha": 0.001, "power": 0.8, "df": 1, "effect_size_w": 0.1, "required_n": 1000, "expected": [0.5, 0.5], "detect": [0.55, 0.45]}`,
	} {
		p := filepath.Join(dir, kind+".json")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		doc, err := Load(p)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if err := doc.Text(io.Discard); err != nil {
			t.Errorf("%s: text: %v", kind, err)
		}
	}
}
