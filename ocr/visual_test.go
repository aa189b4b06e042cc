package ocr

import (
	"image"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Date of issue / Date de délivrance": "DATE OF ISSUE DATE DE DELIVRANCE",
		"Passport No. / N° du passeport":     "PASSPORT NO N DU PASSEPORT",
		"  Führerschein  ":                   "FUHRERSCHEIN",
		"Côte d'Ivoire":                      "COTE D'IVOIRE",
		"":                                   "",
		"///":                                "",
	}
	for in, want := range cases {
		assert.Equal(t, want, fold(in), in)
	}
}

func TestLabels(t *testing.T) {
	cases := []struct {
		line    string
		field   string
		rest    string
		caption bool
	}{
		{"Surname / Nom", FieldSurname, "", true},
		{"Date of birth / Date de naissance", FieldBirthDate, "", true},
		{"Place of birth / Lieu de naissance", FieldPlaceOfBirth, "", true},
		{"f birth / Lieu de naissance", FieldPlaceOfBirth, "", true}, // first letters lost by OCR
		{"DOB 01/31/1980", FieldBirthDate, "01 31 1980", false},
		{"ERIKSSON", "", "", false},
		{"PASSPORT OFFICE", "", "", false},
		{"Sex / Sexe", FieldSex, "", true},
	}
	for _, c := range cases {
		f, rest := labelOf(fold(c.line))
		assert.Equal(t, c.field, f, c.line)
		assert.Equal(t, c.rest, rest, c.line)
		assert.Equal(t, c.caption, isCaption(fold(c.line)), c.line)
	}
}

func TestParseVisualDate(t *testing.T) {
	cases := []struct {
		in         string
		monthFirst bool
		want       string
	}{
		{"12.08.1974", false, "1974-08-12"},
		{"12/08/1974", false, "1974-08-12"},
		{"16. 04, 2022", false, "2022-04-16"},
		{"1974-08-12", false, "1974-08-12"},
		{"12 AUG 1974", false, "1974-08-12"},
		{"12 AOÛT/AUG 1974", false, "1974-08-12"},
		{"01/31/1980", false, "1980-01-31"}, // 31 cannot be a month
		{"02/03/1980", true, "1980-02-03"},
		{"31.02.1980", false, ""},
		{"12 AUG 74", false, ""}, // no century printed
		{"L898902C3", false, ""},
		{"", false, ""},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, parseVisualDate(c.in, c.monthFirst), c.in)
	}
}

func TestNormalizeVisual(t *testing.T) {
	assert.Equal(t, "M", NormalizeVisual(FieldSex, "H"))
	assert.Equal(t, "F", NormalizeVisual(FieldSex, "F/W"))
	assert.Equal(t, "", NormalizeVisual(FieldSex, "?"))
	assert.Equal(t, "DEU", NormalizeVisual(FieldNationality, "D<<"))
	assert.Equal(t, "UTO", NormalizeVisual(FieldNationality, "UTO"))
	assert.Equal(t, "L898902C3", NormalizeVisual(FieldDocumentNumber, "L898 902C3"))
	assert.Equal(t, "", NormalizeVisual(FieldDocumentNumber, "12"))
	assert.Equal(t, "ZENITH", NormalizeVisual(FieldPlaceOfBirth, " Zénith "))
}

// line places text on a grid of rows 40 pixels apart.
func line(text string, x, row int) Line {
	return Line{Text: text, Box: image.Rect(x, row*40, x+200, row*40+24), Confidence: 0.9}
}

func TestFieldsFromVisual(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	lines := []Line{
		line("Surname / Nom", 400, 1),
		line("ERIKSSON", 400, 2),
		line("Place of birth / Lieu de naissance", 800, 1),
		line("ZENITH", 800, 2),
		line("Date of birth / Date de naissance", 400, 3),
		line("12.08.1974", 400, 4),
		line("16.04.2022", 800, 4), // caption lost: dated by order
		line("15.04.2032", 800, 6),
		line("DOB 01/31/1980", 100, 9),
	}
	doc := &Document{Fields: map[string]Field{}}
	fieldsFromVisual(doc, lines, now)
	assert.Equal(t, "ERIKSSON", doc.Value(FieldSurname))
	assert.Equal(t, "ZENITH", doc.Value(FieldPlaceOfBirth))
	assert.Equal(t, "1974-08-12", doc.Value(FieldBirthDate), "the caption wins over the same-line DOB found later")
	assert.Equal(t, "2022-04-16", doc.Value(FieldIssueDate))
	assert.Equal(t, "2032-04-15", doc.Value(FieldExpiryDate))
	for _, f := range doc.Fields {
		assert.Equal(t, SourceVisual, f.Source)
		assert.Less(t, f.Confidence, 0.9)
	}
}

func TestDropImpossibleDates(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	doc := &Document{}
	doc.set(FieldBirthDate, Field{Value: "1974-08-12", Source: SourceMRZ})
	doc.set(FieldExpiryDate, Field{Value: "2032-04-15", Source: SourceMRZ})
	doc.set(FieldIssueDate, Field{Value: "2032-04-15", Source: SourceVisual}) // the expiry, taken for the issue date
	doc.set(FieldBirthDate, Field{Value: "2033-01-01", Source: SourceVisual}) // hidden behind the MRZ's in Fields
	doc.set(FieldPlaceOfBirth, Field{Value: "PARIS", Source: SourceVisual})
	dropImpossibleDates(doc, now)
	assert.NotContains(t, doc.Fields, FieldIssueDate)
	assert.Equal(t, SourceMRZ, doc.Fields[FieldBirthDate].Source)
	assert.NotContains(t, doc.Zones[SourceVisual], FieldIssueDate)
	assert.NotContains(t, doc.Zones[SourceVisual], FieldBirthDate, "an impossible visual date is dropped from its zone too")
	assert.Contains(t, doc.Zones[SourceVisual], FieldPlaceOfBirth)
	assert.Equal(t, "1974-08-12", doc.Zones[SourceMRZ][FieldBirthDate].Value)
}

