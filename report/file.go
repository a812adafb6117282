package report

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically (a temporary file in the same folder, then a rename), and
// refuses to write over any of the inputs.
func WriteFile(path string, data []byte, inputs []string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	for _, in := range inputs {
		if a, err := filepath.Abs(in); err == nil && a == abs {
			return fmt.Errorf("%s: refusing to write over an input file", path)
		}
		if fi, err := os.Stat(in); err == nil {
			if fo, err := os.Stat(path); err == nil && os.SameFile(fi, fo) {
				return fmt.Errorf("%s: refusing to write over an input file", path)
			}
		}
	}
	dir := filepath.Dir(abs)
	f, err := os.CreateTemp(dir, "."+filepath.Base(abs)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, abs); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
