package mrz

import (
	"strings"
	"unicode"
)

// Repair parses OCR text of an MRZ, correcting what the structure of the
// zone makes certain or, through its check digits, unambiguous:
//
//   - case, spaces inside lines, and glyphs OCR uses for the filler («, ‹, (...);
//   - extra lines around the zone (the best-scoring run of lines is used,
//     the others are reported with Line -1);
//   - line lengths: a few characters missing or extra at the ends or in a
//     run of fillers;
//   - characters by the class of their position: in dates, check digits and
//     other digit-only positions O→0, I→1, Z→2, S→5, G→6, B→8...; in names,
//     codes and other letter-only positions the reverse; M/F in the sex
//     position; stray letters in the filler run ending a name;
//   - in positions that may hold letters and digits (document numbers,
//     optional data), the reading among O/0, I/1, Z/2, S/5, B/8 whose
//     check digits all pass — but only when exactly one reading with the
//     fewest changes passes; otherwise the text is left as read. (G/6 and
//     K/< cannot be told apart by check digits: their values are equal
//     modulo 10.)
//
// Every change is listed in Result.Repairs, and Result.Lines holds the
// repaired lines. Like Parse, Repair returns an error only when no layout
// fits (ErrFormat, ErrLength); a zone it cannot make valid comes back with
// Valid false.
func Repair(lines []string, opts Options) (*Result, error) {
	opts = opts.resolve()
	clean := cleanLines(lines)
	texts := make([]string, len(clean))
	for i, c := range clean {
		texts[i] = c.text
	}

	var best *Result
	var bestScore score
	for _, l := range allLayouts {
		n := len(l.lengths)
		for w := 0; w+n <= len(clean); w++ {
			window := clean[w : w+n]
			if !l.plausible(window) {
				continue
			}
			var pre []Correction
			for i, c := range clean {
				if i < w || i >= w+n {
					pre = append(pre, Correction{Line: -1, Pos: -1, From: c.text, Reason: "extra_line"})
				}
			}
			for i, c := range window {
				for _, rp := range c.repairs {
					rp.Line = i
					pre = append(pre, rp)
				}
			}
			for _, variant := range lengthVariants(l, window) {
				r := repairLayout(l, variant.lines, opts)
				if detect(r.Lines) != l {
					continue // a repair changed what decides the layout
				}
				r.Repairs = append(append(append([]Correction(nil), pre...), variant.repairs...), r.Repairs...)
				sc := scoreOf(r)
				if best == nil || sc.better(bestScore) {
					best, bestScore = r, sc
				}
			}
		}
	}
	if best == nil {
		return nil, formatError(texts)
	}
	return best, nil
}

// RepairText is Repair for text holding the lines separated by newlines.
func RepairText(text string, opts Options) (*Result, error) {
	return Repair(splitLines(text), opts)
}

// score ranks candidate repairs: fewest failures, then most checks passed,
// then fewest changes.
type score struct{ failures, passed, repairs int }

func scoreOf(r *Result) score {
	s := score{failures: len(r.Problems), repairs: len(r.Repairs)}
	for _, c := range r.Checks {
		if c.OK {
			s.passed++
		} else {
			s.failures++
		}
	}
	return s
}

func (s score) better(o score) bool {
	if s.failures != o.failures {
		return s.failures < o.failures
	}
	if s.passed != o.passed {
		return s.passed > o.passed
	}
	return s.repairs < o.repairs
}

type cleanLine struct {
	text    string
	repairs []Correction
}

// fillerGlyphs are characters OCR engines return for the OCR-B filler.
var fillerGlyphs = map[rune]bool{'«': true, '‹': true, '(': true, '[': true, '{': true, '≤': true,
	'＜': true, '〈': true, '⟨': true, '﹤': true, '㇂': true, '‘': true}

