package aamva

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type testSubfile struct {
	typ   string
	elems []string // "DAQ123" style: ID and value
}

// build writes a payload the way Annex D describes it, offsets included.
func build(iin string, version int, subfiles ...testSubfile) string {
	fileType, jv := "ANSI ", "00"
	if version <= 1 {
		fileType, jv = "AAMVA", ""
	}
	headerLen := 4 + 5 + 6 + 2 + len(jv) + 2 + 10*len(subfiles)
	var head, data strings.Builder
	head.WriteString("@\n\x1e\r" + fileType + iin + fmt.Sprintf("%02d", version) + jv + fmt.Sprintf("%02d", len(subfiles)))
	off := headerLen
	for _, sf := range subfiles {
		body := sf.typ + strings.Join(sf.elems, "\n") + "\r"
		fmt.Fprintf(&head, "%s%04d%04d", sf.typ, off, len(body))
		data.WriteString(body)
		off += len(body)
	}
	return head.String() + data.String()
}

// vaV10 is a complete version 10 licence.
var vaV10 = build("636000", 10,
	testSubfile{"DL", []string{
		"DAQT64235789", "DCSSAMPLE", "DDEN", "DACMICHAEL", "DDFT", "DADJOHN", "DDGU", "DCUJR", "DCAD",
		"DCBK", "DCDPH", "DBD06062019", "DBB06061986", "DBA12102024", "DBC1", "DAU068 in", "DAYBRO",
		"DAG2300 WEST BROAD STREET", "DAIRICHMOND", "DAJVA", "DAK232690000  ", "DCF2424244747474786102204",
		"DCGUSA", "DCK123456789", "DDAF", "DDB06062018", "DDC06062020", "DDD1", "DAW150", "DAZBLK",
		"DDH06062004", "DDI06062005", "DDJ06062007", "DDK1", "DDL1",
	}},
	testSubfile{"ZV", []string{"ZVA01", "ZVBXYZ"}},
)

func TestParseVersion10(t *testing.T) {
	r, err := ParseString(vaV10)
	require.NoError(t, err)
	assert.Empty(t, r.Warnings)
	assert.True(t, r.Valid, "%v", r.Problems)
	h := r.Header
	assert.Equal(t, Header{ComplianceIndicator: true, FileType: "ANSI ", IIN: "636000", Version: 10, Entries: 2}, Header{
		ComplianceIndicator: h.ComplianceIndicator, FileType: h.FileType, IIN: h.IIN, Version: h.Version, Entries: h.Entries})
	require.Len(t, h.Subfiles, 2)
	for i, typ := range []string{"DL", "ZV"} {
		d := h.Subfiles[i]
		assert.Equal(t, typ, d.Type)
		assert.Equal(t, typ, vaV10[d.Offset:d.Offset+2], "offset of %s", typ)
		assert.Equal(t, byte('\r'), vaV10[d.Offset+d.Length-1], "length of %s", typ)
	}
	assert.Equal(t, Issuer{IIN: "636000", Code: "VA", Name: "Virginia", Country: "USA"}, r.Issuer)
	assert.Equal(t, "DL", r.DocumentType)
	assert.Equal(t, Name{Family: "SAMPLE", Given: "MICHAEL JOHN", First: "MICHAEL", Middle: "JOHN", Suffix: "JR",
		FamilyTruncated: NotTruncated, FirstTruncated: Truncated, MiddleTruncated: TruncationUnknown}, r.Name)
	assert.Equal(t, "1986-06-06", r.DateOfBirth.String())
	assert.Equal(t, "06061986", r.DateOfBirth.Raw)
	assert.Equal(t, "2019-06-06", r.IssueDate.String())
	assert.Equal(t, "2024-12-10", r.ExpiryDate.String())
	assert.Equal(t, "2018-06-06", r.RevisionDate.String())
	assert.Equal(t, "2004-06-06", r.Under18Until.String())
	assert.Equal(t, "2005-06-06", r.Under19Until.String())
	assert.Equal(t, "2007-06-06", r.Under21Until.String())
	assert.Equal(t, Male, r.Sex)
	assert.Equal(t, Address{Street1: "2300 WEST BROAD STREET", City: "RICHMOND", Jurisdiction: "VA",
		PostalCode: "23269", Country: "USA"}, r.Address)
	assert.Equal(t, "T64235789", r.DocumentNumber)
	assert.Equal(t, &Height{Inches: 68, Centimeters: 173, Unit: "in"}, r.Height)
	assert.Equal(t, &Weight{Pounds: 150, Kilograms: 68, Unit: "lb", Range: -1}, r.Weight)
	assert.Equal(t, "BRO", r.EyeColor)
	assert.Equal(t, "BLK", r.HairColor)
	assert.Equal(t, "D", r.VehicleClass)
	assert.Equal(t, "K", r.Restrictions)
	assert.Equal(t, "PH", r.Endorsements)
	assert.Equal(t, FullyCompliant, r.Compliance)
	assert.True(t, r.LimitedDuration)
	assert.True(t, r.OrganDonor)
	assert.True(t, r.Veteran)
	assert.Equal(t, "USA", r.Country)
	assert.Equal(t, []Subfile{{Type: "ZV", Elements: []Element{{"ZVA", "01"}, {"ZVB", "XYZ"}}}}, r.Subfiles[1:])
	assert.Equal(t, "232690000", r.Elements["DAK"])
	assert.Equal(t, "DAK", r.Subfiles[0].Elements[20].ID)
	assert.Equal(t, "232690000  ", r.Subfiles[0].Elements[20].Value, "values are kept as found")
}

