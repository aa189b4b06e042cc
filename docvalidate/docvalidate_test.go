package docvalidate_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/mrz"
)

var refDay = time.Date(2026, 6, 1, 15, 4, 5, 0, time.UTC)

// majority is a small stand-in for age.Majority, so these tests do not
// link ONNX Runtime.
func majority(country, sub string) (int, bool) {
	switch {
	case country == "USA" && sub == "AL":
		return 19, true
	case country == "USA" && sub == "MS":
		return 21, true
	case country == "KOR":
		return 19, true
	case len(country) == 3:
		return 18, true
	}
	return 18, false
}

func validator(t testing.TB, mod func(*docvalidate.Config)) *docvalidate.Validator {
	t.Helper()
	cfg := docvalidate.Config{Now: func() time.Time { return refDay }, Majority: majority}
	if mod != nil {
		mod(&cfg)
	}
	v, err := docvalidate.New(cfg)
	require.NoError(t, err)
	return v
}

// holder is the person on the test documents.
func holder() mrz.Fields {
	return mrz.Fields{
		Format: mrz.TD3, DocumentCode: "P", IssuingState: "FRA", Nationality: "FRA",
		Surname: "MUELLER", GivenNames: "ANNE MARIE", DocumentNumber: "18AB12345",
		BirthDate: mrz.NewDate(1990, 3, 14), Sex: mrz.Female, ExpiryDate: mrz.NewDate(2031, 2, 1),
	}
}

func lines(t testing.TB, f mrz.Fields) []string {
	t.Helper()
	l, err := mrz.Generate(f)
	require.NoError(t, err)
	return l
}

func visual(f mrz.Fields) *docvalidate.Fields {
	return &docvalidate.Fields{
		DocumentNumber: f.DocumentNumber, Surname: "Müller", GivenNames: "Anne-Marie",
		Nationality: f.Nationality, IssuingCountry: f.IssuingState, Sex: string(f.Sex),
		BirthDate: f.BirthDate.String(), ExpiryDate: f.ExpiryDate.String(), IssueDate: "2021-02-02",
	}
}

func statuses(r docvalidate.Report) map[string]docvalidate.Status {
	m := map[string]docvalidate.Status{}
	for _, c := range r.Checks {
		m[c.Name] = c.Status
	}
	return m
}

func reasonOf(t testing.TB, r docvalidate.Report, name string) string {
	t.Helper()
	c, ok := r.Check(name)
	require.True(t, ok, "no check %s", name)
	return c.Reason
}

func TestValidPassport(t *testing.T) {
	f := holder()
	r := validator(t, nil).Validate(docvalidate.Input{MRZLines: lines(t, f), Visual: visual(f)})
	assert.True(t, r.DocumentValid, "%+v", r.Failed())
	st := statuses(r)
	for _, name := range []string{"mrz_format", "mrz_check_digit_document_number", "mrz_check_digit_birth_date",
		"mrz_check_digit_expiry_date", "mrz_check_digit_optional_data", "mrz_composite", "required_fields",
		"field_formats", "country_codes", "birth_date", "issue_date", "expiry_date", "validity_period",
		"coherence_mrz_visual", "age_of_majority"} {
		assert.Equal(t, docvalidate.Pass, st[name], "%s: %s", name, reasonOf(t, r, name))
	}
	for _, name := range []string{"barcode_format", "coherence_mrz_barcode", "coherence_visual_barcode",
		"image_corners", "image_glare", "image_sharpness"} {
		assert.Equal(t, docvalidate.Skip, st[name], name)
		assert.NotEmpty(t, reasonOf(t, r, name), "a skip says why")
	}
	assert.Equal(t, "2026-06-01", r.ReferenceDate)
	d := r.Document
	assert.Equal(t, "passport", d.Type)
	assert.Equal(t, "FRA", d.Country)
	assert.Equal(t, "1990-03-14", d.BirthDate)
	require.NotNil(t, d.Age)
	assert.Equal(t, 36, *d.Age)
	require.NotNil(t, d.MajorityAge)
	assert.Equal(t, 18, *d.MajorityAge)
	assert.False(t, d.Expired)
	assert.Equal(t, []docvalidate.Zone{docvalidate.ZoneMRZ, docvalidate.ZoneVisual}, d.Zones)
	// 15 of 21 checks ran, none warned.
	assert.InDelta(t, 15.0/21, r.Confidence, 0.01)
	assert.Contains(t, reasonOf(t, r, "coherence_mrz_visual"), "name")
}

func TestChecks(t *testing.T) {
	type tc struct {
		name  string
		in    func(t *testing.T) docvalidate.Input
		cfg   func(*docvalidate.Config)
		valid bool
		check string
		want  docvalidate.Status
		in2   string // substring of the reason
	}
	withMRZ := func(mod func(*mrz.Fields)) func(t *testing.T) docvalidate.Input {
		return func(t *testing.T) docvalidate.Input {
			f := holder()
			mod(&f)
			return docvalidate.Input{MRZLines: lines(t, f)}
		}
	}
	withVisual := func(mod func(*docvalidate.Fields)) func(t *testing.T) docvalidate.Input {
		return func(t *testing.T) docvalidate.Input {
			f := holder()
			v := visual(f)
			mod(v)
			return docvalidate.Input{MRZLines: lines(t, f), Visual: v}
		}
	}
	corrupt := func(line, col int, to byte) func(t *testing.T) docvalidate.Input {
		return func(t *testing.T) docvalidate.Input {
			l := lines(t, holder())
			b := []byte(l[line])
			if to == 0 { // the next digit: surely wrong
				to = '0' + (b[col]-'0'+1)%10
			}
			b[col] = to
			l[line] = string(b)
			return docvalidate.Input{MRZLines: l}
		}
	}
	ptr := func(f float64) *float64 { return &f }
	for _, c := range []tc{
		{"bad birth date digit", corrupt(1, 19, 0), nil, false, "mrz_check_digit_birth_date", docvalidate.Fail, "MRZ checksum fail: date of birth"},
		{"bad composite", corrupt(1, 43, 0), nil, false, "mrz_composite", docvalidate.Fail, "composite"},
		{"bad number digit", corrupt(1, 9, 0), nil, false, "mrz_check_digit_document_number", docvalidate.Fail, "document number"},
		{"garbage MRZ", func(*testing.T) docvalidate.Input { return docvalidate.Input{MRZLines: []string{"HELLO", "WORLD"}} },
			nil, false, "mrz_format", docvalidate.Fail, "no ICAO layout"},
		{"expired", withMRZ(func(f *mrz.Fields) { f.ExpiryDate = mrz.NewDate(2026, 5, 31) }), nil, false,
			"expiry_date", docvalidate.Fail, "expired on 2026-05-31"},
		{"expires today", withMRZ(func(f *mrz.Fields) { f.ExpiryDate = mrz.NewDate(2026, 6, 1) }), nil, true,
			"expiry_date", docvalidate.Pass, "valid until 2026-06-01"},
		{"minor", withMRZ(func(f *mrz.Fields) { f.BirthDate = mrz.NewDate(2010, 7, 1) }), nil, false,
			"age_of_majority", docvalidate.Fail, "minor: 15, under 18"},
		{"minor allowed", withMRZ(func(f *mrz.Fields) { f.BirthDate = mrz.NewDate(2010, 7, 1) }),
			func(c *docvalidate.Config) { c.AllowMinors = true }, true, "age_of_majority", docvalidate.Warn, "minor"},
		{"18 today", withMRZ(func(f *mrz.Fields) { f.BirthDate = mrz.NewDate(2008, 6, 1) }), nil, true,
			"age_of_majority", docvalidate.Pass, "holder is 18"},
		{"18 tomorrow", withMRZ(func(f *mrz.Fields) { f.BirthDate = mrz.NewDate(2008, 6, 2) }), nil, false,
			"age_of_majority", docvalidate.Fail, "17"},
		{"minimum age 21", withMRZ(func(f *mrz.Fields) { f.BirthDate = mrz.NewDate(2006, 1, 1) }),
			func(c *docvalidate.Config) { c.MinimumAge = 21 }, false, "age_of_majority", docvalidate.Fail, "minimum age configured"},
		{"korea 19", withMRZ(func(f *mrz.Fields) {
			f.IssuingState, f.Nationality, f.BirthDate = "KOR", "KOR", mrz.NewDate(2008, 1, 1)
		}), nil, false, "age_of_majority", docvalidate.Fail, "age of majority in KOR"},
		{"no majority table", withMRZ(func(*mrz.Fields) {}), func(c *docvalidate.Config) { c.Majority = nil }, true,
			"age_of_majority", docvalidate.Skip, "no age-of-majority table"},
		{"specimen", withMRZ(func(f *mrz.Fields) { f.IssuingState, f.Nationality = "UTO", "UTO" }), nil, true,
			"country_codes", docvalidate.Warn, "Utopia"},
		{"germany D", withMRZ(func(f *mrz.Fields) { f.IssuingState, f.Nationality = "D", "D" }), nil, true,
			"country_codes", docvalidate.Pass, "country codes"},
		{"unknown visual country", withVisual(func(v *docvalidate.Fields) { v.IssuingCountry = "ZZZ" }), nil, false,
			"country_codes", docvalidate.Fail, `"ZZZ"`},
		{"diacritics fold", withVisual(func(v *docvalidate.Fields) { v.Surname = "MÜLLER"; v.GivenNames = "Anne Marie" }), nil, true,
			"coherence_mrz_visual", docvalidate.Pass, "agree on name"},
		{"plain U folds too", withVisual(func(v *docvalidate.Fields) { v.Surname = "Muller" }), nil, true,
			"coherence_mrz_visual", docvalidate.Pass, "agree"},
		{"other surname", withVisual(func(v *docvalidate.Fields) { v.Surname = "Martin" }), nil, false,
			"coherence_mrz_visual", docvalidate.Fail, `name "MUELLER, ANNE MARIE" vs "Martin, Anne-Marie"`},
		{"a letter off", withVisual(func(v *docvalidate.Fields) { v.GivenNames = "Anne-Marle" }), nil, true,
			"coherence_mrz_visual", docvalidate.Warn, "nearly agree"},
		{"number differs", withVisual(func(v *docvalidate.Fields) { v.DocumentNumber = "18AB12346" }), nil, false,
			"coherence_mrz_visual", docvalidate.Fail, "document number"},
		{"number O for 0", withVisual(func(v *docvalidate.Fields) { v.DocumentNumber = "18AB I2345" }), nil, true,
			"coherence_mrz_visual", docvalidate.Warn, "look alike"},
		{"low confidence misread", withVisual(func(v *docvalidate.Fields) {
			v.DocumentNumber = "18AB12346"
			v.Confidence = map[string]float64{"document_number": 0.3}
		}), nil, true, "coherence_mrz_visual", docvalidate.Warn, "confidence 0.30"},
		{"birth dates differ", withVisual(func(v *docvalidate.Fields) { v.BirthDate = "1990-03-15" }), nil, false,
			"coherence_mrz_visual", docvalidate.Fail, "date of birth"},
		{"sex differs", withVisual(func(v *docvalidate.Fields) { v.Sex = "M" }), nil, false,
			"coherence_mrz_visual", docvalidate.Fail, "sex"},
		{"visual date not ISO", withVisual(func(v *docvalidate.Fields) { v.IssueDate = "02.02.2021" }), nil, false,
			"field_formats", docvalidate.Fail, "visual issue date is not an ISO 8601 date"},
		{"digit in name", withVisual(func(v *docvalidate.Fields) { v.GivenNames = "Anne-Mar1e" }), nil, false,
			"field_formats", docvalidate.Fail, "holds a digit"},
		{"bad sex", withVisual(func(v *docvalidate.Fields) { v.Sex = "Q" }), nil, false,
			"field_formats", docvalidate.Fail, "not M, F or X"},
		{"passport number too long", func(t *testing.T) docvalidate.Input {
			return docvalidate.Input{Type: "passport", Visual: &docvalidate.Fields{DocumentNumber: "1234567890AB",
				Surname: "X", BirthDate: "1990-01-01", ExpiryDate: "2030-01-01", IssuingCountry: "FRA"}}
		}, nil, false, "field_formats", docvalidate.Fail, "more than the 9 a passport holds"},
		{"ID card code on a passport", func(t *testing.T) docvalidate.Input {
			f := holder()
			in := docvalidate.Input{Type: "passport", MRZLines: lines(t, f)}
			in.Visual = &docvalidate.Fields{DocumentCode: "ID"}
			return in
		}, nil, false, "field_formats", docvalidate.Fail, `"ID" does not belong to a passport`},
		{"issued after expiry", withVisual(func(v *docvalidate.Fields) { v.IssueDate = "2031-03-01" }), nil, false,
			"issue_date", docvalidate.Fail, "after the reference date"},
		{"issue and expiry from two zones", withVisual(func(v *docvalidate.Fields) { v.IssueDate = "2026-01-01"; v.ExpiryDate = "" }),
			nil, true, "validity_period", docvalidate.Pass, "5.1 years"},
		{"long validity", withVisual(func(v *docvalidate.Fields) { v.IssueDate = "2011-01-01" }), nil, true,
			"validity_period", docvalidate.Warn, "longer than the usual 15"},
		{"born in the future", func(t *testing.T) docvalidate.Input {
			return docvalidate.Input{Visual: &docvalidate.Fields{DocumentNumber: "X1234", Surname: "A", BirthDate: "2027-01-01"}}
		}, nil, false, "birth_date", docvalidate.Fail, "after the reference date"},
		{"too old", func(t *testing.T) docvalidate.Input {
			return docvalidate.Input{Visual: &docvalidate.Fields{DocumentNumber: "X1234", Surname: "A", BirthDate: "1890-01-01"}}
		}, nil, false, "birth_date", docvalidate.Fail, "older than 120"},
		{"partial birth date", func(t *testing.T) docvalidate.Input {
			return docvalidate.Input{Visual: &docvalidate.Fields{DocumentNumber: "X1234", Surname: "A", BirthDate: "2008"}}
		}, nil, false, "age_of_majority", docvalidate.Fail, "holder is a minor: 17"},
		{"nothing read", func(*testing.T) docvalidate.Input { return docvalidate.Input{} }, nil, false,
			"required_fields", docvalidate.Fail, "required fields not read: document number, surname, date of birth"},
		{"custom required", withMRZ(func(*mrz.Fields) {}),
			func(c *docvalidate.Config) { c.Required = []string{"issue_date"} }, false, "required_fields", docvalidate.Fail, "issue date"},
		{"nothing required", func(*testing.T) docvalidate.Input { return docvalidate.Input{} },
			func(c *docvalidate.Config) { c.Required = []string{} }, true, "required_fields", docvalidate.Skip, "no field is required"},
		{"MRZ fields without lines", func(t *testing.T) docvalidate.Input {
			f := holder()
			return docvalidate.Input{MRZ: visual(f)}
		}, nil, true, "mrz_check_digit_birth_date", docvalidate.Skip, "without the MRZ lines"},
		{"no image measures", withMRZ(func(*mrz.Fields) {}), nil, true, "image_corners", docvalidate.Skip, "no image measures"},
		{"expiry before issue", func(t *testing.T) docvalidate.Input {
			return docvalidate.Input{ReferenceDate: time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), Visual: &docvalidate.Fields{
				DocumentNumber: "X1234", Surname: "A", BirthDate: "1990-01-01", IssueDate: "2017-01-01", ExpiryDate: "2016-01-01"}}
		}, nil, false, "validity_period", docvalidate.Fail, "not after the issue date"},
		{"three corners", func(t *testing.T) docvalidate.Input {
			n := 3
			return docvalidate.Input{MRZLines: lines(t, holder()), Image: &docvalidate.Image{CornersVisible: &n}}
		}, nil, false, "image_corners", docvalidate.Fail, "3 of 4 corners"},
		{"glare", func(t *testing.T) docvalidate.Input {
			return docvalidate.Input{MRZLines: lines(t, holder()), Image: &docvalidate.Image{Glare: ptr(0.4)}}
		}, nil, false, "image_glare", docvalidate.Fail, "40%"},
		{"some glare", func(t *testing.T) docvalidate.Input {
			return docvalidate.Input{MRZLines: lines(t, holder()), Image: &docvalidate.Image{Glare: ptr(0.1), GlareFields: []string{"surname"}}}
		}, nil, true, "image_glare", docvalidate.Warn, "surname"},
		{"blur", func(t *testing.T) docvalidate.Input {
			return docvalidate.Input{MRZLines: lines(t, holder()), Image: &docvalidate.Image{Sharpness: ptr(0.1)}}
		}, nil, false, "image_sharpness", docvalidate.Fail, "too blurred"},
		{"NaN sharpness never passes", func(t *testing.T) docvalidate.Input {
			return docvalidate.Input{MRZLines: lines(t, holder()), Image: &docvalidate.Image{Sharpness: ptr(math.NaN())}}
		}, nil, true, "image_sharpness", docvalidate.Skip, "not a number in 0–1"},
		{"TD1 card", func(t *testing.T) docvalidate.Input {
			f := holder()
			f.Format, f.DocumentCode, f.DocumentNumber = mrz.TD1, "ID", "D1234567890AB"
			return docvalidate.Input{MRZLines: lines(t, f)}
		}, nil, true, "field_formats", docvalidate.Pass, "ID card"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := validator(t, c.cfg).Validate(c.in(t))
			ch, ok := r.Check(c.check)
			require.True(t, ok, "no check %s", c.check)
			assert.Equal(t, c.want, ch.Status, ch.Reason)
			assert.Contains(t, ch.Reason, c.in2)
			assert.Equal(t, c.valid, r.DocumentValid, "failed: %+v", r.Failed())
			for _, ch := range r.Checks {
				assert.NotEmpty(t, ch.Reason, "%s has no reason", ch.Name)
				assert.Contains(t, []docvalidate.Status{"pass", "fail", "warn", "skip"}, ch.Status)
			}
		})
	}
}

