package aamva

import (
	"strings"
	"testing"
)

// Run with: go test -run XXX -bench . -benchmem ./aamva

func BenchmarkParse(b *testing.B) {
	data := []byte(vaV10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseNoSeparators is the slow path: elements found by their IDs.
func BenchmarkParseNoSeparators(b *testing.B) {
	data := []byte(strings.NewReplacer("\n", "", "\r", "", "\x1e", "").Replace(vaV10))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
