package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/splitsim/splitsim/internal/format"
	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/observe"
	"github.com/splitsim/splitsim/result"
)

// Observed is the observed side of a verification, matched to the expected destinations.
type Observed struct {
	Counts []int64 // per expected destination
	// Batches are the per-look counts of a series (for the sequential test), when asked for.
	Batches [][]int64
	// Labels are the batches' time labels (a CSV's interval column), when the series has them.
	Labels   []string
	Source   result.VerifySource
	Warnings []string
	// Unrouted counts observations without an upstream cluster: they are not part of the split.
	Unrouted int64
}

// ObserveOptions say where the observations are and how to read and match them.
type ObserveOptions struct {
	Path   string // --observed, "-" for standard input
	Before string // --before: an earlier scrape to subtract
	Read   observe.Options
	// Map maps observed names to destinations explicitly (--map name=destination).
	Map map[string]string
	// Series asks for per-look batches: the observations must be a series.
	Series bool
	// Server, when set, reads the observations from a Prometheus server instead of Path.
	Server *observe.Server
	// Stdin is what "-" reads (streamed, never held whole); nil means os.Stdin.
	Stdin io.Reader
}

// ParseMap reads --map flags: name=subset|cluster|host.
func ParseMap(maps []string) (map[string]string, error) {
	explicit := map[string]string{}
	for _, m := range maps {
		k, v, ok := strings.Cut(m, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("--map %q: want name=destination", m)
		}
		explicit[k] = v
	}
	return explicit, nil
}

// Observe reads the observations of o and matches them to the destinations of e: counts per
// destination, and per-look batches for a series. Traffic to hosts other than e's is left out when
// e comes from a configuration.
func Observe(e Expected, o ObserveOptions) (*Observed, error) {
	opts := o.Read
	opts.Services = e.fqdns()
	var obs *observe.Observation
	var err error
	if o.Server != nil {
		if o.Series {
			return nil, fmt.Errorf("--sequential with --prometheus needs --every: one look per interval")
		}
		obs, err = observe.ReadServer(context.Background(), *o.Server, opts)
	} else {
		obs, err = readObserved(o, opts)
	}
	if err != nil {
		return nil, err
	}
	out, idx, err := matchObserved(e, o, obs)
	if err != nil {
		return nil, err
	}
	if !o.Series {
		return out, nil
	}
	if obs.Series == nil {
		return nil, fmt.Errorf("%s: --sequential needs a series (a JSON array of objects, CSV interval,name,count, or a Prometheus query_range answer)", o.Path)
	}
	for _, row := range obs.Series {
		b := make([]int64, len(e.Names))
		for name, v := range row {
			if i, ok := idx[name]; ok {
				b[i] += v
			}
		}
		out.Batches = append(out.Batches, b)
	}
	if len(obs.Intervals) == len(obs.Series) {
		out.Labels = obs.Intervals
	}
	return out, nil
}

// matchObserved matches an observation's names to the destinations of e and counts per
// destination.
func matchObserved(e Expected, o ObserveOptions, obs *observe.Observation) (*Observed, map[string]int, error) {
	out := &Observed{Source: observedSource(o, obs.Format), Warnings: obs.Warnings}
	names := obs.NonZero()
	idx, err := observe.Match(names, e.Refs, o.Map)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", o.source(), err)
	}
	out.Counts = make([]int64, len(e.Names))
	for _, name := range names {
		if name == observe.NoUpstream {
			out.Unrouted += obs.Counts[name]
			continue
		}
		out.Counts[idx[name]] += obs.Counts[name]
	}
	return out, idx, nil
}

// source names where the observations come from: the file, or the Prometheus server.
func (o ObserveOptions) source() string {
	if o.Server != nil {
		return o.Server.URL
	}
	return o.Path
}

// Look is one look of Watch: its time and the counts per destination since the window's start.
type Look struct {
	At     time.Time
	Counts []int64
}

