package mesh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	yaml3 "go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/proto"
	networking "istio.io/api/networking/v1"
	"sigs.k8s.io/yaml"
)

// Error is an input error that names the file, the document and the field.
type Error struct {
	File     string
	Doc      string // "document 2" or "document 1, item 3"
	Resource string // "VirtualService reviews", may be empty
	// APIVersion, Kind and Namespace of the resource, when known (for `splitsim lint`).
	APIVersion, Kind, Namespace string
	Path                        string // "spec.http[1].route[0].weight", may be empty
	Line                        int    // line of the field in the file, 0 when unknown
	Msg                         string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Doc != "" {
		b.WriteString(": ")
		b.WriteString(e.Doc)
		if e.Resource != "" {
			fmt.Fprintf(&b, " (%s)", e.Resource)
		}
	}
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Document is one Kubernetes object read from a file.
type Document struct {
	File       string
	Doc        string // "document 2" or "document 1, item 3"
	APIVersion string
	Kind       string
	Name       string
	Namespace  string // "default" when not given
	Line       int    // line where the object starts
	JSON       []byte // the whole object as JSON
	// Created is metadata.creationTimestamp, or the zero time when the document does not give one
	// (objects written by hand usually do not; objects exported from a cluster do).
	Created time.Time
	// Index is the document's position among all documents read into a Config (0, 1, ...): the input
	// order, which stands in for creation order where no creationTimestamp is given.
	Index int
	lines map[string]int
	// pre is the object decodeIstio makes of the document, when predecodeIstio made it beforehand.
	pre *istioObject
}

// FullName is "namespace/name", as istioctl analyze names resources.
func (d *Document) FullName() string {
	return d.Namespace + "/" + d.Name
}

// Resource is "Kind name".
func (d *Document) Resource() string {
	return strings.TrimSpace(d.Kind + " " + d.Name)
}

// LineOf returns the line of a field path such as "spec.http[0].route[1].weight", or of its nearest
// ancestor that has one.
func (d *Document) LineOf(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if l, ok := d.lines[p]; ok {
			return l
		}
	}
	return d.Line
}

// Errorf returns an *Error about path in this document.
func (d *Document) Errorf(path, format string, args ...any) *Error {
	return &Error{File: d.File, Doc: d.Doc, Resource: d.Resource(), APIVersion: d.APIVersion, Kind: d.Kind, Namespace: d.Namespace, Path: path, Line: d.LineOf(path), Msg: fmt.Sprintf(format, args...)}
}

// Has reports whether the document gives the field at path (not just one of its ancestors).
func (d *Document) Has(path string) bool {
	_, ok := d.lines[path]
	return ok
}

