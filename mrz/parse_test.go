package mrz

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// icaoExamples are the specimen zones printed in ICAO Doc 9303 parts 4 to 7
// (Utopia, UTO, is the specimen state).
var icaoExamples = []struct {
	name  string
	lines []string
	want  Fields
}{
	{
		name: "TD3 passport, 9303-4",
		lines: []string{
			"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
		},
		want: Fields{Format: TD3, DocumentCode: "P", DocumentType: Passport, IssuingState: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", DocumentNumber: "L898902C3", Nationality: "UTO",
			BirthDate: NewDate(1974, 8, 12), Sex: Female, ExpiryDate: NewDate(2012, 4, 15), OptionalData: "ZE184226B"},
	},
	{
		name: "TD1 card, 9303-5",
		lines: []string{
			"I<UTOD231458907<<<<<<<<<<<<<<<",
			"7408122F1204159UTO<<<<<<<<<<<6",
			"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
		},
		want: Fields{Format: TD1, DocumentCode: "I", DocumentType: IDCard, IssuingState: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", DocumentNumber: "D23145890", Nationality: "UTO",
			BirthDate: NewDate(1974, 8, 12), Sex: Female, ExpiryDate: NewDate(2012, 4, 15)},
	},
	{
		name: "TD1 card with a long document number, 9303-5",
		lines: []string{
			"I<UTOD23145890<7349<<<<<<<<<<<",
			"3407127M9507122UTO<<<<<<<<<<<2",
			"STEVENSON<<PETER<JOHN<<<<<<<<<",
		},
		want: Fields{Format: TD1, DocumentCode: "I", DocumentType: IDCard, IssuingState: "UTO",
			Surname: "STEVENSON", GivenNames: "PETER JOHN", DocumentNumber: "D23145890734", Nationality: "UTO",
			BirthDate: NewDate(1934, 7, 12), Sex: Male, ExpiryDate: NewDate(1995, 7, 12)},
	},
	{
		name: "TD2 card, 9303-6",
		lines: []string{
			"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
			"D231458907UTO7408122F1204159<<<<<<<6",
		},
		want: Fields{Format: TD2, DocumentCode: "I", DocumentType: IDCard, IssuingState: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", DocumentNumber: "D23145890", Nationality: "UTO",
			BirthDate: NewDate(1974, 8, 12), Sex: Female, ExpiryDate: NewDate(2012, 4, 15)},
	},
	{
		name: "MRV-A visa, 9303-7",
		lines: []string{
			"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			"L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
		},
		want: Fields{Format: MRVA, DocumentCode: "V", DocumentType: Visa, IssuingState: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", DocumentNumber: "L8988901C", Nationality: "XXX",
			BirthDate: NewDate(1940, 9, 7), Sex: Female, ExpiryDate: NewDate(1996, 12, 10), OptionalData: "6ZE184226B"},
	},
	{
		name: "MRV-B visa, 9303-7",
		lines: []string{
			"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
			"L8988901C4XXX4009078F9612109<<<<<<<<",
		},
		want: Fields{Format: MRVB, DocumentCode: "V", DocumentType: Visa, IssuingState: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", DocumentNumber: "L8988901C", Nationality: "XXX",
			BirthDate: NewDate(1940, 9, 7), Sex: Female, ExpiryDate: NewDate(1996, 12, 10)},
	},
}

var ref2025 = Options{Reference: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}

// sameFields compares fields, ignoring Date.Raw.
func sameFields(t *testing.T, want, got Fields) {
	t.Helper()
	for _, d := range []*Date{&want.BirthDate, &want.ExpiryDate, &got.BirthDate, &got.ExpiryDate} {
		d.Raw = ""
	}
	assert.Equal(t, want, got)
}

func TestParseICAOExamples(t *testing.T) {
	for _, tc := range icaoExamples {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.lines, ref2025)
			require.NoError(t, err)
			sameFields(t, tc.want, r.Fields)
			assert.True(t, r.Valid, "checks %v problems %v", r.Checks, r.Problems)
			assert.NoError(t, r.Err())
			assert.True(t, r.Specimen)
			assert.Equal(t, tc.lines, r.Lines)
			for _, c := range r.Checks {
				assert.True(t, c.OK, "%s", c.Field)
				assert.Equal(t, c.Got, c.Want, "%s", c.Field)
			}
		})
	}
}

