package mesh

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"
)

// The name, label, port, duration and header checks Istio's VirtualService and DestinationRule
// validation relies on, ported from istio pkg/config/validation/agent/validation.go,
// pkg/config/labels/instance.go, pkg/config/host/name.go, pkg/config/validation/validation.go and
// header_value_validator.go (istio.io/istio v0.0.0-20260827124520-eed52ebb66ad), messages verbatim.

const (
	// dns1123LabelFmt and the formats below are pkg/config/labels' own.
	dns1123LabelFmt = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?"
	// wildcardPrefixFmt is an '*', a DNS-1123 label with a leading '*' or '*-', or a DNS-1123 label.
	wildcardPrefixFmt = `(\*|(\*|\*-)?` + dns1123LabelFmt + `)`
	qualifiedNameFmt  = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
	dnsNamePrefixFmt  = dns1123LabelFmt + `(?:\.` + dns1123LabelFmt + `)*/`
)

var (
	dns1123LabelRE   = regexp.MustCompile("^" + dns1123LabelFmt + "$")
	wildcardPrefixRE = regexp.MustCompile("^" + wildcardPrefixFmt + "$")
	tagKeyRE         = regexp.MustCompile("^(" + dnsNamePrefixFmt + ")?(" + qualifiedNameFmt + ")$")
	labelValueRE     = regexp.MustCompile("^" + "(" + qualifiedNameFmt + ")?" + "$")
	// headerNameRE is RFC 7230's token (validation.go validHeaderNameRegex).
	headerNameRE = regexp.MustCompile("^[" + "!#$%&'*+-.^_`|~" + "A-Z" + "a-z" + "0-9" + "]+$")
	// headerValueRE is validation.go httpHeaderValueRegexp.
	headerValueRE = regexp.MustCompile("^[^\u0000-\u0008\u000A-\u001F\u007F]*$")
)

// isDNS1123Label is labels.IsDNS1123Label: upper-case letters allowed, at most 63 characters.
func isDNS1123Label(s string) bool {
	return len(s) <= 63 && dns1123LabelRE.MatchString(s)
}

// isWildcardDNS1123Label is labels.IsWildcardDNS1123Label.
func isWildcardDNS1123Label(s string) bool {
	return len(s) <= 63 && wildcardPrefixRE.MatchString(s)
}

// checkDNS1123Preconditions is agent.CheckDNS1123Preconditions.
func checkDNS1123Preconditions(name string) error {
	if len(name) > 255 {
		return fmt.Errorf("domain name %q too long (max 255)", name)
	}
	if len(name) == 0 {
		return errors.New("empty domain name not allowed")
	}
	return nil
}

// validateDNS1123Labels is agent.ValidateDNS1123Labels.
func validateDNS1123Labels(domain string) error {
	parts := strings.Split(domain, ".")
	topLevelDomain := parts[len(parts)-1]
	if _, err := strconv.Atoi(topLevelDomain); err == nil {
		return fmt.Errorf("domain name %q invalid (top level domain %q cannot be all-numeric)", domain, topLevelDomain)
	}
	for i, label := range parts {
		// The last part may be empty, for unambiguous names like `istio.io.`.
		if i == len(parts)-1 && label == "" {
			return nil
		}
		if !isDNS1123Label(label) {
			return fmt.Errorf("domain name %q invalid (label %q invalid)", domain, label)
		}
	}
	return nil
}

// validateFQDN is agent.ValidateFQDN.
func validateFQDN(fqdn string) error {
	if err := checkDNS1123Preconditions(fqdn); err != nil {
		return err
	}
	return validateDNS1123Labels(fqdn)
}

// validateWildcardDomain is agent.ValidateWildcardDomain: an FQDN whose first label may be a wildcard.
func validateWildcardDomain(domain string) error {
	if err := checkDNS1123Preconditions(domain); err != nil {
		return err
	}
	parts := strings.SplitN(domain, ".", 2)
	if !isWildcardDNS1123Label(parts[0]) {
		return fmt.Errorf("domain name %q invalid (label %q invalid)", domain, parts[0])
	} else if len(parts) > 1 {
		return validateDNS1123Labels(parts[1])
	}
	return nil
}

// validateWildcardDomainForGateway is agent.ValidateWildcardDomainForVirtualServiceBoundToGateway:
// with sni, an auto-generated SNI name outbound_.PORT_._.HOSTNAME is allowed too.
func validateWildcardDomainForGateway(sni bool, domain string) error {
	if err := checkDNS1123Preconditions(domain); err != nil {
		return err
	}
	if sni && strings.HasPrefix(domain, "outbound_") {
		const format = "outbound_.<PORT>_._.<HOSTNAME>"
		parts := strings.Split(domain, "_")
		if len(parts) < 4 {
			return fmt.Errorf("domain name %s invalid, should follow '%s' format", domain, format)
		}
		direction, port, hostname := parts[0], strings.Trim(parts[1], "."), strings.Trim(parts[3], ".")
		if direction != "outbound" {
			return fmt.Errorf("domain name %q invalid (label %q invalid)", domain, direction)
		}
		if !strings.ContainsAny(port, "0123456789") {
			return fmt.Errorf("domain name %q invalid (label %q invalid). should follow %s format", domain, port, format)
		}
		if !strings.ContainsFunc(hostname, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) {
			return fmt.Errorf("domain name %q invalid (label %q invalid). should follow %s format", domain, hostname, format)
		}
		return nil
	}
	return validateWildcardDomain(domain)
}

