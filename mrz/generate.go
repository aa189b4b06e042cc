package mrz

import (
	"fmt"
	"strings"
	"unicode"
)

// Generate writes the MRZ lines for f. Names and other text are upper-cased
// and transliterated (Ä→AE, ß→SS, É→E... as ICAO 9303-3 recommends); spaces,
// hyphens and commas become fillers and apostrophes are dropped. A name too
// long for its field is cut at the end, as the ICAO truncation rule allows
// for the last given names. A TD1 or TD2 document number longer than nine
// characters continues in the optional data (the overflow rule). All check
// digits are computed. Generate returns ErrFormat for an unknown format and
// ErrField for a value that cannot be written.
//
// For the national layouts, Extra supplies what ICAO fields do not:
// FieldAdministrativeCode for the French ID card, whose DocumentNumber is
// the 12-character card number (issue month, office and sequence; with a
// 5-character sequence instead, FieldIssueMonth "2017-10" and
// FieldIssuingOffice come from Extra); FieldPIN and FieldVersion for the
// Swiss licence, whose DocumentNumber is the 7 characters of line 1.
func Generate(fl Fields) ([]string, error) {
	l := layoutFor(fl.Format)
	if l == nil {
		return nil, fmt.Errorf("%w: %q", ErrFormat, fl.Format)
	}
	lines := make([][]byte, len(l.lengths))
	for i, n := range l.lengths {
		lines[i] = []byte(strings.Repeat("<", n))
	}
	put := func(s span, v string) { copy(lines[s.line][s.start:s.end], v) }

	overflowed := false
	for _, fs := range l.fields {
		v, err := fieldValue(fl, l, fs)
		if err != nil {
			return nil, err
		}
		width := fs.end - fs.start
		if fs.name == FieldDocumentNumber && len(v) > width {
			if !l.overflow {
				return nil, fmt.Errorf("%w: document number %q longer than %d", ErrField, v, width)
			}
			opt := optionalSpec(l)
			cd, err := CheckDigit(v)
			if err != nil {
				return nil, fmt.Errorf("%w: document number: %v", ErrField, err)
			}
			rest := v[width:] + string(rune('0'+cd))
			if o := encodeLoose(fl.OptionalData); o != "" {
				rest += "<" + o
			}
			if len(rest) > opt.end-opt.start {
				return nil, fmt.Errorf("%w: document number %q and optional data do not fit", ErrField, v)
			}
			put(fs.span, v[:width])
			put(opt.span, rest)
			overflowed = true
			continue
		}
		if overflowed && fs.name == FieldOptionalData {
			continue
		}
		if len(v) > width {
			if fs.name != FieldName && fs.name != FieldSurname && fs.name != FieldGivenNames {
				return nil, fmt.Errorf("%w: %s %q longer than %d", ErrField, fs.name, v, width)
			}
			v = v[:width] // names: cut the end
		}
		if bad := badChars(v, fs.class); bad != "" {
			return nil, fmt.Errorf("%w: %s: %q not allowed", ErrField, fs.name, bad)
		}
		put(fs.span, v)
	}

	for _, c := range l.checks {
		if overflowed && c.field == FieldDocumentNumber {
			continue // written with the overflow above
		}
		var data strings.Builder
		for _, s := range c.data {
			data.Write(lines[s.line][s.start:s.end])
		}
		d := data.String()
		cd, err := CheckDigit(d)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrField, c.field, err)
		}
		digit := byte('0' + cd)
		if c.field == FieldOptionalData && allFiller(d) {
			digit = '<' // ICAO: an unused optional field may have a filler check
		}
		lines[c.digit.line][c.digit.start] = digit
	}

	out := make([]string, len(lines))
	for i, b := range lines {
		out[i] = string(b)
	}
	if detect(out) != l {
		// The document code decides between layouts of the same size: a
		// TD3 line starting with V would be read as a visa.
		return nil, fmt.Errorf("%w: document code %q does not belong in %s", ErrField, fl.DocumentCode, fl.Format)
	}
	return out, nil
}

func optionalSpec(l *layout) fieldSpec {
	for _, fs := range l.fields {
		if fs.name == FieldOptionalData {
			return fs
		}
	}
	return fieldSpec{}
}