// Source is "file:line" of a path.
func (d *Document) Source(path string) string {
	return fmt.Sprintf("%s:%d", d.File, d.LineOf(path))
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// VirtualService is a decoded VirtualService with where it came from.
type VirtualService struct {
	*Document
	Spec *networking.VirtualService
	// parts are what views read of it, worked out by the translation numbered partsOf (viewkey.go).
	parts   *vsKeyParts
	partsOf uint64
	// gateways caches vsGateways (boundTo).
	gateways []string
}

// DestinationRule is a decoded DestinationRule with where it came from.
type DestinationRule struct {
	*Document
	Spec *networking.DestinationRule
}

// Service is the part of a core/v1 Service that routing needs: its ports, the selector that picks
// its endpoints, and the namespaces it is exported to.
type Service struct {
	*Document
	Ports []uint32
	// Selector is spec.selector: the pods whose labels match are the Service's endpoints.
	Selector map[string]string
	// ExportTo is the networking.istio.io/exportTo annotation split at commas (empty: Istio's
	// default, every namespace).
	ExportTo []string
}

// ServiceEntry is a decoded networking.istio.io ServiceEntry.
type ServiceEntry struct {
	*Document
	Spec *networking.ServiceEntry
}

// IstioGateway is a decoded networking.istio.io Gateway: the servers (ports and hosts) of a gateway.
type IstioGateway struct {
	*Document
	Spec *networking.Gateway
}

// Config is everything read from the input files.
type Config struct {
	VirtualServices  []*VirtualService
	DestinationRules []*DestinationRule
	Services         []*Service
	// HTTPRoutes are Gateway API HTTPRoutes (gateway.networking.k8s.io v1 or v1beta1).
	HTTPRoutes []*HTTPRoute
	// L4Routes are the Gateway API TCPRoutes and TLSRoutes (GRPCRoutes are in HTTPRoutes, converted).
	L4Routes []*L4Route
	// ReferenceGrants allow HTTPRoutes to send traffic to Services in other namespaces.
	ReferenceGrants []*ReferenceGrant
	// Workloads are the Deployments, StatefulSets, ReplicaSets, Rollouts and Pods: the endpoints of
	// Services that no route applies to.
	Workloads []*Workload
	// ServiceEntries are the networking.istio.io ServiceEntries (hosts an HTTPRoute may attach to).
	ServiceEntries []*ServiceEntry
	// IstioGateways are the networking.istio.io Gateways.
	IstioGateways []*IstioGateway
	// Gateways are the Gateway API Gateways.
	Gateways []*Gateway
	// NamespaceLabels are the labels of the Namespace objects of the inputs, by name (for listeners
	// that select route namespaces by label).
	NamespaceLabels map[string]map[string]string
	// Others are documents of kinds this package does not decode (scenarios, rollouts, ...), for
	// other packages to read; kinds nobody reads are reported by the caller.
	Others []*Document
	// servicesByFQDN indexes Services by fully qualified name (serviceFor); rebuilt when Services
	// grows.
	servicesByFQDN  map[string]*Service
	servicesIndexed int
	// drIdx indexes DestinationRules (drIndex); orderedVS caches OrderVirtualServices of
	// VirtualServices (orderedVirtualServices); subsetIdx caches subsetIndex.
	drIdx     *destinationRuleIndex
	orderedVS []*VirtualService
	subsetIdx *subsetIndex
	// docs counts the documents read, to number them in input order (Document.Index).
	docs int
}

// LoadFiles reads and decodes every file in order.
func LoadFiles(paths ...string) (*Config, error) {
	cfg := &Config{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: %v", p, pe.Err)
			}
			return nil, err
		}
		if err := cfg.Add(p, data); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// Add reads the documents of one file into the config.
func (c *Config) Add(file string, data []byte) error {
	docs, err := Split(file, data)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if errs := c.decode(d, false); len(errs) > 0 {
			return errs[0]
		}
	}
	return nil
}

// AddLenient reads the documents of one file like Add, but does not stop at a resource that fails to
// decode or to validate: it leaves that resource out and returns every problem found, each naming its
// file, document, field and line (for `splitsim lint`). The error is for a file that is not a stream
// of Kubernetes objects at all (YAML syntax, a document that is not an object).
func (c *Config) AddLenient(file string, data []byte) ([]*Error, error) {
	docs, err := Split(file, data)
	if err != nil {
		return nil, err
	}
	predecodeIstio(docs)
	var problems []*Error
	for _, d := range docs {
		problems = append(problems, c.decode(d, true)...)
	}
	return problems, nil
}

