package kya

import (
	"fmt"
	"slices"
	"strings"

	"github.com/idkit-dev/idkit/internal/icaoname"
)

// nameTokens splits a name into ICAO-folded words; latin is false for
// names in other scripts, which are not compared.
func nameTokens(s string) (tokens []string, latin bool) { return icaoname.Tokens(s) }

// nameResult is the outcome of comparing two names.
type nameResult struct {
	status Status
	reason string
}

// partMatch begins the reason of a name of which only part matches:
// every word of the shorter name is in the longer, and the reason counts
// them.
const partMatch = "only part of the name matches"

// compareNames compares a declared name with the document's. The document
// name may be in MRZ form (SURNAME<<GIVEN<NAMES) or "Surname, Given
// Names"; the surname is then known and must be among the declared words,
// and may also be written as one word (VAN<DER<BERG as Vanderberg).
func compareNames(declared, document string) nameResult {
	a, latinA := nameTokens(declared)
	b, latinB := nameTokens(document)
	if len(a) == 0 || len(b) == 0 {
		return nameResult{Skip, "a name has no letters"}
	}
	if !latinA || !latinB {
		return nameResult{Skip, "a name is not in Latin script; transliteration from other scripts is not supported"}
	}
	surname := loose(documentSurname(document))
	la, lb := loose(a), loose(b)
	best := compareTokens(la, lb, surname)
	if len(surname) > 1 && best.status != Pass {
		// The same document name with its surname as one word.
		joined := strings.Join(surname, "")
		if rest, ok := pairWords(surname, lb, exactWord); ok {
			r := compareTokens(la, append([]string{joined}, rest...), []string{joined})
			if r.status == Pass && !strings.Contains(r.reason, "spacing") {
				r.reason = strings.Replace(r.reason, "names match", "names match apart from spacing", 1)
			}
			if rank(r.status) > rank(best.status) {
				best = r
			}
		}
	}
	if best.status != Pass {
		if r, ok := oneSurname(la, lb, surname); ok && rank(r.status) > rank(best.status) {
			best = r
		}
	}
	return best
}

// surnameParticles join a surname's words (DE LA CRUZ, DOS SANTOS, GARCIA
// Y LOPEZ) and are no surname by themselves: a VAN DER BERG has one
// surname, not three.
var surnameParticles = map[string]bool{
	"DE": true, "DEL": true, "LA": true, "LAS": true, "LOS": true, "Y": true, "I": true, "E": true,
	"DA": true, "DAS": true, "DO": true, "DOS": true, "DI": true, "DU": true, "LE": true,
	"VAN": true, "VON": true, "DER": true, "DEN": true, "TER": true, "TEN": true, "ZU": true,
}

// surnameGroups splits surname words into surnames, each with the
// particles before it: DE LA CRUZ GARCIA is [DE LA CRUZ] [GARCIA].
// Particles at the end join the last surname.
func surnameGroups(sur []string) [][]string {
	var groups [][]string
	start, last := 0, 0
	for i, w := range sur {
		if !surnameParticles[w] {
			groups = append(groups, sur[start:i+1])
			last, start = start, i+1
		}
	}
	if n := len(groups); n > 0 && start < len(sur) {
		groups[n-1] = sur[last:]
	}
	return groups
}

// oneSurname compares the declared name with the document's name cut down
// to its first or its last surname, when the document marks two or more:
// GARCIA<LOPEZ<<MARIA is Maria Garcia in everyday Spanish use (the first,
// paternal surname) and, in Portuguese and Brazilian use, where the
// everyday surname comes last, SILVA<SANTOS<<JOAO is Joao Santos. Such a
// name passes, as a missing middle name does: it is how these holders
// write their names, every declared word is on the document, and a warn
// would cost every Spanish, Portuguese and Latin American holder part of
// the profile score for writing their name the usual way. The name check
// cannot tell the naming culture (the document's country is no guide: a
// Brazilian may hold a Spanish residence permit), so either end passes; a
// surname in the middle (the second of three) does not. The reason says
// which surname was left out, for a reviewer, and counts words against
// the whole document name: Garcia for GARCIA<LOPEZ<<MARIA is 1 of its 3
// words, not 1 of the 2 of the cut-down name. Words the document does not
// have (Maria Fernandez, or Maria Garcia Fernandez) never pass this way.
func oneSurname(la, lb, lsur []string) (nameResult, bool) {
	groups := surnameGroups(lsur)
	if len(groups) < 2 || len(lb) < len(lsur) || !slices.Equal(lb[:len(lsur)], lsur) {
		return nameResult{}, false
	}
	given := lb[len(lsur):]
	var best nameResult
	found := false
	for i, g := range [][]string{groups[0], groups[len(groups)-1]} {
		which := "first"
		if i == 1 {
			which = "last"
		}
		// The surname with its particles (Maria de la Cruz) or without
		// them (Maria Cruz).
		bare := slices.DeleteFunc(slices.Clone(g), func(w string) bool { return surnameParticles[w] })
		for _, kept := range [][]string{g, bare} {
			doc := append(slices.Clone(kept), given...)
			if !matchAll(la, doc, nearWord) {
				continue // a declared word the document does not have
			}
			r := compareTokens(la, doc, kept)
			if r.status == Fail || r.status == Skip || found && rank(r.status) <= rank(best.status) {
				continue
			}
			if strings.HasPrefix(r.reason, partMatch) {
				// Every declared word is on the document (matchAll
				// above), so the declared name is the shorter.
				r.reason = fmt.Sprintf("%s (%d of the document's %d words)", partMatch, len(la), len(lb))
			}
			r.reason += fmt.Sprintf("; the declared name has only the %s of the document's %d surnames", which, len(groups))
			best, found = r, true
		}
	}
	return best, found
}

