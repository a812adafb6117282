package mesh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	k8sjson "sigs.k8s.io/json"
)

// gatewayGroup is the API group of the Gateway API.
const gatewayGroup = "gateway.networking.k8s.io"

// HTTPRoute is a decoded Gateway API HTTPRoute with where it came from. Route holds the official
// sigs.k8s.io/gateway-api/apis/v1 type as decoded, without the defaults the API server would add;
// the translation applies them (weight 1, path PathPrefix "/", header and query type Exact).
type HTTPRoute struct {
	*Document
	Route *gatewayv1.HTTPRoute
}

// ReferenceGrant is a decoded Gateway API ReferenceGrant: it lets routes in other namespaces send
// traffic to Services in its namespace.
type ReferenceGrant struct {
	*Document
	Grant *gatewayv1.ReferenceGrant
}

// decodeHTTPRoute decodes the document strictly into the official type: first every field of the spec
// is checked against the Go type (so an unknown field or a value of the wrong type is named by its
// path and line), then sigs.k8s.io/json decodes the whole object the way the Kubernetes API server
// does (case-sensitive field names; unknown and duplicate fields are errors). Then the CRD's
// validation rules are applied (validateHTTPRoute).
func decodeHTTPRoute(d *Document) (*HTTPRoute, []*Error) {
	r := &HTTPRoute{Document: d, Route: &gatewayv1.HTTPRoute{}}
	if err := decodeGatewayObject(d, reflect.TypeOf(gatewayv1.HTTPRouteSpec{}), r.Route); err != nil {
		return nil, []*Error{err}
	}
	if errs := validateHTTPRoute(r); len(errs) > 0 {
		return nil, errs
	}
	return r, nil
}

func decodeReferenceGrant(d *Document) (*ReferenceGrant, *Error) {
	g := &ReferenceGrant{Document: d, Grant: &gatewayv1.ReferenceGrant{}}
	if err := decodeGatewayObject(d, reflect.TypeOf(gatewayv1.ReferenceGrantSpec{}), g.Grant); err != nil {
		return nil, err
	}
	return g, nil
}

func decodeGatewayObject(d *Document, specType reflect.Type, out any) *Error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(d.JSON, &obj); err != nil {
		return d.Errorf("", "%v", err)
	}
	raw, ok := obj["spec"]
	if !ok || string(raw) == "null" {
		return d.Errorf("spec", "Required value")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return d.Errorf("spec", "%v", err)
	}
	if path, msg := checkGo(v, specType, "spec"); msg != "" {
		return d.Errorf(path, "%s", msg)
	}
	strict, err := k8sjson.UnmarshalStrict(d.JSON, out)
	if err != nil {
		return d.Errorf("", "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if len(strict) > 0 {
		msg := strict[0].Error()
		path := ""
		if i := strings.Index(msg, `"`); i >= 0 {
			if j := strings.Index(msg[i+1:], `"`); j >= 0 {
				path = msg[i+1 : i+1+j]
			}
		}
		return d.Errorf(path, "%s", msg)
	}
	return nil
}

// checkGo walks a JSON value against a Go type with json tags, as checkMessage does against a protobuf
// descriptor, and returns the path of the first problem and a message.
func checkGo(v any, t reflect.Type, path string) (string, string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return "", ""
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return path, fmt.Sprintf("expected a mapping, got %s", jsonKind(v))
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := path + "." + k
			ft, ok := fields[k]
			if !ok {
				names := make([]string, 0, len(fields))
				for n := range fields {
					names = append(names, n)
				}
				return p, unknownFieldOf(k, names)
			}
			if q, m := checkGo(obj[k], ft, p); m != "" {
				return q, m
			}
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			return path, fmt.Sprintf("expected a list, got %s", jsonKind(v))
		}
		for i, e := range arr {
			if q, m := checkGo(e, t.Elem(), path+"["+strconv.Itoa(i)+"]"); m != "" {
				return q, m
			}
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return path, fmt.Sprintf("expected a mapping, got %s", jsonKind(v))
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if q, m := checkGo(obj[k], t.Elem(), path+"."+k); m != "" {
				return q, m
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return path, fmt.Sprintf("expected a string, got %s", jsonKind(v))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return path, fmt.Sprintf("expected true or false, got %s", jsonKind(v))
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			return path, fmt.Sprintf("expected a number, got %s", jsonKind(v))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return path, fmt.Sprintf("expected an integer, got %s", jsonKind(v))
		}
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil {
			return path, fmt.Sprintf("expected an integer, got %s", n)
		}
		bits := t.Bits()
		lo, hi := -int64(1)<<(bits-1), int64(1)<<(bits-1)-1
		if bits == 64 {
			lo, hi = math.MinInt64, math.MaxInt64
		}
		if i < lo || i > hi {
			return path, fmt.Sprintf("%d is out of range for %s (%d to %d)", i, t.Kind(), lo, hi)
		}
	}
	return "", ""
}

