package aamva

import (
	"slices"
	"strings"
	"unicode"
)

// This file holds what the separator-less scan (scan.go) knows of the
// elements from the standard: which versions define them, the form of
// their values, and the order issuers write them in.

// versionSet is a set of AAMVA versions, bit v for version v (1 to 10).
type versionSet uint16

// versionRange is the set of versions lo to hi.
func versionRange(lo, hi int) versionSet {
	var s versionSet
	for v := lo; v <= hi; v++ {
		s |= 1 << v
	}
	return s
}

func (s versionSet) has(v int) bool { return s&(1<<v) != 0 }

var (
	allVersions = versionRange(1, 10)
	version1    = versionRange(1, 1)
	version2On  = versionRange(2, 10)
	version4On  = versionRange(4, 10)
)

// elemSpec is what the scan knows of an element from the standard (Annex D
// of the DL/ID-2000 standard for version 1, of the Card Design Standard
// from 2003 on).
type elemSpec struct {
	// defined and mandatory are the versions that define the element and
	// those that make it mandatory.
	defined, mandatory versionSet
	// fixed is the length of a fixed-length element whose value is never
	// padded (dates, one-character codes): the next element starts right
	// after it.
	fixed int
	// size is the length the standard gives (F or V); a longer value of a
	// code or number is wrong, and a value shorter than it ending in one
	// space is a word, not padding.
	size int
	// text marks names and addresses: free text, where element IDs turn
	// up inside words; their length is not checked (issuers exceed it).
	text bool
	// date marks 8-digit dates.
	date bool
	// name marks the cardholder's names: they start with a letter, and a
	// cut right after a comma in one falls between its parts.
	name bool
	// written marks an element issuers write even empty (Washington's and
	// New Jersey's name suffix), so dropping it costs more.
	written bool
	// nonEmpty marks names that are never empty, mandatory or not
	// (version 1 has DAA or DAB and DAC).
	nonEmpty bool
	// valid checks the form of a non-empty value, spaces trimmed.
	valid func(string) bool
	// usual checks a valid value against the codes the standard lists;
	// issuers use others (New Jersey's compliance type B), so one that is
	// not costs less than a wrong value.
	usual func(string) bool
}

