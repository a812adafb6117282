package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// fractionKeys are the keys of a result whose numbers are fractions from 0 to 1 (shares,
// p-values, powers, alpha), besides every key ending in "_share"; a list under one of them is a
// list of fractions (a look's shares and intervals).
var fractionKeys = map[string]bool{
	"share": true, "shares": true, "ci_low": true, "ci_high": true, "p_value": true, "p_adjusted": true,
	"alpha": true, "power": true, "achieved_power": true, "target_power": true, "require_power": true,
	"error_rate_power": true, "users_canary": true,
}

// checkFractions returns an error naming the first field (by its JSON path, in key order) whose
// value should be a fraction from 0 to 1 and is not: a saved result edited or made by hand, whose
// share of 1e308 no chart can draw (issue 18).
func checkFractions(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil // not JSON: decoding says so
	}
	return walkFractions(v, "", false)
}

func walkFractions(v any, path string, fraction bool) error {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if err := walkFractions(v[k], p, fractionKeys[k] || strings.HasSuffix(k, "_share")); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range v {
			if err := walkFractions(e, path+"["+strconv.Itoa(i)+"]", fraction); err != nil {
				return err
			}
		}
	case json.Number:
		if !fraction {
			return nil
		}
		x, err := v.Float64()
		if err != nil || x < 0 || x > 1+1e-9 {
			return fmt.Errorf("%s: %s is not a fraction from 0 to 1", path, v.String())
		}
	}
	return nil
}