func TestParseCanada(t *testing.T) {
	r, err := ParseString(build("636012", 8, testSubfile{"ID", []string{
		"DAQS1234-56789-01234", "DCSTREMBLAY", "DACJOSÉE", "DADNONE", "DBB19900131", "DBA20300131",
		"DBD20250131", "DBC2", "DAU175 CM", "DAX070", "DAG1 RUE PRINCIPALE", "DAIOTTAWA", "DAJON",
		"DAKK1A0B1     ", "DCGCAN", "DDEN", "DDFN", "DDGN",
	}}))
	require.NoError(t, err)
	assert.True(t, r.Valid, "%v", r.Problems)
	assert.Equal(t, "ID", r.DocumentType)
	assert.Equal(t, "CAN", r.Country)
	assert.Equal(t, "1990-01-31", r.DateOfBirth.String(), "Canada writes CCYYMMDD")
	assert.Equal(t, "2030-01-31", r.ExpiryDate.String())
	assert.Equal(t, Female, r.Sex)
	assert.Equal(t, "JOSÉE", r.Name.First)
	assert.Empty(t, r.Name.Middle, "NONE is no middle name")
	assert.Equal(t, "K1A 0B1", r.Address.PostalCode)
	assert.Equal(t, &Height{Inches: 69, Centimeters: 175, Unit: "cm"}, r.Height)
	assert.Equal(t, &Weight{Pounds: 154, Kilograms: 70, Unit: "kg", Range: -1}, r.Weight)
	assert.Empty(t, r.Warnings)
}

func TestParseVersion1(t *testing.T) {
	r, err := ParseString(build("636006", 1, testSubfile{"DL", []string{
		"DAACORTEZ,PABLO,LUIS RODRIGUEZ,JR", "DAG715 MAIN LN", "DAISTRATFORD", "DAJCT", "DAK066140123  ",
		"DAQ227881513", "DARD   ", "DASNONE", "DBA20221007", "DBB19761007", "DBC1", "DBD20160823",
		"DAU511", "DAYGRN", "DBHY",
	}}))
	require.NoError(t, err)
	assert.True(t, r.Valid, "%v", r.Problems)
	assert.Equal(t, "AAMVA", r.Header.FileType)
	assert.Equal(t, 0, r.Header.JurisdictionVersion)
	assert.Equal(t, Name{Family: "CORTEZ", Given: "PABLO LUIS RODRIGUEZ", First: "PABLO", Middle: "LUIS RODRIGUEZ", Suffix: "JR"}, r.Name)
	assert.Equal(t, "1976-10-07", r.DateOfBirth.String(), "version 1 writes CCYYMMDD")
	assert.Equal(t, 71, r.Height.Inches, "511 is 5 ft 11 in")
	assert.Equal(t, "06614-0123", r.Address.PostalCode)
	assert.Equal(t, "D", r.VehicleClass)
	assert.Empty(t, r.Restrictions)
	assert.True(t, r.OrganDonor)
}

func TestFullNames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Name
	}{
		{"SMITH, MARY JONES", Name{Family: "SMITH", First: "MARY", Middle: "JONES", Given: "MARY JONES"}},
		{"JOHNSON,JACK,,3RD", Name{Family: "JOHNSON", First: "JACK", Suffix: "3RD", Given: "JACK"}},
		{"JOHN ROBERT LEE SMITH", Name{Family: "SMITH", First: "JOHN", Middle: "ROBERT LEE", Given: "JOHN ROBERT LEE"}},
		{"CHER", Name{Family: "CHER"}},
		{"TESTER,JOEY, MIDLAND", Name{Family: "TESTER", First: "JOEY", Middle: "MIDLAND", Given: "JOEY MIDLAND"}},
	} {
		r, err := ParseString(build("636025", 1, testSubfile{"DL", []string{"DAQ1", "DAA" + tc.in, "DBB19800101"}}))
		require.NoError(t, err)
		assert.Equal(t, tc.want, r.Name, tc.in)
	}
}

