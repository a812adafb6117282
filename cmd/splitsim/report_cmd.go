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

Render a result that splitsim run, verify or plan saved with -o again, without simulating or
testing anything: as text or JSON on stdout, and into the same report files the command writes.
The kind of result is told from its keys (hosts: run; destinations: verify; steps: plan). The
HTML page is byte for byte the one the command would have written, so CI can keep the JSON and
render it later.

The exit code is 0 when everything was rendered, whatever the saved verdict (the command's own
exit code is the check); 2 for a missing or unreadable result.

Examples:
  splitsim run scenarios/bookinfo-80-20.yaml -o result.json
  splitsim report result.json --html report.html --png charts/ --junit junit.xml
  splitsim plan scenarios/plans/argo-rollout.yaml --rps 20 -o plan.json
  splitsim report plan.json --html plan.html
`

func reportCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("report", reportHelp, stderr)
	format := fs.String("format", "text", "output format on stdout: text or json")
	rf := addReportFlagsFor(fs, "one test case per rule (run), check (verify), or step and error finding (plan)")
	if code, ok := parse(fs, args, stdout); !ok {
		return code
	}
	if err := checkFormat(*format); err != nil {
		return fail(stderr, "report", err)
	}
	if fs.NArg() != 1 {
		return fail(stderr, "report", fmt.Errorf("want one RESULT.json (written by splitsim run, verify or plan -o), got %d arguments", fs.NArg()))
	}
	path := fs.Arg(0)
	res, err := readResult(path)
	if err != nil {
		return fail(stderr, "report", err)
	}
	inputs := append([]string{path}, res.files()...)
	if err := rf.render(res, inputs); err != nil {
		return fail(stderr, "report", err)
	}
	if *format == "json" {
		err = report.JSON(stdout, res.value())
	} else {
		err = res.text(stdout)
	}
	if err != nil {
		return fail(stderr, "report", err)
	}
	return exitPass
}

// readResult reads the JSON result of splitsim run, verify or plan, telling them apart by their
// keys: "hosts" (run), "steps" (plan), "destinations" and "n" (verify).
func readResult(path string) (reportable, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var probe struct {
		Tool         *string          `json:"tool"`
		Hosts        *json.RawMessage `json:"hosts"`
		Steps        *json.RawMessage `json:"steps"`
		Destinations *json.RawMessage `json:"destinations"`
		N            *json.RawMessage `json:"n"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %v", path, err)
	}
	var target any
	var res reportable
	switch {
	case probe.Tool == nil || *probe.Tool != "splitsim":
	case probe.Hosts != nil:
		r := &result.Run{}
		target, res = r, runReport{r}
	case probe.Steps != nil:
		p := &result.Plan{}
		target, res = p, planReport{p}
	case probe.Destinations != nil && probe.N != nil:
		v := &result.Verify{}
		target, res = v, verifyReport{v}
	}
	if res == nil {
		return nil, fmt.Errorf("%s: not a result of splitsim run, verify or plan (want the JSON that their -o writes, with \"tool\": \"splitsim\" and \"hosts\", \"destinations\" or \"steps\")", path)
	}
	if err := json.Unmarshal(data, target); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return res, nil
}
