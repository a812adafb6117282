// Package completion completes splitsim's command lines for the shells: the scripts that
// `splitsim completion SHELL` prints, and the candidates that the hidden command `splitsim
// __complete WORD... cur=CURRENT` gives them at every Tab (commands, a command's flags as its --help
// lists them, the values of flags that take one of a few, or none: file names).
package completion

import (
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Shells are the shells a script is written for.
var Shells = []string{"bash", "zsh", "fish", "powershell"}

// Commands is what completion knows of the program: its command names, each command's --help
// text, and the values of flags that take one of a few, by "COMMAND --FLAG" or "--FLAG".
type Commands struct {
	Names  []string
	Help   func(name string) string
	Values map[string][]string
}

// flagLine reads one flag of FlagSet.FlagUsages: its shorthand, its name and whether it takes a
// value (a type or `NAME` follows the name; boolean flags have none).
var flagLine = regexp.MustCompile(`^\s+(?:-(\S), )?--([A-Za-z0-9-]+)( \S+)?`)

// flag is a flag of a command, as its --help lists it.
type flag struct {
	short, long string
	value       bool
}

// flagsOf lists a command's flags from its --help (the same text a user reads).
func (c Commands) flagsOf(name string) []flag {
	if !slices.Contains(c.Names, name) {
		return nil
	}
	_, list, ok := strings.Cut(c.Help(name), "\nFlags:\n")
	if !ok {
		return nil
	}
	var flags []flag
	for _, line := range strings.Split(list, "\n") {
		if m := flagLine.FindStringSubmatch(line); m != nil {
			flags = append(flags, flag{short: m[1], long: m[2], value: m[3] != ""})
		}
	}
	return flags
}

// Complete lists the candidates for the word cur after the words before it (the words after the
// program's name).
func (c Commands) Complete(words []string, cur string) []string {
	names := append([]string{"help"}, c.Names...)
	switch {
	case len(words) == 0 && strings.HasPrefix(cur, "-"):
		return filterPrefix([]string{"--help", "--version"}, cur)
	case len(words) == 0:
		return filterPrefix(names, cur)
	case words[0] == "help":
		if len(words) == 1 {
			return filterPrefix(names, cur)
		}
		return nil
	case words[0] == "completion" && len(words) == 1 && !strings.HasPrefix(cur, "-"):
		return filterPrefix(Shells, cur)
	}
	if !slices.Contains(c.Names, words[0]) {
		return nil
	}
	return c.completeFlags(words, cur)
}

// completeFlags lists the candidates for cur after words, which start with a command: a flag's
// value after the flag ("--flag value", "--flag=value", or "--flag = value" as bash splits it), else
// the command's flags when cur starts with "-", else none (file names).
func (c Commands) completeFlags(words []string, cur string) []string {
	cmd, flags := words[0], c.flagsOf(words[0])
	lookup := func(w string) *flag {
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
			for _, v := range c.valuesOf(cmd, f) {
				out = append(out, name+"="+v)
			}
		}
		return filterPrefix(out, name+"="+value)
	}
	if f := lookup(prev); f != nil && f.value {
		return filterPrefix(c.valuesOf(cmd, f), cur)
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
func (c Commands) valuesOf(cmd string, f *flag) []string {
	if v, ok := c.Values[cmd+" --"+f.long]; ok {
		return v
	}
	return c.Values["--"+f.long]
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

// Scripts are the scripts of splitsim completion SHELL, by shell. Each asks splitsim __complete for
// the candidates and completes file names when there are none.
var Scripts = map[string]string{
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