// Split cuts a YAML stream into Kubernetes objects: one per document, and one per item of a
// `kind: List`. Empty documents are skipped. It reads strictly: a key given twice in a mapping and
// NaN or infinity are errors naming the field. It refuses a file above the limits (CurrentLimits):
// too many YAML nodes (before parsing), objects, or nodes or bytes in one object.
func Split(file string, data []byte) ([]*Document, error) {
	lim := CurrentLimits()
	if n := countNodes(data, lim.Nodes); n > lim.Nodes {
		return nil, &Error{File: file, Msg: fmt.Sprintf("more than %d YAML nodes (keys, values, list items) in one file; %s", lim.Nodes, raiseHint)}
	}
	if n := countDocuments(data, lim.Documents+1); n > lim.Documents+1 {
		return nil, &Error{File: file, Msg: fmt.Sprintf("more than %d objects in one file; %s", lim.Documents, raiseHint)}
	}
	dec := yaml3.NewDecoder(bytes.NewReader(data))
	w := startDocWorker(file)
	queued := 0
	for n := 1; !w.failed.Load(); n++ {
		var node yaml3.Node
		err := dec.Decode(&node)
		if err == io.EOF {
			break
		}
		docName := fmt.Sprintf("document %d", n)
		if err != nil {
			return w.finish(&Error{File: file, Doc: docName, Msg: strings.TrimPrefix(err.Error(), "yaml: ")})
		}
		// Empty documents count too (a file of separators is work), but one more is allowed, so
		// that a file of exactly the limit may end with "---".
		if n > lim.Documents+1 {
			return w.finish(&Error{File: file, Doc: docName, Line: node.Line, Msg: fmt.Sprintf("more than %d objects in one file; %s", lim.Documents, raiseHint)})
		}
		if len(node.Content) == 0 {
			continue
		}
		root := node.Content[0]
		if root.Kind == yaml3.ScalarNode && root.Tag == "!!null" {
			continue
		}
		if queued >= lim.Documents {
			return w.finish(&Error{File: file, Doc: docName, Line: node.Line, Msg: fmt.Sprintf("more than %d objects in one file; %s", lim.Documents, raiseHint)})
		}
		if root.Kind != yaml3.MappingNode {
			return w.finish(&Error{File: file, Doc: docName, Line: root.Line, Msg: "not a Kubernetes object (expected a mapping with apiVersion and kind)"})
		}
		if kindOf(root) == "List" || strings.HasSuffix(kindOf(root), "List") && mapValue(root, "items") != nil {
			items := mapValue(root, "items")
			if items == nil || items.Kind != yaml3.SequenceNode {
				return w.finish(&Error{File: file, Doc: docName, Path: "items", Line: root.Line, Msg: "a List needs a sequence of items"})
			}
			if queued+len(items.Content) > lim.Documents {
				return w.finish(&Error{File: file, Doc: docName, Path: "items", Line: items.Line, Msg: fmt.Sprintf("more than %d objects in one file; %s", lim.Documents, raiseHint)})
			}
			for i, it := range items.Content {
				w.jobs <- docJob{fmt.Sprintf("%s, item %d", docName, i+1), it}
			}
			queued += len(items.Content)
			continue
		}
		w.jobs <- docJob{docName, root}
		queued++
	}
	return w.finish(nil)
}

// docJob is a parsed document (or List item) for newDocument.
type docJob struct {
	docName string
	root    *yaml3.Node
}

// docWorker makes the Documents of one file's parsed documents (newDocument), in order, on a
// goroutine of its own while Split parses the next ones; it stops at the first error.
type docWorker struct {
	jobs   chan docJob
	done   chan struct{}
	out    []*Document
	err    error
	failed atomic.Bool
}

func startDocWorker(file string) *docWorker {
	w := &docWorker{jobs: make(chan docJob, 64), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for j := range w.jobs {
			if w.err != nil {
				continue
			}
			d, err := newDocument(file, j.docName, j.root)
			if err != nil {
				w.err = err
				w.failed.Store(true)
				continue
			}
			w.out = append(w.out, d)
		}
	}()
	return w
}

// finish waits for the documents queued and returns them; or the error of the first one that
// failed, else err, Split's own error at a later document (the one a reading in order meets first).
func (w *docWorker) finish(err error) ([]*Document, error) {
	close(w.jobs)
	<-w.done
	if w.err != nil {
		return nil, w.err
	}
	if err != nil {
		return nil, err
	}
	return w.out, nil
}

func kindOf(m *yaml3.Node) string {
	if v := mapValue(m, "kind"); v != nil && v.Kind == yaml3.ScalarNode {
		return v.Value
	}
	return ""
}

