package docvalidate

import (
	"fmt"
	"strings"

	"github.com/idkit-dev/idkit/aamva"
	"github.com/idkit-dev/idkit/mrz"
)

// Check names for the machine-readable zone. Each check digit is its own
// check, named CheckMRZDigitPrefix + the field it protects
// ("mrz_check_digit_birth_date").
const (
	CheckMRZFormat      = "mrz_format"
	CheckMRZDigitPrefix = "mrz_check_digit_"
	CheckMRZComposite   = "mrz_composite"
	CheckBarcodeFormat  = "barcode_format"
)

// fieldLabels name the fields in plain words for reasons.
var fieldLabels = map[string]string{
	mrz.FieldDocumentNumber: "document number",
	mrz.FieldBirthDate:      "date of birth",
	mrz.FieldExpiryDate:     "expiry date",
	mrz.FieldOptionalData:   "optional data",
	mrz.FieldOptionalData2:  "optional data",
	mrz.FieldComposite:      "composite",
	"given_names":           "given names",
	"issuing_country":       "issuing country",
	"issue_date":            "issue date",
	"personal_number":       "personal number",
	"document_code":         "document code",
}

func label(field string) string {
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	return strings.ReplaceAll(field, "_", " ")
}

// standardDigits are the check digits every ICAO layout has; they are
// listed as skipped when there is no MRZ, so reports keep the same shape.
var standardDigits = []string{mrz.FieldDocumentNumber, mrz.FieldBirthDate, mrz.FieldExpiryDate}

func (z *zones) mrzChecks() []Check {
	skipAll := func(reason string) []Check {
		out := []Check{{Name: CheckMRZFormat, Status: Skip, Reason: reason}}
		for _, f := range standardDigits {
			out = append(out, Check{Name: CheckMRZDigitPrefix + f, Status: Skip, Reason: reason})
		}
		return append(out, Check{Name: CheckMRZComposite, Status: Skip, Reason: reason})
	}
	if len(z.in.MRZLines) == 0 {
		switch {
		case z.typ == DriverLicense:
			return skipAll("a driving licence has no MRZ")
		case z.in.MRZ != nil:
			return skipAll("MRZ fields were given without the MRZ lines, so the check digits cannot be verified")
		}
		return skipAll("no MRZ was read")
	}
	if z.mrzErr != nil {
		out := skipAll("the MRZ could not be parsed")
		out[0] = Check{Name: CheckMRZFormat, Status: Fail, Reason: "the MRZ lines match no ICAO layout: " + z.mrzErr.Error(),
			Details: map[string]any{"lines": z.in.MRZLines}}
		return out
	}
	r := z.mrzRes
	format := Check{Name: CheckMRZFormat, Status: Pass, Reason: fmt.Sprintf("%s MRZ, every field well formed", r.Format),
		Details: map[string]any{"format": string(r.Format)}}
	if len(r.Problems) > 0 {
		var msgs []string
		for _, p := range r.Problems {
			msgs = append(msgs, fmt.Sprintf("%s: %s", label(p.Field), p.Message))
		}
		format.Status, format.Reason = Fail, "MRZ field problems: "+strings.Join(msgs, "; ")
		format.Details["problems"] = r.Problems
	}
	if r.NameTruncated {
		format.Details["name_truncated"] = true
	}
	out := []Check{format}
	if len(r.Checks) == 0 {
		// National layouts without check digits (the Swiss licence).
		return append(out, Check{Name: CheckMRZComposite, Status: Skip,
			Reason: fmt.Sprintf("the %s layout has no check digits", r.Format)})
	}
	hasComposite := false
	for _, c := range r.Checks {
		name := CheckMRZDigitPrefix + c.Field
		if c.Field == mrz.FieldComposite {
			name, hasComposite = CheckMRZComposite, true
		}
		ch := Check{Name: name, Status: Pass, Details: map[string]any{"line": c.Line + 1, "position": c.Pos + 1, "got": c.Got, "want": c.Want}}
		switch {
		case c.OK && c.Got == "<":
			ch.Reason = fmt.Sprintf("%s is empty and its check digit is a filler, as ICAO allows", label(c.Field))
		case c.OK:
			ch.Reason = fmt.Sprintf("%s check digit %s is right", label(c.Field), c.Got)
		default:
			ch.Status = Fail
			want := c.Want
			if want == "" {
				want = "none (the data holds characters outside the MRZ alphabet)"
			}
			ch.Reason = fmt.Sprintf("MRZ checksum fail: %s (check digit %s, computed %s)", label(c.Field), c.Got, want)
		}
		out = append(out, ch)
	}
	if !hasComposite {
		out = append(out, Check{Name: CheckMRZComposite, Status: Skip,
			Reason: fmt.Sprintf("the %s layout has no composite check digit", r.Format)})
	}
	return out
}

func (z *zones) barcodeCheck() Check {
	c := Check{Name: CheckBarcodeFormat}
	switch {
	case strings.TrimSpace(z.in.BarcodePayload) == "" && z.in.Barcode != nil:
		c.Status, c.Reason = Skip, "barcode fields were given without the payload, so its structure cannot be checked"
	case strings.TrimSpace(z.in.BarcodePayload) == "":
		c.Status, c.Reason = Skip, "no barcode was read"
	case z.bcErr != nil:
		c.Status, c.Reason = Fail, "the barcode is not a readable AAMVA payload: "+z.bcErr.Error()
	case len(z.bcRes.Problems) > 0:
		// A damaged or missing element fails; an issuer number the table
		// does not know, or that names another state, only warns: the
		// table lags behind new IINs.
		c.Status = Warn
		var msgs []string
		for _, p := range z.bcRes.Problems {
			msgs = append(msgs, p.Element+": "+p.Message)
			switch p.Code {
			case aamva.ProblemUnknownIIN, aamva.ProblemIINJurisdiction, aamva.ProblemIINCountry:
			default:
				c.Status = Fail
			}
		}
		c.Reason = "AAMVA barcode problems: " + strings.Join(msgs, "; ")
		c.Details = map[string]any{"problems": z.bcRes.Problems}
	default:
		c.Status = Pass
		c.Reason = fmt.Sprintf("AAMVA version %d payload from %s, every mandatory element present",
			z.bcRes.Header.Version, orDefault(z.bcRes.Issuer.Name, "IIN "+z.bcRes.Header.IIN))
		if len(z.bcRes.Warnings) > 0 {
			c.Details = map[string]any{"warnings": z.bcRes.Warnings}
		}
	}
	return c
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
