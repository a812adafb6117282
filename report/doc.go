// Package report renders the plain result structs of package result. It computes no statistics:
// intervals, p-values, shares and the convergence funnel all come from the result, and the
// renderers only count, format and draw what they are given.
//
//  1. Text (RunText, VerifyText, PlanText, PowerText, text/tabwriter) and JSON (JSON) for stdout
//     and -o; on a terminal, FAIL, PASS, ok, warnings and problems in colour (Colored, SetColor;
//     off with NO_COLOR).
//  2. JUnit XML, for CI: RunJUnit (one test suite per host, one test case per rule), VerifyJUnit
//     (one test case per check: the split, each destination, the sequential test) and PlanJUnit
//     (one test case per step's power and per error finding). Each has failures exactly when its
//     result's verdict is fail.
//  3. Charts (gonum.org/v1/plot): RunCharts, per rule, configured against observed shares with
//     their confidence intervals, and the observed shares as requests accumulate against the
//     configured share's funnel, then the run's deviations chart (every split's observed minus
//     configured share); VerifyCharts, the shares, the shares of every look over time and the
//     sequential p-value per look; PlanCharts, the plan's timeline (canary weight, canary requests
//     so far, power per step against the target). Each Chart renders as PNG (--png) or SVG.
//  4. HTML (RunHTML, VerifyHTML, PlanHTML, TestHTML, LintHTML, DiffHTML; html/template with the
//     templates and CSS embedded, html/layout.html.tmpl holding what the pages share, the routing
//     overview among it): one self-contained page with light and dark themes
//     (prefers-color-scheme) and print styles, charts inline as SVG, that depends only on the
//     result, so a result saved as JSON renders again to the same bytes (Load reads any kind).

// WriteAll writes the files of one command all or none: atomically, never over an input file nor
// over anything but a regular file (/dev/null, /dev/stdout and /dev/stderr are written through).
package report
