package lint

import "regexp/syntax"

// canFullMatch reports whether some string satisfies expr as a full match (Envoy's safe_regex, RE2,
// matches the whole value: envoy source/common/common/regex.h). With path, the string must also be a
// request path: non-empty and starting with "/". It errs on the side of "yes": it answers false only
// when no string can match.
//
// The search walks the compiled RE2 program over abstract states (instruction, whether a character has
// been consumed, whether the end of text was asserted, whether the last character may be a newline).
// Every real match is a walk through these states, so when no walk reaches the match instruction no
// string matches. Word boundaries and end-of-line assertions are assumed satisfiable.
func canFullMatch(expr string, path bool) (bool, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return false, err
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return false, err
	}
	start := regexState{pc: uint32(prog.Start)}
	seen := map[regexState]bool{start: true}
	queue := []regexState{start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		in := &prog.Inst[s.pc]
		if in.Op == syntax.InstMatch && (!path || s.consumed) {
			return true, nil
		}
		for _, n := range successors(in, s, path) {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	return false, nil
}

// regexState is an abstract state of canFullMatch's search: the instruction, whether a character
// has been consumed, whether the end of text was asserted, whether the last character may be a
// newline.
type regexState struct {
	pc                      uint32
	consumed, ended, lastNL bool
}

// successors returns the states that instruction in leads to from s (with path, the first character
// must be "/").
func successors(in *syntax.Inst, s regexState, path bool) []regexState {
	next := s
	next.pc = in.Out
	switch in.Op {
	case syntax.InstMatch, syntax.InstFail:
		return nil
	case syntax.InstAlt, syntax.InstAltMatch:
		alt := s
		alt.pc = in.Arg
		return []regexState{next, alt}
	case syntax.InstCapture, syntax.InstNop:
		return []regexState{next}
	case syntax.InstEmptyWidth:
		op := syntax.EmptyOp(in.Arg)
		if op&syntax.EmptyBeginText != 0 && s.consumed || op&syntax.EmptyBeginLine != 0 && s.consumed && !s.lastNL {
			return nil
		}
		next.ended = s.ended || op&syntax.EmptyEndText != 0
		return []regexState{next}
	}
	// rune instructions
	if s.ended || !consumesSomething(in) || path && !s.consumed && !in.MatchRune('/') {
		return nil
	}
	return []regexState{{in.Out, true, false, in.MatchRune('\n')}}
}

// consumesSomething reports whether a rune instruction accepts at least one rune.
func consumesSomething(in *syntax.Inst) bool {
	switch in.Op {
	case syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
		return true
	case syntax.InstRune1:
		return true
	case syntax.InstRune:
		return len(in.Rune) > 0
	}
	return false
}
