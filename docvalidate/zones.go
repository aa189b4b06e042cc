package docvalidate

import (
	"strings"
	"time"

	"github.com/idkit-dev/idkit/aamva"
	"github.com/idkit-dev/idkit/mrz"
)

// zones is the input once its raw zones are parsed, with the reconciled
// summary.
type zones struct {
	in    Input
	typ   string
	today time.Time
	// ageDay is the date the holder's age is counted on.
	ageDay time.Time

	mrz, visual, barcode *Fields

	mrzRes *mrz.Result // nil when no MRZ lines were given or they did not parse
	mrzErr error
	bcRes  *aamva.Result
	bcErr  error

	summary Summary
	birth   mrz.Date // the reconciled birth date; zero when unknown or malformed
}

// ordered returns the zones read, most trusted first: the MRZ is protected
// by check digits, the barcode by its structure, the visual zone by nothing.
func (z *zones) ordered() []zoneFields {
	var out []zoneFields
	for _, zf := range []zoneFields{{ZoneMRZ, z.mrz}, {ZoneBarcode, z.barcode}, {ZoneVisual, z.visual}} {
		if zf.f != nil {
			out = append(out, zf)
		}
	}
	return out
}

type zoneFields struct {
	zone Zone
	f    *Fields
}

// readZones reads the zones of in; today is the UTC reference date and
// ageDay the date the holder's age is counted on (UTC−12, see Summary.Age).
func readZones(in Input, today, ageDay time.Time) *zones {
	z := &zones{in: in, today: today, ageDay: ageDay, mrz: in.MRZ, visual: in.Visual, barcode: in.Barcode}
	if len(in.MRZLines) > 0 {
		z.mrzRes, z.mrzErr = mrz.Parse(in.MRZLines, mrz.Options{Reference: today})
		z.mrz = nil
		if z.mrzErr == nil {
			z.mrz = fieldsFromMRZ(z.mrzRes)
		}
	}
	if strings.TrimSpace(in.BarcodePayload) != "" {
		z.bcRes, z.bcErr = aamva.ParseString(in.BarcodePayload)
		z.barcode = nil
		if z.bcErr == nil {
			z.barcode = fieldsFromAAMVA(z.bcRes)
		}
	}
	for _, f := range []**Fields{&z.mrz, &z.visual, &z.barcode} {
		if *f != nil && (*f).empty() {
			*f = nil
		}
	}
	z.typ = z.docType()
	z.summarize()
	return z
}

func fieldsFromMRZ(r *mrz.Result) *Fields {
	f := &Fields{
		DocumentCode:   r.DocumentCode,
		DocumentNumber: r.DocumentNumber,
		Surname:        r.Surname,
		GivenNames:     r.GivenNames,
		Nationality:    r.Nationality,
		IssuingCountry: r.IssuingState,
		Sex:            string(r.Sex),
		BirthDate:      r.BirthDate.String(),
		ExpiryDate:     r.ExpiryDate.String(),
	}
	if r.Format == mrz.TD3 {
		f.PersonalNumber = r.OptionalData
	}
	return f
}

func fieldsFromAAMVA(r *aamva.Result) *Fields {
	sub := r.Issuer.Code
	if sub == "" {
		sub = r.Address.Jurisdiction
	}
	return &Fields{
		DocumentNumber: r.DocumentNumber,
		Surname:        r.Name.Family,
		GivenNames:     r.Name.Given,
		IssuingCountry: r.Country,
		Subdivision:    sub,
		Sex:            string(r.Sex),
		BirthDate:      r.DateOfBirth.String(),
		IssueDate:      r.IssueDate.String(),
		ExpiryDate:     r.ExpiryDate.String(),
	}
}

// fieldNames are the JSON names of Fields, in the order reports list them.
var fieldNames = []string{"document_code", "document_number", "surname", "given_names", "nationality",
	"issuing_country", "subdivision", "sex", "birth_date", "issue_date", "expiry_date", "personal_number"}

func knownField(name string) bool {
	for _, n := range fieldNames {
		if n == name {
			return true
		}
	}
	return false
}

// get returns a field by its JSON name, trimmed.
func (f *Fields) get(name string) string {
	if f == nil {
		return ""
	}
	var v string
	switch name {
	case "document_code":
		v = f.DocumentCode
	case "document_number":
		v = f.DocumentNumber
	case "surname":
		v = f.Surname
	case "given_names":
		v = f.GivenNames
	case "nationality":
		v = f.Nationality
	case "issuing_country":
		v = f.IssuingCountry
	case "subdivision":
		v = f.Subdivision
	case "sex":
		v = f.Sex
	case "birth_date":
		v = f.BirthDate
	case "issue_date":
		v = f.IssueDate
	case "expiry_date":
		v = f.ExpiryDate
	case "personal_number":
		v = f.PersonalNumber
	}
	return strings.TrimSpace(v)
}