func TestHeightsAndWeights(t *testing.T) {
	for _, tc := range []struct {
		elems []string
		h     *Height
		w     *Weight
	}{
		{[]string{"DAU072 IN"}, &Height{72, 183, "in"}, nil},
		{[]string{"DAU 65 IN"}, &Height{65, 165, "in"}, nil},
		{[]string{"DAU180 cm"}, &Height{71, 180, "cm"}, nil},
		{[]string{`DAU5'-10"`}, &Height{70, 178, "in"}, nil},
		{[]string{"DAU510"}, &Height{70, 178, "in"}, nil},
		{[]string{"DAU072"}, &Height{72, 183, "in"}, nil},
		{[]string{"DAV182"}, &Height{72, 182, "cm"}, nil},
		{[]string{"DAUtall"}, nil, nil},
		{[]string{"DAW185"}, nil, &Weight{Pounds: 185, Kilograms: 84, Unit: "lb", Range: -1}},
		{[]string{"DAX084"}, nil, &Weight{Pounds: 185, Kilograms: 84, Unit: "kg", Range: -1}},
		{[]string{"DCE5"}, nil, &Weight{Range: 5}},
		{[]string{"DAW150", "DCE3"}, nil, &Weight{Pounds: 150, Kilograms: 68, Unit: "lb", Range: 3}},
	} {
		r, err := ParseString(build("636000", 3, testSubfile{"DL", append([]string{"DAQ1", "DCSX", "DBB01011980"}, tc.elems...)}))
		require.NoError(t, err)
		assert.Equal(t, tc.h, r.Height, "%v", tc.elems)
		assert.Equal(t, tc.w, r.Weight, "%v", tc.elems)
	}
}

// mangle rewrites a payload the way broken scanners and issuers do.
func TestTolerance(t *testing.T) {
	good, err := ParseString(vaV10)
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		payload string
		warning string
	}{
		{"leading whitespace and BOM", "\uFEFF \n\t" + vaV10, ""},
		{"no compliance indicator", strings.TrimPrefix(vaV10, "@"), "no compliance indicator"},
		{"stray bytes before the header", "]L" + vaV10, "unexpected characters"},
		{"CRLF line ends", strings.ReplaceAll(vaV10, "\n", "\r\n"), ""},
		{"control characters stripped, pipes instead", strings.NewReplacer("\n", "|", "\r", "|", "\x1e", "").Replace(vaV10), "separated by |"},
		{"no separators at all", strings.NewReplacer("\n", "", "\r", "", "\x1e", "").Replace(vaV10), "no element separators"},
		{"wrong offsets", strings.Replace(vaV10, "DL0041", "DL0000", 1), ""},
		{"subfile type missing", strings.Replace(vaV10, "DLDAQ", "DAQ", 1), ""},
		{"ANSI without the space", strings.Replace(vaV10, "ANSI ", "ANSI", 1), "file type"},
		{"trailing garbage", vaV10 + "\n\x00\x00", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseString(tc.payload)
			require.NoError(t, err)
			if tc.warning == "" {
				assert.Empty(t, r.Warnings)
			} else {
				assert.Contains(t, strings.Join(r.Warnings, "\n"), tc.warning)
			}
			assert.Equal(t, good.Name, r.Name)
			assert.Equal(t, good.Address, r.Address)
			assert.Equal(t, good.DateOfBirth.String(), r.DateOfBirth.String())
			assert.Equal(t, good.ExpiryDate.String(), r.ExpiryDate.String())
			assert.Equal(t, good.DocumentNumber, r.DocumentNumber)
			assert.Equal(t, good.DocumentDiscriminator, r.DocumentDiscriminator)
			assert.Equal(t, good.Height, r.Height)
			assert.Equal(t, good.Compliance, r.Compliance)
			assert.Equal(t, "01", r.Elements["ZVA"])
			assert.True(t, r.Valid, "%v", r.Problems)
		})
	}
}

func TestLatin1(t *testing.T) {
	payload := []byte(build("636012", 8, testSubfile{"DL", []string{"DAQ1", "DCSB\xc9LANGER", "DACRENÉ", "DBB19800101", "DCGCAN"}}))
	// É in Latin-1 is the single byte 0xC9; the UTF-8 É in DAC is two.
	payload = []byte(strings.Replace(string(payload), "RENÉ", "REN\xc9", 1))
	r, err := Parse(payload)
	require.NoError(t, err)
	assert.Equal(t, "BÉLANGER", r.Name.Family)
	assert.Equal(t, "RENÉ", r.Name.First)
}

