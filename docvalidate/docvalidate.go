package docvalidate

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Status is the outcome of one check.
type Status string

// The outcomes of a check.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn" // doubtful: the document stays valid, the confidence drops
	Skip Status = "skip" // could not run; Reason says why
)

// Check is the outcome of one rule.
type Check struct {
	Name    string         `json:"name"`
	Status  Status         `json:"status"`
	Reason  string         `json:"reason"`
	Details map[string]any `json:"details,omitempty"`
}

// Document types, as the mrz package names them.
const (
	Passport      = "passport"
	IDCard        = "id_card"
	Visa          = "visa"
	DriverLicense = "driver_license"
)

// Zone names where a field was read.
type Zone string

// The zones of a document.
const (
	ZoneMRZ     Zone = "mrz"
	ZoneVisual  Zone = "visual"
	ZoneBarcode Zone = "barcode"
)

// Fields are the values one zone of a document holds, as text. Dates are
// ISO 8601: YYYY-MM-DD, or YYYY-MM and YYYY when the document leaves a part
// unknown. Empty means not read.
type Fields struct {
	// DocumentCode is the MRZ document code (P, I, ID, AC, V...).
	DocumentCode   string `json:"document_code,omitempty"`
	DocumentNumber string `json:"document_number,omitempty"`
	Surname        string `json:"surname,omitempty"`
	GivenNames     string `json:"given_names,omitempty"`
	// Nationality and IssuingCountry are ISO 3166-1 alpha-3 or ICAO codes
	// ("D" for Germany).
	Nationality    string `json:"nationality,omitempty"`
	IssuingCountry string `json:"issuing_country,omitempty"`
	// Subdivision is the issuing US state or Canadian province, as its
	// two-letter postal code.
	Subdivision string `json:"subdivision,omitempty"`
	// Sex is M, F or X.
	Sex            string `json:"sex,omitempty"`
	BirthDate      string `json:"birth_date,omitempty"`
	IssueDate      string `json:"issue_date,omitempty"`
	ExpiryDate     string `json:"expiry_date,omitempty"`
	PersonalNumber string `json:"personal_number,omitempty"`
	// Confidence is the reader's confidence in each field, 0–1, keyed by
	// the JSON names above. Fields read below Config.MinFieldConfidence are
	// compared across zones with a warn rather than a fail.
	Confidence map[string]float64 `json:"confidence,omitempty"`
}

// Image is what the reader measured on the photo of the document. Nil
// fields were not measured and their checks skip.
type Image struct {
	// CornersVisible is how many of the document's four corners are in
	// the frame.
	CornersVisible *int `json:"corners_visible,omitempty"`
	// Glare is the share of the document's area, 0–1, washed out by a
	// reflection.
	Glare *float64 `json:"glare,omitempty"`
	// GlareFields names the fields a reflection covers.
	GlareFields []string `json:"glare_fields,omitempty"`
	// Sharpness is 0 (unreadable blur) to 1 (sharp).
	Sharpness *float64 `json:"sharpness,omitempty"`
}

// Input is what is known about one document.
type Input struct {
	// Type is passport, id_card, visa or driver_license; empty means
	// derived from the MRZ document code or the barcode.
	Type string `json:"type,omitempty"`
	// Country and Subdivision are the issuer as the reader detected it,
	// used when no zone names it.
	Country     string `json:"country,omitempty"`
	Subdivision string `json:"subdivision,omitempty"`
	// MRZLines are the machine-readable zone as read (after the reader's
	// repair). When given they are parsed, and the fields parsed replace
	// MRZ.
	MRZLines []string `json:"mrz_lines,omitempty"`
	// BarcodePayload is the raw AAMVA payload of a driving licence's
	// PDF417. When given it is parsed, and the fields parsed replace
	// Barcode.
	BarcodePayload string `json:"barcode_payload,omitempty"`
	// MRZ, Visual and Barcode are the fields of each zone, when given
	// directly.
	MRZ     *Fields `json:"mrz,omitempty"`
	Visual  *Fields `json:"visual,omitempty"`
	Barcode *Fields `json:"barcode,omitempty"`
	// Image is the reader's measure of the photo; nil skips the image
	// checks.
	Image *Image `json:"image,omitempty"`
	// Confidence is the reader's overall confidence, 0–1; 0 means not
	// given.
	Confidence float64 `json:"confidence,omitempty"`
	// ReferenceDate, when set, replaces the clock: expiry and the holder's
	// age are judged at that instant, as they would be with Now returning
	// it (to re-check an old record); give noon UTC to judge both on the
	// same calendar day. It is for
	// library callers who choose the day themselves; workflow's Pipeline
	// and AgeFlow overwrite it with their own clock, so that a request
	// cannot choose the day its document is judged on.
	ReferenceDate time.Time `json:"reference_date,omitzero"`
}