// fieldValue is the MRZ text of one field, fillers inside, not padded.
func fieldValue(fl Fields, l *layout, fs fieldSpec) (string, error) {
	switch fs.name {
	case FieldDocumentCode:
		return encodeStrict(fs.name, fl.DocumentCode)
	case FieldIssuingState:
		return encodeStrict(fs.name, fl.IssuingState)
	case FieldNationality:
		return encodeStrict(fs.name, fl.Nationality)
	case FieldName:
		sur, err := encodeStrict(FieldSurname, fl.Surname)
		if err != nil {
			return "", err
		}
		given, err := encodeStrict(FieldGivenNames, fl.GivenNames)
		if err != nil {
			return "", err
		}
		if given == "" {
			return sur, nil
		}
		return sur + "<<" + given, nil
	case FieldSurname:
		return encodeStrict(fs.name, fl.Surname)
	case FieldGivenNames:
		return encodeStrict(fs.name, fl.GivenNames)
	case FieldDocumentNumber:
		v, err := encodeStrict(fs.name, fl.DocumentNumber)
		if l.format == FrenchID && len(v) == 12 {
			return v[7:], err // the sequence; month and office come first
		}
		return v, err
	case FieldBirthDate:
		return fl.BirthDate.yymmdd()
	case FieldExpiryDate:
		return fl.ExpiryDate.yymmdd()
	case FieldSex:
		switch fl.Sex {
		case Male, Female:
			return string(fl.Sex), nil
		case SexUnspecified, "":
			return "<", nil
		}
		return "", fmt.Errorf("%w: sex %q is not M, F or X", ErrField, fl.Sex)
	case FieldOptionalData:
		return encodeLoose(fl.OptionalData), nil
	case FieldOptionalData2:
		return encodeLoose(fl.OptionalData2), nil
	case FieldIssueMonth:
		if n := frenchNumber(fl, l); n != "" {
			return n[0:4], nil
		}
		v := fl.Extra[fs.name]
		if v == "" {
			return "", nil
		}
		d, err := ParseISODate(v)
		if err != nil || d.Month == 0 {
			return "", fmt.Errorf("%w: %s %q is not YYYY-MM", ErrField, fs.name, v)
		}
		return fmt.Sprintf("%02d%02d", d.Year%100, int(d.Month)), nil
	case FieldIssuingOffice:
		if n := frenchNumber(fl, l); n != "" {
			return n[4:7], nil
		}
		return encodeStrict(fs.name, fl.Extra[fs.name])
	case FieldAdministrativeCode, FieldPIN, FieldVersion:
		return encodeStrict(fs.name, fl.Extra[fs.name])
	}
	return "", nil
}

// frenchNumber returns the 12-character French card number (YYMM, office,
// sequence) when DocumentNumber holds one.
func frenchNumber(fl Fields, l *layout) string {
	if l.format != FrenchID {
		return ""
	}
	v, err := encodeStrict(FieldDocumentNumber, fl.DocumentNumber)
	if err != nil || len(v) != 12 {
		return ""
	}
	return v
}

// encodeStrict writes text in the MRZ alphabet or fails.
func encodeStrict(field, s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(strings.TrimSpace(s)) {
		switch {
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '<':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == ',' || r == '.':
			b.WriteByte('<')
		case r == '\'' || r == '’':
			// ICAO 9303-3: apostrophes are omitted.
		default:
			t, ok := translit[r]
			if !ok {
				return "", fmt.Errorf("%w: %s: %q cannot be written in an MRZ", ErrField, field, r)
			}
			b.WriteString(t)
		}
	}
	out := b.String()
	if field != FieldSurname && field != FieldGivenNames {
		// Codes and numbers keep inner fillers: check digits cover them.
		return strings.TrimRight(out, "<"), nil
	}
	// In a name, one filler separates parts (", " becomes one filler).
	for strings.Contains(out, "<<") {
		out = strings.ReplaceAll(out, "<<", "<")
	}
	return strings.Trim(out, "<"), nil
}

// encodeLoose writes optional data, dropping what the alphabet lacks.
func encodeLoose(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '<':
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-':
			b.WriteByte('<')
		default:
			if t, ok := translit[r]; ok {
				b.WriteString(t)
			}
		}
	}
	return strings.TrimRight(b.String(), "<")
}

// translit holds the ICAO 9303-3 (section 6, table of recommended
// transliterations) spellings of common Latin letters.
var translit = map[rune]string{
	'À': "A", 'Á': "A", 'Â': "A", 'Ã': "A", 'Ä': "AE", 'Å': "AA", 'Æ': "AE", 'Ā': "A", 'Ă': "A", 'Ą': "A",
	'Ç': "C", 'Ć': "C", 'Č': "C", 'Ċ': "C", 'Ĉ': "C",
	'Ð': "D", 'Ď': "D", 'Đ': "D",
	'È': "E", 'É': "E", 'Ê': "E", 'Ë': "E", 'Ē': "E", 'Ė': "E", 'Ę': "E", 'Ě': "E",
	'Ğ': "G", 'Ġ': "G", 'Ģ': "G", 'Ĝ': "G",
	'Ì': "I", 'Í': "I", 'Î': "I", 'Ï': "I", 'Ī': "I", 'İ': "I", 'Į': "I",
	'Ĳ': "IJ", 'Ķ': "K", 'Ĺ': "L", 'Ļ': "L", 'Ľ': "L", 'Ł': "L",
	'Ñ': "N", 'Ń': "N", 'Ņ': "N", 'Ň': "N",
	'Ò': "O", 'Ó': "O", 'Ô': "O", 'Õ': "O", 'Ö': "OE", 'Ø': "OE", 'Ō': "O", 'Ő': "O", 'Œ': "OE",
	'Ŕ': "R", 'Ř': "R", 'Ś': "S", 'Ş': "S", 'Š': "S", 'Ș': "S", 'ẞ': "SS", 'ß': "SS",
	'Ţ': "T", 'Ť': "T", 'Ț': "T", 'Þ': "TH",
	'Ù': "U", 'Ú': "U", 'Û': "U", 'Ü': "UE", 'Ū': "U", 'Ů': "U", 'Ű': "U", 'Ų': "U",
	'Ý': "Y", 'Ÿ': "Y", 'Ź': "Z", 'Ż': "Z", 'Ž': "Z",
}