// scanSpecs are the elements the scan looks for: the ones issuers commonly
// write. The rare ones (residence address DAL-DAP, aliases, standard
// codes...) are left out because their IDs turn up inside values too
// often ("ADAM" holds DAM, "DANIEL" DAN); when present they stay attached
// to the value before them, so nothing is lost, unless they follow a
// fixed-length element, which ends where the next element starts.
var scanSpecs = map[string]elemSpec{
	// Names: DAA-DAB in version 1, DCS and DCT (all given names) in 2 and
	// 3, DCS, DAC and DAD from 4 on (DAC and DAD also in 1).
	"DAA": {defined: version1, size: 35, text: true, name: true, nonEmpty: true},
	"DAB": {defined: version1, size: 35, text: true, name: true, nonEmpty: true},
	"DAC": {defined: version1 | version4On, mandatory: version4On, size: 40, text: true, name: true, nonEmpty: true},
	"DAD": {defined: version1 | version4On, mandatory: version4On, size: 40, text: true, name: true},
	"DCS": {defined: version2On, mandatory: version2On, size: 40, text: true, name: true, nonEmpty: true},
	"DCT": {defined: versionRange(2, 3), mandatory: versionRange(2, 3), size: 80, text: true, name: true, nonEmpty: true},
	"DCU": {defined: version2On, size: 5, written: true, usual: nameSuffix},
	"DCI": {defined: version2On, size: 33, text: true},

	"DAG": {defined: allVersions, mandatory: allVersions, size: 35, text: true},
	"DAH": {defined: allVersions, size: 35, text: true},
	"DAI": {defined: allVersions, mandatory: allVersions, size: 20, text: true},
	"DAJ": {defined: allVersions, mandatory: allVersions, fixed: 2, size: 2, valid: allLetters},
	"DAK": {defined: allVersions, mandatory: allVersions, size: 11, valid: postalLike},
	"DCG": {defined: version2On, mandatory: version2On, fixed: 3, size: 3, valid: allLetters},

	"DAQ": {defined: allVersions, mandatory: allVersions, size: 25},
	"DCF": {defined: version2On, mandatory: version2On, size: 25},
	"DCJ": {defined: version2On, size: 25},
	"DCK": {defined: version2On, size: 25},

	"DBA": {defined: allVersions, mandatory: allVersions, fixed: 8, size: 8, date: true},
	"DBB": {defined: allVersions, mandatory: allVersions, fixed: 8, size: 8, date: true},
	"DBD": {defined: allVersions, mandatory: allVersions, fixed: 8, size: 8, date: true},
	"DDB": {defined: version4On, fixed: 8, size: 8, date: true},
	"DDC": {defined: version4On, fixed: 8, size: 8, date: true},
	"DDH": {defined: version4On, fixed: 8, size: 8, date: true},
	"DDI": {defined: version4On, fixed: 8, size: 8, date: true},
	"DDJ": {defined: version4On, fixed: 8, size: 8, date: true},

	"DBC": {defined: allVersions, mandatory: allVersions, fixed: 1, size: 1, valid: sexCode},
	"DAU": {defined: allVersions, mandatory: version2On, size: 6, valid: startsWithDigit},
	"DAW": {defined: allVersions, size: 3, valid: weightDigits},
	"DAX": {defined: allVersions, size: 3, valid: weightDigits},
	"DCE": {defined: version2On, fixed: 1, size: 1, valid: allDigits},
	"DAY": {defined: allVersions, mandatory: version2On, size: 12, valid: allLetters},
	"DAZ": {defined: allVersions, size: 12, valid: allLetters},

	// Licence class, restrictions and endorsements: DAR-DAT in version 1
	// (F4, F10, F5, padded), DCA, DCB, DCD from 2 on.
	"DAR": {defined: version1, size: 4},
	"DAS": {defined: version1, size: 10},
	"DAT": {defined: version1, size: 5},
	"DCA": {defined: version2On, mandatory: version2On, size: 6},
	"DCB": {defined: version2On, mandatory: version2On, size: 12},
	"DCD": {defined: version2On, mandatory: version2On, size: 5},

	// Version 1 only: issue timestamp, duplicates, organ donor (to 3),
	// non-resident.
	"DBE": {defined: version1},
	"DBF": {defined: version1, size: 2},
	"DBH": {defined: versionRange(1, 3)},
	"DBI": {defined: version1, fixed: 1, size: 1, valid: oneOf("YN")},

	// One-character codes: compliance type F, M or N, truncation T, N or
	// U, indicators 1 (0, and Y or N as Virginia writes DDD).
	"DDA": {defined: version4On, fixed: 1, size: 1, valid: allLetters, usual: oneOf("FMN")},
	"DDD": {defined: version4On, fixed: 1, size: 1, valid: oneOf("01YN")},
	"DDE": {defined: version4On, mandatory: version4On, fixed: 1, size: 1, valid: oneOf("TNU")},
	"DDF": {defined: version4On, mandatory: version4On, fixed: 1, size: 1, valid: oneOf("TNU")},
	"DDG": {defined: version4On, mandatory: version4On, fixed: 1, size: 1, valid: oneOf("TNU")},
	"DDK": {defined: version4On, fixed: 1, size: 1, valid: oneOf("01YN")},
	"DDL": {defined: version4On, fixed: 1, size: 1, valid: oneOf("01YN")},
}

// The validators take a non-empty value, spaces trimmed.

func allLetters(v string) bool {
	return strings.IndexFunc(v, func(c rune) bool { return !unicode.IsLetter(c) }) < 0
}

func allDigits(v string) bool {
	_, ok := digitsAt(v, 0, len(v))
	return ok
}

// oneOf accepts one of the characters of set.
func oneOf(set string) func(string) bool {
	return func(v string) bool { return len(v) == 1 && strings.Contains(set, v) }
}

