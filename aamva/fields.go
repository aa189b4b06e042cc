package aamva

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
)

// get returns the first non-empty value among ids, trimmed of spaces and
// trailing commas (Ontario ends names and streets with one).
func (r *Result) get(ids ...string) string {
	for _, id := range ids {
		if v := strings.TrimRight(strings.TrimSpace(r.Elements[id]), ", "); v != "" {
			return v
		}
	}
	return ""
}

// none maps the placeholder NONE to empty.
func none(s string) string {
	if strings.EqualFold(s, "NONE") {
		return ""
	}
	return s
}

func (r *Result) normalise() {
	is, _ := LookupIIN(r.Header.IIN)
	r.Issuer = is
	r.Country = countryCode(r.get("DCG"))
	if r.Country == "" {
		r.Country = is.Country
	}

	// Canada and version 1 write CCYYMMDD, the United States MMDDCCYY.
	ymdFirst := r.Header.Version <= 1 || r.Country == "CAN"
	r.DateOfBirth = r.date("DBB", ymdFirst)
	r.IssueDate = r.date("DBD", ymdFirst)
	r.ExpiryDate = r.date("DBA", ymdFirst)
	r.RevisionDate = r.date("DDB", ymdFirst)
	r.Under18Until = r.date("DDH", ymdFirst)
	r.Under19Until = r.date("DDI", ymdFirst)
	r.Under21Until = r.date("DDJ", ymdFirst)

	r.Name = r.name()
	r.Sex = r.sex()
	r.Address = Address{
		Street1:      r.get("DAG", "DAL"),
		Street2:      r.get("DAH", "DAM"),
		City:         r.get("DAI", "DAN"),
		Jurisdiction: r.get("DAJ", "DAO"),
		PostalCode:   postalCode(r.get("DAK", "DAP"), r.Country),
		Country:      r.Country,
	}
	r.DocumentNumber = r.get("DAQ")
	r.DocumentDiscriminator = none(r.get("DCF"))
	r.InventoryControlNumber = none(r.get("DCK"))
	r.AuditInformation = none(r.get("DCJ"))
	r.PlaceOfBirth = none(r.get("DCI"))
	r.Height = r.height()
	r.Weight = r.weight()
	r.EyeColor = color(r.get("DAY"), eyeColors)
	r.HairColor = color(r.get("DAZ"), hairColors)
	r.VehicleClass = none(r.get("DCA", "DAR"))
	r.Restrictions = none(r.get("DCB", "DAS"))
	r.Endorsements = none(r.get("DCD", "DAT"))
	switch strings.ToUpper(r.get("DDA")) {
	case "F":
		r.Compliance = FullyCompliant
	case "M":
		r.Compliance = MateriallyCompliant
	case "N":
		r.Compliance = NonCompliant
	}
	r.LimitedDuration = r.get("DDD") == "1"
	switch strings.ToUpper(r.get("DBH")) { // version 1-3 organ donor
	case "Y", "YES", "1", "DONOR":
		r.OrganDonor = true
	}
	r.OrganDonor = r.OrganDonor || r.get("DDK") == "1"
	r.Veteran = r.get("DDL") == "1"
}

func countryCode(s string) string {
	switch strings.ToUpper(s) {
	case "USA", "US":
		return "USA"
	case "CAN", "CA":
		return "CAN"
	case "MEX", "MX":
		return "MEX"
	}
	return ""
}

// date reads an 8-digit date in the order the standard gives for the
// issuer, falling back to the other order when the first is no date.
func (r *Result) date(id string, ymdFirst bool) Date {
	raw := r.get(id)
	if raw == "" {
		return Date{}
	}
	digits := strings.Map(func(c rune) rune {
		if c == '-' || c == '/' || c == '.' || c == ' ' {
			return -1
		}
		return c
	}, raw)
	mdy, okM := readDate(digits, false)
	ymd, okY := readDate(digits, true)
	first, second, okF, okS, order := mdy, ymd, okM, okY, "CCYYMMDD"
	if ymdFirst {
		first, second, okF, okS, order = ymd, mdy, okY, okM, "MMDDCCYY"
	}
	switch {
	case okF:
		first.Raw = raw
		return first
	case okS:
		r.warn("%s %q read as %s, the other order than the issuer's standard", id, raw, order)
		second.Raw = raw
		return second
	}
	r.problem(id, ProblemDate, fmt.Sprintf("%q is a date in neither MMDDCCYY nor CCYYMMDD", raw))
	return Date{Raw: raw}
}

// readDate reads CCYYMMDD (ymd) or MMDDCCYY, years 1900 to 2199.
func readDate(s string, ymd bool) (Date, bool) {
	if len(s) != 8 {
		return Date{}, false
	}
	if _, ok := digitsAt(s, 0, 8); !ok {
		return Date{}, false
	}
	var y, m, d int
	if ymd {
		y, m, d = atoi(s[0:4]), atoi(s[4:6]), atoi(s[6:8])
	} else {
		m, d, y = atoi(s[0:2]), atoi(s[2:4]), atoi(s[4:8])
	}
	if y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return Date{}, false
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, true
}

