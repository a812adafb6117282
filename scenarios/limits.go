package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/splitsim/splitsim/internal/safe"
	"github.com/splitsim/splitsim/mesh"
)

// DefaultMaxInputBytes is the largest input file read by default (--max-input-size): far above any
// hand-written configuration, and small enough that the worst YAML of that size is read within
// seconds and a few hundred megabytes (mesh.DefaultLimits).
const DefaultMaxInputBytes = safe.DefaultMaxInput

// ReadLimits bound what the inputs may make splitsim read.
type ReadLimits struct {
	// MaxBytes is the largest file (or standard input) read; mesh's limits on YAML nodes and objects
	// scale with it.
	MaxBytes int64
	// AllowOutside lets a scenario's spec.config name files outside the scenario's folder tree.
	AllowOutside bool
}

// DefaultReadLimits are the limits until SetReadLimits.
var DefaultReadLimits = ReadLimits{MaxBytes: DefaultMaxInputBytes}

var readLimits atomic.Pointer[ReadLimits]

// SetReadLimits sets the limits of ReadFile, Stdin and Walk, of the module's other readers
// (safe.SetMaxInput), and mesh's limits scaled to MaxBytes (mesh.SetLimits).
func SetReadLimits(l ReadLimits) {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxInputBytes
	}
	readLimits.Store(&l)
	safe.SetMaxInput(l.MaxBytes)
	mesh.SetLimits(mesh.DefaultLimits.Scale(float64(l.MaxBytes) / DefaultMaxInputBytes))
}

// CurrentReadLimits returns the limits in force.
func CurrentReadLimits() ReadLimits {
	if l := readLimits.Load(); l != nil {
		return *l
	}
	return DefaultReadLimits
}

// readDisk reads a file from disk within the limits: a regular file of at most MaxBytes.
func readDisk(name string) ([]byte, error) {
	data, err := safe.ReadFile(name, CurrentReadLimits().MaxBytes)
	var tl *safe.TooLargeError
	if errors.As(err, &tl) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w (raise it with --max-input-size)", tl)}
	}
	return data, err
}

// seenFiles remembers the files read, by identity: the same file under two spellings (./a.yaml and
// a.yaml, a link to it, a folder reached through a link) is one file.
type seenFiles struct {
	names map[string]bool
	disk  map[fileStamp][]fs.FileInfo
}

// fileStamp buckets files for os.SameFile.
type fileStamp struct {
	size int64
	mod  time.Time
}

// add records the file name and reports whether it was seen before.
func (s *seenFiles) add(name string) bool {
	if s.names == nil {
		s.names = map[string]bool{}
		s.disk = map[fileStamp][]fs.FileInfo{}
	}
	key := name
	if n, ok := strings.CutPrefix(name, LibraryPrefix); ok {
		key = LibraryPrefix + path.Clean(strings.ReplaceAll(n, "\\", "/"))
	} else if !isMemory(name) {
		if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() {
			st := fileStamp{fi.Size(), fi.ModTime()}
			for _, o := range s.disk[st] {
				if os.SameFile(o, fi) {
					return true
				}
			}
			s.disk[st] = append(s.disk[st], fi)
			return false
		}
		if a, err := filepath.Abs(name); err == nil {
			key = a
		}
	}
	if s.names[key] {
		return true
	}
	s.names[key] = true
	return false
}

// isMemory says whether ReadFile reads name from memory (standard input).
func isMemory(name string) bool {
	memory.Lock()
	defer memory.Unlock()
	_, ok := memory.files[name]
	return ok
}

// checkInside refuses a file that a scenario's spec.config names (field) outside the scenario's
// folder tree, after following links, unless AllowOutside: a scenario from elsewhere must not make
// splitsim read /etc/passwd or /proc/self/environ. Bundled scenarios stay in the library, and a
// scenario read from standard input has the working folder as its folder.
func checkInside(d *mesh.Document, field, name string) error {
	if CurrentReadLimits().AllowOutside || strings.HasPrefix(d.File, LibraryPrefix) {
		return nil
	}
	dir := filepath.Dir(d.File)
	if d.File == StdinName || isMemory(d.File) {
		dir = "."
	}
	root, err := realPath(dir)
	if err != nil {
		return nil // the scenario's folder is gone: reading the file fails on its own
	}
	target, err := realPath(name)
	if errors.Is(err, fs.ErrNotExist) {
		target, err = filepath.Abs(name)
	}
	if err != nil {
		return d.Errorf(field, "%s: %v", safe.Value(name), pathCause(err))
	}
	if rel, err := filepath.Rel(root, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return d.Errorf(field, "%s is outside the scenario's folder %s; splitsim reads only files under it unless given --allow-outside", safe.Value(name), safe.Value(dir))
	}
	return nil
}

// realPath is the absolute path of name with every link followed.
func realPath(name string) (string, error) {
	a, err := filepath.Abs(name)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(a)
}

// pathCause is the cause of a *fs.PathError, else err.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