// Summary is what the document says once its zones are reconciled: each
// field from the most trusted zone that has it (MRZ, then barcode, then
// visual). It lets callers use the document without re-reading the zones.
type Summary struct {
	Type           string `json:"type"`
	Country        string `json:"country,omitempty"` // ISO alpha-3 when known ("DEU" for "D")
	Subdivision    string `json:"subdivision,omitempty"`
	DocumentNumber string `json:"document_number,omitempty"`
	Surname        string `json:"surname,omitempty"`
	GivenNames     string `json:"given_names,omitempty"`
	Nationality    string `json:"nationality,omitempty"`
	Sex            string `json:"sex,omitempty"`
	BirthDate      string `json:"birth_date,omitempty"`
	IssueDate      string `json:"issue_date,omitempty"`
	ExpiryDate     string `json:"expiry_date,omitempty"`
	// Age is the holder's age in whole years at the reference instant,
	// counted on the calendar date at UTC−12 (the earliest on Earth, so a
	// birthday counts once it has begun everywhere; up to a day before the
	// UTC reference date); nil when the birth date is unknown or wholly
	// after the reference date. A birth date with an unknown day or month
	// is taken as late as it can be (0 while that day is still ahead), so
	// the age is never overstated.
	Age *int `json:"age,omitempty"`
	// MajorityAge is the age the holder had to reach (the age of majority,
	// or Config.MinimumAge); nil when it could not be set.
	MajorityAge *int `json:"majority_age,omitempty"`
	// Expired is true when the expiry date is before the reference date.
	Expired bool `json:"expired"`
	// Specimen is true for documents of Utopia (UTO), the fictional state
	// of ICAO specimens.
	Specimen bool `json:"specimen,omitempty"`
	// Zones lists the zones that were read.
	Zones []Zone `json:"zones"`
}

// Report is the outcome of validating a document.
type Report struct {
	// DocumentValid is true when no check failed and the required fields
	// were read.
	DocumentValid bool    `json:"document_valid"`
	Checks        []Check `json:"checks"`
	// Confidence is how much the verdict rests on, 0–1: the share of the
	// checks that ran (not skipped), less 0.1 for each warn, times the
	// reader's confidence when given.
	Confidence float64 `json:"confidence"`
	// ReferenceDate is the day the document was judged on.
	ReferenceDate string  `json:"reference_date"`
	Document      Summary `json:"document"`
}

// Check returns the check of that name.
func (r Report) Check(name string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Failed returns the checks that failed, in report order.
func (r Report) Failed() []Check { return r.with(Fail) }

// Warned returns the checks that warned, in report order.
func (r Report) Warned() []Check { return r.with(Warn) }

func (r Report) with(s Status) []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status == s {
			out = append(out, c)
		}
	}
	return out
}

// MajorityFunc returns the age of majority for an ISO 3166-1 alpha-3
// country and, for the United States and Canada, a state or province
// postal code; known is false when the answer is a default. age.Majority
// fits.
type MajorityFunc func(country, subdivision string) (years int, known bool)

// Majority is an age of majority from a table, with where it comes from.
type Majority struct {
	// Years is the age of majority; Known is false when it is a guess.
	Years int
	Known bool
	// Max is the highest age of majority the guess could stand for: 21 for
	// the United States without a state, 19 for Canada without a province.
	// A holder at least Years old but under Max is a warn, not a pass: the
	// holder may be a minor where they live. 0 means no higher age.
	Max int
	// Reason says which jurisdiction gave Years or, for a guess, why it is
	// one; the age check gives it, so that a reviewer reads why the age is
	// not known (a US passport names no state, a laissez-passer no country).
	Reason string
}

// MajorityLookupFunc is MajorityFunc with the range and reason of a guess.
// age.LookupMajority has these values:
//
//	func(country, subdivision string) docvalidate.Majority {
//		m := age.LookupMajority(country, subdivision)
//		return docvalidate.Majority{Years: m.Years, Known: m.Known, Max: m.Max, Reason: m.Reason}
//	}
type MajorityLookupFunc func(country, subdivision string) Majority

// Config configures a Validator. The zero value runs every check except the
// age of majority, which needs Majority or MinimumAge.
type Config struct {
	// Now is the clock: documents expire against its UTC day, holders age
	// against its day at UTC−12 (see Summary.Age). Nil means time.Now.
	Now func() time.Time
	// Majority gives the age of majority per country and state; nil (and
	// MinimumAge 0) skips the age check. Pass age.Majority (pure Go), or
	// a table of your own; it is injected so that this package depends on
	// no image code.
	Majority MajorityFunc
	// MajorityLookup is Majority with the range and the reason of a
	// guessed age, which the age check then uses. Set Majority or
	// MajorityLookup, not both.
	MajorityLookup MajorityLookupFunc
	// MinimumAge, when positive, is the age the holder must reach instead
	// of the age of majority (an over-21 service, say).
	MinimumAge int
	// AllowMinors makes a holder under age a warn rather than a fail, for
	// services open to minors that still want to know.
	AllowMinors bool
	// MaxAge is the oldest plausible holder, in years; 0 means 120. An
	// older birth date fails.
	MaxAge int
	// MaxValidityYears is the longest plausible time from issue to expiry;
	// 0 means 15 (ICAO allows up to 10 for passports, some ID cards run
	// 15). Longer warns, and so does an expiry further than that after
	// the reference date when the issue date is unknown.
	MaxValidityYears int
	// Required are the fields that must be read in at least one zone, by
	// their JSON names (document_number, surname, birth_date...). Nil
	// means the defaults for the document type; an empty non-nil slice
	// requires nothing.
	Required []string
	// MinFieldConfidence is the reader confidence under which a mismatch
	// between zones is a warn (a probable misreading) rather than a fail;
	// 0 means 0.5.
	MinFieldConfidence float64
	// Image thresholds; zero values mean the defaults documented on
	// ImageThresholds.
	Image ImageThresholds
}

// ImageThresholds set when the reader's image measures warn or fail.
type ImageThresholds struct {
	// GlareWarn and GlareFail are shares of the field area; 0 means 0.05
	// and 0.25.
	GlareWarn float64 `json:"glare_warn,omitempty"`
	GlareFail float64 `json:"glare_fail,omitempty"`
	// SharpnessWarn and SharpnessFail: below them the photo warns or
	// fails; 0 means 0.4 and 0.2.
	SharpnessWarn float64 `json:"sharpness_warn,omitempty"`
	SharpnessFail float64 `json:"sharpness_fail,omitempty"`
}

// earliestZone is the time zone whose calendar date is the earliest on
// Earth (UTC−12; the latest is UTC+14). The holder's age is judged on its
// date: a birthday counts only once it has begun everywhere, so a minor
// turning 18 tomorrow in the Americas does not pass up to 12 hours early
// because the date has already changed in UTC.
var earliestZone = time.FixedZone("UTC-12", -12*60*60)