func TestDateOrderFallback(t *testing.T) {
	r, err := ParseString(build("636061", 4, testSubfile{"DL", []string{"DAQF1", "DCSSMITH", "DBB19721103", "DBA11032022", "DAJWV"}}))
	require.NoError(t, err)
	assert.Equal(t, "1972-11-03", r.DateOfBirth.String())
	assert.Equal(t, "2022-11-03", r.ExpiryDate.String())
	assert.Len(t, r.Warnings, 1)
	assert.Contains(t, r.Warnings[0], "DBB")
	assert.True(t, r.Valid)
}

func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		iin   string
		elems []string
		want  map[string]string // element -> problem code
	}{
		{"unknown IIN", "123456", []string{"DAQ1", "DCSX", "DBB01011980"}, map[string]string{"IIN": ProblemUnknownIIN}},
		{"address in another state", "636000", []string{"DAQ1", "DCSX", "DBB01011980", "DAJMD"}, map[string]string{"IIN": ProblemIINJurisdiction}},
		{"country disagrees", "636000", []string{"DAQ1", "DCSX", "DBB01011980", "DCGCAN"}, map[string]string{"IIN": ProblemIINCountry}},
		{"mandatory elements missing", "636000", []string{"DAJVA"}, map[string]string{"DAQ": ProblemMissing, "DBB": ProblemMissing, "DCS": ProblemMissing}},
		{"impossible dates and sex", "636000", []string{"DAQ1", "DCSX", "DBB13451980", "DBA99999999", "DBC7"},
			map[string]string{"DBB": ProblemDate, "DBA": ProblemDate, "DBC": ProblemSex}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseString(build(tc.iin, 9, testSubfile{"DL", tc.elems}))
			require.NoError(t, err)
			got := map[string]string{}
			for _, p := range r.Problems {
				got[p.Element] = p.Code
			}
			assert.Equal(t, tc.want, got)
			assert.False(t, r.Valid)
		})
	}
	r, err := ParseString(build("636000", 9, testSubfile{"DL", []string{"DAQ1", "DCSX", "DBB13451980"}}))
	require.NoError(t, err)
	assert.Equal(t, "13451980", r.DateOfBirth.Raw, "an unreadable date keeps its text")
	assert.False(t, r.DateOfBirth.Valid())
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		payload string
		is      []error
		isNot   []error
	}{
		{"empty", "", []error{ErrNotAAMVA}, nil},
		{"text", "hello world, this is a QR code", []error{ErrNotAAMVA}, nil},
		{"MRZ", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", []error{ErrNotAAMVA}, nil},
		{"cut in the IIN", "@\n\x1e\rANSI 6360", []error{ErrHeader, ErrTruncated}, nil},
		{"cut in the jurisdiction version", "@\n\x1e\rANSI 63600010", []error{ErrHeader, ErrTruncated}, nil},
		{"letters for the IIN", "@\n\x1e\rANSI ABCDEF100002DL00410278", []error{ErrHeader}, []error{ErrTruncated}},
		{"letters for the entries", "@\n\x1e\rANSI 6360001000XXDL00410278DAQ1", []error{ErrHeader}, []error{ErrTruncated}},
		{"header and nothing else", "@\n\x1e\rANSI 636000100001DL00310000", []error{ErrTruncated}, nil},
		{"header and blank data", "@\n\x1e\rANSI 636000100001DL00310000\n\r\n", []error{ErrTruncated}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseString(tc.payload)
			assert.Nil(t, r)
			for _, e := range tc.is {
				assert.ErrorIs(t, err, e)
			}
			for _, e := range tc.isNot {
				assert.NotErrorIs(t, err, e)
			}
		})
	}
	_, err := ParseString("@\n\x1e\rANSI 636000100002DL")
	var he *HeaderError
	require.True(t, errors.As(err, &he), "%v", err)
	assert.Equal(t, 23, he.Pos)
	assert.True(t, he.Truncated)
}

// Parse reads up to MaxPayload bytes, a margin over what a bar code or a
// magnetic stripe holds; a longer input is refused before any work.
func TestMaxPayload(t *testing.T) {
	atMax := vaV10 + strings.Repeat(" ", MaxPayload-len(vaV10))
	r, err := ParseString(atMax)
	require.NoError(t, err)
	assert.Equal(t, "T64235789", r.DocumentNumber)
	for _, tc := range []struct {
		name  string
		parse func(string) (*Result, error)
	}{
		{"Parse", func(s string) (*Result, error) { return Parse([]byte(s)) }},
		{"ParseString", ParseString},
	} {
		for _, in := range []string{atMax + " ", "%" + strings.Repeat("A", MaxPayload)} {
			r, err := tc.parse(in)
			assert.Nil(t, r, tc.name)
			assert.ErrorIs(t, err, ErrTooLarge, tc.name)
			assert.Contains(t, fmt.Sprint(err), fmt.Sprint(MaxPayload), tc.name)
		}
	}
}