func rank(s Status) int {
	switch s {
	case Pass:
		return 3
	case Warn:
		return 2
	case Fail:
		return 1
	}
	return 0
}

// compareTokens compares loose-folded words; surname lists the document's
// surname words when known.
func compareTokens(la, lb, lsur []string) nameResult {
	if sameMultiset(la, lb) {
		if slices.Equal(la, lb) {
			return nameResult{Pass, "names match"}
		}
		return nameResult{Pass, "names match, in a different order"}
	}
	if strings.Join(la, "") == strings.Join(lb, "") {
		return nameResult{Pass, "names match apart from spacing"}
	}
	if missing, ok := missingMiddle(la, lb, lsur, exactWord); ok {
		if extraSurnameWord(la, lb, lsur, exactWord) {
			return nameResult{Warn, "names match but for a declared word after the surname that the document does not have"}
		}
		return nameResult{Pass, fmt.Sprintf("names match; %s missing on one side", plural(len(missing), "middle name"))}
	}
	// One wrong letter in a long enough word: a typo or an OCR error.
	if sameLength(la, lb) && matchAll(la, lb, nearWord) {
		return nameResult{Warn, "names nearly match: a letter differs"}
	}
	if _, ok := missingMiddle(la, lb, lsur, nearWord); ok {
		if extraSurnameWord(la, lb, lsur, nearWord) {
			return nameResult{Warn, "names nearly match: a letter differs and a declared word after the surname is not on the document"}
		}
		return nameResult{Warn, "names nearly match: a letter differs and a middle name is missing"}
	}
	short, long := la, lb
	if len(short) > len(long) {
		short, long = long, short
	}
	if matchAll(short, long, exactWord) {
		if len(lsur) > 0 && !matchAll(lsur, la, exactWord) {
			return nameResult{Fail, "the declared name lacks the surname on the document"}
		}
		return nameResult{Warn, fmt.Sprintf("%s (%d of %d words)", partMatch, len(short), len(long))}
	}
	return nameResult{Fail, "the declared name does not match the name on the document"}
}

// extraSurnameWord reports whether the declared name la has a word the
// document lb lacks right after the document's surname (Anna Eriksson
// Smith for ERIKSSON<<ANNA), where missingMiddle took it for a missing
// middle name. It is not one. A declared word the document lacks is a
// middle name when it sits among the given names: Anna Maria Eriksson for
// ERIKSSON<<ANNA, or Eriksson Anna Maria written surname first; documents
// do leave out names people use (a confirmation name, a name the MRZ cut),
// and such a declared name passes. A word after the surname stands where
// a second surname stands: a married or double-barrelled name not yet on
// the document, or another person's surname. The surname is what the
// document most proves, so a KYC check cannot pass a surname it does not
// show; nor does it fail one, for nothing on the document contradicts it
// and married names in everyday use are common. It warns (half the
// factor's point, and a reviewer sees the reason), as it already does
// when the document marks no surname, since the declared name's last word
// must then be on the document (Anna Eriksson Smith for "Anna Eriksson" is
// only part of the name). A word that replaces a surname of
// the document (Maria Garcia Fernandez for GARCIA<LOPEZ<<MARIA) is
// another name and still fails.
//
// A declared word belongs to the surname side when the nearest word
// before it that the document has is one of the document's surname words.
// lsur is empty when the document marks no surname: nothing is then
// known about which declared word is a surname.
//
// A known limitation: an unknown surname written before the document's
// surname passes as a missing middle name. Maria Fernandez Garcia for
// GARCIA<<MARIA reads as Anna Maria Eriksson for ERIKSSON<<ANNA: a given
// name the document has, a word it lacks, then its surname. The two are
// the same in every respect the check sees (position, the words the
// document has, the surname it marks); only knowing that Fernandez is a
// surname and Maria a given name would tell them apart, and a list of
// names by kind is neither complete nor free of names that are both
// (Jordan, Morgan, Santiago). Warning on the first would warn on every
// middle name a document leaves out, which is common, so it passes; the
// check's details give both names, for a reviewer.
func extraSurnameWord(la, lb, lsur []string, eq func(a, b string) bool) bool {
	if len(lsur) == 0 || len(la) <= len(lb) {
		return false
	}
	paired, ok := pairIndex(lb, la, eq)
	if !ok {
		return false
	}
	isSurname := func(w string) bool { return slices.ContainsFunc(lsur, func(s string) bool { return eq(s, w) }) }
	// A word before any the document has stands where a name written
	// surname first has its surname (missingMiddle refuses it anyway, as
	// a first given name left out).
	afterSurname := true
	for i, w := range la {
		if !paired[i] {
			if afterSurname {
				return true
			}
			continue
		}
		afterSurname = isSurname(w)
	}
	return false
}

