package report

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/splitsim/splitsim/internal/safe"
)

// Output is one file a command writes: Flag names it in messages ("--html", "--png"), Path is as the
// user gave it.
type Output struct {
	Flag, Path string
	Data       []byte
	// MakeDir creates the file's folder (and its parents) when it is missing, as --png does; other
	// outputs need their folder to exist.
	MakeDir bool
}

// WriteFile writes data to path as WriteAll writes one output: atomically, never over one of inputs
// and never replacing anything but a regular file.
func WriteFile(path string, data []byte, inputs []string) error {
	return WriteAll([]Output{{Path: path, Data: data}}, inputs, nil)
}

// WriteAll writes the outputs of one command, all or nothing. Every target is checked first: it must
// not be an input (under any spelling: the same path, a link to it, a hard link), nor another
// output, nor a folder, a device, a named pipe or a socket, and its folder must exist (unless
// MakeDir). /dev/null is written through (nothing is written), and /dev/stdout and /dev/stderr
// (also as /dev/fd/1 and /dev/fd/2) go to stdout and stderr (os.Stdout and os.Stderr when nil),
// without replacing the node. Then every file's data goes to a temporary file beside it, and only
// when all were written are they renamed into place; a failure removes the temporary files and the
// folders made for them, so the earlier outputs stay as they were. A file that exists keeps its
// permissions; a new one gets 0666 less the umask, as a shell redirection makes it. A symbolic link
// at an output path to a regular file stays a link: the file it points to is replaced. SIGINT,
// SIGTERM and SIGHUP while the files are written remove the temporary files before the program
// exits. Errors name the output's flag and path as the user gave them, never a temporary file.
func WriteAll(outs []Output, inputs []string, stdout io.Writer) error {
	ts, err := checkOutputs(outs, inputs)
	if err != nil {
		return err
	}
	w := &writing{}
	if err := w.begin(); err != nil {
		return err
	}
	defer w.end()
	for _, t := range ts {
		if err := w.stage(t); err != nil {
			w.rollback()
			return err
		}
		if afterStage != nil {
			if err := afterStage(t); err != nil {
				w.rollback()
				return err
			}
		}
	}
	if err := w.commit(ts, stdout); err != nil {
		w.rollback()
		return err
	}
	return nil
}

// afterStage, when set (by tests), runs after each output is staged; an error fails the write.
var afterStage func(t *target) error

// target is an output checked and resolved: where its data goes.
type target struct {
	Output
	file string      // the file to replace (the output path, or where its link points)
	mode fs.FileMode // the existing file's permissions, when exists
	// exists says a regular file is there; through is the writer for a write-through target
	// ("null", "stdout", "stderr"), empty for a file.
	exists  bool
	through string
	tmp     string // the temporary file, once staged
}

// label is how messages name an output: "--html out/r.html", or the path alone.
func (t *target) label() string {
	if t.Flag == "" {
		return t.Path
	}
	return t.Flag + " " + t.Path
}

