package mrz

import (
	"fmt"
	"strings"
)

// Parse reads an MRZ given as its lines. Surrounding whitespace and blank
// lines are ignored; nothing else is changed (see Repair for OCR text).
//
// It returns an error only when the lines match no layout (ErrFormat,
// ErrLength). Otherwise the Result holds every field, each check digit and
// each problem; Result.Valid says whether all passed and Result.Err turns
// a failure into ErrChecksum / ErrField.
func Parse(lines []string, opts Options) (*Result, error) {
	opts = opts.resolve()
	clean := trimLines(lines)
	l := detect(clean)
	if l == nil {
		return nil, formatError(clean)
	}
	return parseLayout(l, clean, opts), nil
}

// ParseText is Parse for text holding the lines separated by newlines.
func ParseText(text string, opts Options) (*Result, error) {
	return Parse(splitLines(text), opts)
}

func splitLines(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' })
}

func trimLines(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, s := range lines {
		s = strings.TrimSpace(s)
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// formatError explains why lines match no layout.
func formatError(lines []string) error {
	lengths := make([]string, len(lines))
	for i, s := range lines {
		lengths[i] = fmt.Sprint(len(s))
	}
	desc := fmt.Sprintf("%d line(s) of %s characters", len(lines), strings.Join(lengths, ", "))
	if len(lines) == 0 {
		desc = "no lines"
	}
	for _, l := range allLayouts {
		if len(l.lengths) == len(lines) {
			return fmt.Errorf("%w: %s", ErrLength, desc)
		}
	}
	return fmt.Errorf("%w: %s", ErrFormat, desc)
}

// parseLayout reads lines that fit l exactly.
func parseLayout(l *layout, lines []string, opts Options) *Result {
	r := &Result{Lines: append([]string(nil), lines...), Checks: make([]Check, 0, len(l.checks))}
	r.Format = l.format
	get := func(s span) string { return lines[s.line][s.start:s.end] }

	for _, fs := range l.fields {
		raw := get(fs.span)
		switch {
		case fs.name == fieldCheck:
			// A bad check digit is reported by its check.
		case fs.name == FieldName:
			surname, given := raw, ""
			if i := strings.Index(raw, "<<"); i >= 0 {
				surname, given = raw[:i], raw[i:]
			}
			r.charProblem(FieldSurname, surname, fs.class)
			r.charProblem(FieldGivenNames, given, fs.class)
		default:
			r.charProblem(fs.name, raw, fs.class)
		}
		r.setField(l, fs, raw, opts)
	}

	for _, c := range l.checks {
		var data strings.Builder
		for _, s := range c.data {
			data.WriteString(get(s))
		}
		r.addCheck(c.field, c.digit.line, c.digit.start, data.String(), lines[c.digit.line][c.digit.start])
	}
	if l.overflow {
		r.applyOverflow(l, lines)
	}

	r.DocumentType = documentType(l.format, r.DocumentCode)
	r.checkCountry(FieldIssuingState, r.IssuingState)
	if l.format != FrenchID && l.format != FrenchDrivingLicence && l.format != SwissDrivingLicence {
		r.checkCountry(FieldNationality, r.Nationality)
	}
	r.Specimen = r.IssuingState == SpecimenCode || r.Nationality == SpecimenCode
	r.Valid = len(r.Problems) == 0
	for _, c := range r.Checks {
		r.Valid = r.Valid && c.OK
	}
	return r
}

func (r *Result) problem(field, code, msg string) {
	r.Problems = append(r.Problems, Problem{Field: field, Code: code, Message: msg})
}

func (r *Result) charProblem(field, raw string, c class) {
	if bad := badChars(raw, c); bad != "" {
		r.problem(field, ProblemCharacter, fmt.Sprintf("%q not allowed in %s", bad, field))
	}
}

func (r *Result) addCheck(field string, line, pos int, data string, digit byte) {
	want, ok := checkOK(data, digit)
	r.Checks = append(r.Checks, Check{Field: field, Line: line, Pos: pos, Got: string(digit), Want: want, OK: ok})
}

func (r *Result) setExtra(key, v string) {
	if r.Extra == nil {
		r.Extra = map[string]string{}
	}
	r.Extra[key] = v
}

// setField stores one field's text.
func (r *Result) setField(l *layout, fs fieldSpec, raw string, opts Options) {
	switch fs.name {
	case FieldDocumentCode:
		r.DocumentCode = strings.TrimRight(raw, "<")
	case FieldIssuingState:
		r.IssuingState = strings.TrimRight(raw, "<")
	case FieldNationality:
		r.Nationality = strings.TrimRight(raw, "<")
	case FieldName:
		r.Surname, r.GivenNames = splitName(raw)
		r.NameTruncated = raw[len(raw)-1] != '<'
	case FieldSurname:
		r.Surname = text(raw)
	case FieldGivenNames:
		r.GivenNames = text(raw)
	case FieldDocumentNumber:
		r.DocumentNumber = strings.TrimRight(raw, "<")
		if l.format == FrenchID {
			// The card number is YYMM + office + sequence.
			r.DocumentNumber = strings.TrimRight(r.Lines[1][0:12], "<")
		}
	case FieldOptionalData:
		r.OptionalData = optText(raw)
	case FieldOptionalData2:
		r.OptionalData2 = optText(raw)
	case FieldBirthDate, FieldExpiryDate:
		kind := pastDate
		if fs.name == FieldExpiryDate {
			kind = expiryDate
		}
		d, why := readYYMMDD(raw, kind, opts)
		if why != "" {
			r.problem(fs.name, ProblemDate, why)
		}
		if fs.name == FieldBirthDate {
			r.BirthDate = d
		} else {
			r.ExpiryDate = d
		}
	case FieldSex:
		switch raw {
		case "M":
			r.Sex = Male
		case "F":
			r.Sex = Female
		case "X", "<":
			r.Sex = SexUnspecified
		default:
			r.problem(FieldSex, ProblemSex, fmt.Sprintf("%q is not M, F, X or <", raw))
		}
	case FieldIssueMonth:
		d, ok := parseYYMMDD(raw+"<<", pastDate, opts)
		if !ok {
			r.problem(fs.name, ProblemDate, fmt.Sprintf("%q is not a month (YYMM)", raw))
			r.setExtra(fs.name, raw)
			return
		}
		r.setExtra(fs.name, d.String())
	case FieldAdministrativeCode, FieldIssuingOffice, FieldPIN, FieldVersion:
		r.setExtra(fs.name, text(raw))
	}
	if l.format == SwissDrivingLicence && fs.name == FieldDocumentNumber {
		// The last character of the licence number is the language of
		// issue (D, F, I or R).
		r.setExtra(FieldLanguage, raw[6:7])
	}
}

// applyOverflow handles a document number longer than nine characters
// (ICAO 9303-5 and -6): the check digit position holds a filler and the
// number continues in the optional data, ending with its own check digit.
func (r *Result) applyOverflow(l *layout, lines []string) {
	ov, ok := findOverflow(l, lines)
	if !ok {
		return
	}
	get := func(s span) string { return lines[s.line][s.start:s.end] }
	for i := range r.Checks {
		if r.Checks[i].Field == FieldDocumentNumber {
			digit := lines[ov.check.digit.line][ov.check.digit.start]
			want, ok := overflowCheckOK(get(ov.check.data[0]), get(ov.check.data[1]), digit)
			r.Checks[i] = Check{Field: FieldDocumentNumber, Line: ov.check.digit.line, Pos: ov.check.digit.start,
				Got: string(digit), Want: want, OK: ok}
		}
	}
	r.DocumentNumber = get(ov.check.data[0]) + get(ov.check.data[1])
	// The check digit is followed by a filler, then any optional data.
	rest := get(ov.rest)
	if rest != "" {
		rest = rest[1:]
	}
	r.OptionalData = optText(rest)
}

// overflowCheckOK checks a long document number. ICAO computes the digit
// over the number alone; some issuers (Belgian cards such as BEL-BO-03003)
// compute it over the MRZ characters, the filler between the two parts
// included. Both are accepted; want is the ICAO digit.
func overflowCheckOK(head, tail string, digit byte) (want string, ok bool) {
	want, ok = checkOK(head+tail, digit)
	if !ok {
		_, ok = checkOK(head+"<"+tail, digit)
	}
	return want, ok
}

// overflow locates a long document number's continuation.
type overflow struct {
	check checkSpec // data: the nine characters and the continuation
	rest  span      // the optional data after the check digit
}

// findOverflow reports whether lines use the long document number rule:
// a full nine-character number followed by a filler where its check digit
// belongs, and a continuation at the start of the optional data.
func findOverflow(l *layout, lines []string) (overflow, bool) {
	if !l.overflow {
		return overflow{}, false
	}
	var num, opt fieldSpec
	for _, fs := range l.fields {
		switch fs.name {
		case FieldDocumentNumber:
			num = fs
		case FieldOptionalData:
			opt = fs
		}
	}
	line := lines[num.line]
	if line[num.end] != '<' || line[num.end-1] == '<' {
		return overflow{}, false
	}
	o := lines[opt.line][opt.start:opt.end]
	n := strings.IndexByte(o, '<')
	if n < 0 {
		n = len(o)
	}
	if n == 0 {
		return overflow{}, false // no continuation: the failed check stands
	}
	return overflow{
		check: checkSpec{
			field: FieldDocumentNumber,
			data:  []span{num.span, {opt.line, opt.start, opt.start + n - 1}},
			digit: span{opt.line, opt.start + n - 1, opt.start + n},
		},
		rest: span{opt.line, opt.start + n, opt.end},
	}, true
}

func (r *Result) checkCountry(field, code string) {
	if code == "" {
		r.problem(field, ProblemCountry, "missing")
		return
	}
	if _, ok := LookupCountry(code); !ok {
		r.problem(field, ProblemCountry, fmt.Sprintf("%q is not an ISO 3166-1 alpha-3 or ICAO code", code))
	}
}

// badChars returns the characters of s that class c does not allow.
func badChars(s string, c class) string {
	var bad []byte
	for i := 0; i < len(s); i++ {
		if !allowed(s[i], c) {
			bad = append(bad, s[i])
		}
	}
	return string(bad)
}

func allowed(ch byte, c class) bool {
	isDigit := ch >= '0' && ch <= '9'
	isAlpha := ch >= 'A' && ch <= 'Z'
	switch c {
	case classAlpha:
		return isAlpha || ch == '<'
	case classDigit:
		return isDigit || ch == '<'
	case classAlnum:
		return isAlpha || isDigit || ch == '<'
	case classSex:
		return ch == 'M' || ch == 'F' || ch == 'X' || ch == '<'
	case classFiller:
		return ch == '<'
	}
	return false
}

// optText turns optional data into text without losing its layout: each
// inner filler becomes a space, trailing fillers are dropped. Check digits
// cover optional data, so Generate must be able to write it back exactly.
func optText(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "<"), "<", " ")
}

// text turns MRZ text into plain text: fillers become single spaces,
// surrounding ones are dropped.
func text(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' }), " ")
}

// splitName splits the name field at the first double filler into the
// primary identifier (surname) and the secondary one (given names).
func splitName(s string) (surname, given string) {
	s = strings.TrimRight(s, "<")
	if i := strings.Index(s, "<<"); i >= 0 {
		return text(s[:i]), text(s[i+2:])
	}
	return text(s), ""
}

func documentType(fm Format, code string) DocumentType {
	switch fm {
	case FrenchDrivingLicence, SwissDrivingLicence:
		return DrivingLicence
	case MRVA, MRVB:
		return Visa
	case FrenchID:
		return IDCard
	}
	if code == "" {
		return OtherDocument
	}
	switch code[0] {
	case 'P':
		return Passport
	case 'V':
		return Visa
	case 'I', 'A', 'C':
		return IDCard
	}
	return OtherDocument
}
