package lint

import (
	"strings"
	"testing"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
)

// glob is github.com/ryanuber/go-glob's Glob, which istio pkg/config/analysis/local/istiod_analyze.go
// (filterMessages) applies to --suppress resources; these cases are that package's glob_test.go
// semantics: "*" matches any run (also "/" and spaces), an empty pattern only the empty string.
func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, subj string
		want          bool
	}{
		{"*", "", true},
		{"*", "VirtualService default/reviews", true},
		{"", "", true},
		{"", "x", false},
		{"VirtualService default/reviews", "VirtualService default/reviews", true},
		{"VirtualService default/reviews", "VirtualService default/reviews2", false},
		{"VirtualService default/*", "VirtualService default/reviews", true},
		{"VirtualService default/*", "VirtualService other/reviews", false},
		{"* */reviews", "DestinationRule shop/reviews", true},
		{"*Service*", "VirtualService default/reviews", true},
		{"Virtual*/rev*s", "VirtualService default/reviews", true},
		{"Virtual*/rev*s", "VirtualService default/reviewsx", false},
		{"SPL*", "SPL001", true},
		{"SPL*", "IST0101", false},
		{"IST01*1", "IST0101", true},
		{"IST01*1", "IST0130", false},
	} {
		t.Run(tc.pattern+" "+tc.subj, func(t *testing.T) {
			if got := glob(tc.pattern, tc.subj); got != tc.want {
				t.Errorf("glob(%q, %q) = %v, want %v", tc.pattern, tc.subj, got, tc.want)
			}
		})
	}
}

// --suppress values are CODE=RESOURCE with exactly one "=" (istio istioctl/pkg/analyze/analyze.go:
// strings.Split(s, "=") must give two parts).
func TestParseSuppression(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Suppression
		wantErr bool
	}{
		{"SPL001=VirtualService default/reviews", Suppression{"SPL001", "VirtualService default/reviews"}, false},
		{"SPL001=*", Suppression{"SPL001", "*"}, false},
		{"IST0101=VirtualService default/*", Suppression{"IST0101", "VirtualService default/*"}, false},
		{"SPL001", Suppression{}, true},
		{"SPL001=a=b", Suppression{}, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSuppression(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseSuppression(%q) = %+v, %v", tc.in, got, err)
			}
		})
	}
}