func TestSetKeepsEveryZone(t *testing.T) {
	doc := &Document{}
	doc.set(FieldSurname, Field{Value: "DUPONT", Confidence: 0.6, Source: SourceVisual})
	doc.set(FieldSurname, Field{Value: "DUPOND", Confidence: 0.99, Source: SourceMRZ})
	doc.set(FieldSurname, Field{Value: "DURAND", Confidence: 0.7, Source: SourceVisual}) // a second caption: the first read stays
	doc.set(FieldGivenNames, Field{Value: "", Source: SourceMRZ})
	assert.Equal(t, Field{Value: "DUPOND", Confidence: 0.99, Source: SourceMRZ}, doc.Fields[FieldSurname])
	assert.Equal(t, "DUPONT", doc.Zones[SourceVisual][FieldSurname].Value)
	assert.Equal(t, "DUPOND", doc.Zones[SourceMRZ][FieldSurname].Value)
	assert.NotContains(t, doc.Zones[SourceMRZ], FieldGivenNames, "empty values are not recorded")

	doc.drop(FieldSurname, SourceVisual)
	assert.Equal(t, "DUPOND", doc.Fields[FieldSurname].Value, "dropping a zone's value keeps a better zone's")
	doc.drop(FieldSurname, SourceMRZ)
	assert.NotContains(t, doc.Fields, FieldSurname)
}

func TestDetect(t *testing.T) {
	visual := []Line{{Text: "RÉPUBLIQUE FRANÇAISE"}, {Text: "PERMIS DE CONDUIRE"}}
	t.Run("visual", func(t *testing.T) {
		doc := &Document{Fields: map[string]Field{}}
		detect(doc, visual, "", "")
		assert.Equal(t, Detected{Type: DriverLicense, Country: "FRA", Confidence: detectVisual, Source: SourceVisual}, doc.Detected)
		assert.Empty(t, doc.Reasons)
	})
	t.Run("hint mismatch", func(t *testing.T) {
		doc := &Document{Fields: map[string]Field{}}
		detect(doc, visual, Passport, "CIV")
		assert.Equal(t, DriverLicense, doc.Detected.Type)
		assert.Contains(t, doc.Reasons, ReasonHintMismatch)
		assert.Less(t, doc.Detected.Confidence, detectVisual)
	})
	t.Run("hint only", func(t *testing.T) {
		doc := &Document{Fields: map[string]Field{}}
		detect(doc, nil, Passport, "CIV")
		assert.Equal(t, Detected{Type: Passport, Country: "CIV", Confidence: detectHint, Source: SourceHint}, doc.Detected)
	})
	t.Run("nothing", func(t *testing.T) {
		doc := &Document{Fields: map[string]Field{}}
		detect(doc, []Line{{Text: "hello"}}, "", "")
		assert.Equal(t, UnknownDocument, doc.Detected.Type)
		assert.Equal(t, []string{ReasonUnknownType, ReasonUnknownCountry}, doc.Reasons)
	})
	t.Run("us licence by state name", func(t *testing.T) {
		assert.Equal(t, "USA", visualCountry(fold("CALIFORNIA DRIVER LICENSE")))
		assert.Equal(t, DriverLicense, visualType(fold("CALIFORNIA DRIVER LICENSE")))
	})
}

func TestMRZType(t *testing.T) {
	cases := []struct {
		code, format string
		visual       DocumentType
		want         DocumentType
	}{
		{"P", "TD3", "", Passport},
		{"PO", "TD3", "", Passport},
		{"I", "TD1", "", IDCard},
		{"ID", "FRENCH_NATIONAL_ID", "", IDCard},
		{"IR", "TD1", "", ResidencePermit},
		{"I", "TD1", ResidencePermit, ResidencePermit},
		{"V", "MRVA", "", Visa},
		{"D1", "FRENCH_DRIVING_LICENCE", "", DriverLicense},
		{"X", "TD1", "", UnknownDocument},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, mrzType(c.code, c.format, c.visual), c.code)
	}
}

func TestNormalizeHints(t *testing.T) {
	h, c, err := normalizeHints(" Passport ", "fra")
	require.NoError(t, err)
	assert.Equal(t, Passport, h)
	assert.Equal(t, "FRA", c)
	h, c, err = normalizeHints("auto", "AUTO")
	require.NoError(t, err)
	assert.Empty(t, h)
	assert.Empty(t, c)
	_, _, err = normalizeHints("boarding_pass", "")
	assert.ErrorIs(t, err, ErrHint)
	_, _, err = normalizeHints("", "FR")
	assert.ErrorIs(t, err, ErrHint)
	_, _, err = normalizeHints("", "F1A")
	assert.ErrorIs(t, err, ErrHint)
}

func FuzzFieldsFromVisual(f *testing.F) {
	f.Add("Date of birth / Date de naissance", "12.08.1974", "DOB 01/31/1980")
	f.Add("Surname", "ÉRIKSSON", "")
	f.Add("", "", "31.02.2020 12 AOÛT 1974")
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, a, b, c string) {
		doc := &Document{Fields: map[string]Field{}}
		fieldsFromVisual(doc, []Line{line(a, 0, 0), line(b, 0, 1), line(c, 0, 2)}, now)
		for name, fl := range doc.Fields {
			if fl.Value == "" || fl.Confidence < 0 || fl.Confidence > 1 {
				t.Fatalf("%s: bad field %+v", name, fl)
			}
		}
		parseVisualDate(a+b+c, true)
	})
}
