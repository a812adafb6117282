package lint

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/splitsim/splitsim/mesh"
	"github.com/splitsim/splitsim/result"
)

// SuppressAnnotation is the annotation by which a resource suppresses findings about itself, as
// istioctl analyze reads it (istio/api annotation GalleyAnalyzeSuppress).
const SuppressAnnotation = "galley.istio.io/analyze-suppress"

// Suppression is one --suppress value, CODE=RESOURCE, as istioctl analyze --suppress takes it
// (istio istioctl/pkg/analyze/analyze.go): a finding is suppressed when its code matches Code and
// its resource ("Kind namespace/name", as istioctl's Origin.FriendlyName spells it) matches
// Resource. Both are globs in which "*" matches any run of characters (github.com/ryanuber/go-glob,
// which istio pkg/config/analysis/local/istiod_analyze.go filterMessages uses for the resource);
// istioctl compares the code exactly, splitsim also takes a glob there ("SPL*=*").
type Suppression struct {
	Code, Resource string
}

// String is the value as given: CODE=RESOURCE.
func (s Suppression) String() string { return s.Code + "=" + s.Resource }

// ParseSuppression reads a --suppress value. As in istioctl, the value must have exactly one "=".
func ParseSuppression(v string) (Suppression, error) {
	parts := strings.Split(v, "=")
	if len(parts) != 2 {
		return Suppression{}, fmt.Errorf("%s is not a valid suppression value: write CODE=RESOURCE, such as \"SPL001=VirtualService default/reviews\" (\"*\" matches any text)", v)
	}
	return Suppression{Code: parts[0], Resource: parts[1]}, nil
}

// KnownCode reports whether a code pattern matches at least one code lint reports. istioctl warns
// about an unknown code and goes on ("Supplied message code '%s' is an unknown message code and will
// not have any effect").
func KnownCode(pattern string) bool {
	for _, c := range Codes {
		if glob(pattern, c.Code) {
			return true
		}
	}
	return false
}

func (s Suppression) matches(f *result.Finding) bool {
	return glob(s.Code, f.Code) && glob(s.Resource, f.Resource)
}

// glob is github.com/ryanuber/go-glob's Glob (MIT License, Copyright (c) 2014 Ryan Uber), which
// istioctl uses for --suppress: "*" matches any run of characters, including none; an empty pattern
// matches only the empty string; every other character matches itself.
func glob(pattern, subj string) bool {
	if pattern == "" {
		return subj == pattern
	}
	if pattern == "*" {
		return true
	}
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return subj == pattern
	}
	leadingGlob := strings.HasPrefix(pattern, "*")
	trailingGlob := strings.HasSuffix(pattern, "*")
	end := len(parts) - 1
	for i := 0; i < end; i++ {
		idx := strings.Index(subj, parts[i])
		switch i {
		case 0:
			if !leadingGlob && idx != 0 {
				return false
			}
		default:
			if idx < 0 {
				return false
			}
		}
		subj = subj[idx+len(parts[i]):]
	}
	return trailingGlob || strings.HasSuffix(subj, parts[end])
}

// annotationSuppresses reports whether the value of a resource's analyze-suppress annotation
// suppresses code, as filterMessages reads it: the value split at every "," (nothing trimmed), an
// entry equal to the code or "*" suppresses.
func annotationSuppresses(value, code string) bool {
	if value == "" {
		return false
	}
	for _, c := range strings.Split(value, ",") {
		if c == "*" || c == code {
			return true
		}
	}
	return false
}

// suppressAnnotation is the analyze-suppress annotation of an object given as JSON; "" when it has
// none (or the object does not decode).
func suppressAnnotation(obj []byte) string {
	var o struct {
		Metadata struct {
			Annotations map[string]any `json:"annotations"`
		} `json:"metadata"`
	}
	if json.Unmarshal(obj, &o) != nil {
		return ""
	}
	s, _ := o.Metadata.Annotations[SuppressAnnotation].(string)
	return s
}

// docSource finds the document of a finding's resource, for its annotations: the documents
// findings were reported on, or, for the resources left out of the configuration (whose problems
// name only their file and document), the file read again.
type docSource struct {
	read func(string) ([]byte, error)
	// known are the documents findings were reported on, by docKey.
	known map[string]*mesh.Document
	// files are the files read again: their documents by name.
	files map[string]map[string]*mesh.Document
	// annotations caches the analyze-suppress annotation by docKey.
	annotations map[string]string
}

func newDocSource(read func(string) ([]byte, error)) *docSource {
	return &docSource{read: read, known: map[string]*mesh.Document{}, files: map[string]map[string]*mesh.Document{}, annotations: map[string]string{}}
}

// note remembers a document a finding is reported on.
func (s *docSource) note(d *mesh.Document) {
	key := docKey(d.File, d.Doc)
	if _, ok := s.known[key]; !ok {
		s.known[key] = d
	}
}

// reread is document doc of file as the file reads again (nil when it cannot be read).
func (s *docSource) reread(file, doc string) *mesh.Document {
	docs, ok := s.files[file]
	if !ok {
		docs = map[string]*mesh.Document{}
		if data, err := s.read(file); err == nil {
			all, _ := mesh.Split(file, data)
			for _, d := range all {
				docs[d.Doc] = d
			}
		}
		s.files[file] = docs
	}
	return docs[doc]
}

// annotation is the analyze-suppress annotation of document doc of file.
func (s *docSource) annotation(file, doc string) string {
	key := docKey(file, doc)
	if v, ok := s.annotations[key]; ok {
		return v
	}
	d := s.known[key]
	if d == nil {
		d = s.reread(file, doc)
	}
	v := ""
	if d != nil {
		v = suppressAnnotation(d.JSON)
	}
	s.annotations[key] = v
	return v
}
