package docvalidate

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/idkit-dev/idkit/mrz"
)

// Check names for the fields.
const (
	CheckRequiredFields = "required_fields"
	CheckFieldFormats   = "field_formats"
	CheckCountryCodes   = "country_codes"
)

// defaultRequired are the fields a document of each type must yield.
// Given names are never required: some people have none.
func defaultRequired(typ string) []string {
	switch typ {
	case Passport, IDCard, Visa:
		return []string{"document_number", "surname", "birth_date", "expiry_date", "issuing_country"}
	case DriverLicense:
		return []string{"document_number", "surname", "birth_date", "expiry_date"}
	}
	return []string{"document_number", "surname", "birth_date"}
}

func (v *Validator) requiredFields(z *zones) Check {
	req := v.cfg.Required
	if req == nil {
		req = defaultRequired(z.typ)
	}
	c := Check{Name: CheckRequiredFields}
	if len(req) == 0 {
		c.Status, c.Reason = Skip, "no field is required by the configuration"
		return c
	}
	var missing []string
	for _, f := range req {
		v := z.pick(f)
		if f == "issuing_country" && v == "" {
			v = strings.TrimSpace(z.in.Country)
		}
		if v == "" {
			missing = append(missing, f)
		}
	}
	c.Details = map[string]any{"required": req}
	if len(missing) > 0 {
		labels := make([]string, len(missing))
		for i, m := range missing {
			labels[i] = label(m)
		}
		c.Status = Fail
		c.Reason = "required fields not read: " + strings.Join(labels, ", ")
		c.Details["missing"] = missing
		return c
	}
	c.Status, c.Reason = Pass, fmt.Sprintf("all %d required fields were read", len(req))
	return c
}

// numberLimits is the longest document number each type can carry: 9 in a
// passport or visa MRZ, 9 plus the TD1/TD2 overflow in an ID card, 25 in
// an AAMVA licence (DAQ).
func numberLimit(typ string) int {
	switch typ {
	case Passport, Visa:
		return 9
	case IDCard:
		return 22
	}
	return 25
}

// documentCodes are the first letters of the MRZ document codes each type
// may carry (ICAO 9303 parts 4–6).
var documentCodes = map[string]string{Passport: "P", IDCard: "IAC", Visa: "V"}

type formatProblem struct {
	Zone    Zone   `json:"zone"`
	Field   string `json:"field"`
	Value   string `json:"value"`
	Problem string `json:"problem"`
}

func formatCheck(z *zones) Check {
	c := Check{Name: CheckFieldFormats}
	zs := z.ordered()
	if len(zs) == 0 {
		c.Status, c.Reason = Skip, "no field was read"
		return c
	}
	var probs []formatProblem
	n := 0
	for _, zf := range zs {
		for _, name := range fieldNames {
			val := zf.f.get(name)
			if val == "" {
				continue
			}
			n++
			if p := fieldProblem(z.typ, name, val); p != "" {
				probs = append(probs, formatProblem{zf.zone, name, val, p})
			}
		}
	}
	if len(probs) > 0 {
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = fmt.Sprintf("%s %s %s", p.Zone, label(p.Field), p.Problem)
		}
		c.Status, c.Reason = Fail, "malformed fields: "+strings.Join(msgs, "; ")
		c.Details = map[string]any{"problems": probs}
		return c
	}
	c.Status = Pass
	c.Reason = fmt.Sprintf("%d fields well formed for a %s", n, typeLabel(z.typ))
	return c
}

func typeLabel(typ string) string {
	switch typ {
	case "":
		return "document of unknown type"
	case IDCard:
		return "ID card"
	case DriverLicense:
		return "driving licence"
	}
	return strings.ReplaceAll(typ, "_", " ")
}

