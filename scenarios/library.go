package scenarios

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
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

// ReadFile reads a file from disk, or from the bundled library for a name that Resolve returned.
func ReadFile(name string) ([]byte, error) {
	if n, ok := strings.CutPrefix(name, LibraryPrefix); ok {
		n = path.Clean(strings.ReplaceAll(n, "\\", "/"))
		b, err := library.ReadFile(n)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &os.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		return b, err
	}
	return os.ReadFile(name)
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
