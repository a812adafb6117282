package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
)

// reportFiles are the report files a command writes besides its stdout: --html, --png and --junit.
// `splitsim run` and `splitsim report` share them, so a saved result renders exactly as the run did.
type reportFiles struct {
	html, png, junit string
}

// addReportFlags registers --html, --png and --junit on fs.
func addReportFlags(fs *pflag.FlagSet) *reportFiles {
	rf := &reportFiles{}
	fs.StringVar(&rf.html, "html", "", "write a self-contained HTML report (verdict, tables, charts) to this `FILE`")
	fs.StringVar(&rf.png, "png", "", "write every chart as a PNG file into this `DIR` (created if missing)")
	fs.StringVar(&rf.junit, "junit", "", "write a JUnit XML `FILE` for CI: one test case per rule")
	return rf
}

// write renders r into the files named by the flags. Every file is written atomically and never
// over one of inputs; others are files this command writes too (such as -o), which the report files
// must not replace either.
func (rf *reportFiles) write(r *result.Run, inputs []string, others ...string) error {
	if err := rf.checkDistinct(others); err != nil {
		return err
	}
	var charts []*report.Chart
	if rf.html != "" || rf.png != "" {
		var err error
		if charts, err = report.RunCharts(r); err != nil {
			return err
		}
	}
	if rf.png != "" {
		if err := os.MkdirAll(rf.png, 0o755); err != nil {
			return fmt.Errorf("--png %s: %w", rf.png, err)
		}
		for _, c := range charts {
			png, err := c.PNG()
			if err != nil {
				return err
			}
			if err := report.WriteFile(filepath.Join(rf.png, c.Name+".png"), png, inputs); err != nil {
				return err
			}
		}
	}
	if rf.html != "" {
		var buf bytes.Buffer
		if err := report.RunHTML(&buf, r, charts); err != nil {
			return err
		}
		if err := report.WriteFile(rf.html, buf.Bytes(), inputs); err != nil {
			return err
		}
	}
	if rf.junit != "" {
		var buf bytes.Buffer
		if err := report.RunJUnit(&buf, r); err != nil {
			return err
		}
		if err := report.WriteFile(rf.junit, buf.Bytes(), inputs); err != nil {
			return err
		}
	}
	return nil
}

// checkDistinct refuses two outputs that name the same file: the later would silently replace
// the earlier.
func (rf *reportFiles) checkDistinct(others []string) error {
	seen := map[string]string{}
	add := func(flag, path string) error {
		if path == "" {
			return nil
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		if prev, ok := seen[abs]; ok {
			return fmt.Errorf("%s and %s name the same file %s", prev, flag, path)
		}
		seen[abs] = flag
		return nil
	}
	for _, o := range others {
		if err := add("-o", o); err != nil {
			return err
		}
	}
	if err := add("--html", rf.html); err != nil {
		return err
	}
	return add("--junit", rf.junit)
}
