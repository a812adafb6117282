package scenarios

import (
	"errors"
	"fmt"
	"os"

	"github.com/splitsim/splitsim/mesh"
)

// Inputs is what the command line's files hold: the routing configuration, the scenario among them
// (at most one), and, once translated, the simulator's table.
type Inputs struct {
	// Files are the files read, in the order they were read (those scenarios name included).
	Files     []string
	Config    *mesh.Config
	Scenarios []*Scenario
	// From is the caller whose routing Translate builds; nil for every caller view of the inputs.
	From *mesh.Caller
	// Translation is set by Translate.
	Translation *mesh.Translation
	Warnings    []string
}

// Visitor sees every document of a kind mesh does not decode while Walk reads files, and returns the
// files it wants read next.
type Visitor func(d *mesh.Document) ([]string, error)

// Walk reads files (names as Resolve returns them), and the files that visit asks for, into one
// mesh.Config with add (Config.Add or Config.AddLenient), so that documents are numbered in input
// order: the stand-in for creation order when several VirtualServices claim a host. A file named
// twice, under any spelling, is read once. The files visit asks for are a scenario's spec.config:
// each must be inside the scenario's folder tree (checkInside), and an error reading one names the
// scenario and the field. It returns the files in the order they were read.
func Walk(files []string, add func(c *mesh.Config, name string, data []byte) error, visit Visitor) (*mesh.Config, []string, error) {
	cfg := &mesh.Config{}
	var read []string
	var seen seenFiles
	type queued struct {
		name  string
		from  *mesh.Document // the scenario that names the file, and where
		field string
	}
	var queue []queued
	for _, f := range files {
		queue = append(queue, queued{name: f})
	}
	for len(queue) > 0 {
		f, q := queue[0].name, queue[0]
		queue = queue[1:]
		if seen.add(f) {
			continue
		}
		read = append(read, f)
		data, err := ReadFile(f)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			if q.from != nil {
				return nil, nil, q.from.Errorf(q.field, "%s: %v", f, err)
			}
			return nil, nil, fmt.Errorf("%s: %v", f, err)
		}
		others := len(cfg.Others)
		if err := add(cfg, f, data); err != nil {
			return nil, nil, err
		}
		for _, d := range cfg.Others[others:] {
			more, err := visit(d)
			if err != nil {
				return nil, nil, err
			}
			for i, m := range more {
				field := fmt.Sprintf("spec.config[%d]", i)
				if err := checkInside(d, field, m); err != nil {
					return nil, nil, err
				}
				queue = append(queue, queued{m, d, field})
			}
		}
	}
	return cfg, read, nil
}

// Follow is a Walk visitor that reads the files scenarios name and nothing else.
func Follow(d *mesh.Document) ([]string, error) {
	if !Is(d) {
		return nil, nil
	}
	s, err := Decode(d)
	if err != nil {
		return nil, err
	}
	return s.Spec.Config, nil
}

// AddStrict is Config.Add: the first bad resource stops the load.
func AddStrict(c *mesh.Config, name string, data []byte) error { return c.Add(name, data) }

// Load reads Kubernetes YAML (VirtualService, DestinationRule, Service, HTTPRoute, ReferenceGrant)
// and scenario files (and the files scenarios name), and translates the routing configuration.
func Load(files []string) (*Inputs, error) {
	return LoadFrom(files, nil)
}

// LoadFrom is Load for one caller's view (nil: every caller view of the inputs).
func LoadFrom(files []string, from *mesh.Caller) (*Inputs, error) {
	in, err := Read(files)
	if err != nil {
		return nil, err
	}
	in.From = from
	if err := in.Translate(); err != nil {
		return nil, err
	}
	return in, nil
}

// Read reads the files of Load and decodes the scenario among them, without translating the routing
// configuration (a scenario that only checks a canary plan does not need it).
func Read(files []string) (*Inputs, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no input files (give VirtualService, DestinationRule or scenario YAML)")
	}
	in := &Inputs{}
	var err error
	in.Config, in.Files, err = Walk(files, AddStrict, func(d *mesh.Document) ([]string, error) {
		if !Is(d) {
			if !mesh.IsWorkload(d) {
				in.Warnings = append(in.Warnings, SkippedWarning(d, "splitsim"))
			}
			return nil, nil
		}
		s, err := Decode(d)
		if err != nil {
			return nil, err
		}
		in.Scenarios = append(in.Scenarios, s)
		return s.Spec.Config, nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range in.Scenarios {
		in.Config.Workloads = append(in.Config.Workloads, s.Workloads...)
	}
	if len(in.Scenarios) > 1 {
		return nil, fmt.Errorf("%s: more than one scenario in the inputs (%s and %s); run them one at a time or with splitsim test",
			in.Scenarios[1].File, in.Scenarios[0].Name, in.Scenarios[1].Name)
	}
	return in, nil
}

// Translate translates the routing configuration that Read read. Inputs without any route but with
// Services and workloads are translated too: a sidecar sends requests for such a Service to its
// cluster, split over its pods (mesh endpointHosts).
func (in *Inputs) Translate() error {
	if len(in.Config.VirtualServices) == 0 && len(in.Config.HTTPRoutes) == 0 && len(in.Config.L4Routes) == 0 &&
		(len(in.Config.Services) == 0 || len(in.Config.Workloads) == 0) {
		return fmt.Errorf("%s: no VirtualService or Gateway API route found in the inputs", in.Files[0])
	}
	var tr *mesh.Translation
	var err error
	if in.From != nil {
		tr, err = mesh.TranslateFrom(in.Config, *in.From)
	} else {
		tr, err = mesh.Translate(in.Config)
	}
	if err != nil {
		return err
	}
	in.Translation = tr
	in.Warnings = append(in.Warnings, tr.Warnings...)
	return nil
}

// SkippedWarning is the warning about a document of a kind that command does not use.
func SkippedWarning(d *mesh.Document, command string) string {
	return fmt.Sprintf("%s: %s (%s %s): kind not used by %s, skipped", d.File, d.Doc, d.APIVersion, d.Resource(), command)
}

// Scenario is the scenario among the inputs, or nil.
func (in *Inputs) Scenario() *Scenario {
	if len(in.Scenarios) == 0 {
		return nil
	}
	return in.Scenarios[0]
}

// Lenient is what LoadLenient read: the configuration and the resources that failed to decode or
// validate.
type Lenient struct {
	Files    []string
	Config   *mesh.Config
	Problems []*mesh.Error
}

// LoadLenient reads the files (and the files scenarios name) with mesh.Config.AddLenient: resources
// that fail to decode or validate become problems instead of stopping the load.
func LoadLenient(files []string) (*Lenient, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no input files (give VirtualService, DestinationRule, HTTPRoute or scenario YAML)")
	}
	out := &Lenient{}
	lenient := func(c *mesh.Config, name string, data []byte) error {
		ps, err := c.AddLenient(name, data)
		out.Problems = append(out.Problems, ps...)
		return err
	}
	var err error
	if out.Config, out.Files, err = Walk(files, lenient, Follow); err != nil {
		return nil, err
	}
	return out, nil
}
