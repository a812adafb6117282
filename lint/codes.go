package lint

import "github.com/splitsim/splitsim/result"

// Code describes one kind of finding.
type Code struct {
	Code     string
	Name     string
	Severity result.Severity
	// Checks says what the check finds, in a sentence.
	Checks string
	// Source is where the same check lives upstream (for IST codes), or the behaviour it is about.
	Source string
}

// Codes lists every finding `splitsim lint` can report. IST codes are Istio's (istio/istio
// pkg/config/analysis/msg/messages.yaml), with Istio's names, levels and message text; SPL codes are
// splitsim's own. Codes never change meaning.
var Codes = []Code{
	{"IST0101", "ReferencedResourceNotFound", result.SeverityError,
		"a route destination or mirror (http, tcp, tls) names a subset no DestinationRule defines for its host (its share gets 503, flag NC), or, when the inputs hold Services or ServiceEntries, a host or port none of those visible to the VirtualService has",
		"istio pkg/config/analysis/analyzers/virtualservice/destinationrules.go (DestinationRuleAnalyzer), destinationhosts.go (DestinationHostAnalyzer)"},
	{"IST0106", "SchemaValidationError", result.SeverityError,
		"a VirtualService or DestinationRule that Istio's validation rejects (kubectl apply would fail); one finding per problem. Istio's other analyses (IST codes) still look at it, as istioctl analyze does",
		"istio pkg/config/validation/validation.go (ValidateVirtualService), pkg/config/analysis/analyzers/schema/validation.go"},
	{"IST0109", "ConflictingMeshGatewayVirtualServiceHosts", result.SeverityError,
		"several VirtualServices bound to the mesh claim the same host; only one is used (splitsim simulates the one Istio picks)",
		"istio pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go"},
	{"IST0112", "VirtualServiceDestinationPortSelectorRequired", result.SeverityError,
		"a destination without port to a Service or ServiceEntry that exposes several ports",
		"istio pkg/config/analysis/analyzers/virtualservice/destinationhosts.go (checkServiceEntryPorts)"},
	{"IST0130", "VirtualServiceUnreachableRule", result.SeverityWarning,
		"an http, tcp or tls rule that no request can reach: a second rule without match, a rule after a rule without match, or one whose match blocks all repeat earlier ones",
		"istio pkg/config/validation/validation.go (analyzeUnreachableHTTPRules, analyzeUnreachableTCPRules, analyzeUnreachableTLSRules)"},
	{"IST0131", "VirtualServiceIneffectiveMatch", result.SeverityInfo,
		"a match block identical to an earlier one (http, tcp, tls), or an http block covered by an earlier prefix match",
		"istio pkg/config/validation/validation.go (analyzeUnreachableHTTPRules, coveredValidation, analyzeUnreachableTCPRules, analyzeUnreachableTLSRules)"},
	{"SPL001", "ZeroWeightDestination", result.SeverityWarning,
		"a destination (or backendRef) with weight 0 next to others: it receives no traffic",
		"istio route.go applyHTTPRouteDestination; gateway-api apis/v1/shared_types.go BackendRef.Weight"},
	{"SPL002", "DuplicateDestination", result.SeverityWarning,
		"the same destination listed twice in one rule: both entries are kept and its share is their sum",
		"envoy weighted_cluster_specifier.cc (entries are not merged)"},
	{"SPL003", "WeightsNotSummingTo100", result.SeverityInfo,
		"VirtualService weights that do not sum to 100: shares are weight/sum (Istio 1.14 and older rejected this)",
		"istio PR #39544 (Istio 1.15)"},
	{"SPL004", "IgnoredSingleWeight", result.SeverityWarning,
		"a weight other than 100 on the only destination of a VirtualService rule: Istio ignores it and sends 100%",
		"istio route.go applyHTTPRouteDestination"},
	{"SPL005", "NoCatchAllRule", result.SeverityWarning,
		"a host whose rules all have conditions: a request matching none of them gets 404 (flag NR); info for gateway hosts, where that is often meant",
		"istio route.go BuildHTTPRoutesForVirtualService (no fallback route)"},
	{"SPL006", "MatchNeverSucceeds", result.SeverityWarning,
		"a regex that no string (for a URI: no path, which starts with \"/\") can fully match, or a URI exact/prefix value not starting with \"/\"",
		"envoy source/common/common/regex.h (RE2 full match)"},
	{"SPL007", "KubernetesSchemaError", result.SeverityError,
		"a resource the Kubernetes API server would reject before Istio's validation sees it (unknown fields, wrong types, an unserved apiVersion, no name), or a Gateway API or core resource its CRD validation rejects",
		"gateway-api apis/v1 kubebuilder validation markers and CEL rules; Istio's CRD schemas (istio manifests/charts/base/files/crd-all.gen.yaml)"},
	{"SPL008", "NoLiveBackend", result.SeverityWarning,
		"an HTTPRoute rule whose backendRefs all have weight 0 (or none): every request gets 500",
		"gateway-api apis/v1/httproute_types.go HTTPRouteRule.BackendRefs; istio conversion.go convertHTTPRoute"},
	{"SPL009", "InvalidBackend", result.SeverityError,
		"an HTTPRoute backendRef that cannot be used (unsupported kind, cross-namespace without ReferenceGrant, Service not found): its share gets 500",
		"gateway-api apis/v1/httproute_types.go HTTPBackendRef"},
	{"SPL010", "DuplicateResource", result.SeverityWarning,
		"the same kind, namespace and name defined twice in the inputs: in a cluster the last one applied replaces the other, while splitsim reads both",
		"kubectl apply (one object per kind, namespace and name)"},
	{"SPL011", "HTTPRouteUnreachableRule", result.SeverityWarning,
		"an HTTPRoute rule none of whose matches is ever used, because the precedence order puts a catch-all before them",
		"istio conversion.go sortHTTPRoutes; route.go BuildHTTPRoutesForVirtualService"},
	{"SPL012", "HostChecksSkipped", result.SeverityInfo,
		"the inputs hold no Service and no ServiceEntry, so the destination hosts of VirtualServices were not checked (istioctl analyze would report IST0101 for each host it cannot find); said once",
		"istio pkg/config/analysis/analyzers/virtualservice/destinationhosts.go (DestinationHostAnalyzer), skipped"},
	{"SPL013", "VirtualServiceRuleNeverUsed", result.SeverityWarning,
		"a VirtualService rule no caller's routes use because an earlier catch-all (a match block that matches every request, such as prefix \"/\", or a rule merged from another VirtualService) takes every request first, where Istio's analyzer (IST0130) does not see it",
		"istio pilot route.go BuildHTTPRoutesForVirtualService (no route after a catch-all)"},
	{"SPL014", "WeightManagedByController", result.SeverityInfo,
		"a destination with weight 0 whose weight an Argo Rollout or a Flagger Canary of the inputs sets (instead of SPL001): it gets no traffic until a rollout raises it; the message names the Rollout or Canary",
		"argo-rollouts rollout/trafficrouting/istio/istio.go (getHttpRouteIndexesToPatch, processRoutes); flagger pkg/router/istio.go (reconcileVirtualService)"},
	{"SPL015", "FaultAbortBeforeSplit", result.SeverityWarning,
		"a VirtualService rule that splits by weight (more than one destination with a weight above 0) and aborts a share of its requests (fault.abort): aborted requests never reach the split, so the verdict of a check of the split or of the versions' error rates depends on the abort",
		"envoy source/extensions/filters/http/fault/fault_filter.cc (the fault filter runs before the router); istio pilot/pkg/networking/core/route/route.go TranslateFault"},
	{"SPL016", "KindsNotChecked", result.SeverityInfo,
		"resources of kinds splitsim does not read (an EnvoyFilter, a Sidecar, a PeerAuthentication, a ConfigMap, ...): lint did not check them and the simulation leaves them out; said once, naming each kind (with its apiVersion) and how many there are. Kinds read for context (Service, Namespace, Deployment, Pod, Rollout, Canary, scenarios) are not listed",
		"splitsim's own: what package mesh decodes (mesh.Config.Others)"},
	{"SPL017", "ReferenceChecksSkipped", result.SeverityInfo,
		"the inputs hold no networking.istio.io Gateway, so the gateways VirtualServices name were not checked, or no Pod or workload, so the selectors of Gateways were not checked (istioctl analyze would report IST0101 for each one it cannot find in the cluster); said once for each, naming them",
		"istio pkg/config/analysis/analyzers/virtualservice/gateways.go (GatewayAnalyzer) and analyzers/gateway/gateway.go (IngressGatewayPortAnalyzer), skipped"},
	{"SPL101", "SplitNotForAllCallers", result.SeverityWarning,
		"a VirtualService that splits by weight but does not apply to some in-mesh callers of its host or destinations (bound to gateways only, or exportTo leaves their namespace out): they get another route, often the Service's endpoints split by pod count",
		"istio pilot/pkg/model/push_context.go VirtualServicesForGateway, sidecar.go SelectVirtualServices; argo-rollouts issue #3383"},
}

func codeInfo(code string) Code {
	for _, c := range Codes {
		if c.Code == code {
			return c
		}
	}
	panic("lint: unknown code " + code)
}
