package aamva

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Sentinel errors Parse returns; HeaderError matches ErrHeader and, when
// the input ends inside the header, ErrTruncated.
var (
	// ErrNotAAMVA means the input holds no AAMVA header (no "ANSI " or
	// "AAMVA" file type followed by an IIN) and is not a magnetic stripe.
	ErrNotAAMVA = errors.New("aamva: not an AAMVA DL/ID payload")
	// ErrHeader means the header was found but cannot be read.
	ErrHeader = errors.New("aamva: malformed header")
	// ErrTruncated means the input ends inside the header, or holds a
	// header and no data elements.
	ErrTruncated = errors.New("aamva: truncated payload")
	// ErrTooLarge means the input is longer than MaxPayload: no bar code
	// or magnetic stripe holds that much, and reading elements from a
	// body without separators costs more the longer it is.
	ErrTooLarge = errors.New("aamva: input too large")
)

// MaxPayload is the longest input Parse reads, in bytes. A PDF417 symbol
// holds at most 1,850 text characters (2,710 digits), twice as many bytes
// once Latin-1 is re-encoded as UTF-8; the three tracks of a magnetic
// stripe hold under 230.
const MaxPayload = 8 << 10

// HeaderError locates what is wrong with a header.
type HeaderError struct {
	// Pos is the byte offset in the input where reading stopped.
	Pos int
	// Msg says what was expected there.
	Msg string
	// Truncated is true when the input ended.
	Truncated bool
}

