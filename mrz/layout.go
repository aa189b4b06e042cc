package mrz

// class is what a position may hold.
type class uint8

const (
	classAlpha  class = iota // A-Z and the filler
	classDigit               // 0-9, and the filler for unknown date parts
	classAlnum               // A-Z, 0-9 and the filler
	classSex                 // M, F, X and the filler
	classFiller              // the filler only
)

// span is the half-open range [start, end) of one line.
type span struct{ line, start, end int }

// fieldSpec places a field.
type fieldSpec struct {
	name string
	span
	class class
}

// checkSpec places a check digit and the data it covers.
type checkSpec struct {
	field string
	data  []span
	digit span
}

// layout describes one format completely: Parse, Generate and Repair all
// work from it.
type layout struct {
	format  Format
	lengths []int
	fields  []fieldSpec
	checks  []checkSpec
	// overflow is true when a document number longer than nine characters
	// continues in the optional data field after it (TD1, TD2).
	overflow bool
}

func f(name string, line, start, end int, c class) fieldSpec {
	return fieldSpec{name: name, span: span{line, start, end}, class: c}
}

func sp(line, start, end int) span { return span{line, start, end} }

func ck(field string, digitLine, digitPos int, data ...span) checkSpec {
	return checkSpec{field: field, data: data, digit: span{digitLine, digitPos, digitPos + 1}}
}

