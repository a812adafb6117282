package report

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/splitsim/splitsim/result"
)

// bigRun is a run of hosts hosts with two rules each, as `splitsim run` writes it for a mesh of
// that size at n requests per rule: a header route split 90/10 and a default route split 80/20 (or
// 70/30), each with its convergence series of 60 points; host 4's header route sends 10% to an
// undefined subset (503), host 7's default route is unreachable, host 9's default route has a
// single destination, and host 2's default route is off by 2 points (it fails).
func bigRun(hosts int, n int64) *result.Run {
	r := &result.Run{Header: result.NewHeader(result.KindRun), Files: []string{"mesh.yaml"}, Seed: 1, Requests: n, Alpha: 0.001,
		Method: "per-request", Verdict: result.Fail, SelfTest: result.Fail}
	dest := func(host, subset string, weight int32, share, observed float64, status int) result.Destination {
		half := 3.3 * math.Sqrt(share*(1-share)/float64(n))
		d := result.Destination{Host: host, Subset: subset, Cluster: "outbound||" + subset + "|" + host + ".shop.svc.cluster.local",
			Weight: weight, ExpectedShare: share, Count: int64(observed * float64(n)), Share: observed,
			CILow: observed - half, CIHigh: observed + half, Status: 200}
		if status != 0 {
			d.Status, d.Flag = status, "NC"
		}
		return d
	}
	rule := func(index int, name, match string, dests ...result.Destination) result.Rule {
		ru := result.Rule{Rule: name, Index: index, Name: name, Source: fmt.Sprintf("mesh.yaml:%d", 10*index+3), Match: []string{match},
			Action: result.ActionForward, Requests: n, Forwarded: n, Destinations: dests}
		if len(dests) > 1 {
			passed := dests[0].Share == dests[0].ExpectedShare
			ru.Test = &result.Test{Method: "pearson", Statistic: 0.5, DF: len(dests) - 1, PValue: 0.48, Log10P: -0.32, PAdjusted: 1, Passed: true}
			if !passed {
				ru.Test.PValue, ru.Test.Log10P, ru.Test.PAdjusted, ru.Test.Passed = 1e-40, -40, 1e-38, false
			}
			for i := 1; i <= 60; i++ {
				k := int64(math.Round(float64(n) * float64(i) / 60))
				pt := result.Point{Requests: k}
				for _, d := range dests {
					pt.Counts = append(pt.Counts, int64(d.Share*float64(k)))
					pt.Shares = append(pt.Shares, d.Share)
					se := 3 * math.Sqrt(d.ExpectedShare*(1-d.ExpectedShare)/float64(k))
					pt.FunnelLow, pt.FunnelHigh = append(pt.FunnelLow, d.ExpectedShare-se), append(pt.FunnelHigh, d.ExpectedShare+se)
				}
				ru.Series = append(ru.Series, pt)
			}
		}
		return ru
	}
	for h := 0; h < hosts; h++ {
		name := fmt.Sprintf("svc%02d", h)
		w1 := int32(80)
		if h%3 == 0 {
			w1 = 70
		}
		var status int
		if h == 4 {
			status = 503
		}
		beta := rule(0, "beta", `header x-beta exact "true"`, dest(name, "v2", 90, 0.9, 0.9, 0), dest(name, "v3", 10, 0.1, 0.1, status))
		obs := float64(w1) / 100
		if h == 2 {
			obs -= 0.02
		}
		def := rule(1, "default", "", dest(name, "v1", w1, float64(w1)/100, obs, 0), dest(name, "v2", 100-w1, 1-float64(w1)/100, 1-obs, 0))
		switch h {
		case 7:
			def.Unreachable, def.Requests, def.Forwarded, def.Match, def.Test, def.Series = true, 0, 0, nil, nil, nil
			for i := range def.Destinations {
				def.Destinations[i].Count, def.Destinations[i].Share, def.Destinations[i].CILow, def.Destinations[i].CIHigh = 0, 0, 0, 0
			}
		case 9:
			def = rule(1, "default", "", dest(name, "v1", 0, 1, 1, 0))
		}
		r.Hosts = append(r.Hosts, result.Host{Host: name, From: "sidecar:shop", Callers: []string{"sidecar:shop", "sidecar:web"},
			DecidedBy: "VirtualService shop/" + name, Requests: 2 * n, Rules: []result.Rule{beta, def}})
	}
	return r
}

