package observe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServerSpec(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	tok := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tok, []byte("  secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name              string
		spec              ServerSpec
		start, end, until time.Time
		token, err        string
	}{
		{name: "since before now", spec: ServerSpec{URL: "http://p/", Since: time.Hour}, start: now.Add(-time.Hour), end: now},
		{name: "since before end", spec: ServerSpec{URL: "http://p", Since: time.Hour, End: "2026-05-01T09:00:00Z"},
			start: now.Add(-2 * time.Hour), end: now.Add(-time.Hour)},
		{name: "start in unix seconds", spec: ServerSpec{URL: "http://p", Since: time.Hour, Start: "1777622400"},
			start: time.Unix(1777622400, 0), end: now},
		{name: "live watch starts now and ends at --end", spec: ServerSpec{URL: "http://p", Since: time.Hour, Every: time.Second, End: "2026-05-01T11:00:00Z"},
			start: now, end: now.Add(time.Hour), until: now.Add(time.Hour)},
		{name: "until as a duration", spec: ServerSpec{URL: "http://p", Since: time.Hour, Every: time.Second, Until: "30m"},
			start: now, end: now, until: now.Add(30 * time.Minute)},
		{name: "token file trimmed", spec: ServerSpec{URL: "http://p", Since: time.Hour, TokenFile: tok},
			start: now.Add(-time.Hour), end: now, token: "secret"},
		{name: "since and start", spec: ServerSpec{URL: "http://p", Since: time.Hour, SinceSet: true, Start: "1"}, err: "give --since or --start, not both"},
		{name: "since not positive", spec: ServerSpec{URL: "http://p", Since: -time.Hour}, err: "--since must be positive"},
		{name: "bad end", spec: ServerSpec{URL: "http://p", Since: time.Hour, End: "yesterday"}, err: `--end "yesterday": want a time in RFC 3339`},
		{name: "duration only for until", spec: ServerSpec{URL: "http://p", Since: time.Hour, Start: "30m"}, err: `--start "30m"`},
		{name: "missing token file", spec: ServerSpec{URL: "http://p", Since: time.Hour, TokenFile: tok + ".missing"}, err: "--bearer-token-file: open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PROMETHEUS_BEARER_TOKEN", "")
			s, until, err := tt.spec.Server(now)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.URL != "http://p" || !s.Start.Equal(tt.start) || !s.End.Equal(tt.end) || !until.Equal(tt.until) || s.BearerToken != tt.token {
				t.Errorf("got url %q window %v–%v until %v token %q, want %v–%v until %v token %q",
					s.URL, s.Start, s.End, until, s.BearerToken, tt.start, tt.end, tt.until, tt.token)
			}
		})
	}
}

func TestParseMatchersNamesTheFlag(t *testing.T) {
	ms, err := ParseMatchers([]string{`reporter=destination`, `response_code!~"5.."`})
	if err != nil || len(ms) != 2 {
		t.Fatalf("ParseMatchers = %v, %v", ms, err)
	}
	if _, err := ParseMatchers([]string{"=x"}); err == nil || !strings.HasPrefix(err.Error(), `--match "=x": `) {
		t.Errorf("error %v, want it to name --match \"=x\"", err)
	}
}