func mapValue(m *yaml3.Node, key string) *yaml3.Node {
	if m.Kind != yaml3.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// documentJSON is the JSON of a document as sigs.k8s.io/yaml reads the YAML yaml.v3 writes for it:
// straight from the nodes where that gives the same bytes (nodeJSON), else by writing and reading
// the YAML again.
func documentJSON(root *yaml3.Node) ([]byte, error) {
	if js, ok := nodeJSON(root); ok {
		return js, nil
	}
	raw, err := yaml3.Marshal(root)
	if err != nil {
		return nil, err
	}
	return yaml.YAMLToJSON(raw)
}

func newDocument(file, docName string, root *yaml3.Node) (*Document, error) {
	d := &Document{File: file, Doc: docName, Line: root.Line, lines: map[string]int{}}
	if root.Kind != yaml3.MappingNode {
		return nil, &Error{File: file, Doc: docName, Line: root.Line, Msg: "not a Kubernetes object (expected a mapping with apiVersion and kind)"}
	}
	if err := checkSize(file, docName, root, CurrentLimits()); err != nil {
		return nil, err
	}
	// What errors say before the object is decoded: its kind and name as the YAML gives them.
	d.Kind = kindOf(root)
	if m := mapValue(root, "metadata"); m != nil {
		if v := mapValue(m, "name"); v != nil && v.Kind == yaml3.ScalarNode {
			d.Name = v.Value
		}
	}
	if err := index(d, root, ""); err != nil {
		return nil, err
	}
	js, err := documentJSON(root)
	if err != nil {
		return nil, &Error{File: file, Doc: docName, Line: root.Line, Msg: err.Error()}
	}
	d.JSON = js
	var head struct {
		APIVersion any `json:"apiVersion"`
		Kind       any `json:"kind"`
		Metadata   any `json:"metadata"`
	}
	if err := json.Unmarshal(js, &head); err != nil {
		return nil, &Error{File: file, Doc: docName, Line: root.Line, Msg: err.Error()}
	}
	var ok bool
	if d.Kind, ok = head.Kind.(string); !ok || d.Kind == "" {
		return nil, d.Errorf("kind", "missing or not a string: every Kubernetes object needs a kind")
	}
	if d.APIVersion, ok = head.APIVersion.(string); !ok || d.APIVersion == "" {
		return nil, d.Errorf("apiVersion", "missing or not a string: every Kubernetes object needs an apiVersion")
	}
	meta, _ := head.Metadata.(map[string]any)
	if head.Metadata != nil && meta == nil {
		return nil, d.Errorf("metadata", "must be a mapping")
	}
	if name, ok := meta["name"].(string); ok {
		d.Name = name
	} else if meta["name"] != nil {
		return nil, d.Errorf("metadata.name", "must be a string")
	}
	d.Namespace = "default"
	if ns, ok := meta["namespace"].(string); ok && ns != "" {
		d.Namespace = ns
	}
	if ts, ok := meta["creationTimestamp"]; ok && ts != nil {
		str, _ := ts.(string)
		t, err := time.Parse(time.RFC3339, str)
		if err != nil {
			return nil, d.Errorf("metadata.creationTimestamp", "want an RFC 3339 time such as 2024-05-01T12:00:00Z, got %v", ts)
		}
		d.Created = t
	}
	return d, nil
}

// index records the line of every field path below node in d, and checks every value (checkValue:
// no key twice, no NaN or infinity).
func index(d *Document, n *yaml3.Node, path string) *Error {
	if err := checkValue(d, n, path); err != nil {
		return err
	}
	switch n.Kind {
	case yaml3.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			d.lines[p] = k.Line
			if err := index(d, v, p); err != nil {
				return err
			}
		}
	case yaml3.SequenceNode:
		for i, v := range n.Content {
			p := path + "[" + strconv.Itoa(i) + "]"
			d.lines[p] = v.Line
			if err := index(d, v, p); err != nil {
				return err
			}
		}
	}
	// Aliases are not followed: their fields keep the lines of the anchor, and a recursive alias
	// cannot loop.
	return nil
}

const istioGroup = "networking.istio.io/"

