package scenarios

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/splitsim/splitsim/canary"
	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/sim"
)

// APIVersion and Kind identify a scenario document.
const (
	APIVersion = "splitsim.dev/v1alpha1"
	Kind       = "Scenario"
)

// Scenario is one scenario document.
type Scenario struct {
	Name string
	File string
	Spec Spec
	// Workloads are the groups of pods of spec.endpoints.
	Workloads []*mesh.Workload
}

// Spec is the body of a scenario.
type Spec struct {
	// Description says what the scenario shows.
	Description string `json:"description,omitempty"`
	// Requests is the number of requests to simulate (default: the --requests flag).
	Requests int64 `json:"requests,omitempty"`
	// Seed of the random streams (default: the --seed flag).
	Seed *uint64 `json:"seed,omitempty"`
	// Config lists further files of Kubernetes resources, relative to the scenario file.
	Config []string `json:"config,omitempty"`
	// Traffic lists request classes. Without it every rule gets its own synthesized requests.
	Traffic []Class `json:"traffic,omitempty"`
	// Endpoints lists groups of pods, for Services whose workloads the inputs do not hold: where no
	// route applies, a Service's requests are spread over its pods.
	Endpoints []Endpoints `json:"endpoints,omitempty"`
	// Expect holds what `splitsim test` checks (expect.go); `splitsim run` ignores it.
	Expect *Expect `json:"expect,omitempty"`
	// Plan is a canary plan for `splitsim plan` (package canary, NativePlan); other commands ignore it.
	Plan *canary.NativePlan `json:"plan,omitempty"`
}

// Class is one kind of request and its share of the traffic.
type Class struct {
	Name      string            `json:"name"`
	Host      string            `json:"host"`
	Weight    float64           `json:"weight"`
	Method    string            `json:"method,omitempty"`
	Path      string            `json:"path,omitempty"`
	Scheme    string            `json:"scheme,omitempty"`
	Authority string            `json:"authority,omitempty"`
	Headers   map[string]string `json:"headers,omitempty"`
	Query     map[string]string `json:"query,omitempty"`
	// From is the caller that sends the class (default: the command's --from, else the host's
	// view in a run of every caller).
	From *From `json:"from,omitempty"`
}

// From is a caller in a scenario: a sidecar (a namespace and labels) or a gateway.
type From struct {
	Sidecar *SidecarFrom `json:"sidecar,omitempty"`
	// Gateway is NAMESPACE/NAME of an Istio Gateway or a Gateway API Gateway.
	Gateway string `json:"gateway,omitempty"`
	// Port is the gateway port the request arrives on.
	Port uint32 `json:"port,omitempty"`
}

// SidecarFrom is the sidecar of a workload.
type SidecarFrom struct {
	Namespace string            `json:"namespace"`
	Labels    map[string]string `json:"labels,omitempty"`
}

// Caller is the mesh.Caller the spec names.
func (f *From) Caller() (mesh.Caller, error) {
	switch {
	case f.Sidecar != nil && f.Gateway != "":
		return mesh.Caller{}, fmt.Errorf("give sidecar or gateway, not both")
	case f.Sidecar != nil:
		if f.Port != 0 {
			return mesh.Caller{}, fmt.Errorf("port is for a gateway")
		}
		c, err := mesh.ParseCaller("sidecar:" + f.Sidecar.Namespace)
		c.Labels = f.Sidecar.Labels
		return c, err
	case f.Gateway != "":
		spec := "gateway:" + f.Gateway
		if f.Port != 0 {
			spec += fmt.Sprintf(":%d", f.Port)
		}
		return mesh.ParseCaller(spec)
	}
	return mesh.Caller{}, fmt.Errorf("give sidecar: {namespace: NS, labels: {...}} or gateway: NS/NAME")
}

// Endpoints is a group of pods of the same labels, as a Deployment would make them.
type Endpoints struct {
	Name      string            `json:"name"`
	Namespace string            `json:"namespace,omitempty"`
	Labels    map[string]string `json:"labels"`
	Pods      int               `json:"pods"`
}

// Is reports whether a document is a scenario.
func Is(d *mesh.Document) bool {
	return d.Kind == Kind && strings.HasPrefix(d.APIVersion, "splitsim.dev/")
}