func TestGenerateICAOExamples(t *testing.T) {
	for _, tc := range icaoExamples {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Generate(tc.want)
			require.NoError(t, err)
			assert.Equal(t, tc.lines, got)
		})
	}
}

func TestCheckDigit(t *testing.T) {
	for _, tc := range []struct {
		data string
		want int
	}{
		{"L898902C3", 6}, {"740812", 2}, {"120415", 9}, {"ZE184226B<<<<<", 1},
		{"L898902C36740812212041594ZE184226B<<<<<1", 0}, {"", 0}, {"<<<<<<<<<", 0}, {"D23145890734", 9},
	} {
		got, err := CheckDigit(tc.data)
		require.NoError(t, err, tc.data)
		assert.Equal(t, tc.want, got, tc.data)
	}
	_, err := CheckDigit("L89?")
	assert.ErrorIs(t, err, ErrCharacter)
	_, err = CheckDigit("abc")
	assert.ErrorIs(t, err, ErrCharacter)
}

func TestParseFailures(t *testing.T) {
	good := icaoExamples[0].lines
	t.Run("bad check digits are reported per field, with the fields", func(t *testing.T) {
		r, err := Parse([]string{good[0], "L898902C37UTO7408124F1204159ZE184226B<<<<<10"}, ref2025)
		require.NoError(t, err)
		assert.False(t, r.Valid)
		assert.Equal(t, "L898902C3", r.DocumentNumber)
		ok := map[string]bool{}
		for _, c := range r.Checks {
			ok[c.Field] = c.OK
		}
		assert.Equal(t, map[string]bool{FieldDocumentNumber: false, FieldBirthDate: false, FieldExpiryDate: true,
			FieldOptionalData: true, FieldComposite: false}, ok)
		c, _ := r.Check(FieldDocumentNumber)
		assert.Equal(t, Check{Field: FieldDocumentNumber, Line: 1, Pos: 9, Got: "7", Want: "6"}, c)
		assert.ErrorIs(t, r.Err(), ErrChecksum)
		assert.NotErrorIs(t, r.Err(), ErrField)
	})
	t.Run("invalid fields are problems", func(t *testing.T) {
		r, err := Parse([]string{"P<ZZZERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			"L898902C36UTO7413322Q1204159ZE184226B<<<<<10"}, ref2025)
		require.NoError(t, err)
		codes := map[string]string{}
		for _, p := range r.Problems {
			codes[p.Field] = p.Code
		}
		assert.Equal(t, map[string]string{FieldIssuingState: ProblemCountry, FieldBirthDate: ProblemDate,
			FieldSex: ProblemSex}, codes)
		assert.False(t, r.BirthDate.Valid())
		assert.Equal(t, "741332", r.BirthDate.Raw)
		assert.ErrorIs(t, r.Err(), ErrField)
	})
	for _, tc := range []struct {
		name  string
		lines []string
		err   error
	}{
		{"no lines", nil, ErrFormat},
		{"blank lines", []string{" ", ""}, ErrFormat},
		{"four lines", []string{"A", "B", "C", "D"}, ErrFormat},
		{"two lines of 43", []string{good[0][:43], good[1][:43]}, ErrLength},
		{"one line of 44", good[:1], ErrLength},
		{"three short lines", []string{"1", "2", "3"}, ErrLength},
		{"single line not a licence", []string{"X1FRA13AA000026181231MARTIN<<9"}, ErrFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.lines, ref2025)
			assert.Nil(t, r)
			assert.ErrorIs(t, err, tc.err)
		})
	}
}

func TestParseTrimsWhitespaceOnly(t *testing.T) {
	r, err := ParseText("\n  P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<  \r\n\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n", ref2025)
	require.NoError(t, err)
	assert.True(t, r.Valid)
	_, err = ParseText("p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10", ref2025)
	require.NoError(t, err, "lower case is a recognisable layout")
}