// decode reads one document into the config. It returns the document's problems (the document is
// then left out); without lenient, only the first one matters to the caller.
func (c *Config) decode(d *Document, lenient bool) []*Error {
	d.Index = c.docs
	c.docs++
	group, _, _ := strings.Cut(d.APIVersion, "/")
	switch {
	case strings.HasPrefix(d.APIVersion, istioGroup) && (d.Kind == "VirtualService" || d.Kind == "DestinationRule" || d.Kind == "Gateway" || d.Kind == "ServiceEntry"):
		if err := checkServed(d, group, "v1, v1beta1 or v1alpha3", "v1", "v1beta1", "v1alpha3"); err != nil {
			return []*Error{err}
		}
		return c.decodeIstio(d)
	case group == gatewayGroup && isL4RouteKind(d.Kind):
		if err := checkServed(d, group+" "+d.Kind, servedText(l4Served(d.Kind)), l4Served(d.Kind)...); err != nil {
			return []*Error{err}
		}
		return c.decodeRouteKind(d)
	case group == gatewayGroup && (d.Kind == "HTTPRoute" || d.Kind == "ReferenceGrant" || d.Kind == "Gateway"):
		if err := checkServed(d, group+" "+d.Kind, "v1 or v1beta1", "v1", "v1beta1"); err != nil {
			return []*Error{err}
		}
		return c.decodeGateway(d)
	case d.Kind == "Service" && d.APIVersion == "v1":
		s, err := decodeService(d)
		if err != nil {
			return []*Error{err}
		}
		c.Services = append(c.Services, s)
		return nil
	case d.Kind == "Namespace" && d.APIVersion == "v1":
		var obj struct {
			Metadata struct {
				Labels map[string]string `json:"labels"`
			} `json:"metadata"`
		}
		if err := decodeDocument(d, &obj); err != nil {
			return []*Error{err}
		}
		if c.NamespaceLabels == nil {
			c.NamespaceLabels = map[string]map[string]string{}
		}
		labels := map[string]string{"kubernetes.io/metadata.name": d.Name}
		for k, v := range obj.Metadata.Labels {
			labels[k] = v
		}
		c.NamespaceLabels[d.Name] = labels
		return nil
	case IsWorkload(d):
		w, err := decodeWorkload(d)
		if err != nil {
			return []*Error{err}
		}
		if d.Kind != "Rollout" {
			c.Workloads = append(c.Workloads, w)
			return nil
		}
		c.Workloads = append(c.Workloads, rolloutWorkloads(w)...)
		// Rollouts are also canary plans, for package canary.
	}
	c.Others = append(c.Others, d)
	return nil
}

// checkServed checks that the document's API version is one of the served versions of what (a
// group, or a group and kind), which want lists for the message, and that it has a name.
func checkServed(d *Document, what, want string, served ...string) *Error {
	_, version, _ := strings.Cut(d.APIVersion, "/")
	if !slices.Contains(served, version) {
		return d.Errorf("apiVersion", "%s is not a served version of %s (want %s)", d.APIVersion, what, want)
	}
	if d.Name == "" {
		return d.Errorf("metadata.name", "missing")
	}
	return nil
}

// decodeIstio decodes and validates a VirtualService, DestinationRule, Gateway or ServiceEntry into the
// config.
func (c *Config) decodeIstio(d *Document) []*Error {
	o := d.pre
	d.pre = nil
	if o == nil {
		o = decodeIstioObject(d)
	}
	if len(o.errs) > 0 {
		return o.errs
	}
	switch x := o.obj.(type) {
	case *ServiceEntry:
		c.ServiceEntries = append(c.ServiceEntries, x)
	case *IstioGateway:
		c.IstioGateways = append(c.IstioGateways, x)
	case *DestinationRule:
		c.DestinationRules = append(c.DestinationRules, x)
	case *VirtualService:
		c.VirtualServices = append(c.VirtualServices, x)
	}
	return nil
}

// istioObject is a decoded and validated networking.istio.io object (a *ServiceEntry,
// *IstioGateway, *DestinationRule or *VirtualService), or the problems that keep it out.
type istioObject struct {
	obj  any
	errs []*Error
}

