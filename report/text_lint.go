package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/result"
)

// LintText writes one line per finding, file:line first (as compilers do, so that editors can jump to
// it) and then istioctl analyze's form: Level [CODE] (Kind namespace/name) message.
func LintText(w io.Writer, r *result.Lint) error {
	w = safe.NewWriter(w) // names from the inputs: control characters escaped
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s:%d: %s [%s] (%s) %s\n", f.File, f.Line, lintLevel(f.Severity), f.Code, f.Resource, f.Message)
	}
	if len(r.Findings) == 0 {
		fmt.Fprintf(&b, "no findings in %s\n", format.Counted(len(r.Files), "file"))
	} else {
		fmt.Fprintf(&b, "%s, %s, %s in %s\n", format.Counted(r.Errors, "error"), format.Counted(r.Warnings, "warning"), format.Counted(r.Infos, "info"), format.Counted(len(r.Files), "file"))
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
