package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/splitsim/splitsim/mesh"
)

const vsYAML = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews}
`

// scenarioNaming is a scenario whose spec.config names files.
func scenarioNaming(files ...string) string {
	return "apiVersion: splitsim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  config: [" + strings.Join(files, ", ") + "]\n"
}

// writeFiles writes files (name: content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// withLimits sets read limits for one test.
func withLimits(t *testing.T, l ReadLimits) {
	SetReadLimits(l)
	t.Cleanup(func() { SetReadLimits(DefaultReadLimits) })
}

// Every read is bounded: only regular files are read, each of at most the size limit, and a file a
// scenario names is refused with the scenario's file, line and field; standard input too has the
// limit. Nothing blocks (a named pipe) or grows without bound (/dev/zero).
func TestReadsAreBounded(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, dir, map[string]string{
		"vs.yaml":          vsYAML,
		"big.yaml":         vsYAML + "# " + strings.Repeat("x", 2000) + "\n",
		"s/zero.yaml":      scenarioNaming("/dev/zero"),
		"s/fifo-scen.yaml": scenarioNaming("fifo.yaml"),
		"s/big-scen.yaml":  scenarioNaming("../big.yaml"),
	})
	if err := syscall.Mkfifo("s/fifo.yaml", 0o644); err != nil {
		t.Skip("no named pipes:", err)
	}
	withLimits(t, ReadLimits{MaxBytes: 1000, AllowOutside: true})
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"a file over the limit", []string{"big.yaml"}, "big.yaml: 2164 bytes, more than the limit of 1000 bytes per input (raise it with --max-input-size)"},
		{"/dev/zero", []string{"/dev/zero"}, "/dev/zero: not a regular file (a character device)"},
		{"a named pipe", []string{"s/fifo.yaml"}, "s/fifo.yaml: not a regular file (a named pipe)"},
		{"a folder", []string{"s"}, "s: not a regular file (a folder)"},
		{"/dev/zero named by a scenario", []string{"s/zero.yaml"}, "s/zero.yaml:5: document 1 (Scenario s): spec.config[0]: /dev/zero: not a regular file (a character device)"},
		{"a named pipe named by a scenario", []string{"s/fifo-scen.yaml"}, "s/fifo-scen.yaml:5: document 1 (Scenario s): spec.config[0]: s/fifo.yaml: not a regular file (a named pipe)"},
		{"a large file named by a scenario", []string{"s/big-scen.yaml"}, "spec.config[0]: big.yaml: 2164 bytes, more than the limit of 1000 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { _, err := Read(tc.files); done <- err }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %v, want %q", err, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the read blocks")
			}
		})
	}
	t.Run("standard input over the limit", func(t *testing.T) {
		_, err := (&Stdin{R: strings.NewReader(strings.Repeat("x", 1001))}).File()
		if err == nil || !strings.Contains(err.Error(), "<stdin>: more than the limit of 1000 bytes per input (raise it with --max-input-size)") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("the limit scales mesh's limits", func(t *testing.T) {
		SetReadLimits(ReadLimits{MaxBytes: 4 * DefaultMaxInputBytes})
		defer SetReadLimits(ReadLimits{MaxBytes: 1000, AllowOutside: true})
		if got := mesh.CurrentLimits(); got.Documents != 4*mesh.DefaultLimits.Documents {
			t.Errorf("mesh limits %+v", got)
		}
	})
}

// spec.config stays inside the scenario's folder tree (links followed), unless --allow-outside: a
// scenario from elsewhere cannot make splitsim read /etc/passwd or a file beside its folder. The
// error names the scenario, the line and the field.
func TestSpecConfigStaysInside(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, dir, map[string]string{
		"outside.yaml":       vsYAML,
		"s/vs.yaml":          vsYAML,
		"s/sub/vs.yaml":      vsYAML,
		"s/inside.yaml":      scenarioNaming("vs.yaml", "sub/vs.yaml", "sub/../vs.yaml"),
		"s/up.yaml":          scenarioNaming("vs.yaml", "../outside.yaml"),
		"s/passwd.yaml":      scenarioNaming("/etc/passwd"),
		"s/link.yaml":        scenarioNaming("escape.yaml"),
		"s/missing.yaml":     scenarioNaming("nope.yaml"),
		"s/sub/sibling.yaml": scenarioNaming("../vs.yaml"),
	})
	if err := os.Symlink(filepath.Join(dir, "outside.yaml"), "s/escape.yaml"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		file    string
		outside bool
		want    string // "" for no error
	}{
		{"files under the scenario's folder", "s/inside.yaml", false, ""},
		{"a file beside the folder", "s/up.yaml", false, "s/up.yaml:5: document 1 (Scenario s): spec.config[1]: outside.yaml is outside the scenario's folder s; splitsim reads only files under it unless given --allow-outside"},
		{"an absolute path", "s/passwd.yaml", false, "spec.config[0]: /etc/passwd is outside the scenario's folder s"},
		{"a link leading out", "s/link.yaml", false, "spec.config[0]: s/escape.yaml is outside the scenario's folder s"},
		{"the parent of a subfolder", "s/sub/sibling.yaml", false, "spec.config[0]: s/vs.yaml is outside the scenario's folder s/sub"},
		{"a file that does not exist", "s/missing.yaml", false, "s/missing.yaml:5: document 1 (Scenario s): spec.config[0]: s/nope.yaml: no such file or directory"},
		{"--allow-outside", "s/up.yaml", true, ""},
		{"--allow-outside and a link", "s/link.yaml", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			withLimits(t, ReadLimits{MaxBytes: DefaultMaxInputBytes, AllowOutside: tc.outside})
			_, err := Read([]string{tc.file})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want == "":
			case err == nil || !strings.Contains(err.Error(), tc.want):
				t.Errorf("error\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}

// A file is read once however it is spelt (./a.yaml, a link, a path through a link to a folder), so
// two links to "." cannot make the files a scenario names grow exponentially, and a scenario naming
// itself ends.
func TestSameFileReadOnce(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, dir, map[string]string{
		"vs.yaml":   vsYAML,
		"loop.yaml": scenarioNaming("a/loop.yaml", "b/loop.yaml", "a/vs.yaml", "b/vs.yaml", "./vs.yaml"),
	})
	for _, l := range []string{"a", "b"} {
		if err := os.Symlink(".", l); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	in, err := Read([]string{"loop.yaml", "./loop.yaml", "a/b/a/loop.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Files) != 2 || in.Files[0] != "loop.yaml" || in.Files[1] != "a/vs.yaml" || len(in.Config.VirtualServices) != 1 {
		t.Errorf("read %v (%d VirtualServices), want loop.yaml and a/vs.yaml once each", in.Files, len(in.Config.VirtualServices))
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	files, err := Expand([]string{"vs.yaml", "./vs.yaml", "a/vs.yaml", "."}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(files, " ") != "vs.yaml loop.yaml" {
		t.Errorf("Expand lists %v, want vs.yaml and loop.yaml once each", files)
	}
}

// The failing Argo Rollout example carries a copy of scenarios/plans/argo-rollout.yaml (its
// spec.config may not reach outside its folder); the copy stays the same as the original.
func TestFailingArgoExampleCopiesThePlan(t *testing.T) {
	plan, err := os.ReadFile("plans/argo-rollout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	failing, err := os.ReadFile("testdata/failing/argo-rollout-20rps.yaml")
	if err != nil {
		t.Fatal(err)
	}
	body := string(plan[strings.Index(string(plan), "apiVersion:"):])
	if !strings.HasSuffix(string(failing), "\n---\n"+body) {
		t.Error("testdata/failing/argo-rollout-20rps.yaml does not end with the documents of plans/argo-rollout.yaml")
	}
}