// checkOutputs checks every output before anything is written (see WriteAll).
func checkOutputs(outs []Output, inputs []string) ([]*target, error) {
	inAbs, ins := inputFiles(inputs)
	var ts []*target
	for _, o := range outs {
		t := &target{Output: o}
		if err := t.resolve(); err != nil {
			return nil, err
		}
		if t.through == "" {
			if err := t.checkClashes(inAbs, ins, ts); err != nil {
				return nil, err
			}
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// inputFiles finds the input files (not "" or "-" for standard input): their absolute paths, each
// followed by its real path, and what os.Stat says of those that exist.
func inputFiles(inputs []string) (inAbs []string, ins []fs.FileInfo) {
	for _, in := range inputs {
		if in == "" || in == "-" {
			continue
		}
		if a, err := filepath.Abs(in); err == nil {
			inAbs = append(inAbs, a)
			if r, err := filepath.EvalSymlinks(a); err == nil {
				inAbs = append(inAbs, r)
			}
		}
		if fi, err := os.Stat(in); err == nil {
			ins = append(ins, fi)
		}
	}
	return inAbs, ins
}

// checkClashes checks that file target t is no input (by path inAbs or as the same file as one of
// ins) and no earlier target of ts.
func (t *target) checkClashes(inAbs []string, ins []fs.FileInfo, ts []*target) error {
	for _, a := range inAbs {
		if a == t.file {
			return fmt.Errorf("%s: refusing to write over an input file", t.label())
		}
	}
	if fo, err := os.Stat(t.file); err == nil {
		for _, fi := range ins {
			if os.SameFile(fi, fo) {
				return fmt.Errorf("%s: refusing to write over an input file", t.label())
			}
		}
	}
	for _, u := range ts {
		if u.file == t.file {
			return fmt.Errorf("%s and %s name the same file", u.label(), t.label())
		}
	}
	return nil
}

// resolve finds where t's data goes and checks that it may be written there.
func (t *target) resolve() error {
	switch filepath.ToSlash(filepath.Clean(t.Path)) {
	case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		t.through = "stdout"
		return nil
	case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
		t.through = "stderr"
		return nil
	}
	abs, err := filepath.Abs(t.Path)
	if err != nil {
		return fmt.Errorf("%s: %v", t.label(), err)
	}
	t.file = abs
	li, err := os.Lstat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		// A new file: named by its folder's real path, so that two spellings of it are one file.
		if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
			t.file = filepath.Join(dir, filepath.Base(abs))
		}
		return t.checkFolder()
	case err != nil:
		return fmt.Errorf("%s: %v", t.label(), pathCause(err))
	}
	r, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if li.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s: a symbolic link to a file that cannot be reached (%v)", t.label(), pathCause(err))
		}
		return fmt.Errorf("%s: %v", t.label(), pathCause(err))
	}
	t.file = r
	fi, err := os.Stat(t.file)
	if err != nil {
		return fmt.Errorf("%s: %v", t.label(), pathCause(err))
	}
	if fi.Mode().IsRegular() {
		t.exists, t.mode = true, fi.Mode().Perm()
		return nil
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		t.through = "null"
		return nil
	}
	if fi.IsDir() {
		return fmt.Errorf("%s: is a folder", t.label())
	}
	return fmt.Errorf("%s: %s, not a regular file: splitsim replaces only regular files (and writes through /dev/null, /dev/stdout and /dev/stderr)", t.label(), safe.Kind(fi.Mode()))
}

