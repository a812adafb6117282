package mesh

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
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

// Gateway is a decoded Gateway API Gateway: its listeners (hostname, port, allowedRoutes).
type Gateway struct {
	*Document
	Gateway *gatewayv1.Gateway
}

func decodeGatewayAPIGateway(d *Document) (*Gateway, *Error) {
	g := &Gateway{Document: d, Gateway: &gatewayv1.Gateway{}}
	if err := decodeGatewayObject(d, reflect.TypeOf(gatewayv1.GatewaySpec{}), g.Gateway); err != nil {
		return nil, err
	}
	return g, nil
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
	_, v, err := specOf(d, "Required value")
	if err != nil {
		return err
	}
	if path, msg := checkGo(v, specType, "spec"); msg != "" {
		return d.Errorf(path, "%s", msg)
	}
	strict, serr := k8sjson.UnmarshalStrict(d.JSON, out)
	if serr != nil {
		return d.Errorf("", "%s", strings.TrimPrefix(serr.Error(), "json: "))
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
		return checkGoStruct(v, t, path)
	case reflect.Slice:
		return checkList(v, path, func(e any, p string) (string, string) { return checkGo(e, t.Elem(), p) })
	case reflect.Map:
		return checkMapping(v, path, func(e any, p string) (string, string) { return checkGo(e, t.Elem(), p) })
	case reflect.String:
		return expectType[string](v, path, "a string")
	case reflect.Bool:
		return expectType[bool](v, path, "true or false")
	case reflect.Float32, reflect.Float64:
		return expectType[json.Number](v, path, "a number")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return checkGoInt(v, t, path)
	}
	return "", ""
}

// checkGoStruct checks a JSON object against a struct: every key must be one of its JSON fields.
func checkGoStruct(v any, t reflect.Type, path string) (string, string) {
	obj, ok := v.(map[string]any)
	if !ok {
		return path, fmt.Sprintf("expected a mapping, got %s", jsonKind(v))
	}
	fields := jsonFields(t)
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		p := path + "." + k
		ft, ok := fields[k]
		if !ok {
			return p, UnknownField(k, slices.Sorted(maps.Keys(fields))) + builtWith("sigs.k8s.io/gateway-api")
		}
		if q, m := checkGo(obj[k], ft, p); m != "" {
			return q, m
		}
	}
	return "", ""
}

// checkGoInt checks a JSON number against a Go integer type: an integer within the type's range.
func checkGoInt(v any, t reflect.Type, path string) (string, string) {
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

func ptrOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
