// Package report renders the plain result structs of package result. It computes no statistics:
// intervals, p-values, shares and the convergence funnel all come from the result, and the
// renderers only count, format and draw what they are given.
//
//  1. Text (RunText, text/tabwriter) and JSON (JSON) for stdout and -o.
//  2. JUnit XML (RunJUnit): one test suite per host, one test case per rule, for CI.
//  3. Charts (RunCharts, gonum.org/v1/plot): per rule, configured against observed shares with
//     their confidence intervals, and the observed shares as requests accumulate against the
//     configured share's funnel. Each Chart renders as PNG or SVG.
//  4. HTML (RunHTML, html/template with the template and CSS embedded): one self-contained page,
//     charts included as PNG data URIs, that depends only on the result, so a result saved as JSON
//     renders again to the same bytes.
//
// WriteFile writes any of these atomically and never over an input file.
package report
