package canary

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// maxDuration bounds every duration a plan may give (about 100 years), so that sums of step
// durations cannot overflow.
const maxDuration = 100 * 365 * 24 * time.Hour

// argoPauseDuration reads an Argo Rollouts pause duration, an IntOrString, the way
// RolloutPause.DurationSeconds does (pkg/apis/rollouts/v1alpha1/types.go): an integer is seconds; a
// string is first read as an integer number of seconds, then as a Go duration whose seconds are
// truncated to an integer (so "1500ms" is 1s and "500ms" is 0s). Anything else is an error, as is a
// negative value (Argo's validation: "Duration needs to be greater than 0").
func argoPauseDuration(raw json.RawMessage) (time.Duration, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, fmt.Errorf("missing")
	}
	var secs int64
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("not a string: %v", err)
		}
		if n, err := strconv.ParseInt(s, 10, 32); err == nil {
			secs = n
		} else {
			d, err := time.ParseDuration(s)
			if err != nil {
				return 0, fmt.Errorf("%q is neither an integer number of seconds nor a duration such as 30s, 10m or 1h", s)
			}
			secs = int64(int32(d.Seconds()))
		}
	} else {
		// IntOrString decodes a bare number into an int32.
		n, err := strconv.ParseInt(string(raw), 10, 32)
		if err != nil {
			return 0, fmt.Errorf("%s is not an integer number of seconds (int32) or a duration string", raw)
		}
		secs = n
	}
	if secs < 0 {
		return 0, fmt.Errorf("%d seconds: duration must not be negative", secs)
	}
	return time.Duration(secs) * time.Second, nil
}

// goDuration reads a Go duration string ("30s", "10m", "1h30m"), non-negative and bounded.
func goDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 30s, 10m or 1h", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q: duration must not be negative", s)
	}
	if d > maxDuration {
		return 0, fmt.Errorf("%q: duration is longer than 100 years", s)
	}
	return d, nil
}

// Duration is a duration in a native plan: a number of seconds (integer or not) or a Go duration
// string ("10m", "1h30m"), or a string holding a number of seconds. Decoding never fails; a value
// that is not a duration is kept and reported with its field path when the plan is read.
type Duration struct {
	D   time.Duration
	Set bool
	// Err describes a value that is not a valid duration.
	Err string
}

// UnmarshalJSON reads a number of seconds or a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	*d = Duration{Set: true}
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		d.Set = false
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			d.Err = err.Error()
			return nil
		}
		s = strings.TrimSpace(s)
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			d.D, d.Err = seconds(f)
			return nil
		}
		v, err := goDuration(s)
		if err != nil {
			d.Err = err.Error()
			return nil
		}
		d.D = v
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		d.Err = fmt.Sprintf("%s is not a number of seconds or a duration string", b)
		return nil
	}
	d.D, d.Err = seconds(f)
	return nil
}

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	if !d.Set {
		return []byte("null"), nil
	}
	return json.Marshal(d.D.String())
}

func seconds(f float64) (time.Duration, string) {
	if math.IsNaN(f) || f < 0 {
		return 0, fmt.Sprintf("%v seconds: duration must not be negative", f)
	}
	if f > maxDuration.Seconds() {
		return 0, fmt.Sprintf("%v seconds: duration is longer than 100 years", f)
	}
	return time.Duration(math.Round(f * float64(time.Second))), ""
}