// isValidIPAddress is pkg/util/net IsValidIPAddress.
func isValidIPAddress(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.IsValid()
}

// validateIPSubnet is agent.ValidateIPSubnet: CIDR or dot-decimal notation.
func validateIPSubnet(subnet string) error {
	if strings.Count(subnet, "/") == 1 {
		if _, err := netip.ParsePrefix(subnet); err != nil {
			return fmt.Errorf("%v is not a valid CIDR block", subnet)
		}
		return nil
	}
	return validateIPAddress(subnet)
}

// validateIPAddress is agent.ValidateIPAddress.
func validateIPAddress(addr string) error {
	if _, err := netip.ParseAddr(addr); err != nil {
		return fmt.Errorf("%v is not a valid IP", addr)
	}
	return nil
}

// validatePort is agent.ValidatePort.
func validatePort(port int) error {
	if 1 <= port && port <= 65535 {
		return nil
	}
	return fmt.Errorf("port number %d must be in the range 1..65535", port)
}

// validateDuration is agent.ValidateDuration: at least 1ms, in whole milliseconds.
func validateDuration(pd *durationpb.Duration) error {
	dur := pd.AsDuration()
	if dur < time.Millisecond {
		return errors.New("duration must be greater than 1ms")
	}
	if dur%time.Millisecond != 0 {
		return errors.New("only durations to ms precision are supported")
	}
	return nil
}

// labels is labels.Instance.Validate for the labels at p, each problem at its key, in key order
// (Istio walks the map in Go's random order).
func (v *validator) labels(p string, l map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(l)) {
		v.check(p+"."+k, validateTagKey(k))
		if !labelValueRE.MatchString(l[k]) {
			v.add(p+"."+k, "invalid tag value: %q", l[k])
		}
	}
}

// validateTagKey is labels.validateTagKey.
func validateTagKey(k string) error {
	match := tagKeyRE.FindStringSubmatch(k)
	if match == nil {
		return fmt.Errorf("invalid tag key: %q", k)
	}
	if len(match[1]) > 0 && len(match[1])-1 > 253 {
		return fmt.Errorf("invalid tag key: %q (DNS prefix is too long)", k)
	}
	if len(match[2]) > 63 {
		return fmt.Errorf("invalid tag key: %q (name is too long)", k)
	}
	return nil
}

// hostMatches is host.Name.Matches: the two hosts, either of which may be a wildcard, have a name in
// common.
func hostMatches(n, o string) bool {
	nWild, oWild := strings.HasPrefix(n, "*"), strings.HasPrefix(o, "*")
	switch {
	case nWild && oWild:
		if len(n) < len(o) {
			return strings.HasSuffix(o[1:], n[1:])
		}
		return strings.HasSuffix(n[1:], o[1:])
	case nWild:
		return strings.HasSuffix(o, n[1:])
	case oWild:
		return strings.HasSuffix(n, o[1:])
	}
	return n == o
}

// hostSubsetOf is host.Name.SubsetOf: every name n matches, o matches too.
func hostSubsetOf(n, o string) bool {
	nWild, oWild := strings.HasPrefix(n, "*"), strings.HasPrefix(o, "*")
	switch {
	case nWild && oWild:
		if len(n) < len(o) {
			return false
		}
		return strings.HasSuffix(n[1:], o[1:])
	case nWild:
		return false
	case oWild:
		return strings.HasSuffix(n, o[1:])
	}
	return n == o
}

// isJWTClaimRoute reports whether a header name is the @request.auth.claims form of pkg/jwt
// ToRoutingClaim (@request.auth.claims.a.b or @request.auth.claims[a][b]).
func isJWTClaimRoute(name string) bool {
	const prefix = "@request.auth.claims"
	if !strings.HasPrefix(strings.ToLower(name), prefix) {
		return false
	}
	rest := name[len(prefix):]
	return strings.HasPrefix(rest, ".") && len(rest) > 1 ||
		strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]") && len(rest) > 2
}

// validateHTTPHeaderNameOrJwtClaimRoute is validation.go ValidateHTTPHeaderNameOrJwtClaimRoute, for
// the header names of a match.
func validateHTTPHeaderNameOrJwtClaimRoute(name string) error {
	if name == "" {
		return errors.New("header name cannot be empty")
	}
	if isJWTClaimRoute(name) {
		return nil
	}
	switch name {
	case ":method", ":scheme", ":authority", ":path", ":status":
		return nil
	}
	if !headerNameRE.MatchString(name) {
		return fmt.Errorf("header name %s is not a valid header name", name)
	}
	return nil
}

// isInternalHeader and isAuthorityHeader are virtualservice.go's.
func isInternalHeader(k string) bool {
	return strings.HasPrefix(k, ":") || strings.EqualFold(k, "host")
}