// Decode reads a scenario document strictly: unknown fields are errors.
func Decode(d *mesh.Document) (*Scenario, error) {
	if d.APIVersion != APIVersion {
		return nil, d.Errorf("apiVersion", "unsupported version %q (want %s)", d.APIVersion, APIVersion)
	}
	var obj struct {
		Spec json.RawMessage `json:"spec"`
	}
	if err := json.Unmarshal(d.JSON, &obj); err != nil {
		return nil, d.Errorf("", "%v", err)
	}
	s := &Scenario{Name: d.Name, File: d.File}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(d.File), filepath.Ext(d.File))
	}
	if len(obj.Spec) > 0 {
		if err := mesh.DecodeStrict(d, obj.Spec, "spec", &s.Spec); err != nil {
			return nil, err
		}
	}
	if s.Spec.Requests < 0 || s.Spec.Requests > sim.MaxRequests {
		return nil, d.Errorf("spec.requests", "must be from 1 to %d, got %d", int64(sim.MaxRequests), s.Spec.Requests)
	}
	names := map[string]bool{}
	for i, c := range s.Spec.Traffic {
		p := fmt.Sprintf("spec.traffic[%d]", i)
		if c.Host == "" {
			return nil, d.Errorf(p+".host", "required")
		}
		if !(c.Weight > 0) {
			return nil, d.Errorf(p+".weight", "must be a positive number, got %v", c.Weight)
		}
		if c.Name == "" {
			s.Spec.Traffic[i].Name = fmt.Sprintf("class%d", i)
		}
		if names[s.Spec.Traffic[i].Name] {
			return nil, d.Errorf(p+".name", "duplicate class name %q", c.Name)
		}
		names[s.Spec.Traffic[i].Name] = true
		if _, err := url.ParseQuery(strings.SplitN(c.Path+"?", "?", 2)[1]); err != nil {
			return nil, d.Errorf(p+".path", "%v", err)
		}
	}
	for i, c := range s.Spec.Traffic {
		if c.From != nil {
			if _, err := c.From.Caller(); err != nil {
				return nil, d.Errorf(fmt.Sprintf("spec.traffic[%d].from", i), "%v", err)
			}
		}
	}
	for i, e := range s.Spec.Endpoints {
		p := fmt.Sprintf("spec.endpoints[%d]", i)
		switch {
		case e.Name == "":
			return nil, d.Errorf(p+".name", "required")
		case len(e.Labels) == 0:
			return nil, d.Errorf(p+".labels", "required: the labels a Service selector matches")
		case e.Pods < 0 || e.Pods > 1<<20:
			return nil, d.Errorf(p+".pods", "must be from 0 to %d, got %d", 1<<20, e.Pods)
		}
		ns := e.Namespace
		if ns == "" {
			ns = "default"
		}
		wd := &mesh.Document{File: d.File, Doc: d.Doc, APIVersion: APIVersion, Kind: "Endpoints", Name: e.Name, Namespace: ns, Line: d.LineOf(p)}
		s.Workloads = append(s.Workloads, &mesh.Workload{Document: wd, Labels: e.Labels, Replicas: e.Pods})
	}
	if err := s.Spec.Expect.validate(d, s.Spec.Traffic); err != nil {
		return nil, err
	}
	for i, f := range s.Spec.Config {
		if !filepath.IsAbs(f) {
			s.Spec.Config[i] = filepath.Join(filepath.Dir(d.File), f)
		}
	}
	return s, nil
}

// Classes returns the scenario's traffic as simulator classes.
func (s *Scenario) Classes() []sim.Class {
	var out []sim.Class
	for _, c := range s.Spec.Traffic {
		req := sim.Request{Method: c.Method, Scheme: c.Scheme, Authority: c.Authority, Headers: map[string]string{}, Query: map[string]string{}}
		if req.Method == "" {
			req.Method = "GET"
		}
		if req.Scheme == "" {
			req.Scheme = "http"
		}
		if req.Authority == "" {
			req.Authority = c.Host
		}
		path, rawQuery, _ := strings.Cut(c.Path, "?")
		if path == "" {
			path = "/"
		}
		req.Path = path
		q, _ := url.ParseQuery(rawQuery)
		for k, v := range q {
			req.Query[k] = strings.Join(v, ",")
		}
		for k, v := range c.Query {
			req.Query[k] = v
		}
		for k, v := range c.Headers {
			req.Headers[strings.ToLower(k)] = v
		}
		out = append(out, sim.Class{Name: c.Name, Host: c.Host, Request: req, Weight: c.Weight})
		if c.From != nil {
			from, _ := c.From.Caller()
			out[len(out)-1].From = from.String()
		}
	}
	return out
}
