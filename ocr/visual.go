package ocr

import (
	"image"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/idkit-dev/idkit/mrz"
)

// fold upper-cases s, strips accents (É → E, Ö → O, ° → nothing), turns
// punctuation other than ' into spaces and collapses runs of spaces, so
// keywords match OCR text whatever its diacritics and separators.
func fold(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			b.WriteRune(unicode.ToUpper(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// findWord returns the index of keyword kw in the folded text t on word
// boundaries, or -1.
func findWord(t, kw string) int {
	for off := 0; ; {
		i := strings.Index(t[off:], kw)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(kw)
		if (i == 0 || t[i-1] == ' ') && (end == len(t) || t[end] == ' ') {
			return i
		}
		off = i + 1
	}
}

// visualLine is an OCR line with its folded text.
type visualLine struct {
	Line
	folded string
}

// labelOf returns the field whose caption the line holds and where the
// caption ends in the folded text, or "".
func labelOf(folded string) (field string, end int) {
	best, bestAt, bestLen := "", -1, 0
	for _, lk := range labelKeywords {
		for _, w := range lk.words {
			if i := findWord(folded, w); i >= 0 && (bestAt < 0 || i < bestAt || i == bestAt && len(w) > bestLen) {
				best, bestAt, bestLen = lk.field, i, len(w)
			}
		}
		if best != "" && bestAt == 0 {
			break
		}
	}
	if best == "" {
		return "", 0
	}
	return best, bestAt + bestLen
}

// isCaption reports whether a folded line holds only captions (the
// bilingual "SURNAME NOM" line above a value), so it is not taken for a
// value.
func isCaption(folded string) bool {
	rest := folded
	found := false
	for rest != "" {
		end := 0
		for _, lk := range labelKeywords {
			for _, w := range lk.words {
				if strings.HasPrefix(rest, w) && (len(rest) == len(w) || rest[len(w)] == ' ') && len(w) > end {
					end = len(w)
				}
			}
		}
		if end == 0 {
			break
		}
		found = true
		rest = strings.TrimSpace(rest[end:])
	}
	return found && (rest == "" || len(rest) <= 3 && !strings.ContainsAny(rest, "0123456789"))
}

// fieldsFromVisual picks values by their captions: the text after the
// caption on the same line, else the nearest line below it.
func fieldsFromVisual(doc *Document, lines []Line) {
	vl := make([]visualLine, 0, len(lines))
	for _, l := range lines {
		if f := fold(l.Text); f != "" {
			vl = append(vl, visualLine{Line: l, folded: f})
		}
	}
	for i, l := range vl {
		field, end := labelOf(l.folded)
		if field == "" {
			continue
		}
		value, conf := "", 0.0
		if !isCaption(l.folded) {
			// "DOB 01/31/1980": the value follows on the same line. Take
			// it from the raw text to keep separators that matter (dates).
			value, conf = afterCaption(l.Line, l.folded, end), l.Confidence
		}
		if value == "" {
			if below := lineBelow(vl, i); below != nil {
				value, conf = below.Text, below.Confidence
			}
		}
		value = normalizeVisual(field, value)
		if value == "" {
			continue
		}
		doc.set(field, Field{Value: value, Confidence: conf * confVisualScale, Source: SourceVisual})
	}
}

// afterCaption returns the raw words of l after the caption that ends at
// byte end of its folded text.
func afterCaption(l Line, folded string, end int) string {
	n := len(strings.Fields(folded[:end]))
	words := strings.Fields(l.Text)
	// Folding may split words at punctuation; count folded words per raw
	// word to skip exactly the caption.
	skipped := 0
	for i, w := range words {
		if skipped >= n {
			return strings.TrimSpace(strings.TrimLeft(strings.Join(words[i:], " "), ":/-. "))
		}
		skipped += max(1, len(strings.Fields(fold(w))))
	}
	return ""
}

// lineBelow finds the line right under vl[i]: overlapping it horizontally,
// starting below its bottom within two of its heights.
func lineBelow(vl []visualLine, i int) *visualLine {
	cap := vl[i].Box
	h := max(cap.Dy(), 8)
	var best *visualLine
	bestGap := 1 << 30
	for j := range vl {
		if j == i {
			continue
		}
		b := vl[j].Box
		gap := b.Min.Y - cap.Max.Y
		if gap < -h/3 || gap > 2*h {
			continue
		}
		if !overlapsX(cap, b) || b.Min.X > cap.Min.X+3*h || b.Min.X < cap.Min.X-3*h {
			continue
		}
		if f, _ := labelOf(vl[j].folded); f != "" && isCaption(vl[j].folded) {
			continue
		}
		if gap < bestGap {
			best, bestGap = &vl[j], gap
		}
	}
	return best
}

func overlapsX(a, b image.Rectangle) bool { return a.Min.X < b.Max.X && b.Min.X < a.Max.X }

var (
	reDateDMY   = regexp.MustCompile(`\b(\d{1,2})[ ./-](\d{1,2})[ ./-](\d{4})\b`)
	reDateYMD   = regexp.MustCompile(`\b(\d{4})[ ./-](\d{1,2})[ ./-](\d{1,2})\b`)
	reDateDMonY = regexp.MustCompile(`\b(\d{1,2}) ?([A-Z]{3})[A-Z]*(?: ?/ ?[A-Z]+)? ?(\d{4}|\d{2})\b`)
)

var months = map[string]int{"JAN": 1, "FEB": 2, "FEV": 2, "MAR": 3, "APR": 4, "AVR": 4, "MAY": 5, "MAI": 5, "JUN": 6,
	"JUI": 7, "JUL": 7, "AUG": 8, "AOU": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}

// parseVisualDate reads the printed date forms documents use —
// 12.08.1974, 12/08/1974, 1974-08-12, 12 AUG 1974 — and returns ISO 8601.
// A date printed month first (US licences, 01/31/1980) is recognised when
// the first number cannot be a month.
func parseVisualDate(s string, monthFirst bool) string {
	u := strings.ToUpper(s)
	valid := func(y, m, d int) string {
		if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
			return ""
		}
		if !mrz.NewDate(y, time.Month(m), d).Valid() {
			return ""
		}
		return strconv.Itoa(y) + "-" + pad2(m) + "-" + pad2(d)
	}
	if m := reDateYMD.FindStringSubmatch(u); m != nil {
		return valid(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	if m := reDateDMY.FindStringSubmatch(u); m != nil {
		a, b, y := atoi(m[1]), atoi(m[2]), atoi(m[3])
		if monthFirst && a <= 12 || b > 12 {
			a, b = b, a
		}
		return valid(y, b, a)
	}
	if m := reDateDMonY.FindStringSubmatch(u); m != nil {
		mo, ok := months[m[2]]
		if !ok {
			return ""
		}
		y := atoi(m[3])
		if len(m[3]) == 2 {
			return "" // a two-digit year has no century printed: leave it to the MRZ
		}
		return valid(y, mo, atoi(m[1]))
	}
	return ""
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// normalizeVisual turns a printed value into the field's normal form, or ""
// when it does not look like one.
func normalizeVisual(field, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	switch field {
	case FieldBirthDate, FieldIssueDate, FieldExpiryDate:
		return parseVisualDate(v, false)
	case FieldSex:
		f := fold(v)
		if f == "" {
			return ""
		}
		switch f[0] {
		case 'M', 'H': // male, homme, hombre
			return "M"
		case 'F', 'W': // female, femme, weiblich
			return "F"
		case 'X':
			return "X"
		}
		return ""
	case FieldNationality:
		f := strings.ReplaceAll(fold(v), " ", "")
		if len(f) == 3 {
			if c, ok := mrz.LookupCountry(f); ok {
				return countryCode(c.Code)
			}
		}
		return fold(v)
	case FieldDocumentNumber:
		f := strings.ReplaceAll(fold(v), " ", "")
		if len(f) < 4 {
			return ""
		}
		return f
	}
	return fold(v)
}
