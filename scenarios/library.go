package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/splitsim/splitsim/internal/safe"
)

// library is the bundled scenario library: the YAML files beside this package.
//
//go:embed *.yaml plans/*.yaml
var library embed.FS

// LibraryPrefix starts the name of a file of the bundled library, as Resolve returns it and
// ReadFile reads it: "bundled:bookinfo-80-20.yaml".
const LibraryPrefix = "bundled:"

// Resolve maps a command-line argument to the file to read: the argument itself when it names a file
// or folder on disk, else the bundled scenario of that name, with or without .yaml
// ("bookinfo-80-20", "plans/argo-rollout.yaml"), so the library runs by name from any folder. An
// argument that is neither is returned unchanged, for the reader to report.
func Resolve(arg string) string {
	if _, err := os.Stat(arg); err == nil || arg == "-" {
		return arg
	}
	name := strings.TrimPrefix(arg, LibraryPrefix)
	for _, n := range []string{name, name + ".yaml"} {
		if fs.ValidPath(n) {
			if _, err := fs.Stat(library, n); err == nil {
				return LibraryPrefix + n
			}
		}
	}
	return arg
}

// ReadFile reads a file from disk, or from the bundled library for a name that Resolve returned, or
// an in-memory file that SetFile registered (standard input). From disk it reads only regular files
// of at most the size limit (ReadLimits.MaxBytes): a device, a named pipe or a larger file is an
// error, found before any byte is read.
func ReadFile(name string) ([]byte, error) {
	memory.Lock()
	b, ok := memory.files[name]
	memory.Unlock()
	if ok {
		return b, nil
	}
	if n, ok := strings.CutPrefix(name, LibraryPrefix); ok {
		n = path.Clean(strings.ReplaceAll(n, "\\", "/"))
		b, err := library.ReadFile(n)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &os.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		return b, err
	}
	return readDisk(name)
}

// Library lists the bundled scenario files by the names Resolve accepts ("bookinfo-80-20.yaml",
// "plans/argo-rollout.yaml").
func Library() []string {
	var out []string
	_ = fs.WalkDir(library, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// StdinName is the name standard input goes by as an input file ("-" on the command line), in
// messages and results, as kubectl and istioctl name it.
const StdinName = "<stdin>"

// memory holds the in-memory files ReadFile reads before the disk: standard input, read once.
var memory struct {
	sync.Mutex
	files map[string][]byte
}

// SetFile registers an in-memory file that ReadFile returns under name (replacing one of that name),
// so that input that is no file on disk goes through the same pipeline.
func SetFile(name string, data []byte) {
	memory.Lock()
	defer memory.Unlock()
	if memory.files == nil {
		memory.files = map[string][]byte{}
	}
	memory.files[name] = data
}

// Stdin is standard input as an input file: read on first use into the in-memory file StdinName,
// and the same bytes every later time, however often "-" is named.
type Stdin struct {
	R    io.Reader
	read bool
	err  error
}

// File reads standard input, once, and returns the name ReadFile reads it under. It reads at most the
// size limit (ReadLimits.MaxBytes).
func (s *Stdin) File() (string, error) {
	if s == nil || s.R == nil {
		return "", fmt.Errorf("%s: standard input is not available here", StdinName)
	}
	if !s.read {
		s.read = true
		data, err := safe.ReadAll(s.R, CurrentReadLimits().MaxBytes)
		var tl *safe.TooLargeError
		if errors.As(err, &tl) {
			err = fmt.Errorf("%w (raise it with --max-input-size)", tl)
		}
		if err != nil {
			s.err = fmt.Errorf("%s: %v", StdinName, err)
		} else {
			SetFile(StdinName, data)
		}
	}
	return StdinName, s.err
}

// InputExts are the endings of the files a folder given as input contributes.
var InputExts = []string{".yaml", ".yml", ".json"}

// Expand maps command-line inputs to the files to read, in order, as kubectl -f does: a file as
// Resolve maps it (a bundled scenario by name where no such file exists), a folder as every file
// under it ending in .yaml, .yml or .json (recursively, sorted by path; a folder without any is an
// error naming it; links to folders are not followed, so a link loop cannot make the walk grow),
// and "-" as standard input, read once (named StdinName). A file on disk named twice, under any
// spelling (./a.yaml and a.yaml, a link to it), is listed once, where it first appears.
func Expand(args []string, stdin *Stdin) ([]string, error) {
	var out []string
	var seen seenFiles
	for _, a := range args {
		if a == "-" {
			name, err := stdin.File()
			if err != nil {
				return nil, err
			}
			out = append(out, name)
			continue
		}
		r := Resolve(a)
		var files []string
		var err error
		if n, ok := strings.CutPrefix(r, LibraryPrefix); ok {
			files, err = walkInputs(library, n, LibraryPrefix)
		} else if fi, statErr := os.Stat(r); statErr == nil && fi.IsDir() {
			files, err = walkInputs(nil, r, "")
		} else {
			files = []string{r}
		}
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no %s files in this folder", a, strings.Join(InputExts, ", "))
		}
		for _, f := range files {
			if !seen.add(f) {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// walkInputs lists the input files under root, sorted by path: root itself when it is a file. With
// fsys nil it walks the disk; prefix is put before each name found.
func walkInputs(fsys fs.FS, root, prefix string) ([]string, error) {
	stat, walk := os.Stat, filepath.WalkDir
	if fsys != nil {
		stat = func(n string) (fs.FileInfo, error) { return fs.Stat(fsys, n) }
		walk = func(n string, f fs.WalkDirFunc) error { return fs.WalkDir(fsys, n, f) }
	}
	fi, err := stat(root)
	if err != nil || !fi.IsDir() {
		return []string{prefix + root}, nil
	}
	var out []string
	err = walk(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && isInput(p) {
			out = append(out, prefix+p)
		}
		return nil
	})
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %v", pe.Path, pe.Err)
		}
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

// isInput says whether a file found in a folder is an input: its name ends in one of InputExts.
func isInput(name string) bool {
	for _, e := range InputExts {
		if strings.HasSuffix(strings.ToLower(name), e) {
			return true
		}
	}
	return false
}