// checkFolder checks that the folder of a new file exists (or may be made, with MakeDir).
func (t *target) checkFolder() error {
	dir := filepath.Dir(t.file)
	for {
		fi, err := os.Stat(dir)
		switch {
		case err == nil && fi.IsDir():
			return nil
		case err == nil:
			return fmt.Errorf("%s: %s is not a folder", t.label(), userDir(t.Path, dir))
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%s: %v", t.label(), pathCause(err))
		case !t.MakeDir:
			return fmt.Errorf("%s: folder %s does not exist", t.label(), userDir(t.Path, dir))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
}

// userDir names folder dir of output path as the user would: relative to the working folder when
// path is relative.
func userDir(path, dir string) string {
	if !filepath.IsAbs(path) {
		if wd, err := os.Getwd(); err == nil {
			if r, err := filepath.Rel(wd, dir); err == nil {
				return r
			}
		}
	}
	return dir
}

// pathCause is the cause of a *fs.PathError (its path is an internal spelling), else err.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// writing is the state of one WriteAll: the temporary files and folders it made, which a signal or
// a failure removes.
type writing struct {
	mu      sync.Mutex
	tmps    []string
	dirs    []string // folders made, parents first
	done    bool
	signals chan os.Signal
	stop    chan struct{}
}

// interrupts are the signals that remove the temporary files before the program exits.
var interrupts = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// begin starts watching for interrupts.
func (w *writing) begin() error {
	w.signals = make(chan os.Signal, 1)
	w.stop = make(chan struct{})
	signal.Notify(w.signals, interrupts...)
	go func() {
		select {
		case sig := <-w.signals:
			w.mu.Lock()
			w.cleanup()
			w.mu.Unlock()
			signal.Stop(w.signals)
			exitBySignal(sig)
		case <-w.stop:
		}
	}()
	return nil
}

// end stops watching for interrupts.
func (w *writing) end() {
	signal.Stop(w.signals)
	close(w.stop)
}

// exitBySignal ends the program as sig would have: sig raised again with its default action,
// else exit status 128+sig.
func exitBySignal(sig os.Signal) {
	if p, err := os.FindProcess(os.Getpid()); err == nil {
		_ = p.Signal(sig)
	}
	code := 1
	if s, ok := sig.(syscall.Signal); ok {
		code = 128 + int(s)
	}
	os.Exit(code)
}

// stage writes t's data to a temporary file beside the file it replaces (nothing for a write-through
// target), making t's folder first when it may.
func (w *writing) stage(t *target) error {
	if t.through != "" {
		return nil
	}
	dir := filepath.Dir(t.file)
	if t.MakeDir {
		if err := w.mkdirs(dir); err != nil {
			return fmt.Errorf("%s: %v", t.label(), pathCause(err))
		}
	}
	perm := fs.FileMode(0o666)
	if t.exists {
		perm = t.mode
	}
	w.mu.Lock()
	f, tmp, err := createTemp(dir, filepath.Base(t.file), perm)
	if err == nil {
		w.tmps = append(w.tmps, tmp)
	}
	w.mu.Unlock()
	if err != nil {
		return fmt.Errorf("%s: %v", t.label(), pathCause(err))
	}
	t.tmp = tmp
	_, err = f.Write(t.Data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && t.exists {
		err = os.Chmod(tmp, t.mode)
	}
	if err != nil {
		return fmt.Errorf("%s: %v", t.label(), pathCause(err))
	}
	return nil
}

// createTemp creates a new file ".NAME.tmp-RANDOM" in dir with permissions perm (less the umask).
func createTemp(dir, name string, perm fs.FileMode) (*os.File, string, error) {
	for range 100 {
		var r [6]byte
		if _, err := rand.Read(r[:]); err != nil {
			return nil, "", err
		}
		tmp := filepath.Join(dir, "."+name+".tmp-"+hex.EncodeToString(r[:]))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, tmp, err
	}
	return nil, "", fmt.Errorf("no free temporary file name in %s", dir)
}

// mkdirs makes dir and its missing parents, recording each one made.
func (w *writing) mkdirs(dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := w.mkdirs(parent); err != nil {
			return err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := os.Mkdir(dir, 0o777); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	w.dirs = append(w.dirs, dir)
	return nil
}

// commit renames every staged file into place, and writes the write-through targets.
func (w *writing) commit(ts []*target, stdout io.Writer) error {
	for _, t := range ts {
		var err error
		switch t.through {
		case "null":
		case "stdout":
			err = writeTo(stdout, os.Stdout, t.Data)
		case "stderr":
			err = writeTo(nil, os.Stderr, t.Data)
		default:
			w.mu.Lock()
			err = os.Rename(t.tmp, t.file)
			if err == nil {
				w.forget(t.tmp)
			}
			w.mu.Unlock()
		}
		if err != nil {
			return fmt.Errorf("%s: %v", t.label(), pathCause(err))
		}
	}
	w.mu.Lock()
	w.done = true
	w.dirs = nil
	w.mu.Unlock()
	return nil
}

// writeTo writes data to w, or to def when w is nil.
func writeTo(w, def io.Writer, data []byte) error {
	if w == nil {
		w = def
	}
	_, err := w.Write(data)
	return err
}

// forget drops tmp from the files to remove (it was renamed into place). w.mu is held.
func (w *writing) forget(tmp string) {
	for i, f := range w.tmps {
		if f == tmp {
			w.tmps = append(w.tmps[:i], w.tmps[i+1:]...)
			return
		}
	}
}

// rollback removes what a failed WriteAll made.
func (w *writing) rollback() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cleanup()
}

// cleanup removes the temporary files and the folders made (when still empty). w.mu is held.
func (w *writing) cleanup() {
	for _, f := range w.tmps {
		os.Remove(f)
	}
	w.tmps = nil
	if w.done {
		return
	}
	for i := len(w.dirs) - 1; i >= 0; i-- {
		os.Remove(w.dirs[i])
	}
	w.dirs = nil
}