func (f *Fields) empty() bool {
	for _, n := range fieldNames {
		if f.get(n) != "" {
			return false
		}
	}
	return true
}

// confidence returns the reader's confidence in a field, 1 when not given.
func (f *Fields) confidence(name string) float64 {
	if f == nil || f.Confidence == nil {
		return 1
	}
	if c, ok := f.Confidence[name]; ok {
		return c
	}
	return 1
}

// pick returns a field from the most trusted zone that has it.
func (z *zones) pick(name string) string {
	for _, zf := range z.ordered() {
		if v := zf.f.get(name); v != "" {
			return v
		}
	}
	return ""
}

func (z *zones) docType() string {
	if t := strings.ToLower(strings.TrimSpace(z.in.Type)); t != "" {
		return t
	}
	if z.mrzRes != nil && z.mrzRes.DocumentType != mrz.OtherDocument {
		return string(z.mrzRes.DocumentType)
	}
	if code := z.pick("document_code"); code != "" {
		switch code[0] {
		case 'P':
			return Passport
		case 'I', 'A', 'C':
			return IDCard
		case 'V':
			return Visa
		}
	}
	if z.bcRes != nil {
		if z.bcRes.DocumentType == "ID" {
			return IDCard
		}
		return DriverLicense
	}
	if z.barcode != nil {
		return DriverLicense
	}
	return ""
}

// alpha3 turns an MRZ or ISO code into the ISO alpha-3 code ("D" → "DEU");
// ok is false for codes that name no country.
func alpha3(code string) (string, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return "", false
	}
	c, ok := mrz.LookupCountry(code)
	if !ok {
		return "", false
	}
	if c.Alpha3 != "" {
		return c.Alpha3, true
	}
	if c.Kind == mrz.CountryISO {
		return c.Code, true
	}
	return "", false
}

func (z *zones) summarize() {
	s := Summary{
		Type:           z.typ,
		Subdivision:    strings.ToUpper(z.pick("subdivision")),
		DocumentNumber: z.pick("document_number"),
		Surname:        z.pick("surname"),
		GivenNames:     z.pick("given_names"),
		Nationality:    z.pick("nationality"),
		Sex:            strings.ToUpper(z.pick("sex")),
		BirthDate:      z.pick("birth_date"),
		IssueDate:      z.pick("issue_date"),
		ExpiryDate:     z.pick("expiry_date"),
	}
	if s.Type == "" {
		s.Type = "unknown"
	}
	if s.Subdivision == "" {
		s.Subdivision = strings.ToUpper(strings.TrimSpace(z.in.Subdivision))
	}
	country := z.pick("issuing_country")
	if country == "" {
		country = z.in.Country
	}
	country = strings.ToUpper(strings.TrimSpace(country))
	s.Specimen = country == mrz.SpecimenCode || strings.EqualFold(s.Nationality, mrz.SpecimenCode)
	if a3, ok := alpha3(country); ok {
		s.Country = a3
	} else {
		s.Country = country
	}
	for _, zf := range z.ordered() {
		s.Zones = append(s.Zones, zf.zone)
	}
	if s.Zones == nil {
		s.Zones = []Zone{}
	}
	if d, err := mrz.ParseISODate(s.BirthDate); err == nil && d.Valid() {
		z.birth = d
		// Once the earliest day the date can stand for has come, the age is
		// known from below: counted from the latest day, 0 while that is
		// still ahead (a birth year of this year, month unknown). Waiting
		// for the latest day would leave the age unknown and the majority
		// check skipped for a holder who is at most months old.
		if !d.Time().After(z.today) {
			a := ageOn(d, z.ageDay) // 0 for a birth on the UTC day that has not begun at UTC−12
			s.Age = &a
		}
	}
	if d, err := mrz.ParseISODate(s.ExpiryDate); err == nil && d.Valid() {
		s.Expired = lastDay(d).Before(z.today)
	}
	z.summary = s
}

// youngest returns the latest day a partial birth date can stand for.
func youngest(d mrz.Date) time.Time { return lastDay(d) }

// lastDay returns the last day a possibly partial date stands for.
func lastDay(d mrz.Date) time.Time {
	switch {
	case d.Month == 0:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	case d.Day == 0:
		return time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return d.Time()
}

// ageOn is the age in whole years on day of someone born at the latest on
// the last day birth stands for. A person born on 29 February comes of age
// on 1 March in common years.
func ageOn(birth mrz.Date, day time.Time) int {
	b := youngest(birth)
	years := day.Year() - b.Year()
	if day.Month() < b.Month() || day.Month() == b.Month() && day.Day() < b.Day() {
		years--
	}
	return max(years, 0)
}
