package mesh

import (
	"encoding/json"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	networking "istio.io/api/networking/v1"
)

// This file gives `splitsim lint` the resources AddLenient leaves out, read as istioctl analyze reads
// them. Istio's analyzers (istio pkg/config/analysis/local, IstiodAnalyzer over files) run on every
// resource that decodes, also on those its schema validation rejects (which the schema analyzer
// reports as IST0106 besides), and the file source decodes a spec dropping the fields it does not know
// (a field of the wrong type makes it skip the resource).

// ReadVirtualServiceAsIstio reads a VirtualService document as Istio's analyzers do. decodeErr is the
// problem AddLenient reports when the spec does not decode strictly (an unknown field, a wrong type);
// vs is nil when Istio cannot read the document either (wrong type, unserved apiVersion, no name),
// else it is the spec read without its unknown fields, with its validation errors (those of
// AddLenient when the spec decodes strictly).
func ReadVirtualServiceAsIstio(d *Document) (vs *VirtualService, decodeErr *Error, validation []*Error) {
	vs = &VirtualService{Document: d, Spec: &networking.VirtualService{}}
	decodeErr, ok := readAsIstio(d, vs.Spec)
	if !ok {
		return nil, decodeErr, nil
	}
	return vs, decodeErr, validateVirtualService(vs)
}

// ReadDestinationRuleAsIstio is ReadVirtualServiceAsIstio for a DestinationRule.
func ReadDestinationRuleAsIstio(d *Document) (dr *DestinationRule, decodeErr *Error, validation []*Error) {
	dr = &DestinationRule{Document: d, Spec: &networking.DestinationRule{}}
	decodeErr, ok := readAsIstio(d, dr.Spec)
	if !ok {
		return nil, decodeErr, nil
	}
	return dr, decodeErr, validateDestinationRule(dr)
}

// readAsIstio decodes the document's spec into msg strictly (decodeSpec) or, failing that, dropping
// unknown fields; ok says whether msg holds the spec.
func readAsIstio(d *Document, msg proto.Message) (decodeErr *Error, ok bool) {
	group, _, _ := strings.Cut(d.APIVersion, "/")
	if err := checkServed(d, group, "v1, v1beta1 or v1alpha3", "v1", "v1beta1", "v1alpha3"); err != nil {
		return err, false
	}
	decodeErr = decodeSpec(d, msg)
	if decodeErr == nil {
		return nil, true
	}
	proto.Reset(msg)
	raw, v, specErr := specOf(d, "missing")
	if specErr != nil {
		return decodeErr, false
	}
	if path, bad := normalizeDurations(v, msg.ProtoReflect().Descriptor(), "spec"); bad != "" {
		return decodeErr, false
	} else if path != "" {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return decodeErr, false
		}
	}
	return decodeErr, (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(raw, msg) == nil
}
