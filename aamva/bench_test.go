package aamva

import (
	"fmt"
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

// BenchmarkParseAdversarial parses the bodies without separators that cost
// the scan most, at MaxPayload.
func BenchmarkParseAdversarial(b *testing.B) {
	for _, tc := range adversarialPayloads() {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(tc.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type adversarialPayload struct {
	name string
	data []byte
}

// adversarialPayloads are bodies without separators of MaxPayload bytes
// built to cost the scan most: the most places (maxScanMarkers) spread over
// the whole body, so that every pair of places spans a long value, as
// names, which are checked for a leading letter, or blank, which is
// trimmed; and the most places with repeated keys (maxRepeated), each
// doubling the states of the search, followed by distinct Z element IDs.
func adversarialPayloads() []adversarialPayload {
	header := "@\n\x1e\rANSI 636000100001DL00410000"
	spread := func(id string, fill byte) []byte {
		room := MaxPayload - len(header)
		unit := id + strings.Repeat(string(fill), room/maxScanMarkers-len(id))
		return []byte(header + strings.Repeat(unit, room/len(unit)))
	}
	zHeader := fmt.Sprintf("@\n\x1e\rANSI 6360001000%02dDL00410000", 27)
	for c := 'A'; c <= 'Z'; c++ {
		zHeader += fmt.Sprintf("Z%c00410000", c)
	}
	repeated := zHeader + "DAQ1" + strings.Repeat("DCFDCJDCKDAGDAHDAIDCIDAZ", 2)
	zPlaces := maxScanMarkers - 17
	zFill := strings.Repeat(" ", (MaxPayload-len(repeated))/zPlaces-4)
	var z strings.Builder
	z.WriteString(repeated)
	for i := range zPlaces {
		fmt.Fprintf(&z, "Z%c%cX%s", 'A'+i/26, 'A'+i%26, zFill)
	}
	manyKeys := z.String()
	return []adversarialPayload{
		{"names", spread("DCS", 'A')},
		{"blank names", spread("DCS", ' ')},
		{"repeated keys", []byte(manyKeys)},
	}
}