// fieldProblem says what is wrong with one value, or "".
func fieldProblem(typ, name, val string) string {
	switch name {
	case "document_number":
		n := normNumber(val)
		if strings.Trim(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
			return "holds characters other than letters and digits"
		}
		if max := numberLimit(typ); len(n) > max {
			return fmt.Sprintf("has %d characters, more than the %d a %s holds", len(n), max, typeLabel(typ))
		}
		if len(n) < 4 {
			return fmt.Sprintf("has only %d characters", len(n))
		}
	case "surname", "given_names":
		if utf8.RuneCountInString(val) > 100 {
			return "is longer than 100 characters"
		}
		letters := 0
		for _, r := range val {
			switch {
			case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
				letters++
			case unicode.IsDigit(r):
				return "holds a digit"
			case r == ' ' || r == '-' || r == '\'' || r == '’' || r == '.' || r == ',' || r == '<':
			default:
				return fmt.Sprintf("holds %q", r)
			}
		}
		if letters == 0 {
			return "has no letter"
		}
	case "sex":
		switch strings.ToUpper(val) {
		case "M", "F", "X", "<":
		default:
			return "is not M, F or X"
		}
	case "birth_date", "issue_date", "expiry_date":
		d, err := mrz.ParseISODate(val)
		if err != nil || !d.Valid() {
			return "is not an ISO 8601 date (YYYY-MM-DD)"
		}
		if name != "birth_date" && (d.Month == 0 || d.Day == 0) {
			return "lacks its month or day"
		}
	case "document_code":
		code := strings.ToUpper(val)
		if len(code) > 2 || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ<") != "" {
			return "is not a one- or two-letter MRZ code"
		}
		if allowed, ok := documentCodes[typ]; ok && !strings.ContainsRune(allowed, rune(code[0])) {
			return fmt.Sprintf("%q does not belong to a %s (expected %s)", code, typeLabel(typ), strings.Join(strings.Split(allowed, ""), ", "))
		}
	case "subdivision":
		// Two letters for US states and Canadian provinces; Mexican states
		// have three-letter codes too (COA, HID in the AAMVA IIN table).
		if len(val) < 2 || len(val) > 3 || strings.Trim(strings.ToUpper(val), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return "is not a two- or three-letter state or province code"
		}
	case "personal_number":
		if utf8.RuneCountInString(val) > 30 {
			return "is longer than 30 characters"
		}
	}
	return ""
}

// normNumber drops the separators documents and readers put in numbers.
func normNumber(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '<', '.', '/':
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

func countryCheck(z *zones) Check {
	c := Check{Name: CheckCountryCodes}
	type code struct {
		zone  Zone
		field string
		val   string
	}
	var codes []code
	for _, zf := range z.ordered() {
		for _, f := range []string{"issuing_country", "nationality"} {
			if v := zf.f.get(f); v != "" {
				codes = append(codes, code{zf.zone, f, strings.ToUpper(v)})
			}
		}
	}
	if len(codes) == 0 && strings.TrimSpace(z.in.Country) != "" {
		codes = append(codes, code{"detected", "issuing_country", strings.ToUpper(strings.TrimSpace(z.in.Country))})
	}
	if len(codes) == 0 {
		c.Status, c.Reason = Skip, "no country code was read"
		return c
	}
	var bad, specimen []string
	seen := map[string]bool{}
	details := map[string]any{}
	for _, cd := range codes {
		key := string(cd.zone) + "." + cd.field
		details[key] = cd.val
		country, ok := mrz.LookupCountry(cd.val)
		switch {
		case !ok || len(cd.val) > 3:
			bad = append(bad, fmt.Sprintf("%s %s %q is not an ISO 3166-1 alpha-3 or ICAO code", cd.zone, label(cd.field), cd.val))
		case country.Kind == mrz.CountrySpecimen:
			if !seen[cd.val] {
				specimen = append(specimen, cd.val)
				seen[cd.val] = true
			}
		case cd.field == "issuing_country" && !issuingOrganization(cd.val):
			bad = append(bad, fmt.Sprintf("%s issuing country %q (%s) issues no documents", cd.zone, cd.val, country.Name))
		}
	}
	c.Details = details
	switch {
	case len(bad) > 0:
		c.Status, c.Reason = Fail, strings.Join(bad, "; ")
	case len(specimen) > 0:
		c.Status, c.Reason = Warn, "a specimen of Utopia (UTO), the fictional state of ICAO specimens, not a real document"
	default:
		c.Status, c.Reason = Pass, fmt.Sprintf("%d country codes are ISO 3166-1 or ICAO codes", len(codes))
	}
	return c
}

// issuingOrganization reports whether an ICAO code that is not a country
// may issue travel documents: the UN, EU and the organisations ICAO lists
// do; the stateless and refugee codes (XXA, XXB, XXC, XXX) are
// nationalities, never issuers.
func issuingOrganization(code string) bool {
	switch code {
	case "XXA", "XXB", "XXC", "XXX":
		return false
	}
	return true
}
