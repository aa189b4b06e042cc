package mrz

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Parse and Repair return ErrFormat (possibly wrapping
// ErrLength) when the lines match no layout; Result.Err returns ErrChecksum
// and ErrField for a recognised zone that fails validation.
var (
	// ErrFormat means the lines match no known MRZ layout.
	ErrFormat = errors.New("mrz: unrecognised format")
	// ErrLength means the number of lines is plausible but their lengths
	// match no layout. It wraps ErrFormat.
	ErrLength = fmt.Errorf("%w: line lengths match no layout", ErrFormat)
	// ErrChecksum means at least one check digit does not match its data.
	ErrChecksum = errors.New("mrz: check digit mismatch")
	// ErrField means a field holds a value its position does not allow: a
	// character outside the MRZ alphabet, an impossible date, an unknown
	// country code.
	ErrField = errors.New("mrz: invalid field")
	// ErrCharacter is returned by CheckDigit for data outside A-Z, 0-9 and <.
	ErrCharacter = errors.New("mrz: character outside the MRZ alphabet")
)

// Format names an MRZ layout.
type Format string

// The layouts Parse recognises.
const (
	TD1  Format = "TD1"  // ID cards: 3 lines of 30
	TD2  Format = "TD2"  // ID cards and travel documents: 2 lines of 36
	TD3  Format = "TD3"  // passports: 2 lines of 44
	MRVA Format = "MRVA" // visas, format A: 2 lines of 44
	MRVB Format = "MRVB" // visas, format B: 2 lines of 36
	// FrenchID is the French national identity card issued until 2021: 2
	// lines of 36 starting with IDFRA (the newer card is TD1).
	FrenchID Format = "FRENCH_NATIONAL_ID"
	// FrenchDrivingLicence is the single 30-character line on the back of
	// the French driving licence.
	FrenchDrivingLicence Format = "FRENCH_DRIVING_LICENCE"
	// SwissDrivingLicence is the Swiss credit-card licence: lines of 9, 30
	// and 30 characters, without check digits.
	SwissDrivingLicence Format = "SWISS_DRIVING_LICENCE"
)

// DocumentType is the kind of document, derived from the document code.
type DocumentType string

// Document types.
const (
	Passport       DocumentType = "passport"
	IDCard         DocumentType = "id_card"
	Visa           DocumentType = "visa"
	DrivingLicence DocumentType = "driver_license"
	OtherDocument  DocumentType = "other"
)

// Sex as the MRZ records it.
type Sex string

// Sex values. SexUnspecified stands for both X and the filler <.
const (
	Male           Sex = "M"
	Female         Sex = "F"
	SexUnspecified Sex = "X"
)

// Field names used in Check.Field and Problem.Field.
const (
	FieldDocumentCode   = "document_code"
	FieldIssuingState   = "issuing_state"
	FieldName           = "name" // the combined surname/given-names field
	FieldSurname        = "surname"
	FieldGivenNames     = "given_names"
	FieldDocumentNumber = "document_number"
	FieldNationality    = "nationality"
	FieldBirthDate      = "birth_date"
	FieldSex            = "sex"
	FieldExpiryDate     = "expiry_date"
	FieldOptionalData   = "optional_data"
	FieldOptionalData2  = "optional_data_2"
	FieldComposite      = "composite"
	// National layouts. Their values are in Fields.Extra under the same key.
	FieldAdministrativeCode = "administrative_code" // French ID, line 1
	FieldIssuingOffice      = "issuing_office"      // French ID, line 2
	FieldIssueMonth         = "issue_month"         // French ID, YYYY-MM
	FieldLanguage           = "language"            // Swiss licence
	FieldPIN                = "pin"                 // Swiss licence
	FieldVersion            = "version"             // Swiss licence
	fieldFiller             = "filler"
	fieldCheck              = "check_digit"
)

// Fields are the values an MRZ carries. Parse fills them; Generate writes
// them. Text fields hold MRZ text with fillers removed: names use spaces
// between their parts, codes are as printed (D for Germany; use
// LookupCountry for the ISO code).
type Fields struct {
	Format Format `json:"format"`
	// DocumentCode is the one- or two-letter code at the start of the MRZ
	// (P, PO, I, ID, AC, V, D1...), fillers removed.
	DocumentCode string       `json:"document_code"`
	DocumentType DocumentType `json:"document_type"`
	IssuingState string       `json:"issuing_state"`
	Surname      string       `json:"surname"`
	GivenNames   string       `json:"given_names"`
	// DocumentNumber includes the TD1/TD2 overflow characters when the
	// number is longer than nine.
	DocumentNumber string `json:"document_number"`
	Nationality    string `json:"nationality,omitempty"`
	BirthDate      Date   `json:"birth_date"`
	Sex            Sex    `json:"sex,omitempty"`
	ExpiryDate     Date   `json:"expiry_date"`
	// OptionalData is the first optional data field (the personal number of
	// a TD3 passport). For TD1 and TD2 it excludes a document number
	// overflow and its check digit.
	OptionalData string `json:"optional_data,omitempty"`
	// OptionalData2 is the optional data of TD1 line 2.
	OptionalData2 string `json:"optional_data_2,omitempty"`
	// Extra holds the fields of national layouts, keyed by the Field*
	// constants documented as national.
	Extra map[string]string `json:"extra,omitempty"`
}

// Check is one check digit and the data it protects.
type Check struct {
	// Field is the field protected, or FieldComposite.
	Field string `json:"field"`
	// Line and Pos locate the check digit (0-based).
	Line int `json:"line"`
	Pos  int `json:"pos"`
	// Got is the character in the MRZ; Want is the digit computed from the
	// data, empty when the data holds characters outside the MRZ alphabet.
	Got  string `json:"got"`
	Want string `json:"want"`
	OK   bool   `json:"ok"`
}

// Problem codes.
const (
	ProblemCharacter = "invalid_character" // a character the position does not allow
	ProblemDate      = "invalid_date"      // not a calendar date, or an expiry no century fits (Options.Reference)
	ProblemSex       = "invalid_sex"       // not M, F, X or <
	ProblemCountry   = "unknown_country"   // not ISO 3166-1 alpha-3 nor an ICAO code
)

// Problem is a field that failed validation for a reason other than a
// check digit.
type Problem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Correction is one change Repair made to the OCR text.
type Correction struct {
	// Line is the 0-based index of the line in Result.Lines (-1 for a line
	// that was dropped); Pos the 0-based column, or -1 for a change to the
	// whole line (length, case, spaces).
	Line int `json:"line"`
	Pos  int `json:"pos"`
	// From and To are the text before and after.
	From string `json:"from"`
	To   string `json:"to"`
	// Reason says which rule made the change: "case", "space", "glyph",
	// "length", "extra_line", "digit", "letter", "filler" (a class-forced
	// change) or "check_digit" (one of two readings chosen because its check
	// passed).
	Reason string `json:"reason"`
}

// Result is a parsed MRZ.
type Result struct {
	Fields
	// Lines are the lines that were parsed (after repair, for Repair).
	Lines    []string  `json:"lines"`
	Checks   []Check   `json:"checks"`
	Problems []Problem `json:"problems,omitempty"`
	// Valid is true when every check digit matches and no field has a
	// problem.
	Valid bool `json:"valid"`
	// Specimen is true when the issuing state or nationality is UTO, the
	// fictional state of ICAO and many national specimens.
	Specimen bool `json:"specimen"`
	// NameTruncated is true when the name filled its field to the last
	// position, which is how ICAO marks a name that may have been cut.
	NameTruncated bool `json:"name_truncated,omitempty"`
	// Repairs lists what Repair changed; always empty from Parse.
	Repairs []Correction `json:"repairs,omitempty"`
}

// Err returns nil for a valid result, otherwise an error that wraps
// ErrChecksum when a check digit fails and ErrField when a field has a
// problem, naming the fields.
func (r *Result) Err() error {
	var errs []error
	for _, c := range r.Checks {
		if !c.OK {
			errs = append(errs, fmt.Errorf("%w: %s (got %q, want %q)", ErrChecksum, c.Field, c.Got, c.Want))
		}
	}
	for _, p := range r.Problems {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrField, p.Field, p.Message))
	}
	return errors.Join(errs...)
}

