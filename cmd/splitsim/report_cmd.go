package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/splitsim/splitsim/report"
	"github.com/splitsim/splitsim/result"
)

const reportHelp = `Usage: splitsim report RESULT.json [--html FILE] [--png DIR] [--junit FILE] [flags]

Render a result that splitsim run saved with -o again, without simulating anything: as text or
JSON on stdout, and into the same report files run writes. The HTML page is byte for byte the one
the run would have written, so CI can keep the JSON and render it later.

The exit code is 0 when everything was rendered, whatever the saved verdict (the run's own exit
code is the check); 2 for a missing or unreadable result.

Examples:
  splitsim run scenarios/bookinfo-80-20.yaml -o result.json
  splitsim report result.json --html report.html --png charts/ --junit junit.xml
`

func reportCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("report", reportHelp, stderr)
	format := fs.String("format", "text", "output format on stdout: text or json")
	rf := addReportFlags(fs)
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	if err := checkFormat(*format); err != nil {
		return fail(stderr, "report", err)
	}
	if fs.NArg() != 1 {
		return fail(stderr, "report", fmt.Errorf("want one RESULT.json (written by splitsim run -o), got %d arguments", fs.NArg()))
	}
	path := fs.Arg(0)
	r, err := readRunResult(path)
	if err != nil {
		return fail(stderr, "report", err)
	}
	inputs := append([]string{path}, r.Files...)
	if err := rf.write(r, inputs); err != nil {
		return fail(stderr, "report", err)
	}
	if *format == "json" {
		err = report.JSON(stdout, r)
	} else {
		err = report.RunText(stdout, r)
	}
	if err != nil {
		return fail(stderr, "report", err)
	}
	return exitPass
}

// readRunResult reads the JSON result of splitsim run.
func readRunResult(path string) (*result.Run, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var probe struct {
		Tool  *string          `json:"tool"`
		Hosts *json.RawMessage `json:"hosts"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %v", path, err)
	}
	if probe.Tool == nil || *probe.Tool != "splitsim" || probe.Hosts == nil {
		return nil, fmt.Errorf("%s: not a result of splitsim run (want the JSON that splitsim run -o writes, with \"tool\": \"splitsim\" and \"hosts\")", path)
	}
	var r result.Run
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &r, nil
}
