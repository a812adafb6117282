package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/scenarios"
)

// inputs is what the command line's files hold.
type inputs struct {
	files     []string
	config    *mesh.Config
	scenarios []*scenarios.Scenario
	tr        *mesh.Translation
	warnings  []string
}

// walkFiles reads files, and the files that scenarios name, into one mesh.Config with add (Config.Add
// or Config.AddLenient), so that documents are numbered in input order: the stand-in for creation order
// when several VirtualServices claim a host. visit sees every document of a kind mesh does not decode
// and returns the files it wants read next. It returns the files in the order they were read.
func walkFiles(files []string, add func(c *mesh.Config, name string, data []byte) error, visit func(d *mesh.Document) ([]string, error)) (*mesh.Config, []string, error) {
	cfg := &mesh.Config{}
	var read []string
	seen := map[string]bool{}
	queue := append([]string{}, files...)
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		if seen[f] {
			continue
		}
		seen[f] = true
		read = append(read, f)
		data, err := os.ReadFile(f)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("%s: %v", f, pe.Err)
			}
			return nil, nil, err
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
			queue = append(queue, more...)
		}
	}
	return cfg, read, nil
}

// followScenarios is a walkFiles visitor that reads the files scenarios name and nothing else.
func followScenarios(d *mesh.Document) ([]string, error) {
	if !scenarios.Is(d) {
		return nil, nil
	}
	s, err := scenarios.Decode(d)
	if err != nil {
		return nil, err
	}
	return s.Spec.Config, nil
}

// addStrict is Config.Add: the first bad resource stops the load.
func addStrict(c *mesh.Config, name string, data []byte) error { return c.Add(name, data) }

// loadInputs reads Kubernetes YAML (VirtualService, DestinationRule, Service, HTTPRoute,
// ReferenceGrant) and scenario files (and the files scenarios name), and translates the routing
// configuration.
func loadInputs(files []string) (*inputs, error) {
	in, err := readInputs(files)
	if err != nil {
		return nil, err
	}
	if err := in.translate(); err != nil {
		return nil, err
	}
	return in, nil
}

// readInputs reads the files of loadInputs and decodes the scenario among them, without translating
// the routing configuration (splitsim test does not need it for a scenario that only checks a canary
// plan).
func readInputs(files []string) (*inputs, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no input files (give VirtualService, DestinationRule or scenario YAML)")
	}
	in := &inputs{}
	var err error
	in.config, in.files, err = walkFiles(files, addStrict, func(d *mesh.Document) ([]string, error) {
		if !scenarios.Is(d) {
			in.warnings = append(in.warnings, skippedWarning(d, "splitsim"))
			return nil, nil
		}
		s, err := scenarios.Decode(d)
		if err != nil {
			return nil, err
		}
		in.scenarios = append(in.scenarios, s)
		return s.Spec.Config, nil
	})
	if err != nil {
		return nil, err
	}
	if len(in.scenarios) > 1 {
		return nil, fmt.Errorf("%s: more than one scenario in the inputs (%s and %s); run them one at a time or with splitsim test",
			in.scenarios[1].File, in.scenarios[0].Name, in.scenarios[1].Name)
	}
	return in, nil
}

// translate translates the routing configuration read by readInputs.
func (in *inputs) translate() error {
	if len(in.config.VirtualServices) == 0 && len(in.config.HTTPRoutes) == 0 {
		return fmt.Errorf("%s: no VirtualService or HTTPRoute found in the inputs", in.files[0])
	}
	tr, err := mesh.Translate(in.config)
	if err != nil {
		return err
	}
	in.tr = tr
	in.warnings = append(in.warnings, tr.Warnings...)
	return nil
}

// skippedWarning is the warning about a document of a kind that command does not use.
func skippedWarning(d *mesh.Document, command string) string {
	return fmt.Sprintf("%s: %s (%s %s): kind not used by %s, skipped", d.File, d.Doc, d.APIVersion, d.Resource(), command)
}

func (in *inputs) scenario() *scenarios.Scenario {
	if len(in.scenarios) == 0 {
		return nil
	}
	return in.scenarios[0]
}
