package ocr

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/idkit-dev/idkit/aamva"
	"github.com/idkit-dev/idkit/mrz"
)

// Confidences of values read from machine-readable sources. A check digit
// that passes leaves about one chance in ten of an undetected error per
// wrong character, and OCR rarely errs on clean OCR-B, hence 0.99; a
// failed check digit means the value is wrong somewhere.
const (
	confChecked     = 0.99 // MRZ field whose check digit passed
	confUnchecked   = 0.97 // MRZ field without a check digit, zone valid
	confFailedCheck = 0.3  // MRZ field whose check digit failed
	// confResizedNames caps the names when their line had to be
	// lengthened or shortened.
	confResizedNames = 0.6
	confBarcode      = 0.99 // AAMVA field from a payload with no problems
	confBarcodeBad   = 0.85 // AAMVA field from a payload with problems
	// confVisualScale scales the OCR engine's confidence for values picked
	// from the visual zone by label, since the picking can also be wrong.
	confVisualScale = 0.85
)

// fieldsFromMRZ stores the zone's fields.
func fieldsFromMRZ(doc *Document, res *mrz.Result, m *MRZ) {
	// A fresh read replaces any earlier, worse MRZ read.
	for k := range doc.Zones[SourceMRZ] {
		doc.drop(k, SourceMRZ)
	}
	checked := func(field string) float64 {
		c, ok := res.Check(field)
		switch {
		case !ok:
			return unchecked(res, m)
		case !c.OK:
			return confFailedCheck
		case len(res.Repairs) > 0:
			return confChecked - 0.01
		}
		return confChecked
	}
	set := func(name, value string, conf float64) {
		doc.set(name, Field{Value: strings.TrimSpace(value), Confidence: conf, Source: SourceMRZ})
	}
	un := unchecked(res, m)
	names := un
	if nameLineResized(res) {
		// The names' line came out of OCR too long or too short: Repair
		// made it fit, but letters may be lost or added, and no check
		// digit covers names.
		names = min(names, confResizedNames)
	}
	set(FieldDocumentCode, res.DocumentCode, un)
	set(FieldIssuingCountry, countryCode(res.IssuingState), countryConf(res.IssuingState, un))
	set(FieldSurname, res.Surname, names)
	set(FieldGivenNames, res.GivenNames, names)
	set(FieldDocumentNumber, res.DocumentNumber, checked(mrz.FieldDocumentNumber))
	set(FieldNationality, countryCode(res.Nationality), countryConf(res.Nationality, un))
	set(FieldBirthDate, res.BirthDate.String(), checked(mrz.FieldBirthDate))
	if res.Sex != "" {
		set(FieldSex, string(res.Sex), un)
	}
	set(FieldExpiryDate, res.ExpiryDate.String(), checked(mrz.FieldExpiryDate))
	if res.Format == mrz.TD3 {
		set(FieldPersonalNumber, res.OptionalData, checked(mrz.FieldOptionalData))
	} else {
		set(FieldOptionalData, strings.TrimSpace(res.OptionalData+" "+res.OptionalData2), un)
	}
	set(FieldMRZ, strings.Join(res.Lines, "\n"), mrzConf(m))
}

// unchecked is the confidence of a field no check digit covers: high when
// the whole zone is valid (the characters around it were read right), else
// the OCR engine's confidence.
func unchecked(res *mrz.Result, m *MRZ) float64 {
	if res.Valid {
		// Scaled by the engine's confidence, so a zone read through glare
		// or blur, whose check digits passed, still says it is less sure
		// of its unchecked letters.
		return min(confUnchecked, 0.5+0.5*m.OCRConfidence)
	}
	return 0.8 * m.OCRConfidence
}

// nameLineResized reports whether Repair changed the length of the line
// holding the names (the third of a TD1 zone, the first otherwise).
func nameLineResized(res *mrz.Result) bool {
	line := 0
	if res.Format == mrz.TD1 {
		line = 2
	}
	for _, c := range res.Repairs {
		if c.Line == line && c.Pos < 0 && c.Reason == "length" {
			return true
		}
	}
	return false
}

func mrzConf(m *MRZ) float64 {
	if m.Valid {
		return confChecked
	}
	return 0.5 * m.OCRConfidence
}