// documentSurname returns the surname words when the document name marks
// them: before "<<" in an MRZ, or before a comma.
func documentSurname(s string) []string {
	for _, sep := range []string{"<<", ","} {
		if i := strings.Index(s, sep); i > 0 {
			t, _ := nameTokens(s[:i])
			return t
		}
	}
	return nil
}

func loose(words []string) []string { return icaoname.Loose(words) }

func sameMultiset(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

func sameLength(a, b []string) bool { return len(a) == len(b) }

func exactWord(a, b string) bool { return a == b }

// nearWord allows one edit in words of five letters or more; shorter
// words differ too much with one letter (ANA/ANN/IAN).
func nearWord(a, b string) bool {
	if a == b {
		return true
	}
	if min(len(a), len(b)) < 5 {
		return false
	}
	return editDistanceAtMostOne(a, b)
}

// matchAll reports whether every word of short can be paired with a
// distinct word of long by eq (greedy; exact pairs first).
func matchAll(short, long []string, eq func(a, b string) bool) bool {
	_, ok := pairWords(short, long, eq)
	return ok
}

// pairWords pairs each word of short with a distinct word of long and
// returns the words of long left unpaired. Exact pairs are made first, so
// that a near pair cannot take a word another word equals.
func pairWords(short, long []string, eq func(a, b string) bool) (rest []string, ok bool) {
	used, ok := pairIndex(short, long, eq)
	if !ok {
		return nil, false
	}
	for i, x := range long {
		if !used[i] {
			rest = append(rest, x)
		}
	}
	return rest, true
}

// pairIndex pairs words as pairWords does and reports which positions of
// long were paired.
func pairIndex(short, long []string, eq func(a, b string) bool) (used []bool, ok bool) {
	free := map[string][]int{} // unpaired positions of each word of long
	for i, w := range long {
		free[w] = append(free[w], i)
	}
	used = make([]bool, len(long))
	var pending []string
	for _, w := range short {
		if idx := free[w]; len(idx) > 0 {
			used[idx[0]] = true
			free[w] = idx[1:]
		} else {
			pending = append(pending, w)
		}
	}
	for _, w := range pending {
		found := false
		for i, x := range long {
			if !used[i] && eq(w, x) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return used, true
}

// missingMiddle accepts names that differ only by one or two middle names:
// the shorter has at least two words, all paired in the longer, and the
// unpaired words are neither the longer name's first nor last word, nor
// part of the document's surname when it is known. (So an unknown surname
// written before the document's passes as a middle name: Maria Fernandez
// Garcia for GARCIA<<MARIA, a known limitation; see extraSurnameWord.)
func missingMiddle(a, b, surname []string, eq func(a, b string) bool) ([]string, bool) {
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) < 2 || len(long)-len(short) > 2 || len(long) == len(short) {
		return nil, false
	}
	rest, ok := pairWords(short, long, eq)
	if !ok {
		return nil, false
	}
	for _, w := range rest {
		if slices.Contains(surname, w) {
			return nil, false
		}
	}
	if len(surname) == 0 { // without a marked surname, the ends must be present
		if slices.Contains(rest, long[0]) || slices.Contains(rest, long[len(long)-1]) {
			return nil, false
		}
	} else {
		if !matchAll(surname, short, eq) {
			return nil, false
		}
		// Nor may the first given name be the one left out: "Maria
		// Eriksson" for ERIKSSON<<ANNA<MARIA is "only part of the name",
		// as it is when the surname is not marked.
		for _, w := range long {
			if !slices.ContainsFunc(surname, func(s string) bool { return eq(s, w) }) {
				if slices.Contains(rest, w) {
					return nil, false
				}
				break
			}
		}
	}
	return rest, true
}

func editDistanceAtMostOne(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true // equal, or b is a with one more letter at the end
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}

func plural(n int, word string) string {
	if n == 1 {
		return "a " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
