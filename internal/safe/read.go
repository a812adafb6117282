package safe

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync/atomic"
	"syscall"
)

// ErrNotRegular is the cause of an error about reading a file that is not a regular file: a
// device (/dev/zero, /dev/urandom), a named pipe (which blocks until someone writes to it), a socket
// or a folder.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is the error of a read that would pass its limit.
type TooLargeError struct {
	Limit int64
	Size  int64 // the file's size; -1 when unknown (standard input)
}

func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("more than the limit of %s per input", Bytes(e.Limit))
	}
	return fmt.Sprintf("%d bytes, more than the limit of %s per input", e.Size, Bytes(e.Limit))
}

// ReadFile reads a regular file of at most limit bytes. Anything else is refused before any byte is
// read: a file that is not regular (its kind named, wrapping ErrNotRegular), and a larger file
// (*TooLargeError). The file is opened without blocking, so that a named pipe put in place of a
// file between the check and the open cannot stall the read. Errors are *fs.PathError with name.
func ReadFile(name string, limit int64) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(name, fi, limit); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkRegular(name, fi, limit); err != nil {
		return nil, err
	}
	data, err := ReadAll(f, limit)
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			tl.Size = fi.Size()
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return data, nil
}

// checkRegular refuses a file that is not regular, or larger than limit.
func checkRegular(name string, fi fs.FileInfo, limit int64) error {
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, Kind(fi.Mode()))}
	}
	if fi.Size() > limit {
		return &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit, Size: fi.Size()}}
	}
	return nil
}

// ReadAll reads r to its end, but at most limit bytes: a longer stream is a *TooLargeError (Size
// -1), found after reading limit+1 bytes.
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Limit: limit, Size: -1}
	}
	return data, nil
}

// Kind names the kind of file a mode is: "a folder", "a named pipe", "a character device".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "not a regular file"
}

// Bytes formats a size in bytes in binary units: 512 bytes, 16 MiB, 1.5 GiB.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	s := fmt.Sprintf("%.1f", v)
	if v == float64(int64(v)) {
		s = fmt.Sprintf("%d", int64(v))
	}
	return s + " " + string("KMGTPE"[exp]) + "iB"
}

// ParseBytes reads a size as --max-input-size takes it: a whole number of bytes, or one with a
// binary unit (KiB, MiB, GiB) or its short form (K, M, G); the decimal units KB, MB, GB are
// powers of 1000.
func ParseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
	}
	num, mult := s, int64(1)
	for _, u := range units {
		if n, ok := cutSuffixFold(s, u.suffix); ok {
			num, mult = n, u.mult
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(num, "%d", &n); err != nil || fmt.Sprint(n) != num || n < 1 {
		return 0, fmt.Errorf("want a positive size such as 64MiB or 1GiB, got %q", s)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n * mult, nil
}

// cutSuffixFold is strings.CutSuffix, ignoring case.
func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) < len(suffix) {
		return s, false
	}
	head, tail := s[:len(s)-len(suffix)], s[len(s)-len(suffix):]
	for i := 0; i < len(tail); i++ {
		a, b := tail[i]|0x20, suffix[i]|0x20
		if a != b {
			return s, false
		}
	}
	return head, true
}

// DefaultMaxInput is the default of MaxInput: 16 MiB.
const DefaultMaxInput = 16 << 20

var maxInput atomic.Int64

// SetMaxInput sets the size limit per input file that the module's readers apply (--max-input-size);
// 0 or less restores DefaultMaxInput.
func SetMaxInput(n int64) {
	if n <= 0 {
		n = DefaultMaxInput
	}
	maxInput.Store(n)
}

// MaxInput is the size limit per input file.
func MaxInput() int64 {
	if n := maxInput.Load(); n > 0 {
		return n
	}
	return DefaultMaxInput
}