// aamvaPayload writes a version 10 payload; the parser does not rely on
// the header's offsets.
func aamvaPayload(iin string, elems ...string) string {
	body := "DL" + strings.Join(elems, "\n") + "\r"
	return fmt.Sprintf("@\n\x1e\rANSI %s100001DL%04d%04d", iin, 31, len(body)) + body
}

func TestDrivingLicence(t *testing.T) {
	elems := func(dob string) []string {
		return []string{"DAQT64235789", "DCSSAMPLE", "DDEN", "DACMICHAEL", "DDFN", "DADJOHN", "DDGN",
			"DBD06062021", "DBB" + dob, "DBA12102028", "DBC1", "DAU068 in", "DAYBRO", "DAG1 MAIN ST",
			"DAIMONTGOMERY", "DAJAL", "DAK36104", "DCF0001", "DCGUSA", "DDAF"}
	}
	v := validator(t, nil)
	// Alabama: majority at 19.
	r := v.Validate(docvalidate.Input{BarcodePayload: aamvaPayload("636033", elems("01012008")...),
		Visual: &docvalidate.Fields{Surname: "Sample", GivenNames: "Michael John", DocumentNumber: "T64 235 789", BirthDate: "2008-01-01"}})
	st := statuses(r)
	assert.Equal(t, "driver_license", r.Document.Type)
	assert.Equal(t, docvalidate.Pass, st["barcode_format"], reasonOf(t, r, "barcode_format"))
	assert.Equal(t, docvalidate.Skip, st["mrz_format"])
	assert.Contains(t, reasonOf(t, r, "mrz_format"), "driving licence has no MRZ")
	assert.Equal(t, docvalidate.Pass, st["coherence_visual_barcode"], reasonOf(t, r, "coherence_visual_barcode"))
	assert.Equal(t, docvalidate.Fail, st["age_of_majority"])
	assert.Contains(t, reasonOf(t, r, "age_of_majority"), "18, under 19, the age of majority in AL, USA")
	assert.False(t, r.DocumentValid)

	r = v.Validate(docvalidate.Input{BarcodePayload: aamvaPayload("636033", elems("01011980")...)})
	assert.True(t, r.DocumentValid, "%+v", r.Failed())
	assert.Equal(t, "AL", r.Document.Subdivision)

	r = v.Validate(docvalidate.Input{BarcodePayload: "not a barcode"})
	assert.Equal(t, docvalidate.Fail, statuses(r)["barcode_format"])
}

