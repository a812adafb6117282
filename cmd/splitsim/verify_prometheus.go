package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/splitsim/splitsim/observe"
	"github.com/splitsim/splitsim/verify"
)

// promFlags are verify's flags for reading a Prometheus server.
type promFlags struct{ observe.ServerSpec }

func (p *promFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&p.URL, "prometheus", "", "read the counts from this Prometheus `URL` (HTTP API) over the window --since, or --start/--end")
	fs.DurationVar(&p.Since, "since", 10*time.Minute, "with --prometheus: the window ends now (or at --end) and lasts this long")
	fs.StringVar(&p.Start, "start", "", "with --prometheus: the window's start (RFC 3339 or Unix seconds)")
	fs.StringVar(&p.End, "end", "", "with --prometheus: the window's end (RFC 3339 or Unix seconds; default now)")
	fs.StringVar(&p.Query, "query", "", "with --prometheus: a PromQL `QUERY` whose values are the counts, instead of the raw counters")
	fs.DurationVar(&p.Every, "every", 0, "with --prometheus --sequential: watch live, one look per interval, until rejection, --until or Ctrl-C")
	fs.StringVar(&p.Until, "until", "", "with --every: stop after this time (RFC 3339, Unix seconds, or a duration from now such as 30m)")
	fs.StringVar(&p.TokenFile, "bearer-token-file", "", "with --prometheus: send the bearer token in this `FILE` (or $PROMETHEUS_BEARER_TOKEN)")
	fs.StringVar(&p.Username, "username", "", "with --prometheus: basic auth user (or $PROMETHEUS_USERNAME)")
	fs.StringVar(&p.PasswordFile, "password-file", "", "with --prometheus: basic auth password in this `FILE` (or $PROMETHEUS_PASSWORD)")
	fs.StringVar(&p.CAFile, "ca-file", "", "with --prometheus: PEM certificates to verify the server's TLS certificate with")
	fs.DurationVar(&p.Timeout, "timeout", 30*time.Second, "with --prometheus: the time one query may take")
}

// server builds the server to read, and the watch's end, from the flags; fs says which were set.
func (p *promFlags) server(fs *pflag.FlagSet, now time.Time) (*observe.Server, time.Time, error) {
	if p.URL == "" {
		for _, name := range []string{"since", "start", "end", "query", "every", "until", "bearer-token-file", "username", "password-file", "ca-file"} {
			if fs.Changed(name) {
				return nil, time.Time{}, fmt.Errorf("--%s needs --prometheus", name)
			}
		}
		return nil, time.Time{}, nil
	}
	p.SinceSet = fs.Changed("since")
	return p.ServerSpec.Server(now)
}

// watch runs verify's live watch: one look per --every, each written to stderr, until the
// sequential test rejects, --until passes or Ctrl-C.
func (f *verifyFlags) watch(until time.Time, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := f.rq.Expected
	fmt.Fprintf(stderr, "watching %s every %s from %s", f.obs.Server.URL, f.prom.Every, f.obs.Server.Start.Format(time.RFC3339))
	if !until.IsZero() {
		fmt.Fprintf(stderr, " until %s", until.Format(time.RFC3339))
	}
	fmt.Fprintln(stderr, " (Ctrl-C stops)")
	obs, err := verify.Watch(ctx, e, f.obs, f.prom.Every, until, verify.WatchPrinter(stderr, e, f.rq.Alpha))
	if err != nil {
		return err
	}
	f.rq.Observed = obs
	return nil
}