func TestCenturies(t *testing.T) {
	ref := Options{Reference: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), ExpiryHorizonYears: 15}
	for _, tc := range []struct {
		raw  string
		kind dateKind
		want string
	}{
		{"740812", pastDate, "1974-08-12"},
		{"260315", pastDate, "2026-03-15"}, // born today
		{"260316", pastDate, "1926-03-16"}, // tomorrow is not a birth date
		{"130101", pastDate, "2013-01-01"},
		{"0001<<", pastDate, "2000-01"},
		{"00<<<<", pastDate, "2000"},
		{"120415", expiryDate, "2012-04-15"}, // expired
		{"340528", expiryDate, "2034-05-28"},
		{"410315", expiryDate, "2041-03-15"}, // the horizon itself
		{"950712", expiryDate, "1995-07-12"},
		{"800101", expiryDate, "1980-01-01"},
	} {
		d, ok := parseYYMMDD(tc.raw, tc.kind, ref)
		require.True(t, ok, tc.raw)
		assert.Equal(t, tc.want, d.String(), tc.raw)
		assert.Equal(t, tc.raw, d.Raw)
	}
	// Past the horizon, and a century earlier before MRZs began: no
	// century fits (they read 2041-03-16 and 2079-01-01).
	for _, raw := range []string{"410316", "790101", "700501"} {
		d, ok := parseYYMMDD(raw, expiryDate, ref)
		assert.False(t, ok, raw)
		assert.Equal(t, Date{Raw: raw}, d)
	}
	late := Options{Reference: time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC), ExpiryHorizonYears: 15}
	d, _ := parseYYMMDD("020101", expiryDate, late)
	assert.Equal(t, 2102, d.Year, "the horizon crosses into the next century")
	d, _ = parseYYMMDD("950101", pastDate, late)
	assert.Equal(t, 1995, d.Year, "a 95-year-old is older than a newborn is in the future")
	for _, bad := range []string{"741332", "740230", "7408<2", "AB0812", "74081", "<<0812", "740000"} {
		_, ok := parseYYMMDD(bad, pastDate, ref)
		assert.False(t, ok, bad)
	}
	d, ok := parseYYMMDD("000229", pastDate, ref)
	require.True(t, ok)
	assert.Equal(t, "2000-02-29", d.String())
}