// Suppression as istioctl analyze applies it (istio pkg/config/analysis/local/istiod_analyze.go
// filterMessages): the galley.istio.io/analyze-suppress annotation of the finding's resource, split
// at "," with nothing trimmed, suppresses an entry's code or every code ("*"); a --suppress value
// suppresses the findings whose code and "Kind namespace/name" its globs match. Suppressed
// findings leave Findings, the counts and the verdict, and are listed with what suppressed them.
func TestSuppress(t *testing.T) {
	zero := vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 100}, {destination: {host: reviews, subset: v4}, weight: 0}]\n") + dr
	annotated := func(v string) string {
		return strings.Replace(zero, "metadata: {name: reviews}", "metadata: {name: reviews, annotations: {galley.istio.io/analyze-suppress: \""+v+"\"}}", 1)
	}
	// An invalid VirtualService (weight -5) is left out of the configuration: its annotation is read
	// from the file again.
	invalid := strings.NewReplacer("metadata: {name: ratings}", "metadata: {name: ratings, annotations: {galley.istio.io/analyze-suppress: IST0106}}", "hosts: [reviews]", "hosts: [ratings]").
		Replace(vsHTTP("ratings", "  - route: [{destination: {host: reviews, subset: v1}, weight: -5}, {destination: {host: reviews, subset: v2}, weight: 105}]\n"))
	for _, tc := range []struct {
		name     string
		docs     []string
		suppress []string
		// left are the codes of the findings left; gone those suppressed, with what suppressed
		// the first.
		left, gone []string
		by         string
		verdict    result.Verdict
	}{
		{"nothing suppressed", []string{zero}, nil, []string{"IST0101", "SPL001", "SPL012"}, nil, "", result.Fail},
		{"by code and resource", []string{zero}, []string{"SPL001=VirtualService default/reviews"}, []string{"IST0101", "SPL012"}, []string{"SPL001"}, "--suppress SPL001=VirtualService default/reviews", result.Fail},
		{"resource glob", []string{zero}, []string{"IST0101=VirtualService default/*"}, []string{"SPL001", "SPL012"}, []string{"IST0101"}, "--suppress IST0101=VirtualService default/*", result.Pass},
		{"any resource", []string{zero}, []string{"SPL001=*"}, []string{"IST0101", "SPL012"}, []string{"SPL001"}, "--suppress SPL001=*", result.Fail},
		{"code glob", []string{zero}, []string{"SPL*=*"}, []string{"IST0101"}, []string{"SPL001", "SPL012"}, "--suppress SPL*=*", result.Fail},
		{"other namespace", []string{zero}, []string{"SPL001=VirtualService other/*"}, []string{"IST0101", "SPL001", "SPL012"}, nil, "", result.Fail},
		{"repeated", []string{zero}, []string{"IST0101=*", "SPL001=*"}, []string{"SPL012"}, []string{"IST0101", "SPL001"}, "--suppress IST0101=*", result.Pass},
		{"annotation one code", []string{annotated("SPL001")}, nil, []string{"IST0101", "SPL012"}, []string{"SPL001"}, "annotation galley.istio.io/analyze-suppress: SPL001", result.Fail},
		{"annotation two codes", []string{annotated("IST0101,SPL001")}, nil, []string{"SPL012"}, []string{"IST0101", "SPL001"}, "annotation galley.istio.io/analyze-suppress: IST0101,SPL001", result.Pass},
		{"annotation star", []string{annotated("*")}, nil, nil, []string{"IST0101", "SPL001", "SPL012"}, "annotation galley.istio.io/analyze-suppress: *", result.Pass},
		{"annotation not trimmed", []string{annotated("IST0101, SPL001")}, nil, []string{"SPL001", "SPL012"}, []string{"IST0101"}, "annotation galley.istio.io/analyze-suppress: IST0101, SPL001", result.Pass},
		{"annotation before --suppress", []string{annotated("SPL001")}, []string{"SPL001=*"}, []string{"IST0101", "SPL012"}, []string{"SPL001"}, "annotation galley.istio.io/analyze-suppress: SPL001", result.Fail},
		{"annotation of a resource validation rejects", []string{invalid + "---\n" + vsHTTP("reviews", catchAll) + dr}, nil, []string{"SPL012"}, []string{"IST0106"}, "annotation galley.istio.io/analyze-suppress: IST0106", result.Pass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sup []Suppression
			for _, s := range tc.suppress {
				x, err := ParseSuppression(s)
				if err != nil {
					t.Fatal(err)
				}
				sup = append(sup, x)
			}
			r := lintWith(t, Input{Suppress: sup}, tc.docs...)
			var left, gone []string
			for _, f := range r.Findings {
				left = append(left, f.Code)
			}
			for _, f := range r.SuppressedFindings {
				gone = append(gone, f.Code)
			}
			if strings.Join(left, " ") != strings.Join(tc.left, " ") || strings.Join(gone, " ") != strings.Join(tc.gone, " ") {
				t.Fatalf("left %v suppressed %v; want %v and %v", left, gone, tc.left, tc.gone)
			}
			if r.Suppressed != len(tc.gone) || r.Errors+r.Warnings+r.Infos != len(tc.left) || r.Verdict != tc.verdict {
				t.Errorf("suppressed %d, counts %d/%d/%d, verdict %s", r.Suppressed, r.Errors, r.Warnings, r.Infos, r.Verdict)
			}
			if len(gone) > 0 && r.SuppressedFindings[0].SuppressedBy != tc.by {
				t.Errorf("suppressed by %q, want %q", r.SuppressedFindings[0].SuppressedBy, tc.by)
			}
		})
	}
}

// --fail-threshold is istioctl analyze's --failure-threshold (istioctl/pkg/analyze/analyze.go
// errorIfMessagesExceedThreshold: a message at that level or a worse one fails); levels are read in
// any case (formatting.MessageThreshold Set).
func TestFailThreshold(t *testing.T) {
	warningsOnly := vsHTTP("reviews", "  - route: [{destination: {host: reviews, subset: v1}, weight: 100}, {destination: {host: reviews, subset: v2}, weight: 0}]\n") + dr + svc
	infoOnly := vsHTTP("reviews", catchAll) + dr
	for _, tc := range []struct {
		name      string
		doc       string
		threshold string
		want      result.Verdict
	}{
		{"default error, warnings", warningsOnly, "", result.Pass},
		{"error, warnings", warningsOnly, "error", result.Pass},
		{"warning, warnings", warningsOnly, "warning", result.Fail},
		{"Warning as istioctl spells it", warningsOnly, "Warning", result.Fail},
		{"warning, info only", infoOnly, "warning", result.Pass},
		{"info, info only", infoOnly, "INFO", result.Fail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sev result.Severity
			if tc.threshold != "" {
				var err error
				if sev, err = ParseSeverity(tc.threshold); err != nil {
					t.Fatal(err)
				}
			}
			r := lintWith(t, Input{FailThreshold: sev}, tc.doc)
			if r.Verdict != tc.want {
				t.Errorf("verdict %s, want %s (findings %+v)", r.Verdict, tc.want, r.Findings)
			}
			want := sev
			if want == "" {
				want = result.SeverityError
			}
			if r.FailThreshold != want {
				t.Errorf("fail_threshold %q", r.FailThreshold)
			}
		})
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal) gives no error")
	}
	if _, err := Check(Input{Config: &mesh.Config{}, FailThreshold: "fatal"}); err == nil {
		t.Error("Check with threshold fatal gives no error")
	}
}
