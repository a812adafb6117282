package report

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// chdir changes the working folder for the test.
func chdir(t *testing.T, dir string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
}

// leftovers lists the hidden temporary files left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// WriteAll refuses what it must not replace, naming the output as the user gave it (never a
// temporary file), and leaves everything as it was.
func TestWriteAllRefuses(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	write := func(name, data string) {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("in.yaml", "input")
	write("old.html", "old page")
	os.Mkdir("sub", 0o755)
	os.Symlink("in.yaml", "link-to-input")
	os.Link("in.yaml", "hard-link-to-input")
	os.Symlink("nowhere/x", "dangling")
	os.Symlink("loop", "loop")
	fifo := syscall.Mkfifo("fifo", 0o644) == nil
	for _, tc := range []struct {
		name string
		outs []Output
		want string
	}{
		{"an input", []Output{{Flag: "--html", Path: "in.yaml"}}, "--html in.yaml: refusing to write over an input file"},
		{"an input spelled otherwise", []Output{{Flag: "--html", Path: "sub/../in.yaml"}}, "--html sub/../in.yaml: refusing to write over an input file"},
		{"a link to an input", []Output{{Flag: "--json", Path: "link-to-input"}}, "--json link-to-input: refusing to write over an input file"},
		{"a hard link to an input", []Output{{Flag: "--json", Path: "hard-link-to-input"}}, "--json hard-link-to-input: refusing to write over an input file"},
		{"a folder", []Output{{Flag: "--html", Path: "sub"}}, "--html sub: is a folder"},
		{"a missing folder", []Output{{Flag: "--html", Path: "missing/deeper/r.html"}}, "--html missing/deeper/r.html: folder missing/deeper does not exist"},
		{"a file as folder", []Output{{Flag: "--html", Path: "old.html/r.html"}}, "--html old.html/r.html: old.html is not a folder"},
		{"a dangling link", []Output{{Flag: "--junit", Path: "dangling"}}, "--junit dangling: a symbolic link to a file that cannot be reached"},
		{"a link loop", []Output{{Flag: "--junit", Path: "loop"}}, "--junit loop: a symbolic link to a file that cannot be reached"},
		{"a character device", []Output{{Flag: "--json", Path: "/dev/zero"}}, "--json /dev/zero: a character device, not a regular file"},
		{"one file twice", []Output{{Flag: "--html", Path: "new.html"}, {Flag: "--junit", Path: "./sub/../new.html"}}, "--html new.html and --junit ./sub/../new.html name the same file"},
		// All or nothing: the first output is good, the second is not, and nothing is written.
		{"a later output refused", []Output{{Flag: "--html", Path: "old.html", Data: []byte("new page")}, {Flag: "--json", Path: "missing/r.json"}}, "--json missing/r.json: folder missing does not exist"},
		{"a later output refused, the first one's folder not made", []Output{{Flag: "--png", Path: "charts/a.png", MakeDir: true}, {Flag: "--json", Path: "in.yaml"}}, "--json in.yaml: refusing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteAll(tc.outs, []string{"in.yaml"}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), ".tmp") || strings.Contains(err.Error(), dir) {
				t.Errorf("error %q names an internal path", err)
			}
			if b, _ := os.ReadFile("old.html"); string(b) != "old page" {
				t.Errorf("old.html now holds %q", b)
			}
			if b, _ := os.ReadFile("in.yaml"); string(b) != "input" {
				t.Errorf("the input now holds %q", b)
			}
			for _, p := range []string{"new.html", "charts", "missing"} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("%s was made", p)
				}
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("temporary files left: %v", l)
			}
		})
	}
	t.Run("a named pipe", func(t *testing.T) {
		if !fifo {
			t.Skip("no named pipes here")
		}
		done := make(chan error, 1)
		go func() { done <- WriteAll([]Output{{Flag: "--html", Path: "fifo", Data: []byte("x")}}, nil, nil) }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "--html fifo: a named pipe, not a regular file") {
				t.Errorf("error %v", err)
			}
			if fi, err := os.Lstat("fifo"); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
				t.Error("the named pipe was replaced")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("writing to a named pipe blocks")
		}
	})
}

