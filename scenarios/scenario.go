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
	if s.Spec.Requests < 0 {
		return nil, d.Errorf("spec.requests", "must be positive, got %d", s.Spec.Requests)
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
	}
	return out
}
