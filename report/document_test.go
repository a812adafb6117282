package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/result"
)

// Every kind of result has a Document; run, verify, plan, test, lint and diff render pages, explain
// and power say they have none; run, verify, plan and test write JUnit.
func TestForEveryKind(t *testing.T) {
	for _, tc := range []struct {
		v             any
		html, junitOK bool
	}{
		{&result.Run{}, true, true},
		{&result.Verify{}, true, true},
		{&result.Plan{}, true, true},
		{&result.Lint{}, true, false},
		{&result.Diff{}, true, false},
		{&result.Explain{}, false, false},
		{&result.Power{}, false, false},
		{&result.TestRun{}, true, true},
	} {
		t.Run(strings.TrimPrefix(typeName(tc.v), "*result."), func(t *testing.T) {
			doc := For(tc.v)
			if doc == nil {
				t.Fatal("no document")
			}
			if doc.Value() != tc.v {
				t.Error("Value is not the result")
			}
			if tc.html {
				return // pages and JUnit of these kinds have tests of their own
			}
			if err := doc.HTML(&bytes.Buffer{}, nil); err == nil {
				t.Error("HTML of a text-only result did not fail")
			}
			if err := doc.JUnit(&bytes.Buffer{}); (err == nil) != tc.junitOK {
				t.Errorf("JUnit: %v, want ok %v", err, tc.junitOK)
			}
		})
	}
	if For("not a result") != nil {
		t.Error("For of a string is not nil")
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }
