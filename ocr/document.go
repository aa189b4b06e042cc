package ocr

import (
	"image"
	"time"
)

// DocumentType is the kind of identity document.
type DocumentType string

// Document types. DocumentAuto in a hint means "detect it".
const (
	DocumentAuto    DocumentType = "auto"
	Passport        DocumentType = "passport"
	IDCard          DocumentType = "id_card"
	DriverLicense   DocumentType = "driver_license"
	ResidencePermit DocumentType = "residence_permit"
	Visa            DocumentType = "visa"
	UnknownDocument DocumentType = "unknown"
	CountryAuto                  = "auto" // a country hint that means "detect it"
)

// Source says where a value was read.
type Source string

// Sources, from most to least reliable.
const (
	SourceMRZ     Source = "mrz"     // machine readable zone, check digits verified
	SourceBarcode Source = "barcode" // PDF417 (AAMVA) or QR
	SourceVisual  Source = "visual"  // printed text read by OCR
	SourceHint    Source = "hint"    // the caller's document_hint / country_hint
)

// Field names in Document.Fields. Values are normalised: names upper-case
// as printed, dates ISO 8601 (YYYY-MM-DD), countries ISO 3166-1 alpha-3 (or
// the ICAO code when it names no country, such as UTO), sex M, F or X.
const (
	FieldSurname         = "surname"
	FieldGivenNames      = "given_names"
	FieldFullName        = "full_name"
	FieldDocumentNumber  = "document_number"
	FieldDocumentCode    = "document_code"
	FieldIssuingCountry  = "issuing_country"
	FieldIssuingState    = "issuing_state" // US state or Canadian province of a licence
	FieldNationality     = "nationality"
	FieldBirthDate       = "birth_date"
	FieldSex             = "sex"
	FieldExpiryDate      = "expiry_date"
	FieldIssueDate       = "issue_date"
	FieldPlaceOfBirth    = "place_of_birth"
	FieldAuthority       = "authority"
	FieldPersonalNumber  = "personal_number"
	FieldOptionalData    = "optional_data"
	FieldAddress         = "address"
	FieldAddressStreet   = "address_street"
	FieldAddressCity     = "address_city"
	FieldAddressState    = "address_state"
	FieldAddressPostcode = "address_postal_code"
	FieldVehicleClass    = "vehicle_class"
	FieldHeightCM        = "height_cm"
	FieldMRZ             = "mrz" // the zone's lines as read and repaired, joined by "\n"
)

// Field is one normalised value.
type Field struct {
	Value string `json:"value"`
	// Confidence that the value is right, 0–1: 0.99 for a value whose MRZ
	// check digit passed or that came from a barcode with valid structure;
	// for OCR text, the engine's confidence scaled down (see fields.go).
	Confidence float64 `json:"confidence"`
	Source     Source  `json:"source"`
}

// Detected is what the document was found to be.
type Detected struct {
	Type DocumentType `json:"type"`
	// Country is the issuing country, ISO 3166-1 alpha-3 (or the ICAO
	// code, such as UTO for specimens); empty when unknown.
	Country    string  `json:"country"`
	Confidence float64 `json:"confidence"`
	Source     Source  `json:"source"`
}

// Quality measures the photo of the document.
type Quality struct {
	// Sharpness is 0 (blurred beyond reading) to 1 (crisp): v/(v+K) of the
	// variance v of the Laplacian of the document scaled to 1000 pixels
	// wide, with K chosen so that a Gaussian blur of σ = 1.5 pixels at
	// that scale gives about 0.5 (see quality.go).
	Sharpness float64 `json:"sharpness"`
	// Glare is the share of the document's area, 0–1, that is blown-out
	// highlight (every channel at 250 or more). Above about 0.02 a glare
	// spot is large enough to hide characters.
	Glare float64 `json:"glare"`
}

// Images holds images cut from the document.
type Images struct {
	// FaceCropBase64 is the holder's photo, found by the face detector,
	// as a base64 JPEG; empty when no face was found.
	FaceCropBase64 string `json:"face_crop_base64,omitempty"`
	// FaceBox is where the photo is on the front side's image.
	FaceBox *Box `json:"face_box,omitempty"`
}

// Box is a rectangle in image pixels, X2 and Y2 exclusive.
type Box struct {
	X1 int `json:"x1"`
	Y1 int `json:"y1"`
	X2 int `json:"x2"`
	Y2 int `json:"y2"`
}

func boxOf(r image.Rectangle) *Box { return &Box{r.Min.X, r.Min.Y, r.Max.X, r.Max.Y} }

// MRZ is the machine readable zone as read.
type MRZ struct {
	Format string   `json:"format"`
	Lines  []string `json:"lines"`
	// Valid is true when every check digit passed.
	Valid bool `json:"valid"`
	// Checks lists each check digit: field name and whether it passed.
	Checks []Check `json:"checks"`
	// Repairs counts the characters the structure of the zone corrected.
	Repairs int `json:"repairs"`
	// Side is 0 for the front image, 1 for the back.
	Side int `json:"side"`
	// Quad is where the zone is in that side's image.
	Quad Quad `json:"quad"`
	// OCRConfidence is the engine's mean line confidence, 0–1.
	OCRConfidence float64 `json:"ocr_confidence"`
}

