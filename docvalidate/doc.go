// Package docvalidate judges an identity document from what a reader found
// on it: the machine-readable zone, the visual zone, a barcode and the
// photo's quality. It answers whether the document is valid, with one check
// per rule and the reason for each, so that a compliance team can see why.
//
// The checks: every MRZ check digit and the composite; dates (birth in the
// past and plausible, issue before expiry, not expired at the reference
// date); field formats and lengths per document type; country codes; the
// coherence of the zones with one another (names folded per ICAO 9303,
// numbers, dates, sex, countries); the holder's age against the age of
// majority of the issuing country or US state or Canadian province (counted
// on the calendar date at UTC−12, so a birthday counts only once it has
// begun everywhere); and the image checks the reader reports (missing
// corners, glare, blur).
//
// A check that cannot run is Skip with the reason, never a silent Pass:
// a document photographed without its MRZ does not pass the MRZ checks, it
// skips them, and a required field that is missing fails.
//
// The package is pure Go: it does not depend on the OCR backends. Callers
// fill an Input from their reader, or with fields typed in by a person.
package docvalidate