// WriteAll writes every output, keeps what it should keep, and writes through /dev/null and
// /dev/stdout without replacing them.
func TestWriteAllWrites(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	os.WriteFile("private.json", []byte("old"), 0o600)
	os.WriteFile("target.html", []byte("old"), 0o640)
	os.Symlink("target.html", "link.html")
	null, err := os.Stat(os.DevNull)
	if err != nil {
		t.Skip(err)
	}
	var stdout bytes.Buffer
	outs := []Output{
		{Flag: "--json", Path: "private.json", Data: []byte("json")},
		{Flag: "--html", Path: "link.html", Data: []byte("page")},
		{Flag: "--png", Path: "charts/deep/a.png", Data: []byte("png"), MakeDir: true},
		{Flag: "--junit", Path: "new.xml", Data: []byte("xml")},
		{Flag: "--junit", Path: os.DevNull, Data: []byte("discarded")},
		{Flag: "--json", Path: "/dev/stdout", Data: []byte("to stdout")},
	}
	if err := WriteAll(outs, nil, &stdout); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, data string
		perm             fs.FileMode
	}{
		{"a 0600 file stays 0600", "private.json", "json", 0o600},
		{"a link's target replaced, its mode kept", "target.html", "page", 0o640},
		{"a folder made for --png", "charts/deep/a.png", "png", 0},
		{"a new file", "new.xml", "xml", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := os.ReadFile(tc.path)
			if err != nil || string(b) != tc.data {
				t.Fatalf("%s holds %q (%v), want %q", tc.path, b, err, tc.data)
			}
			fi, _ := os.Stat(tc.path)
			if tc.perm != 0 && fi.Mode().Perm() != tc.perm {
				t.Errorf("mode %v, want %v", fi.Mode().Perm(), tc.perm)
			}
		})
	}
	if li, err := os.Lstat("link.html"); err != nil || li.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link at link.html was replaced by a file")
	}
	if after, err := os.Stat(os.DevNull); err != nil || !os.SameFile(null, after) || after.Mode()&fs.ModeCharDevice == 0 {
		t.Error("/dev/null was replaced")
	}
	if stdout.String() != "to stdout" {
		t.Errorf("stdout got %q", stdout.String())
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary files left: %v", l)
	}
}

// A failure while the files are written (a folder that turned read-only, a full disk) removes what
// was staged: the earlier outputs keep their old content and no temporary file stays.
func TestWriteAllFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	os.WriteFile("a.html", []byte("old"), 0o644)
	afterStage = func(tg *target) error {
		if tg.Flag == "--junit" {
			return errors.New("--junit b.xml: no space left on device")
		}
		return nil
	}
	defer func() { afterStage = nil }()
	err := WriteAll([]Output{
		{Flag: "--html", Path: "a.html", Data: []byte("new")},
		{Flag: "--png", Path: "charts/c.png", Data: []byte("new"), MakeDir: true},
		{Flag: "--junit", Path: "b.xml", Data: []byte("new")},
	}, nil, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "--junit b.xml: ") {
		t.Fatalf("error %v", err)
	}
	if b, _ := os.ReadFile("a.html"); string(b) != "old" {
		t.Errorf("a.html holds %q", b)
	}
	for _, p := range []string{"b.xml", "charts"} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s was made", p)
		}
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary files left: %v", l)
	}
}

// SIGINT and SIGTERM while the files are written remove the temporary files; the process then ends
// by the signal. The test runs itself as a child that signals itself after staging the first file.
func TestWriteAllInterrupted(t *testing.T) {
	if dir := os.Getenv("SPLITSIM_WRITEALL_CHILD"); dir != "" {
		sig := syscall.SIGINT
		if os.Getenv("SPLITSIM_WRITEALL_SIGNAL") == "TERM" {
			sig = syscall.SIGTERM
		}
		afterStage = func(*target) error {
			syscall.Kill(os.Getpid(), sig)
			time.Sleep(5 * time.Second)
			return nil
		}
		WriteAll([]Output{{Path: filepath.Join(dir, "a.html"), Data: []byte("new")}, {Path: filepath.Join(dir, "b.xml"), Data: []byte("new")}}, nil, nil)
		os.Exit(0) // not reached: the signal ends the process
	}
	for _, sig := range []string{"INT", "TERM"} {
		t.Run("SIG"+sig, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "a.html"), []byte("old"), 0o644)
			cmd := exec.Command(os.Args[0], "-test.run=^TestWriteAllInterrupted$")
			cmd.Env = append(os.Environ(), "SPLITSIM_WRITEALL_CHILD="+dir, "SPLITSIM_WRITEALL_SIGNAL="+sig)
			start := time.Now()
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || time.Since(start) > 4*time.Second {
				t.Fatalf("child: %v after %v\n%s", err, time.Since(start), out)
			}
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && !(ws.Signaled() || ws.ExitStatus() > 128) {
				t.Errorf("child ended with %v, not by the signal", ws)
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("temporary files left: %v", l)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "a.html")); string(b) != "old" {
				t.Errorf("a.html holds %q", b)
			}
			if _, err := os.Stat(filepath.Join(dir, "b.xml")); err == nil {
				t.Error("b.xml was written")
			}
		})
	}
}
