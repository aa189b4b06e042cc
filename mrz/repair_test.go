package mrz

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRepair(t *testing.T) {
	td3 := icaoExamples[0].lines
	td1long := icaoExamples[2].lines
	for _, tc := range []struct {
		name    string
		in      []string
		want    []string
		reasons []string // the Reason of each correction, in order
	}{
		{
			name: "letters in dates and check digits, digits in names",
			in:   []string{"P<UTOERIKSSON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<", "L898902C36UTO74O8122F12O4I59ZE184226B<<<<<1O"},
			want: td3, reasons: []string{"letter", "digit", "digit", "digit", "digit"},
		},
		{
			name: "O for 0 in a document number, settled by its check digit",
			in:   []string{td3[0], "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10"},
			want: td3, reasons: []string{"check_digit"},
		},
		{
			name: "two confusions in a document number",
			in:   []string{td3[0], "COIX00T478UTO7408122F1204159ZE184226B<<<<<16"},
			want: []string{td3[0], "C01X00T478UTO7408122F1204159ZE184226B<<<<<16"}, reasons: []string{"check_digit", "check_digit"},
		},
		{
			name: "lower case, spaces and a dropped filler",
			in:   []string{"p<uto eriksson<<anna<maria<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10 "},
			want: td3, reasons: []string{"case", "space", "length"},
		},
		{
			name: "filler glyphs and a stray K in the name's filler run",
			in:   []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<K<<<<««<<<<<<<", td3[1]},
			want: td3, reasons: []string{"glyph", "filler"},
		},
		{
			name: "noise lines around the zone",
			in:   []string{"PASSPORT", td3[0], td3[1], "-- 12 --"},
			want: td3, reasons: []string{"extra_line", "extra_line"},
		},
		{
			name: "an extra character at the end of a line",
			in:   []string{td3[0] + "<", td3[1] + "."},
			want: td3, reasons: []string{"length", "length"},
		},
		{
			name: "overflowing TD1 number with misreads",
			in:   []string{"I<UTOD2314589O<7349<<<<<<<<<<<", "34O7127M95O7122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"},
			want: td1long, reasons: []string{"digit", "digit", "check_digit"},
		},
		{
			name: "French driving licence (cheminfo's autocorrect case)",
			in:   []string{"D1FRA13AA0000261B1231MART1N<<9"},
			want: []string{"D1FRA13AA000026181231MARTIN<<9"}, reasons: []string{"digit", "letter"},
		},
		{
			name:    "Swiss licence names",
			in:      []string{"AAA001D<<", "FACHE305142128097<<800126<<<<<", "M4RCHAND<<FABI3NNE<<<<<<<<<<<<"},
			want:    []string{"AAA001D<<", "FACHE305142128097<<800126<<<<<", "MARCHAND<<FABIENNE<<<<<<<<<<<<"},
			reasons: []string{"letter", "letter"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Repair(tc.in, ref2025)
			require.NoError(t, err)
			assert.Equal(t, tc.want, r.Lines)
			assert.True(t, r.Valid, "checks %v problems %v", r.Checks, r.Problems)
			var reasons []string
			for _, c := range r.Repairs {
				reasons = append(reasons, c.Reason)
			}
			assert.Equal(t, tc.reasons, reasons, "%+v", r.Repairs)
		})
	}
}

func TestRepairLeavesValidZonesAlone(t *testing.T) {
	for _, tc := range icaoExamples {
		r, err := Repair(tc.lines, ref2025)
		require.NoError(t, err)
		assert.Empty(t, r.Repairs, tc.name)
		assert.Equal(t, tc.lines, r.Lines)
		p, err := Parse(tc.lines, ref2025)
		require.NoError(t, err)
		assert.Equal(t, p, r, "Repair of a valid zone is Parse")
	}
}

func TestRepairCorrections(t *testing.T) {
	r, err := Repair([]string{icaoExamples[0].lines[0], "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10"}, ref2025)
	require.NoError(t, err)
	assert.Equal(t, []Correction{{Line: 1, Pos: 5, From: "O", To: "0", Reason: "check_digit"}}, r.Repairs)
}

func TestRepairDoesNotGuess(t *testing.T) {
	// A wrong check digit cannot be told from a wrong character: when no
	// single reading of the twins passes, or several do, the text stays.
	in := []string{icaoExamples[0].lines[0], "L898902C35UTO7408122F1204159ZE184226B<<<<<10"}
	r, err := Repair(in, ref2025)
	require.NoError(t, err)
	assert.False(t, r.Valid)
	assert.Equal(t, in, r.Lines)
	assert.Empty(t, r.Repairs)

	// A number where two different twin swaps both satisfy the printed
	// check digit: the reading is ambiguous and must stay as read.
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0O1I2Z5S6G8B"
	for tries := 0; tries < 10000; tries++ {
		b := make([]byte, 9)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		num := string(b)
		counts := map[int]int{}
		for i := range b {
			for _, tw := range twins[b[i]] {
				c := []byte(num)
				c[i] = tw
				counts[mustCD(t, string(c))]++
			}
		}
		digit := -1
		for d, n := range counts {
			if n >= 2 && d != mustCD(t, num) {
				digit = d
			}
		}
		if digit < 0 {
			continue
		}
		lines, err := Generate(Fields{Format: MRVB, DocumentCode: "V", IssuingState: "UTO", Surname: "X",
			DocumentNumber: num, Nationality: "UTO", BirthDate: NewDate(1974, 8, 12), Sex: Female,
			ExpiryDate: NewDate(2030, 1, 1)})
		require.NoError(t, err)
		l2 := []byte(lines[1])
		l2[9] = byte('0' + digit)
		lines[1] = string(l2) // MRV-B has no composite to break the tie
		r, err := Repair(lines, ref2025)
		require.NoError(t, err)
		assert.Equal(t, lines, r.Lines, "an ambiguous reading was guessed: %+v", r.Repairs)
		assert.False(t, r.Valid)
		return
	}
	t.Fatal("no ambiguous number found")
}