func TestMagstripe(t *testing.T) {
	r, err := ParseString("%TXAUSTIN^DOE$JOHN$Q^12345 SHERBOURNE ST^?;63601538774194=150819810101?#\" 78729      C               1505130BLKBLK?")
	require.NoError(t, err)
	assert.Equal(t, MagstripeFileType, r.Header.FileType)
	assert.Equal(t, "636015", r.Header.IIN)
	assert.Equal(t, "Texas", r.Issuer.Name)
	assert.Equal(t, Name{Family: "DOE", First: "JOHN", Middle: "Q", Given: "JOHN Q"}, r.Name)
	assert.Equal(t, Address{Street1: "12345 SHERBOURNE ST", City: "AUSTIN", Jurisdiction: "TX", PostalCode: "78729", Country: "USA"}, r.Address)
	assert.Equal(t, "38774194", r.DocumentNumber)
	assert.Equal(t, "1981-01-01", r.DateOfBirth.String())
	assert.Equal(t, "2015-08-31", r.ExpiryDate.String())
	assert.Equal(t, Male, r.Sex)
	assert.Equal(t, 65, r.Height.Inches)
	assert.Equal(t, 130, r.Weight.Pounds)
	assert.Equal(t, "BLK", r.EyeColor)
	assert.True(t, r.Valid, "%v", r.Problems)

	_, err = ParseString("%")
	assert.ErrorIs(t, err, ErrNotAAMVA)
}

// The track 2 expiry YYMM has no century; it is put after the birth date
// on the same track, not always in the 2000s (9905 was 2099-05-31, a licence
// that expired in 1999 passed expiry checks).
func TestMagstripeExpiryCentury(t *testing.T) {
	stripe := func(dates string) string {
		return "%TXAUSTIN^DOE$JOHN$Q^12345 SHERBOURNE ST^?;63601538774194=" + dates + "?"
	}
	for _, tc := range []struct{ dates, want string }{
		{"990519800101", "1999-05-31"},
		{"310519800101", "2031-05-31"},
		{"310519850615", "2031-05-31"}, // 1931 is before the birth
		{"259919750615", "2025-06-15"}, // 99: the birthday in YY
		{"998819750615", "2000-06-30"}, // 88: the end of the birth month of YY+1
		{"000119991231", "2000-01-31"},
		{"997719800101", ""}, // 77: does not expire
		// 99 for a 29 February birthday: 28 February in a common year
		// (it was 2025-02-29, no date), the 29th in a leap year.
		{"259919840229", "2025-02-28"},
		{"289919840229", "2028-02-29"},
		{"008819960229", "2001-02-28"},
	} {
		r, err := ParseString(stripe(tc.dates))
		require.NoError(t, err)
		assert.Equal(t, tc.want, r.ExpiryDate.String(), tc.dates)
		assert.True(t, r.Valid, "%s: %v", tc.dates, r.Problems)
	}
	r, err := ParseString(stripe("99051980XX01"))
	require.NoError(t, err)
	assert.False(t, r.ExpiryDate.Valid(), "no birth date, no century")
	assert.Equal(t, "9905", r.ExpiryDate.Raw)
	assert.False(t, r.Valid)

	// A month that is none of 01-12, 77, 88, 99 is no expiry: a problem,
	// not a card without expiry (it passed as valid).
	for _, dates := range []string{"251319800101", "250019800101", "2X0519800101"} {
		r, err := ParseString(stripe(dates))
		require.NoError(t, err)
		assert.False(t, r.ExpiryDate.Valid(), dates)
		assert.Equal(t, dates[:4], r.ExpiryDate.Raw)
		assert.Equal(t, []Problem{{Element: "T2", Code: ProblemDate, Message: "expiry " + dates[:4] + " is not YYMM with a month, 77, 88 or 99"}}, r.Problems)
		assert.False(t, r.Valid, dates)
	}
}

func TestResultJSON(t *testing.T) {
	r, err := ParseString(vaV10)
	require.NoError(t, err)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "1986-06-06", m["date_of_birth"])
	assert.Equal(t, "2004-06-06", m["under_18_until"])
	assert.Nil(t, m["height"].(map[string]any)["pounds"])
	assert.Equal(t, "USA", m["country"])
	assert.Equal(t, "T64235789", m["elements"].(map[string]any)["DAQ"])
}

func TestLookupIIN(t *testing.T) {
	is, ok := LookupIIN("604431")
	assert.True(t, ok)
	assert.Equal(t, Issuer{IIN: "604431", Code: "PR", Name: "Puerto Rico", Country: "USA"}, is)
	is, ok = LookupIIN("990876")
	assert.True(t, ok)
	assert.Equal(t, "CAN", is.Country)
	_, ok = LookupIIN("111111")
	assert.False(t, ok)
	codes := map[string]bool{}
	for _, is := range issuers {
		if is.Country == "USA" && is.Code != "" {
			assert.False(t, codes[is.Code], "jurisdiction %s listed twice", is.Code)
			codes[is.Code] = true
		}
	}
	assert.Len(t, codes, 51+5, "50 states, DC and 5 territories")
}

