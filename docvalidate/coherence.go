package docvalidate

import (
	"fmt"
	"strings"

	"github.com/idkit-dev/idkit/internal/icaoname"
	"github.com/idkit-dev/idkit/mrz"
)

// CheckCoherencePrefix starts the names of the checks that compare two
// zones: "coherence_mrz_visual", "coherence_mrz_barcode",
// "coherence_visual_barcode".
const CheckCoherencePrefix = "coherence_"

// fieldMatch is the outcome of comparing one field across two zones.
type fieldMatch struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Result string `json:"result"` // match, near, mismatch, misread, not_compared
	Note   string `json:"note,omitempty"`
}

// Field comparison results.
const (
	matchSame    = "match"
	matchNear    = "near"     // a letter off: a misreading more likely than a forgery
	matchDiffers = "mismatch" // the zones disagree
	matchMisread = "misread"  // they disagree, but the reader doubted one side
	matchNone    = "not_compared"
)

// comparedFields are compared between zones, in report order; "name" is
// the surname and given names.
var comparedFields = []string{"name", "document_number", "birth_date", "expiry_date", "issue_date", "sex",
	"nationality", "issuing_country"}

func coherenceChecks(z *zones, minConf float64) []Check {
	pairs := []struct{ a, b Zone }{{ZoneMRZ, ZoneVisual}, {ZoneMRZ, ZoneBarcode}, {ZoneVisual, ZoneBarcode}}
	byZone := map[Zone]*Fields{ZoneMRZ: z.mrz, ZoneVisual: z.visual, ZoneBarcode: z.barcode}
	truncated := z.mrzRes != nil && z.mrzRes.NameTruncated
	var out []Check
	for _, p := range pairs {
		c := Check{Name: fmt.Sprintf("%s%s_%s", CheckCoherencePrefix, p.a, p.b)}
		a, b := byZone[p.a], byZone[p.b]
		switch {
		case a == nil && b == nil:
			c.Status, c.Reason = Skip, fmt.Sprintf("neither the %s nor the %s was read", p.a, p.b)
		case a == nil:
			c.Status, c.Reason = Skip, fmt.Sprintf("no %s was read", p.a)
		case b == nil:
			c.Status, c.Reason = Skip, fmt.Sprintf("no %s was read", p.b)
		default:
			c = compareZones(c.Name, p.a, p.b, a, b, truncated && p.a == ZoneMRZ, minConf)
		}
		out = append(out, c)
	}
	return out
}

func compareZones(name string, za, zb Zone, a, b *Fields, aTruncated bool, minConf float64) Check {
	c := Check{Name: name}
	details := map[string]fieldMatch{}
	var agree, differ, doubt []string
	for _, f := range comparedFields {
		var m fieldMatch
		if f == "name" {
			m = compareName(a, b, aTruncated)
		} else {
			m = compareField(f, a.get(f), b.get(f))
		}
		if m.Result == matchDiffers {
			conf := min(a.confidence(f), b.confidence(f))
			if f == "name" {
				conf = min(a.confidence("surname"), b.confidence("surname"), a.confidence("given_names"), b.confidence("given_names"))
			}
			if conf < minConf {
				m.Result = matchMisread
				m.Note = fmt.Sprintf("reader confidence %.2f < %.2f", conf, minConf)
			}
		}
		if m.Result == matchNone && m.A == "" && m.B == "" {
			continue
		}
		details[f] = m
		switch m.Result {
		case matchSame:
			agree = append(agree, label(f))
		case matchDiffers:
			differ = append(differ, fmt.Sprintf("%s %q vs %q", label(f), m.A, m.B))
		case matchNear, matchMisread:
			doubt = append(doubt, fmt.Sprintf("%s %q vs %q (%s)", label(f), m.A, m.B, orDefault(m.Note, "one character differs")))
		}
	}
	if len(details) > 0 {
		c.Details = map[string]any{"fields": details}
	}
	switch {
	case len(differ) > 0:
		c.Status = Fail
		c.Reason = fmt.Sprintf("the %s and the %s disagree: %s", za, zb, strings.Join(differ, "; "))
	case len(doubt) > 0:
		c.Status = Warn
		c.Reason = fmt.Sprintf("the %s and the %s nearly agree: %s", za, zb, strings.Join(doubt, "; "))
	case len(agree) > 0:
		c.Status = Pass
		c.Reason = fmt.Sprintf("the %s and the %s agree on %s", za, zb, strings.Join(agree, ", "))
	default:
		c.Status = Skip
		c.Reason = fmt.Sprintf("the %s and the %s have no field in common", za, zb)
	}
	return c
}