func TestTruncatedMRZName(t *testing.T) {
	f := holder()
	f.GivenNames = "ANNE MARIE JOSEPHINE ALEXANDRA VICTORIA"
	l := lines(t, f)
	r := validator(t, nil).Validate(docvalidate.Input{MRZLines: l, Visual: &docvalidate.Fields{
		Surname: "Mueller", GivenNames: "Anne Marie Joséphine Alexandra Victoria"}})
	c, _ := r.Check("coherence_mrz_visual")
	assert.Equal(t, docvalidate.Pass, c.Status, c.Reason)
}

func TestReferenceDateOverridesClock(t *testing.T) {
	f := holder()
	in := docvalidate.Input{MRZLines: lines(t, f), ReferenceDate: time.Date(2032, 1, 1, 0, 0, 0, 0, time.UTC)}
	r := validator(t, nil).Validate(in)
	assert.Equal(t, "2032-01-01", r.ReferenceDate)
	assert.True(t, r.Document.Expired)
	assert.False(t, r.DocumentValid)
}

// TestAgeCountsOnceTheBirthdayHasBegunEverywhere: the age was counted on
// the UTC date, so a holder turning 18 on 1 June passed from 00:00 UTC,
// while it was still 31 May in the Americas. It is counted on the date at
// UTC−12, the earliest on Earth.
func TestAgeCountsOnceTheBirthdayHasBegunEverywhere(t *testing.T) {
	f := holder()
	f.BirthDate = mrz.NewDate(2008, 6, 1) // 18 on 2026-06-01
	for _, tc := range []struct {
		at     time.Time
		age    int
		status docvalidate.Status
	}{
		{time.Date(2026, 6, 1, 5, 0, 0, 0, time.UTC), 17, docvalidate.Fail},   // 31 May, 17:00 at UTC−12
		{time.Date(2026, 6, 1, 11, 59, 0, 0, time.UTC), 17, docvalidate.Fail}, // 31 May, 23:59
		{time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), 18, docvalidate.Pass},  // 1 June everywhere
	} {
		v := validator(t, func(c *docvalidate.Config) { c.Now = func() time.Time { return tc.at } })
		r := v.Validate(docvalidate.Input{MRZLines: lines(t, f)})
		assert.Equal(t, "2026-06-01", r.ReferenceDate, "expiry is judged on the UTC date")
		require.NotNil(t, r.Document.Age)
		assert.Equal(t, tc.age, *r.Document.Age, "%s", tc.at)
		c, _ := r.Check(docvalidate.CheckMajority)
		assert.Equal(t, tc.status, c.Status, c.Reason)
	}
}