func (r *Result) problem(element, code, msg string) {
	r.Problems = append(r.Problems, Problem{Element: element, Code: code, Message: msg})
}

// name assembles the name from whichever elements the version uses:
// DCS/DAC/DAD (version 4 on), DCS + DCT given names (2 and 3), DAB/DAC/DAD
// or the full name DAA (1).
func (r *Result) name() Name {
	n := Name{
		Family: r.get("DCS", "DAB"),
		First:  r.get("DAC"),
		Middle: none(r.get("DAD")),
		Suffix: none(r.get("DCU", "DAE")),
		Prefix: none(r.get("DAF")),
	}
	if n.Family == "" {
		if full := r.get("DAA"); full != "" {
			n = fullName(full, n)
		}
	}
	if n.First == "" {
		if given := r.get("DCT"); given != "" {
			n.First, n.Middle = splitGiven(given)
		}
	}
	if n.Middle == "" && strings.Contains(n.First, " ") {
		// Some issuers (Wyoming) put the middle name after the first.
		n.First, n.Middle = splitGiven(n.First)
	}
	n.Given = strings.TrimSpace(n.First + " " + n.Middle)
	n.FamilyTruncated = truncation(r.get("DDE"))
	n.FirstTruncated = truncation(r.get("DDF"))
	n.MiddleTruncated = truncation(r.get("DDG"))
	return n
}

// fullName splits the version 1 full name: "FAMILY,FIRST,MIDDLE,SUFFIX"
// as the standard writes it, or "FIRST MIDDLE FAMILY" from issuers that
// use spaces only.
func fullName(full string, n Name) Name {
	if strings.Contains(full, ",") {
		parts := strings.Split(full, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		n.Family = parts[0]
		if len(parts) == 2 {
			n.First, n.Middle = splitGiven(parts[1])
			return n
		}
		n.First = parts[1]
		n.Middle = parts[2]
		if len(parts) > 3 {
			n.Suffix = strings.Join(parts[3:], " ")
			n.Suffix = strings.TrimSpace(n.Suffix)
		}
		return n
	}
	words := strings.Fields(full)
	switch len(words) {
	case 1:
		n.Family = words[0]
	default:
		n.First = words[0]
		n.Family = words[len(words)-1]
		n.Middle = strings.Join(words[1:len(words)-1], " ")
	}
	return n
}

// splitGiven splits given names at the first comma, else the first space.
func splitGiven(s string) (first, middle string) {
	sep := " "
	if strings.Contains(s, ",") {
		sep = ","
	}
	first, middle, _ = strings.Cut(s, sep)
	middle = strings.Join(strings.Fields(strings.ReplaceAll(middle, ",", " ")), " ")
	return strings.TrimSpace(first), middle
}

func truncation(s string) Truncation {
	switch strings.ToUpper(s) {
	case "T":
		return Truncated
	case "N":
		return NotTruncated
	case "U":
		return TruncationUnknown
	}
	return ""
}

func (r *Result) sex() Sex {
	v := r.get("DBC")
	switch strings.ToUpper(v) {
	case "":
		return ""
	case "1", "M":
		return Male
	case "2", "F":
		return Female
	case "9", "X":
		return SexUnspecified
	}
	r.problem("DBC", ProblemSex, fmt.Sprintf("%q is not a D20 sex code (1, 2, 9)", v))
	return ""
}

// postalCode normalises a US ZIP (zero +4 means unknown, per the standard)
// or a Canadian postal code.
func postalCode(s, country string) string {
	switch country {
	case "CAN":
		c := strings.ToUpper(strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' {
				return -1
			}
			return r
		}, s))
		if len(c) == 6 {
			return c[:3] + " " + c[3:]
		}
		return c
	case "USA":
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		switch {
		case len(digits) >= 9 && digits[5:9] != "0000":
			return digits[:5] + "-" + digits[5:9]
		case len(digits) >= 5:
			return digits[:5]
		}
	}
	return s
}

var (
	heightUnit  = regexp.MustCompile(`^0*([0-9]{1,3})\s*(IN|CM)$`)
	heightFeet  = regexp.MustCompile(`^([0-9])\s*['-]\s*-?\s*([0-9]{1,2})\s*"?$`)
	heightDigit = regexp.MustCompile(`^[0-9]{3}$`)
)

// height reads DAU: "072 IN", "180 CM", version 1's FII ("510" is 5 ft
// 10 in), 5'-10"; else DAV (centimetres, versions 1-3).
func (r *Result) height() *Height {
	s := strings.ToUpper(r.get("DAU"))
	switch {
	case s == "":
	case heightUnit.MatchString(s):
		m := heightUnit.FindStringSubmatch(s)
		if m[2] == "CM" {
			return fromCM(atoi(m[1]))
		}
		return fromInches(atoi(m[1]))
	case heightFeet.MatchString(s):
		m := heightFeet.FindStringSubmatch(s)
		return fromInches(atoi(m[1])*12 + atoi(m[2]))
	case heightDigit.MatchString(s):
		if s[0] == '0' {
			return fromInches(atoi(s))
		}
		if in := atoi(s[1:]); in < 12 {
			return fromInches(atoi(s[:1])*12 + in)
		}
		r.warn("DAU %q: no unit and not feet-inches", s)
	default:
		r.warn("DAU %q is not a height", s)
	}
	if cm := r.get("DAV"); cm != "" {
		if v, ok := digitsAt(cm, 0, len(cm)); ok {
			return fromCM(v)
		}
	}
	return nil
}