// Check is one MRZ check digit.
type Check struct {
	Field string `json:"field"`
	OK    bool   `json:"ok"`
}

// Barcode summarises a decoded licence barcode.
type Barcode struct {
	Format string `json:"format"` // "pdf417"
	// AAMVA fields: the standard's version, the issuer's jurisdiction,
	// whether the payload passed the parser's checks.
	AAMVAVersion int      `json:"aamva_version,omitempty"`
	Issuer       string   `json:"issuer,omitempty"`
	Valid        bool     `json:"valid"`
	Problems     []string `json:"problems,omitempty"`
	Side         int      `json:"side"`
	Quad         *Quad    `json:"quad,omitempty"`
	// Payload is the barcode's content as decoded, for validators that
	// re-parse it (docvalidate's barcode_format). It stays out of JSON:
	// the parsed fields already carry what a client needs, and the raw
	// payload repeats the holder's data once more.
	Payload string `json:"-"`
}

// Side describes what was found in one input image.
type Side struct {
	// Size is the image's size.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Document is the document's outline, nil when none stood out (the
	// image was then read as it is).
	Document *Quad `json:"document,omitempty"`
}

// Reason codes explain an empty or partial result.
const (
	ReasonNoDocument     = "no_document"       // no document outline: the image was read as a whole
	ReasonNoMRZ          = "no_mrz"            // no machine readable zone found or read
	ReasonMRZInvalid     = "mrz_checksum"      // a zone was read but check digits failed
	ReasonNoBarcode      = "no_barcode"        // no PDF417/QR barcode found
	ReasonNotAAMVA       = "barcode_not_aamva" // a barcode held something other than licence data
	ReasonNoFace         = "no_face"           // no holder photo found
	ReasonUnknownType    = "unknown_type"      // the document's type could not be told
	ReasonUnknownCountry = "unknown_country"   // the issuing country could not be told
	ReasonHintMismatch   = "hint_mismatch"     // what was read contradicts document_hint / country_hint
	ReasonExpired        = "expired"           // the expiry date is in the past
	ReasonNoText         = "no_text"           // OCR found no text at all
)

// Document is the result of reading an identity document.
type Document struct {
	Detected Detected `json:"detected"`
	// Fields holds each field once, from the most reliable zone that read
	// it (MRZ, then barcode, then visual).
	Fields map[string]Field `json:"fields"`
	// Zones holds every value read, by the zone it was read from, so that
	// the zones can be compared with each other: a visual surname that
	// differs from the MRZ's is what a forged data page looks like, and
	// Fields alone would have dropped it.
	Zones   map[Source]map[string]Field `json:"zones,omitempty"`
	MRZ     *MRZ                        `json:"mrz,omitempty"`
	Barcode *Barcode                    `json:"barcode,omitempty"`
	Images  Images                      `json:"images"`
	Quality Quality                     `json:"quality"`
	Sides   []Side                      `json:"sides"`
	// Reasons explain what could not be done, in the order it happened;
	// an empty Fields with reasons is the answer for an image that holds
	// no readable document.
	Reasons []string `json:"reasons,omitempty"`
	// Elapsed is the time the read took.
	Elapsed time.Duration `json:"-"`
}

// Value returns a field's value, "" when absent.
func (d *Document) Value(name string) string { return d.Fields[name].Value }

func (d *Document) reason(code string) {
	for _, r := range d.Reasons {
		if r == code {
			return
		}
	}
	d.Reasons = append(d.Reasons, code)
}

// set records a field in its zone, and in Fields unless a more reliable
// source already gave it. Within one zone the first value read stays.
func (d *Document) set(name string, f Field) {
	if f.Value == "" {
		return
	}
	if d.Zones == nil {
		d.Zones = map[Source]map[string]Field{}
	}
	zone := d.Zones[f.Source]
	if zone == nil {
		zone = map[string]Field{}
		d.Zones[f.Source] = zone
	}
	if _, ok := zone[name]; !ok {
		zone[name] = f
	}
	if d.Fields == nil {
		d.Fields = map[string]Field{}
	}
	if old, ok := d.Fields[name]; ok && rank(old.Source) <= rank(f.Source) {
		return
	}
	d.Fields[name] = f
}

// drop removes a value a zone read, from the zone and from Fields when
// Fields holds that zone's value.
func (d *Document) drop(name string, s Source) {
	delete(d.Zones[s], name)
	if f, ok := d.Fields[name]; ok && f.Source == s {
		delete(d.Fields, name)
	}
}

func rank(s Source) int {
	switch s {
	case SourceMRZ:
		return 0
	case SourceBarcode:
		return 1
	case SourceVisual:
		return 2
	}
	return 3
}