func TestReaderConfidenceScales(t *testing.T) {
	v := validator(t, nil)
	in := docvalidate.Input{MRZLines: lines(t, holder())}
	full := v.Validate(in).Confidence
	in.Confidence = 0.5
	assert.InDelta(t, full/2, v.Validate(in).Confidence, 0.011)
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []docvalidate.Config{
		{MinimumAge: -1},
		{MinFieldConfidence: 2},
		{Required: []string{"shoe_size"}},
		{Image: docvalidate.ImageThresholds{GlareWarn: 0.5, GlareFail: 0.2}},
		{Image: docvalidate.ImageThresholds{SharpnessFail: 1.5}},
		{Majority: majority, MajorityLookup: majorityLookup},
	} {
		_, err := docvalidate.New(cfg)
		assert.Error(t, err, "%+v", cfg)
	}
	v, err := docvalidate.New(docvalidate.Config{})
	require.NoError(t, err)
	r := v.Validate(docvalidate.Input{})
	assert.False(t, r.DocumentValid)
}

// majorityLookup is majority with reasons and ranges, in the words
// age.LookupMajority uses: a United States passport names no state, so its
// age is a guess of 18 that could stand for up to 21.
func majorityLookup(country, sub string) docvalidate.Majority {
	if country == "USA" && sub == "" {
		return docvalidate.Majority{Years: 18, Max: 21,
			Reason: "the United States set the age of majority by state, and the document names no state; 18, the most common age of majority, is a guess"}
	}
	years, known := majority(country, sub)
	return docvalidate.Majority{Years: years, Known: known, Max: years, Reason: fmt.Sprintf("%d, the age of majority in %s", years, country)}
}

