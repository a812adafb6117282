package verify

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

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
	obs, err := readObserved(o, opts)
	if err != nil {
		return nil, err
	}
	out := &Observed{Source: observedSource(o, obs.Format), Warnings: obs.Warnings}
	names := obs.NonZero()
	idx, err := observe.Match(names, e.Refs, o.Map)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", o.Path, err)
	}
	out.Counts = make([]int64, len(e.Names))
	for _, name := range names {
		if name == observe.NoUpstream {
			out.Unrouted += obs.Counts[name]
			continue
		}
		out.Counts[idx[name]] += obs.Counts[name]
	}
	if !o.Series {
		return out, nil
	}
	if obs.Series == nil {
		return nil, fmt.Errorf("%s: --sequential needs a series (a JSON array of objects, or CSV interval,name,count)", o.Path)
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

// observedSource records where the observations came from and every option that selected and
// matched them, so that a report can be audited.
func observedSource(o ObserveOptions, format string) result.VerifySource {
	src := result.VerifySource{Observed: o.Path, Format: format, Before: o.Before, Metric: o.Read.Metric,
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
	in, name, err := openInput(o.Path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	if o.Before == "" {
		return observe.Read(in, name, opts)
	}
	before, bname, err := openInput(o.Before)
	if err != nil {
		return nil, err
	}
	defer before.Close()
	return observe.ReadDelta(before, bname, in, name, opts)
}

// openInput opens a file, or standard input for "-".
func openInput(p string) (io.ReadCloser, string, error) {
	if p == "-" {
		return io.NopCloser(os.Stdin), "<stdin>", nil
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
	}
	return f, p, nil
}
