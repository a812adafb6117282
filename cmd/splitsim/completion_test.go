package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/splitsim/splitsim/internal/completion"
)

// splitsim __complete answers what the completion scripts ask at every Tab, as cobra's hidden
// __complete command does for kubectl and istioctl (spf13/cobra completions.go,
// initCompleteCmd): commands, each command's flags, the values of flags that take one of a few, and
// nothing where file names are wanted (the scripts then complete files).
func TestComplete(t *testing.T) {
	for _, tc := range []struct {
		name  string
		words []string
		cur   string
		want  []string // exactly, unless some is set
		some  []string // at least these
	}{
		{"commands", nil, "", nil, []string{"run", "explain", "verify", "power", "plan", "test", "lint", "diff", "report", "completion", "version", "help"}},
		{"commands by prefix", nil, "p", []string{"plan", "power"}, nil},
		{"top-level flags", nil, "--", []string{"--help", "--version"}, nil},
		{"help's commands", []string{"help"}, "ex", []string{"explain"}, nil},
		{"shells", []string{"completion"}, "", []string{"bash", "fish", "powershell", "zsh"}, nil},
		{"run's flags", []string{"run"}, "--", nil, []string{"--requests", "--seed", "--host", "--from", "--filename", "--output", "--json", "--html", "--png", "--junit", "--help"}},
		{"short flags", []string{"run"}, "-", nil, []string{"-n", "-o", "-f"}},
		{"flags by prefix", []string{"run"}, "--o", []string{"--output"}, nil},
		{"lint's flags", []string{"lint"}, "--", nil, []string{"--filename", "--output"}},
		{"diff's flags", []string{"diff"}, "--a", []string{"--against", "--allow-outside"}, nil},
		{"output formats", []string{"run", "x.yaml", "-o"}, "", []string{"json", "text", "yaml"}, nil},
		{"output formats by prefix", []string{"lint", "--output"}, "y", []string{"yaml"}, nil},
		{"--format too", []string{"plan", "--format"}, "", []string{"json", "text", "yaml"}, nil},
		{"--flag=value", []string{"run"}, "--output=j", []string{"--output=json"}, nil},
		{"bash splits at =", []string{"run", "--output", "="}, "t", []string{"text"}, nil},
		{"run's methods", []string{"run", "--method"}, "", []string{"auto", "multinomial", "per-request"}, nil},
		{"verify's methods", []string{"verify", "--method"}, "", []string{"auto", "exact", "g", "pearson"}, nil},
		{"user models", []string{"plan", "--user-model"}, "", []string{"even", "uniform", "zipf"}, nil},
		{"observed formats", []string{"verify", "--observed-format"}, "a", nil, []string{"auto"}},
		{"file arguments", []string{"run"}, "", nil, nil},
		{"a flag's file", []string{"run", "--html"}, "", nil, nil},
		{"a flag's number", []string{"run", "-n"}, "", nil, nil},
		{"after a boolean flag, files", []string{"verify", "--sequential"}, "", nil, nil},
		{"unknown command", []string{"nope"}, "--", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{completeCmd}, tc.words...), "cur="+tc.cur)
			out, errOut, code := runCLI(t, args...)
			if code != exitPass || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			got := strings.Fields(out)
			switch {
			case tc.some != nil:
				for _, w := range tc.some {
					if !slices.Contains(got, w) {
						t.Errorf("candidates %v lack %s", got, w)
					}
				}
			case tc.want == nil && len(got) > 0:
				t.Errorf("candidates %v, want none (file names)", got)
			case tc.want != nil && !slices.Equal(got, tc.want):
				t.Errorf("candidates %v, want %v", got, tc.want)
			}
		})
	}
}

// buildSplitsim builds the command into a temporary folder, for the shells to call.
func buildSplitsim(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command")
	}
	dir := t.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "splitsim"), ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// splitsim completion SHELL writes a script for each shell. bash sources it and registers the
// completion (acceptance: source <(splitsim completion bash) && complete -p splitsim), and completes
// commands, flags, flag values and file names through it; zsh and fish check the syntax where they
// are installed.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range completion.Shells {
		out, errOut, code := runCLI(t, "completion", sh)
		if code != exitPass || errOut != "" || !strings.Contains(out, "splitsim __complete") {
			t.Errorf("completion %s: exit %d, stderr %q, script:\n%s", sh, code, errOut, out)
		}
	}
	if _, errOut, code := runCLI(t, "completion", "tcsh"); code != exitUsage || !strings.Contains(errOut, "bash, zsh, fish, powershell") {
		t.Errorf("completion tcsh: exit %d, %q", code, errOut)
	}
	bin := buildSplitsim(t)
	work := t.TempDir()
	for _, f := range []string{"vs.yaml", "values.json"} {
		os.WriteFile(filepath.Join(work, f), nil, 0o644)
	}
	shell := func(t *testing.T, name string, script string) string {
		t.Helper()
		cmd := exec.Command(name, "-c", script)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		return string(out)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	if got := shell(t, "bash", "source <(splitsim completion bash) && complete -p splitsim"); !strings.Contains(got, "-F _splitsim splitsim") {
		t.Errorf("complete -p splitsim: %q", got)
	}
	for _, tc := range []struct {
		line string // the words typed, the last being completed
		want []string
	}{
		{"splitsim pl", []string{"plan"}},
		{"splitsim run --se", []string{"--seed"}},
		{"splitsim run -o ", []string{"json", "text", "yaml"}},
		{"splitsim lint v", []string{"values.json", "vs.yaml"}},
		{"splitsim run vs.yaml --html v", []string{"values.json", "vs.yaml"}},
	} {
		t.Run("bash/"+tc.line, func(t *testing.T) {
			script := `source <(splitsim completion bash)
COMP_WORDS=(` + tc.line + `)
[[ "` + tc.line + `" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
_splitsim
printf '%s\n' "${COMPREPLY[@]}" | sort`
			got := strings.Fields(shell(t, "bash", script))
			if !slices.Equal(got, tc.want) {
				t.Errorf("%q completes to %v, want %v", tc.line, got, tc.want)
			}
		})
	}
	for _, sh := range []string{"zsh", "fish"} {
		if _, err := exec.LookPath(sh); err != nil {
			t.Logf("%s not installed: its script's syntax is not checked", sh)
			continue
		}
		shell(t, sh, "splitsim completion "+sh+" > s && "+sh+" -n s")
	}
}