// Watch reads a rollout live from a Prometheus server, one look per interval: at the window's
// start plus every, plus twice every, and so on, each look reading the counts from the start to
// its time (looks in the past are read at once, later ones when their time comes). Each look's
// counts since the previous one are a batch of the sequential test. look is called after every
// look with the batches so far and stops the watch by returning true (the sequential test
// rejected); the watch also stops after until (when set) and when ctx is done (Ctrl-C), with the
// looks read so far.
func Watch(ctx context.Context, e Expected, o ObserveOptions, every time.Duration, until time.Time,
	look func(l Look, batches [][]int64) bool) (*Observed, error) {
	if o.Server == nil || every <= 0 {
		return nil, fmt.Errorf("watching needs --prometheus and --every")
	}
	opts := o.Read
	opts.Services = e.fqdns()
	s := *o.Server
	var out *Observed
	prev := make([]int64, len(e.Names))
	for at := s.Start.Add(every); until.IsZero() || !at.After(until); at = at.Add(every) {
		if wait := time.Until(at); wait > 0 {
			select {
			case <-ctx.Done():
				return watched(out)
			case <-time.After(wait):
			}
		}
		s.End = at
		obs, err := observe.ReadServer(ctx, s, opts)
		if err != nil {
			if ctx.Err() != nil {
				return watched(out)
			}
			return nil, fmt.Errorf("look at %s: %v", at.Format(time.RFC3339), err)
		}
		cur, _, err := matchObserved(e, o, obs)
		if err != nil {
			return nil, err
		}
		if out != nil {
			cur.Batches, cur.Labels = out.Batches, out.Labels
		}
		out = cur
		batch := make([]int64, len(e.Names))
		for i, c := range out.Counts {
			batch[i] = max(0, c-prev[i])
		}
		prev = out.Counts
		out.Batches = append(out.Batches, batch)
		out.Labels = append(out.Labels, at.UTC().Format(time.RFC3339))
		if look(Look{At: at, Counts: out.Counts}, out.Batches) {
			break
		}
	}
	return watched(out)
}

// watched returns the looks of a watch, or an error when there was none.
func watched(out *Observed) (*Observed, error) {
	if out == nil {
		return nil, fmt.Errorf("stopped before the first look")
	}
	return out, nil
}

// observedSource records where the observations came from and every option that selected and
// matched them, so that a report can be audited.
func observedSource(o ObserveOptions, format string) result.VerifySource {
	src := result.VerifySource{Observed: o.source(), Format: format, Before: o.Before, Metric: o.Read.Metric,
		Label: o.Read.GroupBy, Cumulative: o.Read.Cumulative}
	for _, m := range o.Read.Match {
		src.Match = append(src.Match, m.String())
	}
	for k, v := range o.Map {
		src.Map = append(src.Map, k+"="+v)
	}
	slices.Sort(src.Map)
	return src
}

// readObserved reads the observations (standard input for "-"), and the earlier scrape when given.
// Files are streamed, never read whole: an access log of any size takes the same memory.
func readObserved(o ObserveOptions, opts observe.Options) (*observe.Observation, error) {
	in, name, err := openInput(o.Path, o.Stdin)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	if o.Before == "" {
		return observe.Read(in, name, opts)
	}
	before, bname, err := openInput(o.Before, o.Stdin)
	if err != nil {
		return nil, err
	}
	defer before.Close()
	return observe.ReadDelta(before, bname, in, name, opts)
}

// openInput opens a file, or standard input (stdin, else os.Stdin) for "-".
func openInput(p string, stdin io.Reader) (io.ReadCloser, string, error) {
	if p == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		return io.NopCloser(stdin), "<stdin>", nil
	}
	f, err := os.Open(p)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, p, fmt.Errorf("%s: %v", p, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, p, fmt.Errorf("%s: is a directory", p)
	} else if err == nil && !st.Mode().IsRegular() && st.Mode()&fs.ModeNamedPipe == 0 {
		// A pipe streams (--observed <(kubectl logs ...)); a device or socket is not telemetry.
		f.Close()
		return nil, p, fmt.Errorf("%s: %v (%s): give a file, a pipe or - for standard input", p, safe.ErrNotRegular, safe.Kind(st.Mode()))
	}
	return f, p, nil
}

// WatchPrinter returns a look function for Watch that writes one line per look to w (the
// counts so far, the sequential test's p-value at alpha, "reject" when it rejects) and stops
// the watch at the first rejection.
func WatchPrinter(w io.Writer, e Expected, alpha float64) func(Look, [][]int64) bool {
	return func(l Look, batches [][]int64) bool {
		seq := SequentialLooks(e.Weights, batches, alpha)
		last := seq.Looks[len(seq.Looks)-1]
		parts := make([]string, len(e.Names))
		for i, n := range e.Names {
			parts[i] = fmt.Sprintf("%s %s", n, format.Count(l.Counts[i]))
		}
		verdict := ""
		if last.Reject {
			verdict = "  reject"
		}
		fmt.Fprintf(w, "look %d  %s  %s requests (%s)  sequential p %.4g%s\n", len(batches), l.At.Format(time.RFC3339),
			format.Count(last.N), strings.Join(parts, ", "), last.PValue, verdict)
		return last.Reject
	}
}
