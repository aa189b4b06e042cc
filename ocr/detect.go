package ocr

import (
	"strings"

	"github.com/idkit-dev/idkit/mrz"
)

// Confidences of the detected type and country by source.
const (
	detectMRZValid   = 0.98
	detectMRZInvalid = 0.7
	detectBarcode    = 0.97
	detectVisual     = 0.6
	detectHint       = 0.3
)

// detect decides the document's type and country: from the MRZ, else the
// licence barcode, else keywords of the visual zone, else the hints.
func detect(doc *Document, visual []Line, hint DocumentType, countryHint string) {
	d := Detected{Type: UnknownDocument}
	var text strings.Builder
	for _, l := range visual {
		text.WriteString(fold(l.Text))
		text.WriteByte('\n')
	}
	folded := strings.ReplaceAll(text.String(), "\n", " ")
	vt, vc := visualType(folded), visualCountry(folded)

	switch {
	case doc.MRZ != nil:
		d.Source = SourceMRZ
		d.Confidence = detectMRZInvalid
		if doc.MRZ.Valid {
			d.Confidence = detectMRZValid
		}
		d.Type = mrzType(doc.Value(FieldDocumentCode), doc.MRZ.Format, vt)
		d.Country = doc.Value(FieldIssuingCountry)
	case doc.Barcode != nil:
		d.Source = SourceBarcode
		d.Confidence = detectBarcode
		d.Type = DriverLicense
		if doc.Barcode.Issuer != "" && vt == IDCard {
			d.Type = IDCard
		}
		d.Country = doc.Value(FieldIssuingCountry)
	case vt != "":
		d.Source, d.Type, d.Country, d.Confidence = SourceVisual, vt, vc, detectVisual
	default:
		d.Country = vc
		if vc != "" {
			d.Source, d.Confidence = SourceVisual, detectVisual*0.5
		}
	}
	if d.Type == UnknownDocument && hint != "" {
		d.Type, d.Source, d.Confidence = hint, SourceHint, detectHint
	} else if hint != "" && d.Type != hint {
		doc.reason(ReasonHintMismatch)
		d.Confidence *= 0.8
	}
	if d.Country == "" && countryHint != "" {
		d.Country = countryHint
		if d.Source == "" {
			d.Source, d.Confidence = SourceHint, detectHint
		}
	} else if countryHint != "" && d.Country != countryHint {
		doc.reason(ReasonHintMismatch)
		d.Confidence *= 0.8
	}
	if d.Type == UnknownDocument {
		doc.reason(ReasonUnknownType)
	}
	if d.Country == "" {
		doc.reason(ReasonUnknownCountry)
	}
	doc.Detected = d
}

// mrzType maps an MRZ document code to a type. ICAO leaves the second
// letter to the issuer; residence permits commonly use IR, AR or RP, and
// the visual title settles the rest.
func mrzType(code, format string, visual DocumentType) DocumentType {
	code = strings.ToUpper(code)
	switch {
	case format == string(mrz.FrenchDrivingLicence) || format == string(mrz.SwissDrivingLicence):
		return DriverLicense
	case code == "IR" || code == "AR" || code == "RP" || code == "RT" || visual == ResidencePermit:
		return ResidencePermit
	case strings.HasPrefix(code, "P"):
		return Passport
	case strings.HasPrefix(code, "V"):
		return Visa
	case strings.HasPrefix(code, "I"), strings.HasPrefix(code, "A"), strings.HasPrefix(code, "C"):
		return IDCard
	case strings.HasPrefix(code, "D"):
		return DriverLicense
	}
	if visual != "" {
		return visual
	}
	return UnknownDocument
}

// visualType returns the type named by the earliest matching title.
func visualType(folded string) DocumentType {
	for _, tk := range typeKeywords {
		for _, w := range tk.words {
			if findWord(folded, w) >= 0 {
				return tk.t
			}
		}
	}
	return ""
}

// visualCountry returns the country whose name appears first in the text.
func visualCountry(folded string) string {
	best, at := "", -1
	consider := func(code, w string) {
		if i := findWord(folded, w); i >= 0 && (at < 0 || i < at) {
			best, at = code, i
		}
	}
	for _, ck := range countryKeywords {
		for _, w := range ck.words {
			consider(ck.code, w)
		}
	}
	for _, s := range usStates {
		consider("USA", s)
	}
	for _, p := range canadianProvinces {
		consider("CAN", p)
	}
	return best
}