// decodeIstioObject decodes and validates a ServiceEntry, Gateway, DestinationRule or (any other
// kind) VirtualService. It reads only the document, so that documents can be decoded at once.
func decodeIstioObject(d *Document) *istioObject {
	var obj any
	var spec proto.Message
	var validate func() []*Error
	switch d.Kind {
	case "ServiceEntry":
		se := &ServiceEntry{Document: d, Spec: &networking.ServiceEntry{}}
		obj, spec, validate = se, se.Spec, func() []*Error { return validateServiceEntry(se) }
	case "Gateway":
		g := &IstioGateway{Document: d, Spec: &networking.Gateway{}}
		obj, spec, validate = g, g.Spec, func() []*Error { return validateGateway(g) }
	case "DestinationRule":
		dr := &DestinationRule{Document: d, Spec: &networking.DestinationRule{}}
		obj, spec, validate = dr, dr.Spec, func() []*Error { return validateDestinationRule(dr) }
	default:
		vs := &VirtualService{Document: d, Spec: &networking.VirtualService{}}
		obj, spec, validate = vs, vs.Spec, func() []*Error { return validateVirtualService(vs) }
	}
	if err := decodeSpec(d, spec); err != nil {
		return &istioObject{errs: []*Error{err}}
	}
	if errs := validate(); len(errs) > 0 {
		return &istioObject{errs: errs}
	}
	return &istioObject{obj: obj}
}

// predecodeIstio decodes the networking.istio.io objects of docs (decodeIstioObject) on every core
// before Config.decode takes them in order, for files of many objects.
func predecodeIstio(docs []*Document) {
	var todo []*Document
	for _, d := range docs {
		if strings.HasPrefix(d.APIVersion, istioGroup) && (d.Kind == "VirtualService" || d.Kind == "DestinationRule" || d.Kind == "Gateway" || d.Kind == "ServiceEntry") {
			todo = append(todo, d)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(todo)/64)
	if workers < 2 {
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(todo); i += workers {
				todo[i].pre = decodeIstioObject(todo[i])
			}
		})
	}
	wg.Wait()
}

// decodeGateway decodes and validates an HTTPRoute or ReferenceGrant into the config.
func (c *Config) decodeGateway(d *Document) []*Error {
	if d.Kind == "Gateway" {
		g, err := decodeGatewayAPIGateway(d)
		if err != nil {
			return []*Error{err}
		}
		c.Gateways = append(c.Gateways, g)
		return nil
	}
	if d.Kind == "ReferenceGrant" {
		g, err := decodeReferenceGrant(d)
		if err != nil {
			return []*Error{err}
		}
		c.ReferenceGrants = append(c.ReferenceGrants, g)
		return nil
	}
	r, errs := decodeHTTPRoute(d)
	if len(errs) > 0 {
		return errs
	}
	c.HTTPRoutes = append(c.HTTPRoutes, r)
	return nil
}

func decodeService(d *Document) (*Service, *Error) {
	var obj struct {
		Metadata struct {
			Annotations map[string]string `json:"annotations"`
		} `json:"metadata"`
		Spec struct {
			Ports []struct {
				Port any `json:"port"`
			} `json:"ports"`
			Selector map[string]string `json:"selector"`
		} `json:"spec"`
	}
	if err := decodeDocument(d, &obj); err != nil {
		return nil, err
	}
	s := &Service{Document: d, Selector: obj.Spec.Selector}
	if e, ok := obj.Metadata.Annotations[exportToAnnotation]; ok {
		for _, ns := range strings.Split(e, ",") {
			s.ExportTo = append(s.ExportTo, strings.TrimSpace(ns))
		}
	}
	for i, p := range obj.Spec.Ports {
		f, ok := p.Port.(float64)
		if !ok || f < 1 || f > 65535 || f != float64(int(f)) {
			return nil, d.Errorf(fmt.Sprintf("spec.ports[%d].port", i), "must be an integer from 1 to 65535, got %v", p.Port)
		}
		s.Ports = append(s.Ports, uint32(f))
	}
	return s, nil
}
