package aamva

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The scan of a body without separators allocates little whatever the
// body: valueCost converted each value to runes to read the first one,
// for every pair of places, so a body of names spread over 64 KiB
// allocated 3 GB (370 MB at MaxPayload). The bound is generous (the search
// itself needs about 2 MB at worst) but far below that.
func TestScanAllocationsBounded(t *testing.T) {
	const budget = 16 << 20
	for _, tc := range adversarialPayloads() {
		require.LessOrEqual(t, len(tc.data), MaxPayload, tc.name)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Parse(tc.data)
		runtime.ReadMemStats(&after)
		require.NoError(t, err, tc.name)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(budget), tc.name)
		allocs := testing.AllocsPerRun(1, func() { Parse(tc.data) })
		assert.Less(t, allocs, 2000.0, tc.name)
	}
}

// An empty optional element right after an address that ends on a word
// boundary (a street type, a direction, a number) starts there: an empty
// DAH after "2300 WEST BROAD STREET" was glued to the street, because an
// empty element after text cost more than dropping DAH. Where the address
// may go on into the ID (the street "1 HOLIDAY" before DAH on a version 1
// card without eye colour, whose DAY is optional) it still does not, nor
// after a name (TestNoSeparatorsLikeSeparated: DAZZO, DAHMER).
func TestNoSeparatorsEmptyAfterAddress(t *testing.T) {
	v10 := func(street, city string, dah ...string) []string {
		e := []string{"DAQT64235789", "DCSSMITH", "DACMICHAEL", "DADJOHN", "DBD06062019", "DBB06061986",
			"DBA12102030", "DBC1", "DAYBRO", "DAU068 in", "DAG" + street}
		e = append(e, dah...)
		return append(e, "DAI"+city, "DAJVA", "DAK232690000", "DCGUSA", "DDEN", "DDFN", "DDGN", "DCAD", "DCBNONE", "DCDNONE")
	}
	v1 := func(street string, dah ...string) []string {
		e := append([]string{"DAQD04852767", "DAASMITH,JOHN", "DAG" + street}, dah...)
		return append(e, "DAITUCSON", "DAJAZ", "DAK85641-4321", "DBB19890124", "DBA20540124", "DBC2", "DBD20130604")
	}
	for _, tc := range []struct {
		name    string
		version int
		elems   []string
	}{
		{"street type", 10, v10("2300 WEST BROAD STREET", "RICHMOND", "DAH")},
		{"abbreviated, city holding DAI", 10, v10("1 DAIRY LN", "DAISETTA", "DAH")},
		{"direction", 10, v10("40 W 3RD ST S", "DALLAS", "DAH")},
		{"unit number", 10, v10("9 MAIN ST APT 4B", "RICHMOND", "DAH")},
		{"post office box", 10, v10("PO BOX 12", "RICHMOND", "DAH")},
		{"lower case", 10, v10("12 Main St", "Richmond", "DAH")},
		{"version 1", 1, v1("5123 WACO DR", "DAH")},
		{"version 1, street holding DAY", 1, v1("1 HOLIDAY", "DAHAPT 3")},
		{"version 1, street holding DAY, empty DAH", 1, v1("1 HOLIDAY")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iin := map[int]string{1: "636026", 10: "636000"}[tc.version]
			payload := build(iin, tc.version, testSubfile{"DL", tc.elems})
			want, err := ParseString(payload)
			require.NoError(t, err)
			r, err := ParseString(glued(payload))
			require.NoError(t, err)
			assert.Equal(t, want.Subfiles, r.Subfiles)
			assert.Equal(t, want.Address, r.Address)
		})
	}
}

// A first name ending in DA before the middle name reads DADAD: DAD starts
// twice, two letters apart, and both splits cost the same (LINDA and
// MARIE, or LIN and ADMARIE); the first place won. The later one does now:
// first names ending in DA are more common than middle names starting
// with AD, which now read wrong (JOHN ADAM as JOHNDA AM). Both carry a
// warning that the split is ambiguous; splits that costs tell apart do
// not, nor does a Z subfile after an element the scan does not look for
// (DCH), which tied with gluing the subfile type to its value.
func TestNoSeparatorsOverlappingIDs(t *testing.T) {
	parse := func(t *testing.T, first, middle string, more ...testSubfile) *Result {
		elems := []string{"DAQT64235789", "DCSSMITH", "DAC" + first, "DAD" + middle, "DBD06062019", "DBB06061986",
			"DBA12102030", "DBC2", "DAYBRO", "DAU064 in", "DAG2300 WEST BROAD STREET", "DAIRICHMOND",
			"DAJVA", "DAK232690000", "DDEN", "DDFN", "DDGN", "DCAD", "DCBNONE", "DCDNONE", "DCGUSA", "DCHNONE"}
		r, err := ParseString(glued(build("636000", 10, append([]testSubfile{{"DL", elems}}, more...)...)))
		require.NoError(t, err)
		return r
	}
	for _, tc := range [][2]string{{"LINDA", "MARIE"}, {"BRENDA", "LEE"}, {"AMANDA", "JO"}, {"RHONDA", "KAY"}, {"IDA", "MAE"}} {
		t.Run(tc[0], func(t *testing.T) {
			r := parse(t, tc[0], tc[1])
			assert.Equal(t, tc[0], r.Name.First)
			assert.Equal(t, tc[1], r.Name.Middle)
			assert.Contains(t, r.Warnings, warnAmbiguousSplit)
		})
	}
	t.Run("ADAM", func(t *testing.T) {
		assert.Contains(t, parse(t, "JOHN", "ADAM").Warnings, warnAmbiguousSplit)
	})
	t.Run("unambiguous", func(t *testing.T) {
		r := parse(t, "MICHAEL", "JOHN", testSubfile{"ZV", []string{"ZVA01", "ZVBXYZ"}})
		assert.Equal(t, "XYZ", r.Elements["ZVB"])
		assert.Equal(t, "NONE", r.Elements["DCH"])
		assert.NotContains(t, r.Warnings, warnAmbiguousSplit)
		r, err := ParseString(glued(vaV10))
		require.NoError(t, err)
		assert.NotContains(t, r.Warnings, warnAmbiguousSplit)
	})
}

// The search is exponential in the keys with more than one place, so at
// most maxRepeated are: a subfile marker that repeats both its type and
// its element ID counted each against the limit alone, and let a ninth
// key through.
func TestNoSeparatorsRepeatedKeysBounded(t *testing.T) {
	seven := "DDEN DCZDDFN DCZDDGN DCZDBC1 DCZDCE1 DCZDDAF DCZDDD1 DCZ"
	body := "DLDAQ1" + seven + seven + "DLDAQ2" + "DDK1DDK1"
	sc := newScanner(body, []string{"DL"}, 10)
	// DAQ2 is a place of its own, which repeats DAQ: the eighth key.
	assert.Equal(t, []string{"DAQ", "DDE", "DDF", "DDG", "DBC", "DCE", "DDA", "DDD"}, sc.repeated)
}

// sexCode accepts one code: it accepted "", "29" and "MF", any part of
// the list of codes.
func TestSexCode(t *testing.T) {
	for _, v := range []string{"1", "2", "9", "M", "F", "X", "U"} {
		assert.True(t, sexCode(v), v)
	}
	for _, v := range []string{"", "29", "MF", "129MFXU", "0", "m"} {
		assert.False(t, sexCode(v), v)
	}
}