// Check returns the check for a field and whether there is one.
func (r *Result) Check(field string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Field == field {
			return c, true
		}
	}
	return Check{}, false
}

// Expired reports whether the expiry date is known and before the day of
// now.
func (r *Result) Expired(now time.Time) bool {
	if !r.ExpiryDate.Valid() {
		return false
	}
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return r.ExpiryDate.Time().Before(today)
}

// Options tune Parse and Repair. The zero value is ready to use.
type Options struct {
	// Reference is the instant two-digit years are interpreted against,
	// taken as its calendar date in its own location (as Expired takes
	// now): a birth date is put in the latest century that keeps it on or
	// before that day, an expiry date in the latest century that keeps it
	// at most ExpiryHorizonYears after it. When that puts an expiry before
	// 1980, when machine readable documents began, no century fits: the
	// date is a ProblemDate, not read decades beyond the horizon. Zero
	// means time.Now() when Parse or Repair is called.
	Reference time.Time
	// ExpiryHorizonYears is how far after Reference an expiry date may lie.
	// Zero means 15: passports and ID cards run 10 years, a few 15.
	ExpiryHorizonYears int
}

const defaultExpiryHorizon = 15

func (o Options) resolve() Options {
	if o.Reference.IsZero() {
		o.Reference = time.Now()
	}
	if o.ExpiryHorizonYears <= 0 {
		o.ExpiryHorizonYears = defaultExpiryHorizon
	}
	return o
}