// An element ID inside a value of a payload without separators does not
// start an element when the same ID occurs again where it fits better: the
// first split of DAY in HOLIDAY left DAY empty and glued the real DAYBRO to
// the sex (DBC "1DAYBRO"); DAD in DADSON took the middle name. The city
// DADEVILLE, after the real DAD, keeps the first occurrence.
func TestNoSeparatorsRepeatedID(t *testing.T) {
	glue := strings.NewReplacer("\n", "", "\r", "", "\x1e", "")
	for _, tc := range []struct{ family, city string }{
		{"HOLIDAY", "RICHMOND"},
		{"DADSON", "RICHMOND"},
		{"SMITH", "DADEVILLE"},
		{"HOLIDAY", "DAYTON"},
	} {
		t.Run(tc.family+"/"+tc.city, func(t *testing.T) {
			payload := glue.Replace(build("636000", 10, testSubfile{"DL", []string{
				"DAQT64235789", "DCS" + tc.family, "DACMICHAEL", "DADJOHN", "DBD06062019", "DBB06061986",
				"DBA12102030", "DBC1", "DAYBRO", "DAU068 in", "DAG2300 WEST BROAD STREET", "DAI" + tc.city,
				"DAJVA", "DAK232690000", "DCGUSA",
			}}))
			r, err := ParseString(payload)
			require.NoError(t, err)
			assert.Contains(t, strings.Join(r.Warnings, "\n"), "no element separators")
			assert.Equal(t, tc.family, r.Name.Family)
			assert.Equal(t, "MICHAEL", r.Name.First)
			assert.Equal(t, "JOHN", r.Name.Middle)
			assert.Equal(t, tc.city, r.Address.City)
			assert.Equal(t, "1", r.Elements["DBC"])
			assert.Equal(t, Male, r.Sex)
			assert.Equal(t, "BRO", r.EyeColor)
			assert.Equal(t, 68, r.Height.Inches)
			assert.True(t, r.Valid, "%v", r.Problems)
		})
	}
}

// glued is a payload without separators, as readers that drop control
// characters give it.
func glued(payload string) string {
	return strings.NewReplacer("\n", "", "\r", "", "\x1e", "").Replace(payload)
}

// Element IDs inside names and addresses of a payload without separators
// do not start elements: DADDARIO was cut at DAR (family name DAD, vehicle
// class IO) because DAR occurs once and nothing weighed whether it
// belongs, DAWSON and DAHL left an empty family name and a weight SON or
// a second street line L, "1 DAIRY LN" took the city. The split now
// weighs the form of every value, the version's elements and mandatory
// ones.
func TestNoSeparatorsIDsInsideValues(t *testing.T) {
	for _, tc := range []struct{ family, first, middle, street, city, discriminator string }{
		{"DADDARIO", "MICHAEL", "JOHN", "2300 WEST BROAD STREET", "RICHMOND", ""},         // DAD and DAR, DAR not of version 10
		{"DAWSON", "MICHAEL", "JOHN", "2300 WEST BROAD STREET", "RICHMOND", ""},           // DAW, a weight, not SON
		{"DAHL", "MICHAEL", "JOHN", "2300 WEST BROAD STREET", "RICHMOND", ""},             // DAH, optional street line 2
		{"SMITH", "DARLENE", "JOHN", "2300 WEST BROAD STREET", "RICHMOND", ""},            // DAR right after DAC
		{"DAGOSTINO", "MICHAEL", "DACOSTA", "2300 WEST BROAD STREET", "RICHMOND", ""},     // DAG and DAC that occur again
		{"DAIGLE", "DAKOTA", "DAUGHERTY", "2300 WEST BROAD STREET", "RICHMOND", ""},       // DAI, DAK, DAU
		{"HADAD", "MICHAEL", "DAHLIA", "100 DAHLIA ST", "RICHMOND", ""},                   // DAD ending a name, DAH twice
		{"CALENDAR", "MICHAEL", "JOHN", "1 DAIRY LN", "RICHMOND", ""},                     // DAI right before the city
		{"DAJANI", "MICHAEL", "DADSON", "5 DAKOTA AVE", "DAKOTA CITY", ""},                // DAJ, DAK in street and city
		{"DASILVA", "MICHAEL", "JOHN", "209 CEDAR HILL DR", "DADEVILLE", ""},              // DAS, DAR in a street
		{"MCDCS", "DACIA", "JOHN", "2300 WEST BROAD STREET", "RICHMOND", "0612DCS34DAQ5"}, // DCS, DAC, DAQ inside values
		{"HADDAD", "MICHAEL", "MADDAX", "2300 WEST BROAD STREET", "RICHMOND", ""},         // DDA with a value that is no compliance type
		{"MCDAID", "MICHAEL", "JOHN", "2300 WEST BROAD STREET", "RICHMOND", ""},           // DAI after the family name: out of order
	} {
		t.Run(tc.family+"/"+tc.first+"/"+tc.street, func(t *testing.T) {
			elems := []string{
				"DAQT64235789", "DCS" + tc.family, "DAC" + tc.first, "DAD" + tc.middle, "DBD06062019", "DBB06061986",
				"DBA12102030", "DBC1", "DAYBRO", "DAU068 in", "DAG" + tc.street, "DAI" + tc.city,
				"DAJVA", "DAK232690000", "DCGUSA", "DDEN", "DDFN", "DDGN", "DCAD", "DCBNONE", "DCDNONE",
			}
			if tc.discriminator != "" {
				elems = append(elems, "DCF"+tc.discriminator)
			}
			want, err := ParseString(build("636000", 10, testSubfile{"DL", elems}))
			require.NoError(t, err)
			r, err := ParseString(glued(build("636000", 10, testSubfile{"DL", elems})))
			require.NoError(t, err)
			assert.Contains(t, strings.Join(r.Warnings, "\n"), "no element separators")
			assert.Equal(t, want.Subfiles, r.Subfiles)
			assert.Equal(t, Name{Family: tc.family, First: tc.first, Middle: tc.middle, Given: tc.first + " " + tc.middle,
				FamilyTruncated: NotTruncated, FirstTruncated: NotTruncated, MiddleTruncated: NotTruncated}, r.Name)
			assert.Equal(t, Address{Street1: tc.street, City: tc.city, Jurisdiction: "VA", PostalCode: "23269", Country: "USA"}, r.Address)
			assert.Equal(t, "BRO", r.EyeColor)
			assert.Equal(t, 68, r.Height.Inches)
			assert.Nil(t, r.Weight)
			assert.Equal(t, "D", r.VehicleClass)
			assert.Equal(t, tc.discriminator, r.DocumentDiscriminator)
			assert.True(t, r.Valid, "%v", r.Problems)
		})
	}
}

