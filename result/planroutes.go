package result

// PlanRoute is an http route a controller adds to the VirtualService for some steps of a plan (Argo
// Rollouts' setHeaderRoute and setMirrorRoute steps), as Istio gets it at the step.
type PlanRoute struct {
	Name string `json:"name"`
	// Kind is "header" (matching requests go to the canary) or "mirror" (the weighted split, with a
	// copy of a share of the requests sent to the canary).
	Kind string `json:"kind"`
	// Position is the route's index among the VirtualService's http routes at the step.
	Position int `json:"position"`
	// Match lists the route's match blocks ("header x-canary exact yes | method exact GET").
	Match string `json:"match"`
	// Weights are the route's destinations with their expected shares of its requests.
	Weights []PlanWeight `json:"weights"`
	// Mirrors are the route's mirrors, with the expected share of its forwarded requests copied.
	Mirrors []PlanMirror `json:"mirrors"`
	// TakenBy is where a request the route's first match block accepts goes when another route
	// takes it ("rule NAME", "no rule (404)", or "unreachable"); "" when the route takes it.
	TakenBy string `json:"taken_by"`
}

// PlanMirror is one mirror of a route at a step.
type PlanMirror struct {
	Name string `json:"name"`
	Role string `json:"role"` // canary or other
	// ExpectedShare is the share of the route's forwarded requests copied to the mirror.
	ExpectedShare float64 `json:"expected_share"`
}