// TestMajorityGuessSaysWhy: the age check said "(USA is not in the table)"
// for a guessed age, whatever the table's reason. With MajorityLookup it
// gives the table's reason; with a plain MajorityFunc it says no more than
// it knows.
func TestMajorityGuessSaysWhy(t *testing.T) {
	f := holder()
	f.IssuingState, f.Nationality, f.BirthDate = "USA", "USA", mrz.NewDate(2008, 1, 1) // 18
	in := docvalidate.Input{MRZLines: lines(t, f)}
	noState := "a guessed age of majority (the United States set the age of majority by state, and the document names no state; 18, the most common age of majority, is a guess)"

	// 18 is at least the guess but under 21, the highest age a US state
	// sets: the holder may be a minor in Mississippi, so the check warns.
	v := validator(t, func(c *docvalidate.Config) { c.Majority, c.MajorityLookup = nil, majorityLookup })
	c, _ := v.Validate(in).Check(docvalidate.CheckMajority)
	assert.Equal(t, docvalidate.Warn, c.Status)
	assert.Equal(t, "holder is 18, at least 18, "+noState+", but under 21, the highest age of majority it could stand for: the holder may be a minor where they live", c.Reason)
	assert.Equal(t, 21, c.Details["highest_required_age"])

	// At 21 or more the guess no longer matters.
	adult := holder()
	adult.IssuingState, adult.Nationality, adult.BirthDate = "USA", "USA", mrz.NewDate(2004, 1, 1)
	c, _ = v.Validate(docvalidate.Input{MRZLines: lines(t, adult)}).Check(docvalidate.CheckMajority)
	assert.Equal(t, docvalidate.Pass, c.Status)
	assert.Equal(t, "holder is 22, at least 18, "+noState, c.Reason)

	// A minor: the same reason after the verdict.
	young := holder()
	young.IssuingState, young.Nationality, young.BirthDate = "USA", "USA", mrz.NewDate(2010, 1, 1)
	c, _ = v.Validate(docvalidate.Input{MRZLines: lines(t, young)}).Check(docvalidate.CheckMajority)
	assert.Equal(t, docvalidate.Fail, c.Status)
	assert.Contains(t, c.Reason, "holder is a minor: 16, under 18, a guessed age of majority (the United States set")

	// A known age reads as before.
	f.IssuingState, f.Nationality = "KOR", "KOR"
	c, _ = v.Validate(docvalidate.Input{MRZLines: lines(t, f)}).Check(docvalidate.CheckMajority)
	assert.Equal(t, "holder is a minor: 18, under 19, the age of majority in KOR", c.Reason)

	// A MajorityFunc has no reason to give.
	v = validator(t, func(c *docvalidate.Config) {
		c.Majority = func(string, string) (int, bool) { return 18, false }
	})
	c, _ = v.Validate(in).Check(docvalidate.CheckMajority)
	assert.Equal(t, "holder is 18, at least 18, the most common age of majority, a guess (the table knows no age for USA)", c.Reason)

	// Neither: no table.
	v = validator(t, func(c *docvalidate.Config) { c.Majority = nil })
	c, _ = v.Validate(in).Check(docvalidate.CheckMajority)
	assert.Equal(t, docvalidate.Skip, c.Status)
}

