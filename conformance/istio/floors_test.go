package istio

// Floors: the agreement measured when each suite was added (or last raised), rounded down to one
// decimal. A test fails when its agreement drops below its floor, so regressions are caught; raise a
// floor when splitsim closes a gap.
const (
	floorValidationVerdict = 100.0 // 116 of 116 cases
	floorValidationText    = 100.0 // 58 of 58 cases both reject
	floorAnalyzerPairs     = 100.0 // 75 of 75 findings (code, resource, what), skipped-by-design checks left out
	floorAnalyzerText      = 100.0 // 75 of 75 shared findings: identical or Istio's text plus an explanation (in Istio's test setup or as istioctl analyze reads the files)
	floorRouteHosts        = 100.0 // 163 of 163 virtual hosts (clusters, weights, fault and mirror policies)
	floorRouteRequests     = 100.0 // 347 of 347 requests
	floorRouteRules        = 100.0 // 347 of 347 requests take the same route
	floorRouteAssumed      = 100.0 // 7 of 7 hosts: splitsim without the derived registry routes as with it
)

// floorFull and floorGrid are the precision and recall floors per code: against Istio's full analysis
// (skipped-by-design checks left out), and against the testGrid expectations of the case's analyzer.
var (
	floorFull = map[string][2]float64{"IST0101": {100, 100}, "IST0106": {100, 100}, "IST0109": {100, 100}, "IST0130": {100, 100}, "IST0131": {100, 100}}
	floorGrid = map[string][2]float64{"IST0101": {100, 100}, "IST0106": {100, 100}, "IST0109": {100, 100}, "IST0130": {100, 100}, "IST0131": {100, 100}}
)