func isAuthorityHeader(k string) bool {
	return strings.EqualFold(k, ":authority") || strings.EqualFold(k, "host")
}

// validateHTTPHeaderWithAuthorityOperationName is validation.go
// ValidateHTTPHeaderWithAuthorityOperationName, for the names of request headers added or set.
func validateHTTPHeaderWithAuthorityOperationName(name string) error {
	if name == "" {
		return errors.New("header name cannot be empty")
	}
	if isInternalHeader(name) && !isAuthorityHeader(name) {
		return fmt.Errorf(`invalid header %q: header cannot have ":" prefix`, name)
	}
	return nil
}

// validateHTTPHeaderOperationName is validation.go ValidateHTTPHeaderOperationName, for the names of
// request headers removed and of response headers.
func validateHTTPHeaderOperationName(name string) error {
	if name == "" {
		return errors.New("header name cannot be empty")
	}
	if strings.EqualFold(name, "host") {
		return fmt.Errorf(`invalid header %q: cannot set Host header`, name)
	}
	if isInternalHeader(name) {
		return fmt.Errorf(`invalid header %q: header cannot have ":" prefix`, name)
	}
	return nil
}

// validateCORSHTTPHeaderName is validation.go ValidateCORSHTTPHeaderName.
func validateCORSHTTPHeaderName(name string) error {
	if name == "" {
		return errors.New("header name cannot be empty")
	}
	if name == "*" {
		return nil
	}
	if !headerNameRE.MatchString(name) {
		return fmt.Errorf("header name %s is not a valid header name", name)
	}
	return nil
}

// validateHTTPHeaderValue is validation.go ValidateHTTPHeaderValue: no control characters, and
// Envoy's %VARIABLE% syntax well formed.
func validateHTTPHeaderValue(value string) error {
	if !headerValueRE.MatchString(value) {
		return fmt.Errorf("header value configuration %s is invalid", value)
	}
	if err := validateEnvoyHeaderValue(value); err != nil {
		return fmt.Errorf("header value configuration: %w", err)
	}
	return nil
}

// headerValueState is where validateEnvoyHeaderValue is in a header value.
type headerValueState int

const (
	hvLiteral headerValueState = iota
	hvVariableName
	hvExpectArray
	hvExpectString
	hvInString
	hvExpectArrayDelimiterOrEnd
	hvExpectArgsEnd
	hvExpectVariableEnd
)

// validateEnvoyHeaderValue is header_value_validator.go validateHeaderValue, Istio's port of Envoy's
// header_parser.cc.
func validateEnvoyHeaderValue(v string) error {
	state := hvLiteral
	for pos := 0; pos < len(v); pos++ {
		var err error
		state, pos, err = envoyHeaderStep(state, v, pos)
		if err != nil {
			return err
		}
	}
	if state != hvLiteral {
		return fmt.Errorf("invalid header configuration. Un-terminated variable expression '%s'", v)
	}
	return nil
}

// envoyHeaderStep is one step of validateEnvoyHeaderValue: from state, it reads v[pos] (and
// v[pos+1] for an escape) and returns the next state and the position of the last byte read.
func envoyHeaderStep(state headerValueState, v string, pos int) (headerValueState, int, error) {
	ch := v[pos]
	hasNext := pos+1 < len(v)
	switch state {
	case hvLiteral:
		if ch != '%' {
			break
		}
		if !hasNext {
			return state, pos, errors.New("invalid header configuration. Un-escaped %")
		}
		if v[pos+1] == '%' {
			pos++
			break
		}
		state = hvVariableName
	case hvVariableName:
		if ch == '%' {
			state = hvLiteral
		} else if ch == '(' {
			state = hvExpectArray
		}
	case hvExpectArray:
		if ch == '[' {
			state = hvExpectString
		} else if ch != ' ' {
			state = hvInString
		}
	case hvExpectArrayDelimiterOrEnd:
		switch {
		case ch == ',':
			state = hvExpectString
		case ch == ']':
			state = hvExpectArgsEnd
		case ch != ' ':
			return state, pos, errors.New("invalid header configuration. Expecting ',', ']', or whitespace")
		}
	case hvExpectString:
		if ch == '"' {
			state = hvInString
		} else if ch != ' ' {
			return state, pos, errors.New("invalid header configuration. Expecting '\"'")
		}
	case hvInString:
		switch ch {
		case '\\':
			if !hasNext {
				return state, pos, errors.New("invalid header configuration. Un-terminated backslash in JSON string")
			}
			pos++
		case ')':
			state = hvExpectVariableEnd
		case '"':
			state = hvExpectArrayDelimiterOrEnd
		}
	case hvExpectArgsEnd:
		if ch == ')' {
			state = hvExpectVariableEnd
		} else if ch != ' ' {
			return state, pos, errors.New("invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'")
		}
	case hvExpectVariableEnd:
		if ch == '%' {
			state = hvLiteral
		} else if ch != ' ' {
			return state, pos, errors.New("invalid header configuration. Expecting '%' or whitespace after")
		}
	}
	return state, pos, nil
}