// TestRequiredFieldsAreCopied: a validator must not change when the caller
// edits the slice it configured it with.
func TestRequiredFieldsAreCopied(t *testing.T) {
	req := []string{"document_number", "surname"}
	v := validator(t, func(c *docvalidate.Config) { c.Required = req })
	req[0] = "personal_number" // not on the document
	r := v.Validate(docvalidate.Input{MRZLines: lines(t, holder())})
	assert.True(t, r.DocumentValid, reasonOf(t, r, docvalidate.CheckRequiredFields))
}

func TestReportJSON(t *testing.T) {
	r := validator(t, nil).Validate(docvalidate.Input{MRZLines: lines(t, holder())})
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"document_valid", "checks", "confidence", "document"} {
		assert.Contains(t, m, k)
	}
	// Input round-trips too, for the HTTP API.
	in := docvalidate.Input{MRZLines: lines(t, holder()), Visual: visual(holder())}
	b, err = json.Marshal(in)
	require.NoError(t, err)
	var back docvalidate.Input
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, in, back)
}

// A birth date of this year with its month unknown: the holder is at most
// months old. The age was left unknown (the majority check skipped and the
// document valid) until the year's last day had come.
func TestPartialBirthDateThisYear(t *testing.T) {
	f := holder()
	f.BirthDate = mrz.NewDate(2026, 0, 0)
	v := validator(t, func(c *docvalidate.Config) { c.MinimumAge = 18 })
	r := v.Validate(docvalidate.Input{MRZLines: lines(t, f)})
	require.NotNil(t, r.Document.Age)
	assert.Equal(t, 0, *r.Document.Age)
	c, _ := r.Check(docvalidate.CheckMajority)
	assert.Equal(t, docvalidate.Fail, c.Status, c.Reason)
	assert.False(t, r.DocumentValid)
}