func (e *HeaderError) Error() string {
	if e.Truncated {
		return fmt.Sprintf("aamva: truncated header at byte %d: %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("aamva: malformed header at byte %d: %s", e.Pos, e.Msg)
}

// Is matches ErrHeader, and ErrTruncated for a truncated header.
func (e *HeaderError) Is(target error) bool {
	return target == ErrHeader || e.Truncated && target == ErrTruncated
}

// Header is the fixed part of the payload.
type Header struct {
	// ComplianceIndicator is true when the payload starts with "@".
	ComplianceIndicator bool `json:"compliance_indicator"`
	// FileType is "ANSI " (version 2 on) or "AAMVA" (version 1), as found.
	FileType string `json:"file_type"`
	IIN      string `json:"iin"`
	// Version is the AAMVA version: 1 for DL/ID-2000 ... 10 for 2020.
	Version int `json:"version"`
	// JurisdictionVersion is absent (0) in version 1 headers.
	JurisdictionVersion int `json:"jurisdiction_version"`
	Entries             int `json:"entries"`
	// Subfiles are the designators as written; their offsets are often
	// wrong and are not relied on.
	Subfiles []Designator `json:"subfiles"`
}

// Designator is one subfile entry of the header.
type Designator struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

// Element is one data element: a three-letter ID and its value as found.
type Element struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// Subfile is the data of one subfile: DL or ID, or a jurisdiction's Z*.
type Subfile struct {
	Type     string    `json:"type"`
	Elements []Element `json:"elements"`
}

// Sex of the cardholder.
type Sex string

// Sex values (D20 codes 1, 2 and 9).
const (
	Male           Sex = "M"
	Female         Sex = "F"
	SexUnspecified Sex = "X"
)

// Truncation says whether the issuer cut a name to fit (DDE, DDF, DDG).
type Truncation string

// Truncation values.
const (
	Truncated         Truncation = "truncated"
	NotTruncated      Truncation = "not_truncated"
	TruncationUnknown Truncation = "unknown"
)

// Compliance is the REAL ID compliance type (DDA).
type Compliance string

// Compliance values.
const (
	FullyCompliant      Compliance = "fully_compliant"
	MateriallyCompliant Compliance = "materially_compliant"
	NonCompliant        Compliance = "non_compliant"
)

// Name of the cardholder.
type Name struct {
	Family string `json:"family"`
	// Given is all given names, first and middle, separated by spaces.
	Given  string `json:"given"`
	First  string `json:"first"`
	Middle string `json:"middle,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	// Truncation flags, empty when the payload has none (before version 4).
	FamilyTruncated Truncation `json:"family_truncated,omitempty"`
	FirstTruncated  Truncation `json:"first_truncated,omitempty"`
	MiddleTruncated Truncation `json:"middle_truncated,omitempty"`
}

// Address of the cardholder.
type Address struct {
	Street1 string `json:"street1"`
	Street2 string `json:"street2,omitempty"`
	City    string `json:"city"`
	// Jurisdiction is the two-letter state or province code.
	Jurisdiction string `json:"jurisdiction"`
	// PostalCode is normalised: "12345" or "12345-6789" in the United
	// States (a +4 of 0000 means none), "A1A 1A1" in Canada, else as found.
	PostalCode string `json:"postal_code"`
	// Country is the ISO 3166-1 alpha-3 code.
	Country string `json:"country"`
}

// Height in both unit systems. Unit says which one the card used.
type Height struct {
	Inches      int    `json:"inches"`
	Centimeters int    `json:"centimeters"`
	Unit        string `json:"unit"` // "in" or "cm"
}

// Weight in both unit systems, or only a range when the card gives one.
type Weight struct {
	Pounds    int    `json:"pounds,omitempty"`
	Kilograms int    `json:"kilograms,omitempty"`
	Unit      string `json:"unit,omitempty"` // "lb" or "kg"
	// Range is the D20 weight range 0-9 (DCE), -1 when absent; see
	// WeightRanges.
	Range int `json:"range"`
}

// WeightRanges are the D20 weight ranges in pounds, indexed by
// Weight.Range: up to 70, 71-100, 101-130, 131-160, 161-190, 191-220,
// 221-250, 251-280, 281-320, over 320.
var WeightRanges = [10][2]int{{0, 70}, {71, 100}, {101, 130}, {131, 160}, {161, 190}, {191, 220},
	{221, 250}, {251, 280}, {281, 320}, {321, 0}}

// Problem codes.
const (
	ProblemUnknownIIN      = "unknown_iin"      // the IIN is not in the AAMVA table
	ProblemIINJurisdiction = "iin_jurisdiction" // the IIN's jurisdiction is not the address's
	ProblemIINCountry      = "iin_country"      // the IIN's country is not DCG
	ProblemMissing         = "missing_element"  // a mandatory element is absent or empty
	ProblemDate            = "invalid_date"     // not a date in either order
	ProblemSex             = "invalid_sex"
)

// Problem is a validation failure.
type Problem struct {
	// Element is the element ID concerned, or "IIN".
	Element string `json:"element"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Result is a parsed DL/ID payload.
type Result struct {
	Header Header `json:"header"`
	// Issuer is the jurisdiction of the IIN (only IIN set when unknown).
	Issuer Issuer `json:"issuer"`
	// DocumentType is the first subfile type: "DL" or "ID".
	DocumentType string `json:"document_type"`

	Name        Name    `json:"name"`
	DateOfBirth Date    `json:"date_of_birth"`
	Sex         Sex     `json:"sex,omitempty"`
	Address     Address `json:"address"`
	// DocumentNumber is the customer ID number (DAQ) as printed.
	DocumentNumber         string `json:"document_number"`
	IssueDate              Date   `json:"issue_date"`
	ExpiryDate             Date   `json:"expiry_date"`
	RevisionDate           Date   `json:"revision_date"`
	Under18Until           Date   `json:"under_18_until"`
	Under19Until           Date   `json:"under_19_until"`
	Under21Until           Date   `json:"under_21_until"`
	DocumentDiscriminator  string `json:"document_discriminator,omitempty"`
	InventoryControlNumber string `json:"inventory_control_number,omitempty"`
	AuditInformation       string `json:"audit_information,omitempty"`
	PlaceOfBirth           string `json:"place_of_birth,omitempty"`
	// Country is the ISO 3166-1 alpha-3 code of the issuer: DCG, else the
	// IIN's country.
	Country string  `json:"country"`
	Height  *Height `json:"height,omitempty"`
	Weight  *Weight `json:"weight,omitempty"`
	// EyeColor and HairColor are D20 codes (BRO, BLU... BLN, BAL...).
	EyeColor  string `json:"eye_color,omitempty"`
	HairColor string `json:"hair_color,omitempty"`
	// VehicleClass, Restrictions and Endorsements are the jurisdiction
	// codes (DCA/DAR, DCB/DAS, DCD/DAT); "NONE" is given as empty.
	VehicleClass    string     `json:"vehicle_class,omitempty"`
	Restrictions    string     `json:"restrictions,omitempty"`
	Endorsements    string     `json:"endorsements,omitempty"`
	Compliance      Compliance `json:"compliance,omitempty"`
	LimitedDuration bool       `json:"limited_duration"`
	OrganDonor      bool       `json:"organ_donor"`
	Veteran         bool       `json:"veteran"`

	// Subfiles hold every element in order, values as found.
	Subfiles []Subfile `json:"subfiles"`
	// Elements maps each element ID to its value with surrounding spaces
	// removed (the first occurrence when an ID repeats).
	Elements map[string]string `json:"elements"`
	// Unparsed holds data that is not an element (kept, never dropped).
	Unparsed []string `json:"unparsed,omitempty"`

	Problems []Problem `json:"problems,omitempty"`
	// Valid is true when there are no problems.
	Valid bool `json:"valid"`
	// Warnings list departures from the standard Parse tolerated.
	Warnings []string `json:"warnings,omitempty"`
}

// Date is a calendar date read from the payload.
type Date struct {
	Year  int
	Month time.Month
	Day   int
	// Raw is the eight characters as found.
	Raw string
}

// Valid reports whether the date was read.
func (d Date) Valid() bool { return d.Year > 0 }

// String returns YYYY-MM-DD, or "" for no date.
func (d Date) String() string {
	if !d.Valid() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// MarshalJSON writes YYYY-MM-DD or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if !d.Valid() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}