// Validator validates documents. It is safe for concurrent use.
type Validator struct {
	cfg Config
	// majority is Config.MajorityLookup, or Config.Majority without
	// reasons; nil when neither is set.
	majority MajorityLookupFunc
}

// New returns a Validator, or an error for a config that cannot work.
func New(cfg Config) (*Validator, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	bad := func(format string, args ...any) (*Validator, error) {
		return nil, fmt.Errorf("docvalidate: "+format, args...)
	}
	if cfg.MinimumAge < 0 || cfg.MaxAge < 0 || cfg.MaxValidityYears < 0 {
		return bad("negative age or validity in config")
	}
	if cfg.MaxAge == 0 {
		cfg.MaxAge = 120
	}
	if cfg.MaxValidityYears == 0 {
		cfg.MaxValidityYears = 15
	}
	if cfg.MinFieldConfidence == 0 {
		cfg.MinFieldConfidence = 0.5
	}
	if !(cfg.MinFieldConfidence > 0 && cfg.MinFieldConfidence <= 1) {
		return bad("min field confidence %v not in (0, 1]", cfg.MinFieldConfidence)
	}
	t := &cfg.Image
	for _, p := range []struct {
		v   *float64
		def float64
	}{{&t.GlareWarn, 0.05}, {&t.GlareFail, 0.25}, {&t.SharpnessWarn, 0.4}, {&t.SharpnessFail, 0.2}} {
		if *p.v == 0 {
			*p.v = p.def
		}
		if !(*p.v > 0 && *p.v <= 1) {
			return bad("image threshold %v not in (0, 1]", *p.v)
		}
	}
	if t.GlareWarn > t.GlareFail || t.SharpnessWarn < t.SharpnessFail {
		return bad("image warn thresholds must be milder than the fail thresholds")
	}
	cfg.Required = slices.Clone(cfg.Required) // the caller may edit its slice; Clone keeps nil and empty apart
	for _, f := range cfg.Required {
		if !knownField(f) {
			return bad("unknown required field %q", f)
		}
	}
	v := &Validator{cfg: cfg, majority: cfg.MajorityLookup}
	switch {
	case cfg.Majority != nil && cfg.MajorityLookup != nil:
		return bad("set Majority or MajorityLookup, not both")
	case cfg.Majority != nil:
		v.majority = func(country, subdivision string) Majority {
			years, known := cfg.Majority(country, subdivision)
			return Majority{Years: years, Known: known}
		}
	}
	return v, nil
}

// Validate runs every check on in. Bad or missing input makes checks fail
// or skip; it never panics.
func (v *Validator) Validate(in Input) Report {
	ref := in.ReferenceDate
	if ref.IsZero() {
		ref = v.cfg.Now()
	}
	y, m, d := ref.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	y, m, d = ref.In(earliestZone).Date()
	ageDay := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)

	z := readZones(in, today, ageDay)
	var checks []Check
	add := func(c ...Check) { checks = append(checks, c...) }

	add(z.mrzChecks()...)
	add(z.barcodeCheck())
	add(v.requiredFields(z))
	add(formatCheck(z))
	add(countryCheck(z))
	dc := v.dateChecks(z, today)
	add(dc...)
	add(coherenceChecks(z, v.cfg.MinFieldConfidence)...)
	add(v.majorityCheck(z, ageDay))
	add(v.imageChecks(in.Image)...)

	r := Report{Checks: checks, ReferenceDate: today.Format(time.DateOnly), Document: z.summary}
	r.DocumentValid = true
	ran, warns := 0, 0
	for _, c := range checks {
		switch c.Status {
		case Fail:
			r.DocumentValid = false
		case Warn:
			warns++
		}
		if c.Status != Skip {
			ran++
		}
	}
	conf := float64(ran)/float64(len(checks)) - 0.1*float64(warns)
	if in.Confidence > 0 && in.Confidence <= 1 {
		conf *= in.Confidence
	}
	r.Confidence = math.Round(min(max(conf, 0), 1)*100) / 100
	return r
}
