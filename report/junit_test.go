package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/golden"
)

// wellFormed reads every token of an XML document.
func wellFormed(t *testing.T, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, data)
		}
	}
}

func junitOf(t *testing.T, fixture string) ([]byte, JUnitSuites) {
	t.Helper()
	var buf bytes.Buffer
	if err := RunJUnit(&buf, loadRun(t, fixture)); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, buf.Bytes())
	var got JUnitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), got
}

func TestRunJUnitCounts(t *testing.T) {
	for _, tc := range []struct {
		fixture                   string
		tests, failures, skipped  int
		suites                    []string
		suiteTests, suiteFailures []int
	}{
		{"bookinfo-80-20.json", 1, 0, 0, []string{"host reviews"}, []int{1}, []int{0}},
		{"header-jason.json", 2, 0, 1, []string{"host reviews"}, []int{2}, []int{0}},
		{"failing.json", 4, 1, 2, []string{"host reviews", "host checkout.shop.svc.cluster.local"}, []int{1, 3}, []int{1, 0}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			_, got := junitOf(t, tc.fixture)
			if got.Tests != tc.tests || got.Failures != tc.failures || got.Skipped != tc.skipped || got.Errors != 0 {
				t.Errorf("%s: tests %d failures %d skipped %d errors %d, want %d %d %d 0", tc.fixture,
					got.Tests, got.Failures, got.Skipped, got.Errors, tc.tests, tc.failures, tc.skipped)
			}
			if len(got.Suites) != len(tc.suites) {
				t.Fatalf("%s: %d suites, want %d", tc.fixture, len(got.Suites), len(tc.suites))
			}
			for i, s := range got.Suites {
				failures, skipped := 0, 0
				for _, c := range s.Cases {
					if c.Failure != nil {
						failures++
					}
					if c.Skipped != nil {
						skipped++
					}
				}
				if s.Name != tc.suites[i] || s.Tests != tc.suiteTests[i] || len(s.Cases) != s.Tests ||
					s.Failures != tc.suiteFailures[i] || failures != s.Failures || skipped != s.Skipped {
					t.Errorf("%s: suite %d %q: tests %d (%d cases), failures %d (%d), skipped %d (%d); want %q %d %d",
						tc.fixture, i, s.Name, s.Tests, len(s.Cases), s.Failures, failures, s.Skipped, skipped,
						tc.suites[i], tc.suiteTests[i], tc.suiteFailures[i])
				}
			}
		})
	}
}

func TestRunJUnitFailureMessage(t *testing.T) {
	data, got := junitOf(t, "failing.json")
	f := got.Suites[0].Cases[0].Failure
	if f == nil {
		t.Fatal("reviews rule #0: no failure")
	}
	for _, want := range []string{"pearson chi-square 170.2", "df 1", "p 6.687e-39", "Holm-adjusted p 1.337e-38",
		"alpha 0.001", "v1 observed 76.310%", "configured 80.000%", "v2 observed 23.690%", "configured 20.000%",
		"99.9% CI [75.307%, 77.285%]"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("failure message lacks %q:\n%s", want, f.Message)
		}
	}
	if !strings.Contains(f.Text, "DESTINATION") || f.Type == "" {
		t.Errorf("failure lacks the destination table or a type: %+v", f)
	}
	skip := got.Suites[1].Cases[0].Skipped
	if skip == nil || !strings.Contains(skip.Message, "redirect") {
		t.Errorf("redirect rule: skipped %+v, want a reason naming the redirect", skip)
	}
	golden.Check(t, "failing.junit.xml", data)
}

func TestRunJUnitHostileNames(t *testing.T) {
	r := loadRun(t, "failing.json")
	r.Hosts[0].Host = "a\x01b]]><x>&\"'"
	r.Hosts[0].Rules[0].Rule = "<rule>\x1b"
	r.Warnings = append(r.Warnings, "]]> <!-- \x00")
	var buf bytes.Buffer
	if err := RunJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, buf.Bytes())
	var got JUnitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Suites[0].Name != "host a\uFFFDb]]><x>&\"'" || got.Suites[0].Cases[0].Name != "rule <rule>\uFFFD" {
		t.Errorf("names did not survive: %q, %q", got.Suites[0].Name, got.Suites[0].Cases[0].Name)
	}
}