// nameSuffix accepts the name suffixes the standard lists (JR, SR, 1ST or
// I to 9TH or IX), with or without a final period, and NONE.
func nameSuffix(v string) bool {
	switch strings.TrimSuffix(strings.ToUpper(v), ".") {
	case "JR", "SR", "ESQ", "NONE", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
		"1ST", "2ND", "3RD", "4TH", "5TH", "6TH", "7TH", "8TH", "9TH":
		return true
	}
	return false
}

// startsWithDigit accepts a height: the units after the number vary.
func startsWithDigit(v string) bool { return v[0] >= '0' && v[0] <= '9' }

// sexCode accepts one D20 sex code (1, 2, 9) or one of the letters
// issuers write instead.
var sexCode = oneOf("129MFXU")

// weightDigits accepts what Result.weight reads: digits, maybe a unit.
func weightDigits(v string) bool {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(v), "LB"), "KG"))
	_, ok := digitsAt(v, 0, len(v))
	return ok && v != ""
}

// postalLike accepts a ZIP, ZIP+4 or Canadian postal code, or another code
// of letters, digits, spaces and dashes with at least one digit.
func postalLike(v string) bool {
	digit := false
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c == ' ' || c == '-' || unicode.IsLetter(c):
		default:
			return false
		}
	}
	return digit
}

// addressEnds are words that end an address: street types (USPS
// Publication 28 abbreviations and the words they abbreviate), directions
// and unit designators.
var addressEnds = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`ALY ALLEY AVE AV AVENUE BLVD BOULEVARD BND BEND CIR CIRCLE CRES CRESCENT
		CT COURT CTR CENTER CV COVE DR DRIVE EXPY EXPRESSWAY FWY FREEWAY HWY HIGHWAY LN LANE LOOP
		PASS PATH PIKE PKWY PARKWAY PL PLACE PLZ PLAZA PT POINT RD ROAD ROW RUN SQ SQUARE ST STREET
		TER TERRACE TPKE TURNPIKE TRL TRAIL WAY XING
		N S E W NE NW SE SW NORTH SOUTH EAST WEST
		APT BLDG FL LOT RM STE SUITE TRLR UNIT`) {
		m[w] = true
	}
	return m
}()

// endsAddressWord reports whether an address ends where a word must end:
// its last word holds a digit or other character that is not a letter (a
// house or unit number, a period), or is one of addressEnds. It runs for
// every pair of places, so it neither allocates nor reads more than the
// last word.
func endsAddressWord(v string) bool {
	v = strings.TrimRight(v, " ")
	last := v[strings.LastIndexByte(v, ' ')+1:]
	if strings.IndexFunc(last, func(c rune) bool { return !unicode.IsLetter(c) }) >= 0 {
		return true
	}
	var upper [len("EXPRESSWAY")]byte
	if len(last) > len(upper) {
		return false
	}
	for i := range len(last) {
		upper[i] = last[i] &^ ('a' - 'A') // ASCII letters to upper case; bytes of others stay past 0x7F
	}
	return addressEnds[string(upper[:len(last)])]
}

// canonicalOrder is the order of the elements in the standard's tables
// from version 2 on (mandatory, then optional ones). Issuers mostly keep
// to it, so among splits that cost the same the one with the fewest
// elements out of this order wins: in MCDAID the DAI that follows the
// family name is not the city when one follows the street.
var canonicalOrder = strings.Fields(`DCA DCB DCD DBA DCS DCT DAC DAD DBD DBB DBC DAY DAU DAG DAI DAJ
	DAK DAQ DCF DCG DDE DDF DDG DAH DAZ DCI DCJ DCK DCU DCE DDA DDB DDC DDD DAW DAX DDH DDI DDJ
	DDK DDL`)

// orderRanks maps each element of a version's order to its rank in it,
// for outOfOrder. Version 1 lists the elements by ID, and its issuers
// mostly write them so.
func orderRanks(version int) map[string]int {
	order := canonicalOrder
	if version == 1 {
		order = make([]string, 0, len(scanSpecs))
		for id := range scanSpecs {
			order = append(order, id)
		}
		slices.Sort(order)
	}
	m := make(map[string]int, len(order))
	for i, id := range order {
		m[id] = i
	}
	return m
}

var ranksV1, ranksV2On = orderRanks(1), orderRanks(2)
