package mesh

import networking "istio.io/api/networking/v1"

// DecodeVirtualServiceUnvalidated decodes the spec of a VirtualService document without validating
// it, for `splitsim lint`: Istio's analyzers (istioctl analyze) run on every resource that decodes,
// also on those its schema validation rejects (reported as IST0106), and lint does the same with the
// documents AddLenient left out. The error is the document's decoding problem.
func DecodeVirtualServiceUnvalidated(d *Document) (*VirtualService, *Error) {
	vs := &VirtualService{Document: d, Spec: &networking.VirtualService{}}
	if err := decodeSpec(d, vs.Spec); err != nil {
		return nil, err
	}
	return vs, nil
}

// DecodeDestinationRuleUnvalidated is DecodeVirtualServiceUnvalidated for a DestinationRule.
func DecodeDestinationRuleUnvalidated(d *Document) (*DestinationRule, *Error) {
	dr := &DestinationRule{Document: d, Spec: &networking.DestinationRule{}}
	if err := decodeSpec(d, dr.Spec); err != nil {
		return nil, err
	}
	return dr, nil
}