// compareField compares a field other than the name.
func compareField(f, a, b string) fieldMatch {
	m := fieldMatch{A: a, B: b, Result: matchNone}
	if a == "" || b == "" {
		return m
	}
	switch f {
	case "document_number":
		na, nb := normNumber(a), normNumber(b)
		switch {
		case na == nb:
			m.Result = matchSame
		case unconfuse(na) == unconfuse(nb):
			m.Result, m.Note = matchNear, "letters and digits that look alike (O/0, I/1...)"
		default:
			m.Result = matchDiffers
		}
	case "birth_date", "expiry_date", "issue_date":
		da, errA := mrz.ParseISODate(a)
		db, errB := mrz.ParseISODate(b)
		if errA != nil || errB != nil {
			m.Note = "not a date on both sides"
			return m
		}
		if sameDate(da, db) {
			m.Result = matchSame
		} else {
			m.Result = matchDiffers
		}
	case "sex":
		sa, sb := normSex(a), normSex(b)
		if sa == "X" || sb == "X" {
			m.Note = "unspecified on one side"
			return m
		}
		m.Result = matchDiffers
		if sa == sb {
			m.Result = matchSame
		}
	case "nationality", "issuing_country":
		ca, okA := alpha3(a)
		cb, okB := alpha3(b)
		if !okA {
			ca = strings.ToUpper(a)
		}
		if !okB {
			cb = strings.ToUpper(b)
		}
		m.Result = matchDiffers
		if ca == cb {
			m.Result = matchSame
		}
	}
	return m
}

// sameDate compares the parts both dates know: an MRZ may leave the day of
// birth unknown where the visual zone prints it.
func sameDate(a, b mrz.Date) bool {
	if a.Year != b.Year {
		return false
	}
	if a.Month == 0 || b.Month == 0 {
		return true
	}
	if a.Month != b.Month {
		return false
	}
	return a.Day == 0 || b.Day == 0 || a.Day == b.Day
}

func normSex(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "<" || s == "" {
		return "X"
	}
	return s
}

// unconfuse maps the characters OCR confuses to one representative, to
// tell a misreading from a different number.
var unconfuse = strings.NewReplacer("O", "0", "Q", "0", "D", "0", "I", "1", "L", "1", "Z", "2", "S", "5", "B", "8", "G", "6").Replace

// compareName compares surname and given names separately, ICAO-folded on
// both sides, so that MÜLLER, MUELLER and MULLER agree. aTruncated allows a's
// name to be a cut version of b's, as an MRZ marks when a name is too long
// for its field.
func compareName(a, b *Fields, aTruncated bool) fieldMatch {
	sa, sb := strings.TrimSpace(a.Surname), strings.TrimSpace(b.Surname)
	ga, gb := strings.TrimSpace(a.GivenNames), strings.TrimSpace(b.GivenNames)
	m := fieldMatch{A: joinName(sa, ga), B: joinName(sb, gb), Result: matchNone}
	if m.A == "" || m.B == "" {
		return m
	}
	if sa == "" || sb == "" {
		m.Note = "no surname on one side"
		return m
	}
	surA, latinA := icaoname.Tokens(sa)
	surB, latinB := icaoname.Tokens(sb)
	givA, latinGA := icaoname.Tokens(ga)
	givB, latinGB := icaoname.Tokens(gb)
	if !latinA || !latinB || !latinGA || !latinGB {
		m.Note = "a name is not in Latin script; transliteration from other scripts is not supported"
		return m
	}
	// A truncated MRZ name may end in the middle of either part.
	surname := wordsMatch(surA, surB, aTruncated && len(givA) == 0)
	// Given names missing on one side are not compared: people without
	// one exist, and a reader may miss the line.
	given := matchSame
	if len(givA) > 0 && len(givB) > 0 {
		given = wordsMatch(givA, givB, aTruncated)
	}
	switch {
	case surname == matchDiffers || given == matchDiffers:
		m.Result = matchDiffers
	case surname == matchNear || given == matchNear:
		m.Result, m.Note = matchNear, "a letter differs"
	default:
		m.Result = matchSame
		if aTruncated {
			m.Note = "MRZ name truncated"
		}
	}
	return m
}

func joinName(surname, given string) string {
	if given == "" {
		return surname
	}
	if surname == "" {
		return given
	}
	return surname + ", " + given
}

// wordsMatch compares two folded names as one string, ignoring spaces and
// hyphens: VAN DER BERG and VANDERBERG agree.
func wordsMatch(a, b []string, aPrefix bool) string {
	ja := strings.Join(icaoname.Loose(a), "")
	jb := strings.Join(icaoname.Loose(b), "")
	switch {
	case ja == jb:
		return matchSame
	case aPrefix && len(ja) > 0 && strings.HasPrefix(jb, ja):
		return matchSame
	case len(ja) >= 5 && len(jb) >= 5 && withinOneEdit(ja, jb):
		return matchNear
	}
	return matchDiffers
}

// withinOneEdit reports whether a becomes b by at most one insertion,
// deletion or substitution.
func withinOneEdit(a, b string) bool {
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
	if len(a) == len(b) {
		return i == len(a) || a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}