// The layouts, from ICAO Doc 9303 parts 4 (TD3), 5 (TD1), 6 (TD2) and 7
// (MRV-A, MRV-B), and for the national formats from the published
// specimens (their check digits agree with these spans).
var (
	layoutTD3 = &layout{
		format:  TD3,
		lengths: []int{44, 44},
		fields: []fieldSpec{
			f(FieldDocumentCode, 0, 0, 2, classAlpha),
			f(FieldIssuingState, 0, 2, 5, classAlpha),
			f(FieldName, 0, 5, 44, classAlpha),
			f(FieldDocumentNumber, 1, 0, 9, classAlnum),
			f(fieldCheck, 1, 9, 10, classDigit),
			f(FieldNationality, 1, 10, 13, classAlpha),
			f(FieldBirthDate, 1, 13, 19, classDigit),
			f(fieldCheck, 1, 19, 20, classDigit),
			f(FieldSex, 1, 20, 21, classSex),
			f(FieldExpiryDate, 1, 21, 27, classDigit),
			f(fieldCheck, 1, 27, 28, classDigit),
			f(FieldOptionalData, 1, 28, 42, classAlnum),
			f(fieldCheck, 1, 42, 43, classDigit),
			f(fieldCheck, 1, 43, 44, classDigit),
		},
		checks: []checkSpec{
			ck(FieldDocumentNumber, 1, 9, sp(1, 0, 9)),
			ck(FieldBirthDate, 1, 19, sp(1, 13, 19)),
			ck(FieldExpiryDate, 1, 27, sp(1, 21, 27)),
			ck(FieldOptionalData, 1, 42, sp(1, 28, 42)),
			ck(FieldComposite, 1, 43, sp(1, 0, 10), sp(1, 13, 20), sp(1, 21, 43)),
		},
	}
	layoutMRVA = &layout{
		format:  MRVA,
		lengths: []int{44, 44},
		fields: []fieldSpec{
			f(FieldDocumentCode, 0, 0, 2, classAlpha),
			f(FieldIssuingState, 0, 2, 5, classAlpha),
			f(FieldName, 0, 5, 44, classAlpha),
			f(FieldDocumentNumber, 1, 0, 9, classAlnum),
			f(fieldCheck, 1, 9, 10, classDigit),
			f(FieldNationality, 1, 10, 13, classAlpha),
			f(FieldBirthDate, 1, 13, 19, classDigit),
			f(fieldCheck, 1, 19, 20, classDigit),
			f(FieldSex, 1, 20, 21, classSex),
			f(FieldExpiryDate, 1, 21, 27, classDigit),
			f(fieldCheck, 1, 27, 28, classDigit),
			f(FieldOptionalData, 1, 28, 44, classAlnum),
		},
		checks: []checkSpec{
			ck(FieldDocumentNumber, 1, 9, sp(1, 0, 9)),
			ck(FieldBirthDate, 1, 19, sp(1, 13, 19)),
			ck(FieldExpiryDate, 1, 27, sp(1, 21, 27)),
		},
	}
	layoutTD2 = &layout{
		format:   TD2,
		lengths:  []int{36, 36},
		overflow: true,
		fields: []fieldSpec{
			f(FieldDocumentCode, 0, 0, 2, classAlpha),
			f(FieldIssuingState, 0, 2, 5, classAlpha),
			f(FieldName, 0, 5, 36, classAlpha),
			f(FieldDocumentNumber, 1, 0, 9, classAlnum),
			f(fieldCheck, 1, 9, 10, classDigit),
			f(FieldNationality, 1, 10, 13, classAlpha),
			f(FieldBirthDate, 1, 13, 19, classDigit),
			f(fieldCheck, 1, 19, 20, classDigit),
			f(FieldSex, 1, 20, 21, classSex),
			f(FieldExpiryDate, 1, 21, 27, classDigit),
			f(fieldCheck, 1, 27, 28, classDigit),
			f(FieldOptionalData, 1, 28, 35, classAlnum),
			f(fieldCheck, 1, 35, 36, classDigit),
		},
		checks: []checkSpec{
			ck(FieldDocumentNumber, 1, 9, sp(1, 0, 9)),
			ck(FieldBirthDate, 1, 19, sp(1, 13, 19)),
			ck(FieldExpiryDate, 1, 27, sp(1, 21, 27)),
			ck(FieldComposite, 1, 35, sp(1, 0, 10), sp(1, 13, 20), sp(1, 21, 35)),
		},
	}
	layoutMRVB = &layout{
		format:  MRVB,
		lengths: []int{36, 36},
		fields: []fieldSpec{
			f(FieldDocumentCode, 0, 0, 2, classAlpha),
			f(FieldIssuingState, 0, 2, 5, classAlpha),
			f(FieldName, 0, 5, 36, classAlpha),
			f(FieldDocumentNumber, 1, 0, 9, classAlnum),
			f(fieldCheck, 1, 9, 10, classDigit),
			f(FieldNationality, 1, 10, 13, classAlpha),
			f(FieldBirthDate, 1, 13, 19, classDigit),
			f(fieldCheck, 1, 19, 20, classDigit),
			f(FieldSex, 1, 20, 21, classSex),
			f(FieldExpiryDate, 1, 21, 27, classDigit),
			f(fieldCheck, 1, 27, 28, classDigit),
			f(FieldOptionalData, 1, 28, 36, classAlnum),
		},
		checks: []checkSpec{
			ck(FieldDocumentNumber, 1, 9, sp(1, 0, 9)),
			ck(FieldBirthDate, 1, 19, sp(1, 13, 19)),
			ck(FieldExpiryDate, 1, 27, sp(1, 21, 27)),
		},
	}
	layoutTD1 = &layout{
		format:   TD1,
		lengths:  []int{30, 30, 30},
		overflow: true,
		fields: []fieldSpec{
			f(FieldDocumentCode, 0, 0, 2, classAlpha),
			f(FieldIssuingState, 0, 2, 5, classAlpha),
			f(FieldDocumentNumber, 0, 5, 14, classAlnum),
			f(fieldCheck, 0, 14, 15, classDigit),
			f(FieldOptionalData, 0, 15, 30, classAlnum),
			f(FieldBirthDate, 1, 0, 6, classDigit),
			f(fieldCheck, 1, 6, 7, classDigit),
			f(FieldSex, 1, 7, 8, classSex),
			f(FieldExpiryDate, 1, 8, 14, classDigit),
			f(fieldCheck, 1, 14, 15, classDigit),
			f(FieldNationality, 1, 15, 18, classAlpha),
			f(FieldOptionalData2, 1, 18, 29, classAlnum),
			f(fieldCheck, 1, 29, 30, classDigit),
			f(FieldName, 2, 0, 30, classAlpha),
		},
		checks: []checkSpec{
			ck(FieldDocumentNumber, 0, 14, sp(0, 5, 14)),
			ck(FieldBirthDate, 1, 6, sp(1, 0, 6)),
			ck(FieldExpiryDate, 1, 14, sp(1, 8, 14)),
			ck(FieldComposite, 1, 29, sp(0, 5, 30), sp(1, 0, 7), sp(1, 8, 15), sp(1, 18, 29)),
		},
	}
	layoutFrenchID = &layout{
		format:  FrenchID,
		lengths: []int{36, 36},
		fields: []fieldSpec{
			f(FieldDocumentCode, 0, 0, 2, classAlpha),
			f(FieldIssuingState, 0, 2, 5, classAlpha),
			f(FieldSurname, 0, 5, 30, classAlpha),
			f(FieldAdministrativeCode, 0, 30, 36, classAlnum),
			f(FieldIssueMonth, 1, 0, 4, classDigit),
			f(FieldIssuingOffice, 1, 4, 7, classAlnum),
			f(FieldDocumentNumber, 1, 7, 12, classAlnum),
			f(fieldCheck, 1, 12, 13, classDigit),
			f(FieldGivenNames, 1, 13, 27, classAlpha),
			f(FieldBirthDate, 1, 27, 33, classDigit),
			f(fieldCheck, 1, 33, 34, classDigit),
			f(FieldSex, 1, 34, 35, classSex),
			f(fieldCheck, 1, 35, 36, classDigit),
		},
		checks: []checkSpec{
			// The card number printed on the card is the 12 characters
			// YYMM + office + sequence; the check digit covers all of them.
			ck(FieldDocumentNumber, 1, 12, sp(1, 0, 12)),
			ck(FieldBirthDate, 1, 33, sp(1, 27, 33)),
			ck(FieldComposite, 1, 35, sp(0, 0, 36), sp(1, 0, 35)),
		},
	}
	layoutFrenchDL = &layout{
		format:  FrenchDrivingLicence,
		lengths: []int{30},
		fields: []fieldSpec{
			f(FieldDocumentCode, 0, 0, 2, classAlnum),
			f(FieldIssuingState, 0, 2, 5, classAlpha),
			f(FieldDocumentNumber, 0, 5, 14, classAlnum),
			f(fieldCheck, 0, 14, 15, classDigit),
			f(FieldExpiryDate, 0, 15, 21, classDigit),
			f(FieldSurname, 0, 21, 29, classAlpha),
			f(fieldCheck, 0, 29, 30, classDigit),
		},
		checks: []checkSpec{
			ck(FieldDocumentNumber, 0, 14, sp(0, 0, 14)),
			ck(FieldComposite, 0, 29, sp(0, 0, 29)),
		},
	}
	layoutSwissDL = &layout{
		format:  SwissDrivingLicence,
		lengths: []int{9, 30, 30},
		fields: []fieldSpec{
			f(FieldDocumentNumber, 0, 0, 7, classAlnum),
			f(fieldFiller, 0, 7, 9, classFiller),
			f(FieldDocumentCode, 1, 0, 2, classAlpha),
			f(FieldIssuingState, 1, 2, 5, classAlpha),
			f(FieldPIN, 1, 5, 14, classAlnum),
			f(FieldVersion, 1, 14, 17, classDigit),
			f(fieldFiller, 1, 17, 19, classFiller),
			f(FieldBirthDate, 1, 19, 25, classDigit),
			f(fieldFiller, 1, 25, 30, classFiller),
			f(FieldName, 2, 0, 30, classAlpha),
		},
	}
	allLayouts = []*layout{layoutTD1, layoutTD2, layoutTD3, layoutMRVA, layoutMRVB, layoutFrenchID, layoutFrenchDL, layoutSwissDL}
)