// Without an issue date, an expiry further than MaxValidityYears ahead
// warns: the document was issued by today, so it claims a longer validity
// than any real one.
func TestExpiryBeyondMaxValidity(t *testing.T) {
	v := validator(t, nil)
	in := func(expiry string) docvalidate.Input {
		return docvalidate.Input{Visual: &docvalidate.Fields{DocumentNumber: "X1234567", Surname: "Mueller", GivenNames: "Anne",
			BirthDate: "1990-03-14", ExpiryDate: expiry}}
	}
	c, _ := v.Validate(in("2070-05-01")).Check(docvalidate.CheckValidityPeriod)
	assert.Equal(t, docvalidate.Warn, c.Status, c.Reason)
	assert.Contains(t, c.Reason, "longer than the usual 15")
	c, _ = v.Validate(in("2031-05-01")).Check(docvalidate.CheckValidityPeriod)
	assert.Equal(t, docvalidate.Skip, c.Status, c.Reason)
}

// Mexican licences carry three-letter state codes (COA, HID).
func TestMexicanSubdivision(t *testing.T) {
	r := validator(t, nil).Validate(docvalidate.Input{BarcodePayload: aamvaPayload("636056",
		"DAQ123456789", "DCSSAMPLE", "DACMICHAEL", "DBD06062021", "DBB01011980", "DBA12102028", "DBC1",
		"DAJCOA", "DCGMEX")})
	c, _ := r.Check("field_formats")
	assert.NotEqual(t, docvalidate.Fail, c.Status, c.Reason)
	assert.Equal(t, "COA", r.Document.Subdivision)
}