// cleanLines upper-cases, removes spaces and maps filler glyphs, dropping
// lines left empty.
func cleanLines(lines []string) []cleanLine {
	var out []cleanLine
	for _, in := range lines {
		for _, part := range strings.FieldsFunc(in, func(r rune) bool { return r == '\n' || r == '\r' }) {
			var c cleanLine
			s := strings.TrimSpace(part) // as Parse does, silently
			if up := strings.ToUpper(s); up != s {
				c.repairs = append(c.repairs, Correction{Pos: -1, From: s, To: up, Reason: "case"})
				s = up
			}
			if nosp := strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return r
			}, s); nosp != s {
				c.repairs = append(c.repairs, Correction{Pos: -1, From: s, To: nosp, Reason: "space"})
				s = nosp
			}
			if mapped := strings.Map(func(r rune) rune {
				if fillerGlyphs[r] {
					return '<'
				}
				return r
			}, s); mapped != s {
				c.repairs = append(c.repairs, Correction{Pos: -1, From: s, To: mapped, Reason: "glyph"})
				s = mapped
			}
			c.text = s
			if c.text != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// maxLengthSlack is how many characters a line may miss or have in excess
// and still be repaired to a layout.
const maxLengthSlack = 4

// plausible reports whether OCR lines could be this layout.
func (l *layout) plausible(lines []cleanLine) bool {
	for i, n := range l.lengths {
		d := len(lines[i].text) - n
		if d < -maxLengthSlack || d > maxLengthSlack {
			return false
		}
	}
	first := lines[0].text
	isVisa := l.format == MRVA || l.format == MRVB
	if len(first) > 0 && (first[0] == 'V') != isVisa && l.format != SwissDrivingLicence && l.format != FrenchDrivingLicence {
		return false
	}
	switch l.format {
	case FrenchID:
		return strings.HasPrefix(first, "IDFRA") || strings.HasPrefix(first, "1DFRA")
	case FrenchDrivingLicence:
		return len(first) > 0 && first[0] == 'D'
	}
	return true
}

type variant struct {
	lines   []string
	repairs []Correction
}

// lengthVariants returns the ways of bringing each line to its layout
// length: cut or pad at either end, or shorten or lengthen the longest run
// of fillers, where OCR most often drops or doubles a character.
func lengthVariants(l *layout, lines []cleanLine) []variant {
	per := make([][]variant, len(lines))
	for i, c := range lines {
		want := l.lengths[i]
		s := c.text
		d := len(s) - want
		rp := func(to string) variant {
			return variant{lines: []string{to}, repairs: []Correction{{Line: i, Pos: -1, From: s, To: to, Reason: "length"}}}
		}
		switch {
		case d == 0:
			per[i] = []variant{{lines: []string{s}}}
		case d > 0:
			per[i] = append(per[i], rp(s[:want]), rp(s[d:]))
			if at, n := longestFillerRun(s); n > d {
				per[i] = append(per[i], rp(s[:at]+s[at+d:]))
			}
		default:
			pad := strings.Repeat("<", -d)
			per[i] = append(per[i], rp(s+pad))
			if at, n := longestFillerRun(s); n >= 2 {
				per[i] = append(per[i], rp(s[:at]+pad+s[at:]))
			}
		}
	}
	out := []variant{{}}
	for _, opts := range per {
		var next []variant
		for _, v := range out {
			for _, o := range opts {
				next = append(next, variant{
					lines:   append(append([]string(nil), v.lines...), o.lines...),
					repairs: append(append([]Correction(nil), v.repairs...), o.repairs...),
				})
			}
		}
		out = next
	}
	return out
}

// longestFillerRun returns the start and length of the longest run of <.
func longestFillerRun(s string) (at, n int) {
	for i := 0; i < len(s); {
		if s[i] != '<' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '<' {
			j++
		}
		if j-i > n {
			at, n = i, j-i
		}
		i = j
	}
	return at, n
}

// Character classes OCR confuses in OCR-B.
var (
	toDigit = map[byte]byte{'O': '0', 'Q': '0', 'D': '0', 'U': '0', 'I': '1', 'L': '1', 'J': '1',
		'Z': '2', 'S': '5', 'G': '6', 'B': '8', 'A': '4', 'T': '7'}
	toAlpha = map[byte]byte{'0': 'O', '1': 'I', '2': 'Z', '3': 'E', '4': 'A', '5': 'S', '6': 'G',
		'7': 'T', '8': 'B'}
	toSex = map[byte]byte{'H': 'M', 'N': 'M', 'E': 'F', 'P': 'F'}
	// twins are the readings tried in letter-or-digit positions. G and 6
	// are not among them: their values (16 and 6) are equal modulo 10, so
	// no check digit can tell them apart.
	twins = map[byte][]byte{'0': {'O'}, 'O': {'0'}, 'D': {'0'}, 'Q': {'0', 'O'}, '1': {'I'}, 'I': {'1'},
		'2': {'Z'}, 'Z': {'2'}, '5': {'S'}, 'S': {'5'}, '8': {'B'}, 'B': {'8'}}
	// fillerMisreads are letters OCR returns for an isolated filler.
	fillerMisreads = map[byte]bool{'K': true, 'C': true, 'E': true, 'L': true, 'X': true, 'Z': true}
)

// repairer edits the lines of one candidate.
type repairer struct {
	l       *layout
	b       [][]byte
	class   [][]class
	repairs []Correction
}

func (rp *repairer) set(line, pos int, to byte, reason string) {
	from := rp.b[line][pos]
	if from == to {
		return
	}
	rp.b[line][pos] = to
	rp.repairs = append(rp.repairs, Correction{Line: line, Pos: pos, From: string(from), To: string(to), Reason: reason})
}

func (rp *repairer) lines() []string {
	out := make([]string, len(rp.b))
	for i, b := range rp.b {
		out[i] = string(b)
	}
	return out
}

// repairLayout repairs lines of exactly l's lengths.
func repairLayout(l *layout, lines []string, opts Options) *Result {
	rp := &repairer{l: l, b: make([][]byte, len(lines)), class: make([][]class, len(lines))}
	for i, s := range lines {
		rp.b[i] = []byte(s)
		rp.class[i] = make([]class, len(s))
	}
	for _, fs := range l.fields {
		for p := fs.start; p < fs.end; p++ {
			rp.class[fs.line][p] = fs.class
		}
	}

	// 1. Positions whose class decides the character.
	for _, fs := range l.fields {
		for p := fs.start; p < fs.end; p++ {
			c := rp.b[fs.line][p]
			switch fs.class {
			case classDigit:
				if to, ok := toDigit[c]; ok {
					rp.set(fs.line, p, to, "digit")
				}
			case classAlpha:
				if to, ok := toAlpha[c]; ok {
					rp.set(fs.line, p, to, "letter")
				}
			case classSex:
				if to, ok := toSex[c]; ok {
					rp.set(fs.line, p, to, "letter")
				}
			case classFiller:
				if c != '<' {
					rp.set(fs.line, p, '<', "filler")
				}
			}
		}
		switch fs.name {
		case FieldName, FieldSurname, FieldGivenNames, FieldOptionalData, FieldOptionalData2:
			rp.clearFillerRun(fs)
		}
	}

	// 2. Letter-or-digit positions, settled by the check digits. All
	// checks must pass together: a field check alone would also "pass" after
	// a wrong swap when it is its own digit that was misread, one time in
	// ten per candidate; the composite, which covers that digit, catches it.
	// Two swaps inside one field that both pass cannot be told apart (the
	// composite weighs a field as its own check does) and are left alone.
	checks := rp.checks()
	covered := map[[2]int]bool{}
	var pos [][2]int
	failing, compositeFails := false, false
	for _, c := range checks {
		if c.field == FieldComposite {
			compositeFails = !rp.pass(c)
			continue
		}
		// The digit of an overflowing number sits in optional data.
		if rp.class[c.digit.line][c.digit.start] == classAlnum {
			if to, ok := toDigit[rp.b[c.digit.line][c.digit.start]]; ok {
				rp.set(c.digit.line, c.digit.start, to, "digit")
			}
		}
		amb := rp.ambiguous(c.data)
		for _, p := range amb {
			covered[p] = true
		}
		if !rp.pass(c) {
			failing = true
			pos = append(pos, amb...)
		}
	}
	if compositeFails && !failing {
		// Only the composite fails: the error is in data no other check
		// covers (TD1 and TD2 optional data).
		for _, c := range checks {
			if c.field != FieldComposite {
				continue
			}
			for _, p := range rp.ambiguous(c.data) {
				if !covered[p] {
					pos = append(pos, p)
				}
			}
		}
	}
	if len(pos) > 0 {
		rp.resolve(pos, func() bool {
			for _, c := range checks {
				if !rp.pass(c) {
					return false
				}
			}
			return true
		})
	}

	r := parseLayout(l, rp.lines(), opts)
	r.Repairs = rp.repairs
	return r
}

// checks returns the layout's checks, with the document number check moved
// when the number overflows into the optional data.
func (rp *repairer) checks() []checkSpec {
	out := append([]checkSpec(nil), rp.l.checks...)
	if ov, ok := findOverflow(rp.l, rp.lines()); ok {
		for i := range out {
			if out[i].field == FieldDocumentNumber {
				out[i] = ov.check
			}
		}
	}
	return out
}

func (rp *repairer) pass(c checkSpec) bool {
	get := func(s span) string { return string(rp.b[s.line][s.start:s.end]) }
	digit := rp.b[c.digit.line][c.digit.start]
	if c.field == FieldDocumentNumber && len(c.data) == 2 {
		_, ok := overflowCheckOK(get(c.data[0]), get(c.data[1]), digit)
		return ok
	}
	var data strings.Builder
	for _, s := range c.data {
		data.WriteString(get(s))
	}
	_, ok := checkOK(data.String(), digit)
	return ok
}

// ambiguous lists the letter-or-digit positions in spans that hold a
// character with a twin reading.
func (rp *repairer) ambiguous(spans []span) [][2]int {
	var out [][2]int
	for _, s := range spans {
		for p := s.start; p < s.end; p++ {
			if rp.class[s.line][p] == classAlnum && len(twins[rp.b[s.line][p]]) > 0 {
				out = append(out, [2]int{s.line, p})
			}
		}
	}
	return out
}

// sub is one character substitution.
type sub struct {
	p  [2]int // line, position
	to byte
}

// maxChanges bounds how many characters one resolution may change.
const maxChanges = 3

// resolve looks for the fewest twin substitutions at pos that make ok()
// true. It applies them only when exactly one substitution set of that size
// works, and reports whether it applied one.
func (rp *repairer) resolve(pos [][2]int, ok func() bool) bool {
	var options []sub
	for _, p := range pos {
		for _, to := range twins[rp.b[p[0]][p[1]]] {
			options = append(options, sub{p, to})
		}
	}
	for size := 1; size <= maxChanges && size <= len(pos); size++ {
		var found [][]sub
		var try func(start int, chosen []sub)
		try = func(start int, chosen []sub) {
			if len(found) > 1 {
				return
			}
			if len(chosen) == size {
				saved := make([]byte, len(chosen))
				for i, s := range chosen {
					saved[i] = rp.b[s.p[0]][s.p[1]]
					rp.b[s.p[0]][s.p[1]] = s.to
				}
				if ok() {
					found = append(found, append([]sub(nil), chosen...))
				}
				for i, s := range chosen {
					rp.b[s.p[0]][s.p[1]] = saved[i]
				}
				return
			}
			for i := start; i < len(options); i++ {
				if clash(chosen, options[i].p) {
					continue
				}
				try(i+1, append(chosen, options[i]))
			}
		}
		try(0, nil)
		switch len(found) {
		case 0:
			continue
		case 1:
			for _, s := range found[0] {
				rp.set(s.p[0], s.p[1], s.to, "check_digit")
			}
			return true
		default:
			return false // ambiguous: leave the text as read
		}
	}
	return false
}

func clash(chosen []sub, p [2]int) bool {
	for _, c := range chosen {
		if c.p == p {
			return true
		}
	}
	return false
}

// clearFillerRun turns misread fillers back into fillers once a field's
// text has ended: after three fillers in a row (which no name or number
// contains), a lone K, C, E, L, X or Z among fillers up to the end of the
// field is a filler OCR got wrong. Check digits cannot catch this: K is
// worth 20, the filler 0, the same modulo 10.
func (rp *repairer) clearFillerRun(fs fieldSpec) {
	b := rp.b[fs.line]
	field := string(b[fs.start:fs.end])
	end := strings.Index(field, "<<<")
	if end < 0 {
		return
	}
	tail := field[end:]
	for i := 0; i < len(tail); i++ {
		c := tail[i]
		if c == '<' {
			continue
		}
		isolated := tail[i-1] == '<' && (i+1 == len(tail) || tail[i+1] == '<')
		if !fillerMisreads[c] || !isolated {
			return // real text resumes: leave the field alone
		}
	}
	for i := 0; i < len(tail); i++ {
		if tail[i] != '<' {
			rp.set(fs.line, fs.start+end+i, '<', "filler")
		}
	}
}
