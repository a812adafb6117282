package main

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/splitsim/splitsim/observe"
)

// completeCmd is the hidden command the completion scripts call at every Tab:
//
//	splitsim __complete WORD... cur=CURRENT
//
// WORD... are the words after "splitsim" before the cursor, CURRENT the word being completed (maybe
// empty; the cur= prefix keeps it a non-empty argument, which every shell passes). It prints the
// candidates, one a line; none means "complete file names".
const completeCmd = "__complete"

// shells are the shells splitsim completion writes a script for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

func completionCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("completion", help("completion"), stdout, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want one shell: %s; got %d arguments", strings.Join(shells, ", "), fs.NArg())
	}
	script, ok := completionScripts[fs.Arg(0)]
	if !ok {
		return fmt.Errorf("unknown shell %q: want %s", fs.Arg(0), strings.Join(shells, ", "))
	}
	_, err := io.WriteString(stdout, script)
	return err
}

// commandNames lists the commands as the usage text does, for completion.
func commandNames() []string {
	names := []string{"help"}
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// flagLine reads one flag of FlagSet.FlagUsages: its shorthand, its name and whether it takes a
// value (a type or `NAME` follows the name; boolean flags have none).
var flagLine = regexp.MustCompile(`^\s+(?:-(\S), )?--([A-Za-z0-9-]+)( \S+)?`)

// cmdFlag is a flag of a command, as its --help lists it.
type cmdFlag struct {
	short, long string
	value       bool
}

// flagsOf lists a command's flags from its --help (the same text a user reads).
func flagsOf(name string) []cmdFlag {
	c, ok := commands[name]
	if !ok {
		return nil
	}
	var out bytes.Buffer
	_ = c([]string{"--help"}, &out, io.Discard)
	_, list, ok := strings.Cut(out.String(), "\nFlags:\n")
	if !ok {
		return nil
	}
	var flags []cmdFlag
	for _, line := range strings.Split(list, "\n") {
		if m := flagLine.FindStringSubmatch(line); m != nil {
			flags = append(flags, cmdFlag{short: m[1], long: m[2], value: m[3] != ""})
		}
	}
	return flags
}

// flagValues are the values of flags that take one of a few, by "COMMAND --FLAG" or "--FLAG".
var flagValues = map[string][]string{
	"--output":                 {formatText, formatJSON, formatYAML},
	"--format":                 {formatText, formatJSON, formatYAML},
	"--user-model":             {"even", "uniform", "zipf"},
	"run --method":             {"auto", "per-request", "multinomial"},
	"verify --method":          {"auto", "pearson", "g", "exact"},
	"verify --observed-format": append([]string{"auto"}, observe.Formats()...),
}

// complete lists the candidates for the word cur after the words before it.
func complete(words []string, cur string) []string {
	switch {
	case len(words) == 0 && strings.HasPrefix(cur, "-"):
		return filterPrefix([]string{"--help", "--version"}, cur)
	case len(words) == 0:
		return filterPrefix(commandNames(), cur)
	case words[0] == "help":
		if len(words) == 1 {
			return filterPrefix(commandNames(), cur)
		}
		return nil
	case words[0] == "completion" && len(words) == 1 && !strings.HasPrefix(cur, "-"):
		return filterPrefix(shells, cur)
	}
	if _, ok := commands[words[0]]; !ok {
		return nil
	}
	return completeFlags(words, cur)
}

// completeFlags lists the candidates for cur after words, which start with a command: a flag's
// value after the flag ("--flag value", "--flag=value", or "--flag = value" as bash splits it), else
// the command's flags when cur starts with "-", else none (file names).
func completeFlags(words []string, cur string) []string {
	cmd, flags := words[0], flagsOf(words[0])
	lookup := func(w string) *cmdFlag {
		for i, f := range flags {
			if w == "--"+f.long || f.short != "" && w == "-"+f.short {
				return &flags[i]
			}
		}
		return nil
	}
	prev := words[len(words)-1]
	if prev == "=" && len(words) > 1 {
		prev = words[len(words)-2]
	}
	if name, value, ok := strings.Cut(cur, "="); ok && strings.HasPrefix(name, "--") {
		var out []string
		if f := lookup(name); f != nil && f.value {
			for _, v := range valuesOf(cmd, f) {
				out = append(out, name+"="+v)
			}
		}
		return filterPrefix(out, name+"="+value)
	}
	if f := lookup(prev); f != nil && f.value {
		return filterPrefix(valuesOf(cmd, f), cur)
	}
	if !strings.HasPrefix(cur, "-") {
		return nil
	}
	out := []string{"--help"}
	for _, f := range flags {
		out = append(out, "--"+f.long)
		if f.short != "" {
			out = append(out, "-"+f.short)
		}
	}
	return filterPrefix(out, cur)
}

// valuesOf lists the values a flag of cmd takes, when they are few.
func valuesOf(cmd string, f *cmdFlag) []string {
	if v, ok := flagValues[cmd+" --"+f.long]; ok {
		return v
	}
	return flagValues["--"+f.long]
}

// filterPrefix keeps the candidates that start with prefix, sorted, without repeats.
func filterPrefix(cands []string, prefix string) []string {
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// runComplete answers the completion scripts (see completeCmd).
func runComplete(args []string, stdout io.Writer) int {
	cur := ""
	if n := len(args); n > 0 {
		if c, ok := strings.CutPrefix(args[n-1], "cur="); ok {
			cur, args = c, args[:n-1]
		}
	}
	for _, c := range complete(args, cur) {
		fmt.Fprintln(stdout, c)
	}
	return exitPass
}

// completionScripts are the scripts of splitsim completion SHELL. Each asks splitsim __complete for
// the candidates and completes file names when there are none.
var completionScripts = map[string]string{
	"bash": `# bash completion for splitsim. Load it with
#   source <(splitsim completion bash)
# or save it as /etc/bash_completion.d/splitsim.
_splitsim() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local IFS=$'\n'
    local cands
    cands=($(splitsim __complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" "cur=$cur" 2>/dev/null))
    if (( ${#cands[@]} > 0 )); then
        COMPREPLY=("${cands[@]}")
    else
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
    fi
}
complete -o default -F _splitsim splitsim
`,
	"zsh": `#compdef splitsim
# zsh completion for splitsim. Load it with
#   source <(splitsim completion zsh)
# (after compinit), or save it as _splitsim in a folder of $fpath.
_splitsim() {
    local -a cands
    cands=("${(@f)$(splitsim __complete "${(@)words[2,CURRENT-1]}" "cur=${words[CURRENT]}" 2>/dev/null)}")
    cands=(${cands:#})
    if (( ${#cands} > 0 )); then
        compadd -Q -- "${cands[@]}"
    else
        _files
    fi
}
if [[ "${funcstack[1]}" == "_splitsim" ]]; then
    _splitsim "$@"
else
    compdef _splitsim splitsim
fi
`,
	"fish": `# fish completion for splitsim. Load it with
#   splitsim completion fish | source
# or save it as ~/.config/fish/completions/splitsim.fish.
function __splitsim_candidates
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    splitsim __complete $words[2..-1] "cur=$cur" 2>/dev/null
end
function __splitsim_has_candidates
    test (count (__splitsim_candidates)) -gt 0
end
complete -c splitsim -f -n __splitsim_has_candidates -a '(__splitsim_candidates)'
complete -c splitsim -F -n 'not __splitsim_has_candidates'
`,
	"powershell": `# PowerShell completion for splitsim. Load it with
#   splitsim completion powershell | Out-String | Invoke-Expression
# or add that line to $PROFILE.
Register-ArgumentCompleter -Native -CommandName splitsim -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 |
        Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() })
    if ($wordToComplete -ne '' -and $words.Count -gt 0) {
        $words = @($words | Select-Object -SkipLast 1)
    }
    $cands = @(& splitsim __complete @words "cur=$wordToComplete" 2>$null)
    foreach ($c in $cands) {
        [System.Management.Automation.CompletionResult]::new($c, $c, 'ParameterValue', $c)
    }
}
`,
}
