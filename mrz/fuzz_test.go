package mrz

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func fuzzSeeds(f *testing.F) {
	for _, tc := range icaoExamples {
		f.Add(strings.Join(tc.lines, "\n"))
	}
	for _, s := range []string{
		"",
		"\n\n",
		"D1FRA13AA000026181231MARTIN<<9",
		"IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02\n1710GVA123451ROBERTA<<<<<<<9112311F2",
		"AAA001D<<\nFACHE305142128097<<800126<<<<<\nMARCHAND<<FABIENNE<<<<<<<<<<<<",
		"I<UTOD23145890<<<<<<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
		"p<uto eriksson«anna<maria\nL8989O2C36UTO74O8122F12O4I59ZE184226B<<<<<1O\nnoise",
		"IDBEL000590240<6013<<<<<<<<<<<\n8512017F1311048BEL851201002007\nREINARTZ<<ULRIKE<KATIA<E<<<<<<",
		"P<UTO\xff\xfe<<\x00ANNA",
		strings.Repeat("<", 44) + "\n" + strings.Repeat("<", 44),
		strings.Repeat("K", 30) + "\n" + strings.Repeat("0", 30) + "\n" + strings.Repeat("O", 30),
	} {
		f.Add(s)
	}
}

// FuzzParse: Parse never panics, and a Result it returns is consistent.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	opts := Options{Reference: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := ParseText(text, opts)
		if err != nil {
			if r != nil {
				t.Fatal("result with error")
			}
			return
		}
		l := layoutFor(r.Format)
		if l == nil || !l.fits(r.Lines) {
			t.Fatalf("lines %q do not fit %s", r.Lines, r.Format)
		}
		valid := len(r.Problems) == 0
		for _, c := range r.Checks {
			valid = valid && c.OK
		}
		if valid != r.Valid || (r.Err() == nil) != r.Valid {
			t.Fatalf("Valid %v inconsistent with checks %v problems %v", r.Valid, r.Checks, r.Problems)
		}
		if r.Valid {
			// A valid zone generates back to itself, except where a
			// national layout carries text Fields does not keep.
			if r.Format == SwissDrivingLicence || r.Format == FrenchID || r.NameTruncated {
				return
			}
			got, err := Generate(r.Fields)
			if err != nil {
				t.Fatalf("Generate of a valid zone: %v", err)
			}
			if pr, err := Parse(got, opts); err != nil || !pr.Valid {
				t.Fatalf("regenerated %q is not valid: %v", got, err)
			}
		}
	})
}

// FuzzRepair: Repair never panics, its corrections are well formed, and a
// valid result parses to the same fields.
func FuzzRepair(f *testing.F) {
	fuzzSeeds(f)
	opts := Options{Reference: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 400 {
			return // OCR of one zone is short; keep the search fast
		}
		r, err := RepairText(text, opts)
		if err != nil {
			return
		}
		for _, c := range r.Repairs {
			if c.Line >= len(r.Lines) || c.Line < -1 {
				t.Fatalf("correction %+v outside %d lines", c, len(r.Lines))
			}
			if c.Pos >= 0 && (c.Line < 0 || c.Pos >= len(r.Lines[c.Line])) {
				t.Fatalf("correction %+v outside its line", c)
			}
		}
		p, err := Parse(r.Lines, opts)
		if err != nil {
			t.Fatalf("repaired lines %q do not parse: %v", r.Lines, err)
		}
		if p.Valid != r.Valid || p.DocumentNumber != r.DocumentNumber {
			t.Fatalf("Repair result differs from Parse of its lines")
		}
	})
}

// FuzzGenerate: whatever Generate accepts, Parse reads back valid.
func FuzzGenerate(f *testing.F) {
	f.Add(0, "P", "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", 1974, 8, 12, "F", 2012, 4, 15, "ZE184226B")
	f.Add(1, "I", "BEL", "SPECIMEN", "", "600001795015", "BEL", 2013, 1, 1, "X", 2023, 11, 20, "")
	f.Add(5, "ID", "FRA", "Müller", "Ægir", "123", "D", 1950, 0, 0, "M", 2030, 12, 31, "x y")
	opts := Options{Reference: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	formats := []Format{TD3, TD1, TD2, MRVA, MRVB, FrenchDrivingLicence}
	f.Fuzz(func(t *testing.T, fi int, code, state, sur, given, num, nat string, by, bm, bd int, sex string, ey, em, ed int, opt string) {
		if fi < 0 {
			fi = -fi
		}
		fl := Fields{Format: formats[fi%len(formats)], DocumentCode: code, IssuingState: state, Surname: sur,
			GivenNames: given, DocumentNumber: num, Nationality: nat, BirthDate: NewDate(by, time.Month(bm), bd),
			Sex: Sex(sex), ExpiryDate: NewDate(ey, time.Month(em), ed), OptionalData: opt}
		lines, err := Generate(fl)
		if err != nil {
			return
		}
		for _, s := range lines {
			if !utf8.ValidString(s) || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") != "" {
				t.Fatalf("Generate wrote %q", s)
			}
		}
		r, err := Parse(lines, opts)
		if err != nil {
			t.Fatalf("generated %q does not parse: %v", lines, err)
		}
		for _, c := range r.Checks {
			if !c.OK {
				t.Fatalf("generated %q fails check %+v", lines, c)
			}
		}
	})
}
