// Package icaoname folds personal names the way ICAO Doc 9303 Part 3
// writes them in a machine-readable zone, so that a name read from an MRZ,
// the visual zone, a barcode or a user's form can be compared: upper case,
// diacritics dropped, the letters ICAO transliterates (Ä, Ø, ß, Þ...) spelt
// out, every non-letter a word break.
//
// It is shared by kya (declared name against the document) and docvalidate
// (coherence between the zones of one document), so both fold alike.
package icaoname

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// letters are the ICAO Doc 9303 Part 3 transliterations of Latin letters
// that are not a base letter plus diacritics (those are handled by
// decomposition), or whose recommended form is not the bare letter.
var letters = strings.NewReplacer(
	"Ä", "AE", "Æ", "AE", "Å", "AA", "Ö", "OE", "Ø", "OE", "Œ", "OE", "Ü", "UE",
	"ß", "SS", "ẞ", "SS", "Þ", "TH", "Ð", "D", "Đ", "D", "Ł", "L", "Ħ", "H",
	"Ŧ", "T", "Ŋ", "N", "Ĳ", "IJ", "Ŀ", "L", "ı", "I",
)

// digraphs undo the transliterations, so that MUELLER (from a passport's
// MRZ), MÜLLER and MULLER compare equal: both sides of a comparison go
// through the same folding, so identical names still match.
var digraphs = strings.NewReplacer("AE", "A", "OE", "O", "UE", "U", "AA", "A")

// Tokens splits a name into upper-case ICAO-transliterated words.
// Apostrophes join (O'Brien → OBRIEN, as in an MRZ); any other non-letter,
// including the MRZ filler '<', separates. latin is false when a letter
// outside A–Z remains (Cyrillic, Greek, CJK...): such names should not be
// compared, since transliterating them is not implemented.
func Tokens(s string) (tokens []string, latin bool) {
	s = strings.ToUpper(s)
	s = letters.Replace(s)
	s = norm.NFD.String(s)
	latin = true
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			tokens = append(tokens, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining mark left by NFD: É → E
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == '‘':
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case unicode.IsLetter(r):
			latin = false
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return tokens, latin
}

// Loose folds each word further, undoing the ICAO digraphs (AE→A, OE→O,
// UE→U, AA→A), for comparisons where MÜLLER, MUELLER and MULLER are the same
// name. It returns a new slice.
func Loose(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = digraphs.Replace(w)
	}
	return out
}