// layoutFor returns the layout of a format.
func layoutFor(fm Format) *layout {
	for _, l := range allLayouts {
		if l.format == fm {
			return l
		}
	}
	return nil
}

// fits reports whether the line lengths are exactly the layout's.
func (l *layout) fits(lines []string) bool {
	if len(lines) != len(l.lengths) {
		return false
	}
	for i, n := range l.lengths {
		if len(lines[i]) != n {
			return false
		}
	}
	return true
}

// detect picks the layout for lines of the right lengths. Layouts that
// share line lengths are told apart by their first characters: V for visas,
// IDFRA for the old French card (whose line 2 cannot hold a TD2
// nationality), D for the French licence.
func detect(lines []string) *layout {
	switch len(lines) {
	case 1:
		if layoutFrenchDL.fits(lines) && lines[0][0] == 'D' {
			return layoutFrenchDL
		}
	case 2:
		switch {
		case layoutTD3.fits(lines):
			if lines[0][0] == 'V' {
				return layoutMRVA
			}
			return layoutTD3
		case layoutTD2.fits(lines):
			if lines[0][0] == 'V' {
				return layoutMRVB
			}
			if lines[0][:5] == "IDFRA" && !td2Nationality(lines[1]) {
				return layoutFrenchID
			}
			return layoutTD2
		}
	case 3:
		if layoutTD1.fits(lines) {
			return layoutTD1
		}
		if layoutSwissDL.fits(lines) {
			return layoutSwissDL
		}
	}
	return nil
}

// td2Nationality reports whether line 2 of a 36-character zone has a
// three-letter nationality where TD2 puts it, followed by a birth date.
func td2Nationality(line string) bool {
	for i := 10; i < 13; i++ {
		if !(line[i] >= 'A' && line[i] <= 'Z' || line[i] == '<') {
			return false
		}
	}
	for i := 13; i < 19; i++ {
		if line[i] < '0' || line[i] > '9' {
			return false
		}
	}
	return true
}
