package report

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/splitsim/splitsim/result"
)

// upgrade rewrites a result saved with schema_version 1 (or before the header existed) or 2 in the
// keys of the current schema, so that it decodes into today's result structs: the request count is
// "requests" (verify's "n", each sequential look's "n", plan's "total_requests", power's "n", and
// "required_n" as "required_requests"), seconds end in _s (a scenario's "seconds" is
// "duration_s"), every destination is named by "name" (a check's and a move's
// "destination"; a run destination, a mirror and an explained cluster get the name reports give
// them), and every pass or fail is a
// "verdict" of "pass" or "fail" (the "passed" booleans of tests, checks and scenarios; `splitsim
// test` gets one for the whole run). Version 3 numbers sequential looks from 1, as every report
// does (version 2 had a 0-based "index" and a 0-based "first_reject", -1 for none). A result of the
// current schema is returned unchanged.
func upgrade(kind result.Kind, data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // seeds are uint64: keep every digit
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	v, ok := m["schema_version"].(json.Number)
	switch {
	case !ok || v.String() == "1":
		if up := upgrades[kind]; up != nil {
			up(m)
		}
		fallthrough
	case v.String() == "2":
		if up := upgradesV2[kind]; up != nil {
			up(m)
		}
	default:
		return data, nil
	}
	if _, ok := m["schema_version"]; ok {
		m["schema_version"] = result.SchemaVersion
	}
	return json.Marshal(m)
}

// upgrades rewrite a version 1 result of each kind whose keys changed.
var upgrades = map[result.Kind]func(map[string]any){
	result.KindRun: func(m map[string]any) {
		each(m["checks"], upgradeCheck)
		each(m["hosts"], func(h map[string]any) {
			each(h["rules"], func(r map[string]any) {
				if t, ok := r["test"].(map[string]any); ok {
					passedToVerdict(t)
				}
				each(r["destinations"], nameDestination)
				each(r["mirrors"], nameDestination)
			})
		})
	},
	result.KindTest: func(m map[string]any) {
		each(m["scenarios"], func(s map[string]any) {
			passedToVerdict(s)
			rename(s, "seconds", "duration_s")
			each(s["checks"], upgradeCheck)
		})
		verdict := result.Pass
		if n, ok := m["failed"].(json.Number); ok && n.String() != "0" {
			verdict = result.Fail
		}
		m["verdict"] = verdict
	},
	result.KindVerify: func(m map[string]any) {
		rename(m, "n", "requests")
		if s, ok := m["sequential"].(map[string]any); ok {
			each(s["looks"], func(l map[string]any) { rename(l, "n", "requests") })
		}
	},
	result.KindPower: func(m map[string]any) {
		rename(m, "n", "requests")
		rename(m, "required_n", "required_requests")
		if _, ok := m["requests"]; !ok {
			m["requests"] = m["required_requests"] // the figures are at the required number
		}
	},
	result.KindPlan: func(m map[string]any) { rename(m, "total_requests", "requests") },
	result.KindExplain: func(m map[string]any) {
		each(m["clusters"], nameDestination)
		if c, ok := m["chosen"].(map[string]any); ok {
			nameDestination(c)
		}
	},
	result.KindDiff: func(m map[string]any) {
		each(m["moves"], func(mv map[string]any) { rename(mv, "destination", "name") })
	},
}

// upgradesV2 rewrite a version 2 result (or an upgraded version 1 result) of each kind whose keys
// changed in version 3.
var upgradesV2 = map[result.Kind]func(map[string]any){
	result.KindVerify: func(m map[string]any) {
		s, ok := m["sequential"].(map[string]any)
		if !ok {
			return
		}
		if f, ok := s["first_reject"].(json.Number); ok {
			if i, err := f.Int64(); err == nil {
				s["first_reject"] = max(i+1, 0) // -1 (none) becomes 0
			}
		}
		each(s["looks"], func(l map[string]any) {
			if i, ok := l["index"].(json.Number); ok {
				if n, err := i.Int64(); err == nil {
					l["look"] = n + 1
				}
				delete(l, "index")
			}
		})
	},
}

// upgradeCheck rewrites a version 1 check: its verdict and its destinations' names and verdicts.
func upgradeCheck(c map[string]any) {
	passedToVerdict(c)
	each(c["destinations"], func(d map[string]any) {
		rename(d, "destination", "name")
		passedToVerdict(d)
	})
}

// nameDestination gives a version 1 run destination, mirror or explained cluster the name
// result.Destination.Name gives it.
func nameDestination(d map[string]any) {
	if _, ok := d["name"]; ok {
		return
	}
	str := func(k string) string { s, _ := d[k].(string); return s }
	port, _ := d["port"].(json.Number)
	dest := result.Destination{Host: str("host"), Subset: str("subset"), Endpoints: str("endpoints")}
	if p, err := strconv.ParseUint(port.String(), 10, 32); err == nil {
		dest.Port = uint32(p)
	}
	d["name"] = dest.Name()
}

// passedToVerdict replaces the boolean "passed" of m by "verdict": "pass" or "fail".
func passedToVerdict(m map[string]any) {
	p, ok := m["passed"].(bool)
	if !ok {
		return
	}
	delete(m, "passed")
	m["verdict"] = result.Outcome(p).Verdict()
}

// rename moves m's key from to the key to, when m has it.
func rename(m map[string]any, from, to string) {
	if v, ok := m[from]; ok {
		delete(m, from)
		m[to] = v
	}
}

// each calls f on every object of the list v (nothing when v is not a list).
func each(v any, f func(map[string]any)) {
	list, _ := v.([]any)
	for _, x := range list {
		if o, ok := x.(map[string]any); ok {
			f(o)
		}
	}
}
