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
	type state struct {
		pc                      uint32
		consumed, ended, lastNL bool
	}
	seen := map[state]bool{}
	queue := []state{{pc: uint32(prog.Start)}}
	push := func(s state) {
		if !seen[s] {
			seen[s] = true
			queue = append(queue, s)
		}
	}
	seen[queue[0]] = true
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		in := &prog.Inst[s.pc]
		switch in.Op {
		case syntax.InstMatch:
			if !path || s.consumed {
				return true, nil
			}
		case syntax.InstFail:
		case syntax.InstAlt, syntax.InstAltMatch:
			push(state{in.Out, s.consumed, s.ended, s.lastNL})
			push(state{in.Arg, s.consumed, s.ended, s.lastNL})
		case syntax.InstCapture, syntax.InstNop:
			push(state{in.Out, s.consumed, s.ended, s.lastNL})
		case syntax.InstEmptyWidth:
			op := syntax.EmptyOp(in.Arg)
			ok := true
			ended := s.ended
			if op&syntax.EmptyBeginText != 0 && s.consumed {
				ok = false
			}
			if op&syntax.EmptyBeginLine != 0 && s.consumed && !s.lastNL {
				ok = false
			}
			if op&syntax.EmptyEndText != 0 {
				ended = true
			}
			if ok {
				push(state{in.Out, s.consumed, ended, s.lastNL})
			}
		default: // rune instructions
			if s.ended || !consumesSomething(in) {
				continue
			}
			if path && !s.consumed && !in.MatchRune('/') {
				continue
			}
			push(state{in.Out, true, false, in.MatchRune('\n')})
		}
	}
	return false, nil
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