// A payload without separators parses as it does with them, in the shapes
// real ones take: version 1 elements (DAR-DAT, the full name DAA, DBE,
// DBI) with IDs inside the name and street, version 3 with elements of
// later versions, an ID card whose first name DAVID holds the subfile type
// ID, elements the scan does not look for after fixed-length ones (DCH
// after DCG, DBG after a date), empty elements and subfiles, the postal
// code after a jurisdiction that reads DC (DCD), data after the last
// element.
func TestNoSeparatorsLikeSeparated(t *testing.T) {
	for _, tc := range []struct {
		name     string
		iin      string
		version  int
		subfiles []testSubfile
	}{
		{"version 1, DAR in the street, DAC in the full name", "636005", 1, []testSubfile{{"DL", []string{
			"DAQ102639206", "DAASMITH,DACOSTA,ROBINS,", "DAG209 CEDAR HILL DR UNIT 12", "DAISURFSIDE BEACH", "DAJSC",
			"DAK295754321  ", "DARD   ", "DASJ         ", "DAT     ", "DAU510", "DBA20190212", "DBB19720212", "DBC2",
			"DBD20090619", "DBG2", "DBHY", "DBE2013-06-04 00?22?00?500000", "DBIN"}}}},
		{"version 1, DAR in the family name and after the number", "636026", 1, []testSubfile{{"DL", []string{
			"DABDADDARIO", "DACJOHN", "DAG5123 WACO DR", "DAITUCSON", "DAJAZ", "DAK85641-4321", "DAQD04852767",
			"DARD", "DBB19890124", "DBA20540124", "DBC2", "DBD20130604"}}}},
		{"version 1, DCD across DC and the postal code, empty subfile", "636043", 1, []testSubfile{
			{"DL", []string{"DAAAL-MAAR,DIANA,ROBIN", "DAG1234 14TH ST SW 1A", "DAIWASHINGTON", "DAJDC", "DAK20009-1234 ",
				"DAQ3234567", "DARD   ", "DAS          ", "DBA20210729", "DBB19850729", "DBC2", "DBD20130730", "DBF0 "}},
			{"ZD", nil}}},
		{"version 3, DCH after DCG, later versions' DDA-DDD", "636000", 3, []testSubfile{{"DL", []string{
			"DCANONE", "DCB158X9     ", "DCDS    ", "DBA08142017", "DCSDADDARIO", "DCTDARLENE,WILLIAM", "DBD08142009",
			"DBB07151958", "DBC1", "DAYBRO", "DAU075 in", "DAG17 FIRST STREET", "DAISTAUNTON", "DAJVA", "DAK244010000  ",
			"DAQT16700185", "DCF061234567", "DCGUSA", "DCHS   ", "DDC00000000", "DDB12102008", "DDDN", "DDAN",
			"DCK9060600000017843"}}}},
		{"ID card, DAVID holds the subfile type", "636000", 9, []testSubfile{
			{"ID", []string{"DAQT64235789", "DCSSMITH", "DACDAVID", "DADREID", "DBB06061986", "DBA12102030", "DBD06062019",
				"DBC1", "DAYBRO", "DAU068 in", "DAG2300 WEST BROAD STREET", "DAIRICHMOND", "DAJVA", "DAK232690000",
				"DCGUSA", "DDEN", "DDFN", "DDGN", "DCFX1", "DCAD", "DCBNONE", "DCDNONE", "DDB02132010"}},
			{"ZV", nil}}},
		{"empty DDD before a Z subfile", "636020", 8, []testSubfile{
			{"DL", []string{"DCAR", "DCBNONE", "DCD", "DBA01042022", "DCSMOTORIST", "DACJANE", "DADLYNN", "DBD12272016",
				"DBB02041972", "DBC2", "DAYGRN", "DAU063 in", "DAG98765 W 23RD AVE", "DAILAKEWOOD", "DAJCO",
				"DAK804010000 ", "DAQ124336019", "DCF16455534969", "DCGUSA", "DDEU", "DDFU", "DDGU", "DDB10302015", "DDD"}},
			{"ZC", []string{"ZCANONE"}}}},
		{"version 1, IDs inside first and middle names", "636026", 1, []testSubfile{{"DL", []string{
			"DAQD04852767", "DABSMITH", "DACDAZZO", "DADDAHMER", "DAG5123 WACO DR", "DAITUCSON", "DAJAZ", "DAK85641-4321",
			"DARD", "DBB19890124", "DBA20540124", "DBC2", "DBD20130604", "DAZBRO"}}}},
		{"version 1, IDs after commas of the full name", "636025", 1, []testSubfile{{"DL", []string{
			"DAQ227881513", "DAASMITH,DATTA,DAHL", "DAG12 DAHLIA ST", "DAIERIE", "DAJPA", "DAK165010000",
			"DARC", "DBA20221007", "DBB19761007", "DBC1", "DBD20160823"}}}},
		{"version 3, DAC and DAD inside given names, an empty suffix", "636045", 3, []testSubfile{{"DL", []string{
			"DCANONE", "DCBNONE", "DCDNONE", "DBA05232021", "DCSDACUNHA", "DCTDARIO,DADSON", "DCU", "DBD04162015",
			"DBB05231950", "DBC2", "DAYBRO", "DAU061 IN", "DCE3", "DAG16255 PEWDER CT SE", "DAIREDMOND", "DAJWA",
			"DAK980081234  ", "DAQTESTEDM504K9", "DCFTESTEDM504K932151907H2650", "DCGUSA", "DCHNONE"}}}},
		{"compliance type B after an empty suffix", "636036", 4, []testSubfile{{"DL", []string{
			"DAQP62472647457903", "DCSFOX", "DDEN", "DACMELISSA", "DDFN", "DADR", "DDGN", "DCAD", "DCBNONE", "DCDNONE",
			"DBD02282015", "DBB02041983", "DBA02282019", "DBC2", "DAU062 IN", "DAYGRN", "DAG1435 AUBURN AVE",
			"DAIVERNON", "DAJNJ", "DAK074182554", "DCFWN201528200000855", "DCGUSA", "DCU", "DDAB", "DDB07232010", "DDD"}}}},
		{"data after the last element", "604431", 5, []testSubfile{{"DL", []string{
			"DCA3", "DCB7", "DCDNONE", "DBA03062023", "DCSORTIZ ORTIZ ", "DACLAURENCIA", "DADNONE", "DBD03032017",
			"DBB03061972", "DBC2", "DAYBRO", "DAU062 IN", "DAGCAM CUBA LIBRE 800 KM", "DAICOROZAL", "DAJPR", "DAK00783",
			"DAQ4696735", "DCF4", "DCGUSA", "DDEN", "DDFN", "DDGN", "DDAN", "88888888888888888888"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			payload := build(tc.iin, tc.version, tc.subfiles...)
			want, err := ParseString(payload)
			require.NoError(t, err)
			r, err := ParseString(glued(payload))
			require.NoError(t, err)
			assert.Equal(t, want.Subfiles, r.Subfiles)
			assert.Equal(t, want.Unparsed, r.Unparsed)
			assert.Equal(t, want.Name, r.Name)
			assert.Equal(t, want.Address, r.Address)
			assert.Equal(t, want.Problems, r.Problems)
		})
	}
}
