package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/splitsim/splitsim/result"
)

// LintText writes one line per finding, file:line first (as compilers do, so that editors can jump to
// it) and then istioctl analyze's form: Level [CODE] (Kind namespace/name) message.
func LintText(w io.Writer, r *result.Lint) error {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s:%d: %s [%s] (%s) %s\n", f.File, f.Line, lintLevel(f.Severity), f.Code, f.Resource, f.Message)
	}
	if len(r.Findings) == 0 {
		fmt.Fprintf(&b, "no findings in %s\n", lintPlural(len(r.Files), "file"))
	} else {
		fmt.Fprintf(&b, "%s, %s, %s in %s\n", lintPlural(r.Errors, "error"), lintPlural(r.Warnings, "warning"), lintPlural(r.Infos, "info"), lintPlural(len(r.Files), "file"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func lintLevel(s result.Severity) string {
	switch s {
	case result.SeverityError:
		return "Error"
	case result.SeverityWarning:
		return "Warning"
	}
	return "Info"
}

func lintPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