// jsonFields maps the JSON names of a struct's fields to their types, following inline embedding.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if name == "" && (f.Anonymous || strings.Contains(","+opts+",", ",inline,")) {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func unknownFieldOf(k string, names []string) string {
	sort.Strings(names)
	return UnknownField(k, names)
}

var gatewayHostnameRE = regexp.MustCompile(`^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// validateHTTPRoute applies the validation of the HTTPRoute CRD that the API server would apply
// (the +kubebuilder:validation markers and CEL rules of sigs.k8s.io/gateway-api apis/v1
// httproute_types.go, shared_types.go and object_reference_types.go), with the API server's wording,
// plus the RE2 syntax of RegularExpression matches (Istio programs Envoy's RE2 safe_regex).
func validateHTTPRoute(r *HTTPRoute) []*Error {
	var errs []*Error
	add := func(path, format string, args ...any) {
		errs = append(errs, r.Errorf(path, format, args...))
	}
	s := &r.Route.Spec
	tooMany := func(path string, n, max int) {
		if n > max {
			add(path, "Too many: %d: must have at most %d items", n, max)
		}
	}
	tooMany("spec.parentRefs", len(s.ParentRefs), 32)
	tooMany("spec.hostnames", len(s.Hostnames), 16)
	for i, h := range s.Hostnames {
		if len(h) > 253 || !gatewayHostnameRE.MatchString(string(h)) {
			add(fmt.Sprintf("spec.hostnames[%d]", i), "Invalid value: %q: should match '%s'", h, gatewayHostnameRE)
		}
	}
	tooMany("spec.rules", len(s.Rules), 16)
	total := 0
	for i := range s.Rules {
		rule := &s.Rules[i]
		p := fmt.Sprintf("spec.rules[%d]", i)
		total += len(rule.Matches)
		tooMany(p+".matches", len(rule.Matches), 64)
		for j := range rule.Matches {
			m := &rule.Matches[j]
			q := fmt.Sprintf("%s.matches[%d]", p, j)
			if m.Path != nil {
				typ := gatewayv1.PathMatchPathPrefix
				if m.Path.Type != nil {
					typ = *m.Path.Type
				}
				val := "/"
				if m.Path.Value != nil {
					val = *m.Path.Value
				}
				switch typ {
				case gatewayv1.PathMatchExact, gatewayv1.PathMatchPathPrefix:
					for _, bad := range []struct {
						cond bool
						msg  string
					}{
						{!strings.HasPrefix(val, "/"), "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"},
						{strings.Contains(val, "//"), "must not contain '//' when type one of ['Exact', 'PathPrefix']"},
						{strings.Contains(val, "/./"), "must not contain '/./' when type one of ['Exact', 'PathPrefix']"},
						{strings.Contains(val, "/../"), "must not contain '/../' when type one of ['Exact', 'PathPrefix']"},
						{strings.Contains(val, "#"), "must not contain '#' when type one of ['Exact', 'PathPrefix']"},
					} {
						if bad.cond {
							add(q+".path", "Invalid value: \"object\": %s", bad.msg)
						}
					}
				case gatewayv1.PathMatchRegularExpression:
					if _, err := regexp.Compile(val); err != nil {
						add(q+".path.value", "Invalid value: %q: not an RE2 regular expression (%v)", val, err)
					}
				default:
					add(q+".path.type", "Unsupported value: %q: supported values: \"Exact\", \"PathPrefix\", \"RegularExpression\"", typ)
				}
				if len(val) > 1024 {
					add(q+".path.value", "Too long: may not be longer than 1024")
				}
			}
			seen := map[string]bool{}
			tooMany(q+".headers", len(m.Headers), 16)
			for k, h := range m.Headers {
				hp := fmt.Sprintf("%s.headers[%d]", q, k)
				if seen[string(h.Name)] {
					add(hp+".name", "Duplicate value: %q", h.Name)
				}
				seen[string(h.Name)] = true
				checkValueMatch(add, hp, string(ptrOr(h.Type, gatewayv1.HeaderMatchExact)), h.Value, 4096)
			}
			seen = map[string]bool{}
			tooMany(q+".queryParams", len(m.QueryParams), 16)
			for k, qm := range m.QueryParams {
				hp := fmt.Sprintf("%s.queryParams[%d]", q, k)
				if seen[string(qm.Name)] {
					add(hp+".name", "Duplicate value: %q", qm.Name)
				}
				seen[string(qm.Name)] = true
				checkValueMatch(add, hp, string(ptrOr(qm.Type, gatewayv1.QueryParamMatchExact)), qm.Value, 1024)
			}
			if m.Method != nil {
				switch *m.Method {
				case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH":
				default:
					add(q+".method", "Unsupported value: %q: supported values: \"GET\", \"HEAD\", \"POST\", \"PUT\", \"DELETE\", \"CONNECT\", \"OPTIONS\", \"TRACE\", \"PATCH\"", *m.Method)
				}
			}
		}
		tooMany(p+".backendRefs", len(rule.BackendRefs), 16)
		redirect := false
		for _, f := range rule.Filters {
			if f.Type == gatewayv1.HTTPRouteFilterRequestRedirect {
				redirect = true
			}
		}
		if redirect && len(rule.BackendRefs) > 0 {
			add(p, "Invalid value: \"object\": RequestRedirect filter must not be used together with backendRefs")
		}
		for k := range rule.BackendRefs {
			b := &rule.BackendRefs[k]
			bp := fmt.Sprintf("%s.backendRefs[%d]", p, k)
			if b.Weight != nil && *b.Weight < 0 {
				add(bp+".weight", "Invalid value: %d: should be greater than or equal to 0", *b.Weight)
			}
			if b.Weight != nil && *b.Weight > 1000000 {
				add(bp+".weight", "Invalid value: %d: should be less than or equal to 1000000", *b.Weight)
			}
			if b.Name == "" {
				add(bp+".name", "Required value")
			}
			if b.Port != nil && (*b.Port < 1 || *b.Port > 65535) {
				add(bp+".port", "Invalid value: %d: should be between 1 and 65535", *b.Port)
			}
			if ptrOr(b.Group, "") == "" && ptrOr(b.Kind, "Service") == "Service" && b.Port == nil {
				add(bp, "Invalid value: \"object\": Must have port for Service reference")
			}
		}
	}
	if total > 128 {
		add("spec.rules", "Invalid value: \"array\": While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128")
	}
	return errs
}

func checkValueMatch(add func(path, format string, args ...any), path, typ, value string, maxLen int) {
	switch typ {
	case "Exact":
	case "RegularExpression":
		if _, err := regexp.Compile(value); err != nil {
			add(path+".value", "Invalid value: %q: not an RE2 regular expression (%v)", value, err)
		}
	default:
		add(path+".type", "Unsupported value: %q: supported values: \"Exact\", \"RegularExpression\"", typ)
	}
	if value == "" {
		add(path+".value", "Invalid value: \"\": should be at least 1 chars long")
	}
	if len(value) > maxLen {
		add(path+".value", "Too long: may not be longer than %d", maxLen)
	}
}

func ptrOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
