package ocr

import (
	"image"
	"regexp"
	"sort"
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

// stripAccents removes combining marks (Û → U), keeping everything else.
func stripAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
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

// labelOf finds the captions in a folded line: the field of the first one
// and the text after the last one (captions are often bilingual, "DATE OF
// BIRTH DATE DE NAISSANCE", and OCR may lose their first letters). field is
// "" when the line holds no caption.
func labelOf(folded string) (field, rest string) {
	first, last := -1, -1
	for _, lk := range labelKeywords {
		for _, w := range lk.words {
			for off := 0; off < len(folded); {
				i := findWord(folded[off:], w)
				if i < 0 {
					break
				}
				i += off
				if first < 0 || i < first {
					first, field = i, lk.field
				}
				last = max(last, i+len(w))
				off = i + len(w)
			}
		}
	}
	if field == "" {
		return "", ""
	}
	return field, strings.TrimSpace(folded[last:])
}

// isCaption reports whether a folded line holds only captions, so it is
// neither a value nor has one.
func isCaption(folded string) bool {
	f, rest := labelOf(folded)
	return f != "" && (rest == "" || len(rest) <= 2 && !strings.ContainsAny(rest, "0123456789"))
}

// fieldsFromVisual picks values by their captions: the text after the
// caption on the same line ("DOB 01/31/1980"), else the nearest line below
// it; then dates the captions missed by their order.
func fieldsFromVisual(doc *Document, lines []Line, now time.Time) {
	vl := make([]visualLine, 0, len(lines))
	for _, l := range lines {
		if f := fold(l.Text); f != "" {
			vl = append(vl, visualLine{Line: l, folded: f})
		}
	}
	for i, l := range vl {
		field, rest := labelOf(l.folded)
		if field == "" {
			continue
		}
		value, conf := "", 0.0
		if !isCaption(l.folded) {
			value, conf = rest, l.Confidence
		} else if below := lineBelow(vl, i); below != nil {
			value, conf = below.Text, below.Confidence
		}
		value = NormalizeVisual(field, value)
		if value == "" {
			continue
		}
		doc.set(field, Field{Value: value, Confidence: conf * confVisualScale, Source: SourceVisual})
	}
	dropImpossibleDates(doc, now)
	datesByOrder(doc, vl, now)
}

// dropImpossibleDates removes visual dates that contradict each other or
// the calendar (an issue date in the future, an expiry before the issue):
// a caption matched to the wrong value.
func dropImpossibleDates(doc *Document, now time.Time) {
	today := now.Format(time.DateOnly)
	visual := doc.Zones[SourceVisual]
	// Each visual date is judged against the best value of the others,
	// whichever zone gave it.
	birth, issue, expiry := doc.Value(FieldBirthDate), doc.Value(FieldIssueDate), doc.Value(FieldExpiryDate)
	if v := visual[FieldBirthDate].Value; v != "" && (v > today || issue != "" && v >= issue || expiry != "" && v >= expiry) {
		doc.drop(FieldBirthDate, SourceVisual)
	}
	if v := visual[FieldIssueDate].Value; v != "" && (v > today || birth != "" && v <= birth || expiry != "" && v >= expiry) {
		doc.drop(FieldIssueDate, SourceVisual)
	}
	if v := visual[FieldExpiryDate].Value; v != "" && (birth != "" && v <= birth || issue != "" && v <= issue) {
		doc.drop(FieldExpiryDate, SourceVisual)
	}
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
		// OCR often loses a caption's first letters, so the value may start
		// well left of what remains of it.
		if !overlapsX(cap, b) || b.Min.X > cap.Min.X+3*h || b.Min.X < cap.Min.X-6*h {
			continue
		}
		if isCaption(vl[j].folded) {
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
	reDateDMY   = regexp.MustCompile(`\b(\d{1,2}) ?[ ./,-] ?(\d{1,2}) ?[ ./,-] ?(\d{4})\b`)
	reDateYMD   = regexp.MustCompile(`\b(\d{4}) ?[ ./,-] ?(\d{1,2}) ?[ ./,-] ?(\d{1,2})\b`)
	reDateDMonY = regexp.MustCompile(`\b(\d{1,2}) ?([A-Z]{3})[A-Z]*(?: ?/ ?[A-Z]+)? ?(\d{4}|\d{2})\b`)
)

var months = map[string]int{"JAN": 1, "FEB": 2, "FEV": 2, "MAR": 3, "APR": 4, "AVR": 4, "MAY": 5, "MAI": 5, "JUN": 6,
	"JUI": 7, "JUL": 7, "AUG": 8, "AOU": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}

// parseVisualDate reads the printed date forms documents use —
// 12.08.1974, 12/08/1974, 1974-08-12, 12 AUG 1974 — and returns ISO 8601.
// A date printed month first (US licences, 01/31/1980) is recognised when
// the first number cannot be a month.
func parseVisualDate(s string, monthFirst bool) string {
	u := strings.ToUpper(stripAccents(s))
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

// NormalizeVisual turns a value printed in a document's visual zone into
// the normal form the Reader gives that field (Document.Fields and
// Document.Zones), or "" when it does not look like one: names and other
// text upper-cased with accents stripped, dates ISO 8601, sex M/F/X,
// nationality a country code.
func NormalizeVisual(field, v string) string {
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
		f := strings.ReplaceAll(fold(strings.ReplaceAll(v, "<", " ")), " ", "")
		if len(f) >= 1 && len(f) <= 3 {
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

// datesByOrder fills the dates captions did not give from the order of the
// dates printed: a birth date is the earliest and in the past, an expiry
// date the latest, an issue date lies between them and in the past.
// Captions are small and often misread; the dates themselves are large.
func datesByOrder(doc *Document, vl []visualLine, now time.Time) {
	type dated struct {
		iso  string
		conf float64
	}
	seen := map[string]bool{}
	var ds []dated
	for _, l := range vl {
		if f, _ := labelOf(l.folded); f != "" {
			continue // a captioned date belongs to its caption's field
		}
		if iso := parseVisualDate(l.Text, false); iso != "" && !seen[iso] {
			seen[iso] = true
			ds = append(ds, dated{iso, l.Confidence})
		}
	}
	if len(ds) == 0 {
		return
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].iso < ds[j].iso })
	today := now.Format(time.DateOnly)
	taken := map[string]bool{}
	for _, name := range []string{FieldBirthDate, FieldIssueDate, FieldExpiryDate} {
		if v := doc.Value(name); v != "" {
			taken[v] = true
		}
	}
	put := func(name string, d dated) {
		if doc.Value(name) != "" || taken[d.iso] {
			return
		}
		doc.set(name, Field{Value: d.iso, Confidence: d.conf * confVisualScale * 0.7, Source: SourceVisual})
		taken[d.iso] = true
	}
	if first := ds[0]; first.iso < today {
		put(FieldBirthDate, first)
	}
	if len(ds) >= 2 {
		put(FieldExpiryDate, ds[len(ds)-1])
	}
	birth, expiry := doc.Value(FieldBirthDate), doc.Value(FieldExpiryDate)
	for _, d := range ds {
		if d.iso > birth && d.iso <= today && (expiry == "" || d.iso < expiry) {
			put(FieldIssueDate, d)
		}
	}
}