// countryCode turns an MRZ code into ISO 3166-1 alpha-3 ("D" → "DEU"),
// keeping ICAO codes that name no country (UTO, XXA...).
func countryCode(code string) string {
	c, ok := mrz.LookupCountry(code)
	if !ok {
		return strings.Trim(code, "<")
	}
	if c.Alpha3 != "" {
		return c.Alpha3
	}
	return c.Code
}

func countryConf(code string, base float64) float64 {
	if _, ok := mrz.LookupCountry(code); !ok {
		return min(base, 0.4)
	}
	return base
}

// readBarcode looks for a licence barcode on the back, then the front, and
// stores its fields.
func (r *Reader) readBarcode(ctx context.Context, doc *Document, pages []*page) error {
	if r.barcodes == nil || doc.Barcode != nil {
		return nil
	}
	order := pages
	if len(pages) == 2 {
		order = []*page{pages[1], pages[0]}
	}
	sawBarcode := false
	for _, p := range order {
		raw, q, err := r.barcodes.ReadPDF417(ctx, p.img)
		if errors.Is(err, ErrNoBarcode) {
			continue
		}
		if err != nil {
			return fmt.Errorf("ocr: reading the barcode: %w", err)
		}
		sawBarcode = true
		res, err := aamva.Parse(raw)
		if err != nil {
			continue // ErrNotAAMVA, ErrHeader...: not a licence payload
		}
		b := &Barcode{Format: "pdf417", AAMVAVersion: res.Header.Version, Issuer: res.Issuer.Code,
			Valid: res.Valid, Side: p.index, Quad: &q, Payload: string(raw)}
		for _, pr := range res.Problems {
			b.Problems = append(b.Problems, pr.Code)
		}
		doc.Barcode = b
		fieldsFromAAMVA(doc, res)
		return nil
	}
	if sawBarcode {
		doc.reason(ReasonNotAAMVA)
	} else {
		doc.reason(ReasonNoBarcode)
	}
	return nil
}

// fieldsFromAAMVA stores a licence payload's fields.
func fieldsFromAAMVA(doc *Document, res *aamva.Result) {
	conf := confBarcode
	if !res.Valid {
		conf = confBarcodeBad
	}
	set := func(name, value string) {
		doc.set(name, Field{Value: strings.TrimSpace(value), Confidence: conf, Source: SourceBarcode})
	}
	set(FieldSurname, res.Name.Family)
	set(FieldGivenNames, res.Name.Given)
	set(FieldDocumentNumber, res.DocumentNumber)
	set(FieldBirthDate, res.DateOfBirth.String())
	set(FieldExpiryDate, res.ExpiryDate.String())
	set(FieldIssueDate, res.IssueDate.String())
	switch res.Sex {
	case aamva.Male, aamva.Female:
		set(FieldSex, string(res.Sex))
	case "":
	default:
		set(FieldSex, "X")
	}
	set(FieldIssuingCountry, res.Country)
	set(FieldIssuingState, res.Issuer.Code)
	a := res.Address
	set(FieldAddressStreet, strings.TrimSpace(a.Street1+" "+a.Street2))
	set(FieldAddressCity, a.City)
	set(FieldAddressState, a.Jurisdiction)
	set(FieldAddressPostcode, a.PostalCode)
	var parts []string
	for _, s := range []string{strings.TrimSpace(a.Street1 + " " + a.Street2), a.City, strings.TrimSpace(a.Jurisdiction + " " + a.PostalCode)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	set(FieldAddress, strings.Join(parts, ", "))
	set(FieldVehicleClass, res.VehicleClass)
	if res.Height != nil && res.Height.Centimeters > 0 {
		set(FieldHeightCM, strconv.Itoa(res.Height.Centimeters))
	}
}

// finishFields derives the full name and flags an expired document.
func finishFields(doc *Document, now time.Time) {
	if _, ok := doc.Fields[FieldFullName]; !ok {
		s, g := doc.Fields[FieldSurname], doc.Fields[FieldGivenNames]
		if s.Value != "" {
			name := strings.TrimSpace(g.Value + " " + s.Value)
			conf := s.Confidence
			if g.Value != "" {
				conf = min(conf, g.Confidence)
			}
			doc.Fields[FieldFullName] = Field{Value: name, Confidence: conf, Source: s.Source}
		}
	}
	if e := doc.Fields[FieldExpiryDate]; e.Value != "" {
		if t, err := time.Parse(time.DateOnly, e.Value); err == nil && t.Before(now.Truncate(24*time.Hour)) {
			doc.reason(ReasonExpired)
		}
	}
}
