package mrz

import "testing"

// Run with: go test -run XXX -bench . -benchmem ./mrz

func BenchmarkParseTD3(b *testing.B) {
	lines := icaoExamples[0].lines
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(lines, ref2025); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTD1(b *testing.B) {
	lines := icaoExamples[2].lines
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(lines, ref2025); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRepairValid is the common case: OCR read the zone right.
func BenchmarkRepairValid(b *testing.B) {
	lines := icaoExamples[0].lines
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Repair(lines, ref2025); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRepairOCR has lower case, a dropped filler, letters in dates and
// two letter/digit confusions in the document number.
func BenchmarkRepairOCR(b *testing.B) {
	lines := []string{"p<utoeriksson<<anna<mar1a<<<<<<<<<<<<<<<<<<", "COIX00T478UTO74O8122F12O4159ZE184226B<<<<<16"}
	b.ReportAllocs()
	for b.Loop() {
		r, err := Repair(lines, ref2025)
		if err != nil || !r.Valid {
			b.Fatal(err, r.Problems)
		}
	}
}

// BenchmarkRepairUnfixable is the worst case: a wrong check digit makes
// every candidate reading fail, so the whole search runs.
func BenchmarkRepairUnfixable(b *testing.B) {
	lines := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "Z8O8B2S1I5UTO7408122F1204159ZE1B4Z2SB<<<<<13"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Repair(lines, ref2025); err != nil {
			b.Fatal(err)
		}
	}
}