func mustCD(t *testing.T, s string) int {
	t.Helper()
	d, err := CheckDigit(s)
	require.NoError(t, err)
	return d
}

// TestRepairRandomCorruption corrupts generated zones the way OCR-B reads
// go wrong — a letter/digit twin (0/O, 1/I, 2/Z, 5/S, 8/B) anywhere, a K
// for a filler inside a run of fillers — and measures how often Repair
// restores the zone exactly. A zone that cannot be restored must not come
// back valid: no confident wrong answer. (6/G is left out: the two are
// equal modulo 10, so a swap in a letter-or-digit field is invisible to
// every check digit and no MRZ reader can undo it.)
func TestRepairRandomCorruption(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	const n = 400
	var restored, twinsOnly, twinsOnlyRestored, undetectable int
	for i := 0; i < n; i++ {
		lines, err := Generate(randomFields(rng))
		require.NoError(t, err)
		bad := append([]string(nil), lines...)
		onlyTwins := true
		for k := 0; k < 2; k++ { // two misreads per zone
			li := rng.IntN(len(bad))
			b := []byte(bad[li])
			for tries := 0; tries < 100; tries++ {
				p := rng.IntN(len(b))
				if tw := twins[b[p]]; len(tw) > 0 && b[p] != 'D' && b[p] != 'Q' {
					b[p] = tw[0]
					break
				}
				if b[p] == '<' && p >= 3 && p+1 < len(b) && string(b[p-3:p+2]) == "<<<<<" {
					b[p] = 'K'
					onlyTwins = false
					break
				}
			}
			bad[li] = string(b)
		}
		r, err := Repair(bad, ref2025)
		require.NoError(t, err)
		ok := strings.Join(r.Lines, "\n") == strings.Join(lines, "\n")
		switch p, err := Parse(bad, ref2025); {
		case ok:
			restored++
		case err == nil && p.Valid && len(r.Repairs) == 0:
			undetectable++ // misreads in unchecked text, or cancelling in every check
		default:
			assert.False(t, r.Valid, "Repair made a different valid zone:\n%v\nfrom\n%v\noriginal\n%v", r.Lines, bad, lines)
		}
		if onlyTwins {
			twinsOnly++
			if ok {
				twinsOnlyRestored++
			}
		}
	}
	t.Logf("Repair restored %d of %d zones with two OCR misreads each (%.1f%%; %d of %d with letter/digit twins only); %d left as read were valid already (misreads no check covers)",
		restored, n, 100*float64(restored)/n, twinsOnlyRestored, twinsOnly, undetectable)
	assert.GreaterOrEqual(t, restored, n*85/100)
}

func randomFields(rng *rand.Rand) Fields {
	formats := []Format{TD1, TD2, TD3, MRVA, MRVB}
	fm := formats[rng.IntN(len(formats))]
	code := map[Format]string{TD1: "I", TD2: "ID", TD3: "P", MRVA: "V", MRVB: "V"}[fm]
	countries := []string{"UTO", "FRA", "D", "GBR", "CHE", "BEL", "PRT"}
	word := func(min, max int) string {
		b := make([]byte, min+rng.IntN(max-min+1))
		for i := range b {
			b[i] = byte('A' + rng.IntN(26))
		}
		return string(b)
	}
	alnum := func(n int) string {
		const a = "ABCDEFGHJKLMNPRTUVWXY0123456789"
		b := make([]byte, n)
		for i := range b {
			b[i] = a[rng.IntN(len(a))]
		}
		return string(b)
	}
	numLen := 9
	if fm == TD1 && rng.IntN(4) == 0 {
		numLen = 12
	}
	f := Fields{Format: fm, DocumentCode: code, IssuingState: countries[rng.IntN(len(countries))],
		Surname: word(3, 12), GivenNames: word(3, 8) + " " + word(2, 6), DocumentNumber: alnum(numLen),
		Nationality: countries[rng.IntN(len(countries))],
		BirthDate:   NewDate(1940+rng.IntN(80), time.Month(1+rng.IntN(12)), 1+rng.IntN(28)),
		Sex:         []Sex{Male, Female, SexUnspecified}[rng.IntN(3)],
		ExpiryDate:  NewDate(2026+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28)),
	}
	if rng.IntN(2) == 0 && fm == TD3 {
		f.OptionalData = alnum(9)
	}
	return f
}