// The reference counts by its own calendar day, as Expired does: at 09:00
// in UTC+10 on 15 June it is still 14 June in UTC, and a birth date of 15
// June read as 1926.
func TestCenturyReferenceLocalDay(t *testing.T) {
	at := time.Date(2026, 6, 15, 9, 0, 0, 0, time.FixedZone("AEST", 10*3600))
	opts := Options{Reference: at, ExpiryHorizonYears: 15}
	d, ok := parseYYMMDD("260615", pastDate, opts)
	require.True(t, ok)
	assert.Equal(t, "2026-06-15", d.String(), "born today")
	d, _ = parseYYMMDD("260616", pastDate, opts)
	assert.Equal(t, 1926, d.Year, "tomorrow is not a birth date")
	west := Options{Reference: time.Date(2026, 6, 14, 20, 0, 0, 0, time.FixedZone("EDT", -4*3600)), ExpiryHorizonYears: 15}
	d, _ = parseYYMMDD("260615", pastDate, west)
	assert.Equal(t, 1926, d.Year, "15 June is tomorrow at 20:00 on 14 June in UTC-4")

	r, err := Parse([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO2606152F2606152<<<<<<<<<<<<<<<4"}, opts)
	require.NoError(t, err)
	assert.True(t, r.Valid, "%v", r.Err())
	assert.Equal(t, "2026-06-15", r.BirthDate.String())
	assert.False(t, r.Expired(at), "expires today: not expired on the same local day")
}

// An expiry date no century fits within the documented horizon is a date
// problem, not a date decades ahead: 700501 read in 2025 was 2070-05-01, a
// valid passport for 45 years; a longer horizon is the caller's to set.
func TestExpiryBeyondHorizon(t *testing.T) {
	lines := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F7005015ZE184226B<<<<<10"}
	r, err := Parse(lines, Options{Reference: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.False(t, r.ExpiryDate.Valid())
	assert.Equal(t, "700501", r.ExpiryDate.Raw)
	require.Len(t, r.Problems, 1)
	assert.Equal(t, Problem{Field: FieldExpiryDate, Code: ProblemDate,
		Message: `"700501" is an expiry date more than 15 years after the reference date 2025-01-01, or before 1980 when MRZs began`}, r.Problems[0])
	assert.False(t, r.Valid)
	assert.ErrorIs(t, r.Err(), ErrField)
	for _, c := range r.Checks {
		assert.True(t, c.OK, "check digits pass: the date is refused for its century alone (%s)", c.Field)
	}

	r, err = Parse(lines, Options{Reference: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ExpiryHorizonYears: 50})
	require.NoError(t, err)
	assert.Equal(t, "2070-05-01", r.ExpiryDate.String(), "within a 50-year horizon")
	assert.True(t, r.Valid, "%v", r.Err())
}

func TestDefaultReferenceIsNow(t *testing.T) {
	yy := time.Now().Year() % 100
	raw := string(rune('0'+yy/10)) + string(rune('0'+yy%10)) + "0101"
	r, err := Parse([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO" + raw + "0F" + raw + "0<<<<<<<<<<<<<<<0"}, Options{})
	require.NoError(t, err)
	assert.Equal(t, time.Now().Year(), r.BirthDate.Year)
	assert.Equal(t, time.Now().Year(), r.ExpiryDate.Year)
}

func TestLookupCountry(t *testing.T) {
	for _, tc := range []struct {
		code string
		want Country
	}{
		{"D", Country{Code: "D", Alpha3: "DEU", Alpha2: "DE", Name: "Germany", Kind: CountryICAO}},
		{"D<<", Country{Code: "D", Alpha3: "DEU", Alpha2: "DE", Name: "Germany", Kind: CountryICAO}},
		{"FRA", Country{Code: "FRA", Alpha3: "FRA", Alpha2: "FR", Name: "France", Kind: CountryISO}},
		{"GBD", Country{Code: "GBD", Alpha3: "GBR", Alpha2: "GB", Name: "British Overseas Territories Citizen", Kind: CountryICAO}},
		{"RKS", Country{Code: "RKS", Alpha2: "XK", Name: "Kosovo", Kind: CountryICAO}},
		{"XXA", Country{Code: "XXA", Name: "Stateless person (1954 Convention)", Kind: CountryICAO}},
		{"UTO", Country{Code: "UTO", Name: "Utopia", Kind: CountrySpecimen}},
	} {
		got, ok := LookupCountry(tc.code)
		assert.True(t, ok, tc.code)
		assert.Equal(t, tc.want, got)
	}
	for _, code := range []string{"GBX", "ZZZ", "", "DE", "XKX"} {
		_, ok := LookupCountry(code)
		assert.False(t, ok, code)
	}
	for _, code := range []string{"EUE", "UNO", "UNA", "UNK", "XOM", "XXB", "XXC", "XXX", "GBN", "GBO", "GBP", "GBS"} {
		c, ok := LookupCountry(code)
		assert.True(t, ok, code)
		assert.Equal(t, CountryICAO, c.Kind, code)
	}
	assert.Len(t, isoCountries, 249)
}

// TestLookupAlpha2: the alpha-2 codes come from the same generated table as
// the alpha-3 ones, so every ISO country is found both ways, and XK finds
// Kosovo as RKS does.
func TestLookupAlpha2(t *testing.T) {
	for a3 := range isoCountries {
		c, ok := LookupCountry(a3)
		require.True(t, ok, a3)
		require.Len(t, c.Alpha2, 2, a3)
		back, ok := LookupAlpha2(c.Alpha2)
		assert.True(t, ok, c.Alpha2)
		assert.Equal(t, c, back, c.Alpha2)
	}
	for a2, want := range map[string]Country{
		"DE": {Code: "DEU", Alpha3: "DEU", Alpha2: "DE", Name: "Germany", Kind: CountryISO},
		"BQ": {Code: "BES", Alpha3: "BES", Alpha2: "BQ", Name: "Bonaire, Sint Eustatius and Saba", Kind: CountryISO},
		"XK": {Code: "RKS", Alpha2: "XK", Name: "Kosovo", Kind: CountryICAO},
	} {
		got, ok := LookupAlpha2(a2)
		assert.True(t, ok, a2)
		assert.Equal(t, want, got, a2)
	}
	for _, code := range []string{"", "D", "de", "UK", "EU", "XX", "DEU", " DE"} {
		_, ok := LookupAlpha2(code)
		assert.False(t, ok, code)
	}
}

func TestNationalLayouts(t *testing.T) {
	t.Run("French ID card", func(t *testing.T) {
		lines := []string{"IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "9409923102854CORINNE<<<<<<<6512068F4"}
		r, err := Parse(lines, ref2025)
		require.NoError(t, err)
		assert.True(t, r.Valid)
		assert.Equal(t, FrenchID, r.Format)
		assert.Equal(t, "940992310285", r.DocumentNumber)
		assert.Equal(t, map[string]string{FieldAdministrativeCode: "", FieldIssueMonth: "1994-09", FieldIssuingOffice: "923"}, r.Extra)
		assert.Equal(t, "1965-12-06", r.BirthDate.String())
		assert.Equal(t, IDCard, r.DocumentType)
		got, err := Generate(r.Fields)
		require.NoError(t, err)
		assert.Equal(t, lines, got)
	})
	t.Run("French driving licence", func(t *testing.T) {
		lines := []string{"D1FRA13AA000026181231MARTIN<<9"}
		r, err := Parse(lines, ref2025)
		require.NoError(t, err)
		assert.True(t, r.Valid)
		assert.Equal(t, DrivingLicence, r.DocumentType)
		assert.Equal(t, "13AA00002", r.DocumentNumber)
		assert.Equal(t, "2018-12-31", r.ExpiryDate.String())
		got, err := Generate(r.Fields)
		require.NoError(t, err)
		assert.Equal(t, lines, got)
	})
	t.Run("Swiss driving licence", func(t *testing.T) {
		lines := []string{"AAA001D<<", "FACHE305142128097<<800126<<<<<", "MARCHAND<<FABIENNE<<<<<<<<<<<<"}
		r, err := Parse(lines, ref2025)
		require.NoError(t, err)
		assert.True(t, r.Valid)
		assert.Empty(t, r.Checks, "the Swiss licence has no check digits")
		assert.Equal(t, map[string]string{FieldLanguage: "D", FieldPIN: "305142128", FieldVersion: "097"}, r.Extra)
		got, err := Generate(r.Fields)
		require.NoError(t, err)
		assert.Equal(t, lines, got)
	})
	t.Run("a TD2 card from France is not the old French card", func(t *testing.T) {
		lines, err := Generate(Fields{Format: TD2, DocumentCode: "ID", IssuingState: "FRA", Surname: "DUPONT",
			GivenNames: "JEAN", DocumentNumber: "X4RTBPFW4", Nationality: "FRA", BirthDate: NewDate(1990, 1, 2),
			Sex: Male, ExpiryDate: NewDate(2030, 1, 2)})
		require.NoError(t, err)
		r, err := Parse(lines, ref2025)
		require.NoError(t, err)
		assert.Equal(t, TD2, r.Format)
		assert.True(t, r.Valid)
	})
}

func TestGenerate(t *testing.T) {
	base := Fields{Format: TD3, DocumentCode: "P", IssuingState: "D", Surname: "Müller-Lüdenscheidt",
		GivenNames: "Jürgen Ægidius", DocumentNumber: "C01X00T47", Nationality: "D",
		BirthDate: NewDate(1964, 8, 12), Sex: Male, ExpiryDate: NewDate(2031, 10, 31)}
	lines, err := Generate(base)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"P<D<<MUELLER<LUEDENSCHEIDT<<JUERGEN<AEGIDIUS",
		"C01X00T478D<<6408125M3110315<<<<<<<<<<<<<<<2",
	}, lines)
	r, err := Parse(lines, ref2025)
	require.NoError(t, err)
	assert.True(t, r.Valid, "%v %v", r.Checks, r.Problems)
	assert.Equal(t, "MUELLER LUEDENSCHEIDT", r.Surname)

	long := base
	long.Surname = "Wolfeschlegelsteinhausenbergerdorff"
	lines, err = Generate(long)
	require.NoError(t, err)
	assert.Equal(t, "P<D<<WOLFESCHLEGELSTEINHAUSENBERGERDORFF<<JU", lines[0], "a long name is cut at the end")
	r, _ = Parse(lines, ref2025)
	assert.True(t, r.NameTruncated)

	for _, tc := range []struct {
		name   string
		mutate func(*Fields)
		err    error
	}{
		{"unknown format", func(f *Fields) { f.Format = "TD4" }, ErrFormat},
		{"number too long for TD3", func(f *Fields) { f.DocumentNumber = "1234567890" }, ErrField},
		{"bad sex", func(f *Fields) { f.Sex = "Q" }, ErrField},
		{"bad date", func(f *Fields) { f.BirthDate = NewDate(1964, 2, 30) }, ErrField},
		{"unwritable character", func(f *Fields) { f.Surname = "李" }, ErrField},
		{"country too long", func(f *Fields) { f.Nationality = "DEUT" }, ErrField},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := base
			tc.mutate(&f)
			_, err := Generate(f)
			assert.ErrorIs(t, err, tc.err)
		})
	}
}

func TestGenerateLongNumberTD1(t *testing.T) {
	f := Fields{Format: TD1, DocumentCode: "ID", IssuingState: "BEL", Surname: "SPECIMEN", GivenNames: "SPECIMEN",
		DocumentNumber: "600001795015", Nationality: "BEL", BirthDate: NewDate(2013, 1, 1), Sex: Female,
		ExpiryDate: NewDate(2023, 11, 20), OptionalData2: "13010198739"}
	lines, err := Generate(f)
	require.NoError(t, err)
	assert.Equal(t, []string{"IDBEL600001795<0152<<<<<<<<<<<", "1301014F2311207BEL130101987398",
		"SPECIMEN<<SPECIMEN<<<<<<<<<<<<"}, lines, "the BEL-BO-11005 specimen")
	f.OptionalData = "AB12"
	lines, err = Generate(f)
	require.NoError(t, err)
	r, err := Parse(lines, ref2025)
	require.NoError(t, err)
	assert.True(t, r.Valid)
	assert.Equal(t, "600001795015", r.DocumentNumber)
	assert.Equal(t, "AB12", r.OptionalData)
}

func TestResultJSON(t *testing.T) {
	r, err := Parse(icaoExamples[0].lines, ref2025)
	require.NoError(t, err)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "1974-08-12", m["birth_date"])
	assert.Equal(t, "2012-04-15", m["expiry_date"])
	assert.Equal(t, true, m["valid"])
	assert.Equal(t, "TD3", m["format"])

	var f Fields
	require.NoError(t, json.Unmarshal(b, &f))
	assert.Equal(t, NewDate(1974, 8, 12), f.BirthDate)

	bad, err := Parse([]string{icaoExamples[0].lines[0], "L898902C36UTO7499122F1204159ZE184226B<<<<<10"}, ref2025)
	require.NoError(t, err)
	b, err = json.Marshal(bad)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Nil(t, m["birth_date"])
}

func TestExpired(t *testing.T) {
	r, err := Parse(icaoExamples[0].lines, ref2025)
	require.NoError(t, err)
	assert.True(t, r.Expired(time.Date(2012, 4, 16, 0, 0, 0, 0, time.UTC)))
	assert.False(t, r.Expired(time.Date(2012, 4, 15, 23, 0, 0, 0, time.UTC)))
}
