package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/observe"
	"github.com/splitsim/splitsim/verify"
)

// promFlags are verify's flags for reading a Prometheus server.
type promFlags struct {
	url, query, start, end, until         string
	tokenFile, username, passwordFile, ca string
	since, every, timeout                 time.Duration
}

func (p *promFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&p.url, "prometheus", "", "read the counts from this Prometheus `URL` (HTTP API) over the window --since, or --start/--end")
	fs.DurationVar(&p.since, "since", 10*time.Minute, "with --prometheus: the window ends now (or at --end) and lasts this long")
	fs.StringVar(&p.start, "start", "", "with --prometheus: the window's start (RFC 3339 or Unix seconds)")
	fs.StringVar(&p.end, "end", "", "with --prometheus: the window's end (RFC 3339 or Unix seconds; default now)")
	fs.StringVar(&p.query, "query", "", "with --prometheus: a PromQL `QUERY` whose values are the counts, instead of the raw counters")
	fs.DurationVar(&p.every, "every", 0, "with --prometheus --sequential: watch live, one look per interval, until rejection, --until or Ctrl-C")
	fs.StringVar(&p.until, "until", "", "with --every: stop after this time (RFC 3339, Unix seconds, or a duration from now such as 30m)")
	fs.StringVar(&p.tokenFile, "bearer-token-file", "", "with --prometheus: send the bearer token in this `FILE` (or $PROMETHEUS_BEARER_TOKEN)")
	fs.StringVar(&p.username, "username", "", "with --prometheus: basic auth user (or $PROMETHEUS_USERNAME)")
	fs.StringVar(&p.passwordFile, "password-file", "", "with --prometheus: basic auth password in this `FILE` (or $PROMETHEUS_PASSWORD)")
	fs.StringVar(&p.ca, "ca-file", "", "with --prometheus: PEM certificates to verify the server's TLS certificate with")
	fs.DurationVar(&p.timeout, "timeout", 30*time.Second, "with --prometheus: the time one query may take")
}

// server builds the server to read, and the watch's end, from the flags; fs says which were set.
func (p *promFlags) server(fs *pflag.FlagSet, now time.Time) (*observe.Server, time.Time, error) {
	if p.url == "" {
		for _, name := range []string{"since", "start", "end", "query", "every", "until", "bearer-token-file", "username", "password-file", "ca-file"} {
			if fs.Changed(name) {
				return nil, time.Time{}, fmt.Errorf("--%s needs --prometheus", name)
			}
		}
		return nil, time.Time{}, nil
	}
	s := &observe.Server{URL: strings.TrimRight(p.url, "/"), Query: p.query, Username: p.username, CAFile: p.ca, Timeout: p.timeout, End: now}
	var err error
	if p.end != "" {
		if s.End, err = parseTime(p.end, now, "--end"); err != nil {
			return nil, time.Time{}, err
		}
	}
	switch {
	case p.start != "" && fs.Changed("since"):
		return nil, time.Time{}, fmt.Errorf("give --since or --start, not both")
	case p.start != "":
		if s.Start, err = parseTime(p.start, now, "--start"); err != nil {
			return nil, time.Time{}, err
		}
	default:
		if p.since <= 0 {
			return nil, time.Time{}, fmt.Errorf("--since must be positive, got %v", p.since)
		}
		s.Start = s.End.Add(-p.since)
	}
	if p.every > 0 && p.end != "" && !fs.Changed("until") {
		p.until = p.end
	}
	var until time.Time
	if p.until != "" {
		if until, err = parseTime(p.until, now, "--until"); err != nil {
			return nil, time.Time{}, err
		}
	}
	if p.every > 0 && p.start == "" && !fs.Changed("since") {
		s.Start = now // a live watch starts now
	}
	if p.tokenFile != "" {
		b, err := os.ReadFile(p.tokenFile)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("--bearer-token-file: %v", err)
		}
		s.BearerToken = strings.TrimSpace(string(b))
	}
	if p.passwordFile != "" {
		b, err := os.ReadFile(p.passwordFile)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("--password-file: %v", err)
		}
		s.Password = strings.TrimRight(string(b), "\r\n")
	}
	*s = observe.ServerFromEnv(*s)
	return s, until, nil
}

// parseTime reads a time: RFC 3339, Unix seconds, or (for --until) a duration from now.
func parseTime(s string, now time.Time, flag string) (time.Time, error) {
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

// watch runs verify's live watch: one look per --every, each written to stderr, until the
// sequential test rejects, --until passes or Ctrl-C.
func (f *verifyFlags) watch(until time.Time, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := f.rq.Expected
	fmt.Fprintf(stderr, "watching %s every %s from %s", f.obs.Server.URL, f.prom.every, f.obs.Server.Start.Format(time.RFC3339))
	if !until.IsZero() {
		fmt.Fprintf(stderr, " until %s", until.Format(time.RFC3339))
	}
	fmt.Fprintln(stderr, " (Ctrl-C stops)")
	obs, err := verify.Watch(ctx, e, f.obs, f.prom.every, until, func(l verify.Look, batches [][]int64) bool {
		seq := verify.SequentialLooks(e.Weights, batches, f.rq.Alpha)
		last := seq.Looks[len(seq.Looks)-1]
		parts := make([]string, len(e.Names))
		for i, n := range e.Names {
			parts[i] = fmt.Sprintf("%s %s", n, format.Count(l.Counts[i]))
		}
		verdict := ""
		if last.Reject {
			verdict = "  reject"
		}
		fmt.Fprintf(stderr, "look %d  %s  %s requests (%s)  sequential p %.4g%s\n", len(batches), l.At.Format(time.RFC3339),
			format.Count(last.N), strings.Join(parts, ", "), last.PValue, verdict)
		return last.Reject
	})
	if err != nil {
		return err
	}
	f.rq.Observed = obs
	return nil
}