func fromInches(in int) *Height {
	return &Height{Inches: in, Centimeters: int(math.Round(float64(in) * 2.54)), Unit: "in"}
}

func fromCM(cm int) *Height {
	return &Height{Inches: int(math.Round(float64(cm) / 2.54)), Centimeters: cm, Unit: "cm"}
}

// weight reads DAW (pounds), DAX (kilograms) and the range DCE.
func (r *Result) weight() *Weight {
	w := &Weight{Range: -1}
	found := false
	if v := strings.TrimSpace(strings.TrimSuffix(strings.ToUpper(r.get("DAW")), "LB")); v != "" {
		if lb, ok := digitsAt(v, 0, len(v)); ok && lb > 0 {
			w.Pounds, w.Kilograms, w.Unit = lb, int(math.Round(float64(lb)*0.45359237)), "lb"
			found = true
		}
	}
	if v := strings.TrimSpace(strings.TrimSuffix(strings.ToUpper(r.get("DAX")), "KG")); v != "" && !found {
		if kg, ok := digitsAt(v, 0, len(v)); ok && kg > 0 {
			w.Kilograms, w.Pounds, w.Unit = kg, int(math.Round(float64(kg)/0.45359237)), "kg"
			found = true
		}
	}
	if v := r.get("DCE"); len(v) == 1 && v[0] >= '0' && v[0] <= '9' {
		w.Range = int(v[0] - '0')
		found = true
	}
	if !found {
		return nil
	}
	return w
}

// D20 colour codes and the spellings issuers use instead.
var (
	eyeColors = map[string]string{"BLK": "BLK", "BLU": "BLU", "BRO": "BRO", "DIC": "DIC", "GRY": "GRY",
		"GRN": "GRN", "HAZ": "HAZ", "MAR": "MAR", "PNK": "PNK", "UNK": "UNK",
		"BLACK": "BLK", "BLUE": "BLU", "BROWN": "BRO", "BN": "BRO", "BR": "BRO", "GRAY": "GRY", "GREY": "GRY",
		"BRN": "BRO", "GREEN": "GRN", "GN": "GRN", "HAZEL": "HAZ", "HZ": "HAZ", "MAROON": "MAR", "PINK": "PNK", "DICHROMATIC": "DIC"}
	hairColors = map[string]string{"BAL": "BAL", "BLK": "BLK", "BLN": "BLN", "BRO": "BRO", "GRY": "GRY",
		"RED": "RED", "SDY": "SDY", "WHI": "WHI", "UNK": "UNK",
		"BALD": "BAL", "BLACK": "BLK", "BK": "BLK", "BLOND": "BLN", "BLONDE": "BLN", "BROWN": "BRO", "BRN": "BRO", "BN": "BRO",
		"BR": "BRO", "GRAY": "GRY", "GREY": "GRY", "AUBURN": "RED", "SANDY": "SDY", "WHITE": "WHI"}
)

// color maps a colour to its D20 code; an unknown spelling is kept.
func color(s string, codes map[string]string) string {
	s = none(strings.ToUpper(s))
	if c, ok := codes[s]; ok {
		return c
	}
	return s
}

// validate checks the IIN and mandatory elements.
func (r *Result) validate() {
	is, known := LookupIIN(r.Header.IIN)
	switch {
	case !known:
		r.problem("IIN", ProblemUnknownIIN, fmt.Sprintf("%s is not an AAMVA jurisdiction", r.Header.IIN))
	default:
		if is.Code != "" && r.Address.Jurisdiction != "" && !strings.EqualFold(is.Code, r.Address.Jurisdiction) {
			r.problem("IIN", ProblemIINJurisdiction, fmt.Sprintf("IIN %s is %s, the address is in %s", is.IIN, is.Name, r.Address.Jurisdiction))
		}
		if c := countryCode(r.get("DCG")); c != "" && c != is.Country {
			r.problem("IIN", ProblemIINCountry, fmt.Sprintf("IIN %s is in %s, DCG says %s", is.IIN, is.Country, c))
		}
	}
	if r.DocumentNumber == "" {
		r.problem("DAQ", ProblemMissing, "no customer ID number")
	}
	if r.DateOfBirth.Raw == "" {
		r.problem("DBB", ProblemMissing, "no date of birth")
	}
	if r.Name.Family == "" {
		r.problem("DCS", ProblemMissing, "no family name")
	}
	r.Valid = len(r.Problems) == 0
}