// TestRunPageScales: a 15-host, 30-rule run at a million requests per rule renders a page under
// 1.5 MB whose routing overview shows every rule's split, in match order with its conditions and
// callers; only the failing rule and the one with a 503 share keep charts of their own, the others
// are in the deviations chart.
func TestRunPageScales(t *testing.T) {
	r := bigRun(15, 1_000_000)
	start := time.Now()
	page := rendered(t, func(w io.Writer) error { return RunHTML(w, r, nil) })
	took := time.Since(start)
	t.Logf("15 hosts, 30 rules: %d bytes (%.2f MB) in %v, %d charts", len(page), float64(len(page))/1e6, took, strings.Count(page, `<svg class="chart"`))
	if len(page) >= 1_500_000 {
		t.Errorf("page is %d bytes, want under 1.5 MB", len(page))
	}
	overview := page[strings.Index(page, `id="overview"`):strings.Index(page, `id="deviations"`)]
	for _, h := range r.Hosts {
		if !strings.Contains(overview, `rh-name name">`+h.Host+"<") {
			t.Errorf("the overview lacks host %s", h.Host)
		}
		for _, rule := range h.Rules {
			if !strings.Contains(overview, splitText(&rule, false)) {
				t.Errorf("the overview lacks the split of %s %s (%s)", h.Host, rule.Rule, splitText(&rule, false))
			}
		}
	}
	for _, want := range []string{"callers sidecar:shop, sidecar:web; decided by VirtualService shop/svc00",
		`<code>header x-beta exact &#34;true&#34;</code>`, `<span class="every">every request</span>`,
		"unreachable: an earlier rule takes every request", "v3 10 → 503 NC", "v1 80 / v2 20", "v1 70 / v2 30", "v1 100"} {
		if !strings.Contains(overview, want) {
			t.Errorf("the overview lacks %q", want)
		}
	}
	// Shares and convergence charts of two rules (svc02 default fails, svc04 beta answers 503), and
	// the deviations chart.
	if n := strings.Count(page, `<svg class="chart"`); n != 5 {
		t.Errorf("%d charts, want 5", n)
	}
	if n := strings.Count(page, "this split is in <a href=\"#deviations\">"); n != 26 {
		t.Errorf("%d rules refer to the deviations chart, want 26", n)
	}
}

// TestRunPageEdgeRules: an unreachable rule shows no interval for its 0 requests and is among the
// warnings; a single destination shows no weight (it needs none); the routing overview draws them.
func TestRunPageEdgeRules(t *testing.T) {
	r := bigRun(10, 10_000)
	r.Warnings = nil
	page := rendered(t, func(w io.Writer) error { return RunHTML(w, r, nil) })
	section := func(anchor string) string {
		i := strings.Index(page, `<article class="rule" id="`+anchor+`"`)
		j := strings.Index(page[i:], "</article>")
		return page[i : i+j]
	}
	unreachable := section("rule-7-1")
	if strings.Contains(unreachable, "[0.000%, 0.000%]") || strings.Contains(unreachable, "<svg") {
		t.Error("the unreachable rule has an interval of its 0 requests, or a chart")
	}
	if !regexp.MustCompile(`<td class="num">–</td><td class="num">–</td><td class="num">200</td>`).MatchString(unreachable) {
		t.Error("the unreachable rule's observed share and interval are not blank")
	}
	warnings := page[strings.Index(page, `id="warnings"`):]
	if !strings.Contains(warnings, "host svc07 rule default is unreachable") || strings.Contains(warnings, "<p>None.</p>") {
		t.Error("the Warnings section does not list the unreachable rule")
	}
	single := section("rule-9-1")
	if !strings.Contains(single, `<td>v1</td><td class="src">`) || !strings.Contains(single, `<td class="num">–</td><td class="num">100.000%</td>`) {
		t.Error("the single destination shows a weight")
	}
}

// TestRoutingFaultsAndMirrors: a rule's fault abort takes its share of the bar first (in the 503
// colour), the destinations share the rest, and delays and mirrors are named beside the split.
func TestRoutingFaultsAndMirrors(t *testing.T) {
	r := bigRun(1, 10_000)
	rule := &r.Hosts[0].Rules[1]
	rule.Fault = &result.Fault{Abort: &result.FaultPart{Status: 503, ExpectedShare: 0.1},
		Delay: &result.FaultPart{FixedDelay: "5s", ExpectedShare: 0.5}}
	rule.Mirrors = []result.Mirror{{Host: "svc00", Subset: "v3", ExpectedShare: 0.05}}
	page := rendered(t, func(w io.Writer) error { return RunHTML(w, r, nil) })
	overview := page[strings.Index(page, `id="overview"`):strings.Index(page, `id="deviations"`)]
	inOrder(t, overview, []string{`<span class="seg s503" style="flex-basis:10.000%" title="fault abort 503">`,
		`<span class="seg d0" style="flex-basis:63.000%"`, `<span class="seg d1" style="flex-basis:27.000%"`,
		"abort 10 → 503", "v1 63</span>", "v2 27</span>", "· delay 5s on 50%", "· mirror 5% to svc00 v3"})
}
