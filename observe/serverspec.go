package observe

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ServerSpec is how a user names a Prometheus server and a window on the command line: times
// as text (RFC 3339 or Unix seconds), credentials in files. Server turns it into a Server.
type ServerSpec struct {
	URL, Query           string
	Start, End, Until    string // RFC 3339 or Unix seconds; Until may also be a duration from now
	Since                time.Duration
	SinceSet             bool // Since was given (not its default)
	Every                time.Duration
	TokenFile, Username  string
	PasswordFile, CAFile string
	Timeout              time.Duration
}

// Server builds the server to read and, for a live watch, when it ends (zero: no end). now is
// the window's default end. Credentials not in files come from the environment (ServerFromEnv).
func (p ServerSpec) Server(now time.Time) (*Server, time.Time, error) {
	s := &Server{URL: strings.TrimRight(p.URL, "/"), Query: p.Query, Username: p.Username, CAFile: p.CAFile, Timeout: p.Timeout, End: now}
	var err error
	if p.End != "" {
		if s.End, err = ParseTime(p.End, now, "--end"); err != nil {
			return nil, time.Time{}, err
		}
	}
	if s.Start, err = p.start(s.End, now); err != nil {
		return nil, time.Time{}, err
	}
	until, err := p.until(now)
	if err != nil {
		return nil, time.Time{}, err
	}
	if s.BearerToken, err = readSecret(p.TokenFile, "--bearer-token-file", true); err != nil {
		return nil, time.Time{}, err
	}
	if s.Password, err = readSecret(p.PasswordFile, "--password-file", false); err != nil {
		return nil, time.Time{}, err
	}
	*s = ServerFromEnv(*s)
	return s, until, nil
}

// start is the window's start: --start, else --since before the end; a live watch with
// neither starts now.
func (p ServerSpec) start(end, now time.Time) (time.Time, error) {
	switch {
	case p.Start != "" && p.SinceSet:
		return time.Time{}, fmt.Errorf("give --since or --start, not both")
	case p.Start != "":
		return ParseTime(p.Start, now, "--start")
	case p.Every > 0 && !p.SinceSet:
		return now, nil
	case p.Since <= 0:
		return time.Time{}, fmt.Errorf("--since must be positive, got %v", p.Since)
	}
	return end.Add(-p.Since), nil
}

// until is when a live watch stops: --until, else --end.
func (p ServerSpec) until(now time.Time) (time.Time, error) {
	u := p.Until
	if u == "" && p.Every > 0 {
		u = p.End
	}
	if u == "" {
		return time.Time{}, nil
	}
	return ParseTime(u, now, "--until")
}

// readSecret reads a credential from a file, without the trailing newline (all surrounding
// space for a token).
func readSecret(path, flag string, trim bool) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %v", flag, err)
	}
	if trim {
		return strings.TrimSpace(string(b)), nil
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// ParseTime reads a time given as RFC 3339 or Unix seconds, or, for flag "--until", as a
// duration from now. flag names the setting in the error.
func ParseTime(s string, now time.Time, flag string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Unix(0, int64(f*1e9)), nil
	}
	if d, err := time.ParseDuration(s); err == nil && flag == "--until" {
		return now.Add(d), nil
	}
	return time.Time{}, fmt.Errorf("%s %q: want a time in RFC 3339 (2024-05-01T10:00:00Z) or Unix seconds", flag, s)
}
